#include "services/cadre/cadre_due_rules.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"

namespace localgov::cadre {

std::string SanctionName(Sanction s) {
  switch (s) {
    case Sanction::kReprimand:
      return "reprimand";
    case Sanction::kWarning:
      return "warning";
    case Sanction::kDemotion:
      return "demotion";
    case Sanction::kDismissalFromPost:
      return "dismissal from post";
    case Sanction::kRemoval:
      return "removal from elected office";
    case Sanction::kForcedTermination:
      return "forced termination";
  }
  return "discipline";
}

std::string DisciplineFormProblem(const CadreRules& r, PersonGroup group, Sanction sanction,
                                  bool leader) {
  switch (group) {
    case PersonGroup::kContracted:
      return "contracted staff are disciplined under the Labour Code, not Decree 172/2025";
    case PersonGroup::kCadre:
      if (sanction == Sanction::kDemotion || sanction == Sanction::kForcedTermination) {
        return "a cadre's forms are reprimand, warning, dismissal from post, removal from "
               "elected office";
      }
      return "";
    case PersonGroup::kCivilServant:
    case PersonGroup::kPublicEmployee:
      if (sanction == Sanction::kRemoval) return "removal applies to elected cadres only";
      if (sanction == Sanction::kDemotion &&
          (group == PersonGroup::kPublicEmployee || !r.civil_servant_demotion)) {
        return "demotion is not a form of discipline under the rules in force on the decision";
      }
      if (sanction == Sanction::kDismissalFromPost && !leader) {
        return "dismissal from post applies to a leader (someone holding a leadership "
               "position on the decision day)";
      }
      return "";
  }
  return "unknown kind of person";
}

std::optional<absl::CivilDay> LimitationLastDay(const CadreRules& r, absl::CivilDay conduct,
                                                OffenceLevel level) {
  switch (level) {
    case OffenceLevel::kForgedDiploma:
      return std::nullopt;
    case OffenceLevel::kReprimandLevel:
      return AddMonths(conduct, 12 * r.limitation_years_light);
    case OffenceLevel::kOther:
      return AddMonths(conduct, 12 * r.limitation_years_other);
  }
  return std::nullopt;
}

absl::CivilDay ProcessingLastDay(const CadreRules& r, absl::CivilDay started, bool complex) {
  return started + (complex ? r.discipline_processing_days_complex : r.discipline_processing_days);
}

absl::CivilDay DisciplineEffectUntil(const CadreRules& r, absl::CivilDay effect_from) {
  return AddMonths(effect_from, r.discipline_effect_months);
}

absl::CivilDay EvaluationDeadline(const CadreRules& r, int year) {
  return absl::CivilDay(year, r.evaluation_deadline_month, r.evaluation_deadline_day);
}

bool PreviousAgencyOpinionRequired(const CadreRules& r, int year, absl::CivilDay old_from,
                                   absl::CivilDay moved_on) {
  if (moved_on.year() != year) return false;
  const absl::CivilDay from = std::max(old_from, absl::CivilDay(year, 1, 1));
  if (moved_on <= from) return false;
  return MonthsBetween(from, moved_on) >= r.evaluation_previous_agency_months;
}

int ShareAllows(int percent, int staff) { return staff * percent / 100; }

std::optional<DueRaise> NextRaise(const CadreRuleBook& book, const RaiseHistory& h) {
  if (h.ranks.empty()) return std::nullopt;
  const RankSpan& now = h.ranks.back();
  // The first day of the current coefficient, walking back over rank changes kept level.
  size_t first = h.ranks.size() - 1;
  while (first > 0 && h.ranks[first - 1].coefficient_x100 == now.coefficient_x100) --first;
  DueRaise out;
  out.last_step = h.ranks[first].from;
  const CadreRules& base = book.InForceOn(out.last_step);
  const int interval = RaiseIntervalMonths(base, now.rank);
  int months = interval;
  out.reasons.push_back(absl::StrCat(interval, " months from step ", h.ranks[first].step, " on ",
                                     FormatDay(out.last_step)));
  // The events that extend the period, by day.
  struct Event {
    absl::CivilDay on;
    int months;
    std::string why;
  };
  std::vector<Event> events;
  for (const auto& d : h.disciplines) {
    const int m = SanctionExtensionMonths(book.InForceOn(d.effect_from), h.group, d.sanction);
    if (m > 0) events.push_back({d.effect_from, m, SanctionName(d.sanction)});
  }
  for (const auto& y : h.ratings) {
    if (!y.not_completed) continue;
    events.push_back({y.evaluated_on, book.InForceOn(y.evaluated_on).extension_months_moderate,
                      absl::StrCat(y.year, " rated \"did not complete\"")});
  }
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return std::tie(a.on, a.why) < std::tie(b.on, b.why);
  });
  for (const auto& e : events) {
    if (e.on < out.last_step || e.on >= AddMonths(out.last_step, months)) continue;
    months += e.months;
    out.reasons.push_back(absl::StrCat("+", e.months, " months: ", e.why, " ", FormatDay(e.on)));
  }
  out.due = AddMonths(out.last_step, months);
  for (const auto& y : h.ratings) {
    if (y.early_raise_months <= 0 || y.evaluated_on < out.last_step) continue;
    const int m =
        std::min(y.early_raise_months, book.InForceOn(y.evaluated_on).early_raise_max_months);
    months -= m;
    out.due = std::max(AddMonths(out.last_step, months), y.evaluated_on);
    out.reasons.push_back(absl::StrCat("-", m, " months: early raise for outstanding achievement ",
                                       y.year, " (", FormatDay(y.evaluated_on), ")"));
  }
  // A raise does not fall within a discipline's effect: it waits for its end.
  for (bool moved = true; moved;) {
    moved = false;
    for (const auto& d : h.disciplines) {
      if (d.effect_from <= out.due && out.due < d.effect_until) {
        out.due = d.effect_until;
        out.reasons.push_back(absl::StrCat("waits until ", FormatDay(d.effect_until), ": ",
                                           SanctionName(d.sanction), " of ",
                                           FormatDay(d.effect_from), " in effect"));
        moved = true;
      }
    }
  }
  return out;
}

}  // namespace localgov::cadre

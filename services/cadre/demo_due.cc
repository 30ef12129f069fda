#include "services/cadre/demo_due.h"

#include <map>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/cadre/cadre_due_rules.h"

namespace localgov::cadre {
namespace {

// The current versions of a person's records of `kind`.
std::vector<const v1::HistoryRecord*> Current(const DemoPerson& p, v1::RecordKind kind) {
  std::vector<const v1::HistoryRecord*> out;
  for (const auto& v : p.history) {
    if (v.record.kind() == kind && !v.recorded_until.has_value()) out.push_back(&v.record);
  }
  return out;
}

const v1::HistoryRecord* InForce(const std::vector<const v1::HistoryRecord*>& records,
                                 absl::CivilDay day) {
  for (const auto* r : records) {
    const auto from = ParseDay(r->valid_from());
    const auto until = ParseDay(r->valid_until());
    if (from.has_value() && *from <= day && (!until.has_value() || day < *until)) return r;
  }
  return nullptr;
}

// The first day of the last rank record.
std::optional<absl::CivilDay> LastRankChange(const std::vector<const v1::HistoryRecord*>& ranks) {
  std::optional<absl::CivilDay> last;
  for (const auto* r : ranks) {
    const auto from = ParseDay(r->valid_from());
    if (from.has_value() && (!last.has_value() || *from > *last)) last = from;
  }
  return last;
}

}  // namespace

DemoDue GenerateDemoDue(const DemoProvince& demo) {
  const CadreRuleBook book = *CadreRuleBook::Parse("");
  std::map<std::string, std::string, std::less<>> successor;
  for (const auto& a : demo.agencies) successor[a.code()] = a.successor_code();
  DemoDue out;
  for (const auto& dp : demo.people) {
    const auto& person = dp.person;
    if (person.kind() == v1::PERSON_KIND_CONTRACTED) continue;
    const auto assignments = Current(dp, v1::RECORD_KIND_ASSIGNMENT);
    const auto ranks = Current(dp, v1::RECORD_KIND_RANK);
    const auto last_raise = LastRankChange(ranks);
    const uint64_t id = static_cast<uint64_t>(person.id());
    for (int year = 2023; year <= 2025; ++year) {
      const absl::CivilDay on(year, 12, 10);
      const auto* a = InForce(assignments, on);
      if (a == nullptr) continue;
      const int h = static_cast<int>((id * 2654435761u + static_cast<uint64_t>(year) * 97) % 100);
      v1::Evaluation e;
      e.set_person_id(person.id());
      e.set_year(year);
      e.set_evaluated_on(FormatDay(on));
      e.set_agency_code(a->agency_code());
      e.set_recorded_by("demo-seed");
      // About 8 % excellent (under the 20 % share), 62 % good, 27 % completed, and in 2025 a
      // few "did not complete" where no raise was recorded since (the extension shows).
      const bool not_completed =
          h >= 97 && year == 2025 && last_raise.has_value() && *last_raise < on;
      e.set_level(h < 8            ? v1::EVALUATION_LEVEL_EXCELLENT
                  : h < 70         ? v1::EVALUATION_LEVEL_GOOD
                  : !not_completed ? v1::EVALUATION_LEVEL_COMPLETED
                                   : v1::EVALUATION_LEVEL_NOT_COMPLETED);
      // Someone who moved in that year after 6 months or more at another (not merged) agency:
      // its opinion.
      const v1::HistoryRecord* before = nullptr;
      for (const auto* r : assignments) {
        if (r->agency_code() != a->agency_code() && r->valid_until() == a->valid_from()) before = r;
      }
      if (before != nullptr && successor[before->agency_code()] != a->agency_code() &&
          PreviousAgencyOpinionRequired(book.InForceOn(on), year, *ParseDay(before->valid_from()),
                                        *ParseDay(a->valid_from()))) {
        e.set_previous_agency_code(before->agency_code());
        e.set_previous_agency_opinion(
            "Hoàn thành tốt nhiệm vụ trong thời gian công tác tại cơ quan cũ.");
      }
      out.evaluations.push_back(std::move(e));
    }
    // About 2 % reprimanded (public employees warned) with effect in the first half of 2026.
    if ((id * 40503u + 7) % 100 < 2) {
      const absl::CivilDay effect(2026, 1 + static_cast<int>(id % 6), 1);
      const auto* a = InForce(assignments, effect);
      if (a == nullptr || !last_raise.has_value() || *last_raise >= effect) continue;
      const CadreRules& rules = book.InForceOn(effect);
      v1::Discipline d;
      d.set_person_id(person.id());
      d.set_form(person.kind() == v1::PERSON_KIND_PUBLIC_EMPLOYEE ? v1::DISCIPLINE_FORM_WARNING
                                                                  : v1::DISCIPLINE_FORM_REPRIMAND);
      d.set_offence(v1::OFFENCE_LEVEL_REPRIMAND);
      d.set_conduct_date(FormatDay(effect - 120));
      d.set_processing_started(FormatDay(effect - 90));
      d.set_decision_date(FormatDay(effect - 10));
      d.set_effect_from(FormatDay(effect));
      d.set_effect_until(FormatDay(DisciplineEffectUntil(rules, effect)));
      d.set_decision_number(absl::StrCat(id % 90 + 10, "/QĐ-UBND"));
      d.set_agency_code(a->agency_code());
      d.set_recorded_by("demo-seed");
      out.disciplines.push_back(std::move(d));
    }
  }
  return out;
}

}  // namespace localgov::cadre

#include "services/petition/reception_rules.h"

#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace localgov::petition {
namespace {

absl::Status BadPeriod(absl::string_view text) {
  return absl::InvalidArgumentError(absl::StrCat(
      "period \"", text, "\" must be a month YYYY-MM, a quarter YYYY-Qn or a year YYYY"));
}

absl::CivilDay MondayOf(absl::CivilDay d) {
  const int since_monday =
      (static_cast<int>(absl::GetWeekday(d)) + 7 - static_cast<int>(absl::Weekday::monday)) % 7;
  return d - since_monday;
}

struct Unit {
  absl::CivilDay first, last;
  int required = 0;
};

}  // namespace

absl::StatusOr<ReportPeriod> ParseReportPeriod(absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, '-');
  int year = 0;
  if (parts.empty() || parts[0].size() != 4 || !absl::SimpleAtoi(parts[0], &year) || year < 2000 ||
      year > 2100) {
    return BadPeriod(text);
  }
  if (parts.size() == 1) {
    return ReportPeriod{absl::CivilDay(year, 1, 1), absl::CivilDay(year, 12, 31)};
  }
  if (parts.size() != 2) return BadPeriod(text);
  int n = 0;
  if (parts[1].size() == 2 && (parts[1][0] == 'Q' || parts[1][0] == 'q') &&
      absl::SimpleAtoi(parts[1].substr(1), &n) && n >= 1 && n <= 4) {
    const absl::CivilMonth from(year, 3 * (n - 1) + 1);
    return ReportPeriod{absl::CivilDay(from), absl::CivilDay(from + 3) - 1};
  }
  if (parts[1].size() == 2 && absl::SimpleAtoi(parts[1], &n) && n >= 1 && n <= 12) {
    const absl::CivilMonth m(year, n);
    return ReportPeriod{absl::CivilDay(m), absl::CivilDay(m + 1) - 1};
  }
  return BadPeriod(text);
}

ReportPeriod ReceptionDaysWindow(const ReportPeriod& period) {
  // The first week is the one whose Thursday is on or after the first day; the next period
  // starts with the week whose Thursday follows the last day.
  return {MondayOf(period.first + 3), MondayOf(period.last + 4) - 1};
}

absl::StatusOr<v1::LeaderReceptionDays> CountReceptionDays(
    v1::ReceptionLeaderRole role, const ReportPeriod& period,
    const std::vector<HeldReceptionDay>& held, const PetitionRuleBook& rules,
    const calendar::WorkingCalendar& calendar) {
  v1::LeaderReceptionDays out;
  out.set_first_day(absl::FormatCivilTime(period.first));
  out.set_last_day(absl::FormatCivilTime(period.last));
  std::vector<Unit> units;
  std::set<std::string> bases;
  if (role == v1::RECEPTION_LEADER_ROLE_COMMUNE_CHAIR) {
    const ReportPeriod w = ReceptionDaysWindow(period);
    for (absl::CivilDay monday = w.first; monday <= w.last; monday += 7) {
      Unit u{monday, monday + 6, 0};
      bool any_working = false;
      for (absl::CivilDay d = u.first; d <= u.last; ++d) {
        auto working = calendar.IsWorkingDay(d);
        if (!working.ok()) return working.status();
        any_working = any_working || *working;
      }
      const PetitionRules& r = rules.InForceOn(u.first);
      bases.insert(r.basis);
      u.required = any_working ? r.reception_commune_chair_days_per_week : 0;
      units.push_back(u);
    }
  } else if (role == v1::RECEPTION_LEADER_ROLE_PROVINCIAL_CHAIR ||
             role == v1::RECEPTION_LEADER_ROLE_AGENCY_HEAD) {
    for (absl::CivilMonth m(period.first); m <= absl::CivilMonth(period.last); ++m) {
      Unit u{absl::CivilDay(m), absl::CivilDay(m + 1) - 1, 0};
      const PetitionRules& r = rules.InForceOn(u.first);
      bases.insert(r.basis);
      u.required = role == v1::RECEPTION_LEADER_ROLE_PROVINCIAL_CHAIR
                       ? r.reception_provincial_chair_days_per_month
                       : r.reception_agency_head_days_per_month;
      units.push_back(u);
    }
  } else {
    // No required number: the held days of the period, as one unit.
    units.push_back({period.first, period.last, 0});
    bases.insert(rules.InForceOn(period.first).basis);
  }
  // Distinct qualifying days; a deputy's day counts by the set in force on that day.
  std::set<absl::CivilDay> own, deputy_counted, deputy_not;
  for (const auto& h : held) {
    if (!h.by_deputy) {
      own.insert(h.day);
    } else if (rules.InForceOn(h.day).reception_deputy_counts == 1) {
      deputy_counted.insert(h.day);
    } else {
      deputy_not.insert(h.day);
    }
  }
  int required = 0, held_days = 0, counted = 0, missed = 0, dep_counted = 0, dep_not = 0;
  for (const Unit& u : units) {
    int in_unit = 0;
    for (absl::CivilDay d = u.first; d <= u.last; ++d) {
      const bool mine = own.count(d) > 0;
      const bool deputy = !mine && deputy_counted.count(d) > 0;
      if (mine || deputy) ++in_unit;
      if (deputy) ++dep_counted;
      if (!mine && deputy_not.count(d) > 0) ++dep_not;
    }
    auto* pu = out.add_units();
    pu->set_first_day(absl::FormatCivilTime(u.first));
    pu->set_last_day(absl::FormatCivilTime(u.last));
    pu->set_required(u.required);
    pu->set_held(in_unit);
    pu->set_counted(std::min(u.required, in_unit));
    required += u.required;
    held_days += in_unit;
    counted += std::min(u.required, in_unit);
    if (in_unit < u.required) ++missed;
  }
  out.set_required_days(required);
  out.set_held_days(held_days);
  out.set_counted_days(counted);
  out.set_missed_units(missed);
  out.set_deputy_days_counted(dep_counted);
  out.set_deputy_days_not_counted(dep_not);
  std::string basis;
  for (const auto& b : bases) absl::StrAppend(&basis, basis.empty() ? "" : "; ", b);
  out.set_basis(basis);
  out.mutable_leader()->set_role(role);
  return out;
}

}  // namespace localgov::petition

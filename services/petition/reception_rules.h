#ifndef LOCALGOV_SERVICES_PETITION_RECEPTION_RULES_H_
#define LOCALGOV_SERVICES_PETITION_RECEPTION_RULES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/calendar/calendar.h"
#include "localgov/petition/v1/reception.pb.h"
#include "services/petition/rules.h"

namespace localgov::petition {

// A report period: "2026-05" (a month), "2026-Q2" (a quarter) or "2026" (a year).
struct ReportPeriod {
  absl::CivilDay first;
  absl::CivilDay last;
};
absl::StatusOr<ReportPeriod> ParseReportPeriod(absl::string_view text);

// A day a leader's requirement may be met on: the leader's own regular session, or a deputy's
// session in their stead.
struct HeldReceptionDay {
  absl::CivilDay day;
  bool by_deputy = false;
};

// A leader's required reception days against those held (DOMAIN.md §3), by the rule set in
// force on each unit's first day (a deputy's day: on that day). How the units are counted:
//  - the commune chair's requirement is per week, Monday to Sunday; a week belongs to the
//    period its Thursday falls in (so a week across two months is required once), and
//    requires days only if it has at least one working day by the calendar (Tết week, a week
//    of holidays: none; a make-up Saturday is a working day); any day of that week meets it;
//  - the provincial chair's and other heads' requirement is per calendar month;
//  - deputies and the People's Council standing committee: no required number (registered).
// `held` may hold days outside the period; only the units' days count. A calendar year the
// calendar does not know is an error (UNAVAILABLE from the calendar).
absl::StatusOr<v1::LeaderReceptionDays> CountReceptionDays(
    v1::ReceptionLeaderRole role, const ReportPeriod& period,
    const std::vector<HeldReceptionDay>& held, const PetitionRuleBook& rules,
    const calendar::WorkingCalendar& calendar);

// The days the report needs sessions for: the units may start before and end after the
// period (weeks across its edges).
ReportPeriod ReceptionDaysWindow(const ReportPeriod& period);

}  // namespace localgov::petition

#endif  // LOCALGOV_SERVICES_PETITION_RECEPTION_RULES_H_

#ifndef LOCALGOV_SERVICES_PETITION_CLOCKS_H_
#define LOCALGOV_SERVICES_PETITION_CLOCKS_H_

#include <optional>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/calendar/calendar.h"
#include "localgov/petition/v1/petition.pb.h"
#include "services/petition/rules.h"

namespace localgov::petition {

// The statutory clocks of a petition (DOMAIN.md §3), pure: from its kind, state, days of
// receipt and acceptance, complexity, remoteness, extensions and suspensions, by `rules` (the
// set in force on its day of receipt) and the working-day calendar. Working days count from
// the day after receipt (AddWorkingDays); days are calendar days, a last day off moving to the
// next working day (AddCalendarDays, Civil Code 2015 Art. 148). Sets `p.deadlines`,
// `p.next_deadline` (the earliest binding clock) and `p.overdue` (a binding clock's day is
// before `today`).
absl::Status ComputeClocks(v1::Petition& p, const PetitionRules& rules,
                           const calendar::WorkingCalendar& cal, absl::CivilDay today);

// The resolution period in days from acceptance, before extensions and suspensions: complaints
// by round, complexity and remoteness; denunciations 30 days; 0 for recommendations and
// reflections (no statutory period).
int ResolutionDays(const v1::Petition& p, const PetitionRules& rules);

// The last day of the limitation (a first complaint: 90 days from learning of the decision; a
// second: the window from the first decision), or nullopt when there is none to check (no
// date given, not a complaint).
absl::StatusOr<std::optional<absl::CivilDay>> LimitationDay(const v1::Petition& p,
                                                            const PetitionRules& rules,
                                                            const calendar::WorkingCalendar& cal);

}  // namespace localgov::petition

#endif  // LOCALGOV_SERVICES_PETITION_CLOCKS_H_

#ifndef LOCALGOV_SERVICES_DOSSIER_ROUTE_H_
#define LOCALGOV_SERVICES_DOSSIER_ROUTE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/calendar/calendar.h"
#include "localgov/dossier/v1/dossier.pb.h"
#include "localgov/dossier/v1/procedure.pb.h"

namespace localgov::dossier {

// Cross-agency route steps (DOMAIN.md §1, liên thông; Decree 63/2024 for LT-01). Pure: no gRPC,
// no SQL. Steps owned by another agency are handed off through the liaison service; electronic
// steps sharing an order run in parallel, each with its own deadline; the results return to
// the intake point. Steps of the receiving agency itself are its officers' own work and are
// not tracked here.

// Adds a StepProgress (WAITING) for every route step owned by another agency.
void PlanSteps(v1::Dossier& d, const v1::Procedure& p);

// Hands off the next group: the lowest order among the steps not completed, if none of it is
// handed off yet. Each gets its due date — its share of the limit counted from `today` — and
// state HANDED_OFF. Returns the indices handed off (empty when nothing is due to go).
absl::StatusOr<std::vector<int>> HandOffNext(v1::Dossier& d, const v1::Procedure& p,
                                             const calendar::WorkingCalendar& cal,
                                             absl::CivilDay today);

// The result of the step handed off in envelope `envelope_id` arrived on `today`: COMPLETED,
// classed against the step's due date (indicator 2). NOT_FOUND when no step has that envelope;
// false when it was already completed (a repeated result changes nothing).
absl::StatusOr<bool> CompleteStep(v1::Dossier& d, const std::string& envelope_id,
                                  absl::CivilDay today, absl::Time now);

// True when every step owned by another agency is completed.
bool AllStepsCompleted(const v1::Dossier& d);

// The handoff envelope's id for step `index` (deterministic: a retried transition makes the
// same id, so the exchange deduplicates it).
std::string StepEnvelopeId(const std::string& dossier_code, int index);

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_ROUTE_H_

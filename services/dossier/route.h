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

// Route steps (DOMAIN.md §1, liên thông; Decree 63/2024 for LT-01). Pure: no gRPC, no SQL.
// Steps sharing an order run in parallel, each with its own deadline (its share of the limit);
// a group starts when the one before it is complete. Steps owned by another agency are handed
// off through the liaison service and complete when their result returns; the receiving
// agency's own steps are under way when their group starts and complete when its officers
// say so (CompleteStep), or with the result (RecordResult). Each completed step is classed
// early / on time / late against its due date (Circular 01/2018 indicator 2).

// Adds a StepProgress (WAITING) for every route step; `own` for the receiving agency's.
void PlanSteps(v1::Dossier& d, const v1::Procedure& p);

// Starts the next group: the lowest order among the steps not completed, unless it is under
// way already. Each step gets its due date — its share of the limit counted from `today` —
// and state HANDED_OFF (another agency's) or IN_PROGRESS (own). Returns the indices of the
// other agencies' steps handed off (their envelopes are to be sent).
absl::StatusOr<std::vector<int>> HandOffNext(v1::Dossier& d, const v1::Procedure& p,
                                             const calendar::WorkingCalendar& cal,
                                             absl::CivilDay today);

// The result of the step handed off in envelope `envelope_id` arrived on `today`: COMPLETED,
// classed against the step's due date. NOT_FOUND when no step has that envelope; false when it
// was already completed (a repeated result changes nothing).
absl::StatusOr<bool> CompleteStep(v1::Dossier& d, const std::string& envelope_id,
                                  absl::CivilDay today, absl::Time now);

// The receiving agency finished its own step `index` on `today`: COMPLETED and classed; returns
// the step. INVALID_ARGUMENT for an index that is no step of the dossier; FAILED_PRECONDITION
// for another agency's step, a step not under way yet, or one done already.
absl::StatusOr<const v1::StepProgress*> CompleteOwnStep(v1::Dossier& d, int index,
                                                        absl::CivilDay today, absl::Time now);

// With the result: completes the receiving agency's own steps not completed yet (a step never
// started is classed against the dossier's due date).
void FinishOwnSteps(v1::Dossier& d, absl::CivilDay today, absl::Time now);

// The dossier ended (withdrawn, processing stopped, refused at intake) on `today` at `now`:
// every step not completed is CANCELLED with the time and `reason`, in the same change as the
// ending. Returns the indices of the steps that had been handed off to another agency (each
// gets a cancellation envelope). Decision 766 / Circular 01/2018 indicator 2 scores how an
// agency handled its step; a step called off on or before its own due date was neither done
// on time nor late, so it is not scored (no outcome, no points, not in the per-step figures);
// one still open after its due date was late already when the dossier ended, so it is scored
// late (0 points) as of its cancellation (docs/api.md, "Ending a dossier").
std::vector<int> CancelOpenSteps(v1::Dossier& d, const std::string& reason, absl::CivilDay today,
                                 absl::Time now);

// The steps that reached a scored end in `after` but not in `before`: completed, or cancelled
// after their due date (scored late, with the cancellation as their end).
std::vector<v1::StepProgress> NewlyScored(const v1::Dossier& before, const v1::Dossier& after);

// The steps completed in `after` that were not in `before` (the same dossier, before and
// after a change).
std::vector<v1::StepProgress> NewlyCompleted(const v1::Dossier& before, const v1::Dossier& after);

// True when every step owned by another agency is completed.
bool OtherAgenciesStepsCompleted(const v1::Dossier& d);

// When the receiving system must acknowledge a step handed off at `handed_off`: the procedure's
// handoff_acknowledgement (Decree 63/2024: 2 working hours) counted in office time from the
// handoff — a handoff outside office hours counts from the next opening; no 15:00 rule (the
// exchange runs all day). InfiniteFuture when the procedure sets no such limit.
absl::StatusOr<absl::Time> AcknowledgeBy(const v1::Procedure& p,
                                         const calendar::WorkingCalendar& cal,
                                         absl::Time handed_off);

// The cancellation envelope's id for step `index` (deterministic, as StepEnvelopeId).
std::string StepCancellationEnvelopeId(const std::string& dossier_code, int index);

// The handoff envelope's id for step `index` (deterministic: a retried transition makes the
// same id, so the exchange deduplicates it).
std::string StepEnvelopeId(const std::string& dossier_code, int index);

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_ROUTE_H_

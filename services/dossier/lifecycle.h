#ifndef LOCALGOV_SERVICES_DOSSIER_LIFECYCLE_H_
#define LOCALGOV_SERVICES_DOSSIER_LIFECYCLE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/calendar/calendar.h"
#include "localgov/dossier/v1/dossier.pb.h"
#include "localgov/dossier/v1/procedure.pb.h"
#include "services/dossier/rules.h"

namespace localgov::dossier {

enum class Action {
  kStartProcessing,
  kRequestSupplement,
  kCompleteSupplement,
  kApologize,
  kRecordResult,
  kReturnResult,
  kWithdraw,
  kStop,
  kRequestPayment,
  kConfirmPayment,
  kCompleteStep,
};

struct TransitionInput {
  Action action = Action::kStartProcessing;
  absl::Time now;
  std::vector<std::string> missing_document_codes;  // kRequestSupplement
  std::vector<v1::HandedDocument> documents;        // kCompleteSupplement
  std::string reason;                               // kApologize, kWithdraw
  std::string new_due_date;                         // kApologize, YYYY-MM-DD
  std::vector<std::string> reasons;                 // kStop
  std::string note;                                 // kRecordResult, kCompleteStep
  int step_index = -1;                              // kCompleteStep
  int64_t amount_vnd = 0;                           // kRequestPayment
  std::string payment_reference;                    // kConfirmPayment (receipt, transaction)
};

// Applies one transition to `d` (a copy the caller then stores) and returns the note for the
// dossier's history. Pure: the procedure version the dossier follows and the calendar are
// passed in, and so are the one-stop rules in force when the dossier was received.
// INVALID_ARGUMENT for bad input (field violations); FAILED_PRECONDITION for a
// transition the state or a legal deadline forbids.
absl::StatusOr<std::string> ApplyTransition(v1::Dossier& d, const v1::Procedure& procedure,
                                            const calendar::WorkingCalendar& cal,
                                            const OneStopRules& rules, const TransitionInput& in);

// Early / on time / late (Circular 01/2018 Art. 13 indicator 1): the finishing day against
// the due date.
v1::OutcomeClass Classify(absl::CivilDay finished, absl::CivilDay due);

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_LIFECYCLE_H_

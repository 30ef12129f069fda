#ifndef LOCALGOV_SERVICES_PETITION_LIFECYCLE_H_
#define LOCALGOV_SERVICES_PETITION_LIFECYCLE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/calendar/calendar.h"
#include "localgov/petition/v1/petition.pb.h"
#include "services/petition/rules.h"

namespace localgov::petition {

// What a transition asks (one of the transition RPCs, translated).
enum class Action {
  kClassify,
  kAssign,
  kVerify,
  kDialogue,
  kExtend,
  kSuspend,
  kResume,
  kClose,
  kDecide,
  kPublish,
  kAnswerArrived,  // a forwarded petition's answer came back (the liaison)
};

// The name of the RPC (or delivery) behind an action, for the audit log.
const char* ActionName(Action a);

struct TransitionInput {
  Action action = Action::kAssign;
  absl::Time now;
  std::string actor;  // token subject
  // Classify
  v1::ClassificationDecision decision = v1::CLASSIFICATION_DECISION_UNSPECIFIED;
  std::string competent_agency;
  v1::NotProcessedReason not_processed_reason = v1::NOT_PROCESSED_REASON_UNSPECIFIED;
  v1::Complexity complexity = v1::COMPLEXITY_UNSPECIFIED;
  std::string excuse;
  // An earlier petition of the same person about the same matter, withdrawn under a set with
  // withdrawal_final (the use case looks it up; empty: none).
  std::string withdrawn_before;
  // Assign
  std::string officer;
  // Verify, Resume, Close, Publish, AnswerArrived: the text; Classify, Extend, Suspend: reason
  std::string text;
  // Dialogue
  absl::Time held;
  std::vector<std::string> participants;
  // Extend
  int days = 0;
  std::string decision_number;  // Extend, Decide
  // Suspend
  std::string awaiting;
  // Close
  v1::CloseReason close_reason = v1::CLOSE_REASON_UNSPECIFIED;
  // Decide
  v1::Outcome outcome = v1::OUTCOME_UNSPECIFIED;
  // AnswerArrived
  std::string from_agency;
};

// Applies one action to `p` (as read) under `rules` (the set of its day of receipt): checks
// that the state, the kind and the law allow it (FAILED_PRECONDITION saying why, nothing
// changed) and changes the petition, clocks included. Returns the note of its history event
// (what the citizen is told; never the denouncer's identity). No I/O; time is in the input.
absl::StatusOr<std::string> ApplyTransition(v1::Petition& p, const PetitionRules& rules,
                                            const calendar::WorkingCalendar& cal,
                                            const TransitionInput& in);

// Whether the state is final (no clock binds; only a publication may follow a resolution).
bool IsFinal(v1::PetitionState s);

}  // namespace localgov::petition

#endif  // LOCALGOV_SERVICES_PETITION_LIFECYCLE_H_

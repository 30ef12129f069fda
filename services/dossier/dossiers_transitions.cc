// Dossiers: transitions (StartProcessing, RequestSupplement, ... CompleteStep). One lifecycle
// action (lifecycle.h) on one dossier, in one transaction with its event and audit record; a
// start or a completed step hands off the next step group, an end tells the agencies whose
// steps it cancelled (both in dossiers_exchange.cc).
#include "services/dossier/dossiers.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/audit.h"
#include "common/db/transaction.h"
#include "common/idempotency.h"
#include "services/dossier/catalogue_store.h"
#include "services/dossier/convert.h"
#include "services/dossier/dossier_store.h"
#include "services/dossier/dossiers_internal.h"
#include "services/dossier/route.h"

namespace localgov::dossier {
namespace {

using State = v1::DossierState;

}  // namespace

absl::StatusOr<v1::Dossier> Dossiers::Transition(const CallContext& call, const std::string& code,
                                                 int64_t expected_version, TransitionInput input,
                                                 const std::string& request_id,
                                                 const std::string& request_digest) {
  Validator v;
  ValidateOptionalRequestId(v, "request_id", request_id);
  v.Check(!code.empty() && code.size() <= 64, "code", "required, at most 64 characters");
  v.Check(expected_version > 0, "expected_version", "required: the version last read");
  if (!v.ok()) return v.status();
  auto cal = calendar_.Calendar();
  if (!cal.ok()) return cal.status();
  input.now = clock_.Now();
  const std::string action_name = [&] {
    switch (input.action) {
      case Action::kStartProcessing:
        return "StartProcessing";
      case Action::kRequestSupplement:
        return "RequestSupplement";
      case Action::kCompleteSupplement:
        return "CompleteSupplement";
      case Action::kApologize:
        return "Apologize";
      case Action::kRecordResult:
        return "RecordResult";
      case Action::kReturnResult:
        return "ReturnResult";
      case Action::kWithdraw:
        return "WithdrawDossier";
      case Action::kStop:
        return "StopProcessing";
      case Action::kRequestPayment:
        return "RequestPayment";
      case Action::kConfirmPayment:
        return "ConfirmPayment";
      case Action::kCompleteStep:
        return "CompleteStep";
    }
    return "Transition";
  }();
  const IdempotencyKey key{call.access.subject, call.method, request_id, request_digest};
  v1::Dossier result;
  int64_t change = 0;
  bool replayed = false;
  auto st = RunInTransaction(db_, "transition_dossier", [&](pqxx::work& tx) -> absl::Status {
    auto found = DossierStore::Find(tx, code);
    const auto not_found = absl::NotFoundError(absl::StrCat("dossier ", code, " not found"));
    if (!found.has_value()) return not_found;
    const auto& a = call.access;
    const bool own_citizen =
        a.role == Role::kCitizen && a.subject == found->applicant().citizen_id();
    if (a.role == Role::kCitizen && !own_citizen) return not_found;
    const bool staff_here = IsStaff(a.role) && SameAgency(a.agency, found->receiving_agency_code());
    const bool allowed =
        staff_here || a.role == Role::kSystem || (own_citizen && input.action == Action::kWithdraw);
    if (!allowed)
      return absl::PermissionDeniedError("only the receiving agency's staff may do this");
    // A retry of a transition that committed (its answer lost): the answer it had.
    auto stored = ClaimOptionalIdempotencyKey(tx, key);
    if (!stored.ok()) return stored.status();
    if (stored->has_value()) {
      if (!result.ParseFromString(**stored)) return absl::InternalError("stored answer unreadable");
      replayed = true;
      return absl::OkStatus();
    }
    if (found->version() != expected_version) {
      return absl::AbortedError(absl::StrCat("dossier ", code, " is at version ", found->version(),
                                             ", not ", expected_version, "; read it again"));
    }
    auto procedure =
        CatalogueStore::Version(tx, found->procedure_code(), found->procedure_version());
    if (!procedure.has_value())
      return absl::InternalError("the dossier's procedure version is gone");
    result = *found;
    const State from = result.state();
    // The rules in force on the day the dossier was received, whatever changed since.
    const OneStopRules& rules =
        rules_.InForceOn(calendar::VietnamDay(FromProto(found->received_time())));
    auto note = ApplyTransition(result, *procedure, **cal, rules, input);
    if (!note.ok()) return note.status();
    if (input.action == Action::kStartProcessing || input.action == Action::kCompleteStep) {
      if (auto st = HandOff(tx, result, *procedure, **cal, input.now); !st.ok()) return st;
    }
    // The dossier ended: the agencies its steps were handed to are told, durably (outbox).
    if (auto st = SendCancellations(tx, *found, result, a.agency, input.now); !st.ok()) return st;
    if (auto updated = DossierStore::Update(tx, result, expected_version, input.now);
        !updated.ok()) {
      return updated;
    }
    DossierStore::InsertStepOutcomes(tx, code, NewlyScored(*found, result));
    result.set_version(expected_version + 1);
    PublishCase(tx, &*found, result, input.now);  // refused, stopped, late: the petition service
    const auto& e = AddEvent(result, input.now, a.subject, RoleName(a.role), a.agency, from, *note);
    change = DossierStore::AppendEvent(tx, result, e, call.request_id);
    StoreOptionalIdempotentResponse(tx, key, result.SerializeAsString());
    return AppendAudit(tx,
                       {a.subject, std::string(RoleName(a.role)), a.agency,
                        absl::StrCat("dossier.", action_name), "dossier", code, call.request_id,
                        absl::StrCat(v1::DossierState_Name(from), "->",
                                     v1::DossierState_Name(result.state()), ":", *note)},
                       input.now);
  });
  if (!st.ok()) return st;
  if (replayed) return result;
  lookup_.Invalidate(
      code, result.version());  // after commit: the public view must not show the old state
  if (on_change_) on_change_(change);
  return result;
}

}  // namespace localgov::dossier

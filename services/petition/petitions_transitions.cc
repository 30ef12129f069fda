// Petitions: transitions (ClassifyPetition ... PublishDecision). One action (lifecycle.h) on one
// petition, in one transaction with its event, audit record and, for a forward or the answer
// to a forwarded-in petition, the signed envelope through the outbox (petitions_exchange.cc).
#include "absl/strings/str_cat.h"
#include "common/agency_code.h"
#include "common/audit.h"
#include "common/db/transaction.h"
#include "common/idempotency.h"
#include "services/petition/clocks.h"
#include "services/petition/petitions.h"

namespace localgov::petition {
namespace {

// What only the use case can check about an action's input (the policy checked the rest).
absl::Status ValidateInput(const TransitionInput& in) {
  Validator v;
  switch (in.action) {
    case Action::kClassify:
      v.Check(in.decision != v1::CLASSIFICATION_DECISION_UNSPECIFIED, "decision", "required");
      v.Check(!in.text.empty(), "reason", "required: told to the citizen");
      if (in.decision == v1::CLASSIFICATION_DECISION_FORWARD ||
          in.decision == v1::CLASSIFICATION_DECISION_GUIDE) {
        v.Check(IsValidAgencyCode(in.competent_agency), "competent_agency_code",
                "required for a forward or a guide: a national agency code");
      }
      if (in.decision == v1::CLASSIFICATION_DECISION_NOT_PROCESS) {
        v.Check(in.not_processed_reason != v1::NOT_PROCESSED_REASON_UNSPECIFIED,
                "not_processed_reason", "required to not process");
      }
      break;
    case Action::kAssign:
      v.Check(!in.officer.empty(), "officer", "required");
      break;
    case Action::kVerify:
      v.Check(!in.text.empty(), "note", "required");
      break;
    case Action::kDialogue:
      v.Check(!in.participants.empty(), "participants", "required");
      v.Check(!in.text.empty(), "minutes", "required");
      v.Check(in.held <= in.now + absl::Minutes(5), "held_time", "must not be in the future");
      break;
    case Action::kExtend:
      v.Check(in.days > 0, "days", "required: the days added");
      v.Check(!in.text.empty(), "reason", "required");
      break;
    case Action::kSuspend:
      v.Check(!in.text.empty(), "reason", "required");
      v.Check(!in.awaiting.empty(), "awaiting", "required: the related matter awaited");
      break;
    case Action::kClose:
      v.Check(in.close_reason != v1::CLOSE_REASON_UNSPECIFIED, "reason", "required");
      v.Check(!in.text.empty(), "note", "required");
      break;
    case Action::kDecide:
      v.Check(in.outcome != v1::OUTCOME_UNSPECIFIED, "outcome", "required");
      v.Check(!in.text.empty(), "summary", "required");
      break;
    case Action::kPublish:
      v.Check(!in.text.empty(), "publication", "required");
      break;
    default:
      break;
  }
  return v.status();
}

bool LeaderOnly(Action a) {
  return a == Action::kAssign || a == Action::kExtend || a == Action::kSuspend ||
         a == Action::kResume || a == Action::kDecide;
}

}  // namespace

absl::StatusOr<v1::Petition> Petitions::Transition(const CallContext& call, const std::string& code,
                                                   int64_t expected_version, TransitionInput in,
                                                   const std::string& request_id,
                                                   const std::string& request_digest) {
  Validator v;
  ValidateOptionalRequestId(v, "request_id", request_id);
  v.Check(!code.empty(), "code", "required");
  v.Check(expected_version > 0, "expected_version", "required: the version last read");
  if (!v.ok()) return v.status();
  in.now = clock_.Now();
  in.actor = call.access.subject;
  if (in.held == absl::InfinitePast()) in.held = in.now;
  if (auto st = ValidateInput(in); !st.ok()) return st;
  auto cal = Calendar();
  if (cal == nullptr) return absl::UnavailableError("no working-day calendar yet");
  const IdempotencyKey key{call.access.subject, call.method, request_id, request_digest};
  v1::Petition result;
  int64_t change = 0;
  bool replayed = false;
  auto st = RunInTransaction(db_, "transition_petition", [&](pqxx::work& tx) -> absl::Status {
    auto found = PetitionStore::Find(tx, code, true);
    const auto not_found = absl::NotFoundError(absl::StrCat("petition ", code, " not found"));
    if (!found.has_value()) return not_found;
    const auto& a = call.access;
    const v1::Petition& before = found->petition;
    const bool own_citizen =
        a.role == Role::kCitizen && !found->citizen_id.empty() && a.subject == found->citizen_id;
    if (a.role == Role::kCitizen && !own_citizen) return not_found;
    const bool staff_here = IsStaff(a.role) && SameAgency(a.agency, before.agency_code());
    bool allowed = a.role == Role::kSystem ||
                   (staff_here && (!LeaderOnly(in.action) || a.role == Role::kLeader)) ||
                   (own_citizen && in.action == Action::kClose &&
                    in.close_reason == v1::CLOSE_REASON_WITHDRAWN);
    if (!allowed) {
      return absl::PermissionDeniedError(
          LeaderOnly(in.action) && staff_here
              ? "only a leader of the handling agency may decide this"
              : "only the handling agency's staff may do this");
    }
    // A retry of a transition that committed (its answer lost): the answer it had.
    auto stored = ClaimOptionalIdempotencyKey(tx, key);
    if (!stored.ok()) return stored.status();
    if (stored->has_value()) {
      if (!result.ParseFromString(**stored)) return absl::InternalError("stored answer unreadable");
      replayed = true;
      return absl::OkStatus();
    }
    if (before.version() != expected_version) {
      return absl::AbortedError(absl::StrCat("petition ", code, " is at version ", before.version(),
                                             ", not ", expected_version, "; read it again"));
    }
    absl::CivilDay receipt;
    calendar::ParseDate(before.receipt_date(), &receipt);
    const PetitionRules& rules = rules_.InForceOn(receipt);
    if (in.action == Action::kClassify) {
      if (in.decision == v1::CLASSIFICATION_DECISION_FORWARD ||
          in.decision == v1::CLASSIFICATION_DECISION_GUIDE) {
        const Answering competent = Resolve(in.competent_agency);
        if (!competent.known) {
          return InvalidArgumentWithViolations(
              {{"competent_agency_code", "not an agency of the exchange directory"}});
        }
        if (SameAgency(competent.agency, before.agency_code())) {
          return InvalidArgumentWithViolations(
              {{"competent_agency_code", "the handling agency itself: accept it instead"}});
        }
        in.competent_agency = competent.agency;
      }
      // Content withdrawn before, under a law that makes a withdrawal final.
      if (in.decision == v1::CLASSIFICATION_DECISION_ACCEPT && !found->citizen_id.empty()) {
        const std::string matter = !before.act().decision_number().empty()
                                       ? before.act().decision_number()
                                       : before.act().dossier_code();
        if (!matter.empty()) {
          for (const auto& [other, at] : PetitionStore::SameMatter(
                   tx, found->citizen_id, matter, v1::PETITION_STATE_WITHDRAWN, code)) {
            if (rules_.InForceOn(calendar::VietnamDay(at)).withdrawal_final != 0) {
              in.withdrawn_before = other;
            }
          }
        }
      }
    }
    result = before;
    auto note = ApplyTransition(result, rules, *cal, in);
    if (!note.ok()) return note.status();
    if (result.state() == v1::PETITION_STATE_FORWARDED &&
        before.state() != v1::PETITION_STATE_FORWARDED) {
      if (auto sent = SendReferral(tx, result, in.now); !sent.ok()) return sent;
    }
    // A petition another agency forwarded to us: its answer goes back when handling ends.
    if (result.has_forwarded_from() && IsFinal(result.state()) && !IsFinal(before.state())) {
      if (auto sent = SendResult(tx, result, in.now); !sent.ok()) return sent;
    }
    if (auto updated = PetitionStore::Update(tx, result, expected_version, in.now); !updated.ok()) {
      return updated;
    }
    result.set_version(expected_version + 1);
    AddEvent(result, in.now, a, before.state(), *note);
    change = RecordChange(tx, result);
    StoreOptionalIdempotentResponse(tx, key, result.SerializeAsString());
    return AppendAudit(
        tx,
        {a.subject, std::string(RoleName(a.role)), a.agency,
         absl::StrCat("petition.", ActionName(in.action)), "petition", code, call.request_id,
         absl::StrCat(v1::PetitionState_Name(before.state()), "->",
                      v1::PetitionState_Name(result.state()), ":", *note)},
        in.now);
  });
  if (!st.ok()) return st;
  if (replayed) return result;
  if (on_change_) on_change_(change);
  return result;
}

}  // namespace localgov::petition

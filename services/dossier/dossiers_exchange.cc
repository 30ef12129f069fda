// Dossiers: the exchange with other agencies (through the liaison service). What this service
// sends — the signed handoff of a route step owned by another agency, and the cancellation of
// such a step when its dossier ends, both through the outbox — and what it takes
// (ReceiverService.Deliver): handoffs, step results, cancellations, official documents.
#include "services/dossier/dossiers.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/audit.h"
#include "common/db/transaction.h"
#include "common/envelope.h"
#include "common/outbox.h"
#include "nlohmann/json.hpp"
#include "services/dossier/catalogue_store.h"
#include "services/dossier/convert.h"
#include "services/dossier/dossier_store.h"
#include "services/dossier/dossiers_internal.h"
#include "services/dossier/route.h"

namespace localgov::dossier {

void Dossiers::SendThroughOutbox(pqxx::work& tx, liaison::v1::Envelope e,
                                 absl::Time acknowledge_by) {
  SignEnvelope(e, exchange_key_.key_id, exchange_key_.secret_key);
  liaison::v1::SendRequest send;
  *send.mutable_envelope() = std::move(e);
  if (acknowledge_by != absl::InfiniteFuture()) {
    *send.mutable_acknowledge_by() = ToProto(acknowledge_by);
  }
  EnqueueOutbox(tx, kLiaisonSendTopic, send.envelope().id(), send.SerializeAsString(),
                "application/x-protobuf; proto=localgov.liaison.v1.SendRequest");
}

absl::Status Dossiers::HandOff(pqxx::work& tx, v1::Dossier& d, const v1::Procedure& p,
                               const calendar::WorkingCalendar& cal, absl::Time now) {
  const absl::CivilDay today = calendar::VietnamDay(now);
  auto handed = HandOffNext(d, p, cal, today);
  if (!handed.ok()) return handed.status();
  if (handed->empty()) return absl::OkStatus();
  if (exchange_key_.secret_key.empty()) {
    return absl::FailedPreconditionError(
        "this procedure hands steps to other agencies, and this service has no exchange "
        "signing key (LOCALGOV_EXCHANGE_SIGNING_KEY_FILE)");
  }
  auto acknowledge_by = AcknowledgeBy(p, cal, now);
  if (!acknowledge_by.ok()) return acknowledge_by.status();
  for (auto& s : *d.mutable_steps()) {
    if (std::find(handed->begin(), handed->end(), s.index()) == handed->end()) continue;
    liaison::v1::Envelope e;
    e.set_id(s.envelope_id());
    e.set_type(liaison::v1::ENVELOPE_TYPE_STEP_HANDOFF);
    e.set_sender_agency_code(Resolve(d.receiving_agency_code()).agency);
    e.set_receiver_agency_code(s.agency_code());
    e.set_correlation_id(d.code());
    // What the other agency needs to do its step (data exchange between agencies, Decree
    // 47/2020); the payload is never logged (the message log keeps its SHA-256 only).
    nlohmann::json payload = {
        {"dossier_code", d.code()},
        {"procedure_code", p.code()},
        {"procedure_version", p.version()},
        {"step", s.name()},
        {"step_due_date", s.due_date()},
        {"applicant",
         {{"full_name", d.applicant().full_name()}, {"citizen_id", d.applicant().citizen_id()}}}};
    e.set_payload(payload.dump());
    e.set_content_type("application/json");
    *e.mutable_create_time() = ToProto(now);
    absl::CivilDay due;
    if (absl::ParseCivilTime(s.due_date(), &due)) {
      *e.mutable_due_time() = ToProto(calendar::WorkingCalendar::EndOf(due));
    }
    if (*acknowledge_by != absl::InfiniteFuture()) {
      *s.mutable_acknowledge_by() = ToProto(*acknowledge_by);
    }
    SendThroughOutbox(tx, std::move(e), *acknowledge_by);
  }
  return absl::OkStatus();
}

absl::Status Dossiers::SendCancellations(pqxx::work& tx, const v1::Dossier& before,
                                         v1::Dossier& after, const std::string& acting_agency,
                                         absl::Time now) {
  for (const auto& s : after.steps()) {
    if (s.state() != v1::STEP_STATE_CANCELLED || s.cancellation_envelope_id().empty()) continue;
    bool was_cancelled = false;
    for (const auto& b : before.steps()) {
      if (b.index() == s.index()) was_cancelled = b.state() == v1::STEP_STATE_CANCELLED;
    }
    if (was_cancelled) continue;
    if (exchange_key_.secret_key.empty()) {
      return absl::FailedPreconditionError(
          "this dossier's steps were handed to other agencies, and this service has no exchange "
          "signing key to tell them (LOCALGOV_EXCHANGE_SIGNING_KEY_FILE)");
    }
    liaison::v1::Envelope e;
    e.set_id(s.cancellation_envelope_id());
    e.set_type(liaison::v1::ENVELOPE_TYPE_STEP_CANCELLATION);
    e.set_sender_agency_code(Resolve(after.receiving_agency_code()).agency);
    e.set_receiver_agency_code(s.agency_code());
    e.set_correlation_id(after.code());
    e.set_in_reply_to(s.envelope_id());
    // What the other agency needs to stop: no applicant data (it has the handoff's).
    nlohmann::json payload = {
        {"dossier_code", after.code()},
        {"step_index", s.index()},
        {"step", s.name()},
        {"handoff_envelope_id", s.envelope_id()},
        {"reason", s.cancel_reason()},
        // The holder cancels, whoever asked (an applicant's token names no agency).
        {"cancelled_by",
         acting_agency.empty() ? Resolve(after.receiving_agency_code()).agency : acting_agency},
        {"cancel_time", absl::FormatTime(absl::RFC3339_sec, now, absl::UTCTimeZone())}};
    e.set_payload(payload.dump());
    e.set_content_type("application/json");
    *e.mutable_create_time() = ToProto(now);
    SendThroughOutbox(tx, std::move(e), absl::InfiniteFuture());
  }
  return absl::OkStatus();
}

absl::StatusOr<liaison::v1::DeliverResponse> Dossiers::TakeDelivery(
    const liaison::v1::DeliverRequest& request) {
  const auto& e = request.envelope();
  Validator v;
  v.Check(!e.id().empty() && e.id().size() <= 128, "envelope.id", "required");
  v.Check(!request.delivered_to_agency_code().empty(), "delivered_to_agency_code", "required");
  if (!v.ok()) return v.status();
  liaison::v1::DeliverResponse out;
  if (e.type() != liaison::v1::ENVELOPE_TYPE_STEP_HANDOFF &&
      e.type() != liaison::v1::ENVELOPE_TYPE_STEP_RESULT &&
      e.type() != liaison::v1::ENVELOPE_TYPE_STEP_CANCELLATION &&
      e.type() != liaison::v1::ENVELOPE_TYPE_OFFICIAL_DOCUMENT) {
    out.set_code(liaison::v1::ACK_CODE_REFUSED);
    out.set_reason(absl::StrCat("the dossier service does not take ",
                                liaison::v1::EnvelopeType_Name(e.type())));
    return out;
  }
  if (sender_check_) {
    auto checked = sender_check_(e, request.delivered_to_agency_code());
    if (absl::IsUnavailable(checked)) return checked;  // the exchange retries
    if (!checked.ok()) {
      out.set_code(liaison::v1::ACK_CODE_REFUSED);
      out.set_reason(std::string(checked.message()));
      return out;
    }
  }
  const absl::Time now = clock_.Now();
  if (e.type() != liaison::v1::ENVELOPE_TYPE_STEP_RESULT) {
    // Kept in the inbox, nothing else: one statement, committed on its own.
    auto kept = RunSingleStatement(db_, "take_delivery", [&](pqxx::transaction_base& tx) {
      DossierStore::InsertInbox(tx, e, request.delivered_to_agency_code(), now);
      return absl::OkStatus();
    });
    if (!kept.ok()) return kept;
    out.set_code(liaison::v1::ACK_CODE_REGISTERED);
    out.set_receiver_reference(e.correlation_id());
    return out;
  }
  auto cal = calendar_.Calendar();
  if (!cal.ok()) return cal.status();
  int64_t change = 0;
  int64_t new_version = 0;  // the dossier's version after a step result, for the look-up cache
  auto st = RunInTransaction(db_, "take_delivery", [&](pqxx::work& tx) -> absl::Status {
    change = 0;
    if (!DossierStore::InsertInbox(tx, e, request.delivered_to_agency_code(), now)) {
      return absl::OkStatus();  // delivered before: acknowledged again, applied once
    }
    auto found = DossierStore::Find(tx, e.correlation_id());
    if (!found.has_value()) return absl::OkStatus();  // kept; nothing of ours to update
    v1::Dossier d = *found;
    const absl::CivilDay today = calendar::VietnamDay(now);
    for (const auto& s : d.steps()) {
      if (s.own() || s.envelope_id() != e.in_reply_to() || s.state() != v1::STEP_STATE_CANCELLED) {
        continue;
      }
      // A result for a step cancelled with the dossier: recorded in its history and audited,
      // and nothing reopens.
      const int64_t version = found->version();
      const auto& ev = AddEvent(
          d, now, e.sender_agency_code(), RoleName(Role::kSystem), e.sender_agency_code(),
          d.state(),
          absl::StrCat("result of cancelled step ", s.name(), " from ", e.sender_agency_code(),
                       " arrived after the cancellation: recorded, not applied"));
      if (auto u = DossierStore::Update(tx, d, version, now); !u.ok()) return u;
      d.set_version(version + 1);
      new_version = d.version();
      change = DossierStore::AppendEvent(tx, d, ev, e.id());
      return AppendAudit(tx,
                         {e.sender_agency_code(), std::string(RoleName(Role::kSystem)),
                          e.sender_agency_code(), "dossier.LateStepResult", "dossier", d.code(),
                          e.id(), absl::StrCat("step ", s.index(), " cancelled; result ", e.id())},
                         now);
    }
    auto changed = CompleteStep(d, e.in_reply_to(), today, now);
    if (!changed.ok() || !*changed) return absl::OkStatus();
    auto procedure = CatalogueStore::Version(tx, d.procedure_code(), d.procedure_version());
    if (!procedure.has_value()) return absl::InternalError("the dossier's procedure is gone");
    if (auto h = HandOff(tx, d, *procedure, **cal, now); !h.ok()) return h;
    const int64_t version = found->version();
    if (auto u = DossierStore::Update(tx, d, version, now); !u.ok()) return u;
    DossierStore::InsertStepOutcomes(tx, d.code(), NewlyScored(*found, d));
    d.set_version(version + 1);
    new_version = d.version();
    std::string step_name;
    for (const auto& s : d.steps()) {
      if (s.envelope_id() == e.in_reply_to()) {
        step_name = absl::StrCat(s.name(), " (", v1::OutcomeClass_Name(s.outcome()), ")");
      }
    }
    const auto& ev = AddEvent(
        d, now, e.sender_agency_code(), RoleName(Role::kSystem), e.sender_agency_code(), d.state(),
        absl::StrCat("result of step ", step_name, " from ", e.sender_agency_code()));
    change = DossierStore::AppendEvent(tx, d, ev, e.id());
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  if (change > 0) {
    lookup_.Invalidate(e.correlation_id(), new_version);
    if (on_change_) on_change_(change);
  }
  out.set_code(liaison::v1::ACK_CODE_REGISTERED);
  out.set_receiver_reference(e.correlation_id());
  return out;
}

}  // namespace localgov::dossier

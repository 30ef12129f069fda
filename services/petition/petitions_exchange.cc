// Petitions: the exchange with other agencies through the liaison service. A petition outside
// jurisdiction is forwarded (chuyển đơn) as a signed PETITION_REFERRAL envelope, a
// denunciation's identity sealed to the receiving agency's key only; the answer comes back as
// a REFERRAL_RESULT naming the referral in in_reply_to. Both ways through the outbox, so a
// forward decided is never lost; deliveries are kept once per envelope id (inbox).
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/audit.h"
#include "common/crypto.h"
#include "common/db/transaction.h"
#include "common/input_policy.h"
#include "common/outbox.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "nlohmann/json.hpp"
#include "services/petition/clocks.h"
#include "services/petition/petitions.h"

namespace localgov::petition {
namespace {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

// What the competent agency needs of the petition: no history, no clocks, no officer, and
// never the denouncer in clear.
v1::Petition ReferralContent(const v1::Petition& p) {
  v1::Petition r;
  r.set_code(p.code());
  r.set_kind(p.kind());
  r.set_field(p.field());
  r.set_title(p.title());
  r.set_content(p.content());
  *r.mutable_act() = p.act();
  r.set_learned_date(p.learned_date());
  if (p.kind() != v1::PETITION_KIND_DENUNCIATION) *r.mutable_petitioner() = p.petitioner();
  *r.mutable_parties() = p.parties();
  *r.mutable_attachments() = p.attachments();
  r.set_anonymous(p.anonymous());
  r.set_remote_area(p.remote_area());
  r.set_several_places(p.several_places());
  r.set_complaint_round(p.complaint_round());
  r.set_first_decision_date(p.first_decision_date());
  *r.mutable_received_time() = p.received_time();
  return r;
}

}  // namespace

void Petitions::SendThroughOutbox(pqxx::work& tx, liaison::v1::Envelope e) {
  SignEnvelope(e, exchange_key_.key_id, exchange_key_.secret_key);
  liaison::v1::SendRequest send;
  *send.mutable_envelope() = std::move(e);
  EnqueueOutbox(tx, kLiaisonSendTopic, send.envelope().id(), send.SerializeAsString(),
                "application/x-protobuf; proto=localgov.liaison.v1.SendRequest");
}

absl::Status Petitions::SendReferral(pqxx::work& tx, v1::Petition& p, absl::Time now) {
  if (exchange_key_.secret_key.empty()) {
    return absl::FailedPreconditionError(
        "this service has no exchange signing key (LOCALGOV_EXCHANGE_SIGNING_KEY_FILE) to "
        "forward petitions with");
  }
  const std::string& to = p.forward().to_agency_code();
  nlohmann::json payload;
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(ReferralContent(p), &json, options).ok()) {
    return absl::InternalError("the referral could not be written");
  }
  payload["petition"] = nlohmann::json::parse(json);
  payload["reason"] = p.classification().reason();
  if (p.identity_sealed()) {
    // Opened from our seal and sealed again to the receiver's key, in memory only.
    auto sealed = PetitionStore::FindIdentity(tx, p.code());
    if (!sealed.has_value()) return absl::InternalError("a sealed identity is missing");
    auto identity = vault_.Open(*sealed, p.code());
    if (!identity.ok()) return identity.status();
    if (!agency_key_) {
      return absl::FailedPreconditionError(
          "no exchange directory (LOCALGOV_DIRECTORY_TRUST_KEY): a denouncer's identity is "
          "forwarded sealed to the receiving agency's key, and that key is not known");
    }
    auto key = agency_key_(to);
    if (!key.ok()) return key.status();
    auto box = SealToAgency(*identity, *key);
    if (!box.ok()) return box.status();
    payload["sealed_identity"] = absl::Base64Escape(*box);
  }
  liaison::v1::Envelope e;
  e.set_id(absl::StrCat(p.code(), ":referral"));
  e.set_type(liaison::v1::ENVELOPE_TYPE_PETITION_REFERRAL);
  e.set_sender_agency_code(p.agency_code());
  e.set_receiver_agency_code(to);
  e.set_correlation_id(p.code());
  e.set_payload(payload.dump());
  e.set_content_type("application/json");
  *e.mutable_create_time() = ToProto(now);
  p.mutable_forward()->set_envelope_id(e.id());
  SendThroughOutbox(tx, std::move(e));
  return absl::OkStatus();
}

absl::Status Petitions::SendResult(pqxx::work& tx, const v1::Petition& p, absl::Time now) {
  if (exchange_key_.secret_key.empty()) {
    return absl::FailedPreconditionError(
        "this service has no exchange signing key (LOCALGOV_EXCHANGE_SIGNING_KEY_FILE) to answer "
        "a forwarded petition with");
  }
  nlohmann::json payload = {{"petition_code", p.code()},
                            {"state", v1::PetitionState_Name(p.state())},
                            {"outcome", v1::Outcome_Name(p.resolution().outcome())},
                            {"answer", AnswerOf(p).text}};
  liaison::v1::Envelope e;
  e.set_id(absl::StrCat(p.code(), ":result"));
  e.set_type(liaison::v1::ENVELOPE_TYPE_REFERRAL_RESULT);
  e.set_sender_agency_code(p.agency_code());
  e.set_receiver_agency_code(p.forwarded_from().agency_code());
  e.set_correlation_id(p.forwarded_from().petition_code());
  e.set_in_reply_to(p.forwarded_from().envelope_id());
  e.set_payload(payload.dump());
  e.set_content_type("application/json");
  *e.mutable_create_time() = ToProto(now);
  SendThroughOutbox(tx, std::move(e));
  return absl::OkStatus();
}

absl::StatusOr<liaison::v1::DeliverResponse> Petitions::TakeDelivery(
    const liaison::v1::DeliverRequest& request) {
  const auto& e = request.envelope();
  Validator v;
  v.Check(!e.id().empty(), "envelope.id", "required");
  v.Check(!request.delivered_to_agency_code().empty(), "delivered_to_agency_code", "required");
  if (!v.ok()) return v.status();
  liaison::v1::DeliverResponse out;
  auto refuse = [&out](std::string why) {
    out.set_code(liaison::v1::ACK_CODE_REFUSED);
    out.set_reason(std::move(why));
    return out;
  };
  if (e.type() != liaison::v1::ENVELOPE_TYPE_PETITION_REFERRAL &&
      e.type() != liaison::v1::ENVELOPE_TYPE_REFERRAL_RESULT) {
    return refuse(absl::StrCat("the petition service does not take ",
                               liaison::v1::EnvelopeType_Name(e.type())));
  }
  if (sender_check_) {
    auto checked = sender_check_(e, request.delivered_to_agency_code());
    if (absl::IsUnavailable(checked)) return checked;  // the exchange retries
    if (!checked.ok()) return refuse(std::string(checked.message()));
  }
  // Read the payload before the transaction: a payload that cannot be read is refused (and
  // remembered, so a redelivery gets the same answer).
  nlohmann::json payload = nlohmann::json::parse(e.payload(), nullptr, false);
  std::string problem;
  v1::Petition referred;
  v1::Person denouncer;
  if (payload.is_discarded() || !payload.is_object()) {
    problem = "the payload is not a JSON object";
  } else if (e.type() == liaison::v1::ENVELOPE_TYPE_PETITION_REFERRAL) {
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    if (!payload.contains("petition") ||
        !google::protobuf::util::JsonStringToMessage(payload["petition"].dump(), &referred, options)
             .ok() ||
        referred.kind() == v1::PETITION_KIND_UNSPECIFIED || referred.title().empty() ||
        referred.content().empty()) {
      problem = "the payload names no petition (kind, title and content)";
    } else if (referred = ReferralContent(referred); !CheckInputPolicy(referred, true).ok()) {
      // Only what a referral carries is taken (no history, clocks or handling of the sender),
      // and under the input policy of a petition received here: text without NUL or control
      // characters, declared enum values, timestamps in range.
      problem = "the referred petition breaks the input policy";
    } else if (payload.contains("sealed_identity")) {
      std::string box;
      if (!payload["sealed_identity"].is_string() ||
          !absl::Base64Unescape(payload["sealed_identity"].get<std::string>(), &box)) {
        problem = "sealed_identity is not base64";
      } else {
        auto opened = OpenAsAgency(box, exchange_key_.secret_key);
        if (!opened.ok() || !denouncer.ParseFromString(*opened)) {
          problem = "the sealed identity is not sealed to this agency's exchange key";
        } else if (!CheckInputPolicy(denouncer, true).ok()) {
          problem = "the sealed identity breaks the input policy";
        }
      }
    }
  } else if (!payload.contains("answer") || !payload["answer"].is_string()) {
    problem = "the payload has no answer";
  } else if (!TextViolation(payload["answer"].get<std::string>(), TextRuleFor("summary"), nullptr)
                  .empty()) {
    problem = "the answer breaks the input policy";
  }
  std::string reason;  // a referral's reason, recorded in its first event
  if (problem.empty() && payload.contains("reason") && payload["reason"].is_string()) {
    reason = payload["reason"].get<std::string>();
    if (!TextViolation(reason, TextRuleFor("reason"), nullptr).empty()) {
      problem = "the referral's reason breaks the input policy";
    }
  }

  const absl::Time now = clock_.Now();
  int64_t change = 0;
  auto st = RunInTransaction(db_, "take_petition_delivery", [&](pqxx::work& tx) -> absl::Status {
    change = 0;
    if (auto kept = PetitionStore::FindInbox(tx, e.id()); kept.has_value()) {
      out.set_code(static_cast<liaison::v1::AckCode>(kept->ack_code));
      out.set_reason(kept->reason);
      out.set_receiver_reference(kept->reference);
      return absl::OkStatus();  // delivered before: the same answer, applied once
    }
    PetitionStore::InboxEntry ack;
    CallContext call;
    call.access.subject = e.sender_agency_code();
    call.access.role = Role::kSystem;
    call.access.agency = e.sender_agency_code();
    call.method = "Deliver";
    call.request_id = e.id();
    if (!problem.empty()) {
      ack = {liaison::v1::ACK_CODE_REFUSED, problem, ""};
    } else if (e.type() == liaison::v1::ENVELOPE_TYPE_PETITION_REFERRAL) {
      const Answering here = Resolve(request.delivered_to_agency_code());
      v1::Petition p = referred;
      p.clear_code();
      p.set_channel(v1::PETITION_CHANNEL_FORWARDED);
      p.set_agency_code(here.agency);
      *p.mutable_received_time() = ToProto(now);
      p.set_receipt_date(absl::FormatCivilTime(calendar::VietnamDay(now)));
      p.clear_identity_sealed();
      auto* from = p.mutable_forwarded_from();
      from->set_agency_code(e.sender_agency_code());
      from->set_petition_code(referred.code());
      from->set_envelope_id(e.id());
      const v1::Person petitioner =
          referred.kind() == v1::PETITION_KIND_DENUNCIATION ? denouncer : referred.petitioner();
      if (referred.kind() == v1::PETITION_KIND_DENUNCIATION && !denouncer.full_name().empty() &&
          !vault_.configured()) {
        return absl::FailedPreconditionError(
            "no identity sealing key (LOCALGOV_IDENTITY_KEYS_FILE) to keep a forwarded "
            "denouncer's identity with");  // retried by the exchange once configured
      }
      std::string note = absl::StrCat("received, forwarded by ", e.sender_agency_code(), " (",
                                      referred.code(), ")");
      if (!reason.empty()) absl::StrAppend(&note, ": ", reason);
      auto created =
          Create(tx, call, p, petitioner, RandomId(), e.id(), note, Sha256Hex(EnvelopeDigest(e)));
      if (!created.ok()) return created.status();
      change = *created;
      ack = {liaison::v1::ACK_CODE_REGISTERED, "", p.code()};
    } else {
      auto code = PetitionStore::ByForwardEnvelope(tx, e.in_reply_to());
      if (!code.has_value()) {
        ack = {liaison::v1::ACK_CODE_REFUSED,
               absl::StrCat("no petition was forwarded in envelope ", e.in_reply_to()), ""};
      } else {
        auto found = PetitionStore::Find(tx, *code, true);
        if (!found.has_value()) return absl::InternalError("a forwarded petition is gone");
        v1::Petition p = found->petition;
        const std::string& to = p.forward().to_agency_code();
        absl::CivilDay receipt;
        calendar::ParseDate(p.receipt_date(), &receipt);
        auto cal = Calendar();
        if (cal == nullptr) return absl::UnavailableError("no working-day calendar yet");
        TransitionInput in;
        in.action = Action::kAnswerArrived;
        in.now = now;
        in.actor = e.sender_agency_code();
        in.text = payload["answer"].get<std::string>();
        in.from_agency = e.sender_agency_code();
        // Only the agency it was forwarded to answers it (or that agency's successor).
        auto note = SameAgency(e.sender_agency_code(), to)
                        ? ApplyTransition(p, rules_.InForceOn(receipt), *cal, in)
                        : absl::StatusOr<std::string>(absl::PermissionDeniedError(
                              absl::StrCat("petition ", *code, " was forwarded to ", to,
                                           ", not to ", e.sender_agency_code())));
        if (absl::IsPermissionDenied(note.status())) {
          ack = {liaison::v1::ACK_CODE_REFUSED, std::string(note.status().message()), ""};
        } else if (!note.ok()) {
          // Not waiting for an answer any more (closed meanwhile): kept, recorded, not applied.
          ack = {liaison::v1::ACK_CODE_ARRIVED, std::string(note.status().message()), *code};
        } else {
          const int64_t version = found->petition.version();
          if (auto u = PetitionStore::Update(tx, p, version, now); !u.ok()) return u;
          p.set_version(version + 1);
          AddEvent(p, now, call.access, found->petition.state(), *note);
          change = RecordChange(tx, p);
          if (auto a = AppendAudit(tx,
                                   {call.access.subject, "system", call.access.agency,
                                    "petition.ReferralResult", "petition", *code, e.id(), *note},
                                   now);
              !a.ok()) {
            return a;
          }
          ack = {liaison::v1::ACK_CODE_COMPLETED, "", *code};
        }
      }
    }
    PetitionStore::InsertInbox(tx, e.id(), e.type(), e.sender_agency_code(),
                               request.delivered_to_agency_code(), ack, now);
    out.set_code(static_cast<liaison::v1::AckCode>(ack.ack_code));
    out.set_reason(ack.reason);
    out.set_receiver_reference(ack.reference);
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  if (change > 0 && on_change_) on_change_(change);
  return out;
}

}  // namespace localgov::petition

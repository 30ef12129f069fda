#include "services/liaison/exchange.h"

#include <limits>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/agency_code.h"
#include "common/calendar/calendar.h"
#include "common/crypto.h"
#include "common/db/transaction.h"
#include "common/idempotency.h"
#include "common/input_policy.h"
#include "common/logging.h"
#include "common/page_token.h"
#include "common/status.h"
#include "google/protobuf/util/time_util.h"
#include "services/liaison/directory.h"
#include "services/liaison/directory_store.h"

namespace localgov::liaison {
namespace {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp Ts(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

bool MaySee(const AccessContext& a, const StoredEnvelope& e) {
  switch (a.role) {
    case Role::kAdmin:
    case Role::kAuditor:
    case Role::kInspector:
    case Role::kSystem:
      return true;
    case Role::kOfficer:
    case Role::kLeader:
      return a.agency == e.envelope.sender_agency_code() || a.agency == e.delivered_to;
    default:
      return false;
  }
}

}  // namespace

v1::EnvelopeRecord ToRecord(const StoredEnvelope& e, absl::Time now) {
  v1::EnvelopeRecord r;
  *r.mutable_envelope() = e.envelope;
  r.set_delivered_to_agency_code(e.delivered_to);
  for (const auto& c : e.redirect_chain) r.add_redirect_chain(c);
  r.set_state(static_cast<v1::DeliveryState>(e.state));
  r.set_ack_code(static_cast<v1::AckCode>(e.ack_code));
  r.set_ack_reason(e.ack_reason);
  r.set_receiver_reference(e.receiver_ref);
  *r.mutable_accept_time() = Ts(e.accepted_at);
  if (e.ack_at != absl::InfinitePast()) *r.mutable_ack_time() = Ts(e.ack_at);
  r.set_log_sequence(e.log_sequence);
  if (e.acknowledge_by != absl::InfiniteFuture()) {
    *r.mutable_acknowledge_by() = Ts(e.acknowledge_by);
    const bool answered = e.ack_at != absl::InfinitePast();
    r.set_acknowledged_late(answered ? e.ack_at > e.acknowledge_by : now > e.acknowledge_by);
  }
  return r;
}

Exchange::Exchange(PgPool& db, const Clock& clock, Directory& directory, SigningKey log_key)
    : db_(db), clock_(clock), directory_(directory), log_key_(std::move(log_key)) {
  if (log_key_.public_key.empty()) return;
  auto st = RunInTransaction(db_, "record_log_key", [&](pqxx::work& tx) -> absl::Status {
    ExchangeStore::RecordLogKey(tx, log_key_.key_id, log_key_.public_key, clock_.Now());
    return absl::OkStatus();
  });
  log_key_recorded_ = st.ok();
}

absl::StatusOr<Exchange::Accepted> Exchange::Send(const CallContext& call, const v1::Envelope& env,
                                                  absl::Time acknowledge_by) {
  Validator v;
  ValidateRequestId(v, "envelope.id", env.id());
  v.Check(env.type() != v1::ENVELOPE_TYPE_UNSPECIFIED && v1::EnvelopeType_IsValid(env.type()),
          "envelope.type", "required: an EnvelopeType");
  v.Check(IsValidAgencyCode(env.sender_agency_code()), "envelope.sender_agency_code",
          "must be a national agency code");
  v.Check(IsValidAgencyCode(env.receiver_agency_code()), "envelope.receiver_agency_code",
          "must be a national agency code");
  v.Check(!env.correlation_id().empty() && env.correlation_id().size() <= 128,
          "envelope.correlation_id", "required, at most 128 characters");
  v.Check(env.in_reply_to().size() <= 128, "envelope.in_reply_to", "at most 128 characters");
  const bool result_type = env.type() == v1::ENVELOPE_TYPE_STEP_RESULT ||
                           env.type() == v1::ENVELOPE_TYPE_REFERRAL_RESULT;
  const bool cancellation = env.type() == v1::ENVELOPE_TYPE_STEP_CANCELLATION;
  v.Check(!result_type || !env.in_reply_to().empty(), "envelope.in_reply_to",
          "required for a result: the envelope it answers");
  v.Check(!cancellation || !env.in_reply_to().empty(), "envelope.in_reply_to",
          "required for a cancellation: the handoff it cancels");
  v.Check(env.payload().size() <= kMaxPayloadBytes, "envelope.payload", "at most 1 MiB");
  v.Check(!env.content_type().empty() && env.content_type().size() <= 100, "envelope.content_type",
          "required, e.g. application/json");
  v.Check(env.payload_sha256() == Sha256Hex(env.payload()), "envelope.payload_sha256",
          "must be the lower-case hex SHA-256 of payload");
  v.Check(env.has_create_time(), "envelope.create_time", "required");
  v.Check(acknowledge_by == absl::InfiniteFuture() ||
              acknowledge_by >
                  absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(env.create_time())),
          "acknowledge_by", "must be after envelope.create_time");
  v.Check(!env.signing_key_id().empty(), "envelope.signing_key_id", "required");
  v.Check(env.signature().size() == 64, "envelope.signature", "required: 64-byte Ed25519");
  if (!v.ok()) return v.status();
  const auto& a = call.access;
  // The signature authenticates the sender; a caller that also presents a token must be the
  // sending agency's staff or a system.
  if (a.role != Role::kSystem && !(IsStaff(a.role) && a.agency == env.sender_agency_code())) {
    return absl::PermissionDeniedError("only the sending agency's staff or a system may send");
  }
  const std::string digest = Sha256Hex(env.SerializeAsString());
  const absl::Time now = clock_.Now();
  auto stored = [&](const std::string& receiver, const std::vector<std::string>& chain) {
    StoredEnvelope s;
    s.envelope = env;
    s.digest = digest;
    s.delivered_to = receiver;
    if (chain.size() > 1) s.redirect_chain = chain;
    s.state = v1::DELIVERY_STATE_PENDING;
    s.accepted_at = now;
    s.acknowledge_by = acknowledge_by;
    return s;
  };
  auto retry_of = [&](const StoredEnvelope& existing) -> absl::StatusOr<Accepted> {
    if (existing.digest != digest) {
      return absl::AlreadyExistsError(
          absl::StrCat("envelope id ", env.id(), " was used for another envelope"));
    }
    return Accepted{env.id(), existing.delivered_to, existing.state, existing.log_sequence};
  };

  if (env.in_reply_to().empty()) {
    // The common case in one statement, committed on its own: checked against the directory
    // in memory, inserted only if the directory is still at that version (else the view is
    // rebuilt and the envelope checked again) and the id is new (else it is a retry).
    for (int attempt = 0; attempt < 3; ++attempt) {
      auto dir = directory_.View(0);
      if (!dir.ok()) return dir.status();
      auto routed = Route(**dir, env, calendar::VietnamDay(clock_.Now()));
      bool inserted = false;
      if (routed.ok()) {
        const auto s = stored(routed->receiver, routed->chain);
        auto st = RunSingleStatement(db_, "send_envelope", [&](pqxx::transaction_base& tx) {
          inserted = ExchangeStore::InsertEnvelopeAt(tx, s, now, (*dir)->version());
          return absl::OkStatus();
        });
        if (!st.ok()) return st;
        if (inserted) {
          writer_.Wake();
          return Accepted{env.id(), routed->receiver, v1::DELIVERY_STATE_PENDING, 0};
        }
      }
      // Refused by this view, or not inserted: a retry of this id, or a newer directory.
      ExchangeStore::SendContext ctx;
      auto st = RunSingleStatement(db_, "send_envelope_check", [&](pqxx::transaction_base& tx) {
        ctx = ExchangeStore::ForSend(tx, env.id(), "");
        return absl::OkStatus();
      });
      if (!st.ok()) return st;
      if (ctx.existing.has_value()) return retry_of(*ctx.existing);
      if (ctx.directory_version == (*dir)->version() && !routed.ok()) return routed.status();
      if (auto fresh = directory_.View(ctx.directory_version); !fresh.ok()) return fresh.status();
    }
    return absl::AbortedError("the directory kept changing; send again");
  }

  // A result or a cancellation. The common case in one statement, committed on its own:
  // routed against the directory in memory, and inserted only if the directory is still at
  // that version, the id is new, and the envelope it answers exists with a sender and receiver
  // that are the same parties as this one's (each code given with every code merged into the
  // agency that answers for it today). Anything else — a retry, a refusal, a newer directory —
  // goes the checked way below, which says why.
  if (auto dir = directory_.View(0); dir.ok()) {
    const absl::CivilDay today = calendar::VietnamDay(clock_.Now());
    auto routed = Route(**dir, env, today);
    if (routed.ok()) {
      auto parties = [&](const std::string& code) {
        const auto* resolved = (*dir)->ResolveAgency(code, today);
        std::vector<std::string> out = resolved == nullptr
                                           ? std::vector<std::string>{}
                                           : (*dir)->AnsweredBy(resolved->code(), today);
        out.push_back(code);
        return out;
      };
      ExchangeStore::Answered answered;
      answered.id = env.in_reply_to();
      if (cancellation) {
        answered.type = v1::ENVELOPE_TYPE_STEP_HANDOFF;
        answered.senders = parties(env.sender_agency_code());
        answered.receivers = parties(routed->receiver);
      } else {
        answered.senders = parties(routed->receiver);
        answered.receivers = parties(env.sender_agency_code());
      }
      bool inserted = false;
      const auto s = stored(routed->receiver, routed->chain);
      auto st = RunSingleStatement(db_, "send_reply", [&](pqxx::transaction_base& tx) {
        inserted = ExchangeStore::InsertReplyAt(tx, s, now, (*dir)->version(), answered);
        return absl::OkStatus();
      });
      if (!st.ok()) return st;
      if (inserted) {
        writer_.Wake();
        return Accepted{env.id(), routed->receiver, v1::DELIVERY_STATE_PENDING, 0};
      }
    }
  }

  // The envelope it answers is checked in the same transaction.
  Accepted out;
  auto st = RunInTransaction(db_, "send_envelope", [&](pqxx::work& tx) -> absl::Status {
    auto ctx = ExchangeStore::ForSend(tx, env.id(), env.in_reply_to());
    if (ctx.existing.has_value()) {
      auto r = retry_of(*ctx.existing);
      if (!r.ok()) return r.status();
      out = *r;
      return absl::OkStatus();
    }
    auto dir = directory_.View(ctx.directory_version);
    if (!dir.ok()) return dir.status();
    auto routed = Route(**dir, env, calendar::VietnamDay(clock_.Now()));
    if (!routed.ok()) return routed.status();
    const auto& original = ctx.original;
    // Agencies may have merged since the original went (DOMAIN.md §0): two codes are the same
    // party when they answer for the same agency today.
    const absl::CivilDay today = calendar::VietnamDay(clock_.Now());
    auto same = [&](const std::string& a, const std::string& b) {
      if (a == b) return true;
      const auto* ra = (*dir)->ResolveAgency(a, today);
      const auto* rb = (*dir)->ResolveAgency(b, today);
      return ra != nullptr && rb != nullptr && ra->code() == rb->code();
    };
    if (cancellation) {
      // A handoff this sender sent, to the agency it was delivered to.
      if (!original.has_value() || original->envelope.type() != v1::ENVELOPE_TYPE_STEP_HANDOFF ||
          !same(original->envelope.sender_agency_code(), env.sender_agency_code()) ||
          !same(original->delivered_to, routed->receiver)) {
        return absl::FailedPreconditionError(
            absl::StrCat("in_reply_to ", QuotePrefix(env.in_reply_to(), 64),
                         " is not a handoff this sender sent to this receiver"));
      }
    } else if (!original.has_value() || !same(original->delivered_to, env.sender_agency_code()) ||
               !same(original->envelope.sender_agency_code(), routed->receiver)) {
      return absl::FailedPreconditionError(
          absl::StrCat("in_reply_to ", QuotePrefix(env.in_reply_to(), 64),
                       " is not an envelope this sender received from this receiver"));
    }
    ExchangeStore::InsertEnvelope(tx, stored(routed->receiver, routed->chain), now);
    out = {env.id(), routed->receiver, v1::DELIVERY_STATE_PENDING, 0};
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  if (out.log_sequence == 0) writer_.Wake();
  return out;
}

absl::StatusOr<Exchange::Routed> Exchange::Route(const DirectoryView& d, const v1::Envelope& env,
                                                 absl::CivilDay day) {
  if (d.FindAgency(env.sender_agency_code()) == nullptr) {
    return absl::NotFoundError(absl::StrCat("sender ", env.sender_agency_code(), " not found"));
  }
  const absl::Time created =
      absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(env.create_time()));
  const auto* key = d.KeyValidAt(env.sender_agency_code(), env.signing_key_id(), created);
  if (key == nullptr) {
    return absl::UnauthenticatedError(absl::StrCat("key ", QuotePrefix(env.signing_key_id(), 64),
                                                   " is not a key of ", env.sender_agency_code(),
                                                   " valid at the envelope's create_time ",
                                                   absl::FormatTime(created)));
  }
  if (!VerifyEnvelope(env, key->public_key())) {
    return absl::UnauthenticatedError("the envelope's signature does not verify");
  }
  return RouteTo(d, env, env.receiver_agency_code(), day);
}

absl::StatusOr<Exchange::Routed> Exchange::RouteTo(const DirectoryView& d, const v1::Envelope& env,
                                                   const std::string& code, absl::CivilDay day) {
  Routed r;
  const auto* receiver = d.ResolveAgency(code, day, &r.chain);
  if (receiver == nullptr) {
    return d.FindAgency(code) == nullptr
               ? absl::NotFoundError(absl::StrCat("agency ", code, " not found"))
               : absl::FailedPreconditionError(absl::StrCat("the succession of ", code, " loops"));
  }
  if (receiver->status() == v1::AGENCY_STATUS_DISSOLVED) {
    return absl::FailedPreconditionError(absl::StrCat(receiver->code(), " is dissolved"));
  }
  if (receiver->receiver_endpoint().empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(receiver->code(), " has no receiver endpoint in the directory"));
  }
  // A cancellation travels on the handoff's right: who may hand a step off may call it off.
  const auto right = env.type() == v1::ENVELOPE_TYPE_STEP_CANCELLATION
                         ? v1::ENVELOPE_TYPE_STEP_HANDOFF
                         : env.type();
  if (!d.Allowed(env.sender_agency_code(), right, receiver->code())) {
    return absl::PermissionDeniedError(absl::StrCat(env.sender_agency_code(), " may not send ",
                                                    v1::EnvelopeType_Name(env.type()), " to ",
                                                    receiver->code(), " (no access right)"));
  }
  r.receiver = receiver->code();
  r.endpoint = receiver->receiver_endpoint();
  return r;
}

absl::StatusOr<std::vector<std::string>> Exchange::FollowMergers(
    int64_t directory_version, std::vector<StoredEnvelope>& batch) {
  std::vector<std::string> problems(batch.size());
  auto view = directory_.View(directory_version);
  if (!view.ok()) return view.status();
  const DirectoryView& d = **view;
  const absl::CivilDay today = calendar::VietnamDay(clock_.Now());
  std::vector<std::pair<size_t, Routed>> moves;
  for (size_t i = 0; i < batch.size(); ++i) {
    const StoredEnvelope& e = batch[i];
    const auto* answering = d.ResolveAgency(e.delivered_to, today, nullptr);
    if (answering == nullptr || answering->code() == e.delivered_to) continue;
    auto routed = RouteTo(d, e.envelope, e.delivered_to, today);
    if (!routed.ok()) {
      problems[i] = absl::StrCat(
          e.delivered_to, " has merged into ", answering->code(),
          " since the envelope was accepted, and it cannot go there: ", routed.status().message());
      continue;
    }
    // The whole way from the addressee: the chain Send followed, then this one.
    std::vector<std::string> chain =
        e.redirect_chain.empty() ? std::vector<std::string>{e.delivered_to} : e.redirect_chain;
    chain.insert(chain.end(), routed->chain.begin() + 1, routed->chain.end());
    routed->chain = std::move(chain);
    moves.emplace_back(i, std::move(*routed));
  }
  if (moves.empty()) return problems;
  auto st = RunInTransaction(db_, "follow_mergers", [&](pqxx::work& tx) -> absl::Status {
    std::vector<LogEntry> entries;
    for (const auto& [i, routed] : moves) {
      ExchangeStore::Redirect(tx, batch[i].envelope.id(), routed.receiver, routed.chain);
      LogEntry r;
      r.event = "redirected";
      r.envelope_id = batch[i].envelope.id();
      r.detail = absl::StrCat(absl::StrJoin(routed.chain, " > "), " (merged after acceptance)");
      entries.push_back(std::move(r));
    }
    LogAll(tx, std::move(entries));
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  for (auto& [i, routed] : moves) {
    spdlog::info("envelope {} redirected: {}", batch[i].envelope.id(),
                 absl::StrJoin(routed.chain, " > "));
    batch[i].delivered_to = routed.receiver;
    batch[i].redirect_chain = std::move(routed.chain);
    batch[i].endpoint = routed.endpoint;
  }
  return problems;
}

absl::StatusOr<v1::EnvelopeRecord> Exchange::Get(const CallContext& call, const std::string& id) {
  Validator v;
  ValidateRequestId(v, "id", id);
  if (!v.ok()) return v.status();
  std::optional<StoredEnvelope> e;
  std::vector<v1::DeliveryAttempt> attempts;
  auto st = RunInTransaction(
      db_, "get_envelope",
      [&](pqxx::work& tx) -> absl::Status {
        e = ExchangeStore::Find(tx, id);
        if (e.has_value()) attempts = ExchangeStore::Attempts(tx, id);
        return absl::OkStatus();
      },
      TxOptions{.read_only = true});
  if (!st.ok()) return st;
  if (!e.has_value() || !MaySee(call.access, *e)) {
    return absl::NotFoundError(absl::StrCat("envelope ", id, " not found"));
  }
  auto r = ToRecord(*e, clock_.Now());
  for (auto& a : attempts) *r.add_attempts() = std::move(a);
  return r;
}

absl::StatusOr<Exchange::Page> Exchange::List(const CallContext& call,
                                              const v1::ListEnvelopesRequest& r) {
  constexpr absl::string_view kPrefix = "env1:";
  Validator v;
  v.Check(r.page_size() >= 0 && r.page_size() <= 100, "page_size", "must be 0..100");
  EnvelopeFilter f;
  f.sender = r.sender_agency_code();
  f.receiver = r.receiver_agency_code();
  f.type = r.type();
  for (int i = 0; i < r.states_size(); ++i) {
    v.Check(r.states(i) != v1::DELIVERY_STATE_UNSPECIFIED, absl::StrCat("states[", i, "]"),
            "not a state");
    f.states.push_back(r.states(i));
  }
  if (r.has_accepted_after()) {
    f.after = absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(r.accepted_after()));
  }
  if (r.has_accepted_before()) {
    f.before = absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(r.accepted_before()));
  }
  if (!r.page_token().empty()) {
    int64_t us = 0;
    const auto body =
        DecodePageToken(r.page_token(), std::string_view(kPrefix.data(), kPrefix.size()));
    const bool ok = body.has_value() && body->find('|') != std::string::npos &&
                    absl::SimpleAtoi(body->substr(0, body->find('|')), &us);
    if (ok) {
      f.cursor_at = absl::FromUnixMicros(us);
      f.cursor_id = body->substr(body->find('|') + 1);
    } else {
      v.Add("page_token", "not a token this service issued");
    }
  }
  if (!v.ok()) return v.status();
  const auto& a = call.access;
  if (a.role == Role::kCitizen) return absl::PermissionDeniedError("not for citizens");
  if (IsStaff(a.role)) {
    // Officers see their own agency's envelopes only.
    if (f.sender.empty() && f.receiver.empty()) f.sender = a.agency;
    if (f.sender != a.agency && f.receiver != a.agency) {
      return absl::PermissionDeniedError("officers list their own agency's envelopes only");
    }
  }
  const int size = r.page_size() == 0 ? 20 : r.page_size();
  f.limit = size + 1;
  Page page;
  auto listed =
      ReadOnly(db_, "list_envelopes", [&](auto& tx) { return ExchangeStore::List(tx, f); });
  if (!listed.ok()) return listed.status();
  std::vector<StoredEnvelope> rows = std::move(*listed);
  if (static_cast<int>(rows.size()) > size) {
    rows.resize(size);
    page.next_page_token = absl::WebSafeBase64Escape(absl::StrCat(
        kPrefix, absl::ToUnixMicros(rows.back().accepted_at), "|", rows.back().envelope.id()));
  }
  for (auto& e : rows) {
    e.envelope.clear_payload();
    page.records.push_back(ToRecord(e, clock_.Now()));
  }
  return page;
}

absl::StatusOr<v1::EnvelopeRecord> Exchange::Requeue(const CallContext& call,
                                                     const std::string& id) {
  Validator v;
  ValidateRequestId(v, "id", id);
  if (!v.ok()) return v.status();
  v1::EnvelopeRecord out;
  auto st = RunInTransaction(db_, "requeue_envelope", [&](pqxx::work& tx) -> absl::Status {
    auto e = ExchangeStore::Find(tx, id);
    if (!e.has_value()) return absl::NotFoundError(absl::StrCat("envelope ", id, " not found"));
    if (e->state != v1::DELIVERY_STATE_DEAD_LETTER) {
      return absl::FailedPreconditionError("only a dead-lettered envelope can be requeued");
    }
    ExchangeStore::Requeue(tx, id, clock_.Now());
    Log(tx, "requeued", id, absl::StrCat("by ", call.access.subject));
    out = ToRecord(*ExchangeStore::Find(tx, id), clock_.Now());
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace localgov::liaison

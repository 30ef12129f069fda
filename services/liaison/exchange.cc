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
#include "common/set_aside.h"
#include "common/status.h"
#include "common/text.h"
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

int64_t Exchange::Log(pqxx::work& tx, const std::string& event, const std::string& envelope_id,
                      const std::string& detail) {
  LogEntry e;
  e.event = event;
  e.envelope_id = envelope_id;
  e.detail = detail;
  return LogAll(tx, {std::move(e)});
}

int64_t Exchange::LogAll(pqxx::work& tx, std::vector<LogEntry> entries) {
  if (entries.empty()) return 0;
  if (!log_key_recorded_.load()) {
    ExchangeStore::RecordLogKey(tx, log_key_.key_id, log_key_.public_key, clock_.Now());
  }
  return ExchangeStore::AppendLogs(tx, std::move(entries), clock_.Now(), log_key_.key_id,
                                   log_key_.secret_key);
}

void Exchange::StartLogWriter(absl::Duration lease, Written on_written) {
  writer_.Start([this, lease, on_written = std::move(on_written)] {
    auto batch = WriteLog(lease);
    if (!batch.ok()) {
      spdlog::warn("message log writer: {}", batch.status().message());
      return absl::Seconds(1);
    }
    const int n = static_cast<int>(batch->size());
    if (n > 0 && on_written) on_written(std::move(*batch));
    // Woken by every local Send; the poll finds other replicas' envelopes (and any left by a
    // crash) that their writers have not logged.
    return n >= kLogBatch ? absl::ZeroDuration() : absl::Milliseconds(100);
  });
}

absl::StatusOr<std::vector<StoredEnvelope>> Exchange::WriteLog(absl::Duration lease, int limit) {
  std::vector<StoredEnvelope> written;
  const absl::Status batch = RunInTransaction(db_, "write_message_log", [&](pqxx::work& tx) {
    written = LogUnlogged(tx, lease, limit, "");
    return absl::OkStatus();
  });
  if (batch.ok() || IsTransient(batch)) {
    if (!batch.ok()) return batch;
    return written;
  }
  // The batch failed for a reason that may be one envelope's: log them one by one, and set
  // aside the ones that cannot be logged alone while the others can.
  written.clear();
  auto unlogged = ReadOnly(db_, "unlogged_ids",
                           [&](auto& tx) { return ExchangeStore::UnloggedIds(tx, limit); });
  if (!unlogged.ok()) return unlogged.status();
  std::vector<std::string> ids = std::move(*unlogged);
  auto processed = ProcessOrSetAside<std::string>(
      ids, [&](std::vector<std::string>&) { return batch; },
      [&](std::string& id) {
        std::vector<StoredEnvelope> one;
        auto st = RunInTransaction(db_, "write_message_log_one", [&](pqxx::work& tx) {
          one = LogUnlogged(tx, lease, 1, id);
          return absl::OkStatus();
        });
        if (st.ok()) {
          for (auto& e : one) written.push_back(std::move(e));
        }
        return st;
      },
      [&](std::string& id, const absl::Status& why) {
        return SetAside(id, absl::StrCat("could not be logged: ", why.message()));
      });
  if (!processed.ok()) {
    spdlog::warn("message log writer: {}", processed.status().message());
    if (written.empty()) return processed.status();
  }
  return written;
}

absl::Status Exchange::SetAside(const std::string& id, const std::string& reason) {
  const std::string safe = QuotePrefix(reason, 500);
  spdlog::error("envelope {} set aside: {}", id, safe);
  return RunInTransaction(db_, "set_aside_envelope", [&](pqxx::work& tx) -> absl::Status {
    ExchangeStore::SetAside(tx, id, safe);
    Log(tx, "set_aside", id, safe);
    return absl::OkStatus();
  });
}

std::vector<StoredEnvelope> Exchange::LogUnlogged(pqxx::work& tx, absl::Duration lease, int limit,
                                                  const std::string& only_id) {
  // Under the lock, so that two writers never log the same envelope twice.
  ExchangeStore::LockLog(tx);
  auto unlogged = ExchangeStore::Unlogged(tx, limit, only_id);
  std::vector<StoredEnvelope> pending;
  std::vector<LogEntry> entries;
  std::vector<size_t> accepted_index;
  for (auto& s : unlogged) {
    const auto& env = s.envelope;
    LogEntry e;
    e.event = "accepted";
    e.envelope_id = env.id();
    e.detail = absl::StrCat(v1::EnvelopeType_Name(env.type()), " ", env.sender_agency_code(), " > ",
                            env.receiver_agency_code(), " re ", env.correlation_id(), " sha256 ",
                            env.payload_sha256(), " sig ", HexEncode(env.signature()));
    // Known to be unloggable before any attempt: unreadable, or text that PostgreSQL cannot
    // store (a NUL, broken UTF-8 — accepted before the input policy refused them). Set aside
    // in this transaction; the rest of the batch is logged.
    std::string why = s.unreadable;
    if (why.empty() && (!IsValidUtf8(e.detail) || e.detail.find('\0') != std::string::npos)) {
      why = "a field of the stored envelope is not storable text (a NUL byte or broken UTF-8)";
    }
    if (!why.empty()) {
      spdlog::error("envelope {} set aside: {}", env.id(), why);
      ExchangeStore::SetAside(tx, env.id(), why);
      LogEntry aside;
      aside.event = "set_aside";
      aside.envelope_id = env.id();
      aside.detail = why;
      entries.push_back(std::move(aside));
      continue;
    }
    accepted_index.push_back(entries.size());
    entries.push_back(std::move(e));
    if (s.redirect_chain.size() > 1) {
      LogEntry r;
      r.event = "redirected";
      r.envelope_id = env.id();
      r.detail = absl::StrCat(absl::StrJoin(s.redirect_chain, " > "), " (merged)");
      entries.push_back(std::move(r));
    }
    pending.push_back(std::move(s));
  }
  if (entries.empty()) return {};
  const int64_t first = LogAll(tx, std::move(entries));
  std::vector<std::pair<std::string, int64_t>> sequences;
  for (size_t i = 0; i < pending.size(); ++i) {
    sequences.emplace_back(pending[i].envelope.id(),
                           first + static_cast<int64_t>(accepted_index[i]));
  }
  ExchangeStore::MarkLogged(tx, sequences, lease);
  for (size_t i = 0; i < pending.size(); ++i) pending[i].log_sequence = sequences[i].second;
  return pending;
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

  // A result: the envelope it answers is checked in the same transaction.
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
    if (cancellation) {
      // A handoff this sender sent, to the agency it was delivered to.
      if (!original.has_value() || original->envelope.type() != v1::ENVELOPE_TYPE_STEP_HANDOFF ||
          original->envelope.sender_agency_code() != env.sender_agency_code() ||
          original->delivered_to != routed->receiver) {
        return absl::FailedPreconditionError(
            absl::StrCat("in_reply_to ", QuotePrefix(env.in_reply_to(), 64),
                         " is not a handoff this sender sent to this receiver"));
      }
    } else if (!original.has_value() || original->delivered_to != env.sender_agency_code() ||
               original->envelope.sender_agency_code() != routed->receiver) {
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
    std::string raw;
    int64_t us = 0;
    const bool ok =
        absl::WebSafeBase64Unescape(r.page_token(), &raw) &&
        absl::StartsWith(raw, std::string(kPrefix)) && raw.find('|') != std::string::npos &&
        absl::SimpleAtoi(raw.substr(kPrefix.size(), raw.find('|') - kPrefix.size()), &us);
    if (ok) {
      f.cursor_at = absl::FromUnixMicros(us);
      f.cursor_id = raw.substr(raw.find('|') + 1);
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

absl::StatusOr<LogCheck> Exchange::VerifyLog(int64_t from, int64_t to) {
  Validator v;
  v.Check(from >= 0, "from_sequence", "must be 0 or more");
  v.Check(to >= 0 && (to == 0 || to >= from), "to_sequence", "must be 0 or at least from_sequence");
  if (!v.ok()) return v.status();
  LogCheck check;
  auto st = RunInTransaction(
      db_, "verify_log",
      [&](pqxx::work& tx) -> absl::Status {
        const int64_t first = from == 0 ? 1 : from;
        const int64_t last = to == 0 ? std::numeric_limits<int64_t>::max() : to;
        auto keys = ExchangeStore::LogKeys(tx);
        keys[log_key_.key_id] = log_key_.public_key;  // the key this service holds wins
        const std::string before = ExchangeStore::LogHashAt(tx, first - 1);
        constexpr int64_t kChunk = 10000;
        std::string prev = before;
        for (int64_t start = first; start <= last; start += kChunk) {
          auto entries = ExchangeStore::LogRange(tx, start, std::min(last, start + kChunk - 1));
          if (entries.empty()) break;
          auto c = VerifyLogEntries(entries, keys, prev);
          check.checked += c.checked;
          if (!c.ok) {
            check.ok = false;
            check.first_bad_sequence = c.first_bad_sequence;
            check.problem = c.problem;
            break;
          }
          prev = entries.back().hash;
          if (entries.front().sequence != start) {
            check.ok = false;
            check.first_bad_sequence = start;
            check.problem = "entry missing";
            break;
          }
        }
        return absl::OkStatus();
      },
      TxOptions{.isolation = Isolation::kRepeatableRead, .read_only = true});
  if (!st.ok()) return st;
  return check;
}

absl::StatusOr<Exchange::ExportPage> Exchange::ExportLog(int64_t from, int64_t to) {
  Validator v;
  v.Check(from >= 0, "from_sequence", "must be 0 or more");
  v.Check(to >= 0 && (to == 0 || to >= from), "to_sequence", "0, or at least from_sequence");
  if (!v.ok()) return v.status();
  ExportPage page;
  auto st = RunInTransaction(
      db_, "export_log",
      [&](pqxx::work& tx) -> absl::Status {
        const int64_t first = from == 0 ? 1 : from;
        const int64_t wanted_last = to == 0 ? std::numeric_limits<int64_t>::max() : to;
        const int64_t last = std::min(wanted_last, first + kExportPage - 1);
        auto keys = ExchangeStore::LogKeys(tx);
        keys[log_key_.key_id] = log_key_.public_key;
        page.bundle = BundleHeader(keys) + "\n";
        // One entry past the page tells whether the range goes on.
        auto entries = ExchangeStore::LogRange(tx, first, last < wanted_last ? last + 1 : last);
        page.next_from = 0;
        if (static_cast<int64_t>(entries.size()) > last - first + 1) {
          entries.pop_back();
          page.next_from = last + 1;
        }
        for (const auto& e : entries) absl::StrAppend(&page.bundle, BundleLine(e), "\n");
        return absl::OkStatus();
      },
      TxOptions{.isolation = Isolation::kRepeatableRead, .read_only = true});
  if (!st.ok()) return st;
  return page;
}

}  // namespace localgov::liaison

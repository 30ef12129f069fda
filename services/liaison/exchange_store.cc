#include "services/liaison/exchange_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/db/query.h"
#include "nlohmann/json.hpp"

namespace localgov::liaison {
namespace {

constexpr int64_t kLogLockKey = 7263002027;

std::string At(int n) {
  return absl::StrCat("timestamptz 'epoch' + $", n, "::bigint * interval '1 microsecond'");
}

int64_t Us(absl::Time t) { return absl::ToUnixMicros(t); }

// The acknowledgement deadline as a parameter for AtOrNull: 0 when there is none.
int64_t AcknowledgeBy(const StoredEnvelope& e) {
  return e.acknowledge_by == absl::InfiniteFuture() ? 0 : Us(e.acknowledge_by);
}

// Parameter $n (microseconds since the epoch) as a timestamptz, NULL when 0.
std::string AtOrNull(int n) {
  return absl::StrCat("timestamptz 'epoch' + NULLIF($", n,
                      "::bigint, 0) * interval '1 microsecond'");
}

// The columns FromRow reads, of table alias `t` ("" for none).
std::string EnvelopeColumns(const std::string& t = "") {
  const std::string p = t.empty() ? "" : t + ".";
  return absl::StrCat(p, "id, ", p, "envelope, ", p, "digest, ", p, "delivered_to, ", p,
                      "redirect_chain, ", p, "state, ", p, "ack_code, ", p, "ack_reason, ", p,
                      "receiver_ref, ", p, "attempts, (extract(epoch FROM ", p,
                      "accepted_at) * 1000000)::bigint, COALESCE((extract(epoch FROM ", p,
                      "ack_at) * 1000000)::bigint, 0), COALESCE(", p,
                      "log_sequence, 0), (extract(epoch FROM ", p,
                      "acknowledge_by) * 1000000)::bigint");
}
const std::string& kEnvelopeColumns = *new std::string(EnvelopeColumns());
constexpr int kEnvelopeColumnCount = 14;

StoredEnvelope FromRow(const pqxx::row& row, int offset = 0) {
  StoredEnvelope e;
  auto r = [&](int i) { return row[offset + i]; };
  pqxx::binarystring bytes(r(1));
  if (!e.envelope.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    e.envelope.Clear();
    e.envelope.set_id(r(0).as<std::string>());
    e.unreadable = "the stored envelope cannot be parsed";
  }
  e.digest = r(2).as<std::string>();
  e.delivered_to = r(3).as<std::string>();
  const std::string chain = r(4).as<std::string>();
  if (!chain.empty()) e.redirect_chain = absl::StrSplit(chain, " > ");
  e.state = r(5).as<int>();
  e.ack_code = r(6).as<int>();
  e.ack_reason = r(7).as<std::string>();
  e.receiver_ref = r(8).as<std::string>();
  e.attempts = r(9).as<int>();
  e.accepted_at = absl::FromUnixMicros(r(10).as<int64_t>());
  const int64_t ack = r(11).as<int64_t>();
  if (ack != 0) e.ack_at = absl::FromUnixMicros(ack);
  e.log_sequence = r(12).as<int64_t>();
  if (!r(13).is_null()) e.acknowledge_by = absl::FromUnixMicros(r(13).as<int64_t>());
  return e;
}

LogEntry LogFromRow(const pqxx::row& r) {
  LogEntry e;
  e.sequence = r[0].as<int64_t>();
  e.at = absl::FromUnixMicros(r[1].as<int64_t>());
  e.event = r[2].as<std::string>();
  e.envelope_id = r[3].as<std::string>();
  e.detail = r[4].as<std::string>();
  e.prev_hash = r[5].as<std::string>();
  e.hash = r[6].as<std::string>();
  e.key_id = r[7].as<std::string>();
  e.signature = r[8].as<std::string>();
  return e;
}

// The insert of one envelope (parameters $1–$15, as InsertEnvelopeAt binds them), made only
// while the directory is at version $14 and `condition` holds; nothing for an id already stored.
std::string InsertEnvelopeSql(const char* condition) {
  return absl::StrCat(
      "INSERT INTO envelopes (id, type, sender, addressed_to, delivered_to,"
      " redirect_chain, correlation_id, in_reply_to, envelope, digest, state,"
      " next_attempt_at, accepted_at, acknowledge_by) SELECT $1, $2, $3, $4, $5, $6,"
      " $7, $8, $9, $10, $11, ",
      At(12), ", ", At(13), ", ", AtOrNull(15),
      " WHERE (SELECT version FROM directory_state) = $14", condition,
      " ON CONFLICT (id) DO NOTHING RETURNING id");
}

}  // namespace

void ExchangeStore::InsertEnvelope(pqxx::work& tx, const StoredEnvelope& e,
                                   absl::Time next_attempt) {
  const auto& v = e.envelope;
  tx.exec_params(
      absl::StrCat("INSERT INTO envelopes (id, type, sender, addressed_to, delivered_to,"
                   " redirect_chain, correlation_id, in_reply_to, envelope, digest, state,"
                   " next_attempt_at, accepted_at, acknowledge_by) VALUES ($1, $2, $3, $4, $5, $6,"
                   " $7, $8, $9, $10, $11, ",
                   At(12), ", ", At(13), ", ", AtOrNull(14), ")"),
      v.id(), static_cast<int>(v.type()), v.sender_agency_code(), v.receiver_agency_code(),
      e.delivered_to, absl::StrJoin(e.redirect_chain, " > "), v.correlation_id(), v.in_reply_to(),
      pqxx::binarystring(v.SerializeAsString()), e.digest, e.state, Us(next_attempt),
      Us(e.accepted_at), AcknowledgeBy(e));
}

std::optional<StoredEnvelope> ExchangeStore::Find(pqxx::transaction_base& tx,
                                                  const std::string& id) {
  auto r = tx.exec_params(
      absl::StrCat("SELECT ", kEnvelopeColumns, " FROM envelopes WHERE id = $1"), id);
  if (r.empty()) return std::nullopt;
  return FromRow(r[0]);
}

std::vector<v1::DeliveryAttempt> ExchangeStore::Attempts(pqxx::transaction_base& tx,
                                                         const std::string& id) {
  std::vector<v1::DeliveryAttempt> out;
  for (const auto& r :
       tx.exec_params("SELECT (extract(epoch FROM at) * 1000000)::bigint, ack_code, error"
                      " FROM delivery_attempts WHERE envelope_id = $1 ORDER BY n",
                      id)) {
    auto& a = out.emplace_back();
    const int64_t us = r[0].as<int64_t>();
    a.mutable_time()->set_seconds(us / 1000000);
    a.mutable_time()->set_nanos(static_cast<int>(us % 1000000) * 1000);
    a.set_ack_code(static_cast<v1::AckCode>(r[1].as<int>()));
    a.set_error(r[2].as<std::string>());
  }
  return out;
}

std::vector<StoredEnvelope> ExchangeStore::List(pqxx::transaction_base& tx,
                                                const EnvelopeFilter& f) {
  std::vector<std::string> params;
  auto param = [&](std::string v) {
    params.push_back(std::move(v));
    return absl::StrCat("$", params.size());
  };
  std::string sql = absl::StrCat("SELECT ", kEnvelopeColumns, " FROM envelopes WHERE true");
  if (!f.sender.empty()) absl::StrAppend(&sql, " AND sender = ", param(f.sender));
  if (!f.receiver.empty()) absl::StrAppend(&sql, " AND delivered_to = ", param(f.receiver));
  if (f.type != 0)
    absl::StrAppend(&sql, " AND type = ", param(std::to_string(f.type)), "::smallint");
  if (!f.states.empty()) {
    std::vector<std::string> s;
    for (int st : f.states) s.push_back(std::to_string(st));
    absl::StrAppend(&sql, " AND state = ANY(", param(absl::StrCat("{", absl::StrJoin(s, ","), "}")),
                    "::smallint[])");
  }
  if (f.after != absl::InfinitePast()) {
    absl::StrAppend(&sql, " AND accepted_at >= timestamptz 'epoch' + ",
                    param(std::to_string(Us(f.after))), "::bigint * interval '1 microsecond'");
  }
  if (f.before != absl::InfiniteFuture()) {
    absl::StrAppend(&sql, " AND accepted_at < timestamptz 'epoch' + ",
                    param(std::to_string(Us(f.before))), "::bigint * interval '1 microsecond'");
  }
  if (!f.cursor_id.empty()) {
    absl::StrAppend(&sql, " AND (accepted_at, id) < (timestamptz 'epoch' + ",
                    param(std::to_string(Us(f.cursor_at))), "::bigint * interval '1 microsecond', ",
                    param(f.cursor_id), ")");
  }
  absl::StrAppend(&sql, " ORDER BY accepted_at DESC, id DESC LIMIT ",
                  param(std::to_string(f.limit)), "::int");
  std::vector<StoredEnvelope> out;
  for (const auto& r : tx.exec_params(sql, pqxx::prepare::make_dynamic_params(params))) {
    out.push_back(FromRow(r));
  }
  return out;
}

std::vector<StoredEnvelope> ExchangeStore::Claim(pqxx::work& tx, int limit, absl::Duration lease) {
  std::vector<StoredEnvelope> out;
  auto rows = tx.exec_params(
      absl::StrCat(
          "WITH due AS (SELECT id FROM envelopes WHERE state = 1 AND next_attempt_at <= now()"
          " AND log_sequence IS NOT NULL"
          " AND (lease_until IS NULL OR lease_until < now()) ORDER BY next_attempt_at"
          " LIMIT $1 FOR UPDATE SKIP LOCKED)"
          " UPDATE envelopes e SET lease_until = now() + $2::bigint * interval '1 microsecond'"
          " FROM due WHERE e.id = due.id RETURNING e.id, e.envelope, e.digest, e.delivered_to,"
          " e.redirect_chain, e.state, e.ack_code, e.ack_reason, e.receiver_ref, e.attempts,"
          " (extract(epoch FROM e.accepted_at) * 1000000)::bigint, 0::bigint, e.log_sequence,"
          " (extract(epoch FROM e.acknowledge_by) * 1000000)::bigint,"
          " (SELECT receiver_endpoint FROM agencies a WHERE a.code = e.delivered_to)"),
      limit, absl::ToInt64Microseconds(lease));
  for (const auto& r : rows) {
    auto e = FromRow(r);
    e.endpoint = r[kEnvelopeColumnCount].is_null() ? "" : r[kEnvelopeColumnCount].as<std::string>();
    out.push_back(std::move(e));
  }
  return out;
}

void ExchangeStore::RecordOutcomes(pqxx::work& tx, const std::vector<Outcome>& outcomes,
                                   absl::Time at) {
  if (outcomes.empty()) return;
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& o : outcomes) {
    rows.push_back({{"id", o.id},
                    {"n", o.attempt},
                    {"ack", o.ack_code},
                    {"error", o.error},
                    {"state", o.state},
                    {"reason", o.reason},
                    {"ref", o.receiver_ref},
                    {"next", Us(o.next_attempt_at)}});
  }
  // Text from receivers is kept as it came, with invalid UTF-8 replaced. The LIMIT tells the
  // planner how many rows the JSON holds (it assumes 100, and against a table of a few
  // thousand envelopes would read them all instead of looking each one up by its key).
  static const std::string& kSql = *new std::string(absl::StrCat(
      "WITH x AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id text, n int, ack int,"
      " error text, state int, reason text, ref text, next bigint) LIMIT $3),"
      " a AS (INSERT INTO delivery_attempts (envelope_id, n, at, ack_code, error)"
      " SELECT id, n, ",
      At(2),
      ", ack, error FROM x ON CONFLICT DO NOTHING)"
      " UPDATE envelopes e SET attempts = x.n,"
      " state = CASE WHEN x.state = 1 THEN e.state ELSE x.state END,"
      " ack_code = CASE WHEN x.state IN (2, 3) THEN x.ack ELSE e.ack_code END,"
      " ack_reason = CASE WHEN x.state IN (2, 3) OR (x.state = 4 AND x.reason <> '')"
      " THEN x.reason ELSE e.ack_reason END,"
      " receiver_ref = CASE WHEN x.state IN (2, 3) THEN x.ref ELSE e.receiver_ref END,"
      " ack_at = CASE WHEN x.state IN (2, 3) THEN ",
      At(2),
      " ELSE e.ack_at END,"
      " next_attempt_at = CASE WHEN x.state = 1"
      " THEN timestamptz 'epoch' + x.next * interval '1 microsecond'"
      " ELSE e.next_attempt_at END,"
      " lease_until = NULL FROM x WHERE e.id = x.id"));
  ExecPrepared(tx, "liaison_record_outcomes", kSql,
               rows.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), Us(at),
               static_cast<int64_t>(outcomes.size()));
}

void ExchangeStore::Requeue(pqxx::work& tx, const std::string& id, absl::Time now) {
  tx.exec_params(absl::StrCat("UPDATE envelopes SET state = 1, next_attempt_at = ", At(2),
                              ", lease_until = NULL WHERE id = $1"),
                 id, Us(now));
}

void ExchangeStore::Redirect(pqxx::work& tx, const std::string& id, const std::string& delivered_to,
                             const std::vector<std::string>& chain) {
  tx.exec_params("UPDATE envelopes SET delivered_to = $2, redirect_chain = $3 WHERE id = $1", id,
                 delivered_to, absl::StrJoin(chain, " > "));
}

bool ExchangeStore::InsertEnvelopeAt(pqxx::transaction_base& tx, const StoredEnvelope& e,
                                     absl::Time next_attempt, int64_t directory_version) {
  // Every handoff runs it: prepared once per connection (issue 27).
  static const std::string& kSql = *new std::string(InsertEnvelopeSql(""));
  const auto& v = e.envelope;
  return !ExecPrepared(tx, "liaison_send_envelope", kSql, v.id(), static_cast<int>(v.type()),
                       v.sender_agency_code(), v.receiver_agency_code(), e.delivered_to,
                       absl::StrJoin(e.redirect_chain, " > "), v.correlation_id(), v.in_reply_to(),
                       pqxx::binarystring(v.SerializeAsString()), e.digest, e.state,
                       Us(next_attempt), Us(e.accepted_at), directory_version, AcknowledgeBy(e))
              .empty();
}

bool ExchangeStore::InsertReplyAt(pqxx::transaction_base& tx, const StoredEnvelope& e,
                                  absl::Time next_attempt, int64_t directory_version,
                                  const Answered& answered) {
  static const std::string& kSql = *new std::string(InsertEnvelopeSql(
      " AND EXISTS (SELECT 1 FROM envelopes o WHERE o.id = $8 AND ($16 = 0 OR o.type = $16)"
      " AND o.sender = ANY($17::text[]) AND o.delivered_to = ANY($18::text[]))"));
  const auto& v = e.envelope;
  return !ExecPrepared(tx, "liaison_send_reply", kSql, v.id(), static_cast<int>(v.type()),
                       v.sender_agency_code(), v.receiver_agency_code(), e.delivered_to,
                       absl::StrJoin(e.redirect_chain, " > "), v.correlation_id(), v.in_reply_to(),
                       pqxx::binarystring(v.SerializeAsString()), e.digest, e.state,
                       Us(next_attempt), Us(e.accepted_at), directory_version, AcknowledgeBy(e),
                       answered.type, TextArray(answered.senders), TextArray(answered.receivers))
              .empty();
}

ExchangeStore::SendContext ExchangeStore::ForSend(pqxx::transaction_base& tx, const std::string& id,
                                                  const std::string& in_reply_to) {
  static const std::string& kSql = *new std::string(
      absl::StrCat("SELECT (SELECT version FROM directory_state), e.id IS NOT NULL, ",
                   EnvelopeColumns("e"), ", o.id IS NOT NULL, ", EnvelopeColumns("o"),
                   " FROM (SELECT 1) one LEFT JOIN envelopes e ON e.id = $1"
                   " LEFT JOIN envelopes o ON o.id = $2 AND $2 <> ''"));
  auto rows = ExecPrepared(tx, "liaison_for_send", kSql, id, in_reply_to);
  SendContext out;
  const auto& r = rows[0];
  out.directory_version = r[0].as<int64_t>();
  if (r[1].as<bool>()) out.existing = FromRow(r, 2);
  if (r[2 + kEnvelopeColumnCount].as<bool>()) out.original = FromRow(r, 3 + kEnvelopeColumnCount);
  return out;
}

std::vector<StoredEnvelope> ExchangeStore::Unlogged(pqxx::transaction_base& tx, int limit,
                                                    const std::string& only_id, LogHead* head) {
  // The log's head comes with the batch (one round trip less under the log's lock): the
  // uncorrelated sub-selects run once, in this statement's snapshot, taken after the lock.
  static const std::string& kSql = *new std::string(
      absl::StrCat("SELECT ", kEnvelopeColumns,
                   ", (SELECT receiver_endpoint FROM agencies a WHERE a.code = delivered_to),"
                   " (SELECT sequence FROM message_log ORDER BY sequence DESC LIMIT 1),"
                   " (SELECT hash FROM message_log ORDER BY sequence DESC LIMIT 1)"
                   " FROM envelopes WHERE log_sequence IS NULL AND state = 1"
                   " AND ($2 = '' OR id = $2) ORDER BY accepted_at, id LIMIT $1"));
  std::vector<StoredEnvelope> out;
  const auto rows = ExecPrepared(tx, "liaison_unlogged", kSql, limit, only_id);
  for (const auto& r : rows) {
    auto e = FromRow(r);
    e.endpoint = r[kEnvelopeColumnCount].is_null() ? "" : r[kEnvelopeColumnCount].as<std::string>();
    out.push_back(std::move(e));
  }
  if (head != nullptr && !rows.empty()) {
    const auto& r = rows[0];
    head->known = true;
    head->sequence =
        r[kEnvelopeColumnCount + 1].is_null() ? 0 : r[kEnvelopeColumnCount + 1].as<int64_t>();
    head->hash = r[kEnvelopeColumnCount + 2].is_null()
                     ? std::string(kLogGenesisHash)
                     : r[kEnvelopeColumnCount + 2].as<std::string>();
  }
  return out;
}

std::vector<std::string> ExchangeStore::UnloggedIds(pqxx::transaction_base& tx, int limit) {
  std::vector<std::string> out;
  for (const auto& r : tx.exec_params("SELECT id FROM envelopes WHERE log_sequence IS NULL"
                                      " AND state = 1 ORDER BY accepted_at, id LIMIT $1",
                                      limit)) {
    out.push_back(r[0].as<std::string>());
  }
  return out;
}

void ExchangeStore::SetAside(pqxx::work& tx, const std::string& id, const std::string& reason) {
  tx.exec_params(
      "UPDATE envelopes SET state = 4, ack_reason = $2, lease_until = NULL"
      " WHERE id = $1 AND state = 1",  // never over another replica's answer
      id, reason);
}

void ExchangeStore::MarkLogged(pqxx::work& tx,
                               const std::vector<std::pair<std::string, int64_t>>& sequences,
                               absl::Duration lease) {
  if (sequences.empty()) return;
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& [id, seq] : sequences) rows.push_back({{"id", id}, {"seq", seq}});
  ExecPrepared(
      tx, "liaison_mark_logged",
      "UPDATE envelopes e SET log_sequence = x.seq,"
      " lease_until = now() + $2::bigint * interval '1 microsecond'"
      " FROM (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id text, seq bigint) LIMIT $3) x"
      " WHERE e.id = x.id",  // LIMIT: the JSON's row count for the planner (RecordOutcomes)
      rows.dump(), absl::ToInt64Microseconds(lease), static_cast<int64_t>(sequences.size()));
}

ExchangeStore::DeliveryCounts ExchangeStore::CountByState(pqxx::transaction_base& tx) {
  // Each count reads a partial index: envelopes_due (state 1) and envelopes_dead (state 4).
  const auto r = tx.exec(kCountByStateSql)[0];
  return {r[0].as<int64_t>(), r[1].as<int64_t>(), r[2].as<int64_t>(), r[3].as<int64_t>()};
}

void ExchangeStore::LockLog(pqxx::work& tx) {
  ExecPrepared(tx, "liaison_lock_log", "SELECT pg_advisory_xact_lock($1)", kLogLockKey);
}

int64_t ExchangeStore::AppendLogs(pqxx::work& tx, std::vector<LogEntry> entries, absl::Time now,
                                  const std::string& key_id, const std::string& secret_key,
                                  const AppendOptions& options) {
  if (entries.empty()) return 0;
  // The head is read after the lock is taken, in a statement of its own: its snapshot must
  // see the last writer's commit (a statement's snapshot is taken before it waits on a lock).
  if (!options.locked) LockLog(tx);
  int64_t sequence = 1;
  std::string prev = kLogGenesisHash;
  if (options.head != nullptr && options.head->known) {
    sequence = options.head->sequence + 1;
    prev = options.head->hash;
  } else {
    auto last =
        ExecPrepared(tx, "liaison_log_head",
                     "SELECT sequence, hash FROM message_log ORDER BY sequence DESC LIMIT 1");
    if (!last.empty()) {
      sequence = last[0][0].as<int64_t>() + 1;
      prev = last[0][1].as<std::string>();
    }
  }
  const int64_t first = sequence;
  nlohmann::json rows = nlohmann::json::array();
  for (auto& e : entries) {
    e.sequence = sequence++;
    e.at = absl::FromUnixMicros(Us(now));
    SealLogEntry(e, prev, key_id, secret_key);
    prev = e.hash;
    rows.push_back({{"sequence", e.sequence},
                    {"at", Us(e.at)},
                    {"event", e.event},
                    {"envelope_id", e.envelope_id},
                    {"detail", e.detail},
                    {"prev_hash", e.prev_hash},
                    {"hash", e.hash},
                    {"key_id", e.key_id},
                    {"signature", e.signature}});
  }
  // The details hashed must be the details stored: refuse text that JSON cannot carry as is.
  static constexpr const char* kInsert =
      "INSERT INTO message_log (sequence, at, event, envelope_id, detail, prev_hash, hash,"
      " key_id, signature) SELECT sequence, timestamptz 'epoch' + at * interval '1 microsecond',"
      " event, envelope_id, detail, prev_hash, hash, key_id, signature"
      " FROM jsonb_to_recordset($1::jsonb) AS x(sequence bigint, at bigint, event text,"
      " envelope_id text, detail text, prev_hash text, hash text, key_id text, signature text)"
      " ORDER BY sequence";
  if (options.mark == nullptr || options.mark->empty()) {
    ExecPrepared(tx, "liaison_append_logs", kInsert, rows.dump());
    return first;
  }
  // The log writer's batch: the entries and each envelope's log_sequence (and lease) in one
  // statement, the lock held one round trip less.
  nlohmann::json marks = nlohmann::json::array();
  for (const auto& [id, index] : *options.mark) {
    marks.push_back({{"id", id}, {"seq", first + static_cast<int64_t>(index)}});
  }
  static const std::string& kInsertAndMark = *new std::string(absl::StrCat(
      "WITH appended AS (", kInsert,
      ") UPDATE envelopes e SET log_sequence = x.seq,"
      " lease_until = now() + $3::bigint * interval '1 microsecond'"
      " FROM (SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(id text, seq bigint) LIMIT $4) x"
      " WHERE e.id = x.id"));  // LIMIT: the JSON's row count for the planner (RecordOutcomes)
  ExecPrepared(tx, "liaison_append_logs_mark", kInsertAndMark, rows.dump(), marks.dump(),
               absl::ToInt64Microseconds(options.lease),
               static_cast<int64_t>(options.mark->size()));
  return first;
}

void ExchangeStore::RecordLogKey(pqxx::work& tx, const std::string& key_id,
                                 const std::string& public_key, absl::Time now) {
  tx.exec_params(absl::StrCat("INSERT INTO log_keys (key_id, public_key, first_used) VALUES ($1,"
                              " $2, ",
                              At(3), ") ON CONFLICT (key_id) DO NOTHING"),
                 key_id, pqxx::binarystring(public_key), Us(now));
}

std::vector<LogEntry> ExchangeStore::LogRange(pqxx::transaction_base& tx, int64_t from,
                                              int64_t to) {
  std::vector<LogEntry> out;
  for (const auto& r : tx.exec_params(
           "SELECT sequence, (extract(epoch FROM at) * 1000000)::bigint, event, envelope_id,"
           " detail, prev_hash, hash, key_id, signature FROM message_log"
           " WHERE sequence >= $1 AND sequence <= $2 ORDER BY sequence",
           from, to)) {
    out.push_back(LogFromRow(r));
  }
  return out;
}

std::string ExchangeStore::LogHashAt(pqxx::transaction_base& tx, int64_t sequence) {
  if (sequence <= 0) return kLogGenesisHash;
  auto r = tx.exec_params("SELECT hash FROM message_log WHERE sequence = $1", sequence);
  return r.empty() ? "" : r[0][0].as<std::string>();
}

std::map<std::string, std::string> ExchangeStore::LogKeys(pqxx::transaction_base& tx) {
  std::map<std::string, std::string> out;
  for (const auto& r : tx.exec("SELECT key_id, public_key FROM log_keys")) {
    pqxx::binarystring b(r[1]);
    out[r[0].as<std::string>()] = b.str();
  }
  return out;
}

}  // namespace localgov::liaison

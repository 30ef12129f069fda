#include "services/petition/petition_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/time_util.h"

namespace localgov::petition {
namespace {

using google::protobuf::util::TimeUtil;

int64_t Micros(const google::protobuf::Timestamp& t) {
  return TimeUtil::TimestampToMicroseconds(t);
}

const char* KindLetters(v1::PetitionKind kind) {
  switch (kind) {
    case v1::PETITION_KIND_COMPLAINT:
      return "KN";  // khiếu nại
    case v1::PETITION_KIND_DENUNCIATION:
      return "TC";  // tố cáo
    case v1::PETITION_KIND_RECOMMENDATION:
      return "KNG";  // kiến nghị
    default:
      return "PA";  // phản ánh
  }
}

// The stored form: no events, no clocks' derived flags beyond what lists show.
std::string Details(const v1::Petition& p, int64_t version) {
  v1::Petition d = p;
  d.clear_events();
  d.clear_matter_filings();  // read from petition_matters, never stale
  d.clear_long_running();
  d.set_version(version);
  return d.SerializeAsString();
}

// The statistics columns: 1 on time, 0 late, -1 not resolved.
int OnTime(const v1::Petition& p) {
  return p.has_resolution() ? (p.resolution().on_time() ? 1 : 0) : -1;
}

std::string NextDue(const v1::Petition& p) {
  return p.has_next_deadline() ? p.next_deadline().due_date() : "";
}

// The key lists sort by: open petitions by their next deadline, then the others.
constexpr const char* kDueKey = "COALESCE(next_due, 'infinity'::date)";

}  // namespace

std::string PetitionStore::NextCode(pqxx::work& tx, const std::string& agency,
                                    v1::PetitionKind kind, absl::CivilDay day) {
  const auto r =
      ExecPrepared(tx, "petition_next_code",
                   "INSERT INTO petition_code_counters (agency, day, last) VALUES ($1, $2::date, 1)"
                   " ON CONFLICT (agency, day) DO UPDATE SET last = petition_code_counters.last + 1"
                   " RETURNING last",
                   agency, absl::FormatCivilTime(day));
  return absl::StrFormat("%s-%s-%02d%02d%02d-%04d", agency, KindLetters(kind), day.year() % 100,
                         day.month(), day.day(), r[0][0].as<int>());
}

void PetitionStore::Insert(pqxx::work& tx, const v1::Petition& p, const std::string& citizen_id,
                           const std::string& follow_hash, const std::string& source_envelope,
                           absl::Time now) {
  const std::string matter =
      !p.act().decision_number().empty() ? p.act().decision_number() : p.act().dossier_code();
  ExecPrepared(
      tx, "petition_insert",
      "INSERT INTO petitions (code, agency, kind, field, channel, state, officer,"
      " petitioner_citizen_id, matter, received_at, next_due, follow_hash, details, version,"
      " source_envelope, forward_envelope, created_at, updated_at, matter_group, duplicate_of,"
      " decision, not_processed_reason, outcome, on_time, derived)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
      " timestamptz 'epoch' + $10::bigint * interval '1 microsecond', NULLIF($11, '')::date, $12,"
      " $13, $14, NULLIF($15, ''), NULLIF($16, ''),"
      " timestamptz 'epoch' + $17::bigint * interval '1 microsecond',"
      " timestamptz 'epoch' + $17::bigint * interval '1 microsecond', $18, $19, $20, $21, $22,"
      " CASE WHEN $23 = 1 THEN true WHEN $23 = 0 THEN false END, 1)",
      p.code(), p.agency_code(), static_cast<int>(p.kind()), static_cast<int>(p.field()),
      static_cast<int>(p.channel()), static_cast<int>(p.state()), p.officer(), citizen_id, matter,
      Micros(p.received_time()), NextDue(p), pqxx::binarystring(follow_hash),
      pqxx::binarystring(Details(p, p.version())), p.version(), source_envelope,
      p.forward().envelope_id(), absl::ToUnixMicros(now), p.matter_group(), p.duplicate_of(),
      static_cast<int>(p.classification().decision()),
      static_cast<int>(p.classification().not_processed_reason()),
      static_cast<int>(p.resolution().outcome()), OnTime(p));
}

absl::Status PetitionStore::Update(pqxx::work& tx, const v1::Petition& p, int64_t expected_version,
                                   absl::Time now) {
  auto rows = ExecPrepared(
      tx, "petition_update",
      "UPDATE petitions SET state = $2, officer = $3, next_due = NULLIF($4, '')::date,"
      " details = $5, version = version + 1, forward_envelope = NULLIF($6, ''),"
      " updated_at = timestamptz 'epoch' + $7::bigint * interval '1 microsecond',"
      " decision = $9, not_processed_reason = $10, outcome = $11,"
      " on_time = CASE WHEN $12 = 1 THEN true WHEN $12 = 0 THEN false END"
      " WHERE code = $1 AND version = $8 RETURNING version",
      p.code(), static_cast<int>(p.state()), p.officer(), NextDue(p),
      pqxx::binarystring(Details(p, expected_version + 1)), p.forward().envelope_id(),
      absl::ToUnixMicros(now), expected_version, static_cast<int>(p.classification().decision()),
      static_cast<int>(p.classification().not_processed_reason()),
      static_cast<int>(p.resolution().outcome()), OnTime(p));
  if (rows.empty()) {
    return absl::AbortedError(absl::StrCat("petition ", p.code(), " changed since version ",
                                           expected_version, "; read it again"));
  }
  return absl::OkStatus();
}

int64_t PetitionStore::AppendEvent(pqxx::work& tx, const v1::Petition& p) {
  const auto& e = p.events(p.events_size() - 1);
  ExecPrepared(tx, "petition_event_insert",
               "INSERT INTO petition_events (petition_code, sequence, details, at)"
               " VALUES ($1, $2, $3, timestamptz 'epoch' + $4::bigint * interval '1 microsecond')",
               p.code(), e.sequence(), pqxx::binarystring(e.SerializeAsString()), Micros(e.time()));
  const auto seq =
      ExecPrepared(tx, "petition_change_next",
                   "UPDATE petition_change_counter SET last = last + 1 RETURNING last");
  const int64_t sequence = seq[0][0].as<int64_t>();
  ExecPrepared(tx, "petition_change_insert",
               "INSERT INTO petition_changes (sequence, petition_code, agency, kind,"
               " event_sequence, next_due, at) VALUES ($1, $2, $3, $4, $5, NULLIF($6, '')::date,"
               " timestamptz 'epoch' + $7::bigint * interval '1 microsecond')",
               sequence, p.code(), p.agency_code(), static_cast<int>(p.kind()), e.sequence(),
               NextDue(p), Micros(e.time()));
  return sequence;
}

std::optional<PetitionStore::Found> PetitionStore::Find(pqxx::transaction_base& tx,
                                                        const std::string& code, bool with_events) {
  const auto rows = ExecPrepared(
      tx, "petition_find",
      "SELECT details, petitioner_citizen_id, follow_hash, version FROM petitions WHERE code = $1",
      code);
  if (rows.empty()) return std::nullopt;
  Found f;
  f.petition.ParseFromString(pqxx::binarystring(rows[0][0]).str());
  f.petition.set_version(rows[0][3].as<int64_t>());
  f.citizen_id = rows[0][1].as<std::string>();
  f.follow_hash = pqxx::binarystring(rows[0][2]).str();
  if (with_events) {
    for (const auto& r : ExecPrepared(tx, "petition_events_of",
                                      "SELECT details FROM petition_events WHERE petition_code = $1"
                                      " ORDER BY sequence",
                                      code)) {
      f.petition.add_events()->ParseFromString(pqxx::binarystring(r[0]).str());
    }
  }
  return f;
}

std::optional<std::string> PetitionStore::ByForwardEnvelope(pqxx::transaction_base& tx,
                                                            const std::string& envelope_id) {
  const auto rows =
      tx.exec_params("SELECT code FROM petitions WHERE forward_envelope = $1", envelope_id);
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<std::string>();
}

std::vector<std::pair<std::string, absl::Time>> PetitionStore::SameMatter(
    pqxx::transaction_base& tx, const std::string& citizen_id, const std::string& matter, int state,
    const std::string& except_code) {
  std::vector<std::pair<std::string, absl::Time>> out;
  for (const auto& r : tx.exec_params(
           "SELECT code, (extract(epoch FROM received_at) * 1000000)::bigint FROM petitions"
           " WHERE petitioner_citizen_id = $1 AND matter = $2 AND state = $3 AND code <> $4"
           " ORDER BY received_at",
           citizen_id, matter, state, except_code)) {
    out.emplace_back(r[0].as<std::string>(), absl::FromUnixMicros(r[1].as<int64_t>()));
  }
  return out;
}

SqlQuery PetitionStore::ListQuery(const PetitionFilter& f) {
  SqlQuery q;
  auto param = [&q](std::string v) {
    q.params.push_back(std::move(v));
    return absl::StrCat("$", q.params.size());
  };
  // One agency reads its range of the index in order and stops at the page's end. An agency
  // holding the petitions of communes merged into it reads each one's range the same way and
  // merges the pages: an ANY over the index's first column would read them all and sort.
  const bool several = f.agencies.size() > 1;
  const std::string agencies = several ? param(TextArray(f.agencies)) : "";
  q.sql = absl::StrCat("SELECT details, version",
                       several ? absl::StrCat(", ", kDueKey, " AS due_key, code") : "",
                       " FROM petitions WHERE agency = ",
                       several ? "a.agency" : param(f.agencies.empty() ? "" : f.agencies[0]));
  if (f.kind != 0)
    absl::StrAppend(&q.sql, " AND kind = ", param(absl::StrCat(f.kind)), "::smallint");
  if (f.field != 0) {
    absl::StrAppend(&q.sql, " AND field = ", param(absl::StrCat(f.field)), "::smallint");
  }
  if (f.channel != 0) {
    absl::StrAppend(&q.sql, " AND channel = ", param(absl::StrCat(f.channel)), "::smallint");
  }
  if (!f.states.empty()) {
    std::vector<std::string> s;
    for (int v : f.states) s.push_back(absl::StrCat(v));
    absl::StrAppend(&q.sql, " AND state = ANY(", param(TextArray(s)), "::smallint[])");
  }
  if (!f.officer.empty()) absl::StrAppend(&q.sql, " AND officer = ", param(f.officer));
  if (!f.due_before.empty()) {
    absl::StrAppend(&q.sql, " AND next_due <= ", param(f.due_before), "::date");
  }
  if (f.overdue_only) absl::StrAppend(&q.sql, " AND next_due < ", param(f.today), "::date");
  if (f.duplicates_only) absl::StrAppend(&q.sql, " AND duplicate_of <> ''");
  if (f.long_running_filings > 0) {
    // A primary-key look-up per row the page reads.
    absl::StrAppend(&q.sql, " AND (EXISTS (SELECT 1 FROM petition_matters g WHERE",
                    " g.matter_group = petitions.matter_group AND g.filings >= ",
                    param(absl::StrCat(f.long_running_filings)),
                    "::int) OR (state IN (1, 2, 3, 4) AND received_at < (", param(f.open_before),
                    "::date)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'))");
  }
  if (!f.after_code.empty()) {
    absl::StrAppend(&q.sql, " AND (", kDueKey, ", code) > (", param(f.after_due), "::date, ",
                    param(f.after_code), ")");
  }
  const std::string limit = param(absl::StrCat(f.limit));
  absl::StrAppend(&q.sql, " ORDER BY ", kDueKey, ", code LIMIT ", limit, "::int");
  if (several) {
    q.sql = absl::StrCat("SELECT x.details, x.version FROM unnest(", agencies,
                         "::text[]) AS a(agency) CROSS JOIN LATERAL (", q.sql,
                         ") AS x ORDER BY x.due_key, x.code LIMIT ", limit, "::int");
  }
  return q;
}

std::vector<v1::Petition> PetitionStore::List(pqxx::transaction_base& tx, const PetitionFilter& f) {
  const auto q = ListQuery(f);
  std::vector<v1::Petition> out;
  for (const auto& r : tx.exec_params(q.sql, pqxx::prepare::make_dynamic_params(q.params))) {
    auto& p = out.emplace_back();
    p.ParseFromString(pqxx::binarystring(r[0]).str());
    p.set_version(r[1].as<int64_t>());
  }
  return out;
}

std::vector<v1::Petition> PetitionStore::OfCitizen(pqxx::transaction_base& tx,
                                                   const std::string& citizen_id, int limit) {
  std::vector<v1::Petition> out;
  for (const auto& r :
       ExecPrepared(tx, "petitions_of_citizen",
                    "SELECT details, version FROM petitions"
                    " WHERE petitioner_citizen_id = $1"
                    " ORDER BY next_due NULLS LAST, received_at DESC, code LIMIT $2",
                    citizen_id, limit)) {
    auto& p = out.emplace_back();
    p.ParseFromString(pqxx::binarystring(r[0]).str());
    p.set_version(r[1].as<int64_t>());
  }
  return out;
}

std::vector<v1::Petition> PetitionStore::ResolvedSince(pqxx::transaction_base& tx,
                                                       const std::vector<std::string>& agencies,
                                                       absl::Time since) {
  std::vector<v1::Petition> out;
  for (const auto& r : tx.exec_params(
           "SELECT details, version FROM petitions WHERE agency = ANY($1::text[])"
           " AND officer <> '' AND state = $2"
           " AND updated_at >= timestamptz 'epoch' + $3::bigint * interval '1 microsecond'",
           TextArray(agencies), static_cast<int>(v1::PETITION_STATE_RESOLVED),
           absl::ToUnixMicros(since))) {
    auto& p = out.emplace_back();
    p.ParseFromString(pqxx::binarystring(r[0]).str());
    p.set_version(r[1].as<int64_t>());
  }
  return out;
}

std::vector<v1::WatchPetitionsResponse> PetitionStore::Changes(pqxx::transaction_base& tx,
                                                               const ChangeFilter& f) {
  const bool one = !f.petition_code.empty();
  const auto rows = tx.exec_params(
      absl::StrCat("SELECT c.sequence, c.petition_code, c.agency, c.kind,"
                   " COALESCE(c.next_due::text, ''), e.details FROM petition_changes c"
                   " JOIN petition_events e ON e.petition_code = c.petition_code"
                   " AND e.sequence = c.event_sequence WHERE ",
                   one ? "c.petition_code = $1" : "c.agency = ANY($1::text[])",
                   " AND c.sequence > $2 ORDER BY c.sequence LIMIT $3"),
      one ? f.petition_code : TextArray(f.agencies), f.after_sequence, f.limit);
  std::vector<v1::WatchPetitionsResponse> out;
  for (const auto& r : rows) {
    auto& c = out.emplace_back();
    c.set_sequence(r[0].as<int64_t>());
    c.set_petition_code(r[1].as<std::string>());
    c.set_agency_code(r[2].as<std::string>());
    c.set_kind(static_cast<v1::PetitionKind>(r[3].as<int>()));
    c.set_next_due_date(r[4].as<std::string>());
    c.mutable_event()->ParseFromString(pqxx::binarystring(r[5]).str());
  }
  return out;
}

int64_t PetitionStore::LatestChange(pqxx::transaction_base& tx) {
  return tx.exec("SELECT last FROM petition_change_counter")[0][0].as<int64_t>();
}

std::vector<PetitionStore::Overdue> PetitionStore::OverdueByAgency(pqxx::transaction_base& tx,
                                                                   const std::string& today) {
  std::vector<Overdue> out;
  for (const auto& r :
       tx.exec_params("SELECT agency, kind, count(*) FROM petitions WHERE next_due < $1::date"
                      " GROUP BY agency, kind",
                      today)) {
    out.push_back({r[0].as<std::string>(), r[1].as<int>(), r[2].as<int64_t>()});
  }
  return out;
}

void PetitionStore::InsertIdentity(pqxx::work& tx, const std::string& code, const SealedValue& v,
                                   absl::Time now) {
  ExecPrepared(tx, "petition_identity_insert",
               "INSERT INTO petition_identities (petition_code, key_id, sealed, sealed_at)"
               " VALUES ($1, $2, $3, timestamptz 'epoch' + $4::bigint * interval '1 microsecond')",
               code, v.key_id, pqxx::binarystring(v.blob), absl::ToUnixMicros(now));
}

std::optional<SealedValue> PetitionStore::FindIdentity(pqxx::transaction_base& tx,
                                                       const std::string& code) {
  const auto rows = tx.exec_params(
      "SELECT key_id, sealed FROM petition_identities WHERE petition_code = $1", code);
  if (rows.empty()) return std::nullopt;
  return SealedValue{rows[0][0].as<std::string>(), pqxx::binarystring(rows[0][1]).str()};
}

// The table and column names come from kSealedTables only, never from a request.
std::vector<std::pair<std::string, SealedValue>> PetitionStore::IdentitiesToReseal(
    pqxx::work& tx, const SealedTable& t, const std::string& current_key_id, int limit) {
  std::vector<std::pair<std::string, SealedValue>> out;
  for (const auto& r : tx.exec_params(absl::StrCat("SELECT ", t.bound_to, ", key_id, sealed FROM ",
                                                   t.table, " WHERE key_id <> $1 ORDER BY ",
                                                   t.bound_to, " LIMIT $2 FOR UPDATE SKIP LOCKED"),
                                      current_key_id, limit)) {
    out.emplace_back(r[0].as<std::string>(),
                     SealedValue{r[1].as<std::string>(), pqxx::binarystring(r[2]).str()});
  }
  return out;
}

void PetitionStore::ReplaceIdentity(pqxx::work& tx, const SealedTable& t,
                                    const std::string& bound_to, const SealedValue& v,
                                    absl::Time now) {
  tx.exec_params(absl::StrCat("UPDATE ", t.table,
                              " SET key_id = $2, sealed = $3,"
                              " sealed_at = timestamptz 'epoch' + $4::bigint * interval"
                              " '1 microsecond' WHERE ",
                              t.bound_to, " = $1"),
                 bound_to, v.key_id, pqxx::binarystring(v.blob), absl::ToUnixMicros(now));
}

void PetitionStore::InsertReading(pqxx::work& tx, const v1::IdentityReading& r) {
  tx.exec_params(
      "INSERT INTO identity_readings (petition_code, register_number, agency, reader, role,"
      " reason, at) VALUES (NULLIF($1, ''), NULLIF($2, ''), $3, $4, $5, $6,"
      " timestamptz 'epoch' + $7::bigint * interval '1 microsecond')",
      r.petition_code(), r.register_number(), r.agency_code(), r.reader(), r.role(), r.reason(),
      Micros(r.read_time()));
}

std::vector<std::pair<int64_t, v1::IdentityReading>> PetitionStore::ListReadings(
    pqxx::transaction_base& tx, const std::vector<std::string>& agencies,
    const std::string& petition_code, int64_t before_id, int limit) {
  std::vector<std::pair<int64_t, v1::IdentityReading>> out;
  const auto rows = tx.exec_params(
      absl::StrCat("SELECT id, COALESCE(petition_code, ''), agency, reader, role, reason,"
                   " (extract(epoch FROM at) * 1000000)::bigint,"
                   " COALESCE(register_number, '') FROM identity_readings"
                   " WHERE agency = ANY($1::text[]) AND ($2 = '' OR petition_code = $2)"
                   " AND ($3::bigint = 0 OR id < $3::bigint) ORDER BY id DESC LIMIT $4"),
      TextArray(agencies), petition_code, before_id, limit);
  for (const auto& r : rows) {
    v1::IdentityReading x;
    x.set_petition_code(r[1].as<std::string>());
    x.set_agency_code(r[2].as<std::string>());
    x.set_reader(r[3].as<std::string>());
    x.set_role(r[4].as<std::string>());
    x.set_reason(r[5].as<std::string>());
    *x.mutable_read_time() = TimeUtil::MicrosecondsToTimestamp(r[6].as<int64_t>());
    x.set_register_number(r[7].as<std::string>());
    out.emplace_back(r[0].as<int64_t>(), std::move(x));
  }
  return out;
}

std::optional<PetitionStore::InboxEntry> PetitionStore::FindInbox(pqxx::transaction_base& tx,
                                                                  const std::string& envelope_id) {
  const auto rows = tx.exec_params(
      "SELECT ack_code, ack_reason, reference FROM inbox WHERE envelope_id = $1", envelope_id);
  if (rows.empty()) return std::nullopt;
  return InboxEntry{rows[0][0].as<int>(), rows[0][1].as<std::string>(),
                    rows[0][2].as<std::string>()};
}

void PetitionStore::InsertInbox(pqxx::work& tx, const std::string& envelope_id, int type,
                                const std::string& sender, const std::string& delivered_to,
                                const InboxEntry& ack, absl::Time now) {
  tx.exec_params(
      "INSERT INTO inbox (envelope_id, type, sender, delivered_to, ack_code, ack_reason,"
      " reference, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7,"
      " timestamptz 'epoch' + $8::bigint * interval '1 microsecond')",
      envelope_id, type, sender, delivered_to, ack.ack_code, ack.reason, ack.reference,
      absl::ToUnixMicros(now));
}

}  // namespace localgov::petition

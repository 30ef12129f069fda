#include "services/dossier/dossier_store.h"

#include <algorithm>
#include <map>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/time_util.h"
#include "nlohmann/json.hpp"

namespace localgov::dossier {
namespace {

using google::protobuf::util::TimeUtil;

int64_t Micros(const google::protobuf::Timestamp& t) {
  return TimeUtil::TimestampToMicroseconds(t);
}

// The columns AddEvent reads, in its order.
constexpr const char* kEventColumns =
    "sequence, (EXTRACT(EPOCH FROM at) * 1000000)::bigint, actor, role, agency, from_state,"
    " to_state, note";

// Appends the event in row `r` (kEventColumns from `offset`) to `d`.
void AddEvent(const pqxx::row& r, v1::Dossier& d, int offset = 0) {
  auto* e = d.add_events();
  e->set_sequence(r[offset].as<int64_t>());
  *e->mutable_time() = TimeUtil::MicrosecondsToTimestamp(r[offset + 1].as<int64_t>());
  e->set_actor(r[offset + 2].as<std::string>());
  e->set_role(r[offset + 3].as<std::string>());
  e->set_agency(r[offset + 4].as<std::string>());
  e->set_from_state(static_cast<v1::DossierState>(r[offset + 5].as<int>()));
  e->set_to_state(static_cast<v1::DossierState>(r[offset + 6].as<int>()));
  e->set_note(r[offset + 7].as<std::string>());
}

}  // namespace

void DossierStore::ReserveCodes(pqxx::work& tx, std::vector<CodeBlock>& blocks) {
  if (blocks.empty()) return;
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& b : blocks) {
    rows.push_back({{"agency", b.agency}, {"day", absl::FormatCivilTime(b.day)}, {"n", b.count}});
  }
  // Counter rows are locked in (agency, day) order, so two writers cannot deadlock.
  const auto r = ExecPrepared(
      tx, "dossier_reserve_codes",
      "INSERT INTO dossier_code_counters (agency, day, last)"
      " SELECT agency, day::date, n FROM jsonb_to_recordset($1::jsonb) AS x(agency text,"
      " day text, n int) ORDER BY agency, day"
      " ON CONFLICT (agency, day) DO UPDATE SET last = dossier_code_counters.last + excluded.last"
      " RETURNING agency, day::text, last",
      rows.dump());
  for (const auto& row : r) {
    const auto agency = row[0].as<std::string>();
    const auto day = row[1].as<std::string>();
    for (auto& b : blocks) {
      if (b.agency == agency && absl::FormatCivilTime(b.day) == day) b.last = row[2].as<int>();
    }
  }
}

void DossierStore::InsertAll(pqxx::work& tx, const std::vector<const v1::Dossier*>& dossiers,
                             absl::Time now) {
  if (dossiers.empty()) return;
  nlohmann::json rows = nlohmann::json::array();
  for (const v1::Dossier* d : dossiers) {
    v1::Dossier details = *d;
    details.clear_events();
    nlohmann::json row = {{"code", d->code()},
                          {"procedure_code", d->procedure_code()},
                          {"procedure_version", d->procedure_version()},
                          {"receiving_agency", d->receiving_agency_code()},
                          {"channel", static_cast<int>(d->channel())},
                          {"state", static_cast<int>(d->state())},
                          {"applicant_name", d->applicant().full_name()},
                          {"applicant_citizen_id", d->applicant().citizen_id()},
                          {"details", absl::BytesToHexString(details.SerializeAsString())},
                          {"received_at", Micros(d->received_time())},
                          {"clock_start", d->clock_start_date()},
                          {"due_date", d->due_date()},
                          {"version", d->version()}};
    if (!d->due_date().empty()) row["deadline"] = Micros(d->deadline());
    rows.push_back(std::move(row));
  }
  ExecPrepared(
      tx, "dossier_insert_all",
      "INSERT INTO dossiers (code, procedure_code, procedure_version, receiving_agency, channel,"
      " state, applicant_name, applicant_citizen_id, details, received_at, clock_start, due_date,"
      " deadline, version, created_at, updated_at)"
      " SELECT code, procedure_code, procedure_version, receiving_agency, channel, state,"
      " applicant_name, applicant_citizen_id, decode(details, 'hex'),"
      " timestamptz 'epoch' + received_at * interval '1 microsecond', clock_start::date,"
      " NULLIF(due_date, '')::date, timestamptz 'epoch' + deadline * interval '1 microsecond',"
      " version, timestamptz 'epoch' + $2::bigint * interval '1 microsecond',"
      " timestamptz 'epoch' + $2::bigint * interval '1 microsecond'"
      " FROM jsonb_to_recordset($1::jsonb) AS x(code text, procedure_code text,"
      " procedure_version int, receiving_agency text, channel smallint, state smallint,"
      " applicant_name text, applicant_citizen_id text, details text, received_at bigint,"
      " clock_start text, due_date text, deadline bigint, version bigint)",
      rows.dump(), absl::ToUnixMicros(now));
}

absl::Status DossierStore::Update(pqxx::work& tx, const v1::Dossier& d, int64_t expected_version,
                                  absl::Time now) {
  v1::Dossier details = d;
  details.clear_events();
  details.set_version(expected_version + 1);
  const bool has_due = !d.due_date().empty();
  auto rows = tx.exec_params(
      "UPDATE dossiers SET state = $2, details = $3, clock_start = $4::date,"
      " due_date = NULLIF($5, '')::date,"
      " deadline = CASE WHEN $6 THEN timestamptz 'epoch' + $7::bigint * interval '1 microsecond' "
      "END,"
      " apologized = $10, outcome = $11,"
      " finished_at = CASE WHEN $12 THEN timestamptz 'epoch' + $13::bigint * interval '1 "
      "microsecond' END,"
      " version = version + 1,"
      " updated_at = timestamptz 'epoch' + $8::bigint * interval '1 microsecond'"
      " WHERE code = $1 AND version = $9 RETURNING version",
      d.code(), static_cast<int>(d.state()), pqxx::binarystring(details.SerializeAsString()),
      d.clock_start_date(), d.due_date(), has_due, Micros(d.deadline()), absl::ToUnixMicros(now),
      expected_version, d.has_apology(), static_cast<int>(d.outcome()), d.has_finished_time(),
      Micros(d.finished_time()));
  if (rows.empty()) {
    return absl::AbortedError(absl::StrCat("dossier ", d.code(), " changed since version ",
                                           expected_version, "; read it again"));
  }
  return absl::OkStatus();
}

int64_t DossierStore::AppendEvent(pqxx::work& tx, const v1::Dossier& d, const v1::DossierEvent& e,
                                  const std::string& request_id) {
  return AppendEvents(tx, {{&d, &e, request_id}}).front();
}

std::vector<int64_t> DossierStore::AppendEvents(pqxx::work& tx,
                                                const std::vector<NewEvent>& events) {
  if (events.empty()) return {};
  nlohmann::json rows = nlohmann::json::array();
  for (size_t i = 0; i < events.size(); ++i) {
    const v1::Dossier& d = *events[i].dossier;
    const v1::DossierEvent& e = *events[i].event;
    rows.push_back({{"i", i + 1},
                    {"code", d.code()},
                    {"sequence", e.sequence()},
                    {"at", Micros(e.time())},
                    {"actor", e.actor()},
                    {"role", e.role()},
                    {"agency", e.agency()},
                    {"from_state", static_cast<int>(e.from_state())},
                    {"to_state", static_cast<int>(e.to_state())},
                    {"note", e.note()},
                    {"request_id", events[i].request_id},
                    {"receiving_agency", d.receiving_agency_code()},
                    {"procedure_code", d.procedure_code()},
                    {"version", d.version()},
                    {"due_date", d.due_date()}});
  }
  // One statement: the events, a block of feed sequences and the feed rows (in input order).
  // The counter row stays locked until commit (feed sequences are handed out in commit
  // order), so callers append events as late as they can: every statement after this one
  // holds up every other writer.
  const auto r = ExecPrepared(
      tx, "dossier_append_events",
      "WITH x AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(i int, code text,"
      " sequence bigint, at bigint, actor text, role text, agency text, from_state smallint,"
      " to_state smallint, note text, request_id text, receiving_agency text,"
      " procedure_code text, version bigint, due_date text)),"
      " ev AS (INSERT INTO dossier_events (dossier_code, sequence, at, actor, role, agency,"
      " from_state, to_state, note, request_id) SELECT code, sequence,"
      " timestamptz 'epoch' + at * interval '1 microsecond', actor, role, agency, from_state,"
      " to_state, note, request_id FROM x),"
      " c AS (UPDATE dossier_change_counter SET last = last + $2 RETURNING last)"
      " INSERT INTO dossier_changes (sequence, dossier_code, receiving_agency, procedure_code,"
      " event_sequence, from_state, to_state, version, due_date, at)"
      " SELECT c.last - $2 + x.i, x.code, x.receiving_agency, x.procedure_code, x.sequence,"
      " x.from_state, x.to_state, x.version, NULLIF(x.due_date, '')::date,"
      " timestamptz 'epoch' + x.at * interval '1 microsecond' FROM x, c RETURNING sequence",
      rows.dump(), static_cast<int64_t>(events.size()));
  int64_t last = 0;
  for (const auto& row : r) last = std::max(last, row[0].as<int64_t>());
  std::vector<int64_t> sequences;
  sequences.reserve(events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    sequences.push_back(last - static_cast<int64_t>(events.size()) + 1 + static_cast<int64_t>(i));
  }
  return sequences;
}

void DossierStore::InsertStepOutcomes(pqxx::work& tx, const std::string& code,
                                      const std::vector<v1::StepProgress>& steps) {
  if (steps.empty()) return;
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& s : steps) {
    rows.push_back({{"step_index", s.index()},
                    {"agency", s.agency_code()},
                    {"own", s.own()},
                    {"due_date", s.due_date()},
                    {"done_at", Micros(s.done_time())},
                    {"outcome", static_cast<int>(s.outcome())},
                    {"points", s.indicator2_points()}});
  }
  tx.exec_params(
      "INSERT INTO dossier_step_outcomes (dossier_code, step_index, agency, own, due_date,"
      " done_at, outcome, points) SELECT $1, step_index, agency, own, due_date::date,"
      " timestamptz 'epoch' + done_at * interval '1 microsecond', outcome, points"
      " FROM jsonb_to_recordset($2::jsonb) AS x(step_index int, agency text, own boolean,"
      " due_date text, done_at bigint, outcome smallint, points smallint)"
      " ON CONFLICT (dossier_code, step_index) DO NOTHING",
      code, rows.dump());
}

std::vector<v1::WatchDossiersResponse> DossierStore::Changes(pqxx::transaction_base& tx,
                                                             const ChangeFilter& f) {
  const bool by_dossier = !f.dossier_code.empty();
  const auto rows = tx.exec_params(
      absl::StrCat("SELECT sequence, dossier_code, receiving_agency, procedure_code,"
                   " event_sequence, from_state, to_state, version, COALESCE(due_date::text, ''),"
                   " (extract(epoch FROM at) * 1000000)::bigint FROM dossier_changes WHERE ",
                   by_dossier ? "dossier_code = $1" : "receiving_agency = ANY($1::text[])",
                   " AND sequence > $2 ORDER BY sequence LIMIT $3"),
      by_dossier ? f.dossier_code : TextArray(f.agencies), f.after_sequence, f.limit);
  std::vector<v1::WatchDossiersResponse> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    auto& c = out.emplace_back();
    c.set_sequence(r[0].as<int64_t>());
    c.set_dossier_code(r[1].as<std::string>());
    c.set_receiving_agency_code(r[2].as<std::string>());
    c.set_procedure_code(r[3].as<std::string>());
    c.set_event_sequence(r[4].as<int64_t>());
    c.set_from_state(static_cast<v1::DossierState>(r[5].as<int>()));
    c.set_to_state(static_cast<v1::DossierState>(r[6].as<int>()));
    c.set_dossier_version(r[7].as<int64_t>());
    c.set_due_date(r[8].as<std::string>());
    *c.mutable_time() = TimeUtil::MicrosecondsToTimestamp(r[9].as<int64_t>());
  }
  return out;
}

std::vector<v1::Dossier> DossierStore::FinishedIn(pqxx::transaction_base& tx,
                                                  const std::vector<std::string>& agencies,
                                                  absl::Time from, absl::Time to) {
  std::vector<v1::Dossier> out;
  for (const auto& r : tx.exec_params(
           "SELECT details FROM dossiers WHERE receiving_agency = ANY($1::text[])"
           " AND finished_at >= timestamptz 'epoch' + $2::bigint * interval '1 microsecond'"
           " AND finished_at < timestamptz 'epoch' + $3::bigint * interval '1 microsecond'",
           TextArray(agencies), absl::ToUnixMicros(from), absl::ToUnixMicros(to))) {
    pqxx::binarystring bytes(r[0]);
    v1::Dossier d;
    if (d.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) out.push_back(std::move(d));
  }
  return out;
}

std::vector<std::pair<std::string, int64_t>> DossierStore::LateWithoutApologyByAgency(
    pqxx::transaction_base& tx, const std::string& today) {
  std::vector<std::pair<std::string, int64_t>> out;
  for (const auto& r : tx.exec_params(kLateWithoutApologySql, today)) {
    out.emplace_back(r[0].as<std::string>(), r[1].as<int64_t>());
  }
  return out;
}

bool DossierStore::InsertInbox(pqxx::transaction_base& tx, const liaison::v1::Envelope& e,
                               const std::string& delivered_to, absl::Time now) {
  return !tx.exec_params(
                "INSERT INTO inbox (envelope_id, type, sender, delivered_to, correlation_id,"
                " in_reply_to, envelope, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7,"
                " timestamptz 'epoch' + $8::bigint * interval '1 microsecond')"
                " ON CONFLICT (envelope_id) DO NOTHING RETURNING envelope_id",
                e.id(), static_cast<int>(e.type()), e.sender_agency_code(), delivered_to,
                e.correlation_id(), e.in_reply_to(), pqxx::binarystring(e.SerializeAsString()),
                absl::ToUnixMicros(now))
              .empty();
}

int64_t DossierStore::LatestChange(pqxx::transaction_base& tx) {
  return tx.exec("SELECT last FROM dossier_change_counter")[0][0].as<int64_t>();
}

SqlQuery DossierStore::ListQuery(const DossierFilter& f) {
  // Built from fixed fragments; every value is a parameter. The order key matches the
  // dossiers_worklist and dossiers_by_applicant indexes.
  constexpr const char* kDueKey = "COALESCE(due_date, DATE '9999-12-31')";
  SqlQuery q;
  auto param = [&](std::string v) {
    q.params.push_back(std::move(v));
    return absl::StrCat("$", q.params.size());
  };
  // An agency that holds the dossiers of agencies merged into it reads each one's range of
  // the index and merges the pages (an ANY over the index's first column would sort them all).
  const bool several = f.citizen_id.empty() && !f.merged.empty();
  std::string agencies;
  if (several) {
    std::vector<std::string> all = {f.agency};
    all.insert(all.end(), f.merged.begin(), f.merged.end());
    agencies = param(TextArray(all));
  }
  q.sql = absl::StrCat("SELECT details",
                       several ? absl::StrCat(", ", kDueKey, " AS due_key, code") : "",
                       " FROM dossiers WHERE ");
  if (!f.citizen_id.empty()) {
    absl::StrAppend(&q.sql, "applicant_citizen_id = ", param(f.citizen_id));
  } else if (several) {
    absl::StrAppend(&q.sql, "receiving_agency = a.agency");
  } else {
    absl::StrAppend(&q.sql, "receiving_agency = ", param(f.agency));
  }
  if (!f.states.empty()) {
    std::vector<std::string> s;
    for (int st : f.states) s.push_back(std::to_string(st));
    absl::StrAppend(&q.sql, " AND state = ANY(",
                    param(absl::StrCat("{", absl::StrJoin(s, ","), "}")), "::smallint[])");
  }
  if (!f.channels.empty()) {
    std::vector<std::string> c;
    for (int ch : f.channels) c.push_back(std::to_string(ch));
    absl::StrAppend(&q.sql, " AND channel = ANY(",
                    param(absl::StrCat("{", absl::StrJoin(c, ","), "}")), "::smallint[])");
  }
  if (!f.applicant.empty())
    absl::StrAppend(&q.sql, " AND applicant_citizen_id = ", param(f.applicant));
  if (!f.procedure_code.empty())
    absl::StrAppend(&q.sql, " AND procedure_code = ", param(f.procedure_code));
  if (f.open_only) absl::StrAppend(&q.sql, " AND state IN (2, 4, 6)");
  if (!f.due_before.empty())
    absl::StrAppend(&q.sql, " AND due_date <= ", param(f.due_before), "::date");
  if (f.late_only || f.late_without_apology_only) {
    // Open states with a running clock: accepted, in progress, payment requested.
    absl::StrAppend(&q.sql, " AND state IN (2, 4, 6) AND due_date < ", param(f.today), "::date");
  }
  if (f.late_without_apology_only) absl::StrAppend(&q.sql, " AND NOT apologized");
  if (f.transfer_overdue_only) {
    absl::StrAppend(&q.sql, " AND state = 2 AND clock_start < ", param(f.today), "::date");
  }
  if (!f.after_code.empty()) {
    absl::StrAppend(&q.sql, " AND (", kDueKey, ", code) > (", param(f.after_due), "::date, ",
                    param(f.after_code), ")");
  }
  const std::string limit = param(std::to_string(f.limit));
  absl::StrAppend(&q.sql, " ORDER BY ", kDueKey, ", code LIMIT ", limit, "::int");
  if (several) {
    q.sql = absl::StrCat("SELECT x.details FROM unnest(", agencies,
                         "::text[]) AS a(agency) CROSS JOIN LATERAL (", q.sql,
                         ") AS x ORDER BY x.due_key, x.code LIMIT ", limit, "::int");
  }
  return q;
}

std::vector<v1::Dossier> DossierStore::List(pqxx::transaction_base& tx, const DossierFilter& f) {
  const auto q = ListQuery(f);
  std::vector<v1::Dossier> out;
  for (const auto& r : tx.exec_params(q.sql, pqxx::prepare::make_dynamic_params(q.params))) {
    v1::Dossier d;
    d.ParseFromString(pqxx::binarystring(r[0]).str());
    out.push_back(std::move(d));
  }
  return out;
}

bool DossierStore::InsertRating(pqxx::work& tx, const std::string& code, const std::string& agency,
                                int level, const std::string& comment, absl::Time at,
                                const std::string& rater) {
  auto rows = tx.exec_params(
      "INSERT INTO dossier_ratings (dossier_code, agency, level, comment, rated_at, rater)"
      " VALUES ($1, $2, $3, $4, timestamptz 'epoch' + $5::bigint * interval '1 microsecond', $6)"
      " ON CONFLICT (dossier_code) DO NOTHING RETURNING 1",
      code, agency, level, comment, absl::ToUnixMicros(at), rater);
  return !rows.empty();
}

v1::AgencyStatistics DossierStore::Statistics(pqxx::transaction_base& tx,
                                              const std::vector<std::string>& agencies,
                                              absl::Time from, absl::Time to,
                                              const std::string& today) {
  const int64_t f = absl::ToUnixMicros(from);
  const int64_t t = absl::ToUnixMicros(to);
  constexpr const char* kFrom = "timestamptz 'epoch' + $2::bigint * interval '1 microsecond'";
  constexpr const char* kTo = "timestamptz 'epoch' + $3::bigint * interval '1 microsecond'";
  v1::AgencyStatistics s;
  s.set_agency_code(agencies.front());
  const std::string agency = TextArray(agencies);
  auto r = tx.exec_params(
      absl::StrCat("SELECT count(*), count(*) FILTER (WHERE channel = 3) FROM dossiers"
                   " WHERE receiving_agency = ANY($1::text[]) AND received_at >= ",
                   kFrom, " AND received_at < ", kTo),
      agency, f, t);
  s.set_received(r[0][0].as<int64_t>());
  s.set_received_online(r[0][1].as<int64_t>());
  r = tx.exec_params(
      absl::StrCat("SELECT count(*), count(*) FILTER (WHERE outcome = 1),"
                   " count(*) FILTER (WHERE outcome = 2), count(*) FILTER (WHERE outcome = 3)"
                   " FROM dossiers WHERE receiving_agency = ANY($1::text[]) AND finished_at >= ",
                   kFrom, " AND finished_at < ", kTo),
      agency, f, t);
  s.set_finished(r[0][0].as<int64_t>());
  s.set_early(r[0][1].as<int64_t>());
  s.set_on_time(r[0][2].as<int64_t>());
  s.set_late(r[0][3].as<int64_t>());
  r = tx.exec_params(
      "SELECT count(*) FILTER (WHERE state IN (2, 4, 5, 6)),"
      " count(*) FILTER (WHERE state IN (2, 4, 6) AND due_date < $2::date AND NOT apologized)"
      " FROM dossiers WHERE receiving_agency = ANY($1::text[])",
      agency, today);
  s.set_in_progress(r[0][0].as<int64_t>());
  s.set_late_without_apology(r[0][1].as<int64_t>());
  r = tx.exec_params(
      absl::StrCat("SELECT count(*), count(*) FILTER (WHERE level IN (1, 2)) FROM dossier_ratings"
                   " WHERE agency = ANY($1::text[]) AND rated_at >= ",
                   kFrom, " AND rated_at < ", kTo),
      agency, f, t);
  s.set_ratings(r[0][0].as<int64_t>());
  s.set_satisfied_ratings(r[0][1].as<int64_t>());
  r = tx.exec_params(
      absl::StrCat("SELECT count(*), count(*) FILTER (WHERE outcome = 1),"
                   " count(*) FILTER (WHERE outcome = 2), count(*) FILTER (WHERE outcome = 3),"
                   " COALESCE(avg(points), 0)::float8 FROM dossier_step_outcomes"
                   " WHERE agency = ANY($1::text[]) AND done_at >= ",
                   kFrom, " AND done_at < ", kTo),
      agency, f, t);
  s.set_steps_completed(r[0][0].as<int64_t>());
  s.set_steps_early(r[0][1].as<int64_t>());
  s.set_steps_on_time(r[0][2].as<int64_t>());
  s.set_steps_late(r[0][3].as<int64_t>());
  s.set_indicator2_average_points(r[0][4].as<double>());
  auto rate = [](int64_t a, int64_t b) { return b == 0 ? 0.0 : static_cast<double>(a) / b; };
  s.set_on_time_rate(rate(s.early() + s.on_time(), s.finished()));
  s.set_online_rate(rate(s.received_online(), s.received()));
  s.set_satisfaction_rate(rate(s.satisfied_ratings(), s.ratings()));
  return s;
}

std::optional<v1::Dossier> DossierStore::Find(pqxx::transaction_base& tx, const std::string& code) {
  auto rows = tx.exec_params("SELECT details FROM dossiers WHERE code = $1", code);
  if (rows.empty()) return std::nullopt;
  v1::Dossier d;
  d.ParseFromString(pqxx::binarystring(rows[0][0]).str());
  for (const auto& r : tx.exec_params(
           absl::StrCat("SELECT ", kEventColumns,
                        " FROM dossier_events WHERE dossier_code = $1 ORDER BY sequence"),
           code)) {
    AddEvent(r, d);
  }
  return d;
}

std::vector<v1::Dossier> DossierStore::StaffEventsIn(pqxx::transaction_base& tx,
                                                     const std::vector<std::string>& agencies,
                                                     absl::Time from, absl::Time to) {
  // The events first (dossier_events_by_agency_at), then each dossier named once.
  const auto events = tx.exec_params(
      absl::StrCat("SELECT dossier_code, ", kEventColumns,
                   " FROM dossier_events WHERE agency = ANY($1::text[])"
                   " AND role IN ('officer', 'leader')"
                   " AND at >= timestamptz 'epoch' + $2::bigint * interval '1 microsecond'"
                   " AND at < timestamptz 'epoch' + $3::bigint * interval '1 microsecond'"
                   " ORDER BY dossier_code, sequence"),
      TextArray(agencies), absl::ToUnixMicros(from), absl::ToUnixMicros(to));
  std::vector<std::string> codes;
  for (const auto& r : events) {
    auto code = r[0].as<std::string>();
    if (codes.empty() || codes.back() != code) codes.push_back(code);
  }
  std::map<std::string, v1::Dossier> dossiers;
  for (const auto& r : tx.exec_params(
           "SELECT code, details FROM dossiers WHERE code = ANY($1::text[])", TextArray(codes))) {
    pqxx::binarystring bytes(r[1]);
    v1::Dossier d;
    if (d.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
      dossiers.emplace(r[0].as<std::string>(), std::move(d));
    }
  }
  for (const auto& r : events) {
    auto it = dossiers.find(r[0].as<std::string>());
    if (it != dossiers.end()) AddEvent(r, it->second, 1);
  }
  std::vector<v1::Dossier> out;
  out.reserve(dossiers.size());
  for (auto& [code, d] : dossiers) out.push_back(std::move(d));
  return out;
}

}  // namespace localgov::dossier

#include "services/petition/matching_store.h"

#include "absl/strings/str_cat.h"
#include "common/db/query.h"
#include "google/protobuf/util/time_util.h"

namespace localgov::petition {
namespace {

// A key the store never matches: an empty key means "none", not "equal to the other empties".
std::string KeyOrNever(const std::string& key) { return key.empty() ? "\x01none" : key; }

// The first second of Vietnam day `d` (a YYYY-MM-DD parameter).
std::string DayStart(const std::string& param) {
  return absl::StrCat("((", param, "::date)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh')");
}

constexpr const char* kCandidatesSql =
    "SELECT p.details, p.version, c.same_id, c.same_name, c.same_act, c.sim, p.matter_group,"
    " c.other_id"
    " FROM (SELECT m.code, bool_or(m.person_id_key = $2) AS same_id,"
    " bool_or(m.person_name_key = $3) AS same_name, bool_or(m.matter_key = $4 AND $4 <> '')"
    " AS same_act, bool_or($8 AND m.person_id_key <> '' AND m.person_id_key <> $2) AS other_id,"
    " max(similarity(m.content_folded, $5)) AS sim, max(m.received_at) AS at"
    " FROM petition_matching m WHERE (m.person_id_key = $2 OR (m.person_name_key = $3"
    " AND NOT ($8 AND m.person_id_key <> '' AND m.person_id_key <> $2)))"
    " AND m.agency = ANY($1::text[]) AND m.code <> $6 GROUP BY m.code"
    " ORDER BY at DESC LIMIT $7) AS c JOIN petitions p ON p.code = c.code ORDER BY c.at DESC";

}  // namespace

int MatchingStore::Insert(pqxx::work& tx, const std::string& code, const std::string& agency,
                          const MatchKeys& keys, const std::string& matter_group,
                          absl::Time received) {
  const int64_t at = absl::ToUnixMicros(received);
  ExecPrepared(tx, "matching_insert",
               "INSERT INTO petition_matching (code, agency, person_id_key, person_name_key,"
               " matter_key, content_folded, received_at, matter_group) VALUES ($1, $2, $3, $4,"
               " $5, $6, timestamptz 'epoch' + $7::bigint * interval '1 microsecond', $8)"
               " ON CONFLICT (code) DO NOTHING",
               code, agency, keys.person_id_key, keys.person_name_key, keys.matter_key,
               keys.content_folded, at, matter_group);
  const auto r = ExecPrepared(
      tx, "matter_filing",
      "INSERT INTO petition_matters (matter_group, agency, filings, first_received,"
      " last_received) VALUES ($1, $2, 1, timestamptz 'epoch' + $3::bigint * interval '1"
      " microsecond', timestamptz 'epoch' + $3::bigint * interval '1 microsecond')"
      " ON CONFLICT (matter_group) DO UPDATE SET filings = petition_matters.filings + 1,"
      " first_received = LEAST(petition_matters.first_received, EXCLUDED.first_received),"
      " last_received = GREATEST(petition_matters.last_received, EXCLUDED.last_received)"
      " RETURNING filings",
      matter_group, agency, at);
  return r[0][0].as<int>();
}

bool MatchingStore::KeysOf(pqxx::transaction_base& tx, const std::string& code, MatchKeys* keys) {
  const auto r = ExecPrepared(tx, "matching_keys",
                              "SELECT person_id_key, person_name_key, matter_key, content_folded"
                              " FROM petition_matching WHERE code = $1",
                              code);
  if (r.empty()) return false;
  keys->person_id_key = r[0][0].as<std::string>();
  keys->person_name_key = r[0][1].as<std::string>();
  keys->matter_key = r[0][2].as<std::string>();
  keys->content_folded = r[0][3].as<std::string>();
  return true;
}

const char* MatchingStore::CandidatesSql() { return kCandidatesSql; }

std::vector<MatchingStore::Candidate> MatchingStore::Candidates(
    pqxx::transaction_base& tx, const std::vector<std::string>& agencies, const MatchKeys& keys,
    const std::string& except_code, int limit) {
  std::vector<Candidate> out;
  if (keys.person_id_key.empty() && keys.person_name_key.empty()) return out;
  for (const auto& r : ExecPrepared(
           tx, "matching_candidates", kCandidatesSql, TextArray(agencies),
           KeyOrNever(keys.person_id_key), KeyOrNever(keys.person_name_key), keys.matter_key,
           keys.content_folded, except_code, limit, !keys.person_id_key.empty())) {
    auto& c = out.emplace_back();
    c.petition.ParseFromString(pqxx::binarystring(r[0]).str());
    c.petition.set_version(r[1].as<int64_t>());
    c.facts.same_id = r[2].as<bool>();
    c.facts.same_name = r[3].as<bool>();
    c.facts.same_act = r[4].as<bool>();
    c.facts.similarity = r[5].as<double>();
    c.facts.act = !c.petition.act().decision_number().empty() ? c.petition.act().decision_number()
                                                              : c.petition.act().dossier_code();
    c.matter_group = r[6].as<std::string>();
    c.facts.other_id = r[7].as<bool>();
  }
  return out;
}

std::map<std::string, int> MatchingStore::Filings(pqxx::transaction_base& tx,
                                                  const std::vector<std::string>& groups) {
  std::map<std::string, int> out;
  if (groups.empty()) return out;
  for (const auto& r : ExecPrepared(tx, "matter_filings",
                                    "SELECT matter_group, filings FROM petition_matters"
                                    " WHERE matter_group = ANY($1::text[])",
                                    TextArray(groups))) {
    out[r[0].as<std::string>()] = r[1].as<int>();
  }
  return out;
}

std::vector<v1::Petition> MatchingStore::ToDerive(pqxx::work& tx, int limit) {
  std::vector<v1::Petition> out;
  for (const auto& r : tx.exec_params("SELECT details, version FROM petitions WHERE derived = 0"
                                      " ORDER BY received_at, code LIMIT $1 FOR UPDATE SKIP LOCKED",
                                      limit)) {
    auto& p = out.emplace_back();
    p.ParseFromString(pqxx::binarystring(r[0]).str());
    p.set_version(r[1].as<int64_t>());
  }
  return out;
}

void MatchingStore::MarkDerived(pqxx::work& tx, const v1::Petition& p) {
  tx.exec_params(
      "UPDATE petitions SET matter_group = $2, duplicate_of = $3, decision = $4,"
      " not_processed_reason = $5, outcome = $6,"
      " on_time = CASE WHEN $7 = 1 THEN true WHEN $7 = 0 THEN false END, derived = 1"
      " WHERE code = $1",
      p.code(), p.matter_group(), p.duplicate_of(), static_cast<int>(p.classification().decision()),
      static_cast<int>(p.classification().not_processed_reason()),
      static_cast<int>(p.resolution().outcome()),
      p.has_resolution() ? (p.resolution().on_time() ? 1 : 0) : -1);
}

const char* MatchingStore::StatisticsSql() {
  // The per-day counts kept by migration 0005's triggers: at most one row per day and
  // combination, however many petitions the period holds.
  return "SELECT channel, kind, field, state, decision, not_processed_reason, outcome, on_time,"
         " duplicate, sum(petitions)::bigint FROM petition_statistics_daily"
         " WHERE agency = ANY($1::text[]) AND day BETWEEN $2::date AND $3::date"
         " GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 HAVING sum(petitions) <> 0";
}

const char* MatchingStore::OpenWatchSql() {
  // The open petitions of the period (the partial index petitions_open_by_receipt): overdue
  // today, and open too long without being of a long-running matter (those the matters'
  // count below includes already); the long-running matters are hashed once, not looked up
  // per petition.
  static const std::string& sql = *new std::string(absl::StrCat(
      "SELECT count(*) FILTER (WHERE p.next_due < $4::date),"
      " count(*) FILTER (WHERE p.received_at < ",
      DayStart("$6"),
      " AND g.matter_group IS NULL) FROM petitions p LEFT JOIN petition_matters g ON"
      " g.matter_group = p.matter_group AND g.filings >= $5 WHERE p.agency = ANY($1::text[])"
      " AND p.state IN (1, 2, 3, 4) AND p.received_at >= ",
      DayStart("$2"), " AND p.received_at < ", DayStart("$3"), " + interval '1 day'"));
  return sql.c_str();
}

const char* MatchingStore::LongMattersSql() {
  // The petitions of the period that belong to a matter petitioned at least $4 times: a
  // matter wholly inside the period counts its filings; one partly inside counts its
  // petitions of the period (petition_matching_by_matter).
  static const std::string& sql = *new std::string(absl::StrCat(
      "SELECT COALESCE(sum(CASE WHEN g.first_received >= ", DayStart("$2"),
      " AND g.last_received < ", DayStart("$3"),
      " + interval '1 day' THEN g.filings ELSE (SELECT count(*) FROM petition_matching m"
      " WHERE m.matter_group = g.matter_group AND m.received_at >= ",
      DayStart("$2"), " AND m.received_at < ", DayStart("$3"),
      " + interval '1 day') END), 0)::bigint FROM petition_matters g"
      " WHERE g.agency = ANY($1::text[]) AND g.filings >= $4 AND g.first_received < ",
      DayStart("$3"), " + interval '1 day' AND g.last_received >= ", DayStart("$2")));
  return sql.c_str();
}

std::vector<MatchingStore::Row> MatchingStore::Statistics(pqxx::transaction_base& tx,
                                                          const std::vector<std::string>& agencies,
                                                          const std::string& from,
                                                          const std::string& to) {
  std::vector<Row> out;
  for (const auto& r : tx.exec_params(StatisticsSql(), TextArray(agencies), from, to)) {
    Row& row = out.emplace_back();
    row.channel = r[0].as<int>();
    row.kind = r[1].as<int>();
    row.field = r[2].as<int>();
    row.state = r[3].as<int>();
    row.decision = r[4].as<int>();
    row.not_processed_reason = r[5].as<int>();
    row.outcome = r[6].as<int>();
    row.on_time = r[7].as<int>();
    row.duplicate = r[8].as<bool>();
    row.count = r[9].as<int64_t>();
  }
  return out;
}

// The three statistics statements are planned for each call's period (not prepared): a
// generic plan cannot know whether a period holds a day or ten years.
MatchingStore::Watch MatchingStore::WatchCounts(pqxx::transaction_base& tx,
                                                const std::vector<std::string>& agencies,
                                                const std::string& from, const std::string& to,
                                                const std::string& today, int filings,
                                                const std::string& open_before) {
  Watch w;
  const auto open =
      tx.exec_params(OpenWatchSql(), TextArray(agencies), from, to, today, filings, open_before);
  w.overdue = open[0][0].as<int64_t>();
  w.long_running = open[0][1].as<int64_t>();
  const auto matters = tx.exec_params(LongMattersSql(), TextArray(agencies), from, to, filings);
  w.long_running += matters[0][0].as<int64_t>();
  return w;
}

MatchingStore::Visits MatchingStore::VisitCounts(pqxx::transaction_base& tx,
                                                 const std::vector<std::string>& agencies,
                                                 const std::string& from, const std::string& to) {
  const auto r =
      ExecPrepared(tx, "statistics_visits",
                   "SELECT count(*), count(*) FILTER (WHERE crowd_case),"
                   " COALESCE(sum(persons), 0) FROM reception_visits"
                   " WHERE agency = ANY($1::text[]) AND day BETWEEN $2::date AND $3::date",
                   TextArray(agencies), from, to);
  return {r[0][0].as<int64_t>(), r[0][1].as<int64_t>(), r[0][2].as<int64_t>()};
}

}  // namespace localgov::petition

#include "services/petition/reception_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/db/query.h"

namespace localgov::petition {
namespace {

template <typename Message>
Message Parse(const pqxx::field& f) {
  Message m;
  m.ParseFromString(pqxx::binarystring(f).str());
  return m;
}

}  // namespace

int ReceptionStore::NextNumber(pqxx::work& tx, const std::string& agency,
                               const std::string& series) {
  const auto r =
      ExecPrepared(tx, "reception_next_number",
                   "INSERT INTO reception_counters (agency, series, last) VALUES ($1, $2, 1)"
                   " ON CONFLICT (agency, series) DO UPDATE SET last = reception_counters.last + 1"
                   " RETURNING last",
                   agency, series);
  return r[0][0].as<int>();
}

void ReceptionStore::InsertSession(pqxx::work& tx, const v1::ReceptionSession& s, absl::Time now) {
  ExecPrepared(tx, "reception_session_insert",
               "INSERT INTO reception_sessions (id, agency, kind, day, leader, leader_role,"
               " stands_in_for, details, created_at) VALUES ($1, $2, $3, $4::date, $5, $6, $7, $8,"
               " timestamptz 'epoch' + $9::bigint * interval '1 microsecond')",
               s.id(), s.agency_code(), static_cast<int>(s.kind()), s.date(), s.leader().id(),
               static_cast<int>(s.leader().role()), s.stands_in_for().id(),
               pqxx::binarystring(s.SerializeAsString()), absl::ToUnixMicros(now));
}

std::optional<v1::ReceptionSession> ReceptionStore::FindSession(pqxx::transaction_base& tx,
                                                                const std::string& id) {
  const auto rows = ExecPrepared(tx, "reception_session_find",
                                 "SELECT details FROM reception_sessions WHERE id = $1", id);
  if (rows.empty()) return std::nullopt;
  return Parse<v1::ReceptionSession>(rows[0][0]);
}

std::vector<v1::ReceptionSession> ReceptionStore::RegularSessions(pqxx::transaction_base& tx,
                                                                  const std::string& agency,
                                                                  absl::CivilDay first,
                                                                  absl::CivilDay last) {
  std::vector<v1::ReceptionSession> out;
  for (const auto& r :
       ExecPrepared(tx, "reception_sessions_regular",
                    "SELECT details FROM reception_sessions WHERE agency = $1 AND day >= $2::date"
                    " AND day <= $3::date AND kind = $4 ORDER BY day, id",
                    agency, absl::FormatCivilTime(first), absl::FormatCivilTime(last),
                    static_cast<int>(v1::RECEPTION_SESSION_KIND_REGULAR))) {
    out.push_back(Parse<v1::ReceptionSession>(r[0]));
  }
  return out;
}

void ReceptionStore::InsertVisit(pqxx::work& tx, const v1::ReceptionVisit& v, absl::Time now) {
  ExecPrepared(tx, "reception_visit_insert",
               "INSERT INTO reception_visits (register_number, agency, session_id, day,"
               " crowd_case, details, created_at, persons) VALUES ($1, $2, NULLIF($3, ''),"
               " $4::date, $5, $6, timestamptz 'epoch' + $7::bigint * interval '1 microsecond',"
               " $8)",
               v.register_number(), v.agency_code(), v.session_id(), v.date(), v.crowd_case(),
               pqxx::binarystring(v.SerializeAsString()), absl::ToUnixMicros(now),
               v.crowd_case() ? std::max(v.delegation().size(), 2) : 1);
}

void ReceptionStore::InsertVisitIdentity(pqxx::work& tx, const std::string& register_number,
                                         const SealedValue& sealed, absl::Time now) {
  ExecPrepared(tx, "reception_visit_identity_insert",
               "INSERT INTO reception_visit_identities (register_number, key_id, sealed,"
               " sealed_at) VALUES ($1, $2, $3,"
               " timestamptz 'epoch' + $4::bigint * interval '1 microsecond')",
               register_number, sealed.key_id, pqxx::binarystring(sealed.blob),
               absl::ToUnixMicros(now));
}

std::optional<SealedValue> ReceptionStore::FindVisitIdentity(pqxx::transaction_base& tx,
                                                             const std::string& register_number) {
  const auto rows = ExecPrepared(
      tx, "reception_visit_identity_find",
      "SELECT key_id, sealed FROM reception_visit_identities WHERE register_number = $1",
      register_number);
  if (rows.empty()) return std::nullopt;
  return SealedValue{rows[0][0].as<std::string>(), pqxx::binarystring(rows[0][1]).str()};
}

void ReceptionStore::LinkPetition(pqxx::work& tx, const std::string& register_number,
                                  const std::string& petition_code) {
  ExecPrepared(tx, "reception_visit_link",
               "INSERT INTO reception_visit_petitions (register_number, petition_code)"
               " VALUES ($1, $2)",
               register_number, petition_code);
}

std::optional<v1::ReceptionVisit> ReceptionStore::FindVisit(pqxx::transaction_base& tx,
                                                            const std::string& register_number) {
  const auto rows = ExecPrepared(tx, "reception_visit_find",
                                 "SELECT details FROM reception_visits WHERE register_number = $1",
                                 register_number);
  if (rows.empty()) return std::nullopt;
  return Parse<v1::ReceptionVisit>(rows[0][0]);
}

std::vector<v1::ReceptionVisit> ReceptionStore::ListVisits(pqxx::transaction_base& tx,
                                                           const VisitFilter& f) {
  std::vector<v1::ReceptionVisit> out;
  for (const auto& r :
       ExecPrepared(tx, "reception_visits_list",
                    "SELECT v.details FROM reception_visits v"
                    " LEFT JOIN reception_sessions s ON s.id = v.session_id"
                    " WHERE v.agency = $1 AND v.day >= $2::date AND v.day <= $3::date"
                    " AND ($4 = '' OR v.session_id = $4) AND ($5 = '' OR s.leader = $5)"
                    " AND (NOT $6 OR v.crowd_case)"
                    " AND ($7 = '' OR (v.day, v.register_number) > (NULLIF($7, '')::date, $8))"
                    " ORDER BY v.day, v.register_number LIMIT $9",
                    f.agency, f.from_day, f.to_day, f.session_id, f.leader_id, f.crowd_cases_only,
                    f.after_day, f.after_number, f.limit)) {
    out.push_back(Parse<v1::ReceptionVisit>(r[0]));
  }
  return out;
}

void ReceptionStore::InsertVoterSession(pqxx::work& tx, const v1::VoterSession& s, absl::Time now) {
  ExecPrepared(tx, "voter_session_insert",
               "INSERT INTO voter_sessions (id, agency, details, created_at) VALUES ($1, $2, $3,"
               " timestamptz 'epoch' + $4::bigint * interval '1 microsecond')",
               s.id(), s.agency_code(), pqxx::binarystring(s.SerializeAsString()),
               absl::ToUnixMicros(now));
}

std::optional<v1::VoterSession> ReceptionStore::FindVoterSession(pqxx::transaction_base& tx,
                                                                 const std::string& id) {
  const auto rows = ExecPrepared(tx, "voter_session_find",
                                 "SELECT details FROM voter_sessions WHERE id = $1", id);
  if (rows.empty()) return std::nullopt;
  return Parse<v1::VoterSession>(rows[0][0]);
}

void ReceptionStore::InsertRecommendation(pqxx::work& tx, const v1::VoterRecommendation& r, int seq,
                                          absl::Time now) {
  ExecPrepared(tx, "voter_recommendation_insert",
               "INSERT INTO voter_recommendations (id, session_id, seq, council_agency,"
               " assigned_agency, state, details, version, updated_at) VALUES ($1, $2, $3, $4, $5,"
               " $6, $7, $8, timestamptz 'epoch' + $9::bigint * interval '1 microsecond')",
               r.id(), r.session_id(), seq, r.council_agency(), r.assigned_agency(),
               static_cast<int>(r.state()), pqxx::binarystring(r.SerializeAsString()), r.version(),
               absl::ToUnixMicros(now));
}

std::optional<v1::VoterRecommendation> ReceptionStore::FindRecommendation(
    pqxx::transaction_base& tx, const std::string& id) {
  const auto rows =
      ExecPrepared(tx, "voter_recommendation_find",
                   "SELECT details, version FROM voter_recommendations WHERE id = $1", id);
  if (rows.empty()) return std::nullopt;
  auto r = Parse<v1::VoterRecommendation>(rows[0][0]);
  r.set_version(rows[0][1].as<int64_t>());
  return r;
}

absl::Status ReceptionStore::UpdateRecommendation(pqxx::work& tx, const v1::VoterRecommendation& r,
                                                  int64_t expected_version, absl::Time now) {
  v1::VoterRecommendation stored = r;
  stored.set_version(expected_version + 1);
  const auto rows = ExecPrepared(
      tx, "voter_recommendation_update",
      "UPDATE voter_recommendations SET assigned_agency = $2, state = $3, details = $4,"
      " version = version + 1,"
      " updated_at = timestamptz 'epoch' + $5::bigint * interval '1 microsecond'"
      " WHERE id = $1 AND version = $6 RETURNING version",
      r.id(), r.assigned_agency(), static_cast<int>(r.state()),
      pqxx::binarystring(stored.SerializeAsString()), absl::ToUnixMicros(now), expected_version);
  if (rows.empty()) {
    return absl::AbortedError(absl::StrCat("voter recommendation ", r.id(),
                                           " changed since version ", expected_version,
                                           "; read it again"));
  }
  return absl::OkStatus();
}

std::vector<v1::VoterRecommendation> ReceptionStore::Recommendations(
    pqxx::transaction_base& tx, const std::string& session_id) {
  std::vector<v1::VoterRecommendation> out;
  for (const auto& row : ExecPrepared(tx, "voter_recommendations_of",
                                      "SELECT details, version FROM voter_recommendations"
                                      " WHERE session_id = $1 ORDER BY seq",
                                      session_id)) {
    auto r = Parse<v1::VoterRecommendation>(row[0]);
    r.set_version(row[1].as<int64_t>());
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace localgov::petition

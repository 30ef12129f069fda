#include "services/cadre/cadre_store.h"

#include <functional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/util/time_util.h"

namespace localgov::cadre {
namespace {

using google::protobuf::util::TimeUtil;

std::string Micros(absl::Time t) { return absl::StrCat(absl::ToUnixMicros(t)); }
std::string Day(absl::CivilDay d) { return FormatDay(d); }

// The columns of a history version, in the order ReadRecord reads them (`h` the version, `p`
// its position, left-joined).
constexpr const char* kHistoryColumns =
    "h.record_id, h.kind, h.movement, COALESCE(h.position_code, ''), COALESCE(h.unit_code, ''),"
    " COALESCE(h.agency_code, ''), COALESCE(p.name, ''), h.rank, h.grade_code, h.step,"
    " h.coefficient_x100, h.valid_from::text, COALESCE(h.valid_until::text, ''),"
    " (extract(epoch from h.recorded_from) * 1000000)::bigint,"
    " (extract(epoch from h.recorded_until) * 1000000)::bigint, h.change_kind, h.reason,"
    " h.recorded_by, COALESCE(h.term_end::text, ''), h.version_id, h.person_id";
constexpr int kHistoryWidth = 21;

// kHistoryColumns (or an AsOfCondition) for a version aliased `h` and its position `p`.
std::string Aliased(const std::string& sql, const std::string& h, const std::string& p) {
  return absl::StrReplaceAll(sql, {{"h.", h + "."}, {"p.name", p + ".name"}});
}

v1::HistoryRecord ReadRecord(const pqxx::row& r, int at = 0) {
  v1::HistoryRecord h;
  h.set_record_id(r[at + 0].as<int64_t>());
  h.set_kind(static_cast<v1::RecordKind>(r[at + 1].as<int>()));
  h.set_movement(static_cast<v1::Movement>(r[at + 2].as<int>()));
  h.set_position_code(r[at + 3].as<std::string>());
  h.set_unit_code(r[at + 4].as<std::string>());
  h.set_agency_code(r[at + 5].as<std::string>());
  h.set_position_name(r[at + 6].as<std::string>());
  h.set_rank(static_cast<v1::Rank>(r[at + 7].as<int>()));
  h.set_grade_code(r[at + 8].as<std::string>());
  h.set_step(r[at + 9].as<int>());
  h.set_coefficient_x100(r[at + 10].as<int>());
  h.set_valid_from(r[at + 11].as<std::string>());
  h.set_valid_until(r[at + 12].as<std::string>());
  *h.mutable_recorded_from() = TimeUtil::MicrosecondsToTimestamp(r[at + 13].as<int64_t>());
  if (!r[at + 14].is_null()) {
    *h.mutable_recorded_until() = TimeUtil::MicrosecondsToTimestamp(r[at + 14].as<int64_t>());
  }
  h.set_change_kind(static_cast<v1::ChangeKind>(r[at + 15].as<int>()));
  h.set_reason(r[at + 16].as<std::string>());
  h.set_recorded_by(r[at + 17].as<std::string>());
  h.set_term_end_date(r[at + 18].as<std::string>());
  return h;
}

// The condition that a version `h` is in force on the day $d and known at the time $t (or
// now, when the read has no known_at: then only current versions, from the partial indexes).
std::string AsOfCondition(const AsOf& as_of, int day_param, int time_param) {
  std::string c =
      absl::StrCat(" AND h.valid_from <= $", day_param,
                   "::date AND (h.valid_until IS NULL OR h.valid_until > $", day_param, "::date)");
  if (as_of.known_at.has_value()) {
    absl::StrAppend(&c, " AND h.recorded_from <= timestamptz 'epoch' + $", time_param,
                    "::bigint * interval '1 microsecond' AND (h.recorded_until IS NULL OR"
                    " h.recorded_until > timestamptz 'epoch' + $",
                    time_param, "::bigint * interval '1 microsecond')");
  } else {
    absl::StrAppend(&c, " AND h.recorded_until IS NULL");
  }
  return c;
}

void AddAsOfParams(const AsOf& as_of, std::vector<std::string>& params) {
  params.push_back(Day(as_of.day));
  if (as_of.known_at.has_value()) params.push_back(Micros(*as_of.known_at));
}

// Runs `q` as a statement prepared on the connection (named after its text): the as-of and
// roster statements take longer to plan than to run (docs/benchmarks.md), and each has only a
// few shapes.
pqxx::result Run(pqxx::transaction_base& tx, const SqlQuery& q) {
  const std::string name = absl::StrCat("cadre_q_", std::hash<std::string>{}(q.sql));
  tx.conn().prepare(name, q.sql);  // a no-op once defined on this connection
  return tx.exec_prepared(name, pqxx::prepare::make_dynamic_params(q.params));
}

v1::Person ReadPerson(const pqxx::row& r, int at = 0) {
  v1::Person p;
  p.set_id(r[at + 0].as<int64_t>());
  p.set_kind(static_cast<v1::PersonKind>(r[at + 1].as<int>()));
  p.set_citizen_id(r[at + 2].as<std::string>());
  p.set_full_name(r[at + 3].as<std::string>());
  p.set_birth_date(r[at + 4].as<std::string>());
  p.set_gender(static_cast<v1::Gender>(r[at + 5].as<int>()));
  p.set_ethnicity(r[at + 6].as<std::string>());
  p.set_agency_code(r[at + 7].as<std::string>());
  p.set_version(r[at + 8].as<int64_t>());
  return p;
}
constexpr const char* kPersonColumns =
    "id, kind, citizen_id, full_name, birth_date::text, gender, ethnicity, agency_code, version";
// The same, after "pe." (the roster's join).
constexpr const char* kPersonColumnsShort =
    "id, pe.kind, pe.citizen_id, pe.full_name, pe.birth_date::text, pe.gender, pe.ethnicity,"
    " pe.agency_code, pe.version";
constexpr int kPersonWidth = 9;

std::string IdArray(const std::vector<int64_t>& ids) {
  return absl::StrCat("{", absl::StrJoin(ids, ","), "}");
}

}  // namespace

std::optional<v1::Unit> CadreStore::FindUnit(pqxx::transaction_base& tx, const std::string& code) {
  const auto r = ExecPrepared(tx, "cadre_find_unit",
                              "SELECT code, agency_code, name, COALESCE(parent_code, '')"
                              " FROM cadre_units WHERE code = $1",
                              code);
  if (r.empty()) return std::nullopt;
  v1::Unit u;
  u.set_code(r[0][0].as<std::string>());
  u.set_agency_code(r[0][1].as<std::string>());
  u.set_name(r[0][2].as<std::string>());
  u.set_parent_code(r[0][3].as<std::string>());
  return u;
}

void CadreStore::InsertUnit(pqxx::work& tx, const v1::Unit& u, absl::Time now) {
  tx.exec_params(
      "INSERT INTO cadre_units (code, agency_code, name, parent_code, created_at)"
      " VALUES ($1, $2, $3, NULLIF($4, ''), timestamptz 'epoch' + $5::bigint * interval"
      " '1 microsecond')",
      u.code(), u.agency_code(), u.name(), u.parent_code(), Micros(now));
}

SqlQuery CadreStore::ListUnitsQuery(const std::vector<std::string>& agencies,
                                    const std::string& after, int limit) {
  return {
      "SELECT code, agency_code, name, COALESCE(parent_code, '') FROM cadre_units"
      " WHERE agency_code = ANY($1::text[]) AND code > $2 ORDER BY code LIMIT $3::int",
      {TextArray(agencies), after, absl::StrCat(limit)}};
}

std::vector<v1::Unit> CadreStore::ListUnits(pqxx::transaction_base& tx, const SqlQuery& q) {
  std::vector<v1::Unit> out;
  for (const auto& r : Run(tx, q)) {
    v1::Unit u;
    u.set_code(r[0].as<std::string>());
    u.set_agency_code(r[1].as<std::string>());
    u.set_name(r[2].as<std::string>());
    u.set_parent_code(r[3].as<std::string>());
    out.push_back(std::move(u));
  }
  return out;
}

namespace {
constexpr const char* kPositionColumns =
    "code, unit_code, name, required_rank, required_professional_level, required_field,"
    " required_political_theory, requires_state_management, leadership, max_holders";
v1::Position ReadPosition(const pqxx::row& r) {
  v1::Position p;
  p.set_code(r[0].as<std::string>());
  p.set_unit_code(r[1].as<std::string>());
  p.set_name(r[2].as<std::string>());
  p.set_required_rank(static_cast<v1::Rank>(r[3].as<int>()));
  p.set_required_professional_level(static_cast<v1::ProfessionalLevel>(r[4].as<int>()));
  p.set_required_field(r[5].as<std::string>());
  p.set_required_political_theory(static_cast<v1::PoliticalTheoryLevel>(r[6].as<int>()));
  p.set_requires_state_management(r[7].as<bool>());
  p.set_leadership(r[8].as<bool>());
  p.set_max_holders(r[9].as<int>());
  return p;
}
}  // namespace

std::vector<v1::Position> CadreStore::AgencyPositions(pqxx::transaction_base& tx,
                                                      const std::vector<std::string>& agencies) {
  std::vector<v1::Position> out;
  for (const auto& r : tx.exec_params(
           absl::StrCat("SELECT ", kPositionColumns,
                        " FROM cadre_positions WHERE unit_code IN (SELECT code FROM cadre_units"
                        " WHERE agency_code = ANY($1::text[])) ORDER BY code"),
           TextArray(agencies))) {
    out.push_back(ReadPosition(r));
  }
  return out;
}

std::optional<v1::Position> CadreStore::FindPosition(pqxx::transaction_base& tx,
                                                     const std::string& code, bool lock) {
  const auto r = tx.exec_params(
      absl::StrCat("SELECT ", kPositionColumns, " FROM cadre_positions WHERE code = $1",
                   lock ? " FOR UPDATE" : ""),
      code);
  if (r.empty()) return std::nullopt;
  return ReadPosition(r[0]);
}

void CadreStore::InsertPosition(pqxx::work& tx, const v1::Position& p, absl::Time now) {
  tx.exec_params(
      absl::StrCat("INSERT INTO cadre_positions (", kPositionColumns,
                   ", created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, timestamptz"
                   " 'epoch' + $11::bigint * interval '1 microsecond')"),
      p.code(), p.unit_code(), p.name(), static_cast<int>(p.required_rank()),
      static_cast<int>(p.required_professional_level()), p.required_field(),
      static_cast<int>(p.required_political_theory()), p.requires_state_management(),
      p.leadership(), p.max_holders(), Micros(now));
}

SqlQuery CadreStore::PositionsQuery(const std::string& unit, const AsOf& as_of) {
  SqlQuery q;
  q.sql = absl::StrCat("SELECT ", kPositionColumns,
                       ", (SELECT count(DISTINCT h.person_id) FROM cadre_history h"
                       " WHERE h.kind = 1 AND h.position_code = cadre_positions.code",
                       AsOfCondition(as_of, 2, 3),
                       ") FROM cadre_positions WHERE unit_code = $1 ORDER BY code");
  q.params = {unit};
  AddAsOfParams(as_of, q.params);
  return q;
}

std::vector<v1::Position> CadreStore::Positions(pqxx::transaction_base& tx, const SqlQuery& q) {
  std::vector<v1::Position> out;
  for (const auto& r : Run(tx, q)) {
    auto p = ReadPosition(r);
    p.set_holders(r[10].as<int>());
    out.push_back(std::move(p));
  }
  return out;
}

std::optional<v1::Quota> CadreStore::FindQuota(pqxx::transaction_base& tx, const std::string& unit,
                                               int year, bool lock) {
  const auto r = tx.exec_params(
      absl::StrCat("SELECT quota, version FROM cadre_quotas WHERE unit_code = $1 AND year = $2",
                   lock ? " FOR UPDATE" : ""),
      unit, year);
  if (r.empty()) return std::nullopt;
  v1::Quota q;
  q.set_unit_code(unit);
  q.set_year(year);
  q.set_quota(r[0][0].as<int>());
  q.set_version(r[0][1].as<int64_t>());
  return q;
}

void CadreStore::InsertQuota(pqxx::work& tx, const v1::Quota& q) {
  tx.exec_params(
      "INSERT INTO cadre_quotas (unit_code, year, quota, version) VALUES ($1, $2, $3, $4)",
      q.unit_code(), q.year(), q.quota(), q.version());
}

void CadreStore::UpdateQuota(pqxx::work& tx, const v1::Quota& q) {
  tx.exec_params(
      "UPDATE cadre_quotas SET quota = $3, version = $4 WHERE unit_code = $1 AND"
      " year = $2",
      q.unit_code(), q.year(), q.quota(), q.version());
}

SqlQuery CadreStore::HeadcountQuery(const std::string& unit, const AsOf& as_of) {
  SqlQuery q;
  q.sql = absl::StrCat(
      "SELECT count(DISTINCT h.person_id) FILTER (WHERE pe.kind <> 4),"
      " count(DISTINCT h.person_id) FILTER (WHERE pe.kind = 4)"
      " FROM cadre_history h JOIN cadre_people pe ON pe.id = h.person_id"
      " WHERE h.kind = 1 AND h.unit_code = $1",
      AsOfCondition(as_of, 2, 3));
  q.params = {unit};
  AddAsOfParams(as_of, q.params);
  return q;
}

CadreStore::Headcount CadreStore::CountHeads(pqxx::transaction_base& tx, const SqlQuery& q) {
  const auto r = Run(tx, q);
  return {r[0][0].as<int>(), r[0][1].as<int>()};
}

std::map<std::string, CadreStore::Headcount> CadreStore::CountHeadsByUnit(
    pqxx::transaction_base& tx, const std::vector<std::string>& units, const AsOf& as_of) {
  SqlQuery q;
  q.sql = absl::StrCat(
      "SELECT h.unit_code, count(DISTINCT h.person_id) FILTER (WHERE pe.kind <> 4),"
      " count(DISTINCT h.person_id) FILTER (WHERE pe.kind = 4)"
      // Each person by primary key (OFFSET 0 keeps it a nested loop): a few units' people,
      // not a hash of everybody (the worklist counts one or two units a page).
      " FROM cadre_history h CROSS JOIN LATERAL (SELECT kind FROM cadre_people"
      " WHERE id = h.person_id OFFSET 0) pe WHERE h.kind = 1 AND h.unit_code = ANY($1::text[])",
      AsOfCondition(as_of, 2, 3), " GROUP BY h.unit_code");
  q.params = {TextArray(units)};
  AddAsOfParams(as_of, q.params);
  std::map<std::string, Headcount> out;
  for (const auto& r : Run(tx, q)) out[r[0].as<std::string>()] = {r[1].as<int>(), r[2].as<int>()};
  return out;
}

std::optional<v1::Person> CadreStore::FindPerson(pqxx::transaction_base& tx, int64_t id,
                                                 bool lock) {
  const auto r =
      Run(tx, {absl::StrCat("SELECT ", kPersonColumns, " FROM cadre_people WHERE id = $1::bigint",
                            lock ? " FOR UPDATE" : ""),
               {absl::StrCat(id)}});
  if (r.empty()) return std::nullopt;
  return ReadPerson(r[0]);
}

std::optional<int64_t> CadreStore::PersonIdByCitizenId(pqxx::transaction_base& tx,
                                                       const std::string& citizen_id) {
  const auto r = ExecPrepared(tx, "cadre_person_by_citizen",
                              "SELECT id FROM cadre_people WHERE citizen_id = $1", citizen_id);
  if (r.empty()) return std::nullopt;
  return r[0][0].as<int64_t>();
}

int64_t CadreStore::InsertPerson(pqxx::work& tx, const v1::Person& p, absl::Time now) {
  const auto r = tx.exec_params(
      "INSERT INTO cadre_people (kind, citizen_id, full_name, birth_date, gender, ethnicity,"
      " agency_code, version, created_at) VALUES ($1, $2, $3, $4::date, $5, $6, $7, 1,"
      " timestamptz 'epoch' + $8::bigint * interval '1 microsecond') RETURNING id",
      static_cast<int>(p.kind()), p.citizen_id(), p.full_name(), p.birth_date(),
      static_cast<int>(p.gender()), p.ethnicity(), p.agency_code(), Micros(now));
  return r[0][0].as<int64_t>();
}

SqlQuery CadreStore::ListPeopleQuery(const std::vector<std::string>& agencies, int64_t after,
                                     int limit) {
  return {absl::StrCat("SELECT ", kPersonColumns,
                       " FROM cadre_people WHERE agency_code = ANY($1::text[]) AND id > $2::bigint"
                       " ORDER BY id LIMIT $3::int"),
          {TextArray(agencies), absl::StrCat(after), absl::StrCat(limit)}};
}

std::vector<v1::Person> CadreStore::ListPeople(pqxx::transaction_base& tx, const SqlQuery& q) {
  std::vector<v1::Person> out;
  for (const auto& r : Run(tx, q)) out.push_back(ReadPerson(r));
  return out;
}

bool CadreStore::BumpVersion(pqxx::work& tx, int64_t id, int64_t expected,
                             const std::string& agency_code) {
  const auto r = tx.exec_params(
      "UPDATE cadre_people SET version = version + 1, agency_code = COALESCE(NULLIF($3, ''),"
      " agency_code) WHERE id = $1 AND version = $2",
      id, expected, agency_code);
  return r.affected_rows() == 1;
}

void CadreStore::SetAgency(pqxx::work& tx, int64_t id, const std::string& agency_code) {
  tx.exec_params("UPDATE cadre_people SET agency_code = $2 WHERE id = $1", id, agency_code);
}

int64_t CadreStore::InsertQualification(pqxx::work& tx, int64_t person, const v1::Qualification& q,
                                        absl::Time now) {
  const auto r = tx.exec_params(
      "INSERT INTO cadre_qualifications (person_id, category, level, field, awarded_on,"
      " recorded_at) VALUES ($1, $2, $3, $4, $5::date, timestamptz 'epoch' + $6::bigint *"
      " interval '1 microsecond') RETURNING id",
      person, static_cast<int>(q.category()), q.level(), q.field(), q.awarded_date(), Micros(now));
  return r[0][0].as<int64_t>();
}

std::vector<v1::Qualification> CadreStore::Qualifications(pqxx::transaction_base& tx,
                                                          int64_t person, const AsOf& as_of) {
  std::vector<v1::Qualification> out;
  const std::string known = as_of.known_at.has_value() ? Micros(*as_of.known_at) : "";
  for (const auto& r :
       Run(tx, {"SELECT id, category, level, field, awarded_on::text FROM cadre_qualifications"
                " WHERE person_id = $1::bigint AND awarded_on <= $2::date AND ($3 = '' OR"
                " recorded_at <= timestamptz 'epoch' + NULLIF($3, '')::bigint * interval"
                " '1 microsecond') ORDER BY awarded_on, id",
                {absl::StrCat(person), Day(as_of.day), known}})) {
    v1::Qualification q;
    q.set_id(r[0].as<int64_t>());
    q.set_category(static_cast<v1::QualificationCategory>(r[1].as<int>()));
    q.set_level(r[2].as<int>());
    q.set_field(r[3].as<std::string>());
    q.set_awarded_date(r[4].as<std::string>());
    out.push_back(std::move(q));
  }
  return out;
}

SqlQuery CadreStore::RecordAsOfQuery(int64_t person, v1::RecordKind kind, const AsOf& as_of) {
  SqlQuery q;
  q.sql = absl::StrCat("SELECT ", kHistoryColumns,
                       " FROM cadre_history h LEFT JOIN cadre_positions p ON p.code ="
                       " h.position_code WHERE h.person_id = $1::bigint AND h.kind = $2::smallint",
                       AsOfCondition(as_of, 3, 4), " ORDER BY h.valid_from DESC LIMIT 1");
  q.params = {absl::StrCat(person), absl::StrCat(static_cast<int>(kind))};
  AddAsOfParams(as_of, q.params);
  return q;
}

std::optional<v1::HistoryRecord> CadreStore::RecordAsOf(pqxx::transaction_base& tx, int64_t person,
                                                        v1::RecordKind kind, const AsOf& as_of) {
  const auto r = Run(tx, RecordAsOfQuery(person, kind, as_of));
  if (r.empty()) return std::nullopt;
  return ReadRecord(r[0]);
}

std::vector<v1::HistoryRecord> CadreStore::History(pqxx::transaction_base& tx, int64_t person) {
  std::vector<v1::HistoryRecord> out;
  for (const auto& r :
       tx.exec_params(absl::StrCat("SELECT ", kHistoryColumns,
                                   " FROM cadre_history h LEFT JOIN cadre_positions p ON p.code ="
                                   " h.position_code WHERE h.person_id = $1"
                                   " ORDER BY h.kind, h.valid_from, h.recorded_from, h.version_id"),
                      person)) {
    out.push_back(ReadRecord(r));
  }
  return out;
}

std::vector<StoredVersion> CadreStore::CurrentRecords(pqxx::transaction_base& tx, int64_t person,
                                                      v1::RecordKind kind) {
  std::vector<StoredVersion> out;
  for (const auto& r :
       tx.exec_params(absl::StrCat("SELECT ", kHistoryColumns,
                                   " FROM cadre_history h LEFT JOIN cadre_positions p ON p.code ="
                                   " h.position_code WHERE h.person_id = $1 AND h.kind = $2 AND"
                                   " h.recorded_until IS NULL ORDER BY h.valid_from"),
                      person, static_cast<int>(kind))) {
    out.push_back({r[19].as<int64_t>(), r[20].as<int64_t>(), ReadRecord(r)});
  }
  return out;
}

std::optional<StoredVersion> CadreStore::CurrentVersion(pqxx::transaction_base& tx,
                                                        int64_t record_id) {
  const auto r = tx.exec_params(
      absl::StrCat("SELECT ", kHistoryColumns,
                   " FROM cadre_history h LEFT JOIN cadre_positions p ON p.code ="
                   " h.position_code WHERE h.record_id = $1 AND h.recorded_until IS NULL"),
      record_id);
  if (r.empty()) return std::nullopt;
  return StoredVersion{r[0][19].as<int64_t>(), r[0][20].as<int64_t>(), ReadRecord(r[0])};
}

int CadreStore::MostOtherHolders(pqxx::transaction_base& tx, const std::string& position,
                                 int64_t person, absl::CivilDay from,
                                 std::optional<absl::CivilDay> until) {
  // The most holders on one day is reached on the first day of one of the overlapping
  // assignments (or on `from`).
  const auto r = tx.exec_params(
      "WITH o AS (SELECT valid_from, valid_until FROM cadre_history WHERE kind = 1 AND"
      " recorded_until IS NULL AND position_code = $1 AND person_id <> $2 AND valid_from <"
      " COALESCE(NULLIF($4, '')::date, 'infinity'::date) AND (valid_until IS NULL OR"
      " valid_until > $3::date))"
      " SELECT COALESCE(max((SELECT count(*) FROM o o2 WHERE o2.valid_from <= b.d AND"
      " (o2.valid_until IS NULL OR o2.valid_until > b.d))), 0)"
      " FROM (SELECT GREATEST(valid_from, $3::date) AS d FROM o) b",
      position, person, Day(from), until.has_value() ? Day(*until) : std::string());
  return r[0][0].as<int>();
}

void CadreStore::Supersede(pqxx::work& tx, int64_t version_id, absl::Time now) {
  tx.exec_params(
      "UPDATE cadre_history SET recorded_until = timestamptz 'epoch' + $2::bigint * interval"
      " '1 microsecond' WHERE version_id = $1 AND recorded_until IS NULL",
      version_id, Micros(now));
}

int64_t CadreStore::InsertVersion(pqxx::work& tx, int64_t person, const v1::HistoryRecord& h,
                                  absl::Time now) {
  const bool assignment = h.kind() == v1::RECORD_KIND_ASSIGNMENT;
  const auto r = tx.exec_params(
      "INSERT INTO cadre_history (record_id, person_id, kind, movement, position_code, unit_code,"
      " agency_code, term_end, rank, grade_code, step, coefficient_x100, valid_from, valid_until,"
      " recorded_from, change_kind, reason, recorded_by)"
      " VALUES (CASE WHEN $1::bigint = 0 THEN nextval('cadre_record_id_seq') ELSE $1::bigint END,"
      " $2, $3, $4, NULLIF($5, ''), NULLIF($6, ''), NULLIF($7, ''), NULLIF($8, '')::date, $9,"
      " $10, $11, $12, $13::date, NULLIF($14, '')::date, timestamptz 'epoch' + $15::bigint *"
      " interval '1 microsecond', $16, $17, $18) RETURNING record_id",
      h.record_id(), person, static_cast<int>(h.kind()), static_cast<int>(h.movement()),
      assignment ? h.position_code() : "", assignment ? h.unit_code() : "",
      assignment ? h.agency_code() : "", h.term_end_date(), static_cast<int>(h.rank()),
      h.grade_code(), h.step(), h.coefficient_x100(), h.valid_from(), h.valid_until(), Micros(now),
      static_cast<int>(h.change_kind()), h.reason(), h.recorded_by());
  return r[0][0].as<int64_t>();
}

SqlQuery CadreStore::RosterQuery(const RosterFilter& f) {
  // One statement: each assignment in force, its person, and (one index probe each) the rank
  // in force on the same day as known at the same time.
  SqlQuery q;
  const bool by_unit = !f.unit_codes.empty();
  const int after = f.as_of.known_at.has_value() ? 4 : 3;
  const std::string rank =
      f.with_rank
          ? absl::StrCat(" LEFT JOIN LATERAL (SELECT ", Aliased(kHistoryColumns, "rh", "rp"),
                         " FROM cadre_history rh LEFT JOIN cadre_positions rp ON rp.code ="
                         " rh.position_code WHERE rh.kind = 2 AND rh.person_id = h.person_id",
                         Aliased(AsOfCondition(f.as_of, 2, 3), "rh", "rp"),
                         " ORDER BY rh.valid_from DESC LIMIT 1) r ON true")
          : "";
  q.sql = absl::StrCat(
      "SELECT ", kHistoryColumns, ", pe.", kPersonColumnsShort, f.with_rank ? ", r.*" : "",
      " FROM cadre_history h LEFT JOIN cadre_positions p ON p.code = h.position_code",
      " JOIN cadre_people pe ON pe.id = h.person_id", rank, " WHERE h.kind = 1 AND ",
      by_unit ? "h.unit_code" : "h.agency_code", " = ANY($1::text[])", AsOfCondition(f.as_of, 2, 3),
      " AND h.person_id > $", after, "::bigint ORDER BY h.person_id LIMIT $", after + 1, "::int");
  q.params = {TextArray(by_unit ? f.unit_codes : f.agency_codes)};
  AddAsOfParams(f.as_of, q.params);
  q.params.push_back(absl::StrCat(f.after_person));
  q.params.push_back(absl::StrCat(f.limit));
  return q;
}

std::vector<CadreStore::RosterRow> CadreStore::Roster(pqxx::transaction_base& tx,
                                                      const SqlQuery& q) {
  std::vector<RosterRow> out;
  for (const auto& r : Run(tx, q)) {
    RosterRow row;
    row.person_id = r[20].as<int64_t>();
    row.assignment = ReadRecord(r);
    row.person = ReadPerson(r, kHistoryWidth);
    if (r.size() > kHistoryWidth + kPersonWidth && !r[kHistoryWidth + kPersonWidth].is_null()) {
      row.rank = ReadRecord(r, kHistoryWidth + kPersonWidth);
    }
    out.push_back(std::move(row));
  }
  return out;
}

SqlQuery CadreStore::RanksQuery(const std::vector<int64_t>& people, const AsOf& as_of) {
  // One index probe per person (the latest rank record starting by the day), not a scan of
  // every rank version of every person on the page.
  SqlQuery q;
  q.sql =
      absl::StrCat("SELECT x.* FROM unnest($1::bigint[]) AS ids(id) CROSS JOIN LATERAL (SELECT ",
                   kHistoryColumns,
                   " FROM cadre_history h LEFT JOIN cadre_positions p ON p.code ="
                   " h.position_code WHERE h.kind = 2 AND h.person_id = ids.id",
                   AsOfCondition(as_of, 2, 3), " ORDER BY h.valid_from DESC LIMIT 1) x");
  q.params = {IdArray(people)};
  AddAsOfParams(as_of, q.params);
  return q;
}

std::vector<std::pair<int64_t, v1::HistoryRecord>> CadreStore::Ranks(pqxx::transaction_base& tx,
                                                                     const SqlQuery& q) {
  std::vector<std::pair<int64_t, v1::HistoryRecord>> out;
  for (const auto& r : Run(tx, q)) out.emplace_back(r[20].as<int64_t>(), ReadRecord(r));
  return out;
}

std::vector<v1::Person> CadreStore::PeopleByIds(pqxx::transaction_base& tx,
                                                const std::vector<int64_t>& ids) {
  std::vector<v1::Person> out;
  for (const auto& r : tx.exec_params(absl::StrCat("SELECT ", kPersonColumns,
                                                   " FROM cadre_people WHERE id ="
                                                   " ANY($1::bigint[]) ORDER BY id"),
                                      IdArray(ids))) {
    out.push_back(ReadPerson(r));
  }
  return out;
}

}  // namespace localgov::cadre

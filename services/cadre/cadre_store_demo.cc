// CadreStore: loading the generated demo province (services/cadre/demo_data.h) in bulk.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "nlohmann/json.hpp"
#include "services/cadre/cadre_store.h"
#include "services/cadre/demo_data.h"

namespace localgov::cadre {
namespace {

using nlohmann::json;

constexpr size_t kBatch = 5000;

// Runs `sql` with $1 = a JSON array of each batch of `rows`.
void InBatches(pqxx::work& tx, const std::string& sql, const json& rows) {
  for (size_t at = 0; at < rows.size(); at += kBatch) {
    json batch = json::array();
    for (size_t i = at; i < std::min(rows.size(), at + kBatch); ++i) batch.push_back(rows[i]);
    tx.exec_params(sql, batch.dump());
  }
}

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }

}  // namespace

bool CadreStore::DemoLoaded(pqxx::transaction_base& tx) {
  return !tx.exec("SELECT 1 FROM cadre_meta WHERE key = 'demo_province'").empty();
}

void CadreStore::LoadDemo(pqxx::work& tx, const DemoProvince& d, absl::Time now) {
  json agencies = json::array();
  for (const auto& a : d.agencies) {
    agencies.push_back({{"code", a.code()},
                        {"name", a.name()},
                        {"sup", absl::StrJoin(a.supervisor_codes(), ",")},
                        {"succ", a.successor_code()},
                        {"merged", a.merged_on()}});
  }
  // In order: a successor is inserted before the agencies merged into it. With the liaison
  // directory, `cadre load-demo` has registered the same agencies and mergers there first;
  // one the directory's projection inserted already gets its supervisors here.
  for (const auto& a : agencies) {
    tx.exec_params(
        "INSERT INTO cadre_agencies (code, name, supervisor_codes, successor_code, merged_on)"
        " VALUES ($1, $2, COALESCE(string_to_array(NULLIF($3, ''), ','), '{}'), NULLIF($4, ''),"
        " NULLIF($5, '')::date) ON CONFLICT (code) DO UPDATE SET supervisor_codes ="
        " EXCLUDED.supervisor_codes, supervision_registered = true",
        a["code"].get<std::string>(), a["name"].get<std::string>(), a["sup"].get<std::string>(),
        a["succ"].get<std::string>(), a["merged"].get<std::string>());
  }
  json units = json::array();
  for (const auto& u : d.units) {
    units.push_back({{"code", u.code()}, {"agency", u.agency_code()}, {"name", u.name()}});
  }
  InBatches(tx,
            "INSERT INTO cadre_units (code, agency_code, name) SELECT code, agency, name FROM"
            " jsonb_to_recordset($1::jsonb) AS x(code text, agency text, name text)",
            units);
  json positions = json::array();
  for (const auto& p : d.positions) {
    positions.push_back({{"code", p.code()},
                         {"unit", p.unit_code()},
                         {"name", p.name()},
                         {"rank", static_cast<int>(p.required_rank())},
                         {"prof", static_cast<int>(p.required_professional_level())},
                         {"field", p.required_field()},
                         {"pol", static_cast<int>(p.required_political_theory())},
                         {"sm", p.requires_state_management()},
                         {"lead", p.leadership()},
                         {"max", p.max_holders()}});
  }
  InBatches(tx,
            "INSERT INTO cadre_positions (code, unit_code, name, required_rank,"
            " required_professional_level, required_field, required_political_theory,"
            " requires_state_management, leadership, max_holders) SELECT code, unit, name, rank,"
            " prof, field, pol, sm, lead, max FROM jsonb_to_recordset($1::jsonb) AS x(code text,"
            " unit text, name text, rank smallint, prof smallint, field text, pol smallint,"
            " sm boolean, lead boolean, max int)",
            positions);
  json quotas = json::array();
  for (const auto& q : d.quotas) {
    quotas.push_back({{"unit", q.unit_code()}, {"year", q.year()}, {"quota", q.quota()}});
  }
  InBatches(tx,
            "INSERT INTO cadre_quotas (unit_code, year, quota) SELECT unit, year, quota FROM"
            " jsonb_to_recordset($1::jsonb) AS x(unit text, year int, quota int)",
            quotas);
  json people = json::array(), quals = json::array(), history = json::array();
  int64_t max_record = 0;
  for (const auto& dp : d.people) {
    const auto& p = dp.person;
    people.push_back({{"id", p.id()},
                      {"kind", static_cast<int>(p.kind())},
                      {"cid", p.citizen_id()},
                      {"name", p.full_name()},
                      {"birth", p.birth_date()},
                      {"gender", static_cast<int>(p.gender())},
                      {"eth", p.ethnicity()},
                      {"agency", p.agency_code()},
                      {"version", p.version()}});
    for (const auto& q : dp.qualifications) {
      quals.push_back({{"person", p.id()},
                       {"cat", static_cast<int>(q.category())},
                       {"level", q.level()},
                       {"field", q.field()},
                       {"on", q.awarded_date()}});
    }
    for (const auto& v : dp.history) {
      const auto& r = v.record;
      max_record = std::max(max_record, r.record_id());
      json row = {{"rid", r.record_id()},
                  {"person", p.id()},
                  {"kind", static_cast<int>(r.kind())},
                  {"mv", static_cast<int>(r.movement())},
                  {"pos", r.position_code()},
                  {"unit", r.unit_code()},
                  {"agency", r.agency_code()},
                  {"term", r.term_end_date()},
                  {"rank", static_cast<int>(r.rank())},
                  {"grade", r.grade_code()},
                  {"step", r.step()},
                  {"coef", r.coefficient_x100()},
                  {"vf", r.valid_from()},
                  {"vu", r.valid_until()},
                  {"rf", Micros(v.recorded_from)},
                  {"ck", static_cast<int>(r.change_kind())},
                  {"reason", r.reason()},
                  {"by", r.recorded_by()}};
      if (v.recorded_until.has_value()) row["ru"] = Micros(*v.recorded_until);
      history.push_back(std::move(row));
    }
  }
  InBatches(tx,
            "INSERT INTO cadre_people (id, kind, citizen_id, full_name, birth_date, gender,"
            " ethnicity, agency_code, version) SELECT id, kind, cid, name, birth::date, gender,"
            " eth, agency, version FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, kind"
            " smallint, cid text, name text, birth text, gender smallint, eth text, agency text,"
            " version bigint)",
            people);
  InBatches(tx,
            "INSERT INTO cadre_qualifications (person_id, category, level, field, awarded_on,"
            " recorded_at) SELECT person, cat, level, field, \"on\"::date, \"on\"::date +"
            " time '09:00' FROM jsonb_to_recordset($1::jsonb) AS x(person bigint, cat smallint,"
            " level smallint, field text, \"on\" text)",
            quals);
  InBatches(tx,
            "INSERT INTO cadre_history (record_id, person_id, kind, movement, position_code,"
            " unit_code, agency_code, term_end, rank, grade_code, step, coefficient_x100,"
            " valid_from, valid_until, recorded_from, recorded_until, change_kind, reason,"
            " recorded_by) SELECT rid, person, kind, mv, NULLIF(pos, ''), NULLIF(unit, ''),"
            " NULLIF(agency, ''), NULLIF(term, '')::date, rank, grade, step, coef, vf::date,"
            " NULLIF(vu, '')::date, timestamptz 'epoch' + rf * interval '1 microsecond',"
            " timestamptz 'epoch' + ru * interval '1 microsecond', ck, reason, by"
            " FROM jsonb_to_recordset($1::jsonb) AS x(rid bigint, person bigint, kind smallint,"
            " mv smallint, pos text, unit text, agency text, term text, rank smallint,"
            " grade text, step smallint, coef int, vf text, vu text, rf bigint, ru bigint,"
            " ck smallint, reason text, by text)",
            history);
  tx.exec_params("SELECT setval('cadre_people_id_seq', GREATEST($1::bigint, 1))",
                 static_cast<int64_t>(d.people.size()));
  tx.exec_params("SELECT setval('cadre_record_id_seq', GREATEST($1::bigint, 1))", max_record);
  tx.exec_params("INSERT INTO cadre_meta (key, value) VALUES ('demo_province', $1)",
                 absl::StrCat("loaded ", d.people.size(), " people at ", absl::FormatTime(now)));
}

}  // namespace localgov::cadre

#include "services/cadre/cadre_store_plan.h"

#include <algorithm>
#include <functional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace localgov::cadre {
namespace {

constexpr const char* kRoundColumns =
    "id, unit_code, position_code, agency_code, name, posts, with_interview, opened_on::text,"
    " version";

v1::RecruitmentRound ReadRound(const pqxx::row& r) {
  v1::RecruitmentRound out;
  out.set_id(r[0].as<int64_t>());
  out.set_unit_code(r[1].as<std::string>());
  out.set_position_code(r[2].as<std::string>());
  out.set_agency_code(r[3].as<std::string>());
  out.set_name(r[4].as<std::string>());
  out.set_posts(r[5].as<int>());
  out.set_with_interview(r[6].as<bool>());
  out.set_opened_on(r[7].as<std::string>());
  out.set_version(r[8].as<int64_t>());
  return out;
}

constexpr const char* kCandidateColumns =
    "id, round_id, citizen_id, full_name, priority_points_x100, round1_correct, written,"
    " interview, version";

v1::Candidate ReadCandidate(const pqxx::row& r) {
  v1::Candidate c;
  c.set_id(r[0].as<int64_t>());
  c.set_round_id(r[1].as<int64_t>());
  c.set_citizen_id(r[2].as<std::string>());
  c.set_full_name(r[3].as<std::string>());
  c.set_priority_points_x100(r[4].as<int>());
  if (!r[5].is_null()) c.set_round1_correct(r[5].as<int>());
  if (!r[6].is_null()) c.set_written(r[6].as<int>());
  if (!r[7].is_null()) c.set_interview(r[7].as<int>());
  c.set_version(r[8].as<int64_t>());
  return c;
}

std::optional<std::string> Optional(bool has, int value) {
  if (!has) return std::nullopt;
  return absl::StrCat(value);
}

// Separate the professional qualifications' "level<US>field" entries (the query turns any RS
// inside a field into a space, so that a field never splits an entry).
constexpr char kUnit = '\x1f';
constexpr char kRecord = '\x1e';

}  // namespace

int64_t PlanStore::InsertRound(pqxx::work& tx, const v1::RecruitmentRound& r, absl::Time now) {
  return tx
      .exec_params1(
          "INSERT INTO cadre_recruitment_rounds (unit_code, position_code, agency_code, name,"
          " posts, with_interview, opened_on, created_at) VALUES ($1, $2, $3, $4, $5, $6,"
          " $7::date, timestamptz 'epoch' + $8::bigint * interval '1 microsecond') RETURNING id",
          r.unit_code(), r.position_code(), r.agency_code(), r.name(), r.posts(),
          r.with_interview(), r.opened_on(), absl::ToUnixMicros(now))[0]
      .as<int64_t>();
}

std::optional<v1::RecruitmentRound> PlanStore::FindRound(pqxx::transaction_base& tx, int64_t id,
                                                         bool lock) {
  const auto r = tx.exec_params(
      absl::StrCat("SELECT ", kRoundColumns, " FROM cadre_recruitment_rounds WHERE id = $1",
                   lock ? " FOR UPDATE" : ""),
      id);
  if (r.empty()) return std::nullopt;
  return ReadRound(r[0]);
}

void PlanStore::BumpRound(pqxx::work& tx, int64_t id) {
  tx.exec_params("UPDATE cadre_recruitment_rounds SET version = version + 1 WHERE id = $1", id);
}

std::optional<int64_t> PlanStore::CandidateByCitizen(pqxx::transaction_base& tx, int64_t round,
                                                     const std::string& citizen_id) {
  const auto r = tx.exec_params(
      "SELECT id FROM cadre_candidates WHERE round_id = $1 AND citizen_id = $2", round, citizen_id);
  if (r.empty()) return std::nullopt;
  return r[0][0].as<int64_t>();
}

int64_t PlanStore::InsertCandidate(pqxx::work& tx, const v1::Candidate& c, absl::Time now) {
  return tx
      .exec_params1(
          "INSERT INTO cadre_candidates (round_id, citizen_id, full_name, priority_points_x100,"
          " created_at) VALUES ($1, $2, $3, $4, timestamptz 'epoch' + $5::bigint * interval"
          " '1 microsecond') RETURNING id",
          c.round_id(), c.citizen_id(), c.full_name(), c.priority_points_x100(),
          absl::ToUnixMicros(now))[0]
      .as<int64_t>();
}

std::optional<v1::Candidate> PlanStore::FindCandidate(pqxx::transaction_base& tx, int64_t id,
                                                      bool lock) {
  const auto r = tx.exec_params(
      absl::StrCat("SELECT ", kCandidateColumns, " FROM cadre_candidates WHERE id = $1",
                   lock ? " FOR UPDATE" : ""),
      id);
  if (r.empty()) return std::nullopt;
  return ReadCandidate(r[0]);
}

void PlanStore::UpdateScores(pqxx::work& tx, const v1::Candidate& c) {
  tx.exec_params(
      "UPDATE cadre_candidates SET round1_correct = $2::smallint, written = $3::smallint,"
      " interview = $4::smallint, version = $5 WHERE id = $1",
      c.id(), Optional(c.has_round1_correct(), c.round1_correct()),
      Optional(c.has_written(), c.written()), Optional(c.has_interview(), c.interview()),
      c.version());
}

std::vector<v1::Candidate> PlanStore::Candidates(pqxx::transaction_base& tx, int64_t round) {
  std::vector<v1::Candidate> out;
  for (const auto& r : tx.exec_params(absl::StrCat("SELECT ", kCandidateColumns,
                                                   " FROM cadre_candidates WHERE round_id = $1"
                                                   " ORDER BY id"),
                                      round)) {
    out.push_back(ReadCandidate(r));
  }
  return out;
}

namespace {

// The people holding a position in one of the units $1 on the day $2, as known now (an
// index-only scan of cadre_history_unit_now). A person's current assignments never overlap
// (a new one ends the open one; a correction that would overlap is refused), so each person
// is there once. `paged`: after person $3, at most $4, by person (one unit).
std::string HeldCte(bool paged) {
  return absl::StrCat(
      "WITH held AS (SELECT h.unit_code, h.person_id, h.position_code FROM cadre_history h"
      " WHERE h.kind = 1 AND h.recorded_until IS NULL AND h.unit_code = ANY($1::text[]) AND"
      " h.valid_from <= $2::date AND (h.valid_until IS NULL OR h.valid_until > $2::date)",
      paged ? " AND h.person_id > $3 ORDER BY h.person_id LIMIT $4" : "", ")");
}

// The detail: their qualifications awarded by the day, one aggregate per person of the page
// (index look-ups). Professional ones as "level␟field" joined by ␞.
constexpr const char* kDetailQa =
    ", qa AS (SELECT held.unit_code, held.person_id, held.position_code,"
    " string_agg(q.level || chr(31) || replace(q.field, chr(30), ' '), chr(30))"
    " FILTER (WHERE q.category = 1) AS professional,"
    " max(q.level) FILTER (WHERE q.category = 2) AS political,"
    " bool_or(q.category = 3) AS state_management FROM held"
    " LEFT JOIN cadre_qualifications q ON q.person_id = held.person_id AND"
    " q.awarded_on <= $2::date GROUP BY held.unit_code, held.person_id, held.position_code) ";

constexpr const char* kHeldColumns =
    "pe.kind, po.required_professional_level, po.required_field, po.required_political_theory,"
    " po.requires_state_management, COALESCE(qa.professional, ''), COALESCE(qa.political, 0),"
    " COALESCE(qa.state_management, false)";
constexpr const char* kHeldJoins =
    " FROM qa JOIN cadre_people pe ON pe.id = qa.person_id"
    " JOIN cadre_positions po ON po.code = qa.position_code";

// The statements' settings, for this transaction only: no JIT (the estimates through the
// CTEs are far off, and compiling took longer than running, 0.4–0.9 s at 100k people), and
// room to aggregate 100k people in memory. (enable_sort = off was tried to hash the final
// grouping: the planner then read the assignments through the position index and each
// person's degrees by index look-ups, 518k buffers instead of 6k.) Planned for its values
// each time: a generic plan cannot see how many units $1 holds (planning is ~10 ms of ~1 s).
void ReportSettings(pqxx::transaction_base& tx) {
  tx.exec(
      "SET LOCAL jit = off; SET LOCAL work_mem = '32MB';"
      " SET LOCAL plan_cache_mode = force_custom_plan");
}

// kHeldColumns from column `at` on.
PlanStore::Held ReadHeld(const pqxx::row& r, int at, bool* contracted) {
  PlanStore::Held out;
  *contracted = r[at].as<int>() == v1::PERSON_KIND_CONTRACTED;
  out.required = {r[at + 1].as<int>(), r[at + 2].as<std::string>(), r[at + 3].as<int>(),
                  r[at + 4].as<bool>()};
  const std::string prof = r[at + 5].as<std::string>();
  if (!prof.empty()) {
    for (absl::string_view entry : absl::StrSplit(prof, kRecord)) {
      std::pair<absl::string_view, absl::string_view> lf =
          absl::StrSplit(entry, absl::MaxSplits(kUnit, 1));
      int level = 0;
      if (absl::SimpleAtoi(lf.first, &level)) {
        out.professional.emplace_back(level, std::string(lf.second));
      }
    }
  }
  std::sort(out.professional.begin(), out.professional.end());
  out.political_theory = r[at + 6].as<int>();
  out.state_management = r[at + 7].as<bool>();
  return out;
}

// Prepared once per connection, named after its text.
std::string Prepare(pqxx::transaction_base& tx, const std::string& sql) {
  const std::string name = absl::StrCat("cadre_plan_q_", std::hash<std::string>{}(sql));
  tx.conn().prepare(name, sql);  // a no-op once defined on this connection
  return name;
}

}  // namespace

const std::string& PlanStore::StandardsGroupsSql() {
  // Per person, only what the rule reads of their degrees: the highest professional level, and
  // the highest in the field the position requires (JudgeStandards gets these two as the
  // degrees held: the same verdict as on the full list, and no list to build per person).
  // Then people alike counted per unit.
  static const std::string& sql = *new std::string(absl::StrCat(
      HeldCte(false),
      // The degrees of the people held, hashed against them and aggregated once, keyed on the
      // person alone. (Grouping everyone's degrees by person and field first, then again by
      // person, hashed 224k rows into 223k groups for nothing at 100k people: issue 23 item 9,
      // docs/benchmarks.md.)
      ", deg AS (SELECT q.person_id, max(q.level) FILTER (WHERE q.category = 1) AS top,"
      " max(q.level) FILTER (WHERE q.category = 1 AND q.field = po.required_field)"
      " AS top_in_field, max(q.level) FILTER (WHERE q.category = 2) AS political,"
      " bool_or(q.category = 3) AS state_management FROM held"
      " JOIN cadre_positions po ON po.code = held.position_code"
      " JOIN cadre_qualifications q ON q.person_id = held.person_id AND q.category <= 3 AND"
      " q.awarded_on <= $2::date GROUP BY q.person_id)"
      " SELECT held.unit_code, pe.kind, po.required_professional_level, po.required_field,"
      " po.required_political_theory, po.requires_state_management, COALESCE(deg.top, -1),"
      " COALESCE(deg.top_in_field, -1), COALESCE(deg.political, 0),"
      " COALESCE(deg.state_management, false), count(*) FROM held"
      " JOIN cadre_people pe ON pe.id = held.person_id"
      " JOIN cadre_positions po ON po.code = held.position_code"
      " LEFT JOIN deg ON deg.person_id = held.person_id"
      " GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10"));
  return sql;
}

std::vector<PlanStore::StandardsGroup> PlanStore::StandardsGroups(
    pqxx::transaction_base& tx, const std::vector<std::string>& units, absl::CivilDay day) {
  const std::string& sql = StandardsGroupsSql();
  std::vector<StandardsGroup> out;
  ReportSettings(tx);
  for (const auto& r : tx.exec_prepared(Prepare(tx, sql), TextArray(units), FormatDay(day))) {
    StandardsGroup g;
    g.unit_code = r[0].as<std::string>();
    g.contracted = r[1].as<int>() == v1::PERSON_KIND_CONTRACTED;
    Held& h = g.held;
    h.required = {r[2].as<int>(), r[3].as<std::string>(), r[4].as<int>(), r[5].as<bool>()};
    const int top = r[6].as<int>(), top_in_field = r[7].as<int>();
    // With a field required, the highest degree stands in under no field (it meets only the
    // level, never the field) and the highest in the field under that field.
    if (top >= 0) h.professional.emplace_back(top, "");
    if (top_in_field >= 0 && !h.required.field.empty()) {
      h.professional.emplace_back(top_in_field, h.required.field);
    }
    h.political_theory = r[8].as<int>();
    h.state_management = r[9].as<bool>();
    g.people = r[10].as<int>();
    out.push_back(std::move(g));
  }
  return out;
}

std::vector<PlanStore::StandardsPerson> PlanStore::StandardsPeople(pqxx::transaction_base& tx,
                                                                   const std::string& unit,
                                                                   absl::CivilDay day,
                                                                   int64_t after_person,
                                                                   int limit) {
  static const std::string& sql = *new std::string(
      absl::StrCat(HeldCte(true), kDetailQa, "SELECT qa.person_id, pe.full_name, qa.position_code,",
                   " po.name, ", kHeldColumns, kHeldJoins, " ORDER BY qa.person_id"));
  std::vector<StandardsPerson> out;
  ReportSettings(tx);
  for (const auto& r :
       tx.exec_prepared(Prepare(tx, sql), TextArray({unit}), FormatDay(day), after_person, limit)) {
    StandardsPerson p;
    p.person_id = r[0].as<int64_t>();
    p.full_name = r[1].as<std::string>();
    p.position_code = r[2].as<std::string>();
    p.position_name = r[3].as<std::string>();
    p.held = ReadHeld(r, 4, &p.contracted);
    out.push_back(std::move(p));
  }
  return out;
}

std::map<std::string, int> PlanStore::Quotas(pqxx::transaction_base& tx,
                                             const std::vector<std::string>& units, int year) {
  static const std::string& sql = *new std::string(
      "SELECT unit_code, quota FROM cadre_quotas WHERE unit_code = ANY($1::text[]) AND year = $2");
  std::map<std::string, int> out;
  for (const auto& r : tx.exec_prepared(Prepare(tx, sql), TextArray(units), year)) {
    out[r[0].as<std::string>()] = r[1].as<int>();
  }
  return out;
}

}  // namespace localgov::cadre

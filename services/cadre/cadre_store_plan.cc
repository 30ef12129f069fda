#include "services/cadre/cadre_store_plan.h"

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

SqlQuery PlanStore::StandardsQuery(const std::vector<std::string>& units, absl::CivilDay day) {
  // The assignments in force on $2 as known now (cadre_history_unit_now), each person once per
  // unit, with the qualifications awarded by then (cadre_qualifications_person).
  SqlQuery q;
  q.sql =
      "SELECT DISTINCT ON (h.unit_code, h.person_id) h.unit_code, h.person_id, pe.kind,"
      " po.required_professional_level, po.required_field, po.required_political_theory,"
      " po.requires_state_management, COALESCE(qa.professional, ''),"
      " COALESCE(qa.political, 0), COALESCE(qa.state_management, false)"
      " FROM cadre_history h JOIN cadre_people pe ON pe.id = h.person_id"
      " JOIN cadre_positions po ON po.code = h.position_code"
      // One pass over the person's qualifications (not one look-up per figure).
      " LEFT JOIN LATERAL (SELECT string_agg(q.level || chr(31) || replace(q.field, chr(30),"
      " ' '), chr(30)) FILTER (WHERE q.category = 1) AS professional,"
      " max(q.level) FILTER (WHERE q.category = 2) AS political,"
      " bool_or(q.category = 3) AS state_management"
      " FROM cadre_qualifications q WHERE q.person_id = h.person_id AND"
      " q.awarded_on <= $2::date) qa ON true"
      " WHERE h.kind = 1 AND h.recorded_until IS NULL AND h.unit_code = ANY($1::text[]) AND"
      " h.valid_from <= $2::date AND (h.valid_until IS NULL OR h.valid_until > $2::date)"
      " ORDER BY h.unit_code, h.person_id";
  q.params = {TextArray(units), FormatDay(day)};
  return q;
}

std::vector<PlanStore::StandardsRow> PlanStore::Standards(pqxx::transaction_base& tx,
                                                          const SqlQuery& q) {
  const std::string name = absl::StrCat("cadre_plan_q_", std::hash<std::string>{}(q.sql));
  tx.conn().prepare(name, q.sql);  // a no-op once defined on this connection
  std::vector<StandardsRow> out;
  for (const auto& r : tx.exec_prepared(name, q.params[0], q.params[1])) {
    StandardsRow row;
    row.unit_code = r[0].as<std::string>();
    row.person_id = r[1].as<int64_t>();
    row.contracted = r[2].as<int>() == v1::PERSON_KIND_CONTRACTED;
    row.required = {r[3].as<int>(), r[4].as<std::string>(), r[5].as<int>(), r[6].as<bool>()};
    const std::string prof = r[7].as<std::string>();
    if (!prof.empty()) {
      for (absl::string_view entry : absl::StrSplit(prof, kRecord)) {
        std::pair<absl::string_view, absl::string_view> lf =
            absl::StrSplit(entry, absl::MaxSplits(kUnit, 1));
        int level = 0;
        if (absl::SimpleAtoi(lf.first, &level)) {
          row.professional.emplace_back(level, std::string(lf.second));
        }
      }
    }
    row.political_theory = r[8].as<int>();
    row.state_management = r[9].as<bool>();
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace localgov::cadre

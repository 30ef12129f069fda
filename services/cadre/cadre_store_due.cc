// CadreDueStore: discipline decisions, annual evaluations, and the history the worklist reads.
#include "services/cadre/cadre_store_due.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/db/query.h"
#include "google/protobuf/util/time_util.h"
#include "nlohmann/json.hpp"

namespace localgov::cadre {
namespace {

using google::protobuf::util::TimeUtil;

std::string Micros(absl::Time t) { return absl::StrCat(absl::ToUnixMicros(t)); }

// A date read as days since 1970-01-01 (`d - date '1970-01-01'`): no text to parse, and the
// day of the calendar by integer arithmetic (H. Hinnant's civil_from_days) rather than by
// adding thousands of days to a CivilDay (absl normalises that a year at a time).
absl::CivilDay Day(int days_since_epoch) {
  const int64_t z = static_cast<int64_t>(days_since_epoch) + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return absl::CivilDay(yoe + era * 400 + (m <= 2 ? 1 : 0), m, d);
}

// A post in force as the two post queries select it: unit, person, kind, name, position, the
// days valid from / until and the term's end (days since 1970), the movement.
// The columns PostOf reads, of a post `h` (cadre_history) and its person `pe`.
constexpr const char* kPostColumns =
    "SELECT h.unit_code, h.person_id, pe.kind, pe.full_name, h.position_code,"
    " h.valid_from - date '1970-01-01', h.valid_until - date '1970-01-01',"
    " h.term_end - date '1970-01-01', h.movement";

CadreDueStore::Post PostOf(const pqxx::row& r) {
  CadreDueStore::Post p;
  p.unit_code = r[0].as<std::string>();
  p.person_id = r[1].as<int64_t>();
  p.kind = static_cast<v1::PersonKind>(r[2].as<int>());
  p.full_name = r[3].as<std::string>();
  p.position_code = r[4].as<std::string>();
  p.valid_from = Day(r[5].as<int>());
  if (!r[6].is_null()) p.valid_until = Day(r[6].as<int>());
  if (!r[7].is_null()) p.term_end = Day(r[7].as<int>());
  p.movement = static_cast<v1::Movement>(r[8].as<int>());
  return p;
}

std::string IdArray(const std::vector<int64_t>& people) {
  std::string out = "{";
  for (size_t i = 0; i < people.size(); ++i) absl::StrAppend(&out, i ? "," : "", people[i]);
  return out + "}";
}

constexpr const char* kDisciplineColumns =
    "id, person_id, form, offence, conduct_on::text, processing_started::text, complex,"
    " decided_on::text, effect_from::text, effect_until::text, decision_number, agency_code,"
    " (extract(epoch from recorded_from) * 1000000)::bigint, recorded_by";

v1::Discipline ReadDiscipline(const pqxx::row& r) {
  v1::Discipline d;
  d.set_discipline_id(r[0].as<int64_t>());
  d.set_person_id(r[1].as<int64_t>());
  d.set_form(static_cast<v1::DisciplineForm>(r[2].as<int>()));
  d.set_offence(static_cast<v1::OffenceLevel>(r[3].as<int>()));
  d.set_conduct_date(r[4].as<std::string>());
  d.set_processing_started(r[5].as<std::string>());
  d.set_complex(r[6].as<bool>());
  d.set_decision_date(r[7].as<std::string>());
  d.set_effect_from(r[8].as<std::string>());
  d.set_effect_until(r[9].as<std::string>());
  d.set_decision_number(r[10].as<std::string>());
  d.set_agency_code(r[11].as<std::string>());
  *d.mutable_recorded_from() = TimeUtil::MicrosecondsToTimestamp(r[12].as<int64_t>());
  d.set_recorded_by(r[13].as<std::string>());
  return d;
}

constexpr const char* kEvaluationColumns =
    "id, person_id, year, level, evaluated_on::text, agency_code, previous_agency_code,"
    " previous_agency_opinion, early_raise_months, correction_reason,"
    " (extract(epoch from recorded_from) * 1000000)::bigint, recorded_by";

v1::Evaluation ReadEvaluation(const pqxx::row& r) {
  v1::Evaluation e;
  e.set_evaluation_id(r[0].as<int64_t>());
  e.set_person_id(r[1].as<int64_t>());
  e.set_year(r[2].as<int>());
  e.set_level(static_cast<v1::EvaluationLevel>(r[3].as<int>()));
  e.set_evaluated_on(r[4].as<std::string>());
  e.set_agency_code(r[5].as<std::string>());
  e.set_previous_agency_code(r[6].as<std::string>());
  e.set_previous_agency_opinion(r[7].as<std::string>());
  e.set_early_raise_months(r[8].as<int>());
  e.set_correction_reason(r[9].as<std::string>());
  *e.mutable_recorded_from() = TimeUtil::MicrosecondsToTimestamp(r[10].as<int64_t>());
  e.set_recorded_by(r[11].as<std::string>());
  return e;
}

}  // namespace

RankLevel ToRankLevel(v1::Rank rank) {
  // The proto's ranks are numbered as RankLevel.
  return static_cast<RankLevel>(static_cast<int>(rank));
}

PersonGroup ToGroup(v1::PersonKind kind) {
  switch (kind) {
    case v1::PERSON_KIND_CADRE:
      return PersonGroup::kCadre;
    case v1::PERSON_KIND_PUBLIC_EMPLOYEE:
      return PersonGroup::kPublicEmployee;
    case v1::PERSON_KIND_CONTRACTED:
      return PersonGroup::kContracted;
    default:
      return PersonGroup::kCivilServant;
  }
}

Sanction ToSanction(v1::DisciplineForm form) {
  switch (form) {
    case v1::DISCIPLINE_FORM_WARNING:
      return Sanction::kWarning;
    case v1::DISCIPLINE_FORM_DEMOTION:
      return Sanction::kDemotion;
    case v1::DISCIPLINE_FORM_DISMISSAL_FROM_POST:
      return Sanction::kDismissalFromPost;
    case v1::DISCIPLINE_FORM_REMOVAL:
      return Sanction::kRemoval;
    case v1::DISCIPLINE_FORM_FORCED_TERMINATION:
      return Sanction::kForcedTermination;
    default:
      return Sanction::kReprimand;
  }
}

int64_t CadreDueStore::InsertDiscipline(pqxx::work& tx, const v1::Discipline& d, absl::Time now) {
  return ExecPrepared(tx, "cadre_insert_discipline",
                      "INSERT INTO cadre_disciplines (person_id, form, offence, conduct_on,"
                      " processing_started, complex, decided_on, effect_from, effect_until,"
                      " decision_number, agency_code, recorded_from, recorded_by) VALUES ($1, $2,"
                      " $3, $4::date, $5::date, $6, $7::date, $8::date, $9::date, $10, $11,"
                      " timestamptz 'epoch' + $12::bigint * interval '1 microsecond', $13)"
                      " RETURNING id",
                      d.person_id(), static_cast<int>(d.form()), static_cast<int>(d.offence()),
                      d.conduct_date(), d.processing_started(), d.complex(), d.decision_date(),
                      d.effect_from(), d.effect_until(), d.decision_number(), d.agency_code(),
                      Micros(now), d.recorded_by())[0][0]
      .as<int64_t>();
}

std::optional<v1::Discipline> CadreDueStore::FindDiscipline(pqxx::transaction_base& tx,
                                                            int64_t id) {
  const auto r = ExecPrepared(
      tx, "cadre_find_discipline",
      absl::StrCat("SELECT ", kDisciplineColumns, " FROM cadre_disciplines WHERE id = $1"), id);
  if (r.empty()) return std::nullopt;
  return ReadDiscipline(r[0]);
}

std::map<int64_t, std::vector<DisciplineSpan>> CadreDueStore::DisciplineSpans(
    pqxx::transaction_base& tx, const std::vector<int64_t>& people) {
  std::map<int64_t, std::vector<DisciplineSpan>> out;
  for (const auto& r : ExecPrepared(
           tx, "cadre_discipline_spans",
           "SELECT person_id, effect_from - date '1970-01-01', effect_until - date '1970-01-01',"
           " form FROM cadre_disciplines WHERE person_id = ANY($1::bigint[]) AND"
           " recorded_until IS NULL ORDER BY person_id, effect_from, id",
           IdArray(people))) {
    out[r[0].as<int64_t>()].push_back(
        {Day(r[1].as<int>()), Day(r[2].as<int>()),
         ToSanction(static_cast<v1::DisciplineForm>(r[3].as<int>()))});
  }
  return out;
}

std::optional<v1::Discipline> CadreDueStore::InEffect(pqxx::transaction_base& tx, int64_t person,
                                                      absl::CivilDay day) {
  const auto r = ExecPrepared(
      tx, "cadre_discipline_in_effect",
      absl::StrCat("SELECT ", kDisciplineColumns,
                   " FROM cadre_disciplines WHERE person_id = $1 AND recorded_until IS NULL AND"
                   " effect_from <= $2::date AND effect_until > $2::date ORDER BY effect_until"
                   " DESC LIMIT 1"),
      person, FormatDay(day));
  if (r.empty()) return std::nullopt;
  return ReadDiscipline(r[0]);
}

int64_t CadreDueStore::InsertEvaluation(pqxx::work& tx, const v1::Evaluation& e, absl::Time now) {
  return ExecPrepared(tx, "cadre_insert_evaluation",
                      "INSERT INTO cadre_evaluations (person_id, year, level, evaluated_on,"
                      " agency_code, previous_agency_code, previous_agency_opinion,"
                      " early_raise_months, correction_reason, recorded_from, recorded_by)"
                      " VALUES ($1, $2, $3, $4::date, $5, $6, $7, $8, $9,"
                      " timestamptz 'epoch' + $10::bigint * interval '1 microsecond', $11)"
                      " RETURNING id",
                      e.person_id(), e.year(), static_cast<int>(e.level()), e.evaluated_on(),
                      e.agency_code(), e.previous_agency_code(), e.previous_agency_opinion(),
                      e.early_raise_months(), e.correction_reason(), Micros(now),
                      e.recorded_by())[0][0]
      .as<int64_t>();
}

std::optional<v1::Evaluation> CadreDueStore::FindEvaluation(pqxx::transaction_base& tx,
                                                            int64_t id) {
  const auto r = ExecPrepared(
      tx, "cadre_find_evaluation",
      absl::StrCat("SELECT ", kEvaluationColumns, " FROM cadre_evaluations WHERE id = $1"), id);
  if (r.empty()) return std::nullopt;
  return ReadEvaluation(r[0]);
}

std::optional<v1::Evaluation> CadreDueStore::CurrentEvaluation(pqxx::transaction_base& tx,
                                                               int64_t person, int year,
                                                               bool lock) {
  const auto r =
      ExecPrepared(tx, lock ? "cadre_current_evaluation_lock" : "cadre_current_evaluation",
                   absl::StrCat("SELECT ", kEvaluationColumns,
                                " FROM cadre_evaluations WHERE person_id = $1 AND year = $2 AND"
                                " recorded_until IS NULL",
                                lock ? " FOR UPDATE" : ""),
                   person, year);
  if (r.empty()) return std::nullopt;
  return ReadEvaluation(r[0]);
}

void CadreDueStore::SupersedeEvaluation(pqxx::work& tx, int64_t id, absl::Time now) {
  ExecPrepared(tx, "cadre_supersede_evaluation",
               "UPDATE cadre_evaluations SET recorded_until = timestamptz 'epoch' + $2::bigint *"
               " interval '1 microsecond' WHERE id = $1 AND recorded_until IS NULL",
               id, Micros(now));
}

std::map<int64_t, std::vector<RatedYear>> CadreDueStore::RatedYears(
    pqxx::transaction_base& tx, const std::vector<int64_t>& people, int year, bool many) {
  std::map<int64_t, std::vector<RatedYear>> out;
  const pqxx::result rows =
      many
          // A whole agency: one pass over the current evaluations, the people hashed (a look-up
          // each would be tens of thousands of index descents).
          ? ExecPrepared(tx, "cadre_rated_years_many",
                         "SELECT person_id, year, evaluated_on - date '1970-01-01', level = $3,"
                         " early_raise_months FROM cadre_evaluations WHERE person_id ="
                         " ANY($1::bigint[]) AND recorded_until IS NULL AND (year = $2 OR"
                         " level = $3 OR early_raise_months > 0) ORDER BY person_id, year",
                         IdArray(people), year,
                         static_cast<int>(v1::EVALUATION_LEVEL_NOT_COMPLETED))
          : ExecPrepared(
                tx, "cadre_rated_years",
                // Person by person from the covering index (OFFSET 0 keeps the nested loop):
                // given the list of people as an array, the planner prefers a scan of every
                // evaluation.
                "SELECT e.person_id, e.year, e.evaluated_on - date '1970-01-01', e.level = $3,"
                " e.early_raise_months FROM unnest($1::bigint[]) AS ids(id) CROSS JOIN LATERAL"
                " (SELECT person_id, year, evaluated_on, level, early_raise_months"
                " FROM cadre_evaluations WHERE person_id = ids.id AND recorded_until IS NULL AND"
                " (year = $2 OR level = $3 OR early_raise_months > 0) OFFSET 0) e"
                " ORDER BY e.person_id, e.year",
                IdArray(people), year, static_cast<int>(v1::EVALUATION_LEVEL_NOT_COMPLETED));
  for (const auto& r : rows) {
    out[r[0].as<int64_t>()].push_back(
        {r[1].as<int>(), Day(r[2].as<int>()), r[3].as<bool>(), r[4].as<int>()});
  }
  return out;
}

int CadreDueStore::PaidStaff(pqxx::transaction_base& tx, const std::string& agency) {
  return ExecPrepared(tx, "cadre_paid_staff",
                      "SELECT count(*) FROM cadre_people WHERE agency_code = $1 AND kind <> $2",
                      agency, static_cast<int>(v1::PERSON_KIND_CONTRACTED))[0][0]
      .as<int>();
}

CadreDueStore::Shares CadreDueStore::CountShares(pqxx::work& tx, const std::string& agency,
                                                 int year, int64_t except_person) {
  const auto r = ExecPrepared(
      tx, "cadre_evaluation_shares",
      "SELECT count(*) FILTER (WHERE level = $3), count(*) FILTER (WHERE early_raise_months > 0)"
      " FROM cadre_evaluations WHERE agency_code = $1 AND year = $2 AND recorded_until IS NULL"
      " AND person_id <> $4",
      agency, year, static_cast<int>(v1::EVALUATION_LEVEL_EXCELLENT), except_person);
  return {r[0][0].as<int>(), r[0][1].as<int>()};
}

std::map<int64_t, std::vector<RankSpan>> CadreDueStore::RankSpans(
    pqxx::transaction_base& tx, const std::vector<int64_t>& people, absl::CivilDay as_of,
    absl::CivilDay day, bool many) {
  std::map<int64_t, std::vector<RankSpan>> out;
  for (const auto& r : ExecPrepared(
           // The same statement, prepared apart for a whole agency: its plan is not the one of
           // a chunk of people.
           tx, many ? "cadre_rank_spans_many" : "cadre_rank_spans",
           // Of the records up to `day`, only those the raise rule reads: the last one on or
           // before `as_of`, the first of the run of its coefficient (where the step's time
           // starts: a record whose coefficient differs from the one before it), and any after
           // `as_of` (a raise recorded ahead). The runs are found in the index's order.
           "SELECT person_id, valid_from - date '1970-01-01', rank, step, coefficient_x100"
           " FROM (SELECT person_id, valid_from, rank, step, coefficient_x100,"
           " max(valid_from) FILTER (WHERE starts AND valid_from <= $3::date) OVER p AS run,"
           " max(valid_from) FILTER (WHERE valid_from <= $3::date) OVER p AS last"
           " FROM (SELECT person_id, valid_from, rank, step, coefficient_x100,"
           " coefficient_x100 IS DISTINCT FROM lag(coefficient_x100) OVER (PARTITION BY"
           " person_id ORDER BY valid_from) AS starts FROM cadre_history"
           " WHERE person_id = ANY($1::bigint[]) AND kind = 2 AND recorded_until IS NULL AND"
           " valid_from <= $2::date) s WINDOW p AS (PARTITION BY person_id)) t"
           " WHERE valid_from = run OR valid_from = last OR valid_from > $3::date"
           " ORDER BY person_id, valid_from",
           IdArray(people), FormatDay(day), FormatDay(as_of))) {
    out[r[0].as<int64_t>()].push_back({Day(r[1].as<int>()), static_cast<RankLevel>(r[2].as<int>()),
                                       r[3].as<int>(), r[4].as<int>()});
  }
  return out;
}

std::vector<CadreDueStore::Post> CadreDueStore::PostsAfter(pqxx::transaction_base& tx,
                                                           const std::vector<std::string>& units,
                                                           absl::CivilDay day,
                                                           const std::string& after_unit,
                                                           int64_t after_person, int limit) {
  // The person by primary key for each post read (OFFSET 0 keeps it a nested loop): the posts
  // come in the index's order and the LIMIT stops the scan, where a join of every remaining
  // post to every person would be hashed and sorted first.
  static const std::string& kSql = *new std::string(absl::StrCat(
      kPostColumns,
      " FROM cadre_history h CROSS JOIN LATERAL (SELECT kind, full_name FROM cadre_people"
      " WHERE id = h.person_id OFFSET 0) pe WHERE h.kind = 1 AND"
      " h.recorded_until IS NULL AND h.unit_code = ANY($1::text[]) AND"
      " (h.unit_code COLLATE \"C\", h.person_id) > ($2 COLLATE \"C\", $3::bigint) AND"
      " h.valid_from <= $4::date AND (h.valid_until IS NULL OR h.valid_until > $4::date)"
      " ORDER BY h.unit_code COLLATE \"C\", h.person_id LIMIT $5"));
  std::vector<Post> out;
  for (const auto& r : ExecPrepared(tx, "cadre_posts_after", kSql, TextArray(units), after_unit,
                                    after_person, FormatDay(day), limit)) {
    out.push_back(PostOf(r));
  }
  return out;
}

std::vector<CadreDueStore::Post> CadreDueStore::PostsOfUnits(pqxx::transaction_base& tx,
                                                             const std::vector<std::string>& units,
                                                             absl::CivilDay day) {
  static const std::string& kSql = *new std::string(absl::StrCat(
      kPostColumns,
      " FROM cadre_history h JOIN cadre_people pe ON pe.id = h.person_id WHERE h.kind = 1 AND"
      " h.recorded_until IS NULL AND h.unit_code = ANY($1::text[]) AND"
      " h.valid_from <= $2::date AND (h.valid_until IS NULL OR h.valid_until > $2::date)"));
  std::vector<Post> out;
  for (const auto& r :
       ExecPrepared(tx, "cadre_posts_of_units", kSql, TextArray(units), FormatDay(day))) {
    out.push_back(PostOf(r));
  }
  return out;
}

void CadreDueStore::LoadDemo(pqxx::work& tx, const DemoDue& demo) {
  using json = nlohmann::json;
  constexpr size_t kBatch = 5000;
  auto in_batches = [&](const std::string& sql, const json& rows) {
    for (size_t at = 0; at < rows.size(); at += kBatch) {
      json batch = json::array();
      for (size_t i = at; i < std::min(rows.size(), at + kBatch); ++i) batch.push_back(rows[i]);
      tx.exec_params(sql, batch.dump());
    }
  };
  json d = json::array();
  for (const auto& x : demo.disciplines) {
    d.push_back({{"p", x.person_id()},
                 {"f", static_cast<int>(x.form())},
                 {"o", static_cast<int>(x.offence())},
                 {"c", x.conduct_date()},
                 {"s", x.processing_started()},
                 {"dd", x.decision_date()},
                 {"ef", x.effect_from()},
                 {"eu", x.effect_until()},
                 {"n", x.decision_number()},
                 {"a", x.agency_code()}});
  }
  in_batches(
      "INSERT INTO cadre_disciplines (person_id, form, offence, conduct_on, processing_started,"
      " decided_on, effect_from, effect_until, decision_number, agency_code, recorded_from,"
      " recorded_by) SELECT p, f, o, c, s, dd, ef, eu, n, a,"
      " dd + time '09:00' AT TIME ZONE 'Asia/Ho_Chi_Minh', 'demo-seed'"
      " FROM jsonb_to_recordset($1::jsonb) AS x(p bigint, f smallint, o smallint, c date, s date,"
      " dd date, ef date, eu date, n text, a text)",
      d);
  json e = json::array();
  for (const auto& x : demo.evaluations) {
    e.push_back({{"p", x.person_id()},
                 {"y", x.year()},
                 {"l", static_cast<int>(x.level())},
                 {"on", x.evaluated_on()},
                 {"a", x.agency_code()},
                 {"pa", x.previous_agency_code()},
                 {"po", x.previous_agency_opinion()}});
  }
  in_batches(
      "INSERT INTO cadre_evaluations (person_id, year, level, evaluated_on, agency_code,"
      " previous_agency_code, previous_agency_opinion, recorded_from, recorded_by)"
      " SELECT p, y, l, \"on\", a, pa, po, \"on\" + time '09:00' AT TIME ZONE 'Asia/Ho_Chi_Minh',"
      " 'demo-seed' FROM jsonb_to_recordset($1::jsonb) AS x(p bigint, y integer, l smallint,"
      " \"on\" date, a text, pa text, po text)",
      e);
}

}  // namespace localgov::cadre

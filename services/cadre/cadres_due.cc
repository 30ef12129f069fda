// Cadres: what falls due (issue 23, part 1) — discipline decisions and annual evaluations (the
// worklist computed from them: cadres_due_list.cc).
#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "common/audit.h"
#include "common/crypto.h"
#include "common/db/transaction.h"
#include "common/idempotency.h"
#include "google/protobuf/util/time_util.h"
#include "services/cadre/cadre_due_rules.h"
#include "services/cadre/cadre_store_due.h"
#include "services/cadre/cadres.h"
#include "services/cadre/cadres_internal.h"

namespace localgov::cadre {
namespace {

using internal::Audit;
using internal::IsCode;

OffenceLevel ToOffence(v1::OffenceLevel o) {
  switch (o) {
    case v1::OFFENCE_LEVEL_REPRIMAND:
      return OffenceLevel::kReprimandLevel;
    case v1::OFFENCE_LEVEL_FORGED_DIPLOMA:
      return OffenceLevel::kForgedDiploma;
    default:
      return OffenceLevel::kOther;
  }
}

// A required day field: parsed, or a violation naming it.
std::optional<absl::CivilDay> Day(Validator& v, const std::string& field, const std::string& text) {
  auto day = ParseDay(text);
  v.Check(day.has_value(), field, "required: a day YYYY-MM-DD");
  return day;
}

// The person's move into the agency of their assignment on `day`, if they came from another
// agency: the first day at the old agency (of its last run) and the day of the move.
struct Move {
  std::string old_agency;
  absl::CivilDay old_from;
  absl::CivilDay moved_on;
};
std::optional<Move> LastMove(const std::vector<StoredVersion>& assignments, absl::CivilDay day) {
  // Runs of consecutive assignments at one agency, up to `day`.
  std::vector<std::pair<std::string, absl::CivilDay>> runs;
  for (const auto& a : assignments) {
    const auto from = ParseDay(a.record.valid_from());
    if (!from.has_value() || *from > day) continue;
    if (runs.empty() || runs.back().first != a.record.agency_code()) {
      runs.emplace_back(a.record.agency_code(), *from);
    }
  }
  if (runs.size() < 2) return std::nullopt;
  const auto& old_run = runs[runs.size() - 2];
  return Move{old_run.first, old_run.second, runs.back().second};
}

void MarkLate(const CadreRuleBook& book, v1::Evaluation& e) {
  const auto on = ParseDay(e.evaluated_on());
  if (on.has_value()) {
    e.set_late(*on > EvaluationDeadline(book.InForceOn(*on), e.year()));
  }
}

}  // namespace

absl::StatusOr<v1::Discipline> Cadres::RecordDiscipline(
    const CallContext& call, const v1::RecordDisciplineRequest& request) {
  Validator v;
  ValidateRequestId(v, "request_id", request.request_id());
  v.Check(request.person_id() > 0, "person_id", "required");
  v.Check(request.form() != v1::DISCIPLINE_FORM_UNSPECIFIED &&
              v1::DisciplineForm_IsValid(request.form()),
          "form", "required");
  v.Check(request.offence() != v1::OFFENCE_LEVEL_UNSPECIFIED &&
              v1::OffenceLevel_IsValid(request.offence()),
          "offence", "required");
  v.Check(!request.decision_number().empty() && request.decision_number().size() <= 64,
          "decision_number", "required, e.g. 15/QĐ-UBND (at most 64 characters)");
  const auto conduct = Day(v, "conduct_date", request.conduct_date());
  const auto started = Day(v, "processing_started", request.processing_started());
  const auto decided = Day(v, "decision_date", request.decision_date());
  std::optional<absl::CivilDay> effect = decided;
  if (!request.effect_from().empty()) effect = Day(v, "effect_from", request.effect_from());
  const absl::CivilDay today = Today();
  if (conduct.has_value()) {
    v.Check(*conduct <= today, "conduct_date", "must not be in the future");
  }
  if (conduct.has_value() && started.has_value()) {
    v.Check(*started >= *conduct, "processing_started", "must not be before conduct_date");
    const CadreRules& r = rules_.InForceOn(*started);
    const auto last = LimitationLastDay(r, *conduct, ToOffence(request.offence()));
    if (last.has_value()) {
      v.Check(*started <= *last, "processing_started",
              absl::StrCat(
                  "the limitation of ",
                  request.offence() == v1::OFFENCE_LEVEL_REPRIMAND ? r.limitation_years_light
                                                                   : r.limitation_years_other,
                  " years for conduct of ", FormatDay(*conduct), " ended on ", FormatDay(*last)));
    }
  }
  if (started.has_value() && decided.has_value()) {
    v.Check(*decided <= today, "decision_date", "must not be in the future");
    const CadreRules& r = rules_.InForceOn(*started);
    const absl::CivilDay last = ProcessingLastDay(r, *started, request.complex());
    if (v.Check(*decided >= *started, "decision_date", "must not be before processing_started")) {
      v.Check(*decided <= last, "decision_date",
              absl::StrCat("processing lasts at most ",
                           request.complex() ? r.discipline_processing_days_complex
                                             : r.discipline_processing_days,
                           " days", request.complex() ? " (complex)" : "", ": the decision by ",
                           FormatDay(last)));
    }
  }
  if (decided.has_value() && effect.has_value()) {
    v.Check(*effect >= *decided, "effect_from", "must not be before decision_date");
  }
  if (!v.ok()) return v.status();
  const CadreRules& rules = rules_.InForceOn(*decided);
  v1::Discipline d;
  d.set_person_id(request.person_id());
  d.set_form(request.form());
  d.set_offence(request.offence());
  d.set_conduct_date(FormatDay(*conduct));
  d.set_processing_started(FormatDay(*started));
  d.set_complex(request.complex());
  d.set_decision_date(FormatDay(*decided));
  d.set_effect_from(FormatDay(*effect));
  d.set_effect_until(FormatDay(DisciplineEffectUntil(rules, *effect)));
  d.set_decision_number(request.decision_number());
  d.set_recorded_by(call.access.subject);
  const std::string digest = Sha256Hex(request.SerializeAsString());
  const absl::Time now = clock_.Now();
  auto st = RunInTransaction(db_, "cadre_record_discipline", [&](pqxx::work& tx) -> absl::Status {
    auto p = CadreStore::FindPerson(tx, request.person_id(), true);
    if (!p.has_value()) return absl::NotFoundError("person not found");
    if (auto st = AuthorisePerson(tx, call.access, *Graph(tx), *p); !st.ok()) return st;
    auto replay = internal::ReplayCreate(
        tx, call, request.request_id(), digest, "decision", [&](const std::string& key) {
          return CadreDueStore::FindDiscipline(tx, internal::StoredId(key));
        });
    if (!replay.ok()) return replay.status();
    if (replay->has_value()) {
      d = **replay;
      return absl::OkStatus();
    }
    // Dismissal from post needs a leader: a leadership position held on the decision day.
    bool leader = false;
    if (auto a = CadreStore::RecordAsOf(tx, p->id(), v1::RECORD_KIND_ASSIGNMENT,
                                        AsOf{*decided, std::nullopt})) {
      auto pos = CadreStore::FindPosition(tx, a->position_code(), false);
      leader = pos.has_value() && pos->leadership();
    }
    const std::string problem =
        DisciplineFormProblem(rules, ToGroup(p->kind()), ToSanction(request.form()), leader);
    Validator fv;
    fv.Check(problem.empty(), "form", problem);
    if (!fv.ok()) return fv.status();
    d.set_agency_code(p->agency_code());
    d.set_discipline_id(CadreDueStore::InsertDiscipline(tx, d, now));
    *d.mutable_recorded_from() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
    StoreIdempotentResponse(tx, call.access.subject, call.method, request.request_id(),
                            absl::StrCat(d.discipline_id()));
    return AppendAudit(
        tx,
        Audit(call, "RecordDiscipline", "person", absl::StrCat(p->id()),
              absl::StrCat("discipline ", d.discipline_id(), " ", v1::DisciplineForm_Name(d.form()),
                           " effect [", d.effect_from(), ",", d.effect_until(), ")")),
        now);
  });
  if (!st.ok()) return st;
  return d;
}

absl::StatusOr<v1::Evaluation> Cadres::RecordEvaluation(
    const CallContext& call, const v1::RecordEvaluationRequest& request) {
  Validator v;
  ValidateRequestId(v, "request_id", request.request_id());
  v.Check(request.person_id() > 0, "person_id", "required");
  v.Check(request.level() != v1::EVALUATION_LEVEL_UNSPECIFIED &&
              v1::EvaluationLevel_IsValid(request.level()),
          "level", "required");
  const absl::CivilDay today = Today();
  absl::CivilDay on = today;
  if (!request.evaluated_on().empty()) {
    const auto day = ParseDay(request.evaluated_on());
    if (v.Check(day.has_value(), "evaluated_on", "must be a day YYYY-MM-DD")) on = *day;
    v.Check(on <= today, "evaluated_on", "must not be in the future");
  }
  v.Check(request.year() >= 2000 && request.year() <= on.year(), "year",
          "required: 2000 up to the year of evaluated_on");
  const CadreRules& rules = rules_.InForceOn(on);
  v.Check(request.early_raise_months() >= 0 &&
              request.early_raise_months() <= rules.early_raise_max_months,
          "early_raise_months", absl::StrCat("must be 0..", rules.early_raise_max_months));
  if (request.early_raise_months() > 0) {
    v.Check(request.level() == v1::EVALUATION_LEVEL_EXCELLENT, "early_raise_months",
            "an early raise is for outstanding achievement: level EXCELLENT");
  }
  v.Check(request.previous_agency_opinion().size() <= 4000, "previous_agency_opinion",
          "at most 4000 bytes");
  v.Check(request.correction_reason().size() <= 1000, "correction_reason", "at most 1000 bytes");
  if (!v.ok()) return v.status();
  v1::Evaluation e;
  e.set_person_id(request.person_id());
  e.set_year(request.year());
  e.set_level(request.level());
  e.set_evaluated_on(FormatDay(on));
  e.set_early_raise_months(request.early_raise_months());
  e.set_correction_reason(request.correction_reason());
  e.set_recorded_by(call.access.subject);
  const std::string digest = Sha256Hex(request.SerializeAsString());
  const absl::Time now = clock_.Now();
  auto st = RunInTransaction(db_, "cadre_record_evaluation", [&](pqxx::work& tx) -> absl::Status {
    auto p = CadreStore::FindPerson(tx, request.person_id(), true);
    if (!p.has_value()) return absl::NotFoundError("person not found");
    if (auto st = AuthorisePerson(tx, call.access, *Graph(tx), *p); !st.ok()) return st;
    auto replay = internal::ReplayCreate(
        tx, call, request.request_id(), digest, "evaluation", [&](const std::string& key) {
          return CadreDueStore::FindEvaluation(tx, internal::StoredId(key));
        });
    if (!replay.ok()) return replay.status();
    if (replay->has_value()) {
      e = **replay;
      return absl::OkStatus();
    }
    auto current = CadreDueStore::CurrentEvaluation(tx, p->id(), request.year(), true);
    if (current.has_value() && request.correction_reason().empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("the person's ", request.year(), " is evaluated already (evaluation ",
                       current->evaluation_id(), "): give correction_reason to replace it"));
    }
    Validator fv;
    if (!current.has_value()) {
      fv.Check(request.correction_reason().empty(), "correction_reason",
               absl::StrCat("nothing to correct: ", request.year(), " is not evaluated yet"));
    }
    // The old agency's opinion: the move into the agency in force at the end of the year
    // evaluated (or on the day of the evaluation, if earlier).
    const absl::CivilDay year_end = std::min(on, absl::CivilDay(request.year(), 12, 31));
    const auto move =
        LastMove(CadreStore::CurrentRecords(tx, p->id(), v1::RECORD_KIND_ASSIGNMENT), year_end);
    // A merger is no move: the merged agency's staff stay, under the successor.
    const auto graph = Graph(tx);
    const bool merged = move.has_value() && [&] {
      const auto answered = AnsweredBy(*graph, p->agency_code(), move->moved_on);
      return std::find(answered.begin(), answered.end(), move->old_agency) != answered.end();
    }();
    if (move.has_value() && !merged &&
        PreviousAgencyOpinionRequired(rules, request.year(), move->old_from, move->moved_on)) {
      e.set_previous_agency_code(move->old_agency);
      fv.Check(!request.previous_agency_opinion().empty(), "previous_agency_opinion",
               absl::StrCat("required: the person moved from ", move->old_agency, " on ",
                            FormatDay(move->moved_on), " after ",
                            rules.evaluation_previous_agency_months, " months or more there in ",
                            request.year()));
      e.set_previous_agency_opinion(request.previous_agency_opinion());
    }
    // The agency's shares (configuration; DOMAIN.md §4 marks both unverified).
    const int staff = CadreDueStore::PaidStaff(tx, p->agency_code());
    const auto shares = CadreDueStore::CountShares(tx, p->agency_code(), request.year(), p->id());
    if (request.level() == v1::EVALUATION_LEVEL_EXCELLENT) {
      const int allowed = ShareAllows(rules.evaluation_excellent_share_percent, staff);
      fv.Check(shares.excellent < allowed, "level",
               absl::StrCat("the share rated excellent (", rules.evaluation_excellent_share_percent,
                            "% of ", staff, " paid staff) allows ", allowed, " in ", request.year(),
                            " and ", shares.excellent, " are rated so"));
    }
    if (request.early_raise_months() > 0) {
      const int allowed = ShareAllows(rules.early_raise_share_percent, staff);
      fv.Check(shares.early_raises < allowed, "early_raise_months",
               absl::StrCat("the yearly share of early raises (", rules.early_raise_share_percent,
                            "% of ", staff, " paid staff) allows ", allowed, " in ", request.year(),
                            " and ", shares.early_raises, " are granted"));
    }
    if (!fv.ok()) return fv.status();
    if (current.has_value()) CadreDueStore::SupersedeEvaluation(tx, current->evaluation_id(), now);
    e.set_agency_code(p->agency_code());
    e.set_evaluation_id(CadreDueStore::InsertEvaluation(tx, e, now));
    *e.mutable_recorded_from() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
    StoreIdempotentResponse(tx, call.access.subject, call.method, request.request_id(),
                            absl::StrCat(e.evaluation_id()));
    return AppendAudit(tx,
                       Audit(call, "RecordEvaluation", "person", absl::StrCat(p->id()),
                             absl::StrCat("evaluation ", e.evaluation_id(), " ", e.year(), " ",
                                          v1::EvaluationLevel_Name(e.level()),
                                          current.has_value() ? " (correction)" : "")),
                       now);
  });
  if (!st.ok()) return st;
  MarkLate(rules_, e);
  return e;
}

}  // namespace localgov::cadre

// localgovctl cadre due|evaluate|discipline: what falls due in a unit, the annual evaluation
// and discipline decisions (issue 23, part 1).
//   localgovctl cadre due UNIT [--as-of D] [--horizon DAYS] [--kind K]... [--output csv]
//   localgovctl cadre due --agency-wide CODE [--page-size N] [...]  every unit of it, all pages
//   localgovctl cadre evaluate ID --year Y --level L [--on D] [--opinion "..."]
//                              [--early-months N] [--correction "..."]
//   localgovctl cadre discipline ID --form F --offence O --conduct D --started D --decided D
//                                [--effect D] [--complex] --decision "15/QĐ-UBND"
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/crypto.h"
#include "tools/localgovctl/cadre_call.h"

namespace localgovctl {
namespace {

struct DueArgs {
  int64_t id = 0;
  std::string unit, agency, as_of, level, on, opinion, correction, form, offence, conduct, started,
      decided, effect, decision, request_id;
  std::vector<std::string> kinds;
  int horizon = 0, year = 0, early_months = 0, page_size = 0;
  bool complex = false;
};

std::string RequestId(const std::string& given) {
  return given.empty() ? "localgovctl-" + localgov::RandomId() : given;
}

int Due(const TokenOptions& token, const Caller& c, const DueArgs& a) {
  if (a.unit.empty() == a.agency.empty()) {
    std::cerr << "due: give a UNIT or --agency-wide CODE (one of them)\n";
    return 2;
  }
  cv1::ListDueRequest req;
  req.set_unit_code(a.unit);
  req.set_agency_code(a.agency);
  req.set_page_size(a.agency.empty() ? 0 : a.page_size);
  req.set_as_of(a.as_of);
  req.set_horizon_days(a.horizon);
  for (const auto& k : a.kinds) {
    cv1::DueKind kind;
    if (!ParseEnum("--kind", "DUE_KIND_", k, &cv1::DueKind_Parse, &kind)) return 2;
    req.add_kinds(kind);
  }
  Caller quiet = c;
  quiet.json = c.json && !CsvOutput();
  const bool csv = CsvOutput();  // the global --output csv
  if (csv) {
    std::cout << CsvRow({"kind", "due_date", "overdue", "person_id", "full_name", "position_code",
                         "reasons", "unit_code"});
  }
  // An agency's worklist comes page by page: every page, printed as it comes.
  int total = 0;
  for (int page = 0;; ++page) {
    cv1::ListDueResponse resp;
    if (int rc = Call(token, quiet, "due", &cv1::CadreService::Stub::ListDue, req, &resp);
        rc != 0) {
      return rc;
    }
    if (!csv && !quiet.json && page == 0) {
      std::cout << "due in " << (a.unit.empty() ? "agency " + a.agency : a.unit) << " from "
                << resp.as_of() << " until " << resp.until() << "\n";
    }
    for (const auto& i : resp.items()) {
      if (csv) {
        std::cout << CsvRow({Short(cv1::DueKind_Name(i.kind()), "DUE_KIND_"), i.due_date(),
                             i.overdue() ? "yes" : "no", absl::StrCat(i.person_id()), i.full_name(),
                             i.position_code(), absl::StrJoin(i.reasons(), "; "), i.unit_code()});
      } else if (!quiet.json) {
        std::cout << absl::StrFormat(
            "%s%s  %-16s %6d  %-28s %-12s %-14s %s\n", i.due_date(), i.overdue() ? "!" : " ",
            Short(cv1::DueKind_Name(i.kind()), "DUE_KIND_"), i.person_id(), i.full_name(),
            i.position_code(), i.unit_code(), absl::StrJoin(i.reasons(), "; "));
      }
    }
    total += resp.items_size();
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  if (!csv && !quiet.json) std::cout << total << " item(s)\n";
  return 0;
}

int Evaluate(const TokenOptions& token, const Caller& c, const DueArgs& a) {
  cv1::RecordEvaluationRequest req;
  req.set_request_id(RequestId(a.request_id));
  req.set_person_id(a.id);
  req.set_year(a.year);
  cv1::EvaluationLevel level;
  if (!ParseEnum("--level", "EVALUATION_LEVEL_", a.level, &cv1::EvaluationLevel_Parse, &level)) {
    return 2;
  }
  req.set_level(level);
  req.set_evaluated_on(a.on);
  req.set_previous_agency_opinion(a.opinion);
  req.set_early_raise_months(a.early_months);
  req.set_correction_reason(a.correction);
  cv1::RecordEvaluationResponse resp;
  if (int rc = Call(token, c, "evaluate", &cv1::CadreService::Stub::RecordEvaluation, req, &resp);
      rc != 0) {
    return rc;
  }
  if (!c.json) {
    const auto& e = resp.evaluation();
    std::cout << "evaluation " << e.evaluation_id() << ": person " << e.person_id() << " "
              << e.year() << " " << Short(cv1::EvaluationLevel_Name(e.level()), "EVALUATION_LEVEL_")
              << " on " << e.evaluated_on() << (e.late() ? " (late)" : "")
              << (e.previous_agency_code().empty()
                      ? ""
                      : " with the opinion of " + e.previous_agency_code())
              << (e.early_raise_months() > 0
                      ? absl::StrCat(", early raise ", e.early_raise_months(), " months")
                      : "")
              << "\n";
  }
  return 0;
}

int Discipline(const TokenOptions& token, const Caller& c, const DueArgs& a) {
  cv1::RecordDisciplineRequest req;
  req.set_request_id(RequestId(a.request_id));
  req.set_person_id(a.id);
  cv1::DisciplineForm form;
  if (!ParseEnum("--form", "DISCIPLINE_FORM_", a.form, &cv1::DisciplineForm_Parse, &form)) {
    return 2;
  }
  cv1::OffenceLevel offence;
  if (!ParseEnum("--offence", "OFFENCE_LEVEL_", a.offence, &cv1::OffenceLevel_Parse, &offence)) {
    return 2;
  }
  req.set_form(form);
  req.set_offence(offence);
  req.set_conduct_date(a.conduct);
  req.set_processing_started(a.started);
  req.set_complex(a.complex);
  req.set_decision_date(a.decided);
  req.set_effect_from(a.effect);
  req.set_decision_number(a.decision);
  cv1::RecordDisciplineResponse resp;
  if (int rc = Call(token, c, "discipline", &cv1::CadreService::Stub::RecordDiscipline, req, &resp);
      rc != 0) {
    return rc;
  }
  if (!c.json) {
    const auto& d = resp.discipline();
    std::cout << "discipline " << d.discipline_id() << ": person " << d.person_id() << " "
              << Short(cv1::DisciplineForm_Name(d.form()), "DISCIPLINE_FORM_") << " ("
              << d.decision_number() << ") in effect from " << d.effect_from() << " until "
              << d.effect_until() << "\n";
  }
  return 0;
}

}  // namespace

void AddCadreDueCommands(CLI::App* cadre, Shared& shared, const Caller& caller) {
  static DueArgs a;
  const TokenOptions& token = shared.token();

  auto* due = cadre->add_subcommand(
      "due", "what falls due in a unit: raises, terms, rotations, evaluations, quota");
  due->add_option("unit", a.unit, "the unit (or --agency-wide)");
  due->add_option("--agency-wide", a.agency,
                  "every unit of this agency (and of those merged into it), all pages");
  due->add_option("--page-size", a.page_size, "with --agency-wide: items a call (default 500)");
  due->add_option("--as-of", a.as_of, "the day (YYYY-MM-DD); default today");
  due->add_option("--horizon", a.horizon, "days ahead (default 90, at most 1830)");
  due->add_option("--kind", a.kinds,
                  "only this kind (raise, term-end, rotation-end, evaluation, quota-exceeded); "
                  "repeatable");
  shared.On(due, [&token, &caller] { return Due(token, caller, a); });

  auto* evaluate =
      cadre->add_subcommand("evaluate", "record a person's annual evaluation for a year");
  evaluate->add_option("id", a.id, "the person's id")->required();
  evaluate->add_option("--year", a.year, "the year evaluated")->required();
  evaluate->add_option("--level", a.level, "excellent, good, completed, not-completed")->required();
  evaluate->add_option("--on", a.on, "the day of the evaluation (default today)");
  evaluate->add_option("--opinion", a.opinion,
                       "the old agency's opinion (someone who moved in that year after 6 "
                       "months or more there)");
  evaluate->add_option("--early-months", a.early_months,
                       "an early raise for outstanding achievement (1-12 months; excellent)");
  evaluate->add_option("--correction", a.correction,
                       "replace the year's evaluation already recorded: why");
  evaluate->add_option("--request-id", a.request_id, "idempotency key (default random)");
  shared.On(evaluate, [&token, &caller] { return Evaluate(token, caller, a); });

  auto* discipline =
      cadre->add_subcommand("discipline", "record a discipline decision (Decree 172/2025)");
  discipline->add_option("id", a.id, "the person's id")->required();
  discipline
      ->add_option("--form", a.form,
                   "reprimand, warning, demotion, dismissal-from-post, removal, "
                   "forced-termination")
      ->required();
  discipline->add_option("--offence", a.offence, "reprimand (5 years), other (10), forged-diploma")
      ->required();
  discipline->add_option("--conduct", a.conduct, "the day of the conduct")->required();
  discipline->add_option("--started", a.started, "the day processing started")->required();
  discipline->add_option("--decided", a.decided, "the day of the decision")->required();
  discipline->add_option("--effect", a.effect, "the first day of effect (default --decided)");
  discipline->add_flag("--complex", a.complex, "a complex case (150 days of processing)");
  discipline->add_option("--decision", a.decision, "the decision's number")->required();
  discipline->add_option("--request-id", a.request_id, "idempotency key (default random)");
  shared.On(discipline, [&token, &caller] { return Discipline(token, caller, a); });
}

}  // namespace localgovctl

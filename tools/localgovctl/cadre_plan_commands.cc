// localgovctl cadre recruit|report: recruitment rounds and the standards report.
//   localgovctl cadre recruit open --unit U --position P --name "..." --posts N [--interview]
//                                  --opened D
//   localgovctl cadre recruit add ROUND --citizen-id N --name "..." [--priority 2.5]
//   localgovctl cadre recruit score CANDIDATE --version V [--round1 N] [--written N]
//                                   [--interview N]
//   localgovctl cadre recruit ranking ROUND                 CSV: the ranking against the posts
//   localgovctl cadre report (--unit U | --of AGENCY) [--as-of D]    CSV: the standards report
//   localgovctl cadre report --unit U [--as-of D] --people   CSV: each person the unit's line
//                                        counts, meets yes/no and why not (a hand count)
#include <iostream>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/crypto.h"
#include "tools/localgovctl/cadre_call.h"

namespace localgovctl {
namespace {

struct PlanArgs {
  int64_t id = 0;
  std::string unit, position, name, opened, citizen_id, priority = "0", of, as_of;
  int posts = 0;
  bool interview = false, people = false;
  int64_t version = 0;
  int round1 = -1, written = -1, interview_score = -1;  // -1: not given
};

// One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break.
std::string Csv(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Score(int x100) { return absl::StrFormat("%d.%02d", x100 / 100, x100 % 100); }

std::string Opt(bool has, int v) { return has ? absl::StrCat(v) : ""; }

// "2.5" → 250: the priority points Decree 138/2020 Art. 5 gives (0, 2.5, 5, 7.5).
bool ParsePriority(const std::string& text, int* x100) {
  double d = 0;
  if (!absl::SimpleAtod(text, &d)) return false;
  *x100 = static_cast<int>(d * 100 + 0.5);
  return true;
}

void PrintRanking(const cv1::GetRecruitmentRankingResponse& r) {
  std::cout << "place,candidate_id,citizen_id,full_name,priority,round1_correct,written,interview,"
               "round2,total,outcome\n";
  for (const auto& c : r.candidates()) {
    const auto& d = c.candidate();
    std::cout << c.place() << "," << d.id() << "," << d.citizen_id() << "," << Csv(d.full_name())
              << "," << Score(d.priority_points_x100()) << ","
              << Opt(d.has_round1_correct(), d.round1_correct()) << ","
              << Opt(d.has_written(), d.written()) << "," << Opt(d.has_interview(), d.interview())
              << "," << Score(c.round2_score_x100()) << "," << Score(c.total_x100()) << ","
              << Short(cv1::CandidateOutcome_Name(c.outcome()), "CANDIDATE_OUTCOME_") << "\n";
  }
  std::cerr << "round " << r.round().id() << " (" << r.round().name() << "): " << r.selected()
            << " of " << r.round().posts() << " posts selected"
            << (r.undecided_posts() > 0
                    ? absl::StrCat(", ", r.undecided_posts(), " left to the head among the TIED")
                    : "")
            << "\n";
}

void PrintReport(const cv1::GetStandardsReportResponse& r) {
  std::cout << "as_of,unit_code,unit_name,agency_code,quota,headcount,contracted,people,"
               "professional_university,professional_college,professional_intermediate,"
               "professional_untrained,political_advanced,political_intermediate,"
               "political_elementary,political_none,meeting_standard,share_percent\n";
  auto line = [&](const cv1::UnitStandards& u) {
    std::cout << r.as_of() << "," << Csv(u.unit_code()) << "," << Csv(u.unit_name()) << ","
              << u.agency_code() << "," << (u.quota() < 0 ? "" : absl::StrCat(u.quota())) << ","
              << u.headcount() << "," << u.contracted() << "," << u.people() << ","
              << u.professional_university() << "," << u.professional_college() << ","
              << u.professional_intermediate() << "," << u.professional_untrained() << ","
              << u.political_advanced() << "," << u.political_intermediate() << ","
              << u.political_elementary() << "," << u.political_none() << ","
              << u.meeting_standard() << ","
              << (u.people() == 0
                      ? std::string()
                      : absl::StrFormat("%.1f", 100.0 * u.meeting_standard() / u.people()))
              << "\n";
  };
  for (const auto& u : r.units()) line(u);
  line(r.total());
}

// The detail of one unit's line, every page; the summary (people, meeting, share) on stderr.
int PrintDetail(const TokenOptions& token, const Caller& caller, const PlanArgs& a) {
  cv1::ListStandardsDetailRequest req;
  req.set_unit_code(a.unit);
  req.set_as_of(a.as_of);
  req.set_page_size(500);
  if (!caller.json) {
    std::cout << "as_of,unit_code,person_id,full_name,kind,position_code,position_name,"
                 "required_professional,required_field,required_political,"
                 "requires_state_management,professional,fields,political,state_management,"
                 "meets,reason\n";
  }
  int people = 0, meeting = 0;
  for (;;) {
    cv1::ListStandardsDetailResponse resp;
    if (int rc = Call(token, caller, "report --people",
                      &cv1::CadreService::Stub::ListStandardsDetail, req, &resp);
        rc != 0) {
      return rc;
    }
    for (const auto& d : resp.people()) {
      ++people;
      meeting += d.meets_standard() ? 1 : 0;
      if (caller.json) continue;
      std::cout << resp.as_of() << "," << Csv(a.unit) << "," << d.person_id() << ","
                << Csv(d.full_name()) << "," << (d.contracted() ? "contracted" : "staff") << ","
                << Csv(d.position_code()) << "," << Csv(d.position_name()) << ","
                << Short(cv1::ProfessionalLevel_Name(d.required_professional_level()),
                         "PROFESSIONAL_LEVEL_")
                << "," << Csv(d.required_field()) << ","
                << Short(cv1::PoliticalTheoryLevel_Name(d.required_political_theory()),
                         "POLITICAL_THEORY_LEVEL_")
                << "," << (d.requires_state_management() ? "yes" : "no") << ","
                << Short(cv1::ProfessionalLevel_Name(d.professional_level()), "PROFESSIONAL_LEVEL_")
                << "," << Csv(absl::StrJoin(d.professional_fields(), "; ")) << ","
                << Short(cv1::PoliticalTheoryLevel_Name(d.political_theory()),
                         "POLITICAL_THEORY_LEVEL_")
                << "," << (d.state_management() ? "yes" : "no") << ","
                << (d.meets_standard() ? "yes" : "no") << "," << Csv(d.reason()) << "\n";
    }
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  std::cerr << a.unit << ": " << meeting << " of " << people << " meet their position's standard"
            << (people == 0 ? std::string()
                            : absl::StrFormat(" (%.1f%%)", 100.0 * meeting / people))
            << "\n";
  return 0;
}

}  // namespace

void AddCadrePlanCommands(CLI::App& cadre, Shared& shared) {
  static Caller& caller = CadreCaller();
  static PlanArgs a;
  const TokenOptions& token = shared.token();

  auto* recruit =
      cadre.add_subcommand("recruit", "recruitment rounds: candidates, scores, ranking");
  recruit->require_subcommand(1);

  auto* open = recruit->add_subcommand("open", "open a recruitment round for a position");
  open->add_option("--unit", a.unit, "the unit recruiting")->required();
  open->add_option("--position", a.position, "the position (of that unit)")->required();
  open->add_option("--name", a.name, "the round's name")->required();
  open->add_option("--posts", a.posts, "the number of posts")->required();
  open->add_flag("--interview", a.interview, "round 2 written + interview (70/30)");
  open->add_option("--opened", a.opened, "the day it opened (YYYY-MM-DD)")->required();
  shared.On(open, [&token] {
    cv1::CreateRecruitmentRoundRequest req;
    req.set_request_id("localgovctl-" + localgov::RandomId());
    auto* r = req.mutable_round();
    r->set_unit_code(a.unit);
    r->set_position_code(a.position);
    r->set_name(a.name);
    r->set_posts(a.posts);
    r->set_with_interview(a.interview);
    r->set_opened_on(a.opened);
    cv1::CreateRecruitmentRoundResponse resp;
    int rc = Call(token, caller, "recruit open", &cv1::CadreService::Stub::CreateRecruitmentRound,
                  req, &resp);
    if (rc == 0 && !caller.json) std::cout << "round " << resp.round().id() << "\n";
    return rc;
  });

  auto* add = recruit->add_subcommand("add", "add a candidate to a round");
  add->add_option("round", a.id, "the round's id")->required();
  add->add_option("--citizen-id", a.citizen_id, "12 digits")->required();
  add->add_option("--name", a.name, "full name")->required();
  add->add_option("--priority", a.priority, "priority points: 0, 2.5, 5 or 7.5");
  shared.On(add, [&token] {
    cv1::AddCandidateRequest req;
    req.set_request_id("localgovctl-" + localgov::RandomId());
    int priority = 0;
    if (!ParsePriority(a.priority, &priority)) {
      std::cerr << "--priority: not a number\n";
      return 2;
    }
    req.mutable_candidate()->set_round_id(a.id);
    req.mutable_candidate()->set_citizen_id(a.citizen_id);
    req.mutable_candidate()->set_full_name(a.name);
    req.mutable_candidate()->set_priority_points_x100(priority);
    cv1::AddCandidateResponse resp;
    int rc = Call(token, caller, "recruit add", &cv1::CadreService::Stub::AddCandidate, req, &resp);
    if (rc == 0 && !caller.json) {
      std::cout << "candidate " << resp.candidate().id() << " version "
                << resp.candidate().version() << "\n";
    }
    return rc;
  });

  auto* score = recruit->add_subcommand("score", "record a candidate's scores");
  score->add_option("candidate", a.id, "the candidate's id")->required();
  score->add_option("--version", a.version, "the candidate's version last read")->required();
  score->add_option("--round1", a.round1, "round 1: correct answers of 60");
  score->add_option("--written", a.written, "round 2 written, 0..100");
  score->add_option("--interview", a.interview_score, "round 2 interview, 0..100");
  shared.On(score, [&token, score] {
    cv1::RecordCandidateScoresRequest req;
    req.set_candidate_id(a.id);
    req.set_expected_version(a.version);
    if (score->count("--round1") > 0) req.set_round1_correct(a.round1);
    if (score->count("--written") > 0) req.set_written(a.written);
    if (score->count("--interview") > 0) req.set_interview(a.interview_score);
    cv1::RecordCandidateScoresResponse resp;
    int rc = Call(token, caller, "recruit score", &cv1::CadreService::Stub::RecordCandidateScores,
                  req, &resp);
    if (rc == 0 && !caller.json) {
      std::cout << "candidate " << resp.candidate().id() << " version "
                << resp.candidate().version() << "\n";
    }
    return rc;
  });

  auto* ranking = recruit->add_subcommand("ranking", "a round's ranking against its posts (CSV)");
  ranking->add_option("round", a.id, "the round's id")->required();
  shared.On(ranking, [&token] {
    cv1::GetRecruitmentRankingRequest req;
    req.set_round_id(a.id);
    cv1::GetRecruitmentRankingResponse resp;
    int rc = Call(token, caller, "recruit ranking", &cv1::CadreService::Stub::GetRecruitmentRanking,
                  req, &resp);
    if (rc == 0 && !caller.json) PrintRanking(resp);
    return rc;
  });

  auto* report = cadre.add_subcommand(
      "report", "the standards report as of a day, per unit (CSV; the last line is the total)");
  report->add_option("--unit", a.unit, "a unit");
  report->add_option("--of", a.of, "an agency (with the agencies merged into it)");
  report->add_option("--as-of", a.as_of, "the day (YYYY-MM-DD); default today");
  report->add_flag("--people", a.people,
                   "with --unit: each person the line counts, meets yes/no and why not (CSV)");
  shared.On(report, [&token] {
    if (a.people) {
      if (a.unit.empty() || !a.of.empty()) {
        std::cerr << "report --people needs --unit (and no --of)\n";
        return 2;
      }
      return PrintDetail(token, caller, a);
    }
    cv1::GetStandardsReportRequest req;
    req.set_unit_code(a.unit);
    req.set_agency_code(a.of);
    req.set_as_of(a.as_of);
    cv1::GetStandardsReportResponse resp;
    int rc =
        Call(token, caller, "report", &cv1::CadreService::Stub::GetStandardsReport, req, &resp);
    if (rc == 0 && !caller.json) PrintReport(resp);
    return rc;
  });
}

}  // namespace localgovctl

// localgovctl cadre load-demo: the demo province's cadres. Its agencies and mergers go to the
// liaison directory first (where the cadre service takes them from), then the generated
// people and their ten years of history into the cadre database in one transaction, then it
// waits until the cadre service has taken the agencies from the directory, and applies the
// demo's merger of two communes (demo_merger.h) through the cadre service's merger plan, and
// scores a recruitment round through the recruitment RPCs.
#include <chrono>
#include <iostream>
#include <string>
#include <thread>

#include "absl/strings/match.h"
#include "common/db/transaction.h"
#include "localgov/cadre/v1/cadre_service.grpc.pb.h"
#include "pqxx/pqxx"
#include "services/cadre/cadre_rules.h"
#include "services/cadre/cadre_store.h"
#include "services/cadre/cadre_store_due.h"
#include "services/cadre/demo_data.h"
#include "services/cadre/demo_merger.h"
#include "tools/localgovctl/cadre_call.h"
#include "tools/localgovctl/cadre_commands.h"
#include "tools/localgovctl/directory_commands.h"

namespace localgovctl {
namespace {

namespace cv1 = localgov::cadre::v1;

// The directory's kind for a demo agency: the province, its departments, or a commune.
std::string KindOf(const localgov::cadre::v1::Agency& a) {
  if (a.code() == "000.00.00.H41") return "PROVINCIAL_PEOPLES_COMMITTEE";
  if (absl::StartsWith(a.name(), "Ủy ban nhân dân")) return "COMMUNE_PEOPLES_COMMITTEE";
  return "PROVINCIAL_DEPARTMENT";
}

// Registers the demo's agencies and mergers in the liaison directory (again: no change).
int RegisterInDirectory(const TokenOptions& token, const localgov::cadre::DemoProvince& demo) {
  int bad = 0;
  for (const auto& a : demo.agencies) {
    bad += CreateAgency(token, "cadre-demo-" + a.code(), a.code(), a.name(), KindOf(a), "",
                        /*quiet=*/true) == 0
               ? 0
               : 1;
  }
  for (const auto& a : demo.agencies) {
    if (a.successor_code().empty()) continue;
    lv1::MergeAgencyRequest req;
    req.set_code(a.code());
    req.set_successor_code(a.successor_code());
    req.set_effective_date(a.merged_on());
    lv1::MergeAgencyResponse resp;
    // Loading again: FAILED_PRECONDITION means the merger is recorded already.
    bad += LiaisonCall(token, Role::kAdmin, "merge " + a.code(),
                       &lv1::LiaisonService::Stub::MergeAgency, req, &resp, "000.00.00.H99",
                       {grpc::StatusCode::FAILED_PRECONDITION})
               ? 0
               : 1;
  }
  return bad;
}

// Until the cadre service lists `agency`'s units (it has projected the directory), at most 60 s.
bool AwaitProjection(const TokenOptions& token, const std::string& agency) {
  auto stub = cv1::CadreService::NewStub(Channel(*FindTarget("cadre")));
  grpc::Status st;
  for (int i = 0; i < 120; ++i) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization",
                    "Bearer " + DevToken(token, Role::kSystem, agency, "localgovctl"));
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    cv1::ListUnitsRequest req;
    req.set_agency_code(agency);
    req.set_page_size(1);
    cv1::ListUnitsResponse resp;
    st = stub->ListUnits(&ctx, req, &resp);
    if (st.ok()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  PrintError("cadre: the demo agencies did not reach the cadre service from the directory", st);
  return false;
}

// The demo's merger of two communes, as the successor's personnel office applies it: the plan
// previewed, then applied (PreviewMerger, ApplyMerger). Applied already: nothing.
int ApplyDemoMerger(const TokenOptions& token, const localgov::cadre::DemoProvince& demo) {
  const auto m = localgov::cadre::DemoCommuneMerger(demo);
  if (m.agency.empty()) return 0;
  Caller c;
  c.agency = m.successor;
  c.subject = "demo-personnel-officer";
  cv1::PreviewMergerRequest req;
  req.set_agency_code(m.agency);
  req.set_merged_on(m.merged_on);
  cv1::PreviewMergerResponse preview;
  if (int rc = Call(token, c, "cadre demo merger (preview)",
                    &cv1::CadreService::Stub::PreviewMerger, req, &preview);
      rc != 0) {
    return rc;
  }
  const auto& plan = preview.plan();
  if (plan.blockers_size() > 0) {
    bool applied = true;
    for (const auto& b : plan.blockers()) applied = applied && b.code() == "UNIT_ALREADY_MOVED";
    if (applied) {
      std::cout << "cadre demo merger: " << m.agency << " into " << m.successor
                << " applied already\n";
      return 0;
    }
    for (const auto& b : plan.blockers()) {
      std::cerr << "cadre demo merger: " << b.code() << ": " << b.message() << "\n";
    }
    return 1;
  }
  cv1::ApplyMergerRequest apply;
  apply.set_request_id("cadre-demo-merger-" + m.agency);
  apply.set_agency_code(m.agency);
  apply.set_merged_on(m.merged_on);
  apply.set_expected_fingerprint(plan.fingerprint());
  cv1::ApplyMergerResponse resp;
  if (int rc = Call(token, c, "cadre demo merger (apply)", &cv1::CadreService::Stub::ApplyMerger,
                    apply, &resp);
      rc != 0) {
    return rc;
  }
  std::cout << "cadre demo merger " << resp.merger_id() << ": " << m.agency << " into "
            << m.successor << " on " << m.merged_on << ", " << plan.units_size() << " units, "
            << plan.people_size() << " people moved\n";
  return 0;
}

// The demo's recruitment round (Decree 170/2025): a civil servant of justice and civil status
// for Phường Bắc Nha Trang 000.00.33.H41, two posts, written and interview (70/30), six
// candidates scored on the edges (29 of 60 fails round 1, 30 passes; a tie at the last post on
// the total, 79.90 with priority points, broken by the round-2 score). Again: the round and
// candidates are replayed by their request_ids and a candidate scored already is left as it is.
int DemoRecruitment(const TokenOptions& token) {
  struct Demo {
    const char* citizen_id;
    const char* name;
    int priority_x100, round1, written, interview;
  };
  static constexpr Demo kCandidates[] = {
      {"056200000101", "Nguyễn Thị Thu Hà", 0, 48, 82, 75},
      {"056201000102", "Trần Văn Bình", 250, 41, 78, 76},
      {"056300000103", "Lê Minh Châu", 0, 30, 74, 90},
      {"056299000104", "Phạm Quốc Dũng", 0, 52, 80, 80},
      {"056198000105", "Võ Thị Mai", 0, 29, 95, 95},
      {"056201000106", "Huỳnh Gia Bảo", 0, 44, 45, 60},
  };
  Caller c;
  c.agency = "000.00.33.H41";
  c.subject = "demo-personnel-officer";
  cv1::CreateRecruitmentRoundRequest open;
  open.set_request_id("cadre-demo-round-33-2026");
  auto* r = open.mutable_round();
  r->set_unit_code("000.00.33.H41-VP");
  r->set_position_code("000.00.33.H41-VP-TPHT");
  r->set_name("Tuyển dụng công chức Tư pháp - Hộ tịch năm 2026");
  r->set_posts(2);
  r->set_with_interview(true);
  r->set_opened_on("2026-09-01");
  cv1::CreateRecruitmentRoundResponse round;
  if (int rc = Call(token, c, "cadre demo recruitment (round)",
                    &cv1::CadreService::Stub::CreateRecruitmentRound, open, &round);
      rc != 0) {
    return rc;
  }
  for (const auto& d : kCandidates) {
    cv1::AddCandidateRequest add;
    add.set_request_id(std::string("cadre-demo-candidate-") + d.citizen_id);
    add.mutable_candidate()->set_round_id(round.round().id());
    add.mutable_candidate()->set_citizen_id(d.citizen_id);
    add.mutable_candidate()->set_full_name(d.name);
    add.mutable_candidate()->set_priority_points_x100(d.priority_x100);
    cv1::AddCandidateResponse added;
    if (int rc = Call(token, c, "cadre demo recruitment (candidate)",
                      &cv1::CadreService::Stub::AddCandidate, add, &added);
        rc != 0) {
      return rc;
    }
    if (added.candidate().has_round1_correct()) continue;  // scored by an earlier load
    cv1::RecordCandidateScoresRequest score;
    score.set_candidate_id(added.candidate().id());
    score.set_expected_version(added.candidate().version());
    score.set_round1_correct(d.round1);
    score.set_written(d.written);
    score.set_interview(d.interview);
    cv1::RecordCandidateScoresResponse scored;
    if (int rc = Call(token, c, "cadre demo recruitment (scores)",
                      &cv1::CadreService::Stub::RecordCandidateScores, score, &scored);
        rc != 0) {
      return rc;
    }
  }
  std::cout << "cadre demo recruitment round " << round.round().id() << ": "
            << std::size(kCandidates) << " candidates for " << round.round().posts()
            << " posts (localgovctl cadre --agency 000.00.33.H41 recruit ranking "
            << round.round().id() << ")\n";
  return 0;
}

}  // namespace

int LoadCadreDemo(const TokenOptions& token, const std::string& url, bool directory) {
  const auto start = std::chrono::steady_clock::now();
  const auto demo =
      localgov::cadre::GenerateDemoProvince({}, *localgov::cadre::CadreRuleBook::Parse(""));
  if (directory && RegisterInDirectory(token, demo) != 0) return 1;
  try {
    pqxx::connection conn(url);
    pqxx::work tx(conn);
    if (localgov::cadre::CadreStore::DemoLoaded(tx)) {
      std::cout << "cadre demo province: already loaded\n";
    } else {
      localgov::cadre::CadreStore::LoadDemo(tx, demo, absl::Now());
      const auto due = localgov::cadre::GenerateDemoDue(demo);
      localgov::cadre::CadreDueStore::LoadDemo(tx, due);
      tx.commit();
      std::cout << "cadre demo province: " << demo.agencies.size() << " agencies, "
                << demo.units.size() << " units, " << demo.positions.size() << " positions, "
                << demo.people.size() << " people, " << demo.history_versions()
                << " history versions in "
                << std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - start)
                       .count()
                << " ms\n";
      std::cout << "cadre demo province: " << due.evaluations.size() << " evaluations, "
                << due.disciplines.size() << " discipline decisions\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "cadre load-demo: " << localgov::StatusFromDbError(e).message() << "\n";
    return 1;
  }
  if (directory && !AwaitProjection(token, demo.agencies.back().code())) return 1;
  if (directory && ApplyDemoMerger(token, demo) != 0) return 1;
  if (directory && DemoRecruitment(token) != 0) return 1;
  return 0;
}

}  // namespace localgovctl

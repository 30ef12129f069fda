// Recruitment rounds (Decree 170/2025) against real PostgreSQL and Redis: bad input with field
// violations, access (the personnel office of the agency only), idempotent creates, versioned
// scores, the ranking against the posts with a 70/30 tie, and no citizen ID or name in logs.
#include <atomic>
#include <thread>

#include "pqxx/pqxx"
#include "spdlog/sinks/ringbuffer_sink.h"
#include "spdlog/spdlog.h"
#include "tests/integration/cadre_fixture.h"

namespace localgov::cadre {
namespace {

class CadreRecruitmentTest : public CadreTest {
 protected:
  v1::RecruitmentRound Round(const std::string& request_id, int posts, bool interview) {
    v1::CreateRecruitmentRoundRequest req;
    req.set_request_id(request_id);
    auto* r = req.mutable_round();
    r->set_unit_code("C31-VP");
    r->set_position_code("C31-VH");
    r->set_name("Tuyển dụng công chức năm 2026");
    r->set_posts(posts);
    r->set_with_interview(interview);
    r->set_opened_on("2026-02-01");
    v1::CreateRecruitmentRoundResponse resp;
    auto st = Call(&v1::CadreService::Stub::CreateRecruitmentRound, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.round();
  }

  v1::Candidate Candidate(int64_t round, const std::string& citizen_id, const std::string& name,
                          int priority = 0) {
    v1::AddCandidateRequest req;
    req.set_request_id("cand-" + citizen_id + "-" + std::to_string(round));
    req.mutable_candidate()->set_round_id(round);
    req.mutable_candidate()->set_citizen_id(citizen_id);
    req.mutable_candidate()->set_full_name(name);
    req.mutable_candidate()->set_priority_points_x100(priority);
    v1::AddCandidateResponse resp;
    auto st = Call(&v1::CadreService::Stub::AddCandidate, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.candidate();
  }

  grpc::Status Scores(int64_t candidate, int64_t version, std::optional<int> r1,
                      std::optional<int> written, std::optional<int> interview,
                      v1::RecordCandidateScoresResponse* resp) {
    v1::RecordCandidateScoresRequest req;
    req.set_candidate_id(candidate);
    req.set_expected_version(version);
    if (r1) req.set_round1_correct(*r1);
    if (written) req.set_written(*written);
    if (interview) req.set_interview(*interview);
    return Call(&v1::CadreService::Stub::RecordCandidateScores, req, resp);
  }

  v1::GetRecruitmentRankingResponse Ranking(int64_t round) {
    v1::GetRecruitmentRankingRequest req;
    req.set_round_id(round);
    v1::GetRecruitmentRankingResponse resp;
    auto st = Call(&v1::CadreService::Stub::GetRecruitmentRanking, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp;
  }
};

TEST_F(CadreRecruitmentTest, BadInputNamesEveryFieldAndWritesNothing) {
  v1::CreateRecruitmentRoundRequest req;
  req.mutable_round()->set_posts(0);
  req.mutable_round()->set_opened_on("2026-02-30");
  v1::CreateRecruitmentRoundResponse resp;
  auto st = Call(&v1::CadreService::Stub::CreateRecruitmentRound, req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(st),
            (std::vector<std::string>{"request_id", "round.unit_code", "round.position_code",
                                      "round.name", "round.posts", "round.opened_on"}));
  // A position of another unit.
  req.set_request_id("r-bad");
  auto* r = req.mutable_round();
  r->set_unit_code("C31-VP");
  r->set_position_code("C32-VH");
  r->set_name("x");
  r->set_posts(1);
  r->set_opened_on("2026-02-01");
  st = Call(&v1::CadreService::Stub::CreateRecruitmentRound, req, &resp);
  EXPECT_EQ(Fields(st), std::vector<std::string>{"round.position_code"});

  const auto round = Round("r-1", 2, true);
  v1::AddCandidateRequest add;
  add.set_request_id("c-bad");
  add.mutable_candidate()->set_round_id(round.id());
  add.mutable_candidate()->set_citizen_id("05618500001");
  add.mutable_candidate()->set_priority_points_x100(300);
  add.mutable_candidate()->set_written(80);
  v1::AddCandidateResponse added;
  st = Call(&v1::CadreService::Stub::AddCandidate, add, &added);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"candidate.citizen_id", "candidate.full_name",
                                                  "candidate.priority_points_x100", "candidate"}));
  EXPECT_EQ(st.error_message().find("05618500001"), std::string::npos) << "never quoted";

  const auto c = Candidate(round.id(), "056199000001", "Lê Thị Hoa");
  v1::RecordCandidateScoresResponse sr;
  st = Scores(c.id(), 1, 61, 101, 101, &sr);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"round1_correct", "written", "interview"}))
      << st.error_message();
  st = Scores(c.id(), 0, std::nullopt, std::nullopt, std::nullopt, &sr);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"expected_version", "round1_correct"}));
  // An interview score for a written-only round.
  const auto written_only = Round("r-2", 1, false);
  const auto w = Candidate(written_only.id(), "056199000001", "Lê Thị Hoa");
  st = Scores(w.id(), 1, 40, 80, 70, &sr);
  EXPECT_EQ(Fields(st), std::vector<std::string>{"interview"});
  pqxx::connection conn(sut_->config().database_url);
  pqxx::work tx(conn);
  EXPECT_EQ(tx.exec("SELECT count(*) FROM cadre_candidates WHERE round1_correct IS NOT NULL")[0][0]
                .as<int>(),
            0);
}

TEST_F(CadreRecruitmentTest, OnlyThePersonnelOfficeOfTheAgency) {
  const auto round = Round("r-1", 1, false);
  v1::GetRecruitmentRankingRequest req;
  req.set_round_id(round.id());
  v1::GetRecruitmentRankingResponse resp;
  // Another commune's personnel office.
  auto st = Call(&v1::CadreService::Stub::GetRecruitmentRanking, req, &resp, Role::kOfficer,
                 kOtherCommune, "officer-32");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // The supervising Department of Home Affairs may.
  st = Call(&v1::CadreService::Stub::GetRecruitmentRanking, req, &resp, Role::kOfficer,
            kHomeAffairs, "doha-officer");
  EXPECT_TRUE(st.ok()) << st.error_message();
  // The commune's own staff of another office may not.
  office_ = "finance";
  v1::AddCandidateRequest add;
  add.set_request_id("c-1");
  add.mutable_candidate()->set_round_id(round.id());
  add.mutable_candidate()->set_citizen_id("056199000001");
  add.mutable_candidate()->set_full_name("Lê Thị Hoa");
  v1::AddCandidateResponse added;
  st = Call(&v1::CadreService::Stub::AddCandidate, add, &added);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // A citizen may not call at all.
  office_ = "personnel";
  st = Call(&v1::CadreService::Stub::GetRecruitmentRanking, req, &resp, Role::kCitizen, "",
            "056199000001");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // Unknown round.
  req.set_round_id(round.id() + 1000);
  st = Call(&v1::CadreService::Stub::GetRecruitmentRanking, req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(CadreRecruitmentTest, IdempotentCreatesAndVersionedScores) {
  const auto a = Round("r-1", 1, false);
  const auto b = Round("r-1", 1, false);
  EXPECT_EQ(a.id(), b.id());
  const auto c1 = Candidate(a.id(), "056199000001", "Lê Thị Hoa");
  const auto c2 = Candidate(a.id(), "056199000001", "Lê Thị Hoa");
  EXPECT_EQ(c1.id(), c2.id());
  EXPECT_EQ(c1.citizen_id(), "********0001") << "masked";
  // The same citizen again under another request id.
  v1::AddCandidateRequest add;
  add.set_request_id("other");
  add.mutable_candidate()->set_round_id(a.id());
  add.mutable_candidate()->set_citizen_id("056199000001");
  add.mutable_candidate()->set_full_name("Lê Thị Hoa");
  v1::AddCandidateResponse added;
  EXPECT_EQ(Call(&v1::CadreService::Stub::AddCandidate, add, &added).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  // Two writers with the same version: one wins, the other is ABORTED.
  std::atomic<int> ok{0}, aborted{0};
  std::vector<std::thread> writers;
  for (int i = 0; i < 2; ++i) {
    writers.emplace_back([&, i] {
      v1::RecordCandidateScoresResponse r;
      auto st = Scores(c1.id(), 1, 30 + i, std::nullopt, std::nullopt, &r);
      if (st.ok()) ++ok;
      if (st.error_code() == grpc::StatusCode::ABORTED) ++aborted;
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(aborted.load(), 1);
  v1::RecordCandidateScoresResponse r;
  auto st = Scores(c1.id(), 2, std::nullopt, 64, std::nullopt, &r);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(r.candidate().version(), 3);
  EXPECT_EQ(r.candidate().written(), 64);
  EXPECT_TRUE(r.candidate().has_round1_correct()) << "left as recorded";
  EXPECT_EQ(Scores(c1.id(), 2, 40, std::nullopt, std::nullopt, &r).error_code(),
            grpc::StatusCode::ABORTED);
}

TEST_F(CadreRecruitmentTest, RankingAgainstThePostsWithASeventyThirtyTie) {
  const auto round = Round("r-1", 2, true);
  struct Row {
    const char* id;
    int r1, written, interview;
  };
  // 30 of 60 passes exactly; 29 fails. Round 2: 0.7·90 + 0.3·80 = 87.00; 0.7·80 + 0.3·60 =
  // 74.00 and 0.7·74 + 0.3·74 = 74.00 tie for the second post: the head decides.
  const std::vector<Row> rows = {{"056199000001", 30, 90, 80},
                                 {"056199000002", 45, 80, 60},
                                 {"056199000003", 50, 74, 74},
                                 {"056199000004", 29, 100, 100}};
  std::vector<int64_t> ids;
  for (const auto& row : rows) {
    auto c = Candidate(round.id(), row.id, "Phạm Văn Nam");
    v1::RecordCandidateScoresResponse r;
    auto st = Scores(c.id(), c.version(), row.r1, row.written, row.interview, &r);
    ASSERT_TRUE(st.ok()) << st.error_message();
    ids.push_back(c.id());
  }
  auto ranking = Ranking(round.id());
  ASSERT_EQ(ranking.candidates_size(), 4);
  EXPECT_EQ(ranking.candidates(0).candidate().id(), ids[0]);
  EXPECT_EQ(ranking.candidates(0).round2_score_x100(), 8700);
  EXPECT_EQ(ranking.candidates(0).outcome(), v1::CANDIDATE_OUTCOME_SELECTED);
  for (int i : {1, 2}) {
    EXPECT_EQ(ranking.candidates(i).round2_score_x100(), 7400);
    EXPECT_EQ(ranking.candidates(i).place(), 2);
    EXPECT_EQ(ranking.candidates(i).outcome(), v1::CANDIDATE_OUTCOME_TIED);
  }
  EXPECT_EQ(ranking.candidates(3).candidate().id(), ids[3]);
  EXPECT_EQ(ranking.candidates(3).outcome(), v1::CANDIDATE_OUTCOME_FAILED_ROUND1);
  EXPECT_EQ(ranking.selected(), 1);
  EXPECT_EQ(ranking.undecided_posts(), 1);
  // A better interview for the third breaks the tie: 0.7·74 + 0.3·75 = 74.30.
  v1::RecordCandidateScoresResponse r;
  ASSERT_TRUE(Scores(ids[2], 2, std::nullopt, std::nullopt, 75, &r).ok());
  ranking = Ranking(round.id());
  EXPECT_EQ(ranking.candidates(1).candidate().id(), ids[2]);
  EXPECT_EQ(ranking.candidates(1).round2_score_x100(), 7430);
  EXPECT_EQ(ranking.candidates(1).outcome(), v1::CANDIDATE_OUTCOME_SELECTED);
  EXPECT_EQ(ranking.candidates(2).outcome(), v1::CANDIDATE_OUTCOME_NOT_SELECTED);
  EXPECT_EQ(ranking.selected(), 2);
  EXPECT_EQ(ranking.undecided_posts(), 0);
}

TEST_F(CadreRecruitmentTest, CandidatesIdentityNeverLogged) {
  auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(10000);
  auto logger = spdlog::default_logger();
  logger->sinks().push_back(sink);
  const auto level = logger->level();
  logger->set_level(spdlog::level::trace);
  const auto round = Round("r-1", 1, false);
  auto c = Candidate(round.id(), "056199000777", "Đỗ Minh Khôi");
  v1::AddCandidateRequest dup;
  dup.set_request_id("dup");
  dup.mutable_candidate()->set_round_id(round.id());
  dup.mutable_candidate()->set_citizen_id("056199000777");
  dup.mutable_candidate()->set_full_name("Đỗ Minh Khôi");
  v1::AddCandidateResponse resp;
  EXPECT_EQ(Call(&v1::CadreService::Stub::AddCandidate, dup, &resp).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  Ranking(round.id());
  logger->set_level(level);
  logger->sinks().pop_back();
  const auto lines = sink->last_formatted();
  EXPECT_FALSE(lines.empty()) << "the calls were logged";
  for (const auto& line : lines) {
    EXPECT_EQ(line.find("056199000777"), std::string::npos) << line;
    EXPECT_EQ(line.find("Đỗ Minh Khôi"), std::string::npos) << line;
  }
}

}  // namespace
}  // namespace localgov::cadre

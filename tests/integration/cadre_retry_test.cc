// Every cadre write that is not a create, retried by a client that lost the answer (issue 25),
// against real PostgreSQL: with a request_id the same request again returns the first answer,
// even once the record has moved on, and writes nothing (history, qualifications, quotas,
// scores, versions and audit records counted); the same request_id with another body is
// ALREADY_EXISTS; without one a retry is stale (ABORTED), as before.
#include <thread>

#include "google/protobuf/util/message_differencer.h"
#include "pqxx/pqxx"
#include "tests/integration/cadre_fixture.h"

namespace localgov::cadre {
namespace {

using google::protobuf::util::MessageDifferencer;

class CadreRetryTest : public CadreTest {
 protected:
  // What a write leaves behind, in one line: rows of the history, qualifications, quotas,
  // candidates' scores, the versions of people, quotas and candidates, and audit records.
  std::string Written() {
    pqxx::connection conn(sut_->config().database_url);
    pqxx::work tx(conn);
    return tx
        .exec(
            "SELECT concat_ws(' / ',"
            " 'history ' || (SELECT count(*) FROM cadre_history),"
            " 'qualifications ' || (SELECT count(*) FROM cadre_qualifications),"
            " 'quotas ' || (SELECT count(*) || ':' || coalesce(sum(version), 0)"
            "               FROM cadre_quotas),"
            " 'people ' || (SELECT coalesce(sum(version), 0) FROM cadre_people),"
            " 'candidates ' || (SELECT coalesce(sum(version), 0) || ':'"
            "   || coalesce(sum(coalesce(round1_correct, 0) + coalesce(written, 0)), 0)"
            "   FROM cadre_candidates),"
            " 'audit ' || (SELECT count(*) FROM audit_log))")[0][0]
        .as<std::string>();
  }

  // `req` (which carries a request_id) sent again: the answer `first` had, nothing written.
  template <typename Req, typename Resp>
  void ExpectReplayed(grpc::Status (v1::CadreService::Stub::*method)(grpc::ClientContext*,
                                                                     const Req&, Resp*),
                      const Req& req, const Resp& first) {
    ASSERT_FALSE(req.request_id().empty());
    const std::string before = Written();
    Resp again;
    auto st = Call(method, req, &again);
    ASSERT_TRUE(st.ok()) << st.error_message();
    EXPECT_TRUE(MessageDifferencer::Equals(first, again)) << "first:\n"
                                                          << first.DebugString() << "again:\n"
                                                          << again.DebugString();
    EXPECT_EQ(Written(), before) << "a retry wrote something";
  }

  // The same request_id with `other` (another body): ALREADY_EXISTS; `req` without its
  // request_id: stale, ABORTED (the record moved on); a malformed request_id: INVALID_ARGUMENT
  // naming it. None writes anything.
  template <typename Req, typename Resp>
  void ExpectRefusals(grpc::Status (v1::CadreService::Stub::*method)(grpc::ClientContext*,
                                                                     const Req&, Resp*),
                      const Req& req, const Req& other) {
    const std::string before = Written();
    Resp resp;
    ASSERT_EQ(other.request_id(), req.request_id());
    auto st = Call(method, other, &resp);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::ALREADY_EXISTS) << st.error_message();
    Req anonymous = req;
    anonymous.clear_request_id();
    st = Call(method, anonymous, &resp);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::ABORTED) << st.error_message();
    Req malformed = req;
    malformed.set_request_id("not allowed: spaces");
    st = Call(method, malformed, &resp);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
    EXPECT_EQ(Fields(st), std::vector<std::string>{"request_id"});
    EXPECT_EQ(Written(), before);
  }

  // The fixture's rank request with a request_id.
  static v1::RecordRankRequest RankRequest(int64_t person, int64_t version, int step,
                                           int coefficient, const std::string& from,
                                           const std::string& request_id) {
    auto req = CadreTest::RankRequest(person, version, step, coefficient, from);
    req.set_request_id(request_id);
    return req;
  }

  // A change that moves the person on (a version further), without a request_id.
  void MoveOn(int64_t person, int64_t version, const std::string& from) {
    v1::RecordRankResponse resp;
    auto st = Call(&v1::CadreService::Stub::RecordRank,
                   RankRequest(person, version, 5, 366, from, ""), &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    ASSERT_EQ(resp.person().version(), version + 1);
  }
};

TEST_F(CadreRetryTest, SetQuotaRetriedReturnsTheFirstAnswer) {
  v1::SetQuotaRequest req;
  req.set_request_id("quota-2026-c31vp");
  req.set_unit_code("C31-VP");
  req.set_year(2026);
  req.set_quota(12);
  req.set_expected_version(0);
  v1::SetQuotaResponse first;
  auto st = Call(&v1::CadreService::Stub::SetQuota, req, &first);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(first.quota().version(), 1);
  ExpectReplayed(&v1::CadreService::Stub::SetQuota, req, first);
  // The quota changes again; the first request's retry still gets its own answer.
  v1::SetQuotaRequest next = req;
  next.set_request_id("");
  next.set_quota(14);
  next.set_expected_version(1);
  v1::SetQuotaResponse moved;
  ASSERT_TRUE(Call(&v1::CadreService::Stub::SetQuota, next, &moved).ok());
  ASSERT_EQ(moved.quota().version(), 2);
  ExpectReplayed(&v1::CadreService::Stub::SetQuota, req, first);
  EXPECT_EQ(first.quota().quota(), 12);
  v1::SetQuotaRequest other = req;
  other.set_quota(13);
  ExpectRefusals(&v1::CadreService::Stub::SetQuota, req, other);
}

TEST_F(CadreRetryTest, AddQualificationRetriedReturnsTheFirstAnswer) {
  auto p = NewPerson("056188000101", "1988-01-15", v1::GENDER_FEMALE);
  v1::AddQualificationRequest req;
  req.set_request_id("qual-1");
  req.set_person_id(p.id());
  req.set_expected_version(1);
  auto* q = req.mutable_qualification();
  q->set_category(v1::QUALIFICATION_CATEGORY_PROFESSIONAL);
  q->set_level(v1::PROFESSIONAL_LEVEL_UNIVERSITY);
  q->set_field("Luật");
  q->set_awarded_date("2010-06-30");
  v1::AddQualificationResponse first;
  auto st = Call(&v1::CadreService::Stub::AddQualification, req, &first);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(first.person().version(), 2);
  ASSERT_EQ(first.person().qualifications_size(), 1);
  ExpectReplayed(&v1::CadreService::Stub::AddQualification, req, first);
  MoveOn(p.id(), 2, "2025-01-01");
  ExpectReplayed(&v1::CadreService::Stub::AddQualification, req, first);
  v1::AddQualificationRequest other = req;
  other.mutable_qualification()->set_awarded_date("2011-06-30");
  ExpectRefusals(&v1::CadreService::Stub::AddQualification, req, other);
}

TEST_F(CadreRetryTest, RecordAssignmentRetriedReturnsTheFirstAnswer) {
  auto p = NewPerson("056090000102", "1990-03-03", v1::GENDER_MALE);
  v1::RecordAssignmentRequest req;
  req.set_request_id("assign-1");
  req.set_person_id(p.id());
  req.set_expected_version(1);
  req.set_position_code("C31-VH");
  req.set_movement(v1::MOVEMENT_ASSIGNMENT);
  req.set_valid_from("2024-05-01");
  req.set_reason("Quyết định số 12/QĐ-UBND");
  v1::RecordAssignmentResponse first;
  auto st = Call(&v1::CadreService::Stub::RecordAssignment, req, &first);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(first.person().version(), 2);
  ExpectReplayed(&v1::CadreService::Stub::RecordAssignment, req, first);
  clock_.Advance(absl::Hours(2));
  MoveOn(p.id(), 2, "2025-01-01");
  ExpectReplayed(&v1::CadreService::Stub::RecordAssignment, req, first);
  v1::RecordAssignmentRequest other = req;
  other.set_valid_from("2024-06-01");
  ExpectRefusals(&v1::CadreService::Stub::RecordAssignment, req, other);
}

TEST_F(CadreRetryTest, RecordRankRetriedReturnsTheFirstAnswer) {
  auto p = NewPerson("056187000103", "1987-07-07", v1::GENDER_FEMALE);
  const auto req = RankRequest(p.id(), 1, 3, 300, "2023-01-01", "rank-1");
  v1::RecordRankResponse first;
  auto st = Call(&v1::CadreService::Stub::RecordRank, req, &first);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ExpectReplayed(&v1::CadreService::Stub::RecordRank, req, first);
  MoveOn(p.id(), 2, "2025-01-01");
  ExpectReplayed(&v1::CadreService::Stub::RecordRank, req, first);
  ExpectRefusals(&v1::CadreService::Stub::RecordRank, req,
                 RankRequest(p.id(), 1, 4, 333, "2023-01-01", "rank-1"));
}

TEST_F(CadreRetryTest, CorrectHistoryRetriedReturnsTheFirstAnswer) {
  auto p = NewPerson("056086000104", "1986-11-20", v1::GENDER_MALE);
  v1::RecordRankResponse r1;
  ASSERT_TRUE(Call(&v1::CadreService::Stub::RecordRank,
                   RankRequest(p.id(), 1, 3, 300, "2023-01-01", ""), &r1)
                  .ok());
  clock_.Advance(absl::Hours(24));
  v1::CorrectHistoryRequest req;
  req.set_request_id("correct-1");
  req.set_person_id(p.id());
  req.set_expected_version(2);
  req.set_record_id(r1.record().record_id());
  req.set_reason("Quyết định số 45/QĐ-UBND ghi bậc 4");
  auto* fix = req.mutable_corrected();
  fix->set_rank(v1::RANK_CHUYEN_VIEN);
  fix->set_grade_code("01.003");
  fix->set_step(4);
  fix->set_coefficient_x100(333);
  fix->set_valid_from("2023-01-01");
  v1::CorrectHistoryResponse first;
  auto st = Call(&v1::CadreService::Stub::CorrectHistory, req, &first);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(first.record().change_kind(), v1::CHANGE_KIND_CORRECTION);
  ExpectReplayed(&v1::CadreService::Stub::CorrectHistory, req, first);
  clock_.Advance(absl::Hours(1));
  MoveOn(p.id(), 3, "2025-01-01");
  ExpectReplayed(&v1::CadreService::Stub::CorrectHistory, req, first);
  v1::CorrectHistoryRequest other = req;
  other.mutable_corrected()->set_step(5);
  ExpectRefusals(&v1::CadreService::Stub::CorrectHistory, req, other);
}

TEST_F(CadreRetryTest, RecordCandidateScoresRetriedReturnsTheFirstAnswer) {
  v1::CreateRecruitmentRoundRequest round;
  round.set_request_id("round-1");
  auto* r = round.mutable_round();
  r->set_unit_code("C31-VP");
  r->set_position_code("C31-VH");
  r->set_name("Tuyển dụng công chức năm 2026");
  r->set_posts(1);
  r->set_opened_on("2026-02-01");
  v1::CreateRecruitmentRoundResponse rr;
  ASSERT_TRUE(Call(&v1::CadreService::Stub::CreateRecruitmentRound, round, &rr).ok());
  v1::AddCandidateRequest cand;
  cand.set_request_id("cand-1");
  cand.mutable_candidate()->set_round_id(rr.round().id());
  cand.mutable_candidate()->set_citizen_id("056199000105");
  cand.mutable_candidate()->set_full_name("Lê Thị Hoa");
  v1::AddCandidateResponse cr;
  auto st = Call(&v1::CadreService::Stub::AddCandidate, cand, &cr);
  ASSERT_TRUE(st.ok()) << st.error_message();
  v1::RecordCandidateScoresRequest req;
  req.set_request_id("scores-1");
  req.set_candidate_id(cr.candidate().id());
  req.set_expected_version(1);
  req.set_round1_correct(41);
  v1::RecordCandidateScoresResponse first;
  st = Call(&v1::CadreService::Stub::RecordCandidateScores, req, &first);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(first.candidate().version(), 2);
  ExpectReplayed(&v1::CadreService::Stub::RecordCandidateScores, req, first);
  v1::RecordCandidateScoresRequest written;
  written.set_candidate_id(cr.candidate().id());
  written.set_expected_version(2);
  written.set_written(77);
  v1::RecordCandidateScoresResponse moved;
  ASSERT_TRUE(Call(&v1::CadreService::Stub::RecordCandidateScores, written, &moved).ok());
  ExpectReplayed(&v1::CadreService::Stub::RecordCandidateScores, req, first);
  EXPECT_FALSE(first.candidate().has_written()) << "the first answer, not the record now";
  v1::RecordCandidateScoresRequest other = req;
  other.set_round1_correct(42);
  ExpectRefusals(&v1::CadreService::Stub::RecordCandidateScores, req, other);
}

// A client that sends the same change twice at once (a retry racing the first attempt): one
// change, and both get its answer.
TEST_F(CadreRetryTest, TheSameChangeSentTwiceAtOnceIsAppliedOnce) {
  auto p = NewPerson("056091000106", "1991-08-08", v1::GENDER_MALE);
  const std::string before = Written();
  const auto req = RankRequest(p.id(), 1, 2, 267, "2024-01-01", "rank-race");
  v1::RecordRankResponse a, b;
  grpc::Status sa, sb;
  std::thread t([&] { sa = Call(&v1::CadreService::Stub::RecordRank, req, &a); });
  sb = Call(&v1::CadreService::Stub::RecordRank, req, &b);
  t.join();
  ASSERT_TRUE(sa.ok()) << sa.error_message();
  ASSERT_TRUE(sb.ok()) << sb.error_message();
  EXPECT_TRUE(MessageDifferencer::Equals(a, b));
  EXPECT_EQ(a.person().version(), 2);
  v1::GetPersonHistoryRequest h;
  h.set_person_id(p.id());
  v1::GetPersonHistoryResponse hr;
  ASSERT_TRUE(Call(&v1::CadreService::Stub::GetPersonHistory, h, &hr).ok());
  EXPECT_EQ(hr.records_size(), 1);
  EXPECT_NE(Written(), before);
}

}  // namespace
}  // namespace localgov::cadre

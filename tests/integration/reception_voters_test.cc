// Voters' recommendations through the real gRPC server against real PostgreSQL and Redis:
// collected at a voters' meeting, grouped, assigned with a deadline, answered (late), reported
// back; the report per agency as of a day; versions, idempotency, access and bad input.
#include "tests/integration/reception_fixture.h"

namespace localgov::petition {
namespace {

class VoterTest : public ReceptionTest {
 protected:
  v1::VoterSession Meeting(const std::string& request_id) {
    v1::CreateVoterSessionRequest r;
    r.set_request_id(request_id);
    r.set_council("HĐND xã Hòa Phú");
    r.set_term(2026);
    r.set_meeting_date("2026-07-20");
    r.set_held_date("2026-07-02");
    r.set_place("Nhà văn hóa thôn Đông");
    v1::CreateVoterSessionResponse out;
    auto st = Rpc(&R::CreateVoterSession, kOfficer, r, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out.session();
  }

  v1::VoterRecommendation Add(const std::string& request_id, const std::string& session,
                              const std::string& group, const std::string& content) {
    v1::AddVoterRecommendationRequest r;
    r.set_request_id(request_id);
    r.set_session_id(session);
    r.set_group(group);
    r.set_content(content);
    r.set_field(v1::PETITION_FIELD_CONSTRUCTION);
    r.set_voter_count(12);
    v1::AddVoterRecommendationResponse out;
    auto st = Rpc(&R::AddVoterRecommendation, kOfficer, r, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out.recommendation();
  }

  grpc::Status Assign(v1::VoterRecommendation& rec, const std::string& agency,
                      const std::string& due, const Who& who = kLeader) {
    v1::AssignVoterRecommendationRequest r;
    r.set_id(rec.id());
    r.set_expected_version(rec.version());
    r.set_agency_code(agency);
    r.set_due_date(due);
    v1::AssignVoterRecommendationResponse out;
    auto st = Rpc(&R::AssignVoterRecommendation, who, r, &out);
    if (st.ok()) rec = out.recommendation();
    return st;
  }

  grpc::Status Answer(v1::VoterRecommendation& rec, const Who& who) {
    v1::AnswerVoterRecommendationRequest r;
    r.set_id(rec.id());
    r.set_expected_version(rec.version());
    r.set_answer("Đã đưa vào kế hoạch sửa chữa năm 2026");
    v1::AnswerVoterRecommendationResponse out;
    auto st = Rpc(&R::AnswerVoterRecommendation, who, r, &out);
    if (st.ok()) rec = out.recommendation();
    return st;
  }

  v1::GetVoterReportResponse Report(const std::string& session, const std::string& as_of) {
    v1::GetVoterReportRequest r;
    r.set_session_id(session);
    r.set_as_of(as_of);
    v1::GetVoterReportResponse out;
    auto st = Rpc(&R::GetVoterReport, kAuditor, r, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  }
};

TEST_F(VoterTest, ARecommendationAnsweredLateIsReportedLate) {
  const auto m = Meeting("m-1");
  EXPECT_EQ(m.id(), "000.00.31.H41-TXCT-20260702-1");
  auto road = Add("r-1", m.id(), "Giao thông", "Sửa đường liên thôn Đông – Tây");
  auto light = Add("r-2", m.id(), "Giao thông", "Lắp đèn đường thôn Tây");
  auto school = Add("r-3", m.id(), "Giáo dục", "Sửa mái trường tiểu học");
  EXPECT_EQ(road.id(), m.id() + "-1");
  EXPECT_EQ(school.id(), m.id() + "-3");
  ASSERT_TRUE(Assign(road, kOtherCommune, "2026-07-10").ok());
  ASSERT_TRUE(Assign(light, kOtherCommune, "2026-07-31").ok());
  ASSERT_TRUE(Assign(school, kCommune, "2026-07-31").ok());
  EXPECT_EQ(road.state(), v1::VOTER_RECOMMENDATION_STATE_ASSIGNED);
  // The council's agency does not answer for the assigned one.
  EXPECT_EQ(Answer(road, kOfficer).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  clock_.Set(testing::VnTime(2026, 7, 15, 10, 0));
  ASSERT_TRUE(Answer(road, kOtherOfficer).ok());  // due 10/7, answered 15/7
  EXPECT_EQ(road.answer_date(), "2026-07-15");
  ASSERT_TRUE(Answer(school, kOfficer).ok());  // due 31/7: on time
  const auto report = Report(m.id(), "2026-07-15");
  ASSERT_EQ(report.rows_size(), 2);
  const auto& ours = report.rows(0);  // 000.00.31 sorts first
  EXPECT_EQ(ours.agency_code(), kCommune);
  EXPECT_EQ(ours.answered_on_time(), 1);
  const auto& theirs = report.rows(1);
  EXPECT_EQ(theirs.assigned(), 2);
  EXPECT_EQ(theirs.answered_late(), 1);
  EXPECT_EQ(theirs.not_yet_answered(), 1);
  EXPECT_EQ(theirs.overdue(), 0);
  EXPECT_EQ(report.recommendations_size(), 3);
  // As of 1/8 the light is overdue; as of 12/7 the road was not yet answered (and overdue).
  EXPECT_EQ(Report(m.id(), "2026-08-01").rows(1).overdue(), 1);
  const auto before = Report(m.id(), "2026-07-12").rows(1);
  EXPECT_EQ(before.answered_late(), 0);
  EXPECT_EQ(before.overdue(), 1);
  // Reported back to the voters by the council's agency.
  v1::ReportBackVoterRecommendationRequest back;
  back.set_id(road.id());
  back.set_expected_version(road.version());
  back.set_note("Thông báo tại kỳ họp 20/7");
  v1::ReportBackVoterRecommendationResponse backed;
  ASSERT_TRUE(Rpc(&R::ReportBackVoterRecommendation, kOfficer, back, &backed).ok());
  EXPECT_EQ(backed.recommendation().state(), v1::VOTER_RECOMMENDATION_STATE_REPORTED);
}

TEST_F(VoterTest, AStaleVersionIsAbortedAndAnAnsweredOneIsNotReassigned) {
  const auto m = Meeting("m-v");
  auto rec = Add("r-v", m.id(), "Môi trường", "Thu gom rác thôn Bắc");
  auto stale = rec;
  ASSERT_TRUE(Assign(rec, kOtherCommune, "2026-07-31").ok());
  EXPECT_EQ(rec.version(), 2);
  EXPECT_EQ(Assign(stale, kCommune, "2026-07-31").error_code(), grpc::StatusCode::ABORTED);
  ASSERT_TRUE(Answer(rec, kOtherOfficer).ok());
  EXPECT_EQ(Assign(rec, kCommune, "2026-07-31").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  // Only the council agency assigns; citizens never.
  auto other = Add("r-v2", m.id(), "Môi trường", "Nạo vét kênh");
  EXPECT_EQ(Assign(other, kOtherCommune, "2026-07-31", kOtherLeader).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Assign(other, kOtherCommune, "2026-07-31", kCitizen).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(VoterTest, CreatesAreIdempotentAndBadInputNamesEveryField) {
  const auto m = Meeting("m-i");
  EXPECT_EQ(Meeting("m-i").id(), m.id());
  const auto a = Add("r-i", m.id(), "Y tế", "Trạm y tế thiếu thuốc");
  EXPECT_EQ(Add("r-i", m.id(), "Y tế", "Trạm y tế thiếu thuốc").id(), a.id());
  EXPECT_EQ(Report(m.id(), "").recommendations_size(), 1);
  v1::AddVoterRecommendationRequest changed;
  changed.set_request_id("r-i");
  changed.set_session_id(m.id());
  changed.set_group("Y tế");
  changed.set_content("Khác");
  v1::AddVoterRecommendationResponse out;
  EXPECT_EQ(Rpc(&R::AddVoterRecommendation, kOfficer, changed, &out).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  v1::CreateVoterSessionRequest bad;
  bad.set_held_date("2026-08-01");  // after today
  v1::CreateVoterSessionResponse bs;
  auto st = Rpc(&R::CreateVoterSession, kOfficer, bad, &bs);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const auto fields = FieldsOf(st);
  for (const char* f : {"request_id", "council", "term", "held_date", "meeting_date"}) {
    EXPECT_NE(std::find(fields.begin(), fields.end(), f), fields.end()) << f;
  }
  auto rec = a;
  st = Assign(rec, "xyz", "1/7/2026");
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(FieldsOf(st), (std::vector<std::string>{"agency_code", "due_date"}));
}

}  // namespace
}  // namespace localgov::petition

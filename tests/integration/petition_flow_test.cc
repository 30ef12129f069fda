// The petition service through its real gRPC server against real PostgreSQL and Redis:
// intake, clocks, transitions, concurrency, access and lists. Dates are hand-computed on the
// 2026 calendar; the clock stands on Mon 6/7/2026 unless a test moves it.
#include <atomic>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "services/petition/petition_store.h"
#include "tests/harness/db_plan.h"
#include "tests/integration/petition_fixture.h"

namespace localgov::petition {
namespace {

using S = v1::PetitionService::Stub;

TEST_F(PetitionTest, ReceivesAComplaintWithTheClocksTheLawGives) {
  auto r = Receive(Complaint("k-1"));
  const auto& p = r.petition();
  EXPECT_TRUE(absl::StartsWith(p.code(), "000.00.31.H41-KN-260706-")) << p.code();
  EXPECT_EQ(p.state(), v1::PETITION_STATE_RECEIVED);
  EXPECT_EQ(p.receipt_date(), "2026-07-06");
  EXPECT_EQ(p.complaint_round(), 1);
  EXPECT_FALSE(r.follow_secret().empty());
  // Acceptance: 10 working days from Mon 6/7 (Tue 7 ... Mon 20/7).
  EXPECT_EQ(Due(p, v1::DEADLINE_KIND_CLASSIFICATION), "2026-07-20");
  EXPECT_EQ(p.next_deadline().due_date(), "2026-07-20");
  // Limitation: 90 days from learning of the decision on 20/6: Fri 18/9.
  EXPECT_EQ(Due(p, v1::DEADLINE_KIND_LIMITATION), "2026-09-18");
  EXPECT_NE(p.rule_set().find("136/2025"), std::string::npos) << p.rule_set();
  // The history's first event, by the officer.
  const auto got = Get(p.code());
  ASSERT_EQ(got.events_size(), 1);
  EXPECT_EQ(got.events(0).actor(), "officer-1");
  EXPECT_EQ(got.events(0).to_state(), v1::PETITION_STATE_RECEIVED);
}

TEST_F(PetitionTest, ARetriedIntakeCreatesOnePetition) {
  auto first = Receive(Complaint("k-retry"));
  auto again = Receive(Complaint("k-retry"));
  EXPECT_EQ(first.petition().code(), again.petition().code());
  EXPECT_EQ(first.follow_secret(), again.follow_secret());
  auto other = Complaint("k-retry");
  other.set_title("Một đơn khác");
  v1::ReceivePetitionResponse resp;
  EXPECT_EQ(Call(&S::ReceivePetition, kOfficer, other, &resp).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  v1::ListPetitionsRequest l;
  v1::ListPetitionsResponse listed;
  ASSERT_TRUE(Call(&S::ListPetitions, kOfficer, l, &listed).ok());
  EXPECT_EQ(listed.petitions_size(), 1);
}

// A client that lost the answer of a committed transition sends it again with the same
// request_id and the version it had read: the first answer, not ABORTED, and one event; the
// same id with another body is ALREADY_EXISTS; a bad id is a field violation.
TEST_F(PetitionTest, ARetriedTransitionReturnsItsFirstAnswer) {
  auto p = Receive(Complaint("k-tr")).petition();
  v1::ClassifyPetitionRequest c;
  c.set_code(p.code());
  c.set_expected_version(p.version());
  c.set_decision(v1::CLASSIFICATION_DECISION_ACCEPT);
  c.set_reason("Đủ điều kiện thụ lý");
  c.set_request_id("accept-k-tr");
  v1::ClassifyPetitionResponse first, again;
  ASSERT_TRUE(Call(&S::ClassifyPetition, kOfficer, c, &first).ok());
  auto moved = first.petition();
  v1::AssignPetitionRequest as;
  as.set_officer("officer-2");
  ASSERT_TRUE(Act(&S::AssignPetition, as, moved).ok());  // the version moves on
  const auto st = Call(&S::ClassifyPetition, kOfficer, c, &again);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(again.petition().version(), first.petition().version());
  EXPECT_EQ(again.petition().state(), v1::PETITION_STATE_ACCEPTED);
  EXPECT_EQ(Get(p.code()).events_size(), 3);  // received, accepted, assigned: not twice
  c.set_reason("Một lý do khác");
  EXPECT_EQ(Call(&S::ClassifyPetition, kOfficer, c, &again).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  // Without a request_id the same retry is stale, as before.
  c.set_request_id("");
  EXPECT_EQ(Call(&S::ClassifyPetition, kOfficer, c, &again).error_code(),
            grpc::StatusCode::ABORTED);
  c.set_request_id("not an id!");
  EXPECT_THAT(FieldsOf(Call(&S::ClassifyPetition, kOfficer, c, &again)),
              ::testing::Contains("request_id"));
}

TEST_F(PetitionTest, BadInputIsInvalidArgumentNamingEveryField) {
  v1::ReceivePetitionRequest r;
  r.set_request_id("k-bad");
  r.set_kind(v1::PETITION_KIND_COMPLAINT);
  r.mutable_petitioner()->set_citizen_id("12345");
  r.set_learned_date("20/6/2026");
  v1::ReceivePetitionResponse resp;
  auto st = Call(&S::ReceivePetition, kOfficer, r, &resp);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const auto fields = FieldsOf(st);
  for (const char* f : {"field", "channel", "title", "content", "petitioner.full_name",
                        "petitioner.citizen_id", "act", "learned_date"}) {
    EXPECT_NE(std::find(fields.begin(), fields.end(), f), fields.end()) << f;
  }
  // An enum value nobody declared, and a forwarded channel, are refused too.
  auto c = Complaint("k-bad-2");
  c.set_channel(v1::PETITION_CHANNEL_FORWARDED);
  st = Call(&S::ReceivePetition, kOfficer, c, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  c.set_channel(static_cast<v1::PetitionChannel>(77));
  EXPECT_EQ(Call(&S::ReceivePetition, kOfficer, c, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // Nothing was written.
  v1::ListPetitionsResponse listed;
  ASSERT_TRUE(Call(&S::ListPetitions, kOfficer, v1::ListPetitionsRequest(), &listed).ok());
  EXPECT_EQ(listed.petitions_size(), 0);
}

TEST_F(PetitionTest, AComplaintFromAcceptanceToAPublishedDecision) {
  v1::Petition p = Receive(Complaint("k-flow")).petition();
  clock_.Set(testing::VnTime(2026, 7, 7, 10, 0));  // accepted Tue 7/7
  ASSERT_TRUE(Accept(p).ok());
  EXPECT_EQ(p.state(), v1::PETITION_STATE_ACCEPTED);
  EXPECT_EQ(p.accept_date(), "2026-07-07");
  EXPECT_EQ(Due(p, v1::DEADLINE_KIND_RESOLUTION), "2026-08-06");  // 7/7 + 30
  EXPECT_EQ(p.next_deadline().kind(), v1::DEADLINE_KIND_RESOLUTION);

  v1::AssignPetitionRequest as;
  as.set_officer("officer-2");
  EXPECT_EQ(Act(&S::AssignPetition, as, p, kOfficer).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);  // a leader assigns
  ASSERT_TRUE(Act(&S::AssignPetition, as, p).ok());

  v1::RecordDialogueRequest dl;
  *dl.mutable_held_time() = google::protobuf::Timestamp();
  dl.mutable_held_time()->set_seconds(absl::ToUnixSeconds(testing::VnTime(2026, 7, 14, 8, 0)));
  dl.add_participants("Nguyễn Văn Khiếu (người khiếu nại)");
  dl.add_participants("Chủ tịch UBND xã");
  dl.set_minutes("Hai bên trình bày; người khiếu nại giữ nguyên yêu cầu.");
  clock_.Set(testing::VnTime(2026, 7, 14, 11, 0));
  ASSERT_TRUE(Act(&S::RecordDialogue, dl, p, kOfficer).ok());
  ASSERT_EQ(p.dialogues_size(), 1);

  // A complaint's period is not extended (its complexity sets it).
  v1::ExtendPetitionRequest ex;
  ex.set_days(10);
  ex.set_reason("Cần thêm thời gian");
  EXPECT_EQ(Act(&S::ExtendPetition, ex, p).error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  // A stale version is ABORTED and changes nothing.
  v1::Petition stale = p;
  stale.set_version(p.version() - 1);
  v1::DecidePetitionRequest dc;
  dc.set_outcome(v1::OUTCOME_COMPLAINT_PARTLY_RIGHT);
  dc.set_decision_number("45/QĐ-UBND");
  dc.set_summary("Điều chỉnh mức bồi thường phần cây trồng; giữ nguyên phần đất.");
  EXPECT_EQ(Act(&S::DecidePetition, dc, stale).error_code(), grpc::StatusCode::ABORTED);
  // An outcome of another kind is refused.
  auto wrong = dc;
  wrong.set_outcome(v1::OUTCOME_DENUNCIATION_FOUNDED);
  EXPECT_EQ(Act(&S::DecidePetition, wrong, p).error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  clock_.Set(testing::VnTime(2026, 7, 20, 9, 0));
  ASSERT_TRUE(Act(&S::DecidePetition, dc, p).ok());
  EXPECT_EQ(p.state(), v1::PETITION_STATE_RESOLVED);
  EXPECT_TRUE(p.resolution().on_time());
  EXPECT_FALSE(p.has_next_deadline());
  EXPECT_EQ(Due(p, v1::DEADLINE_KIND_SECOND_COMPLAINT), "2026-08-19");  // 20/7 + 30

  v1::PublishDecisionRequest pub;
  pub.set_publication("Niêm yết tại trụ sở UBND xã từ 21/7/2026");
  ASSERT_TRUE(Act(&S::PublishDecision, pub, p, kOfficer).ok());
  EXPECT_EQ(Act(&S::PublishDecision, pub, p, kOfficer).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);  // once

  const auto got = Get(p.code());
  std::vector<v1::PetitionState> states;
  for (const auto& e : got.events()) states.push_back(e.to_state());
  EXPECT_EQ(got.events_size(), 6);  // received, accepted, assigned, dialogue, decided, published
  EXPECT_EQ(got.events(4).note().substr(0, 7), "decided");
}

TEST_F(PetitionTest, TwoOfficersOnOnePetitionOneWinsTheOtherIsAborted) {
  const v1::Petition p = Receive(Complaint("k-race")).petition();
  std::atomic<int> ok{0}, aborted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&, i] {
      v1::Petition mine = p;
      v1::ClassifyPetitionRequest c;
      c.set_decision(i == 0 ? v1::CLASSIFICATION_DECISION_ACCEPT
                            : v1::CLASSIFICATION_DECISION_GUIDE);
      c.set_reason("quyết định của cán bộ " + std::to_string(i));
      c.set_competent_agency_code(kOtherCommune);
      auto st = Act(&S::ClassifyPetition, c, mine, kOfficer);
      if (st.ok()) ++ok;
      if (st.error_code() == grpc::StatusCode::ABORTED) ++aborted;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(aborted.load(), 1);
  EXPECT_EQ(Get(p.code()).events_size(), 2);
}

TEST_F(PetitionTest, AnotherAgencysOfficerAndOtherCitizensAreDenied) {
  auto c = Complaint("k-access");
  v1::ReceivePetitionResponse resp;
  auto other = c;
  other.set_agency_code(kCommune);
  EXPECT_EQ(Call(&S::ReceivePetition, kOtherOfficer, other, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const v1::Petition p = Receive(c).petition();
  v1::GetPetitionRequest g;
  g.set_code(p.code());
  v1::GetPetitionResponse got;
  EXPECT_EQ(Call(&S::GetPetition, kOtherOfficer, g, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
  const Who stranger{Role::kCitizen, "", "079203009999"};
  EXPECT_EQ(Call(&S::GetPetition, stranger, g, &got).error_code(), grpc::StatusCode::NOT_FOUND);
  const Who owner{Role::kCitizen, "", "079203001111"};
  EXPECT_TRUE(Call(&S::GetPetition, owner, g, &got).ok());
  v1::Petition mine = p;
  v1::ClassifyPetitionRequest cl;
  cl.set_decision(v1::CLASSIFICATION_DECISION_ACCEPT);
  cl.set_reason("tự thụ lý");
  EXPECT_EQ(Act(&S::ClassifyPetition, cl, mine, kOtherOfficer).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Act(&S::ClassifyPetition, cl, mine, owner).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ListPetitionsRequest l;
  l.set_agency_code(kCommune);
  v1::ListPetitionsResponse listed;
  EXPECT_EQ(Call(&S::ListPetitions, kOtherOfficer, l, &listed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Call(&S::ListPetitions, owner, l, &listed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // The owner withdraws their own complaint.
  v1::ClosePetitionRequest w;
  w.set_reason(v1::CLOSE_REASON_WITHDRAWN);
  w.set_note("Gia đình đã thỏa thuận được");
  ASSERT_TRUE(Act(&S::ClosePetition, w, mine, owner).ok());
  EXPECT_EQ(mine.state(), v1::PETITION_STATE_WITHDRAWN);
}

TEST_F(PetitionTest, TheCitizenFollowsByCodeAndSecretAndSeesNoPersons) {
  auto r = Receive(Complaint("k-follow"));
  v1::LookupPetitionRequest q;
  q.set_code(r.petition().code());
  q.set_second_factor("WRONG-WRONG-WRNG");
  v1::LookupPetitionResponse resp;
  const Who portal{Role::kSystem, "000.00.00.H99", "portal"};
  EXPECT_EQ(Call(&S::LookupPetition, portal, q, &resp).error_code(), grpc::StatusCode::NOT_FOUND);
  q.set_second_factor(r.follow_secret());
  ASSERT_TRUE(Call(&S::LookupPetition, portal, q, &resp).ok());
  EXPECT_EQ(resp.petition().state(), v1::PETITION_STATE_RECEIVED);
  EXPECT_FALSE(resp.petition().has_petitioner());
  EXPECT_EQ(resp.petition().next_deadline().due_date(), "2026-07-20");
  // Lower case is the same secret.
  std::string lower = r.follow_secret();
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  q.set_second_factor(lower);
  EXPECT_TRUE(Call(&S::LookupPetition, portal, q, &resp).ok());
}

TEST_F(PetitionTest, ListsByNextDeadlineInKeysetPagesWithFilters) {
  std::vector<std::string> codes;
  for (int i = 0; i < 5; ++i) {
    clock_.Set(testing::VnTime(2026, 7, 6 + i, 9, 0));  // 6/7 ... 10/7
    codes.push_back(Receive(Recommendation(absl::StrCat("k-list-", i))).petition().code());
  }
  codes.push_back(Receive(Denunciation("k-list-d")).petition().code());  // received 10/7
  v1::ListPetitionsRequest l;
  l.set_page_size(2);
  std::vector<std::string> seen;
  for (int page = 0; page < 10; ++page) {
    v1::ListPetitionsResponse resp;
    ASSERT_TRUE(Call(&S::ListPetitions, kOfficer, l, &resp).ok());
    for (const auto& p : resp.petitions()) {
      seen.push_back(p.code());
      EXPECT_EQ(p.events_size(), 0);
      EXPECT_TRUE(p.petitioner().citizen_id().empty() ||
                  absl::StartsWith(p.petitioner().citizen_id(), "********"));
      EXPECT_TRUE(p.petitioner().address().empty());
    }
    if (resp.next_page_token().empty()) break;
    l.set_page_token(resp.next_page_token());
  }
  ASSERT_EQ(seen.size(), 6u);
  // The denunciation alone (its initial handling is due Tue 21/7: 10/7 + 7 working days).
  l.clear_page_token();
  l.set_page_size(50);
  l.set_kind(v1::PETITION_KIND_DENUNCIATION);
  v1::ListPetitionsResponse d;
  ASSERT_TRUE(Call(&S::ListPetitions, kOfficer, l, &d).ok());
  ASSERT_EQ(d.petitions_size(), 1);
  EXPECT_FALSE(d.petitions(0).has_petitioner());
  // Overdue: on 21/7 the recommendation received 6/7 (told by Mon 20/7) is late.
  clock_.Set(testing::VnTime(2026, 7, 21, 9, 0));
  v1::ListPetitionsRequest o;
  o.set_overdue_only(true);
  v1::ListPetitionsResponse late;
  ASSERT_TRUE(Call(&S::ListPetitions, kOfficer, o, &late).ok());
  ASSERT_GE(late.petitions_size(), 1);
  EXPECT_EQ(late.petitions(0).code(), codes[0]);
  EXPECT_TRUE(late.petitions(0).overdue());
  // A token of another list, or garbage, is INVALID_ARGUMENT.
  o.set_page_token("bm90LWEtdG9rZW4");
  EXPECT_EQ(Call(&S::ListPetitions, kOfficer, o, &late).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

// A page ending on a petition without a binding deadline (closed) gave a token its next page
// refused (INVALID_ARGUMENT: "infinity" is not a day): the list stopped there.
TEST_F(PetitionTest, ListsPagesPastPetitionsWithoutADeadline) {
  for (int i = 0; i < 3; ++i) {
    v1::Petition p = Receive(Recommendation(absl::StrCat("k-closed-", i))).petition();
    if (i == 2) break;
    v1::ClosePetitionRequest c;
    c.set_reason(v1::CLOSE_REASON_NO_LONGER_IN_JURISDICTION);
    c.set_note("Không còn thuộc thẩm quyền");
    ASSERT_TRUE(Act(&S::ClosePetition, c, p, kOfficer).ok());
    EXPECT_FALSE(p.has_next_deadline());
  }
  v1::ListPetitionsRequest l;
  l.set_page_size(1);
  std::vector<std::string> seen;
  for (int page = 0; page < 10; ++page) {
    v1::ListPetitionsResponse resp;
    const auto st = Call(&S::ListPetitions, kOfficer, l, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    for (const auto& p : resp.petitions()) seen.push_back(p.code());
    if (resp.next_page_token().empty()) break;
    l.set_page_token(resp.next_page_token());
  }
  EXPECT_EQ(seen.size(), 3u);
}

TEST_F(PetitionTest, EveryListQueryShapeIsIndexBacked) {
  pqxx::connection conn(sut_->config().database_url);
  pqxx::work tx(conn);
  tx.exec("SET LOCAL enable_seqscan = off");
  PetitionFilter all;
  all.agencies = {kCommune};
  PetitionFilter next = all;
  next.after_due = "2026-07-20";
  next.after_code = "000.00.31.H41-KN-260706-0001";
  PetitionFilter open = next;
  open.states = {1, 2};
  open.kind = 1;
  PetitionFilter mine = all;
  mine.officer = "officer-1";
  PetitionFilter late = all;
  late.overdue_only = true;
  late.today = "2026-07-21";
  PetitionFilter merged = next;
  merged.agencies = {kCommune, "000.00.33.H41"};
  for (const auto& f : {all, next, open, mine, late, merged}) {
    const auto q = PetitionStore::ListQuery(f);
    const std::string plan = testing::ExplainPlan(tx, q);
    EXPECT_EQ(plan.find("Seq Scan"), std::string::npos) << q.sql << "\n" << plan;
  }
  // The worklist reads the index in order and stops at the page's end: no sort of the
  // agency's whole list (at 1M petitions that sort took seconds; docs/benchmarks.md).
  for (const auto& f : {all, next, mine, late}) {
    const std::string plan = testing::ExplainPlan(tx, PetitionStore::ListQuery(f));
    EXPECT_EQ(plan.find("Sort"), std::string::npos) << plan;
  }
  const std::string merged_plan = testing::ExplainPlan(tx, PetitionStore::ListQuery(merged));
  EXPECT_NE(merged_plan.find("petitions_by_agency_due"), std::string::npos) << merged_plan;
  // The overdue gauge's count reads the open petitions' index only.
  const SqlQuery gauge{PetitionStore::kOverdueSql, {"2026-07-21"}};
  const std::string plan = testing::ExplainPlan(tx, gauge);
  EXPECT_NE(plan.find("petitions_open_due"), std::string::npos) << plan;
}

TEST_F(PetitionTest, SuspensionStopsTheClockAndResumptionMovesIt) {
  v1::Petition p = Receive(Complaint("k-suspend")).petition();
  clock_.Set(testing::VnTime(2026, 7, 7, 10, 0));
  ASSERT_TRUE(Accept(p).ok());  // due 6/8
  clock_.Set(testing::VnTime(2026, 7, 10, 10, 0));
  v1::SuspendPetitionRequest s;
  s.set_reason("Chờ kết quả giải quyết tranh chấp đất tại Tòa án");
  s.set_awaiting("Vụ án dân sự số 12/2026/TLST-DS");
  ASSERT_TRUE(Act(&S::SuspendPetition, s, p).ok());
  EXPECT_EQ(p.state(), v1::PETITION_STATE_SUSPENDED);
  EXPECT_FALSE(p.has_next_deadline());
  clock_.Set(testing::VnTime(2026, 7, 20, 10, 0));  // 10 days later
  v1::ResumePetitionRequest r;
  r.set_note("Tòa án đã có bản án");
  ASSERT_TRUE(Act(&S::ResumePetition, r, p).ok());
  EXPECT_EQ(p.suspensions(0).days_stopped(), 10);
  // 7/7 + 40 = Sun 16/8 → Mon 17/8.
  EXPECT_EQ(p.next_deadline().due_date(), "2026-08-17");
}

TEST_F(PetitionTest, WithdrawnContentIsNotConsideredAgainUnlessCoercionIsShown) {
  v1::Petition first = Receive(Complaint("k-w1")).petition();
  v1::ClosePetitionRequest w;
  w.set_reason(v1::CLOSE_REASON_WITHDRAWN);
  w.set_note("Rút đơn");
  ASSERT_TRUE(Act(&S::ClosePetition, w, first, kOfficer).ok());
  v1::Petition again = Receive(Complaint("k-w2")).petition();
  v1::ClassifyPetitionRequest c;
  c.set_decision(v1::CLASSIFICATION_DECISION_ACCEPT);
  c.set_reason("Đủ điều kiện");
  auto st = Act(&S::ClassifyPetition, c, again, kOfficer);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(st.error_message().find(first.code()), std::string::npos) << st.error_message();
  c.set_excuse("Người khiếu nại trình bày bị ép buộc rút đơn, có biên bản xác minh ngày 5/7");
  ASSERT_TRUE(Act(&S::ClassifyPetition, c, again, kOfficer).ok());
  EXPECT_EQ(again.state(), v1::PETITION_STATE_ACCEPTED);
}

TEST_F(PetitionTest, ADenunciationIsExtendedOnceWithARecordedReason) {
  v1::Petition p = Receive(Denunciation("k-ext")).petition();
  EXPECT_EQ(Due(p, v1::DEADLINE_KIND_INITIAL_HANDLING), "2026-07-15");  // 7 working days
  clock_.Set(testing::VnTime(2026, 7, 8, 9, 0));
  ASSERT_TRUE(Accept(p, v1::COMPLEXITY_COMPLEX).ok());
  EXPECT_EQ(Due(p, v1::DEADLINE_KIND_RESOLUTION), "2026-08-07");  // 8/7 + 30
  v1::ExtendPetitionRequest ex;
  ex.set_days(30);
  ex.set_reason("Phải xác minh tại hai thôn và Văn phòng đăng ký đất đai");
  ex.set_decision_number("12/QĐ-UBND");
  EXPECT_EQ(Act(&S::ExtendPetition, ex, p, kOfficer).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Act(&S::ExtendPetition, ex, p).ok());
  ASSERT_EQ(p.extensions_size(), 1);
  EXPECT_EQ(p.extensions(0).new_due_date(), "2026-09-07");  // 8/7 + 60 = Sun 6/9 → Mon 7/9
  EXPECT_EQ(p.next_deadline().due_date(), "2026-09-07");
  EXPECT_EQ(Act(&S::ExtendPetition, ex, p).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

}  // namespace
}  // namespace localgov::petition

namespace localgov::petition {
namespace {

TEST_F(PetitionTest, ThePortalWatchesAnAgencysChangesAndResumesFromItsCursor) {
  const v1::Petition first = Receive(Complaint("k-watch-1")).petition();
  v1::Petition second = Receive(Denunciation("k-watch-2")).petition();
  ASSERT_TRUE(Accept(second, v1::COMPLEXITY_COMPLEX).ok());
  auto read = [&](int64_t after, int n) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kSystem, "000.00.00.H99", "portal");
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    v1::WatchPetitionsRequest req;
    req.set_agency_code(kCommune);
    req.set_after_sequence(after);
    auto reader = stub_->WatchPetitions(&ctx, req);
    std::vector<v1::WatchPetitionsResponse> out;
    v1::WatchPetitionsResponse c;
    while (static_cast<int>(out.size()) < n && reader->Read(&c)) out.push_back(c);
    ctx.TryCancel();
    while (reader->Read(&c)) {
    }
    reader->Finish().IgnoreError();
    return out;
  };
  const auto changes = read(0, 3);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].petition_code(), first.code());
  EXPECT_EQ(changes[1].petition_code(), second.code());
  EXPECT_EQ(changes[2].event().to_state(), v1::PETITION_STATE_ACCEPTED);
  EXPECT_EQ(changes[2].next_due_date(), "2026-08-05");  // 6/7 + 30
  for (const auto& c : changes) {
    EXPECT_EQ(c.DebugString().find(kDenouncerName), std::string::npos);
  }
  // Resumed after the first: the rest, then a change made while it waits.
  std::thread later([&] {
    absl::SleepFor(absl::Milliseconds(300));
    Receive(Recommendation("k-watch-3"));
  });
  const auto rest = read(changes[0].sequence(), 3);
  later.join();
  ASSERT_EQ(rest.size(), 3u);
  EXPECT_EQ(rest[0].sequence(), changes[1].sequence());
  EXPECT_EQ(rest[2].kind(), v1::PETITION_KIND_RECOMMENDATION);
  // Another agency's officer may not watch this one.
  grpc::ClientContext ctx;
  ServiceUnderTest::Authorize(ctx, Role::kOfficer, kOtherCommune, "officer-9");
  v1::WatchPetitionsRequest req;
  req.set_agency_code(kCommune);
  auto reader = stub_->WatchPetitions(&ctx, req);
  v1::WatchPetitionsResponse c;
  EXPECT_FALSE(reader->Read(&c));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace localgov::petition

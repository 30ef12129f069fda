// Route steps: the receiving agency's own steps and other agencies' (liên thông), group by
// group, each classed against its own hand-computed due date.
#include "services/dossier/route.h"

#include "common/calendar/seed.h"
#include "gtest/gtest.h"
#include "services/dossier/lifecycle.h"
#include "tests/harness/dates.h"

namespace localgov::dossier {
namespace {

constexpr const char* kCommune = "000.00.31.H41";
constexpr const char* kLandOffice = "000.00.01.H41";

absl::CivilDay Day(int y, int m, int d) { return absl::CivilDay(y, m, d); }

class RouteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cal = calendar::WorkingCalendar::Create(calendar::SeedYears());
    ASSERT_TRUE(cal.ok());
    cal_ = std::make_unique<calendar::WorkingCalendar>(std::move(*cal));
    // A land procedure's route: the commune posts and confirms (5 working days), the land
    // registration office updates the records (10), the commune signs and returns (3).
    p_.set_code("DD-01");
    p_.mutable_limit()->set_unit(v1::LIMIT_UNIT_WORKING_DAYS);
    p_.mutable_limit()->set_amount(20);
    AddStep(1, kCommune, "UBND xã: xác nhận hiện trạng, niêm yết công khai", 5);
    AddStep(2, kLandOffice, "Văn phòng đăng ký đất đai: kiểm tra, cập nhật", 10);
    AddStep(3, kCommune, "UBND xã: ký, trả kết quả", 3);
    d_.set_code("000.00.31.H41-260302-0001");
    d_.set_receiving_agency_code(kCommune);
    d_.set_state(v1::DOSSIER_STATE_IN_PROGRESS);
    d_.set_clock_start_date("2026-03-02");
    d_.set_due_date("2026-03-30");  // 20 working days after Mon 2/3/2026
    PlanSteps(d_, p_);
  }

  void AddStep(int order, const char* agency, const char* name, int days) {
    auto* s = p_.add_steps();
    s->set_order(order);
    s->set_agency_code(agency);
    s->set_name(name);
    s->mutable_share()->set_unit(v1::LIMIT_UNIT_WORKING_DAYS);
    s->mutable_share()->set_amount(days);
  }

  absl::StatusOr<std::vector<int>> Next(absl::CivilDay today) {
    return HandOffNext(d_, p_, *cal_, today);
  }

  absl::StatusOr<std::string> Apply(Action a, absl::Time now, int step = -1) {
    TransitionInput in;
    in.action = a;
    in.now = now;
    in.step_index = step;
    return ApplyTransition(d_, p_, *cal_, OneStopRules{}, in);
  }

  std::unique_ptr<calendar::WorkingCalendar> cal_;
  v1::Procedure p_;
  v1::Dossier d_;
};

TEST_F(RouteTest, EveryStepIsPlannedAndTheReceivingAgencysOwnAreMarked) {
  ASSERT_EQ(d_.steps_size(), 3);
  EXPECT_TRUE(d_.steps(0).own());
  EXPECT_FALSE(d_.steps(1).own());
  EXPECT_TRUE(d_.steps(2).own());
  for (const auto& s : d_.steps()) EXPECT_EQ(s.state(), v1::STEP_STATE_WAITING);
}

TEST_F(RouteTest, AnOwnFirstStepRunsBeforeAnythingIsHandedOff) {
  // Started Mon 2/3: 5 working days -> Tue 3, Wed 4, Thu 5, Fri 6, Mon 9/3.
  auto handed = Next(Day(2026, 3, 2));
  ASSERT_TRUE(handed.ok());
  EXPECT_TRUE(handed->empty()) << "nothing goes to the land office yet";
  EXPECT_EQ(d_.steps(0).state(), v1::STEP_STATE_IN_PROGRESS);
  EXPECT_EQ(d_.steps(0).due_date(), "2026-03-09");
  EXPECT_TRUE(d_.steps(0).envelope_id().empty());
  EXPECT_EQ(d_.steps(1).state(), v1::STEP_STATE_WAITING);
  ASSERT_TRUE(Next(Day(2026, 3, 3)).ok());
  EXPECT_EQ(d_.steps(0).due_date(), "2026-03-09") << "a group under way is not restarted";
}

TEST_F(RouteTest, EachStepIsClassedAgainstItsOwnShare) {
  ASSERT_TRUE(Next(Day(2026, 3, 2)).ok());
  // The commune finishes Fri 6/3, before Mon 9/3: early.
  ASSERT_TRUE(CompleteOwnStep(d_, 0, Day(2026, 3, 6), testing::VnTime(2026, 3, 6, 10, 0)).ok());
  EXPECT_EQ(d_.steps(0).outcome(), v1::OUTCOME_CLASS_EARLY);
  EXPECT_EQ(d_.steps(0).indicator2_points(), 2);
  // Handed off Fri 6/3: 10 working days -> Mon 9 ... Fri 13 (5), Mon 16 ... Fri 20/3 (10).
  auto handed = Next(Day(2026, 3, 6));
  ASSERT_TRUE(handed.ok());
  EXPECT_EQ(*handed, std::vector<int>{1});
  EXPECT_EQ(d_.steps(1).state(), v1::STEP_STATE_HANDED_OFF);
  EXPECT_EQ(d_.steps(1).due_date(), "2026-03-20");
  EXPECT_EQ(d_.steps(1).envelope_id(), "000.00.31.H41-260302-0001:step-1");
  // The land office answers Mon 23/3: late.
  auto done = CompleteStep(d_, d_.steps(1).envelope_id(), Day(2026, 3, 23),
                           testing::VnTime(2026, 3, 23, 9, 0));
  ASSERT_TRUE(done.ok() && *done);
  EXPECT_EQ(d_.steps(1).outcome(), v1::OUTCOME_CLASS_LATE);
  EXPECT_EQ(d_.steps(1).indicator2_points(), 0);
  // The commune's last step starts Mon 23/3: 3 working days -> Thu 26/3.
  handed = Next(Day(2026, 3, 23));
  ASSERT_TRUE(handed.ok());
  EXPECT_TRUE(handed->empty());
  EXPECT_EQ(d_.steps(2).state(), v1::STEP_STATE_IN_PROGRESS);
  EXPECT_EQ(d_.steps(2).due_date(), "2026-03-26");
}

TEST_F(RouteTest, OnlyAnOwnStepUnderWayCanBeCompletedByTheAgency) {
  ASSERT_TRUE(Next(Day(2026, 3, 2)).ok());
  const absl::Time t = testing::VnTime(2026, 3, 4, 9, 0);
  EXPECT_EQ(CompleteOwnStep(d_, 1, Day(2026, 3, 4), t).status().code(),
            absl::StatusCode::kFailedPrecondition)
      << "the land office's step completes with its result";
  EXPECT_EQ(CompleteOwnStep(d_, 2, Day(2026, 3, 4), t).status().code(),
            absl::StatusCode::kFailedPrecondition)
      << "not started";
  EXPECT_EQ(CompleteOwnStep(d_, 7, Day(2026, 3, 4), t).status().code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(CompleteOwnStep(d_, 0, Day(2026, 3, 4), t).ok());
  EXPECT_EQ(CompleteOwnStep(d_, 0, Day(2026, 3, 4), t).status().code(),
            absl::StatusCode::kFailedPrecondition)
      << "done already";
}

TEST_F(RouteTest, TheResultWaitsForOtherAgenciesAndCompletesTheAgencysOwnSteps) {
  ASSERT_TRUE(Next(Day(2026, 3, 2)).ok());
  auto refused = Apply(Action::kRecordResult, testing::VnTime(2026, 3, 4, 9, 0));
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find(kLandOffice), std::string::npos);
  EXPECT_NE(refused.status().message().find("CompleteStep"), std::string::npos)
      << "the officer is told to finish the commune's step first";

  auto note = Apply(Action::kCompleteStep, testing::VnTime(2026, 3, 9, 16, 0), 0);
  ASSERT_TRUE(note.ok()) << note.status();
  EXPECT_NE(note->find("OUTCOME_CLASS_ON_TIME"), std::string::npos) << *note;  // due Mon 9/3
  ASSERT_TRUE(Next(Day(2026, 3, 9)).ok());
  ASSERT_TRUE(CompleteStep(d_, d_.steps(1).envelope_id(), Day(2026, 3, 16),
                           testing::VnTime(2026, 3, 16, 9, 0))
                  .ok());
  ASSERT_TRUE(Next(Day(2026, 3, 16)).ok());  // last commune step: Tue 17 .. Thu 19/3
  ASSERT_TRUE(Apply(Action::kRecordResult, testing::VnTime(2026, 3, 18, 15, 0)).ok());
  EXPECT_EQ(d_.state(), v1::DOSSIER_STATE_PROCESSED);
  EXPECT_EQ(d_.steps(2).state(), v1::STEP_STATE_COMPLETED);
  EXPECT_EQ(d_.steps(2).outcome(), v1::OUTCOME_CLASS_EARLY) << "Wed 18 before Thu 19/3";
  EXPECT_EQ(d_.outcome(), v1::OUTCOME_CLASS_EARLY) << "the dossier: before Mon 30/3";
}

TEST_F(RouteTest, TheStepsAChangeCompletedAreTheOnesItCompleted) {
  ASSERT_TRUE(Next(Day(2026, 3, 2)).ok());
  const v1::Dossier before = d_;
  ASSERT_TRUE(CompleteOwnStep(d_, 0, Day(2026, 3, 4), testing::VnTime(2026, 3, 4, 9, 0)).ok());
  auto done = NewlyCompleted(before, d_);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].index(), 0);
  EXPECT_EQ(done[0].outcome(), v1::OUTCOME_CLASS_EARLY);
  EXPECT_TRUE(NewlyCompleted(d_, d_).empty()) << "nothing new when nothing changed";
}

TEST_F(RouteTest, AStepCanBeCompletedOnlyWhileTheDossierIsInProgress) {
  ASSERT_TRUE(Next(Day(2026, 3, 2)).ok());
  d_.set_state(v1::DOSSIER_STATE_PAYMENT_REQUESTED);
  EXPECT_EQ(Apply(Action::kCompleteStep, testing::VnTime(2026, 3, 4, 9, 0), 0).status().code(),
            absl::StatusCode::kFailedPrecondition);
  d_.set_state(v1::DOSSIER_STATE_IN_PROGRESS);
  EXPECT_EQ(Apply(Action::kCompleteStep, testing::VnTime(2026, 3, 4, 9, 0), -1).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(RouteTest, OnTheSpotTheResultCompletesStepsNeverStarted) {
  v1::Procedure spot;
  spot.set_code("CT-01");
  spot.mutable_limit()->set_unit(v1::LIMIT_UNIT_ON_THE_SPOT);
  auto* s = spot.add_steps();
  s->set_order(1);
  s->set_agency_code(kCommune);
  s->set_name("Đối chiếu và chứng thực");
  s->mutable_share()->set_unit(v1::LIMIT_UNIT_ON_THE_SPOT);
  p_ = spot;
  PlanSteps(d_, p_);
  d_.set_state(v1::DOSSIER_STATE_ACCEPTED);
  d_.set_due_date("2026-03-02");
  TransitionInput in;
  in.action = Action::kRecordResult;
  in.now = testing::VnTime(2026, 3, 2, 10, 30);
  ASSERT_TRUE(ApplyTransition(d_, p_, *cal_, OneStopRules{}, in).ok());
  EXPECT_EQ(d_.steps(0).state(), v1::STEP_STATE_COMPLETED);
  EXPECT_EQ(d_.steps(0).due_date(), "2026-03-02");
  EXPECT_EQ(d_.steps(0).outcome(), v1::OUTCOME_CLASS_ON_TIME);
}

// Decree 63/2024: a receiving system acknowledges within 2 working hours, counted in office
// time (07:30–11:30, 13:30–17:00) from the handoff, with no 15:00 rule.
TEST_F(RouteTest, AHandoffIsToBeAcknowledgedWithinTwoWorkingHoursOfOfficeTime) {
  auto by = [&](absl::Time handed_off) {
    auto t = AcknowledgeBy(p_, *cal_, handed_off);
    EXPECT_TRUE(t.ok()) << t.status();
    return t.ok() ? *t : absl::InfinitePast();
  };
  EXPECT_EQ(by(testing::VnTime(2026, 3, 3, 10, 0)), absl::InfiniteFuture())
      << "a procedure without the limit";
  p_.mutable_handoff_acknowledgement()->set_unit(v1::LIMIT_UNIT_WORKING_HOURS);
  p_.mutable_handoff_acknowledgement()->set_amount(2);
  // Tue 3/3 10:00: 10:00–11:30 (1.5), 13:30–14:00 (0.5) -> 14:00, lunch skipped.
  EXPECT_EQ(by(testing::VnTime(2026, 3, 3, 10, 0)), testing::VnTime(2026, 3, 3, 14, 0));
  // Tue 15:30, after 15:00 but no 15:00 rule: 15:30–17:00 (1.5), Wed 07:30–08:00 -> Wed 08:00.
  EXPECT_EQ(by(testing::VnTime(2026, 3, 3, 15, 30)), testing::VnTime(2026, 3, 4, 8, 0));
  // Fri 6/3 16:30: 16:30–17:00 (0.5), Mon 9/3 07:30–09:00 (1.5) -> Mon 09:00.
  EXPECT_EQ(by(testing::VnTime(2026, 3, 6, 16, 30)), testing::VnTime(2026, 3, 9, 9, 0));
  // Sat 7/3 10:00: from Mon 9/3 07:30 -> 09:30.
  EXPECT_EQ(by(testing::VnTime(2026, 3, 7, 10, 0)), testing::VnTime(2026, 3, 9, 9, 30));
  // Fri 13/2/2026 16:00, before Tết (16–20/2 off, then the weekend): 16:00–17:00 (1), Mon 23/2
  // 07:30–08:30 (1) -> Mon 23/2 08:30.
  EXPECT_EQ(by(testing::VnTime(2026, 2, 13, 16, 0)), testing::VnTime(2026, 2, 23, 8, 30));
}

// Ending a dossier ends its steps (the holder answers for the whole liên thông chain).
TEST_F(RouteTest, AWithdrawalCancelsEveryOpenStepWithItsReasonAndTime) {
  ASSERT_TRUE(Next(Day(2026, 3, 2)).ok());  // own step 0 under way, due Mon 9/3
  const absl::Time at = testing::VnTime(2026, 3, 4, 9, 0);
  TransitionInput in;
  in.action = Action::kWithdraw;
  in.now = at;
  in.reason = "Không còn nhu cầu";
  const v1::Dossier before = d_;
  auto note = ApplyTransition(d_, p_, *cal_, OneStopRules{}, in);
  ASSERT_TRUE(note.ok()) << note.status();
  EXPECT_EQ(d_.state(), v1::DOSSIER_STATE_WITHDRAWN);
  for (const auto& s : d_.steps()) {
    EXPECT_EQ(s.state(), v1::STEP_STATE_CANCELLED) << s.index();
    EXPECT_EQ(s.cancel_reason(), "withdrawn by the applicant: Không còn nhu cầu");
    EXPECT_EQ(s.cancel_time().seconds(), absl::ToUnixSeconds(at));
    EXPECT_TRUE(s.cancellation_envelope_id().empty()) << "nothing was handed off";
    EXPECT_EQ(s.outcome(), v1::OUTCOME_CLASS_UNSPECIFIED) << "called off before its due date";
  }
  EXPECT_TRUE(NewlyScored(before, d_).empty()) << "no step is scored in indicator 2";
}

TEST_F(RouteTest, StoppingCancelsAHandedOffStepAndKeepsACompletedOne) {
  ASSERT_TRUE(Next(Day(2026, 3, 2)).ok());
  ASSERT_TRUE(CompleteOwnStep(d_, 0, Day(2026, 3, 6), testing::VnTime(2026, 3, 6, 10, 0)).ok());
  auto handed = Next(Day(2026, 3, 6));
  ASSERT_TRUE(handed.ok());
  ASSERT_EQ(*handed, std::vector<int>{1});
  TransitionInput in;
  in.action = Action::kStop;
  in.now = testing::VnTime(2026, 3, 10, 14, 0);
  in.reasons = {"Đất đang có tranh chấp"};
  ASSERT_TRUE(ApplyTransition(d_, p_, *cal_, OneStopRules{}, in).ok());
  EXPECT_EQ(d_.state(), v1::DOSSIER_STATE_STOPPED);
  EXPECT_EQ(d_.steps(0).state(), v1::STEP_STATE_COMPLETED) << "done work stays done";
  EXPECT_EQ(d_.steps(1).state(), v1::STEP_STATE_CANCELLED);
  EXPECT_EQ(d_.steps(1).cancellation_envelope_id(), "000.00.31.H41-260302-0001:step-1:cancel");
  EXPECT_EQ(d_.steps(1).cancel_reason(), "processing stopped: Đất đang có tranh chấp");
  EXPECT_EQ(d_.steps(2).state(), v1::STEP_STATE_CANCELLED);
  EXPECT_TRUE(d_.steps(2).cancellation_envelope_id().empty()) << "never handed off";
  // The police's result arrives afterwards: it reopens nothing.
  auto late = CompleteStep(d_, d_.steps(1).envelope_id(), Day(2026, 3, 11),
                           testing::VnTime(2026, 3, 11, 9, 0));
  ASSERT_TRUE(late.ok());
  EXPECT_FALSE(*late);
  EXPECT_EQ(d_.steps(1).state(), v1::STEP_STATE_CANCELLED);
}

TEST_F(RouteTest, AStepStillOpenAfterItsDueDateIsScoredLateWhenCancelled) {
  ASSERT_TRUE(Next(Day(2026, 3, 2)).ok());  // step 0: 5 working days from Mon 2/3 → Mon 9/3
  ASSERT_EQ(d_.steps(0).due_date(), "2026-03-09");
  const v1::Dossier before = d_;
  const auto cancelled = CancelOpenSteps(d_, "withdrawn by the applicant", Day(2026, 3, 10),
                                         testing::VnTime(2026, 3, 10, 9, 0));
  EXPECT_TRUE(cancelled.empty());
  EXPECT_EQ(d_.steps(0).outcome(), v1::OUTCOME_CLASS_LATE);
  EXPECT_EQ(d_.steps(0).indicator2_points(), 0);
  EXPECT_EQ(d_.steps(1).outcome(), v1::OUTCOME_CLASS_UNSPECIFIED) << "never started";
  const auto scored = NewlyScored(before, d_);
  ASSERT_EQ(scored.size(), 1u);
  EXPECT_EQ(scored[0].index(), 0);
  EXPECT_EQ(scored[0].done_time().seconds(),
            absl::ToUnixSeconds(testing::VnTime(2026, 3, 10, 9, 0)));
  // On its due date it is not late yet: not scored.
  v1::Dossier on_due = before;
  CancelOpenSteps(on_due, "withdrawn", Day(2026, 3, 9), testing::VnTime(2026, 3, 9, 16, 0));
  EXPECT_EQ(on_due.steps(0).outcome(), v1::OUTCOME_CLASS_UNSPECIFIED);
}

}  // namespace
}  // namespace localgov::dossier

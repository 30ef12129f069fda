// Dossier transitions with hand-computed legal deadlines (DOMAIN.md §1).
#include "services/dossier/lifecycle.h"

#include "common/calendar/seed.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "tests/harness/dates.h"

namespace localgov::dossier {
namespace {

class LifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cal = calendar::WorkingCalendar::Create(calendar::SeedYears());
    ASSERT_TRUE(cal.ok());
    cal_ = std::make_unique<calendar::WorkingCalendar>(std::move(*cal));
    p_.set_code("LT-01");
    p_.mutable_limit()->set_unit(v1::LIMIT_UNIT_WORKING_DAYS);
    p_.mutable_limit()->set_amount(3);
    auto* doc = p_.add_required_documents();
    doc->set_code("giay-chung-sinh");
    doc->set_name("Giấy chứng sinh");
    doc->set_mandatory(true);
    // Received Monday 2/3/2026 10:00; 3 working days -> Thursday 5/3.
    d_.set_state(v1::DOSSIER_STATE_ACCEPTED);
    d_.set_clock_start_date("2026-03-02");
    d_.set_due_date("2026-03-05");
  }

  absl::StatusOr<std::string> Apply(Action a, absl::Time now, TransitionInput in = {}) {
    in.action = a;
    in.now = now;
    return ApplyTransition(d_, p_, *cal_, rules_, in);
  }

  OneStopRules rules_;  // the statutory numbers
  std::unique_ptr<calendar::WorkingCalendar> cal_;
  v1::Procedure p_;
  v1::Dossier d_;
};

TEST_F(LifecycleTest, DocumentsMayBeRequestedUntilTheThirdWorkingDayAfterIntake) {
  // Intake Mon 2/3 (not counted): Tue 3 (1), Wed 4 (2), Thu 5 (3) -> last day Thu 5/3.
  TransitionInput in;
  in.missing_document_codes = {"giay-chung-sinh"};
  auto late = d_;
  ASSERT_TRUE(Apply(Action::kRequestSupplement, testing::VnTime(2026, 3, 5, 16, 0), in).ok());
  EXPECT_EQ(d_.state(), v1::DOSSIER_STATE_SUPPLEMENT_REQUESTED);
  EXPECT_TRUE(d_.due_date().empty()) << "the clock stops";
  d_ = late;
  EXPECT_EQ(
      Apply(Action::kRequestSupplement, testing::VnTime(2026, 3, 6, 8, 0), in).status().code(),
      absl::StatusCode::kFailedPrecondition);
}

TEST_F(LifecycleTest, AnOnlineDossierIsAskedForMissingDocumentsOnlyOnce) {
  d_.set_channel(v1::CHANNEL_ONLINE);
  TransitionInput req;
  req.missing_document_codes = {"giay-chung-sinh"};
  ASSERT_TRUE(Apply(Action::kRequestSupplement, testing::VnTime(2026, 3, 3, 9, 0), req).ok());
  TransitionInput done;
  done.documents.emplace_back();
  done.documents.back().set_document_code("giay-chung-sinh");
  // Completed Wed 4/3 09:00: the clock restarts that day, so the 3-day window is open again.
  ASSERT_TRUE(Apply(Action::kCompleteSupplement, testing::VnTime(2026, 3, 4, 9, 0), done).ok());
  auto again = Apply(Action::kRequestSupplement, testing::VnTime(2026, 3, 5, 9, 0), req);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition)
      << "deficiencies of an online dossier are notified once";
  EXPECT_NE(again.status().message().find("once"), std::string::npos) << again.status();
  EXPECT_EQ(d_.state(), v1::DOSSIER_STATE_ACCEPTED) << "nothing changed";
}

TEST_F(LifecycleTest, AnOnlineDossierAskedAtIntakeIsNotAskedAgainAtAppraisal) {
  d_.set_channel(v1::CHANNEL_ONLINE);
  d_.mutable_quality()->set_supplement_requests(1);  // form 02 at intake
  TransitionInput req;
  req.missing_document_codes = {"giay-chung-sinh"};
  EXPECT_EQ(
      Apply(Action::kRequestSupplement, testing::VnTime(2026, 3, 3, 9, 0), req).status().code(),
      absl::StatusCode::kFailedPrecondition);
}

TEST_F(LifecycleTest, ADossierHandedInAtTheCounterMayBeAskedAgainAfterCompletion) {
  d_.set_channel(v1::CHANNEL_COUNTER);
  d_.mutable_quality()->set_supplement_requests(1);  // form 02 at the counter
  TransitionInput req;
  req.missing_document_codes = {"giay-chung-sinh"};
  EXPECT_TRUE(Apply(Action::kRequestSupplement, testing::VnTime(2026, 3, 3, 9, 0), req).ok());
}

TEST_F(LifecycleTest, TheCounterTransfersTheDossierOnItsDeemedDayOfReceipt) {
  // Received Mon 2/3 10:00: transferred the same day is on time.
  auto before = d_;
  auto note = Apply(Action::kStartProcessing, testing::VnTime(2026, 3, 2, 16, 30));
  ASSERT_TRUE(note.ok());
  EXPECT_FALSE(d_.quality().transferred_late());
  EXPECT_EQ(*note, "transferred for processing");
  // The next morning it is late.
  d_ = before;
  note = Apply(Action::kStartProcessing, testing::VnTime(2026, 3, 3, 7, 30));
  ASSERT_TRUE(note.ok());
  EXPECT_TRUE(d_.quality().transferred_late());
  EXPECT_NE(note->find("late: due 2026-03-02"), std::string::npos) << *note;
}

TEST_F(LifecycleTest, ADossierReceivedAfterFifteenOnTheFridayBeforeTetIsTransferredAfterTet) {
  // Received Fri 13/2/2026 15:30: deemed received on the next working day. Sat 14, Sun 15,
  // Tết Mon 16 – Fri 20, Sat 21, Sun 22 -> Mon 23/2, the day it must be transferred.
  d_.set_clock_start_date("2026-02-23");
  d_.set_due_date("2026-02-26");
  auto before = d_;
  ASSERT_TRUE(Apply(Action::kStartProcessing, testing::VnTime(2026, 2, 23, 16, 59)).ok());
  EXPECT_FALSE(d_.quality().transferred_late());
  d_ = before;
  ASSERT_TRUE(Apply(Action::kStartProcessing, testing::VnTime(2026, 2, 24, 8, 0)).ok());
  EXPECT_TRUE(d_.quality().transferred_late());
}

TEST_F(LifecycleTest, CompletingRestartsTheClockFromCompletion) {
  TransitionInput req;
  req.missing_document_codes = {"giay-chung-sinh"};
  ASSERT_TRUE(Apply(Action::kRequestSupplement, testing::VnTime(2026, 3, 3, 9, 0), req).ok());
  TransitionInput missing;
  EXPECT_EQ(Apply(Action::kCompleteSupplement, testing::VnTime(2026, 3, 10, 9, 0), missing)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument)
      << "still missing the birth certificate";
  TransitionInput done;
  done.documents.emplace_back();
  done.documents.back().set_document_code("giay-chung-sinh");
  // Completed Tue 10/3 15:30 -> deemed Wed 11/3: Thu 12 (1), Fri 13 (2), Mon 16 (3).
  ASSERT_TRUE(Apply(Action::kCompleteSupplement, testing::VnTime(2026, 3, 10, 15, 30), done).ok());
  EXPECT_EQ(d_.state(), v1::DOSSIER_STATE_ACCEPTED);
  EXPECT_EQ(d_.clock_start_date(), "2026-03-11");
  EXPECT_EQ(d_.due_date(), "2026-03-16");
}

TEST_F(LifecycleTest, TheApologyComesByTheWorkingDayBeforeTheDueDateAndOnlyOnce) {
  TransitionInput in;
  in.reason = "Chờ kết quả xác minh";
  in.new_due_date = "2026-03-10";
  // Due Thu 5/3: the apology is due by Wed 4/3.
  auto before = d_;
  EXPECT_EQ(Apply(Action::kApologize, testing::VnTime(2026, 3, 5, 8, 0), in).status().code(),
            absl::StatusCode::kFailedPrecondition);
  d_ = before;
  ASSERT_TRUE(Apply(Action::kApologize, testing::VnTime(2026, 3, 4, 16, 30), in).ok());
  EXPECT_EQ(d_.due_date(), "2026-03-10");
  EXPECT_EQ(d_.apology().previous_due_date(), "2026-03-05");
  in.new_due_date = "2026-03-12";
  EXPECT_EQ(Apply(Action::kApologize, testing::VnTime(2026, 3, 4, 17, 0), in).status().code(),
            absl::StatusCode::kFailedPrecondition)
      << "a new date may be set only once";
}

TEST_F(LifecycleTest, TheApologyDeadlineSkipsTheWeekendBack) {
  d_.set_due_date("2026-03-09");  // Monday: the working day before is Friday 6/3
  TransitionInput in;
  in.reason = "Chờ ý kiến cơ quan liên quan";
  in.new_due_date = "2026-03-12";
  auto before = d_;
  EXPECT_EQ(Apply(Action::kApologize, testing::VnTime(2026, 3, 7, 9, 0), in).status().code(),
            absl::StatusCode::kFailedPrecondition)
      << "Saturday is past Friday";
  d_ = before;
  EXPECT_TRUE(Apply(Action::kApologize, testing::VnTime(2026, 3, 6, 9, 0), in).ok());
}

// A rule set from a later law (LOCALGOV_ONE_STOP_RULES) changes the numbers for the dossiers
// it applies to; Dossiers picks the set in force on the day of receipt.
TEST_F(LifecycleTest, AShorterSupplementWindowInTheRulesEndsTheRequestsEarlier) {
  rules_.supplement_window_working_days = 2;  // intake Mon 2/3: Tue 3 (1), Wed 4 (2)
  TransitionInput in;
  in.missing_document_codes = {"giay-chung-sinh"};
  const auto before = d_;
  auto refused = Apply(Action::kRequestSupplement, testing::VnTime(2026, 3, 5, 9, 0), in);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("within 2 working days of intake (until 2026-03-04)"),
            std::string::npos)
      << refused.status().message();
  d_ = before;
  EXPECT_TRUE(Apply(Action::kRequestSupplement, testing::VnTime(2026, 3, 4, 16, 59), in).ok());
}

TEST_F(LifecycleTest, TheApologyLeadInTheRulesCountsWorkingDaysBackFromTheDueDate) {
  d_.set_due_date("2026-03-10");  // Tuesday; two working days before: Fri 6/3 (Mon 9 is one)
  rules_.apology_lead_working_days = 2;
  TransitionInput in;
  in.reason = "Chờ kết quả xác minh";
  in.new_due_date = "2026-03-13";
  const auto before = d_;
  auto refused = Apply(Action::kApologize, testing::VnTime(2026, 3, 9, 8, 0), in);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("no later than 2026-03-06"), std::string::npos)
      << refused.status().message();
  d_ = before;
  EXPECT_TRUE(Apply(Action::kApologize, testing::VnTime(2026, 3, 6, 16, 0), in).ok());
  // With no lead, the due date itself is still in time.
  d_ = before;
  rules_.apology_lead_working_days = 0;
  EXPECT_TRUE(Apply(Action::kApologize, testing::VnTime(2026, 3, 10, 16, 0), in).ok());
}

TEST_F(LifecycleTest, ALaterReceiptCutoffInTheRulesKeepsACompletionAt1530OnItsDay) {
  TransitionInput req;
  req.missing_document_codes = {"giay-chung-sinh"};
  ASSERT_TRUE(Apply(Action::kRequestSupplement, testing::VnTime(2026, 3, 3, 9, 0), req).ok());
  rules_.receipt_cutoff_minutes = 16 * 60 + 30;
  TransitionInput done;
  done.documents.emplace_back();
  done.documents.back().set_document_code("giay-chung-sinh");
  // Completed Tue 10/3 15:30, before 16:30: deemed that day; Wed 11 (1), Thu 12 (2), Fri 13 (3).
  ASSERT_TRUE(Apply(Action::kCompleteSupplement, testing::VnTime(2026, 3, 10, 15, 30), done).ok());
  EXPECT_EQ(d_.clock_start_date(), "2026-03-10");
  EXPECT_EQ(d_.due_date(), "2026-03-13");
}

TEST_F(LifecycleTest, TheNewDateMustBeALaterWorkingDay) {
  TransitionInput in;
  in.reason = "x";
  in.new_due_date = "2026-03-05";
  EXPECT_EQ(Apply(Action::kApologize, testing::VnTime(2026, 3, 3, 9, 0), in).status().code(),
            absl::StatusCode::kInvalidArgument);
  in.new_due_date = "2026-03-07";  // Saturday
  EXPECT_EQ(Apply(Action::kApologize, testing::VnTime(2026, 3, 3, 9, 0), in).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(LifecycleTest, ResultsAreClassifiedAgainstTheDueDate) {
  EXPECT_EQ(Classify(absl::CivilDay(2026, 3, 4), absl::CivilDay(2026, 3, 5)),
            v1::OUTCOME_CLASS_EARLY);
  EXPECT_EQ(Classify(absl::CivilDay(2026, 3, 5), absl::CivilDay(2026, 3, 5)),
            v1::OUTCOME_CLASS_ON_TIME);
  EXPECT_EQ(Classify(absl::CivilDay(2026, 3, 6), absl::CivilDay(2026, 3, 5)),
            v1::OUTCOME_CLASS_LATE);
  ASSERT_TRUE(Apply(Action::kStartProcessing, testing::VnTime(2026, 3, 3, 9, 0)).ok());
  ASSERT_TRUE(Apply(Action::kRecordResult, testing::VnTime(2026, 3, 6, 9, 0)).ok());
  EXPECT_EQ(d_.outcome(), v1::OUTCOME_CLASS_LATE);
  EXPECT_EQ(d_.portal_status_code(), 9);
  ASSERT_TRUE(Apply(Action::kReturnResult, testing::VnTime(2026, 3, 6, 10, 0)).ok());
  EXPECT_EQ(d_.state(), v1::DOSSIER_STATE_RETURNED);
}

TEST_F(LifecycleTest, IllegalTransitionsAreRefused) {
  EXPECT_EQ(Apply(Action::kReturnResult, testing::VnTime(2026, 3, 3, 9, 0)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Apply(Action::kRecordResult, testing::VnTime(2026, 3, 3, 9, 0)).status().code(),
            absl::StatusCode::kFailedPrecondition)
      << "a 3-day procedure must be processed first";
  ASSERT_TRUE(Apply(Action::kWithdraw, testing::VnTime(2026, 3, 3, 9, 0)).ok());
  EXPECT_EQ(Apply(Action::kStartProcessing, testing::VnTime(2026, 3, 3, 9, 0)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Apply(Action::kWithdraw, testing::VnTime(2026, 3, 3, 9, 0)).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(LifecycleTest, StoppingNeedsReasons) {
  EXPECT_EQ(Apply(Action::kStop, testing::VnTime(2026, 3, 3, 9, 0)).status().code(),
            absl::StatusCode::kInvalidArgument);
  TransitionInput in;
  in.reasons = {"Thửa đất đang có tranh chấp"};
  ASSERT_TRUE(Apply(Action::kStop, testing::VnTime(2026, 3, 3, 9, 0), in).ok());
  EXPECT_EQ(d_.portal_status_code(), 8);
}

// DOMAIN.md §1: a reasoned refusal comes within the time limit. One after the due date is
// recorded (refusing it would leave the dossier open) and flagged, as a late transfer is.
TEST_F(LifecycleTest, ARefusalAfterTheDueDateIsRecordedAsLate) {
  TransitionInput in;
  in.reasons = {"Thửa đất đang có tranh chấp"};
  const auto before = d_;
  auto note = Apply(Action::kStop, testing::VnTime(2026, 3, 5, 16, 59), in);  // due Thu 5/3
  ASSERT_TRUE(note.ok());
  EXPECT_FALSE(d_.quality().stopped_late()) << "on the due date is within the limit";
  d_ = before;
  note = Apply(Action::kStop, testing::VnTime(2026, 3, 6, 8, 0), in);
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(d_.state(), v1::DOSSIER_STATE_STOPPED);
  EXPECT_TRUE(d_.quality().stopped_late());
  EXPECT_NE(note->find("(late: due 2026-03-05)"), std::string::npos) << *note;
}

TEST_F(LifecycleTest, PaymentIsRequestedDuringProcessingAndConfirmedWithAReference) {
  ASSERT_TRUE(Apply(Action::kStartProcessing, testing::VnTime(2026, 3, 2, 11, 0)).ok());
  TransitionInput bad;
  bad.amount_vnd = 0;
  auto st = Apply(Action::kRequestPayment, testing::VnTime(2026, 3, 3, 9, 0), bad).status();
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  TransitionInput pay;
  pay.amount_vnd = 100000;
  pay.reason = "Lệ phí đăng ký hộ kinh doanh";
  ASSERT_TRUE(Apply(Action::kRequestPayment, testing::VnTime(2026, 3, 3, 9, 0), pay).ok());
  EXPECT_EQ(d_.state(), v1::DOSSIER_STATE_PAYMENT_REQUESTED);
  EXPECT_EQ(d_.portal_status_code(), 6);
  EXPECT_EQ(d_.due_date(), "2026-03-05") << "the clock keeps running";
  EXPECT_EQ(Apply(Action::kRecordResult, testing::VnTime(2026, 3, 3, 10, 0)).status().code(),
            absl::StatusCode::kFailedPrecondition)
      << "no result while payment is awaited";
  TransitionInput paid;
  EXPECT_EQ(
      Apply(Action::kConfirmPayment, testing::VnTime(2026, 3, 3, 10, 0), paid).status().code(),
      absl::StatusCode::kInvalidArgument)
      << "the receipt reference is required";
  paid.payment_reference = "BL-2026-000123";
  ASSERT_TRUE(Apply(Action::kConfirmPayment, testing::VnTime(2026, 3, 3, 10, 0), paid).ok());
  EXPECT_EQ(d_.state(), v1::DOSSIER_STATE_IN_PROGRESS);
  EXPECT_EQ(d_.payment().reference(), "BL-2026-000123");
  EXPECT_EQ(
      Apply(Action::kConfirmPayment, testing::VnTime(2026, 3, 3, 11, 0), paid).status().code(),
      absl::StatusCode::kFailedPrecondition)
      << "nothing to confirm twice";
}

}  // namespace
}  // namespace localgov::dossier

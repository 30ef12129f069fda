// The statutory clocks of petitions (DOMAIN.md §3), hand-computed on the 2026 calendar: Tết
// 2026 is Mon 16/2–Fri 20/2 (Sat 14/2–Sun 22/2 off), 30/4 Thu and 1/5 Fri are holidays, and the
// National Day swap makes Mon 31/8 a day off and Sat 22/8 a working day.
#include "common/calendar/seed.h"
#include "gtest/gtest.h"
#include "services/petition/clocks.h"
#include "services/petition/lifecycle.h"
#include "services/petition/rules.h"

namespace localgov::petition {
namespace {

using v1::Petition;

const calendar::WorkingCalendar& Cal() {
  static const auto* cal =
      new calendar::WorkingCalendar(*calendar::WorkingCalendar::Create(calendar::SeedYears()));
  return *cal;
}

const PetitionRuleBook& Book() {
  static const auto* book = new PetitionRuleBook(*PetitionRuleBook::Parse(""));
  return *book;
}

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

Petition Make(v1::PetitionKind kind, const std::string& receipt) {
  Petition p;
  p.set_kind(kind);
  p.set_state(v1::PETITION_STATE_RECEIVED);
  p.set_receipt_date(receipt);
  if (kind == v1::PETITION_KIND_COMPLAINT) p.set_complaint_round(1);
  return p;
}

std::string Due(const Petition& p, v1::DeadlineKind kind) {
  for (const auto& d : p.deadlines()) {
    if (d.kind() == kind) return d.due_date();
  }
  return "none";
}

std::string Clock(Petition p, absl::CivilDay today, v1::DeadlineKind kind) {
  absl::CivilDay receipt;
  calendar::ParseDate(p.receipt_date(), &receipt);
  auto st = ComputeClocks(p, Book().InForceOn(receipt), Cal(), today);
  EXPECT_TRUE(st.ok()) << st;
  return Due(p, kind);
}

TEST(PetitionClocks, ComplaintAcceptanceIsTenWorkingDaysAcrossTet) {
  // Received Tue 10/2: Wed 11, Thu 12, Fri 13, (Tết 14–22), Mon 23 ... Tue 3/3 is the 10th.
  Petition p = Make(v1::PETITION_KIND_COMPLAINT, "2026-02-10");
  EXPECT_EQ(Clock(p, D(2026, 2, 10), v1::DEADLINE_KIND_CLASSIFICATION), "2026-03-03");
}

TEST(PetitionClocks, RecommendationIsToldWithinTenWorkingDays) {
  // Received Fri 24/4: Mon 27/4 is a compensatory day, 30/4 and 1/5 holidays: Tue 28, Wed 29,
  // Mon 4/5, Tue 5, Wed 6, Thu 7, Fri 8, Mon 11, Tue 12, Wed 13.
  Petition p = Make(v1::PETITION_KIND_RECOMMENDATION, "2026-04-24");
  EXPECT_EQ(Clock(p, D(2026, 4, 24), v1::DEADLINE_KIND_CLASSIFICATION), "2026-05-13");
}

TEST(PetitionClocks, DenunciationInitialHandlingSevenOrTenWorkingDaysAndForwardFive) {
  // Received Wed 11/2: Thu 12, Fri 13, (Tết), Mon 23, Tue 24, Wed 25, Thu 26, Fri 27 = 7th.
  Petition p = Make(v1::PETITION_KIND_DENUNCIATION, "2026-02-11");
  EXPECT_EQ(Clock(p, D(2026, 2, 11), v1::DEADLINE_KIND_INITIAL_HANDLING), "2026-02-27");
  EXPECT_EQ(Clock(p, D(2026, 2, 11), v1::DEADLINE_KIND_FORWARD), "2026-02-25");  // the 5th
  p.set_several_places(true);  // Mon 2/3, Tue 3/3, Wed 4/3 = 10th
  EXPECT_EQ(Clock(p, D(2026, 2, 11), v1::DEADLINE_KIND_INITIAL_HANDLING), "2026-03-04");
}

TEST(PetitionClocks, FirstComplaintResolutionByComplexityAndRemoteness) {
  Petition p = Make(v1::PETITION_KIND_COMPLAINT, "2026-02-25");
  p.set_state(v1::PETITION_STATE_ACCEPTED);
  p.set_accept_date("2026-03-02");
  p.set_complexity(v1::COMPLEXITY_NORMAL);  // 2/3 + 30 = Wed 1/4
  EXPECT_EQ(Clock(p, D(2026, 3, 2), v1::DEADLINE_KIND_RESOLUTION), "2026-04-01");
  p.set_complexity(v1::COMPLEXITY_COMPLEX);  // + 45 = Thu 16/4
  EXPECT_EQ(Clock(p, D(2026, 3, 2), v1::DEADLINE_KIND_RESOLUTION), "2026-04-16");
  p.set_remote_area(true);  // + 60 = Fri 1/5, Labour Day: Sat, Sun, so Mon 4/5
  EXPECT_EQ(Clock(p, D(2026, 3, 2), v1::DEADLINE_KIND_RESOLUTION), "2026-05-04");
  p.set_complexity(v1::COMPLEXITY_NORMAL);  // remote, normal: + 45 = Thu 16/4
  EXPECT_EQ(Clock(p, D(2026, 3, 2), v1::DEADLINE_KIND_RESOLUTION), "2026-04-16");
}

TEST(PetitionClocks, SecondComplaintResolutionIsLonger) {
  Petition p = Make(v1::PETITION_KIND_COMPLAINT, "2026-02-25");
  p.set_complaint_round(2);
  p.set_state(v1::PETITION_STATE_ACCEPTED);
  p.set_accept_date("2026-03-02");
  p.set_complexity(v1::COMPLEXITY_NORMAL);  // + 45 = Thu 16/4
  EXPECT_EQ(Clock(p, D(2026, 3, 2), v1::DEADLINE_KIND_RESOLUTION), "2026-04-16");
  p.set_complexity(v1::COMPLEXITY_COMPLEX);  // + 60 = Fri 1/5 → Mon 4/5
  EXPECT_EQ(Clock(p, D(2026, 3, 2), v1::DEADLINE_KIND_RESOLUTION), "2026-05-04");
  p.set_remote_area(true);  // + 70 = Mon 11/5
  EXPECT_EQ(Clock(p, D(2026, 3, 2), v1::DEADLINE_KIND_RESOLUTION), "2026-05-11");
}

TEST(PetitionClocks, DenunciationPeriodEndingOnASundayMovesToMonday) {
  Petition p = Make(v1::PETITION_KIND_DENUNCIATION, "2026-03-02");
  p.set_state(v1::PETITION_STATE_ACCEPTED);
  p.set_accept_date("2026-03-06");  // Fri 6/3 + 30 = Sun 5/4 → Mon 6/4
  EXPECT_EQ(Clock(p, D(2026, 3, 6), v1::DEADLINE_KIND_RESOLUTION), "2026-04-06");
  p.add_extensions()->set_days(30);  // + 60 = Tue 5/5
  EXPECT_EQ(Clock(p, D(2026, 3, 6), v1::DEADLINE_KIND_RESOLUTION), "2026-05-05");
}

TEST(PetitionClocks, ComplaintLimitationNinetyDaysFromLearning) {
  Petition p = Make(v1::PETITION_KIND_COMPLAINT, "2026-04-02");
  p.set_learned_date("2026-01-01");  // + 90 = Wed 1/4
  EXPECT_EQ(Clock(p, D(2026, 4, 2), v1::DEADLINE_KIND_LIMITATION), "2026-04-01");
  p.set_learned_date("2026-02-01");  // + 90 = Sat 2/5 → Mon 4/5
  EXPECT_EQ(Clock(p, D(2026, 4, 2), v1::DEADLINE_KIND_LIMITATION), "2026-05-04");
}

TEST(PetitionClocks, SecondComplaintWindowThirtyOrFortyFiveDays) {
  Petition p = Make(v1::PETITION_KIND_COMPLAINT, "2026-04-02");
  p.set_complaint_round(2);
  p.set_first_decision_date("2026-03-02");  // + 30 = Wed 1/4
  EXPECT_EQ(Clock(p, D(2026, 4, 2), v1::DEADLINE_KIND_LIMITATION), "2026-04-01");
  p.set_remote_area(true);  // + 45 = Thu 16/4
  EXPECT_EQ(Clock(p, D(2026, 4, 2), v1::DEADLINE_KIND_LIMITATION), "2026-04-16");
}

TEST(PetitionClocks, OnlyTheBindingClockIsNextAndOverdue) {
  Petition p = Make(v1::PETITION_KIND_DENUNCIATION, "2026-02-11");
  ASSERT_TRUE(ComputeClocks(p, Book().InForceOn(D(2026, 2, 11)), Cal(), D(2026, 2, 25)).ok());
  // The forward period (25/2) is informational; the initial handling binds.
  EXPECT_EQ(p.next_deadline().kind(), v1::DEADLINE_KIND_INITIAL_HANDLING);
  EXPECT_EQ(p.next_deadline().due_date(), "2026-02-27");
  EXPECT_FALSE(p.overdue());
  ASSERT_TRUE(ComputeClocks(p, Book().InForceOn(D(2026, 2, 11)), Cal(), D(2026, 3, 2)).ok());
  EXPECT_TRUE(p.overdue());
  p.set_state(v1::PETITION_STATE_NOT_PROCESSED);  // final: nothing binds
  ASSERT_TRUE(ComputeClocks(p, Book().InForceOn(D(2026, 2, 11)), Cal(), D(2026, 3, 2)).ok());
  EXPECT_FALSE(p.has_next_deadline());
  EXPECT_FALSE(p.overdue());
}

TEST(PetitionRules, Law136FromJuly2026AddsSuspensionAndFinalWithdrawal) {
  EXPECT_EQ(Book().InForceOn(D(2026, 6, 30)).suspension_allowed, 0);
  EXPECT_EQ(Book().InForceOn(D(2026, 7, 1)).suspension_allowed, 1);
  EXPECT_EQ(Book().InForceOn(D(2026, 7, 1)).withdrawal_final, 1);
  // Time limits unchanged.
  EXPECT_EQ(Book().InForceOn(D(2026, 7, 1)).first_complaint_days, 30);
  EXPECT_EQ(Book().InForceOn(D(2019, 1, 1)).denunciation_resolution_days, 30);
}

TEST(PetitionRules, AConfiguredSetChangesANumberFromItsDayWithoutARelease) {
  auto book = PetitionRuleBook::Parse("2027-01-01:first_complaint=25,denunciation_initial=5");
  ASSERT_TRUE(book.ok()) << book.status();
  EXPECT_EQ(book->InForceOn(D(2026, 12, 31)).first_complaint_days, 30);
  EXPECT_EQ(book->InForceOn(D(2027, 1, 1)).first_complaint_days, 25);
  EXPECT_EQ(book->InForceOn(D(2027, 1, 1)).denunciation_initial_working_days, 5);
  // It starts from the set before it (Law 136/2025's suspension stays).
  EXPECT_EQ(book->InForceOn(D(2027, 1, 1)).suspension_allowed, 1);
  EXPECT_FALSE(PetitionRuleBook::Parse("2027-01-01:first_complaint=0").ok());
  EXPECT_FALSE(PetitionRuleBook::Parse("2027-01-01:no_such_rule=3").ok());
  EXPECT_FALSE(PetitionRuleBook::Parse("yesterday:first_complaint=3").ok());
}

// Transitions, pure.
TransitionInput In(Action a, absl::Time now) {
  TransitionInput in;
  in.action = a;
  in.now = now;
  in.actor = "leader-1";
  in.text = "lý do";
  return in;
}

absl::Time At(int y, int m, int d) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, 9, 0, 0), calendar::VietnamTime());
}

TEST(PetitionLifecycle, AComplaintIsGuidedNeverForwarded) {
  Petition p = Make(v1::PETITION_KIND_COMPLAINT, "2026-03-02");
  p.set_learned_date("2026-03-01");
  auto in = In(Action::kClassify, At(2026, 3, 3));
  in.decision = v1::CLASSIFICATION_DECISION_FORWARD;
  in.competent_agency = "000.00.01.H41";
  auto r = ApplyTransition(p, Book().InForceOn(D(2026, 3, 2)), Cal(), in);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  in.decision = v1::CLASSIFICATION_DECISION_GUIDE;
  r = ApplyTransition(p, Book().InForceOn(D(2026, 3, 2)), Cal(), in);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(p.state(), v1::PETITION_STATE_GUIDED);
}

TEST(PetitionLifecycle, ARecommendationIsForwardedNeverGuided) {
  Petition p = Make(v1::PETITION_KIND_RECOMMENDATION, "2026-03-02");
  auto in = In(Action::kClassify, At(2026, 3, 3));
  in.decision = v1::CLASSIFICATION_DECISION_GUIDE;
  in.competent_agency = "000.00.01.H41";
  EXPECT_EQ(ApplyTransition(p, Book().InForceOn(D(2026, 3, 2)), Cal(), in).status().code(),
            absl::StatusCode::kFailedPrecondition);
  in.decision = v1::CLASSIFICATION_DECISION_FORWARD;
  ASSERT_TRUE(ApplyTransition(p, Book().InForceOn(D(2026, 3, 2)), Cal(), in).ok());
  EXPECT_EQ(p.state(), v1::PETITION_STATE_FORWARDED);
}

TEST(PetitionLifecycle, AComplaintOutOfTimeIsAcceptedOnlyWithAnExcuse) {
  Petition p = Make(v1::PETITION_KIND_COMPLAINT, "2026-04-02");
  p.set_learned_date("2026-01-01");  // limitation ended 1/4
  auto in = In(Action::kClassify, At(2026, 4, 3));
  in.decision = v1::CLASSIFICATION_DECISION_ACCEPT;
  Petition copy = p;
  EXPECT_EQ(ApplyTransition(copy, Book().InForceOn(D(2026, 4, 2)), Cal(), in).status().code(),
            absl::StatusCode::kFailedPrecondition);
  in.excuse = "ốm nặng, nằm viện từ 15/3 đến 1/4 (giấy ra viện)";
  ASSERT_TRUE(ApplyTransition(p, Book().InForceOn(D(2026, 4, 2)), Cal(), in).ok());
  EXPECT_EQ(p.state(), v1::PETITION_STATE_ACCEPTED);
  EXPECT_EQ(p.accept_date(), "2026-04-03");
}

TEST(PetitionLifecycle, DenunciationExtensionsOnceIfComplexTwiceIfEspeciallyComplex) {
  const auto& rules = Book().InForceOn(D(2026, 3, 2));
  Petition p = Make(v1::PETITION_KIND_DENUNCIATION, "2026-03-02");
  p.set_state(v1::PETITION_STATE_ACCEPTED);
  p.set_accept_date("2026-03-06");
  p.set_complexity(v1::COMPLEXITY_NORMAL);
  auto in = In(Action::kExtend, At(2026, 3, 20));
  in.days = 30;
  EXPECT_EQ(ApplyTransition(p, rules, Cal(), in).status().code(),
            absl::StatusCode::kFailedPrecondition);  // normal: none
  in.complexity = v1::COMPLEXITY_COMPLEX;
  in.days = 31;
  EXPECT_EQ(ApplyTransition(p, rules, Cal(), in).status().code(),
            absl::StatusCode::kFailedPrecondition);  // at most 30 days
  in.days = 30;
  ASSERT_TRUE(ApplyTransition(p, rules, Cal(), in).ok());
  EXPECT_EQ(p.extensions(0).new_due_date(), "2026-05-05");
  EXPECT_EQ(ApplyTransition(p, rules, Cal(), in).status().code(),
            absl::StatusCode::kFailedPrecondition);  // complex: once
  in.complexity = v1::COMPLEXITY_ESPECIALLY_COMPLEX;
  in.days = 20;  // 6/3 + 80 = Thu 25/5? 6/3 + 80: 31/3 is +25, 30/4 +55, 25/5 +80
  ASSERT_TRUE(ApplyTransition(p, rules, Cal(), in).ok());
  EXPECT_EQ(p.extensions(1).new_due_date(), "2026-05-25");
  EXPECT_EQ(ApplyTransition(p, rules, Cal(), in).status().code(),
            absl::StatusCode::kFailedPrecondition);  // especially complex: twice
}

TEST(PetitionLifecycle, NoExtensionAfterThePeriodEnded) {
  const auto& rules = Book().InForceOn(D(2026, 3, 2));
  Petition p = Make(v1::PETITION_KIND_DENUNCIATION, "2026-03-02");
  p.set_state(v1::PETITION_STATE_ACCEPTED);
  p.set_accept_date("2026-03-06");  // due Mon 6/4
  p.set_complexity(v1::COMPLEXITY_COMPLEX);
  auto in = In(Action::kExtend, At(2026, 4, 7));
  in.days = 10;
  EXPECT_EQ(ApplyTransition(p, rules, Cal(), in).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(PetitionLifecycle, SuspensionStopsTheClockFromJuly2026Only) {
  Petition old = Make(v1::PETITION_KIND_COMPLAINT, "2026-06-30");
  old.set_state(v1::PETITION_STATE_ACCEPTED);
  old.set_accept_date("2026-07-02");
  auto in = In(Action::kSuspend, At(2026, 7, 6));
  in.awaiting = "bản án của Tòa án";
  EXPECT_EQ(ApplyTransition(old, Book().InForceOn(D(2026, 6, 30)), Cal(), in).status().code(),
            absl::StatusCode::kFailedPrecondition);

  const auto& rules = Book().InForceOn(D(2026, 7, 1));
  Petition p = Make(v1::PETITION_KIND_COMPLAINT, "2026-07-01");
  p.set_state(v1::PETITION_STATE_ACCEPTED);
  p.set_accept_date("2026-07-02");  // + 30 = Sat 1/8 → Mon 3/8
  p.set_complexity(v1::COMPLEXITY_NORMAL);
  EXPECT_EQ(Clock(p, D(2026, 7, 2), v1::DEADLINE_KIND_RESOLUTION), "2026-08-03");
  ASSERT_TRUE(ApplyTransition(p, rules, Cal(), in).ok());
  EXPECT_EQ(p.state(), v1::PETITION_STATE_SUSPENDED);
  EXPECT_FALSE(p.has_next_deadline());                 // stopped: nothing binds while suspended
  auto resume = In(Action::kResume, At(2026, 7, 13));  // 7 days stood still
  ASSERT_TRUE(ApplyTransition(p, rules, Cal(), resume).ok());
  EXPECT_EQ(p.suspensions(0).days_stopped(), 7);
  // 2/7 + 37 = Sat 8/8 → Mon 10/8
  EXPECT_EQ(p.next_deadline().due_date(), "2026-08-10");
}

TEST(PetitionLifecycle, OutcomesSuitTheKind) {
  const auto& rules = Book().InForceOn(D(2026, 3, 2));
  Petition p = Make(v1::PETITION_KIND_COMPLAINT, "2026-03-02");
  p.set_state(v1::PETITION_STATE_ACCEPTED);
  p.set_accept_date("2026-03-02");
  auto in = In(Action::kDecide, At(2026, 3, 20));
  in.outcome = v1::OUTCOME_DENUNCIATION_FOUNDED;
  EXPECT_EQ(ApplyTransition(p, rules, Cal(), in).status().code(),
            absl::StatusCode::kFailedPrecondition);
  in.outcome = v1::OUTCOME_COMPLAINT_PARTLY_RIGHT;
  ASSERT_TRUE(ApplyTransition(p, rules, Cal(), in).ok());
  EXPECT_EQ(p.state(), v1::PETITION_STATE_RESOLVED);
  EXPECT_TRUE(p.resolution().on_time());
  // Resolved: the window for a second complaint runs from the decision (20/3 + 30 = Sun 19/4
  // → Mon 20/4).
  EXPECT_EQ(Due(p, v1::DEADLINE_KIND_SECOND_COMPLAINT), "2026-04-20");
  EXPECT_FALSE(p.has_next_deadline());
}

TEST(PetitionLifecycle, IllegalTransitionsChangeNothing) {
  const auto& rules = Book().InForceOn(D(2026, 3, 2));
  Petition p = Make(v1::PETITION_KIND_COMPLAINT, "2026-03-02");
  const Petition before = p;
  for (Action a : {Action::kDialogue, Action::kExtend, Action::kResume, Action::kDecide,
                   Action::kPublish, Action::kAnswerArrived}) {
    Petition copy = p;
    auto in = In(a, At(2026, 3, 3));
    in.outcome = v1::OUTCOME_COMPLAINT_RIGHT;
    in.days = 10;
    EXPECT_EQ(ApplyTransition(copy, rules, Cal(), in).status().code(),
              absl::StatusCode::kFailedPrecondition)
        << ActionName(a);
  }
  EXPECT_EQ(p.SerializeAsString(), before.SerializeAsString());
}

}  // namespace
}  // namespace localgov::petition

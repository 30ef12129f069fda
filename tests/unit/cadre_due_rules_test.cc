// What falls due for a cadre (DOMAIN.md §4), with hand-computed days.
#include "services/cadre/cadre_due_rules.h"

#include "gtest/gtest.h"

namespace localgov::cadre {
namespace {

using absl::CivilDay;

const CadreRuleBook& Book() {
  static const CadreRuleBook kBook = *CadreRuleBook::Parse("");
  return kBook;
}
const CadreRules& Now() { return Book().InForceOn(CivilDay(2026, 1, 1)); }

RaiseHistory Specialist(CivilDay last_step, PersonGroup group = PersonGroup::kCivilServant) {
  RaiseHistory h;
  h.group = group;
  h.ranks = {{last_step, RankLevel::kChuyenVien, 3, 300}};
  return h;
}

TEST(CadreDueRulesTest, RaiseWithoutDiscipline) {
  auto r = NextRaise(Book(), Specialist(CivilDay(2023, 4, 1)));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->due, CivilDay(2026, 4, 1));  // 36 months
  RaiseHistory staff;
  staff.ranks = {{CivilDay(2024, 2, 29), RankLevel::kCanSu, 4, 258}};
  EXPECT_EQ(NextRaise(Book(), staff)->due, CivilDay(2026, 2, 28));  // 24 months, clamped
  EXPECT_FALSE(NextRaise(Book(), RaiseHistory{}).has_value());
}

TEST(CadreDueRulesTest, AReprimandExtendsBySixMonths) {
  auto h = Specialist(CivilDay(2023, 4, 1));
  h.disciplines = {{CivilDay(2024, 5, 10), CivilDay(2025, 5, 10), Sanction::kReprimand}};
  auto r = NextRaise(Book(), h);
  EXPECT_EQ(r->due, CivilDay(2026, 10, 1));
  EXPECT_EQ(r->reasons.back(), "+6 months: reprimand 2024-05-10");
  // A public employee reprimanded: 3 months.
  h.group = PersonGroup::kPublicEmployee;
  EXPECT_EQ(NextRaise(Book(), h)->due, CivilDay(2026, 7, 1));
}

TEST(CadreDueRulesTest, ADismissalFromPostExtendsByTwelveMonths) {
  auto h = Specialist(CivilDay(2023, 4, 1));
  h.disciplines = {{CivilDay(2025, 9, 1), CivilDay(2026, 9, 1), Sanction::kDismissalFromPost}};
  auto r = NextRaise(Book(), h);
  EXPECT_EQ(r->due, CivilDay(2027, 4, 1));
  EXPECT_EQ(r->reasons.back(), "+12 months: dismissal from post 2025-09-01");
}

TEST(CadreDueRulesTest, AReprimandAndAYearNotCompletedAddUp) {
  // DOMAIN.md §4: a civil servant reprimanded and rated "did not complete" in the same
  // period: +12 months.
  auto h = Specialist(CivilDay(2023, 4, 1));
  h.disciplines = {{CivilDay(2024, 5, 10), CivilDay(2025, 5, 10), Sanction::kReprimand}};
  h.ratings = {{2024, CivilDay(2024, 12, 10), true, 0}, {2023, CivilDay(2023, 12, 1), false, 0}};
  auto r = NextRaise(Book(), h);
  EXPECT_EQ(r->due, CivilDay(2027, 4, 1));
  EXPECT_EQ(r->reasons.back(), "+6 months: 2024 rated \"did not complete\" 2024-12-10");
}

TEST(CadreDueRulesTest, WhatCameBeforeTheLastStepDoesNotCount) {
  auto h = Specialist(CivilDay(2023, 4, 1));
  h.disciplines = {{CivilDay(2022, 5, 10), CivilDay(2023, 5, 10), Sanction::kWarning}};
  h.ratings = {{2022, CivilDay(2022, 12, 10), true, 0}};
  EXPECT_EQ(NextRaise(Book(), h)->due, CivilDay(2026, 4, 1));
}

TEST(CadreDueRulesTest, ARaiseWaitsForTheEndOfADisciplinesEffect) {
  // 2026-04-01 + 6 = 2026-10-01 falls within the reprimand's effect (until 2026-12-01).
  auto h = Specialist(CivilDay(2023, 4, 1));
  h.disciplines = {{CivilDay(2025, 12, 1), CivilDay(2026, 12, 1), Sanction::kReprimand}};
  auto r = NextRaise(Book(), h);
  EXPECT_EQ(r->due, CivilDay(2026, 12, 1));
  EXPECT_EQ(r->reasons.back(), "waits until 2026-12-01: reprimand of 2025-12-01 in effect");
}

TEST(CadreDueRulesTest, AcrossARankChange) {
  // Promoted from cán sự (2.26) to chuyên viên (2.34) on 2023-07-01: 36 months from then.
  RaiseHistory h;
  h.ranks = {{CivilDay(2021, 1, 1), RankLevel::kCanSu, 3, 226},
             {CivilDay(2023, 7, 1), RankLevel::kChuyenVien, 1, 234}};
  EXPECT_EQ(NextRaise(Book(), h)->due, CivilDay(2026, 7, 1));
  // Moved to another rank at the same coefficient: the step's time is kept, the interval is
  // the new rank's.
  h.ranks = {{CivilDay(2022, 1, 1), RankLevel::kNhanVien, 5, 226},
             {CivilDay(2023, 3, 1), RankLevel::kChuyenVien, 1, 226}};
  auto r = NextRaise(Book(), h);
  EXPECT_EQ(r->last_step, CivilDay(2022, 1, 1));
  EXPECT_EQ(r->due, CivilDay(2025, 1, 1));
}

TEST(CadreDueRulesTest, AnEarlyRaise) {
  auto h = Specialist(CivilDay(2024, 1, 15));
  h.ratings = {{2025, CivilDay(2025, 12, 5), false, 6}};
  auto r = NextRaise(Book(), h);
  EXPECT_EQ(r->due, CivilDay(2026, 7, 15));
  EXPECT_EQ(r->reasons.back(),
            "-6 months: early raise for outstanding achievement 2025 (2025-12-05)");
  // Never before the day it is granted, never more than 12 months.
  h.ratings = {{2026, CivilDay(2026, 3, 1), false, 24}};
  EXPECT_EQ(NextRaise(Book(), h)->due, CivilDay(2026, 3, 1));
}

TEST(CadreDueRulesTest, LimitationAtItsLastDay) {
  EXPECT_EQ(LimitationLastDay(Now(), CivilDay(2020, 3, 10), OffenceLevel::kReprimandLevel),
            CivilDay(2025, 3, 10));
  EXPECT_EQ(LimitationLastDay(Now(), CivilDay(2020, 3, 10), OffenceLevel::kOther),
            CivilDay(2030, 3, 10));
  EXPECT_EQ(LimitationLastDay(Now(), CivilDay(2020, 2, 29), OffenceLevel::kReprimandLevel),
            CivilDay(2025, 2, 28));
  EXPECT_FALSE(LimitationLastDay(Now(), CivilDay(1990, 1, 1), OffenceLevel::kForgedDiploma));
}

TEST(CadreDueRulesTest, ProcessingWithin90Or150Days) {
  EXPECT_EQ(ProcessingLastDay(Now(), CivilDay(2026, 1, 5), false), CivilDay(2026, 4, 5));
  EXPECT_EQ(ProcessingLastDay(Now(), CivilDay(2026, 1, 5), true), CivilDay(2026, 6, 4));
  EXPECT_EQ(DisciplineEffectUntil(Now(), CivilDay(2026, 3, 1)), CivilDay(2027, 3, 1));
}

TEST(CadreDueRulesTest, FormsPerKindOfPerson) {
  const auto& before = Book().InForceOn(CivilDay(2025, 6, 30));
  EXPECT_EQ(DisciplineFormProblem(Now(), PersonGroup::kCadre, Sanction::kRemoval, false), "");
  EXPECT_NE(DisciplineFormProblem(Now(), PersonGroup::kCadre, Sanction::kForcedTermination, false),
            "");
  EXPECT_EQ(DisciplineFormProblem(Now(), PersonGroup::kCivilServant, Sanction::kWarning, false),
            "");
  EXPECT_NE(DisciplineFormProblem(Now(), PersonGroup::kCivilServant, Sanction::kRemoval, true), "");
  EXPECT_NE(
      DisciplineFormProblem(Now(), PersonGroup::kCivilServant, Sanction::kDismissalFromPost, false),
      "");
  EXPECT_EQ(
      DisciplineFormProblem(Now(), PersonGroup::kCivilServant, Sanction::kDismissalFromPost, true),
      "");
  EXPECT_NE(DisciplineFormProblem(Now(), PersonGroup::kCivilServant, Sanction::kDemotion, false),
            "");
  EXPECT_EQ(DisciplineFormProblem(before, PersonGroup::kCivilServant, Sanction::kDemotion, false),
            "");
  EXPECT_NE(DisciplineFormProblem(Now(), PersonGroup::kContracted, Sanction::kReprimand, false),
            "");
}

TEST(CadreDueRulesTest, TheOldAgencysOpinionOnlyAfterSixMonthsThere) {
  // Within the year evaluated: from 1 January to the move.
  EXPECT_TRUE(
      PreviousAgencyOpinionRequired(Now(), 2025, CivilDay(2024, 3, 1), CivilDay(2025, 7, 1)));
  EXPECT_FALSE(
      PreviousAgencyOpinionRequired(Now(), 2025, CivilDay(2024, 3, 1), CivilDay(2025, 6, 30)));
  EXPECT_TRUE(
      PreviousAgencyOpinionRequired(Now(), 2025, CivilDay(2025, 2, 1), CivilDay(2025, 8, 1)));
  EXPECT_FALSE(
      PreviousAgencyOpinionRequired(Now(), 2025, CivilDay(2025, 2, 1), CivilDay(2025, 7, 31)));
  EXPECT_FALSE(
      PreviousAgencyOpinionRequired(Now(), 2025, CivilDay(2020, 1, 1), CivilDay(2024, 9, 1)))
      << "a move of an earlier year";
  EXPECT_EQ(EvaluationDeadline(Now(), 2026), CivilDay(2026, 12, 15));
}

TEST(CadreDueRulesTest, SharesAreConfiguration) {
  EXPECT_EQ(ShareAllows(Now().evaluation_excellent_share_percent, 12), 2);
  EXPECT_EQ(ShareAllows(Now().early_raise_share_percent, 9), 0);
  auto book = CadreRuleBook::Parse("2026-01-01:evaluation_excellent_share_percent=30");
  ASSERT_TRUE(book.ok()) << book.status();
  EXPECT_EQ(book->InForceOn(CivilDay(2026, 1, 1)).evaluation_excellent_share_percent, 30);
  EXPECT_EQ(book->InForceOn(CivilDay(2025, 12, 31)).evaluation_excellent_share_percent, 20);
  EXPECT_FALSE(CadreRuleBook::Parse("2026-01-01:evaluation_excellent_share_percent=101").ok());
}

}  // namespace
}  // namespace localgov::cadre

// Hand-computed due dates (DOMAIN.md §2). Every expected date below was counted by hand on a
// printed calendar; the comments show the count.
#include "common/calendar/calendar.h"

#include "common/calendar/law.h"
#include "common/calendar/lunar.h"
#include "common/calendar/seed.h"
#include "gtest/gtest.h"
#include "tests/harness/dates.h"

namespace localgov::calendar {
namespace {

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }
class CalendarTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cal = WorkingCalendar::Create(SeedYears());
    ASSERT_TRUE(cal.ok()) << cal.status();
    cal_ = std::make_unique<WorkingCalendar>(std::move(*cal));
  }
  absl::CivilDay DueDay(absl::Time received, LimitUnit unit, int amount) {
    auto due = cal_->ComputeDue(received, {unit, amount});
    EXPECT_TRUE(due.ok()) << due.status();
    return due.ok() ? due->day : absl::CivilDay();
  }
  std::unique_ptr<WorkingCalendar> cal_;
};

TEST_F(CalendarTest, DomainExampleMondayMorningIsDueNextMonday) {
  // Mon 10/3/2025 10:00, 5 working days: Tue 11, Wed 12, Thu 13, Fri 14, Mon 17.
  EXPECT_EQ(DueDay(testing::VnTime(2025, 3, 10, 10, 0), LimitUnit::kWorkingDays, 5),
            D(2025, 3, 17));
}

TEST_F(CalendarTest, DomainExampleMondayAfterThreeIsDueNextTuesday) {
  // Mon 15:30 -> deemed Tue 11/3 (not counted): Wed 12, Thu 13, Fri 14, Mon 17, Tue 18.
  EXPECT_EQ(DueDay(testing::VnTime(2025, 3, 10, 15, 30), LimitUnit::kWorkingDays, 5),
            D(2025, 3, 18));
}

TEST_F(CalendarTest, ExactlyThreeOClockIsStillThatDay) {
  EXPECT_EQ(*cal_->DeemedReceiptDay(testing::VnTime(2025, 3, 10, 15, 0, 0)), D(2025, 3, 10));
  EXPECT_EQ(*cal_->DeemedReceiptDay(testing::VnTime(2025, 3, 10, 15, 0, 1)), D(2025, 3, 11));
}

TEST_F(CalendarTest, AnotherCutoffMovesTheDeemedDayAtItsMinute) {
  constexpr int k1630 = 16 * 60 + 30;
  EXPECT_EQ(*cal_->DeemedReceiptDay(testing::VnTime(2025, 3, 10, 16, 30, 0), k1630),
            D(2025, 3, 10));
  EXPECT_EQ(*cal_->DeemedReceiptDay(testing::VnTime(2025, 3, 10, 16, 30, 1), k1630),
            D(2025, 3, 11));
  // Mon 15:30 with a 16:30 cutoff: Mon not counted; Tue 11, Wed 12, Thu 13, Fri 14, Mon 17.
  auto due =
      cal_->ComputeDue(testing::VnTime(2025, 3, 10, 15, 30), {LimitUnit::kWorkingDays, 5}, k1630);
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(due->day, D(2025, 3, 17));
}

TEST_F(CalendarTest, OfficeHoursAreASettingReadAndWrittenAsText) {
  EXPECT_EQ(FormatWorkingHours(WorkingHours{}), "07:30-11:30,13:30-17:00");
  auto hours = ParseWorkingHours("08:00-12:00, 13:00-17:00");
  ASSERT_TRUE(hours.ok()) << hours.status();
  EXPECT_EQ(FormatWorkingHours(*hours), "08:00-12:00,13:00-17:00");
  auto cal = WorkingCalendar::Create(SeedYears(), *hours);
  ASSERT_TRUE(cal.ok());
  // Mon 10/3/2025 10:00 + 4 h: 10:00–12:00 (2), 13:00–15:00 (2) -> 15:00.
  auto due = cal->ComputeDue(testing::VnTime(2025, 3, 10, 10, 0), {LimitUnit::kWorkingHours, 4});
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(due->deadline, testing::VnTime(2025, 3, 10, 15, 0));
  for (const char* bad : {"", "08:00", "08:00-07:00", "07:30-11:30,11:00-17:00", "7:30-11:30",
                          "07:30-25:00", "07:30-11:30;13:30-17:00"}) {
    EXPECT_EQ(ParseWorkingHours(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST_F(CalendarTest, FridayAfterThreeStartsMonday) {
  // Fri 14/3/2025 15:30 -> deemed Mon 17/3: Tue 18, Wed 19, Thu 20, Fri 21, Mon 24.
  EXPECT_EQ(DueDay(testing::VnTime(2025, 3, 14, 15, 30), LimitUnit::kWorkingDays, 5),
            D(2025, 3, 24));
}

TEST_F(CalendarTest, OnlineOnSundayIsDeemedReceivedMonday) {
  // Sun 16/3/2025 09:00 -> deemed Mon 17/3: Tue 18 ... Mon 24.
  EXPECT_EQ(DueDay(testing::VnTime(2025, 3, 16, 9, 0), LimitUnit::kWorkingDays, 5), D(2025, 3, 24));
}

TEST_F(CalendarTest, Tet2026PausesTheClock) {
  // Thu 12/2/2026 10:00, 5 working days: Fri 13 (1); 14–15 weekend; 16–20 Tết; 21–22 weekend;
  // Mon 23 (2), Tue 24 (3), Wed 25 (4), Thu 26 (5).
  EXPECT_EQ(DueDay(testing::VnTime(2026, 2, 12, 10, 0), LimitUnit::kWorkingDays, 5),
            D(2026, 2, 26));
  EXPECT_FALSE(*cal_->IsWorkingDay(D(2026, 2, 17)));
}

TEST_F(CalendarTest, Tet2027WeekendHolidaysGiveCompensatoryDays) {
  // Tết 5–9/2/2027 with Sat 6 and Sun 7 among them -> compensatory Wed 10 and Thu 11.
  // Wed 3/2 10:00, 3 working days: Thu 4 (1); 5–11 off; Fri 12 (2); Mon 15 (3).
  EXPECT_FALSE(*cal_->IsWorkingDay(D(2027, 2, 10)));
  EXPECT_FALSE(*cal_->IsWorkingDay(D(2027, 2, 11)));
  EXPECT_TRUE(*cal_->IsWorkingDay(D(2027, 2, 12)));
  EXPECT_EQ(DueDay(testing::VnTime(2027, 2, 3, 10, 0), LimitUnit::kWorkingDays, 3), D(2027, 2, 15));
}

TEST_F(CalendarTest, HolidayOnSundayIsTakenOnMonday) {
  // Hùng Kings' day 2026 is Sunday 26/4 -> Monday 27/4 off. Fri 24/4 10:00, 3 working days:
  // Mon 27 off; Tue 28 (1), Wed 29 (2); 30/4 and 1/5 holidays; 2–3 weekend; Mon 4/5 (3).
  EXPECT_FALSE(*cal_->IsWorkingDay(D(2026, 4, 27)));
  EXPECT_NE(cal_->DayOffReason(D(2026, 4, 27))->find("compensatory"), std::string::npos);
  EXPECT_EQ(DueDay(testing::VnTime(2026, 4, 24, 10, 0), LimitUnit::kWorkingDays, 3), D(2026, 5, 4));
}

TEST_F(CalendarTest, SwappedDaysCount) {
  // 2025: Saturday 26/4 worked, Friday 2/5 off.
  EXPECT_TRUE(*cal_->IsWorkingDay(D(2025, 4, 26)));
  EXPECT_FALSE(*cal_->IsWorkingDay(D(2025, 5, 2)));
  // Fri 25/4 10:00, 2 working days: Sat 26 (1), Mon 28 (2).
  EXPECT_EQ(DueDay(testing::VnTime(2025, 4, 25, 10, 0), LimitUnit::kWorkingDays, 2),
            D(2025, 4, 28));
  // Mon 28/4 10:00, 2 working days: Tue 29 (1); 30/4, 1/5, 2/5 off; 3–4 weekend; Mon 5/5 (2).
  EXPECT_EQ(DueDay(testing::VnTime(2025, 4, 28, 10, 0), LimitUnit::kWorkingDays, 2), D(2025, 5, 5));
}

TEST_F(CalendarTest, CalendarDaysEndingOnASaturdayMoveToTheNextWorkingDay) {
  // Complaint accepted Thu 2/1/2025, 30 days: day 30 is Sat 1/2 -> Mon 3/2 (Tết was 27–31/1).
  EXPECT_EQ(*cal_->AddCalendarDays(D(2025, 1, 2), 30), D(2025, 2, 3));
  // Accepted Fri 16/1/2026, 30 days: Sun 15/2 -> Tết 16–20, weekend 21–22 -> Mon 23/2.
  EXPECT_EQ(*cal_->AddCalendarDays(D(2026, 1, 16), 30), D(2026, 2, 23));
}

TEST_F(CalendarTest, WorkingHoursSkipLunchAndNights) {
  // Mon 10/3/2025 10:00 + 4 h: 10:00–11:30 (1.5), 13:30–16:00 (2.5) -> 16:00.
  auto due = cal_->ComputeDue(testing::VnTime(2025, 3, 10, 10, 0), {LimitUnit::kWorkingHours, 4});
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(due->deadline, testing::VnTime(2025, 3, 10, 16, 0));
  // Mon 12:00 (lunch) + 4 h: 13:30–17:00 (3.5), Tue 07:30–08:00 (0.5) -> Tue 08:00.
  due = cal_->ComputeDue(testing::VnTime(2025, 3, 10, 12, 0), {LimitUnit::kWorkingHours, 4});
  EXPECT_EQ(due->deadline, testing::VnTime(2025, 3, 11, 8, 0));
  // Mon 16:00: no 15:00 rule for hours (DOMAIN.md §2): Mon 16:00–17:00 (1), Tue 07:30–10:30
  // (3) -> Tue 10:30.
  due = cal_->ComputeDue(testing::VnTime(2025, 3, 10, 16, 0), {LimitUnit::kWorkingHours, 4});
  EXPECT_EQ(due->deadline, testing::VnTime(2025, 3, 11, 10, 30));
  EXPECT_EQ(due->day, D(2025, 3, 11));
}

TEST_F(CalendarTest, WorkingHoursCountFromReceiptNotFromTheFifteenHundredRule) {
  // DOMAIN.md §2's example: Mon 16:00 + 2 working hours: Mon 16:00–17:00 (1), Tue 07:30–08:30
  // (2) -> Tue 08:30 (the 15:00 rule would give 09:30).
  auto due = cal_->ComputeDue(testing::VnTime(2025, 3, 10, 16, 0), {LimitUnit::kWorkingHours, 2});
  ASSERT_TRUE(due.ok()) << due.status();
  EXPECT_EQ(due->deadline, testing::VnTime(2025, 3, 11, 8, 30));
  // Received after closing, Mon 18:00: from Tue's opening, 07:30–09:30 -> Tue 09:30.
  due = cal_->ComputeDue(testing::VnTime(2025, 3, 10, 18, 0), {LimitUnit::kWorkingHours, 2});
  EXPECT_EQ(due->deadline, testing::VnTime(2025, 3, 11, 9, 30));
  EXPECT_EQ(due->clock_start, D(2025, 3, 11));
  // Received Sat 15/3 (not a make-up day): from Mon 17/3 07:30 -> Mon 09:30.
  due = cal_->ComputeDue(testing::VnTime(2025, 3, 15, 10, 0), {LimitUnit::kWorkingHours, 2});
  EXPECT_EQ(due->deadline, testing::VnTime(2025, 3, 17, 9, 30));
  // The old reading stays available as a rule-set entry: Mon 16:00 -> deemed Tue, 07:30–09:30.
  due = cal_->ComputeDue(testing::VnTime(2025, 3, 10, 16, 0), {LimitUnit::kWorkingHours, 2},
                         Counting{.cutoff_applies_to_working_hours = true});
  EXPECT_EQ(due->deadline, testing::VnTime(2025, 3, 11, 9, 30));
}

TEST_F(CalendarTest, OnTheSpotIsDueTheEndOfTheWorkingDayOfReceipt) {
  // No 15:00 rule on the spot (DOMAIN.md §2): Mon 16:00 is still Monday, due at 24:00.
  EXPECT_EQ(DueDay(testing::VnTime(2025, 3, 10, 9, 0), LimitUnit::kOnTheSpot, 0), D(2025, 3, 10));
  auto due = cal_->ComputeDue(testing::VnTime(2025, 3, 10, 16, 0), {LimitUnit::kOnTheSpot, 0});
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(due->day, D(2025, 3, 10));
  EXPECT_EQ(due->deadline, testing::VnTime(2025, 3, 11, 0, 0)) << "24:00 of Monday";
  // After closing (17:00) or on a day off: the next working day.
  EXPECT_EQ(DueDay(testing::VnTime(2025, 3, 10, 17, 0), LimitUnit::kOnTheSpot, 0), D(2025, 3, 11));
  EXPECT_EQ(DueDay(testing::VnTime(2025, 3, 16, 9, 0), LimitUnit::kOnTheSpot, 0), D(2025, 3, 17));
  // Before opening on a working day: that day (the office opens later that day).
  EXPECT_EQ(DueDay(testing::VnTime(2025, 3, 10, 6, 30), LimitUnit::kOnTheSpot, 0), D(2025, 3, 10));
  // The old reading as a rule-set entry: Mon 16:00 -> deemed Tuesday.
  due = cal_->ComputeDue(testing::VnTime(2025, 3, 10, 16, 0), {LimitUnit::kOnTheSpot, 0},
                         Counting{.cutoff_applies_on_the_spot = true});
  EXPECT_EQ(due->day, D(2025, 3, 11));
}

TEST_F(CalendarTest, APeriodEndsAtMidnightOfItsLastDay) {
  // Civil Code Art. 148: Mon 10/3/2025 10:00 + 5 working days -> Mon 17/3, ending at 24:00.
  auto due = cal_->ComputeDue(testing::VnTime(2025, 3, 10, 10, 0), {LimitUnit::kWorkingDays, 5});
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(due->deadline, testing::VnTime(2025, 3, 18, 0, 0));
}

// Issue 19's "done when" cases, counted by hand.
TEST_F(CalendarTest, NewYear2026SwapMovesTheDueDate) {
  // Wed 31/12/2025 10:00, 3 working days: Thu 1/1 holiday, Fri 2/1 off (letter
  // 12729/VPCP-KGVX), 3–4 weekend; Mon 5 (1), Tue 6 (2), Wed 7 (3).
  EXPECT_EQ(DueDay(testing::VnTime(2025, 12, 31, 10, 0), LimitUnit::kWorkingDays, 3),
            D(2026, 1, 7));
  EXPECT_FALSE(*cal_->IsWorkingDay(D(2026, 1, 2)));
  EXPECT_TRUE(*cal_->IsWorkingDay(D(2026, 1, 10))) << "make-up Saturday";
}

TEST_F(CalendarTest, AMakeUpSaturdayIsAWorkingDayForEveryPurpose) {
  // Sat 22/8/2026 10:00 (make-up for Mon 31/8, Notice 9441/TB-BNV), 5 working days: received
  // that day, not counted; Mon 24 (1), Tue 25 (2), Wed 26 (3), Thu 27 (4), Fri 28 (5).
  EXPECT_EQ(DueDay(testing::VnTime(2026, 8, 22, 10, 0), LimitUnit::kWorkingDays, 5),
            D(2026, 8, 28));
  // The 15:00 rule applies on it: Sat 22/8 15:30 -> deemed Mon 24/8.
  EXPECT_EQ(*cal_->DeemedReceiptDay(testing::VnTime(2026, 8, 22, 15, 30)), D(2026, 8, 24));
  // Mon 31/8 off; 1–2/9 National Day.
  EXPECT_FALSE(*cal_->IsWorkingDay(D(2026, 8, 31)));
  // Fri 28/8 10:00, 1 working day: 29–30 weekend, 31/8 swapped, 1–2/9 holidays -> Thu 3/9.
  EXPECT_EQ(DueDay(testing::VnTime(2026, 8, 28, 10, 0), LimitUnit::kWorkingDays, 1), D(2026, 9, 3));
}

TEST_F(CalendarTest, HungKings2027IsFridaySixteenth) {
  EXPECT_FALSE(*cal_->IsWorkingDay(D(2027, 4, 16)));
  EXPECT_TRUE(*cal_->IsWorkingDay(D(2027, 4, 15)));
}

TEST_F(CalendarTest, ACountIntoAYearWithoutNoticeIsProvisional) {
  // Mon 20/12/2027 10:00, 15 working days: Tue 21 (1), Wed 22 (2), Thu 23 (3), Fri 24 (4),
  // Mon 27 (5), Tue 28 (6), Wed 29 (7), Thu 30 (8), Fri 31 (9); Sat 1/1/2028 New Year on a
  // Saturday -> Mon 3/1 compensatory (Art. 111); Tue 4 (10), Wed 5 (11), Thu 6 (12), Fri 7
  // (13), Mon 10 (14), Tue 11/1/2028 (15).
  auto due = cal_->ComputeDue(testing::VnTime(2027, 12, 20, 10, 0), {LimitUnit::kWorkingDays, 15});
  ASSERT_TRUE(due.ok()) << due.status();
  EXPECT_EQ(due->day, D(2028, 1, 11));
  EXPECT_TRUE(due->provisional);
  // A count inside an official year is not.
  due = cal_->ComputeDue(testing::VnTime(2026, 3, 10, 10, 0), {LimitUnit::kWorkingDays, 5});
  EXPECT_FALSE(due->provisional);
}

TEST_F(CalendarTest, SettledReadingsOfTheOneStopWindows) {
  // "Within 3 working days of intake", intake day not counted: Fri 13/2/2026; 16–20 Tết;
  // Mon 23 (1), Tue 24 (2), Wed 25 (3).
  EXPECT_EQ(*cal_->AddWorkingDays(D(2026, 2, 13), 3), D(2026, 2, 25));
  // "No later than 1 working day before the due date": due Mon 23/2/2026 -> Fri 13/2.
  EXPECT_EQ(*cal_->PreviousWorkingDay(D(2026, 2, 23)), D(2026, 2, 13));
  // Petition clocks (§3): the day of receipt not counted, no 15:00 rule. Received Fri
  // 13/2/2026 16:00, 10 working days: Mon 23 (1) ... Fri 27 (5), Mon 2/3 (6) ... Fri 6/3 (10).
  EXPECT_EQ(*cal_->AddWorkingDays(VietnamDay(testing::VnTime(2026, 2, 13, 16, 0)), 10),
            D(2026, 3, 6));
}

TEST_F(CalendarTest, AYearWithoutDataIsDerivedAndProvisional) {
  auto due = cal_->ComputeDue(testing::VnTime(2031, 3, 10, 10, 0), {LimitUnit::kWorkingDays, 5});
  ASSERT_TRUE(due.ok()) << due.status();
  EXPECT_EQ(due->day, D(2031, 3, 17));
  EXPECT_TRUE(due->provisional);
  EXPECT_TRUE(cal_->years().at(2099).derived);
  // Beyond the lunar algorithm's range, refused.
  due = cal_->ComputeDue(testing::VnTime(2201, 3, 10, 10, 0), {LimitUnit::kWorkingDays, 5});
  EXPECT_EQ(due.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(CalendarTest, WorkingDaysBetweenCountsTheDaysAfterTheStart) {
  // After Mon 10/3 up to Mon 17/3 2025: Tue, Wed, Thu, Fri, Mon = 5.
  EXPECT_EQ(*cal_->WorkingDaysBetween(D(2025, 3, 10), D(2025, 3, 17)), 5);
  EXPECT_EQ(*cal_->WorkingDaysBetween(D(2025, 3, 17), D(2025, 3, 10)), 0);
}

TEST(CalendarValidationTest, AYearMustListElevenHolidays) {
  YearCalendar y;
  y.year = 2030;
  y.holidays = {{absl::CivilDay(2030, 1, 1), "New Year"}};
  EXPECT_EQ(ValidateYear(y).code(), absl::StatusCode::kInvalidArgument);
}

TEST(CalendarValidationTest, AMakeUpDayMustBeAWeekendDay) {
  auto years = SeedYears();
  years[0].make_up_working_days = {{absl::CivilDay(2025, 3, 12), "a Wednesday"}};
  EXPECT_FALSE(WorkingCalendar::Create(years).ok());
}

// The lunar calendar against published tables.
// Tết: Hồ Ngọc Đức's yearly tables, "Âm lịch Việt Nam"
// (https://www.informatik.uni-leipzig.de/~duc/amlich/), which the Government's holiday notices
// follow (2025: Tết 29/1, letter 8726/VPCP-KGVX; 2026: Tết 17/2, Notice 9441/TB-BNV).
// 2030: the Vietnamese Tết is Sat 2/2/2030, not Sun 3/2 as Chinese tables give (Hong Kong
// Observatory, "Gregorian-Lunar Calendar Conversion Table" for 2030): the new moon falls
// between 16:00 and 17:00 UT on 2/2/2030 (F. Espenak, NASA "Six Millennium Catalog of Phases
// of the Moon"), i.e. before midnight in Vietnam (UTC+7) but after it in China (UTC+8). The
// issue's 3/2 is the Chinese date.
TEST(LunarTest, TetFirstDays) {
  const std::pair<int, absl::CivilDay> kTet[] = {
      {2024, D(2024, 2, 10)}, {2025, D(2025, 1, 29)}, {2026, D(2026, 2, 17)}, {2027, D(2027, 2, 6)},
      {2028, D(2028, 1, 26)}, {2029, D(2029, 2, 13)}, {2030, D(2030, 2, 2)},
  };
  for (const auto& [year, day] : kTet) EXPECT_EQ(LunarNewYear(year), day) << year;
  EXPECT_EQ(LunarNewYear(2030, 8), D(2030, 2, 3)) << "the Chinese calendar (UTC+8)";
  // Known historical differences with the Chinese calendar, discussed on the same site: 1985
  // (21/1 vs 20/2), 2007 (17/2 vs 18/2).
  EXPECT_EQ(LunarNewYear(1985), D(1985, 1, 21));
  EXPECT_EQ(LunarNewYear(1985, 8), D(1985, 2, 20));
  EXPECT_EQ(LunarNewYear(2007), D(2007, 2, 17));
  EXPECT_EQ(LunarNewYear(2007, 8), D(2007, 2, 18));
}

// Hùng Kings' day (10/3 lunar), same tables; 2025 and 2026 as the Government's notices give
// them (Mon 7/4/2025; Sun 26/4/2026).
TEST(LunarTest, HungKingsDays) {
  const std::pair<int, absl::CivilDay> kHung[] = {
      {2025, D(2025, 4, 7)}, {2026, D(2026, 4, 26)}, {2027, D(2027, 4, 16)},
      {2028, D(2028, 4, 4)}, {2029, D(2029, 4, 23)}, {2030, D(2030, 4, 12)},
  };
  for (const auto& [year, day] : kHung) EXPECT_EQ(HungKingsDay(year), day) << year;
  // Issue 19: computed in UTC, 2027's falls a day early.
  EXPECT_EQ(HungKingsDay(2027, 0), D(2027, 4, 15));
}

TEST(LunarTest, ConversionRoundTripsEveryDay) {
  for (absl::CivilDay d(2000, 1, 1); d < absl::CivilDay(2101, 1, 1); ++d) {
    const LunarDate l = ToLunar(d);
    auto back = FromLunar(l);
    ASSERT_TRUE(back.ok()) << absl::FormatCivilTime(d);
    ASSERT_EQ(*back, d) << absl::FormatCivilTime(d);
  }
  // 2023 had a leap 2nd month (Hồ Ngọc Đức's tables): 22/3/2023 = 1/2 nhuận.
  EXPECT_EQ(ToLunar(D(2023, 3, 22)), (LunarDate{1, 2, 2023, true}));
  EXPECT_FALSE(FromLunar({1, 5, 2023, true}).ok()) << "2023 has no leap 5th month";
}

TEST(DerivedYearTest, TwentyTwentyEightFromTheLabourCode) {
  auto y = DeriveYear(2028);
  ASSERT_TRUE(y.ok()) << y.status();
  EXPECT_TRUE(y->provisional);
  EXPECT_TRUE(y->derived);
  // Tết: Lunar New Year Wed 26/1/2028; the eve Tue 25/1 and 26–29/1.
  for (int d = 25; d <= 29; ++d) EXPECT_TRUE(y->holidays.contains(D(2028, 1, d))) << d;
  EXPECT_TRUE(y->holidays.contains(D(2028, 4, 4)));  // Hùng Kings' day, Tue
  // 2/9/2028 is a Saturday: the day before, Fri 1/9.
  EXPECT_TRUE(y->holidays.contains(D(2028, 9, 1)));
  auto cal = WorkingCalendar::Create({});
  ASSERT_TRUE(cal.ok());
  // Art. 111: Sat 1/1 -> Mon 3/1; Sat 29/1 (Tết) -> Mon 31/1; Sun 30/4 -> Tue 2/5 (Mon 1/5 is
  // itself a holiday); Sat 2/9 -> Mon 4/9.
  for (auto d : {D(2028, 1, 3), D(2028, 1, 31), D(2028, 5, 2), D(2028, 9, 4)}) {
    EXPECT_FALSE(*cal->IsWorkingDay(d)) << absl::FormatCivilTime(d);
    EXPECT_NE(cal->DayOffReason(d)->find("compensatory"), std::string::npos);
  }
  EXPECT_TRUE(*cal->IsWorkingDay(D(2028, 2, 1)));
}

TEST(DerivedYearTest, NationalDaysSecondDayKeepsTheWeekendClose) {
  // 2/9/2027 is a Thursday: Friday 3/9. 2/9/2026 a Wednesday: Tuesday 1/9 (as Notice 9441).
  EXPECT_TRUE(DeriveYear(2027)->holidays.contains(D(2027, 9, 3)));
  EXPECT_TRUE(DeriveYear(2026)->holidays.contains(D(2026, 9, 1)));
}

TEST(DerivedYearTest, EveryYearToTheCenturysEndIsDerived) {
  auto cal = WorkingCalendar::Create({});
  ASSERT_TRUE(cal.ok()) << cal.status();
  for (int year = 2021; year <= 2099; ++year) {
    auto y = DeriveYear(year);
    ASSERT_TRUE(y.ok()) << y.status();
    EXPECT_EQ(y->holidays.size(), 11u) << year;
    EXPECT_TRUE(ValidateYear(*y).ok()) << year;
    EXPECT_TRUE(cal->IsWorkingDay(absl::CivilDay(year, 6, 15)).ok()) << year;
  }
}

TEST(SeedTest, EachYearNamesItsSourcesAndStatus) {
  auto years = SeedYears();
  ASSERT_EQ(years.size(), 3u);
  EXPECT_FALSE(years[0].provisional);
  EXPECT_FALSE(years[1].provisional);
  ASSERT_EQ(years[1].sources.size(), 2u);
  EXPECT_EQ(years[1].sources[0].reference, "Notice 9441/TB-BNV");
  EXPECT_EQ(years[1].sources[0].issued, D(2025, 10, 16));
  EXPECT_EQ(years[1].sources[1].reference, "Government Office letter 12729/VPCP-KGVX");
  EXPECT_EQ(years[1].sources[1].issued, D(2025, 12, 25));
  // 2027 has no notice yet: the Labour Code's derivation, provisional.
  EXPECT_TRUE(years[2].provisional);
  EXPECT_EQ(years[2].holidays, DeriveYear(2027)->holidays);
  EXPECT_TRUE(years[2].holidays.contains(D(2027, 4, 16)));
}

}  // namespace
}  // namespace localgov::calendar

// Hand-computed due dates (DOMAIN.md §2). Every expected date below was counted by hand on a
// printed calendar; the comments show the count.
#include "common/calendar/calendar.h"

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
  // Mon 16:00 is after 15:00 -> starts Tue 07:30; + 4 h -> Tue 11:30.
  due = cal_->ComputeDue(testing::VnTime(2025, 3, 10, 16, 0), {LimitUnit::kWorkingHours, 4});
  EXPECT_EQ(due->deadline, testing::VnTime(2025, 3, 11, 11, 30));
  EXPECT_EQ(due->day, D(2025, 3, 11));
}

TEST_F(CalendarTest, OnTheSpotIsDueTheDeemedReceiptDay) {
  EXPECT_EQ(DueDay(testing::VnTime(2025, 3, 10, 9, 0), LimitUnit::kOnTheSpot, 0), D(2025, 3, 10));
  EXPECT_EQ(DueDay(testing::VnTime(2025, 3, 10, 16, 0), LimitUnit::kOnTheSpot, 0), D(2025, 3, 11));
}

TEST_F(CalendarTest, AYearWithoutDataIsRefusedNotGuessed) {
  auto due = cal_->ComputeDue(testing::VnTime(2031, 3, 10, 10, 0), {LimitUnit::kWorkingDays, 5});
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

}  // namespace
}  // namespace localgov::calendar

#ifndef LOCALGOV_COMMON_CALENDAR_LAW_H_
#define LOCALGOV_COMMON_CALENDAR_LAW_H_

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/calendar/calendar.h"
#include "common/statute.h"

namespace localgov::calendar {

// The holidays' names, as the calendar shows them.
inline constexpr const char* kNewYearName = "Tết Dương lịch (New Year's Day)";
inline constexpr const char* kTetName = "Tết Nguyên đán (Lunar New Year)";
inline constexpr const char* kHungKingsName = "Giỗ Tổ Hùng Vương (Hùng Kings' day, 10/3 lunar)";
inline constexpr const char* kReunificationName = "Ngày Chiến thắng (30 April)";
inline constexpr const char* kLabourDayName = "Quốc tế Lao động (1 May)";
inline constexpr const char* kNationalDayName = "Quốc khánh (National Day)";

// The public holidays the Labour Code gives, by the day its version came into force. The
// number of holidays is data of a rule set, not a constant (DOMAIN.md §2: a 12th, 24 November,
// has been proposed): a new law is a new entry here.
struct HolidayLaw {
  absl::CivilDay in_force_from;
  std::string basis;
  int new_year_days = 1;       // 1 January
  int tet_days = 5;            // Lunar New Year
  int hung_kings_days = 1;     // 10th of the 3rd lunar month
  int reunification_days = 1;  // 30 April
  int labour_day_days = 1;     // 1 May
  int national_day_days = 2;   // 2 September, plus the day before or after when 2
  int PublicHolidays() const {
    return new_year_days + tet_days + hung_kings_days + reunification_days + labour_day_days +
           national_day_days;
  }
};

// The laws in order: Labour Code 2012 (10/2012/QH13) Art. 115 from 2013-05-01, Labour Code 2019
// (45/2019/QH14) Art. 112 from 2021-01-01.
const std::vector<HolidayLaw>& HolidayLaws();
// The law in force on 1 January of `year` (nullptr before the first).
const HolidayLaw* HolidayLawFor(int year);

// Years the calendar can derive from the law when no data is stored: from the first year fully
// under a Labour Code in this table to the end of the lunar algorithm's range.
inline constexpr int kFirstDerivedYear = 2014;
inline constexpr int kLastDerivedYear = 2200;

// A year derived on demand from the Labour Code (DOMAIN.md §2), marked provisional and derived:
//  - the fixed days: 1/1, 30/4, 1/5, 2/9;
//  - Tết: the five days the law gives, taken as in recent practice: the eve (the last day of
//    the lunar year) and the first four days of the new year (2026: 16–20/2, Notice
//    9441/TB-BNV). The Prime Minister may choose other days each year; the official notice
//    replaces these when it is applied;
//  - Hùng Kings' day: 10/3 lunar;
//  - National Day's second day: the day before 2/9, except when 2/9 is a Thursday (then Friday
//    3/9, keeping the days off next to the weekend: 2025 Tue → Mon 1/9, 2026 Wed → Tue 1/9);
//  - lunar dates in Vietnam time (UTC+7);
//  - compensatory days for holidays on a weekend are left to WorkingCalendar (Art. 111).
// FAILED_PRECONDITION outside kFirstDerivedYear..kLastDerivedYear.
absl::StatusOr<YearCalendar> DeriveYear(int year);

// The statutory numbers and settled readings of the working-day calendar, for docs/rules.md.
std::vector<StatuteEntry> CalendarStatutes();

}  // namespace localgov::calendar

#endif  // LOCALGOV_COMMON_CALENDAR_LAW_H_

#ifndef LOCALGOV_COMMON_CALENDAR_LUNAR_H_
#define LOCALGOV_COMMON_CALENDAR_LUNAR_H_

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace localgov::calendar {

// The Vietnamese lunisolar calendar (âm lịch), for the two public holidays the Labour Code
// 2019 Art. 112 fixes by it: Tết Nguyên đán (1st of the 1st lunar month) and Hùng Kings' day
// (10th of the 3rd lunar month).
//
// The calendar is astronomical: a month starts on the day (local time) that contains the new
// moon; the 11th month contains the winter solstice; a leap year's leap month is the first
// month without a major solar term. The day boundaries are those of the country's time zone,
// and Vietnam uses UTC+7 (DOMAIN.md §2): computed in UTC+8 (the Chinese calendar) or in UTC,
// some new moons fall on a different day — e.g. Hùng Kings' day 2027 is Fri 16/4 at UTC+7 and
// Thu 15/4 at UTC+0.
//
// The algorithm is Hồ Ngọc Đức's published one ("Thuật toán tính âm lịch",
// https://www.informatik.uni-leipzig.de/~duc/amlich/): new moons and the sun's longitude from
// Jean Meeus, "Astronomical Algorithms" (1998), simplified; accurate for 1800–2200.
inline constexpr double kVietnamUtcOffsetHours = 7.0;
inline constexpr int kFirstLunarYear = 1800;
inline constexpr int kLastLunarYear = 2200;

struct LunarDate {
  int day = 0;    // 1..30
  int month = 0;  // 1..12
  int year = 0;   // the lunar year, numbered as the solar year in which it mostly falls
  bool leap = false;
  friend bool operator==(const LunarDate&, const LunarDate&) = default;
};

// The lunar date of a solar day.
LunarDate ToLunar(absl::CivilDay day, double utc_offset_hours = kVietnamUtcOffsetHours);

// The solar day of a lunar date; INVALID_ARGUMENT for a leap month the year does not have or a
// year out of range.
absl::StatusOr<absl::CivilDay> FromLunar(const LunarDate& date,
                                         double utc_offset_hours = kVietnamUtcOffsetHours);

// The first day of the lunar year that starts in solar `year` (Tết), and Hùng Kings' day.
absl::CivilDay LunarNewYear(int year, double utc_offset_hours = kVietnamUtcOffsetHours);
absl::CivilDay HungKingsDay(int year, double utc_offset_hours = kVietnamUtcOffsetHours);

}  // namespace localgov::calendar

#endif  // LOCALGOV_COMMON_CALENDAR_LUNAR_H_

#include "common/calendar/lunar.h"

#include <cmath>
#include <numbers>

#include "absl/strings/str_cat.h"

namespace localgov::calendar {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kRad = kPi / 180.0;
// Mean length of a synodic month, days; and the Julian day of the new moon of 1900-01-01 that
// Hồ Ngọc Đức's algorithm counts new moons from.
constexpr double kSynodicMonth = 29.530588853;
constexpr double kNewMoonEpoch = 2415021.076998695;

// Julian day number (the integer day, as in the algorithm) of a Gregorian day.
int64_t JulianDay(absl::CivilDay d) { return 2451545 + (d - absl::CivilDay(2000, 1, 1)); }
absl::CivilDay FromJulianDay(int64_t jd) { return absl::CivilDay(2000, 1, 1) + (jd - 2451545); }

int64_t Floor(double x) { return static_cast<int64_t>(std::floor(x)); }

// The instant (Julian day, UT) of the k-th new moon after the epoch.
double NewMoon(int64_t k) {
  const double t = static_cast<double>(k) / 1236.85;
  const double t2 = t * t;
  const double t3 = t2 * t;
  double jd1 =
      2415020.75933 + 29.53058868 * static_cast<double>(k) + 0.0001178 * t2 - 0.000000155 * t3;
  jd1 += 0.00033 * std::sin((166.56 + 132.87 * t - 0.009173 * t2) * kRad);
  const double m = 359.2242 + 29.10535608 * static_cast<double>(k) - 0.0000333 * t2 -
                   0.00000347 * t3;  // the sun's mean anomaly
  const double mpr = 306.0253 + 385.81691806 * static_cast<double>(k) + 0.0107306 * t2 +
                     0.00001236 * t3;  // the moon's mean anomaly
  const double f = 21.2964 + 390.67050646 * static_cast<double>(k) - 0.0016528 * t2 -
                   0.00000239 * t3;  // the moon's argument of latitude
  double c1 = (0.1734 - 0.000393 * t) * std::sin(m * kRad) + 0.0021 * std::sin(2 * kRad * m);
  c1 = c1 - 0.4068 * std::sin(mpr * kRad) + 0.0161 * std::sin(kRad * 2 * mpr);
  c1 = c1 - 0.0004 * std::sin(kRad * 3 * mpr);
  c1 = c1 + 0.0104 * std::sin(kRad * 2 * f) - 0.0051 * std::sin(kRad * (m + mpr));
  c1 = c1 - 0.0074 * std::sin(kRad * (m - mpr)) + 0.0004 * std::sin(kRad * (2 * f + m));
  c1 = c1 - 0.0004 * std::sin(kRad * (2 * f - m)) - 0.0006 * std::sin(kRad * (2 * f + mpr));
  c1 = c1 + 0.0010 * std::sin(kRad * (2 * f - mpr)) + 0.0005 * std::sin(kRad * (2 * mpr + m));
  double delta_t;  // ΔT, days
  if (t < -11) {
    delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3;
  } else {
    delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2;
  }
  return jd1 + c1 - delta_t;
}

// The sun's apparent longitude, radians in [0, 2π), at Julian day `jdn` (UT).
double SunLongitude(double jdn) {
  const double t = (jdn - 2451545.0) / 36525;
  const double t2 = t * t;
  const double m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
  const double l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
  double dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * std::sin(kRad * m);
  dl = dl + (0.019993 - 0.000101 * t) * std::sin(kRad * 2 * m) + 0.000290 * std::sin(kRad * 3 * m);
  double l = (l0 + dl) * kRad;
  l = l - kPi * 2 * std::floor(l / (kPi * 2));
  return l;
}

// The day (local midnight-to-midnight, Julian day number) that contains the k-th new moon.
int64_t NewMoonDay(int64_t k, double tz) { return Floor(NewMoon(k) + 0.5 + tz / 24); }

// Which of the 12 major solar terms (30° each) the sun is in at the start of local day `jdn`.
int SunSector(int64_t jdn, double tz) {
  return static_cast<int>(Floor(SunLongitude(static_cast<double>(jdn) - 0.5 - tz / 24) / kPi * 6));
}

// The first day of the 11th lunar month (the one with the winter solstice) of solar `year`.
int64_t LunarMonth11(int year, double tz) {
  const int64_t off = JulianDay(absl::CivilDay(year, 12, 31)) - 2415021;
  const int64_t k = Floor(static_cast<double>(off) / kSynodicMonth);
  int64_t nm = NewMoonDay(k, tz);
  if (SunSector(nm, tz) >= 9) nm = NewMoonDay(k - 1, tz);
  return nm;
}

// In a leap year starting at month 11 `a11`: how many months after it the leap month comes
// (the first month whose start lies in the same solar term as the next one's).
int LeapMonthOffset(int64_t a11, double tz) {
  const int64_t k = Floor((static_cast<double>(a11) - kNewMoonEpoch) / kSynodicMonth + 0.5);
  int last = 0;
  int i = 1;
  int arc = SunSector(NewMoonDay(k + i, tz), tz);
  do {
    last = arc;
    ++i;
    arc = SunSector(NewMoonDay(k + i, tz), tz);
  } while (arc != last && i < 14);
  return i - 1;
}

}  // namespace

LunarDate ToLunar(absl::CivilDay day, double tz) {
  const int year = static_cast<int>(day.year());
  const int64_t jd = JulianDay(day);
  const int64_t k = Floor((static_cast<double>(jd) - kNewMoonEpoch) / kSynodicMonth);
  // The mean-month estimate `k` may be one month late near a new moon: step back until the
  // month starts on or before the day (the published version stops after one step, which
  // gives day 0 for e.g. 2054-05-07).
  int64_t month_start = NewMoonDay(k + 1, tz);
  for (int64_t back = k; month_start > jd; --back) month_start = NewMoonDay(back, tz);
  int64_t a11 = LunarMonth11(year, tz);
  int64_t b11 = a11;
  LunarDate out;
  if (a11 >= month_start) {
    out.year = year;
    a11 = LunarMonth11(year - 1, tz);
  } else {
    out.year = year + 1;
    b11 = LunarMonth11(year + 1, tz);
  }
  out.day = static_cast<int>(jd - month_start + 1);
  const int diff = static_cast<int>(Floor(static_cast<double>(month_start - a11) / 29));
  out.month = diff + 11;
  if (b11 - a11 > 365) {
    const int leap_diff = LeapMonthOffset(a11, tz);
    if (diff >= leap_diff) {
      out.month = diff + 10;
      out.leap = diff == leap_diff;
    }
  }
  if (out.month > 12) out.month -= 12;
  if (out.month >= 11 && diff < 4) out.year -= 1;
  return out;
}

absl::StatusOr<absl::CivilDay> FromLunar(const LunarDate& date, double tz) {
  if (date.year < kFirstLunarYear || date.year > kLastLunarYear || date.month < 1 ||
      date.month > 12 || date.day < 1 || date.day > 30) {
    return absl::InvalidArgumentError(
        absl::StrCat("lunar date ", date.day, "/", date.month, "/", date.year, " is out of range"));
  }
  int64_t a11, b11;
  if (date.month < 11) {
    a11 = LunarMonth11(date.year - 1, tz);
    b11 = LunarMonth11(date.year, tz);
  } else {
    a11 = LunarMonth11(date.year, tz);
    b11 = LunarMonth11(date.year + 1, tz);
  }
  const int64_t k = Floor(0.5 + (static_cast<double>(a11) - kNewMoonEpoch) / kSynodicMonth);
  int off = date.month - 11;
  if (off < 0) off += 12;
  if (b11 - a11 > 365) {
    const int leap_off = LeapMonthOffset(a11, tz);
    int leap_month = leap_off - 2;
    if (leap_month < 0) leap_month += 12;
    if (date.leap && date.month != leap_month) {
      return absl::InvalidArgumentError(
          absl::StrCat("lunar year ", date.year, " has no leap month ", date.month));
    }
    if (date.leap || off >= leap_off) off += 1;
  } else if (date.leap) {
    return absl::InvalidArgumentError(absl::StrCat("lunar year ", date.year, " has no leap month"));
  }
  const int64_t month_start = NewMoonDay(k + off, tz);
  return FromJulianDay(month_start + date.day - 1);
}

absl::CivilDay LunarNewYear(int year, double tz) {
  return *FromLunar({.day = 1, .month = 1, .year = year}, tz);
}

absl::CivilDay HungKingsDay(int year, double tz) {
  return *FromLunar({.day = 10, .month = 3, .year = year}, tz);
}

}  // namespace localgov::calendar

#include "common/calendar/calendar.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace localgov::calendar {
namespace {

// Labour Code 2019 Art. 112: 11 public holidays a year (1 Jan; 5 days of Tết; Hùng Kings'
// day; 30 Apr; 1 May; 2 Sep and the day before or after it).
constexpr int kPublicHolidaysPerYear = 11;

bool IsWeekend(absl::CivilDay d) {
  const auto wd = absl::GetWeekday(d);
  return wd == absl::Weekday::saturday || wd == absl::Weekday::sunday;
}

std::string Day(absl::CivilDay d) { return absl::FormatCivilTime(d); }

}  // namespace

absl::TimeZone VietnamTime() { return absl::FixedTimeZone(7 * 60 * 60); }

absl::CivilDay VietnamDay(absl::Time t) {
  return absl::CivilDay(absl::ToCivilSecond(t, VietnamTime()));
}

absl::Time WorkingCalendar::StartOf(absl::CivilDay day) {
  return absl::FromCivil(absl::CivilSecond(day), VietnamTime());
}

absl::Time WorkingCalendar::EndOf(absl::CivilDay day) { return StartOf(day + 1); }

absl::Status ValidateYear(const YearCalendar& y) {
  if (y.year < 2000 || y.year > 2200) {
    return absl::InvalidArgumentError(absl::StrCat("year ", y.year, " is out of range"));
  }
  auto in_year = [&](absl::CivilDay d) { return d.year() == y.year; };
  for (const auto& [d, name] : y.holidays) {
    if (!in_year(d))
      return absl::InvalidArgumentError(absl::StrCat("holiday ", Day(d), " is not in ", y.year));
  }
  if (static_cast<int>(y.holidays.size()) != kPublicHolidaysPerYear) {
    return absl::InvalidArgumentError(absl::StrCat(y.year, " lists ", y.holidays.size(),
                                                   " public holidays; the Labour Code gives ",
                                                   kPublicHolidaysPerYear));
  }
  for (const auto& [d, why] : y.swapped_days_off) {
    if (!in_year(d) || IsWeekend(d)) {
      return absl::InvalidArgumentError(
          absl::StrCat("swapped day off ", Day(d), " must be a weekday of ", y.year));
    }
  }
  for (const auto& [d, why] : y.make_up_working_days) {
    if (!in_year(d) || !IsWeekend(d)) {
      return absl::InvalidArgumentError(
          absl::StrCat("make-up working day ", Day(d), " must be a weekend day of ", y.year));
    }
    if (y.holidays.contains(d)) {
      return absl::InvalidArgumentError(
          absl::StrCat(Day(d), " is both a holiday and a make-up working day"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<WorkingCalendar> WorkingCalendar::Create(std::vector<YearCalendar> years,
                                                        WorkingHours hours) {
  WorkingCalendar cal;
  cal.hours_ = std::move(hours);
  for (auto& y : years) {
    if (auto st = ValidateYear(y); !st.ok()) return st;
    if (cal.years_.contains(y.year)) {
      return absl::InvalidArgumentError(absl::StrCat("year ", y.year, " given twice"));
    }
    const int year = y.year;
    cal.years_.emplace(year, std::move(y));
  }
  for (const auto& [year, y] : cal.years_) {
    for (const auto& [d, name] : y.holidays) {
      if (!IsWeekend(d)) cal.exceptions_[d] = {false, name};
    }
    for (const auto& [d, why] : y.swapped_days_off) cal.exceptions_[d] = {false, why};
    for (const auto& [d, why] : y.make_up_working_days) cal.exceptions_[d] = {true, ""};
  }
  // Labour Code 2019 Art. 111(3): a holiday on a weekly rest day is taken on the next working
  // day. In date order, each weekend holiday takes the first weekday that is not already off.
  for (const auto& [year, y] : cal.years_) {
    for (const auto& [d, name] : y.holidays) {
      if (!IsWeekend(d)) continue;
      absl::CivilDay c = d + 1;
      while (IsWeekend(c) || (cal.exceptions_.contains(c) && !cal.exceptions_[c].working)) ++c;
      cal.exceptions_[c] = {false,
                            absl::StrCat("compensatory day off for ", name, " (", Day(d), ")")};
    }
  }
  for (const auto& [from, to] : cal.hours_.intervals) {
    if (from < 0 || to > 24 * 60 || from >= to) {
      return absl::InvalidArgumentError("working hours must be increasing minutes of one day");
    }
  }
  return cal;
}

absl::StatusOr<WorkingCalendar::DayInfo> WorkingCalendar::Info(absl::CivilDay day) const {
  if (!years_.contains(static_cast<int>(day.year()))) {
    return absl::FailedPreconditionError(
        absl::StrCat("no working-day calendar for ", day.year(), "; an administrator must set it"));
  }
  auto it = exceptions_.find(day);
  if (it != exceptions_.end()) return it->second;
  if (IsWeekend(day)) {
    return DayInfo{false, absl::GetWeekday(day) == absl::Weekday::saturday ? "Saturday" : "Sunday"};
  }
  return DayInfo{true, ""};
}

absl::StatusOr<bool> WorkingCalendar::IsWorkingDay(absl::CivilDay day) const {
  auto info = Info(day);
  if (!info.ok()) return info.status();
  return info->working;
}

absl::StatusOr<std::string> WorkingCalendar::DayOffReason(absl::CivilDay day) const {
  auto info = Info(day);
  if (!info.ok()) return info.status();
  return info->reason;
}

absl::StatusOr<absl::CivilDay> WorkingCalendar::NextWorkingDay(absl::CivilDay day) const {
  // Tết plus weekends and compensatory days never exceed a few weeks.
  for (absl::CivilDay d = day + 1; d <= day + 60; ++d) {
    auto working = IsWorkingDay(d);
    if (!working.ok()) return working.status();
    if (*working) return d;
  }
  return absl::FailedPreconditionError(
      absl::StrCat("no working day within 60 days after ", Day(day)));
}

absl::StatusOr<absl::CivilDay> WorkingCalendar::PreviousWorkingDay(absl::CivilDay day) const {
  for (absl::CivilDay d = day - 1; d >= day - 60; --d) {
    auto working = IsWorkingDay(d);
    if (!working.ok()) return working.status();
    if (*working) return d;
  }
  return absl::FailedPreconditionError(
      absl::StrCat("no working day within 60 days before ", Day(day)));
}

absl::StatusOr<absl::CivilDay> WorkingCalendar::DeemedReceiptDay(absl::Time received,
                                                                 int cutoff_minutes) const {
  const auto local = absl::ToCivilSecond(received, VietnamTime());
  const absl::CivilDay day(local);
  auto working = IsWorkingDay(day);
  if (!working.ok()) return working.status();
  const absl::CivilSecond cutoff = absl::CivilSecond(day) + int64_t{cutoff_minutes} * 60;
  if (*working && local <= cutoff) return day;
  return NextWorkingDay(day);
}

absl::StatusOr<absl::CivilDay> WorkingCalendar::AddWorkingDays(absl::CivilDay start, int n) const {
  if (n < 0) return absl::InvalidArgumentError("a period cannot be negative");
  absl::CivilDay d = start;
  for (int counted = 0; counted < n;) {
    auto next = NextWorkingDay(d);
    if (!next.ok()) return next.status();
    d = *next;
    ++counted;
  }
  return d;
}

absl::StatusOr<absl::CivilDay> WorkingCalendar::AddCalendarDays(absl::CivilDay start, int n) const {
  if (n < 0) return absl::InvalidArgumentError("a period cannot be negative");
  const absl::CivilDay last = start + n;
  auto working = IsWorkingDay(last);
  if (!working.ok()) return working.status();
  if (*working) return last;
  return NextWorkingDay(last);
}

absl::StatusOr<int> WorkingCalendar::WorkingDaysBetween(absl::CivilDay from,
                                                        absl::CivilDay to) const {
  int n = 0;
  for (absl::CivilDay d = from + 1; d <= to; ++d) {
    auto working = IsWorkingDay(d);
    if (!working.ok()) return working.status();
    if (*working) ++n;
  }
  return n;
}

absl::StatusOr<absl::Time> WorkingCalendar::AddWorkingHours(absl::Time from, int hours) const {
  absl::Duration remaining = absl::Hours(hours);
  absl::CivilDay day(absl::ToCivilSecond(from, VietnamTime()));
  for (int guard = 0; guard < 400; ++guard, ++day) {
    auto working = IsWorkingDay(day);
    if (!working.ok()) return working.status();
    if (!*working) continue;
    for (const auto& [open, close] : hours_.intervals) {
      const absl::Time a = StartOf(day) + absl::Minutes(open);
      const absl::Time b = StartOf(day) + absl::Minutes(close);
      const absl::Time start = std::max(a, from);
      if (start >= b) continue;
      if (b - start >= remaining) return start + remaining;
      remaining -= b - start;
    }
  }
  return absl::FailedPreconditionError("working-hour limit runs past the calendar's data");
}

absl::StatusOr<Due> WorkingCalendar::ComputeDue(absl::Time received, Limit limit,
                                                int cutoff_minutes) const {
  if (limit.amount < 0) return absl::InvalidArgumentError("a limit cannot be negative");
  auto start = DeemedReceiptDay(received, cutoff_minutes);
  if (!start.ok()) return start.status();
  Due due;
  due.clock_start = *start;
  switch (limit.unit) {
    case LimitUnit::kWorkingDays: {
      auto d = AddWorkingDays(*start, limit.amount);
      if (!d.ok()) return d.status();
      due.day = *d;
      due.deadline = EndOf(*d);
      return due;
    }
    case LimitUnit::kCalendarDays: {
      auto d = AddCalendarDays(*start, limit.amount);
      if (!d.ok()) return d.status();
      due.day = *d;
      due.deadline = EndOf(*d);
      return due;
    }
    case LimitUnit::kWorkingHours: {
      // Moved by the 15:00 rule: the clock starts when the deemed receipt day opens.
      const absl::CivilDay received_day(absl::ToCivilSecond(received, VietnamTime()));
      const absl::Time from = *start == received_day ? received : StartOf(*start);
      auto t = AddWorkingHours(from, limit.amount);
      if (!t.ok()) return t.status();
      due.deadline = *t;
      due.day = absl::CivilDay(absl::ToCivilSecond(*t - absl::Nanoseconds(1), VietnamTime()));
      return due;
    }
    case LimitUnit::kOnTheSpot:
      due.day = *start;
      due.deadline = EndOf(*start);
      return due;
  }
  return absl::InvalidArgumentError("unknown limit unit");
}

absl::StatusOr<int> ParseClockTime(absl::string_view text) {
  int h = 0, m = 0;
  if (text.size() != 5 || text[2] != ':' || !absl::SimpleAtoi(text.substr(0, 2), &h) ||
      !absl::SimpleAtoi(text.substr(3, 2), &m) || h < 0 || h > 24 || m < 0 || m > 59 ||
      (h == 24 && m != 0)) {
    return absl::InvalidArgumentError(absl::StrCat("\"", text, "\" is not a time HH:MM"));
  }
  return h * 60 + m;
}

std::string FormatClockTime(int minutes) {
  return absl::StrFormat("%02d:%02d", minutes / 60, minutes % 60);
}

absl::StatusOr<WorkingHours> ParseWorkingHours(absl::string_view text) {
  WorkingHours hours;
  hours.intervals.clear();
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    part = absl::StripAsciiWhitespace(part);
    const std::vector<absl::string_view> ends = absl::StrSplit(part, '-');
    if (ends.size() != 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("\"", part, "\" is not an interval HH:MM-HH:MM"));
    }
    auto from = ParseClockTime(ends[0]);
    if (!from.ok()) return from.status();
    auto to = ParseClockTime(ends[1]);
    if (!to.ok()) return to.status();
    const int previous_end = hours.intervals.empty() ? -1 : hours.intervals.back().second;
    if (*from >= *to || *from < previous_end) {
      return absl::InvalidArgumentError(
          absl::StrCat("working hours must be increasing intervals of one day, not overlapping: \"",
                       part, "\""));
    }
    hours.intervals.emplace_back(*from, *to);
  }
  return hours;
}

std::string FormatWorkingHours(const WorkingHours& hours) {
  return absl::StrJoin(hours.intervals, ",", [](std::string* out, const auto& interval) {
    absl::StrAppend(out, FormatClockTime(interval.first), "-", FormatClockTime(interval.second));
  });
}

}  // namespace localgov::calendar

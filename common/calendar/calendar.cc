#include "common/calendar/calendar.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/calendar/law.h"

namespace localgov::calendar {
namespace {

bool IsWeekend(absl::CivilDay d) {
  const auto wd = absl::GetWeekday(d);
  return wd == absl::Weekday::saturday || wd == absl::Weekday::sunday;
}

std::string Day(absl::CivilDay d) { return absl::FormatCivilTime(d); }

// Every year the law derives, computed once per process (pure, and the same for every caller).
const std::map<int, YearCalendar>& DerivedYears() {
  static const auto* const years = [] {
    auto* out = new std::map<int, YearCalendar>();
    for (int y = kFirstDerivedYear; y <= kLastDerivedYear; ++y) {
      auto derived = DeriveYear(y);
      if (derived.ok()) out->emplace(y, std::move(*derived));
    }
    return out;
  }();
  return *years;
}

}  // namespace

absl::TimeZone VietnamTime() { return absl::FixedTimeZone(7 * 60 * 60); }

absl::CivilDay VietnamDay(absl::Time t) {
  return absl::CivilDay(absl::ToCivilSecond(t, VietnamTime()));
}

bool ParseDate(const std::string& text, absl::CivilDay* day) {
  return text.size() == 10 && absl::ParseCivilTime(text, day);
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
  const HolidayLaw* law = HolidayLawFor(y.year);
  if (law == nullptr) law = &HolidayLaws().front();
  if (static_cast<int>(y.holidays.size()) != law->PublicHolidays()) {
    return absl::InvalidArgumentError(absl::StrCat(y.year, " lists ", y.holidays.size(),
                                                   " public holidays; the ", law->basis, " gives ",
                                                   law->PublicHolidays()));
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
  for (const auto& [d, why] : y.compensatory_days_off) {
    if (!y.compensatory_days_fixed) break;
    if (d.year() < y.year || d.year() > y.year + 1 || IsWeekend(d) ||
        y.make_up_working_days.contains(d)) {
      return absl::InvalidArgumentError(absl::StrCat("compensatory day off ", Day(d),
                                                     " must be a weekday of ", y.year,
                                                     " (or early next year) not worked"));
    }
  }
  if (!y.compensatory_days_fixed && !y.compensatory_days_off.empty()) {
    return absl::InvalidArgumentError(
        "compensatory days off are listed only when the notice fixes them "
        "(compensatory_days_fixed); otherwise they are derived");
  }
  return absl::OkStatus();
}

absl::StatusOr<WorkingCalendar> WorkingCalendar::Create(std::vector<YearCalendar> years,
                                                        WorkingHours hours) {
  return Build(std::move(years), std::move(hours), /*derive=*/true);
}

absl::StatusOr<WorkingCalendar> WorkingCalendar::CreateExact(std::vector<YearCalendar> years,
                                                             WorkingHours hours) {
  return Build(std::move(years), std::move(hours), /*derive=*/false);
}

absl::StatusOr<WorkingCalendar> WorkingCalendar::Build(std::vector<YearCalendar> years,
                                                       WorkingHours hours, bool derive) {
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
  if (derive) {
    for (const auto& [year, y] : DerivedYears()) cal.years_.emplace(year, y);  // keeps stored
  }
  for (const auto& [year, y] : cal.years_) {
    for (const auto& [d, name] : y.holidays) {
      if (!IsWeekend(d)) cal.exceptions_[d] = {false, name};
    }
    for (const auto& [d, why] : y.swapped_days_off) cal.exceptions_[d] = {false, why};
    for (const auto& [d, why] : y.make_up_working_days) cal.exceptions_[d] = {true, ""};
  }
  for (const auto& [year, y] : cal.years_) {
    if (!y.compensatory_days_fixed) continue;
    for (const auto& [d, why] : y.compensatory_days_off) {
      cal.exceptions_[d] = {false, absl::StrCat("compensatory day off: ", why)};
      cal.compensatory_.insert(d);
    }
  }
  // Labour Code 2019 Art. 111(3): a holiday on a weekly rest day is taken on the next working
  // day. In date order, each weekend holiday takes the first weekday that is not already off.
  // Only where the year's data does not fix them (DOMAIN.md §2: the notice overrides).
  for (const auto& [year, y] : cal.years_) {
    if (y.compensatory_days_fixed) continue;
    for (const auto& [d, name] : y.holidays) {
      if (!IsWeekend(d)) continue;
      absl::CivilDay c = d + 1;
      while (IsWeekend(c) || (cal.exceptions_.contains(c) && !cal.exceptions_[c].working)) ++c;
      cal.exceptions_[c] = {false,
                            absl::StrCat("compensatory day off for ", name, " (", Day(d), ")")};
      cal.compensatory_.insert(c);
    }
  }
  for (const auto& [from, to] : cal.hours_.intervals) {
    if (from < 0 || to > 24 * 60 || from >= to) {
      return absl::InvalidArgumentError("working hours must be increasing minutes of one day");
    }
  }
  return cal;
}

std::map<absl::CivilDay, std::string> WorkingCalendar::CompensatoryDaysOff(int year) const {
  std::map<absl::CivilDay, std::string> out;
  auto it = years_.find(year);
  if (it == years_.end()) return out;
  if (it->second.compensatory_days_fixed) return it->second.compensatory_days_off;
  // Derived: the days this year's weekend holidays gave (possibly early next year).
  for (const absl::CivilDay d : compensatory_) {
    const auto& reason = exceptions_.at(d).reason;
    for (const auto& [h, name] : it->second.holidays) {
      if (IsWeekend(h) && reason.ends_with(absl::StrCat("(", Day(h), ")"))) out[d] = reason;
    }
  }
  return out;
}

bool WorkingCalendar::IsProvisional(int year) const {
  auto it = years_.find(year);
  return it == years_.end() || it->second.provisional;
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
  return ComputeDue(received, limit, Counting{.receipt_cutoff_minutes = cutoff_minutes});
}

absl::StatusOr<Due> WorkingCalendar::ComputeDue(absl::Time received, Limit limit,
                                                const Counting& counting) const {
  if (limit.amount < 0) return absl::InvalidArgumentError("a limit cannot be negative");
  if (limit.unit < LimitUnit::kWorkingDays || limit.unit > LimitUnit::kOnTheSpot) {
    return absl::InvalidArgumentError("unknown limit unit");
  }
  if (counting.period_end_minutes <= 0 || counting.period_end_minutes > 24 * 60) {
    return absl::InvalidArgumentError("a period ends within its last day");
  }
  auto deemed = DeemedReceiptDay(received, counting.receipt_cutoff_minutes);
  if (!deemed.ok()) return deemed.status();
  const absl::CivilSecond local = absl::ToCivilSecond(received, VietnamTime());
  const absl::CivilDay received_day(local);
  // The working day of the next office opening at or after receipt (for limits the 15:00 rule
  // does not govern): the day of receipt if it is a working day not yet closed.
  auto opening_day = [&]() -> absl::StatusOr<absl::CivilDay> {
    auto working = IsWorkingDay(received_day);
    if (!working.ok()) return working.status();
    const int last_close = hours_.intervals.empty() ? 24 * 60 : hours_.intervals.back().second;
    if (*working && local < absl::CivilSecond(received_day) + int64_t{last_close} * 60) {
      return received_day;
    }
    return NextWorkingDay(received_day);
  };
  Due due;
  due.clock_start = *deemed;
  auto end_of = [&](absl::CivilDay d) {
    return StartOf(d) + absl::Minutes(counting.period_end_minutes);
  };
  switch (limit.unit) {
    case LimitUnit::kWorkingDays: {
      auto d = AddWorkingDays(*deemed, limit.amount);
      if (!d.ok()) return d.status();
      due.day = *d;
      due.deadline = end_of(*d);
      break;
    }
    case LimitUnit::kCalendarDays: {
      auto d = AddCalendarDays(*deemed, limit.amount);
      if (!d.ok()) return d.status();
      due.day = *d;
      due.deadline = end_of(*d);
      break;
    }
    case LimitUnit::kWorkingHours: {
      absl::Time from = received;
      if (counting.cutoff_applies_to_working_hours) {
        // The 15:00 rule for hours: moved, the clock starts when the deemed day opens.
        if (*deemed != received_day) from = StartOf(*deemed);
      } else {
        auto open = opening_day();
        if (!open.ok()) return open.status();
        due.clock_start = *open;
      }
      auto t = AddWorkingHours(from, limit.amount);
      if (!t.ok()) return t.status();
      due.deadline = *t;
      due.day = absl::CivilDay(absl::ToCivilSecond(*t - absl::Nanoseconds(1), VietnamTime()));
      break;
    }
    case LimitUnit::kOnTheSpot: {
      if (!counting.cutoff_applies_on_the_spot) {
        auto open = opening_day();
        if (!open.ok()) return open.status();
        due.clock_start = *open;
      }
      due.day = due.clock_start;
      due.deadline = end_of(due.day);
      break;
    }
  }
  for (int y = static_cast<int>(received_day.year()); y <= due.day.year(); ++y) {
    due.provisional = due.provisional || IsProvisional(y);
  }
  return due;
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

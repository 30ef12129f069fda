#include "common/calendar/law.h"

#include "absl/strings/str_cat.h"
#include "common/calendar/lunar.h"

namespace localgov::calendar {

const std::vector<HolidayLaw>& HolidayLaws() {
  static const auto* const laws = new std::vector<HolidayLaw>{
      // Labour Code 2012 (10/2012/QH13) Art. 115, in force 2013-05-01: 10 days — 1/1, Tết 5,
      // Hùng Kings' day, 30/4, 1/5, 2/9.
      {.in_force_from = absl::CivilDay(2013, 5, 1),
       .basis = "Labour Code 2012 (10/2012/QH13) Art. 115",
       .national_day_days = 1},
      // Labour Code 2019 (45/2019/QH14) Art. 112, in force 2021-01-01: 11 days — National Day
      // gains the day before or after 2/9.
      {.in_force_from = absl::CivilDay(2021, 1, 1),
       .basis = "Labour Code 2019 (45/2019/QH14) Art. 112"},
  };
  return *laws;
}

const HolidayLaw* HolidayLawFor(int year) {
  const HolidayLaw* found = nullptr;
  for (const auto& law : HolidayLaws()) {
    if (law.in_force_from <= absl::CivilDay(year, 1, 1)) found = &law;
  }
  return found;
}

absl::StatusOr<YearCalendar> DeriveYear(int year) {
  const HolidayLaw* law = HolidayLawFor(year);
  if (year < kFirstDerivedYear || year > kLastDerivedYear || law == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no working-day calendar for ", year, ": the law is derived only for ", kFirstDerivedYear,
        "–", kLastDerivedYear, "; an administrator must set the year"));
  }
  YearCalendar y;
  y.year = year;
  y.provisional = true;
  y.derived = true;
  auto add = [&](absl::CivilDay d, const char* name) { y.holidays.emplace(d, name); };
  add(absl::CivilDay(year, 1, 1), kNewYearName);
  // Tết: the eve and the days after it, as many as the law gives (recent practice).
  const absl::CivilDay tet = LunarNewYear(year);
  for (int i = 0; i < law->tet_days; ++i) add(tet - 1 + i, kTetName);
  const absl::CivilDay hung = HungKingsDay(year);
  add(hung, kHungKingsName);
  add(absl::CivilDay(year, 4, 30), kReunificationName);
  add(absl::CivilDay(year, 5, 1), kLabourDayName);
  const absl::CivilDay national(year, 9, 2);
  add(national, kNationalDayName);
  if (law->national_day_days == 2) {
    add(absl::GetWeekday(national) == absl::Weekday::thursday ? national + 1 : national - 1,
        kNationalDayName);
  }
  if (static_cast<int>(y.holidays.size()) != law->PublicHolidays()) {
    // Hùng Kings' day on 30/4 or 1/5 (possible after a leap 2nd month): the law gives each
    // holiday its own day, and no rule says which to move. Not derived; an administrator sets
    // the year from the Prime Minister's notice.
    return absl::FailedPreconditionError(absl::StrCat(
        "no working-day calendar for ", year, ": Hùng Kings' day (", absl::FormatCivilTime(hung),
        ") falls on another holiday; an administrator "
        "must set the year from the official notice"));
  }
  y.source = absl::StrCat(
      "PROVISIONAL, derived from the ", law->basis,
      " and Art. 111 (compensatory days): Tết taken as the eve and the first ", law->tet_days - 1,
      " days (", absl::FormatCivilTime(tet - 1), " to ",
      absl::FormatCivilTime(tet + law->tet_days - 2), "), Hùng Kings' day ",
      absl::FormatCivilTime(hung),
      " (lunar dates in Vietnam time, UTC+7); replaced when the official notice is applied");
  y.sources.push_back({.reference = law->basis,
                       .issued = law->in_force_from,
                       .summary = "public holidays; derived, not an annual notice"});
  return y;
}

std::vector<StatuteEntry> CalendarStatutes() {
  std::vector<StatuteEntry> out;
  for (const auto& law : HolidayLaws()) {
    const std::string from = absl::FormatCivilTime(law.in_force_from);
    auto add = [&](std::string key, int value, std::string basis) {
      out.push_back(
          {law.basis, from, std::move(key), absl::StrCat(value), "days", std::move(basis)});
    };
    add("public_holidays", law.PublicHolidays(), "public holidays a year, in total");
    add("new_year_days", law.new_year_days, "1 January");
    add("tet_days", law.tet_days,
        "Lunar New Year; derived years take the eve and the days after (recent practice, "
        "provisional until the Prime Minister's notice)");
    add("hung_kings_days", law.hung_kings_days,
        "10th of the 3rd lunar month, Vietnam time (UTC+7)");
    add("reunification_days", law.reunification_days, "30 April");
    add("labour_day_days", law.labour_day_days, "1 May");
    add("national_day_days", law.national_day_days,
        law.national_day_days == 2
            ? "2 September and the day before or after (derived: before, Friday 3/9 when 2/9 is "
              "a Thursday)"
            : "2 September");
  }
  const std::string lc2019 = "Labour Code 2019 (45/2019/QH14)";
  out.push_back({lc2019, "2021-01-01", "compensatory_day_off", "next working day", "reading",
                 "Art. 111(3): a holiday on a weekly rest day is taken on the next working day; "
                 "computed only where the year's notice does not fix it (DOMAIN.md §2)"});
  out.push_back({"Decision 188/1999/QĐ-TTg (40-hour week)", "1999-10-02", "weekly_rest_days",
                 "Saturday, Sunday", "days of the week",
                 "civil servants' weekly rest days; a make-up working day (a Saturday worked in "
                 "exchange) is a working day for every purpose (DOMAIN.md §2)"});
  out.push_back({"Vietnamese lunar calendar", "1968-01-01", "lunar_time_zone",
                 absl::StrCat("UTC+", static_cast<int>(kVietnamUtcOffsetHours)), "time zone",
                 "Tết and Hùng Kings' day computed in Vietnam time, not UTC+8 (Chinese calendar) "
                 "nor UTC (DOMAIN.md §2); Hồ Ngọc Đức's algorithm"});
  return out;
}

}  // namespace localgov::calendar

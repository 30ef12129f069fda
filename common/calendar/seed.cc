#include "common/calendar/seed.h"

namespace localgov::calendar {
namespace {

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

constexpr const char* kNewYear = "Tết Dương lịch (New Year's Day)";
constexpr const char* kTet = "Tết Nguyên đán (Lunar New Year)";
constexpr const char* kHungKings = "Giỗ Tổ Hùng Vương (Hùng Kings' day, 10/3 lunar)";
constexpr const char* kReunification = "Ngày Chiến thắng (30 April)";
constexpr const char* kLabourDay = "Quốc tế Lao động (1 May)";
constexpr const char* kNationalDay = "Quốc khánh (National Day)";

}  // namespace

std::vector<YearCalendar> SeedYears() {
  std::vector<YearCalendar> years;

  YearCalendar y2025;
  y2025.year = 2025;
  y2025.source =
      "Labour Code 2019 Art. 112; Prime Minister's decision on 2025 Tết and 30/4–1/5 days as "
      "announced for civil servants (Tết 25/1–2/2; 2/5 off, worked on Saturday 26/4)";
  y2025.holidays = {
      {D(2025, 1, 1), kNewYear},     {D(2025, 1, 27), kTet},           {D(2025, 1, 28), kTet},
      {D(2025, 1, 29), kTet},        {D(2025, 1, 30), kTet},           {D(2025, 1, 31), kTet},
      {D(2025, 4, 7), kHungKings},   {D(2025, 4, 30), kReunification}, {D(2025, 5, 1), kLabourDay},
      {D(2025, 9, 1), kNationalDay}, {D(2025, 9, 2), kNationalDay},
  };
  y2025.swapped_days_off = {{D(2025, 5, 2), "swapped with Saturday 26/4/2025"}};
  y2025.make_up_working_days = {{D(2025, 4, 26), "make-up for Friday 2/5/2025"}};
  years.push_back(y2025);

  YearCalendar y2026;
  y2026.year = 2026;
  y2026.source =
      "Labour Code 2019 Art. 112; Prime Minister's decision on 2026 Tết (14/2–22/2) as announced "
      "for civil servants; Hùng Kings' day 10/3 lunar = Sunday 26/4 (compensatory Monday 27/4); "
      "second National Day day taken as 1/9";
  y2026.holidays = {
      {D(2026, 1, 1), kNewYear},     {D(2026, 2, 16), kTet},           {D(2026, 2, 17), kTet},
      {D(2026, 2, 18), kTet},        {D(2026, 2, 19), kTet},           {D(2026, 2, 20), kTet},
      {D(2026, 4, 26), kHungKings},  {D(2026, 4, 30), kReunification}, {D(2026, 5, 1), kLabourDay},
      {D(2026, 9, 1), kNationalDay}, {D(2026, 9, 2), kNationalDay},
  };
  years.push_back(y2026);

  YearCalendar y2027;
  y2027.year = 2027;
  y2027.provisional = true;
  y2027.source =
      "PROVISIONAL until the Prime Minister's decision: Lunar New Year Saturday 6/2/2027, Tết "
      "taken 5/2–9/2 (weekend days compensated 10–11/2); Hùng Kings' day 10/3 lunar = 15/4; "
      "1/5 on a Saturday (compensated Monday 3/5); National Day 2/9 and 3/9";
  y2027.holidays = {
      {D(2027, 1, 1), kNewYear},     {D(2027, 2, 5), kTet},
      {D(2027, 2, 6), kTet},         {D(2027, 2, 7), kTet},
      {D(2027, 2, 8), kTet},         {D(2027, 2, 9), kTet},
      {D(2027, 4, 15), kHungKings},  {D(2027, 4, 30), kReunification},
      {D(2027, 5, 1), kLabourDay},   {D(2027, 9, 2), kNationalDay},
      {D(2027, 9, 3), kNationalDay},
  };
  years.push_back(y2027);
  return years;
}

}  // namespace localgov::calendar

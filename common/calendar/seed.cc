#include "common/calendar/seed.h"

#include "common/calendar/law.h"

namespace localgov::calendar {
namespace {

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

}  // namespace

std::vector<YearCalendar> SeedYears() {
  std::vector<YearCalendar> years;

  // 2025: official.
  YearCalendar y2025;
  y2025.year = 2025;
  y2025.source =
      "Government Office letter 8726/VPCP-KGVX (26/11/2024), the Prime Minister's direction on "
      "2025's Tết and holidays: Tết 27–31/1 (civil servants off 25/1–2/2); Fri 2/5 off, worked "
      "on Sat 26/4. National Day Mon 1/9 and Tue 2/9 as applied in 2025 (its notice is not "
      "cited here yet)";
  y2025.sources = {
      {.reference = "Government Office letter 8726/VPCP-KGVX",
       .issued = D(2024, 11, 26),
       .summary = "Tết 27–31/1; Fri 2/5 off, worked on Sat 26/4"},
  };
  y2025.holidays = {
      {D(2025, 1, 1), kNewYearName},     {D(2025, 1, 27), kTetName},
      {D(2025, 1, 28), kTetName},        {D(2025, 1, 29), kTetName},
      {D(2025, 1, 30), kTetName},        {D(2025, 1, 31), kTetName},
      {D(2025, 4, 7), kHungKingsName},   {D(2025, 4, 30), kReunificationName},
      {D(2025, 5, 1), kLabourDayName},   {D(2025, 9, 1), kNationalDayName},
      {D(2025, 9, 2), kNationalDayName},
  };
  y2025.swapped_days_off = {{D(2025, 5, 2), "swapped with Saturday 26/4/2025"}};
  y2025.make_up_working_days = {{D(2025, 4, 26), "make-up for Friday 2/5/2025"}};
  y2025.compensatory_days_fixed = true;  // no holiday on a weekend
  years.push_back(y2025);

  // 2026: official (DOMAIN.md §2 names the sources).
  YearCalendar y2026;
  y2026.year = 2026;
  y2026.source =
      "Notice 9441/TB-BNV (16/10/2025): Tết 16–20/2 (civil servants off 14–22/2), National Day "
      "1–2/9 plus Mon 31/8 off, worked back on Sat 22/8; Government Office letter "
      "12729/VPCP-KGVX (25/12/2025): Fri 2/1 off, worked back on Sat 10/1; Hùng Kings' day Sun "
      "26/4, Mon 27/4 off (Labour Code 2019 Art. 111)";
  y2026.sources = {
      {.reference = "Notice 9441/TB-BNV",
       .issued = D(2025, 10, 16),
       .summary = "Tết 16–20/2; National Day 1–2/9; Mon 31/8 off, worked back on Sat 22/8"},
      {.reference = "Government Office letter 12729/VPCP-KGVX",
       .issued = D(2025, 12, 25),
       .summary = "Fri 2/1 off, worked back on Sat 10/1"},
  };
  y2026.holidays = {
      {D(2026, 1, 1), kNewYearName},     {D(2026, 2, 16), kTetName},
      {D(2026, 2, 17), kTetName},        {D(2026, 2, 18), kTetName},
      {D(2026, 2, 19), kTetName},        {D(2026, 2, 20), kTetName},
      {D(2026, 4, 26), kHungKingsName},  {D(2026, 4, 30), kReunificationName},
      {D(2026, 5, 1), kLabourDayName},   {D(2026, 9, 1), kNationalDayName},
      {D(2026, 9, 2), kNationalDayName},
  };
  y2026.swapped_days_off = {
      {D(2026, 1, 2), "New Year: swapped with Saturday 10/1/2026 (letter 12729/VPCP-KGVX)"},
      {D(2026, 8, 31), "National Day: swapped with Saturday 22/8/2026 (Notice 9441/TB-BNV)"},
  };
  y2026.make_up_working_days = {
      {D(2026, 1, 10), "make-up for Friday 2/1/2026 (letter 12729/VPCP-KGVX)"},
      {D(2026, 8, 22), "make-up for Monday 31/8/2026 (Notice 9441/TB-BNV)"},
  };
  y2026.compensatory_days_fixed = true;
  y2026.compensatory_days_off = {
      {D(2026, 4, 27), "for Hùng Kings' day on Sunday 26/4/2026 (Labour Code 2019 Art. 111)"}};
  years.push_back(y2026);

  // 2027: no notice yet — the Labour Code's derivation (law.h), stored as provisional data so
  // that an administrator sees and replaces it. Tết 5–9/2 (Lunar New Year Sat 6/2; the
  // weekend days compensated Wed 10 and Thu 11/2), Hùng Kings' day Fri 16/4 (10/3 lunar in
  // UTC+7; 15/4 is what UTC gives), 1/5 a Saturday (Mon 3/5 off), National Day Thu 2/9 and
  // Fri 3/9.
  auto y2027 = DeriveYear(2027);
  y2027->derived = false;
  years.push_back(*y2027);
  return years;
}

}  // namespace localgov::calendar

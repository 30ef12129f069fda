#ifndef LOCALGOV_COMMON_CALENDAR_SEED_H_
#define LOCALGOV_COMMON_CALENDAR_SEED_H_

#include <vector>

#include "common/calendar/calendar.h"

namespace localgov::calendar {

// The calendars seeded for 2025, 2026 and 2027, each naming its sources (notice numbers and
// dates) and its status: 2025 and 2026 official; 2027 provisional (derived from the Labour
// Code) until an administrator applies the Prime Minister's notice (ApplyCalendarNotice).
// Later years need no seed: they are derived on demand (law.h).
//
// kSeedRevision counts corrections of this data. At start the dossier service replaces a stored
// year that an earlier seed wrote and nobody has edited since (CalendarService::SeedYears).
inline constexpr int kSeedRevision = 2;
std::vector<YearCalendar> SeedYears();

}  // namespace localgov::calendar

#endif  // LOCALGOV_COMMON_CALENDAR_SEED_H_

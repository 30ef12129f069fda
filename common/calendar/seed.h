#ifndef LOCALGOV_COMMON_CALENDAR_SEED_H_
#define LOCALGOV_COMMON_CALENDAR_SEED_H_

#include <vector>

#include "common/calendar/calendar.h"

namespace localgov::calendar {

// The calendars seeded for 2025, 2026 and 2027. Each year names its source; 2027's Tết,
// Hùng Kings' and National Day dates are provisional until the Prime Minister's decision and
// must be confirmed by an administrator (SetCalendarYear) when it is published.
std::vector<YearCalendar> SeedYears();

}  // namespace localgov::calendar

#endif  // LOCALGOV_COMMON_CALENDAR_SEED_H_

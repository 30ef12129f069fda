#ifndef LOCALGOV_COMMON_CALENDAR_CALENDAR_PROTO_H_
#define LOCALGOV_COMMON_CALENDAR_CALENDAR_PROTO_H_

#include "absl/status/statusor.h"
#include "common/calendar/calendar.h"
#include "localgov/dossier/v1/dossier_service.pb.h"

namespace localgov::calendar {

// A year of the working-day calendar as the dossier service's calendar RPCs carry it
// (SetCalendarYear, ApplyCalendarNotice, and GetCalendarYear read by the petition service's
// copy); INVALID_ARGUMENT with field violations under "calendar.".
absl::StatusOr<YearCalendar> YearFromProto(const dossier::v1::CalendarYear& p);

}  // namespace localgov::calendar

#endif  // LOCALGOV_COMMON_CALENDAR_CALENDAR_PROTO_H_

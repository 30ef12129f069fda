#ifndef LOCALGOV_SERVICES_DOSSIER_CALENDAR_GRPC_H_
#define LOCALGOV_SERVICES_DOSSIER_CALENDAR_GRPC_H_

#include "absl/status/statusor.h"
#include "common/calendar/calendar.h"
#include "localgov/dossier/v1/dossier_service.pb.h"
#include "services/dossier/calendar_service.h"
#include "services/dossier/calendar_store.h"

namespace localgov::dossier {

// The calendar's messages, translated (the gRPC adapter's part for the calendar RPCs).

// A stored or derived year, with its effective compensatory days.
void CalendarYearToProto(const StoredYear& s, v1::CalendarYear* out);
// A year as given by an administrator; INVALID_ARGUMENT with field violations under
// "calendar.".
absl::StatusOr<calendar::YearCalendar> CalendarYearFromProto(const v1::CalendarYear& p);
void NoticeReportToProto(const CalendarService::NoticeReport& r,
                         v1::ApplyCalendarNoticeResponse* out);

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_CALENDAR_GRPC_H_

#ifndef LOCALGOV_SERVICES_DOSSIER_CONVERT_H_
#define LOCALGOV_SERVICES_DOSSIER_CONVERT_H_

#include "absl/time/time.h"
#include "common/calendar/calendar.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"
#include "localgov/dossier/v1/procedure.pb.h"

namespace localgov::dossier {

inline google::protobuf::Timestamp ToProto(absl::Time t) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

inline absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(google::protobuf::util::TimeUtil::TimestampToMicroseconds(t));
}

// A procedure's time limit as the calendar counts it.
inline calendar::Limit ToLimit(const v1::TimeLimit& l) {
  calendar::LimitUnit unit = calendar::LimitUnit::kWorkingDays;
  switch (l.unit()) {
    case v1::LIMIT_UNIT_CALENDAR_DAYS:
      unit = calendar::LimitUnit::kCalendarDays;
      break;
    case v1::LIMIT_UNIT_WORKING_HOURS:
      unit = calendar::LimitUnit::kWorkingHours;
      break;
    case v1::LIMIT_UNIT_ON_THE_SPOT:
      unit = calendar::LimitUnit::kOnTheSpot;
      break;
    default:
      break;
  }
  return {unit, l.amount()};
}

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_CONVERT_H_

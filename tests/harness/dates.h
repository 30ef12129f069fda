#ifndef LOCALGOV_TESTS_HARNESS_DATES_H_
#define LOCALGOV_TESTS_HARNESS_DATES_H_

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/calendar/calendar.h"

namespace localgov::testing {

// An instant given in Vietnam local time, as the hand-computed cases are written.
inline absl::Time VnTime(int y, int m, int d, int hh, int mm, int ss = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, ss), calendar::VietnamTime());
}

}  // namespace localgov::testing

#endif  // LOCALGOV_TESTS_HARNESS_DATES_H_

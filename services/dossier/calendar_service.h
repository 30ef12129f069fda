#ifndef LOCALGOV_SERVICES_DOSSIER_CALENDAR_SERVICE_H_
#define LOCALGOV_SERVICES_DOSSIER_CALENDAR_SERVICE_H_

#include <memory>
#include <mutex>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "common/calendar/calendar.h"
#include "common/clock.h"
#include "common/db/pool.h"
#include "common/rpc.h"
#include "services/dossier/calendar_store.h"

namespace localgov::dossier {

// The working-day calendar's use cases: read and replace a year, compute due dates. Free of
// gRPC; all SQL in CalendarStore. Due dates use an in-memory calendar reloaded from the
// database after a local change and at most kCacheTtl after another replica's change.
class CalendarService final {
 public:
  static constexpr absl::Duration kCacheTtl = absl::Seconds(30);

  CalendarService(PgPool& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Stores the seeded years that are missing (never overwrites an edited year).
  absl::Status SeedMissingYears(const std::vector<calendar::YearCalendar>& years);

  absl::StatusOr<StoredYear> GetYear(int year);
  // INVALID_ARGUMENT with field violations under `field_prefix` for bad data; ABORTED when
  // `expected_version` is stale; audited.
  absl::StatusOr<StoredYear> SetYear(const CallContext& call, const calendar::YearCalendar& year,
                                     int64_t expected_version);
  absl::StatusOr<calendar::Due> ComputeDue(absl::Time received, calendar::Limit limit);
  // Office hours for limits in working hours (LOCALGOV_WORKING_HOURS); before serving.
  void SetWorkingHours(calendar::WorkingHours hours) {
    hours_ = std::move(hours);
    Invalidate();
  }
  // The calendar itself (for listing days off between two dates).
  absl::StatusOr<std::shared_ptr<const calendar::WorkingCalendar>> Calendar();

 private:
  void Invalidate();

  PgPool& db_;
  const Clock& clock_;
  calendar::WorkingHours hours_;
  std::mutex mu_;
  std::shared_ptr<const calendar::WorkingCalendar> cached_ ABSL_GUARDED_BY(mu_);
  absl::Time loaded_at_ ABSL_GUARDED_BY(mu_);
};

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_CALENDAR_SERVICE_H_

#ifndef LOCALGOV_SERVICES_DOSSIER_CALENDAR_SERVICE_H_
#define LOCALGOV_SERVICES_DOSSIER_CALENDAR_SERVICE_H_

#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "common/calendar/calendar.h"
#include "common/calendar/seed.h"
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

  // Stores the seeded years that are missing, and replaces a year an older revision of the seed
  // wrote that nobody has edited since (audited as the system); never overwrites an edited year.
  absl::Status SeedMissingYears(const std::vector<calendar::YearCalendar>& years,
                                int seed_revision = calendar::kSeedRevision);

  // The stored year, or — none stored — the year derived from the Labour Code (version 0,
  // derived, provisional). NOT_FOUND only outside the range the law can be derived for.
  absl::StatusOr<StoredYear> GetYear(int year);
  // INVALID_ARGUMENT with field violations under `field_prefix` for bad data; ABORTED when
  // `expected_version` is stale; audited.
  absl::StatusOr<StoredYear> SetYear(const CallContext& call, const calendar::YearCalendar& year,
                                     int64_t expected_version);
  // Applies a year's official notice (DOMAIN.md §2: it overrides anything derived): the year
  // becomes official (not provisional) with the notice among its sources. Dates already given
  // to citizens stay — an appointment slip is not re-issued by a change of calendar — and every
  // computation from now on uses the notice; the report lists the open dossiers whose
  // appointment now falls on a day off, for the agency to act on (return early, or apologise
  // and set a new date). One transaction, audited. INVALID_ARGUMENT with field violations;
  // ABORTED when `expected_version` is stale (0 for a year not stored, i.e. derived).
  struct NoticeReport {
    StoredYear stored;
    std::map<absl::CivilDay, std::string> new_days_off;  // with why each is off now
    std::vector<absl::CivilDay> new_working_days;
    std::vector<OpenAppointment> affected;  // open dossiers due on a new day off
  };
  absl::StatusOr<NoticeReport> ApplyNotice(const CallContext& call,
                                           const calendar::YearCalendar& year,
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
  // The calendar of `stored` with `year` in place of its stored or derived version.
  absl::StatusOr<calendar::WorkingCalendar> With(std::vector<StoredYear> stored,
                                                 const calendar::YearCalendar* year) const;

  PgPool& db_;
  const Clock& clock_;
  calendar::WorkingHours hours_;
  std::mutex mu_;
  std::shared_ptr<const calendar::WorkingCalendar> cached_ ABSL_GUARDED_BY(mu_);
  absl::Time loaded_at_ ABSL_GUARDED_BY(mu_);
};

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_CALENDAR_SERVICE_H_

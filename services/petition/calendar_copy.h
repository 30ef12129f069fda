#ifndef LOCALGOV_SERVICES_PETITION_CALENDAR_COPY_H_
#define LOCALGOV_SERVICES_PETITION_CALENDAR_COPY_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "common/calendar/calendar.h"
#include "common/clock.h"
#include "common/periodic.h"
#include "grpcpp/grpcpp.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"

namespace localgov::petition {

// The petition service's copy of the working-day calendar, which the dossier service owns
// (ARCHITECTURE.md: a service keeps its own copy of what it needs from others, never a query
// on every read). It starts from the seeded years (common/calendar/seed.h: the official
// notices as the release knows them, derived from the Labour Code beyond) and takes the
// dossier service's years around today from GetCalendarYear every `refresh`, so a notice an
// administrator applies there reaches petition clocks within that time. While the dossier
// service cannot be reached the last calendar held is used.
class CalendarCopy final {
 public:
  struct Options {
    std::string dossier_address;  // empty: the seeded years only
    std::shared_ptr<grpc::ChannelCredentials> credentials;
    std::string token;  // a bearer token for GetCalendarYear, when the dossier needs one
    absl::Duration refresh = absl::Minutes(10);
  };
  CalendarCopy(Options options, const Clock& clock);
  ~CalendarCopy() { Stop(); }

  void Start();
  void Stop() { thread_.Stop(); }
  std::shared_ptr<const calendar::WorkingCalendar> Current() const;
  // One refresh from the dossier service, in the caller's thread.
  absl::Status RefreshOnce();

 private:
  Options options_;
  const Clock& clock_;
  std::unique_ptr<dossier::v1::DossierService::Stub> stub_;
  mutable std::mutex mu_;
  std::map<int, calendar::YearCalendar> fetched_;
  std::shared_ptr<const calendar::WorkingCalendar> current_;
  PeriodicThread thread_;
};

}  // namespace localgov::petition

#endif  // LOCALGOV_SERVICES_PETITION_CALENDAR_COPY_H_

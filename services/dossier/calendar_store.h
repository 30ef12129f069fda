#ifndef LOCALGOV_SERVICES_DOSSIER_CALENDAR_STORE_H_
#define LOCALGOV_SERVICES_DOSSIER_CALENDAR_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/calendar/calendar.h"
#include "pqxx/pqxx"

namespace localgov::dossier {

struct StoredYear {
  calendar::YearCalendar year;
  int64_t version = 0;  // 0: not stored (a derived year)
  absl::Time updated_at;
  int seed_revision = 0;  // the built-in seed's revision that wrote it; 0 once an admin set it
};

// An open dossier's appointment.
struct OpenAppointment {
  std::string code;
  std::string agency;
  absl::CivilDay due;
};

// All SQL of the calendar. Functions run in the caller's transaction.
class CalendarStore final {
 public:
  static std::vector<StoredYear> LoadAll(pqxx::transaction_base& tx);
  static std::optional<StoredYear> Find(pqxx::transaction_base& tx, int year);
  // Inserts `year` unless present; true when inserted.
  static bool InsertIfMissing(pqxx::work& tx, const calendar::YearCalendar& year, int seed_revision,
                              absl::Time now);
  // Replaces the year when an older revision of the seed wrote it and nobody edited it since;
  // the new version, or nullopt when left alone.
  static std::optional<int64_t> ReplaceOlderSeed(pqxx::work& tx, const calendar::YearCalendar& year,
                                                 int seed_revision, absl::Time now);
  // Open dossiers (accepted, in progress, payment requested) whose due date is one of `days`.
  static std::vector<OpenAppointment> OpenDossiersDueOn(pqxx::transaction_base& tx,
                                                        const std::vector<absl::CivilDay>& days);
  // Replaces the year when its stored version is `expected_version` (0: not stored yet);
  // ABORTED otherwise. Returns the new version.
  static absl::StatusOr<int64_t> Replace(pqxx::work& tx, const calendar::YearCalendar& year,
                                         int64_t expected_version, absl::Time now);
};

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_CALENDAR_STORE_H_

#ifndef LOCALGOV_SERVICES_DOSSIER_DOSSIER_STORE_H_
#define LOCALGOV_SERVICES_DOSSIER_DOSSIER_STORE_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "localgov/dossier/v1/dossier.pb.h"
#include "pqxx/pqxx"

namespace localgov::dossier {

// All SQL of dossiers. Functions run in the caller's transaction.
class DossierStore final {
 public:
  // The next code sequence of `agency` on `day` (1, 2, ...), under the counter row's lock.
  static int NextSequence(pqxx::work& tx, const std::string& agency, absl::CivilDay day);
  // Inserts a new dossier (its events are appended separately).
  static void Insert(pqxx::work& tx, const v1::Dossier& d, absl::Time now);
  // Stores the changed dossier when its version is still `expected_version` (ABORTED
  // otherwise); the stored version becomes expected_version + 1.
  static absl::Status Update(pqxx::work& tx, const v1::Dossier& d, int64_t expected_version,
                             absl::Time now);
  static void AppendEvent(pqxx::work& tx, const std::string& code, const v1::DossierEvent& e,
                          const std::string& request_id);
  // The dossier with its events, oldest first.
  static std::optional<v1::Dossier> Find(pqxx::transaction_base& tx, const std::string& code);
};

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_DOSSIER_STORE_H_

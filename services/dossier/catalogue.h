#ifndef LOCALGOV_SERVICES_DOSSIER_CATALOGUE_H_
#define LOCALGOV_SERVICES_DOSSIER_CATALOGUE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/db/pool.h"
#include "localgov/dossier/v1/procedure.pb.h"

namespace localgov::dossier {

struct ProcedurePage {
  std::vector<v1::Procedure> procedures;
  std::string next_page_token;
};

// The procedure catalogue's use cases (no gRPC; all SQL in CatalogueStore).
class Catalogue final {
 public:
  static constexpr int kDefaultPageSize = 20;
  static constexpr int kMaxPageSize = 100;

  Catalogue(PgPool& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Stores version 1 of each seeded procedure whose code is not in the catalogue yet.
  absl::Status SeedMissing(const std::vector<v1::Procedure>& procedures);

  // INVALID_ARGUMENT for a bad page_size or page_token (field violations).
  absl::StatusOr<ProcedurePage> List(const std::string& query, const std::string& field, int level,
                                     int page_size, const std::string& page_token);
  // The latest version, or the one in force on `as_of` (YYYY-MM-DD) when given.
  absl::StatusOr<v1::Procedure> Get(const std::string& code, const std::string& as_of);

 private:
  PgPool& db_;
  const Clock& clock_;
};

// The demo province's catalogue: at least a dozen real procedures (DOMAIN.md §1).
std::vector<v1::Procedure> SeedProcedures();

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_CATALOGUE_H_

#ifndef LOCALGOV_COMMON_DB_MIGRATIONS_H_
#define LOCALGOV_COMMON_DB_MIGRATIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db/pool.h"
#include "pqxx/pqxx"

namespace localgov {

// One versioned SQL migration, compiled into the binary from <component>/migrations/NNNN_*.sql.
struct Migration {
  std::string component;  // "common" or the service name
  int version;
  std::string name;
  std::string sql;
};

// The migrations every service carries (audit log, outbox, idempotency keys).
const std::vector<Migration>& common_migrations();

struct MigrationReport {
  int applied = 0;             // migrations applied by this call
  int64_t schema_version = 0;  // highest version of the last component listed
};

// Applies every pending migration of `components`, in order, in one transaction under an
// advisory lock, so that replicas starting together apply each migration once. A migration
// already applied whose SQL has since changed is refused (FAILED_PRECONDITION): a released
// migration is never edited, a new one is added.
absl::StatusOr<MigrationReport> ApplyMigrations(
    PgPool& pool, const std::vector<const std::vector<Migration>*>& components);

// The highest applied version of `component`, 0 when none.
int64_t SchemaVersion(pqxx::transaction_base& tx, const std::string& component);

}  // namespace localgov

#endif  // LOCALGOV_COMMON_DB_MIGRATIONS_H_

#include "common/db/migrations.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "common/db/transaction.h"
#include "common/logging.h"

namespace localgov {
namespace {
// Arbitrary constant shared by every localgov binary: the key of the migration advisory lock.
constexpr int64_t kMigrationLockKey = 7263002025;
}  // namespace

int64_t SchemaVersion(pqxx::transaction_base& tx, const std::string& component) {
  auto r = tx.exec_params(
      "SELECT COALESCE(MAX(version), 0) FROM localgov_schema_migrations WHERE component = $1",
      component);
  return r[0][0].as<int64_t>();
}

absl::StatusOr<MigrationReport> ApplyMigrations(
    PgPool& pool, const std::vector<const std::vector<Migration>*>& components) {
  MigrationReport report;
  auto status = RunInTransaction(pool, "migrate", [&](pqxx::work& tx) -> absl::Status {
    report = MigrationReport{};
    tx.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLockKey);
    // A migration may rewrite or backfill a whole table (petition/0005 counts every petition):
    // the pool's statement_timeout is meant for requests, not for this one transaction.
    tx.exec("SET LOCAL statement_timeout = 0");
    tx.exec(
        "CREATE TABLE IF NOT EXISTS localgov_schema_migrations ("
        " component text NOT NULL, version integer NOT NULL, name text NOT NULL,"
        " checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),"
        " PRIMARY KEY (component, version))");
    std::map<std::pair<std::string, int>, std::string> applied;
    for (const auto& row :
         tx.exec("SELECT component, version, checksum FROM localgov_schema_migrations")) {
      applied[{row[0].as<std::string>(), row[1].as<int>()}] = row[2].as<std::string>();
    }
    for (const auto* list : components) {
      for (const auto& m : *list) {
        const std::string checksum = Sha256Hex(m.sql);
        auto it = applied.find({m.component, m.version});
        if (it != applied.end()) {
          if (it->second != checksum) {
            return absl::FailedPreconditionError(
                absl::StrCat("migration ", m.component, "/", m.name,
                             " was changed after it was applied; add a new migration instead"));
          }
          continue;
        }
        spdlog::info("applying migration {}/{}", m.component, m.name);
        tx.exec(m.sql);
        tx.exec_params(
            "INSERT INTO localgov_schema_migrations (component, version, name, checksum)"
            " VALUES ($1, $2, $3, $4)",
            m.component, m.version, m.name, checksum);
        ++report.applied;
      }
    }
    if (!components.empty() && !components.back()->empty()) {
      report.schema_version = SchemaVersion(tx, components.back()->front().component);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return report;
}

}  // namespace localgov

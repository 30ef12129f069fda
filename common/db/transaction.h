#ifndef LOCALGOV_COMMON_DB_TRANSACTION_H_
#define LOCALGOV_COMMON_DB_TRANSACTION_H_

#include <exception>
#include <functional>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/db/pool.h"
#include "pqxx/pqxx"

namespace localgov {

enum class Isolation { kReadCommitted, kRepeatableRead, kSerializable };

struct TxOptions {
  Isolation isolation = Isolation::kReadCommitted;
  bool read_only = false;
  // Attempts in all, for serialization failures, deadlocks and connections found broken
  // before commit. A commit whose outcome is unknown is never retried.
  int max_attempts = 5;
};

using TxBody = std::function<absl::Status(pqxx::work&)>;

// Runs `body` in one transaction and commits when it returns OK; a non-OK status rolls back
// and is returned as it is. Database errors become statuses (see StatusFromDbError).
// `name` labels the transaction in logs.
absl::Status RunInTransaction(PgPool& pool, std::string_view name, const TxBody& body,
                              const TxOptions& options = {});

// The reads every use case does: `read(tx)` in one read-only transaction, its value returned
// (or the database's error as a status). Replaces the lambda-and-out-variable dance:
//   auto found = ReadOnly(db_, "get_agency", [&](auto& tx) { return Store::Find(tx, code); });
template <typename Read>
auto ReadOnly(PgPool& pool, std::string_view name, Read read)
    -> absl::StatusOr<std::invoke_result_t<Read, pqxx::work&>> {
  std::optional<std::invoke_result_t<Read, pqxx::work&>> out;
  auto st = RunInTransaction(
      pool, name,
      [&](pqxx::work& tx) -> absl::Status {
        out.emplace(read(tx));
        return absl::OkStatus();
      },
      TxOptions{.read_only = true});
  if (!st.ok()) return st;
  return std::move(*out);
}

// Runs `body`, which must issue exactly one statement, outside any explicit transaction
// (PostgreSQL commits it on its own): one round trip instead of BEGIN, statement, COMMIT. For
// writes that are a single statement and reads that need no snapshot across statements.
// Serialization failures and broken connections are retried like RunInTransaction's — a
// statement may then have run already, so it must be idempotent (e.g. INSERT ... ON CONFLICT
// DO NOTHING, whose retry finds the row the first attempt wrote).
using StatementBody = std::function<absl::Status(pqxx::transaction_base&)>;
absl::Status RunSingleStatement(PgPool& pool, std::string_view name, const StatementBody& body,
                                int max_attempts = 5);

// Maps an exception thrown by libpqxx to a status with a precise code:
//   broken connection, server shutting down, too many connections -> UNAVAILABLE
//   serialization failure, deadlock -> ABORTED (retried by RunInTransaction first)
//   unique violation -> ALREADY_EXISTS; other integrity violations -> FAILED_PRECONDITION
//   statement timeout / cancel -> DEADLINE_EXCEEDED; commit outcome unknown -> UNAVAILABLE
//   anything else -> INTERNAL.
absl::Status StatusFromDbError(const std::exception& e);

}  // namespace localgov

#endif  // LOCALGOV_COMMON_DB_TRANSACTION_H_

#ifndef LOCALGOV_COMMON_DB_TRANSACTION_H_
#define LOCALGOV_COMMON_DB_TRANSACTION_H_

#include <exception>
#include <functional>
#include <string_view>

#include "absl/status/status.h"
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

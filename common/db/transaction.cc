#include "common/db/transaction.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/logging.h"

namespace localgov {
namespace {

bool Retryable(const std::exception& e) {
  if (dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr) return false;
  if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr) return true;
  // libpqxx 6 raises serialization failures (40001) and deadlocks (40P01) as
  // transaction_rollback, which is not an sql_error.
  return dynamic_cast<const pqxx::transaction_rollback*>(&e) != nullptr;
}

bool ConnectionUnusable(const std::exception& e) {
  if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr) return true;
  if (dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr) return true;
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    const std::string state = sql->sqlstate();
    return absl::StartsWith(state, "08") || absl::StartsWith(state, "57P");
  }
  return false;
}

}  // namespace

absl::Status StatusFromDbError(const std::exception& e) {
  if (dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr) {
    return absl::UnavailableError("database connection lost during commit; outcome unknown");
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr) {
    return absl::UnavailableError("database connection lost");
  }
  if (dynamic_cast<const pqxx::transaction_rollback*>(&e) != nullptr) {
    return absl::AbortedError("concurrent update conflict; retry the request");
  }
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    const std::string state = sql->sqlstate();
    if (state == "40001" || state == "40P01") {
      return absl::AbortedError("concurrent update conflict; retry the request");
    }
    if (state == "23505") return absl::AlreadyExistsError("already exists");
    if (absl::StartsWith(state, "23")) {
      return absl::FailedPreconditionError("the change violates a database constraint");
    }
    if (state == "57014") return absl::DeadlineExceededError("database statement timed out");
    if (state == "55P03") return absl::AbortedError("a row is locked; retry the request");
    if (absl::StartsWith(state, "08") || absl::StartsWith(state, "57P") ||
        absl::StartsWith(state, "53")) {
      return absl::UnavailableError("database unavailable");
    }
    return absl::InternalError(
        absl::StrCat("database error ", state, ": ", DbErrorText(sql->what())));
  }
  return absl::InternalError(absl::StrCat("database error: ", DbErrorText(e.what())));
}

absl::Status RunInTransaction(PgPool& pool, std::string_view name, const TxBody& body,
                              const TxOptions& options) {
  absl::Status last;
  for (int attempt = 1; attempt <= options.max_attempts; ++attempt) {
    auto lease = pool.Acquire();
    if (!lease.ok()) return lease.status();
    try {
      pqxx::work tx(lease->conn(), std::string(name));
      switch (options.isolation) {
        case Isolation::kReadCommitted:
          break;
        case Isolation::kRepeatableRead:
          tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
          break;
        case Isolation::kSerializable:
          tx.exec("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
          break;
      }
      if (options.read_only) tx.exec("SET TRANSACTION READ ONLY");
      absl::Status status = body(tx);
      if (!status.ok()) {
        tx.abort();
        return status;
      }
      tx.commit();
      return absl::OkStatus();
    } catch (const std::exception& e) {
      if (ConnectionUnusable(e)) lease->MarkBroken();
      last = StatusFromDbError(e);
      if (!Retryable(e) || attempt == options.max_attempts) {
        if (last.code() == absl::StatusCode::kInternal) {
          spdlog::error("transaction {} failed: {}", name, DbErrorText(e.what()));
        }
        return last;
      }
      spdlog::debug("transaction {} attempt {} retried: {}", name, attempt, DbErrorText(e.what()));
    }
  }
  return last;
}

absl::Status RunSingleStatement(PgPool& pool, std::string_view name, const StatementBody& body,
                                int max_attempts) {
  absl::Status last;
  for (int attempt = 1; attempt <= max_attempts; ++attempt) {
    auto lease = pool.Acquire();
    if (!lease.ok()) return lease.status();
    try {
      pqxx::nontransaction tx(lease->conn(), std::string(name));
      return body(tx);
    } catch (const std::exception& e) {
      if (ConnectionUnusable(e)) lease->MarkBroken();
      last = StatusFromDbError(e);
      if (!Retryable(e) || attempt == max_attempts) {
        if (last.code() == absl::StatusCode::kInternal) {
          spdlog::error("statement {} failed: {}", name, DbErrorText(e.what()));
        }
        return last;
      }
    }
  }
  return last;
}

}  // namespace localgov

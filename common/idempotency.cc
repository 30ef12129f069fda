#include "common/idempotency.h"

#include <cctype>

namespace localgov {

void ValidateRequestId(Validator& v, std::string_view field, std::string_view request_id) {
  if (request_id.empty()) {
    v.Add(field, "required: a client-chosen idempotency key");
    return;
  }
  if (request_id.size() > 128) {
    v.Add(field, "at most 128 characters");
    return;
  }
  for (char c : request_id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.' &&
        c != ':') {
      v.Add(field, "only letters, digits, '-', '_', '.' and ':' are allowed");
      return;
    }
  }
}

absl::StatusOr<std::optional<std::string>> ClaimIdempotencyKey(pqxx::work& tx,
                                                               const std::string& subject,
                                                               const std::string& method,
                                                               const std::string& request_id,
                                                               const std::string& request_digest) {
  auto inserted = tx.exec_params(
      "INSERT INTO idempotency_keys (subject, method, request_id, request_digest)"
      " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1",
      subject, method, request_id, request_digest);
  if (!inserted.empty()) return std::optional<std::string>();
  auto row = tx.exec_params(
      "SELECT request_digest, response FROM idempotency_keys"
      " WHERE subject = $1 AND method = $2 AND request_id = $3",
      subject, method, request_id);
  if (row.empty() || row[0][1].is_null()) {
    return absl::AbortedError("a request with this request_id is in progress; retry");
  }
  if (row[0][0].as<std::string>() != request_digest) {
    return absl::AlreadyExistsError(
        "request_id was already used for a different request; choose a new request_id");
  }
  return std::optional<std::string>(pqxx::binarystring(row[0][1]).str());
}

void StoreIdempotentResponse(pqxx::work& tx, const std::string& subject, const std::string& method,
                             const std::string& request_id, const std::string& response) {
  tx.exec_params(
      "UPDATE idempotency_keys SET response = $4"
      " WHERE subject = $1 AND method = $2 AND request_id = $3",
      subject, method, request_id, pqxx::binarystring(response));
}

}  // namespace localgov

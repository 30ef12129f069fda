#include "common/idempotency.h"

#include <cctype>
#include <stdexcept>

#include "absl/strings/escaping.h"
#include "common/db/query.h"
#include "nlohmann/json.hpp"

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

void ValidateOptionalRequestId(Validator& v, std::string_view field, std::string_view request_id) {
  if (!request_id.empty()) ValidateRequestId(v, field, request_id);
}

absl::StatusOr<std::optional<std::string>> ClaimOptionalIdempotencyKey(pqxx::work& tx,
                                                                       const IdempotencyKey& key) {
  if (key.request_id.empty()) return std::optional<std::string>();
  return ClaimIdempotencyKey(tx, key.subject, key.method, key.request_id, key.request_digest);
}

void StoreOptionalIdempotentResponse(pqxx::work& tx, const IdempotencyKey& key,
                                     const std::string& response) {
  if (!key.request_id.empty()) StoreIdempotentResponses(tx, {key}, {response});
}

absl::StatusOr<std::optional<std::string>> ClaimIdempotencyKey(pqxx::work& tx,
                                                               const std::string& subject,
                                                               const std::string& method,
                                                               const std::string& request_id,
                                                               const std::string& request_digest) {
  const IdempotencyKey key{subject, method, request_id, request_digest};
  if (ClaimNewIdempotencyKeys(tx, {key}).front()) return std::optional<std::string>();
  auto stored = StoredResponse(tx, key);
  if (!stored.ok()) return stored.status();
  return std::optional<std::string>(std::move(*stored));
}

absl::StatusOr<std::string> StoredResponse(pqxx::work& tx, const IdempotencyKey& key) {
  auto row = tx.exec_params(
      "SELECT request_digest, response FROM idempotency_keys"
      " WHERE subject = $1 AND method = $2 AND request_id = $3",
      key.subject, key.method, key.request_id);
  if (row.empty() || row[0][1].is_null()) {
    return absl::AbortedError("a request with this request_id is in progress; retry");
  }
  if (row[0][0].as<std::string>() != key.request_digest) {
    return absl::AlreadyExistsError(
        "request_id was already used for a different request; choose a new request_id");
  }
  return pqxx::binarystring(row[0][1]).str();
}

std::vector<bool> ClaimNewIdempotencyKeys(pqxx::work& tx, const std::vector<IdempotencyKey>& keys) {
  std::vector<bool> claimed(keys.size(), false);
  if (keys.empty()) return claimed;
  nlohmann::json rows = nlohmann::json::array();
  for (size_t i = 0; i < keys.size(); ++i) {
    rows.push_back({{"i", i},
                    {"subject", keys[i].subject},
                    {"method", keys[i].method},
                    {"request_id", keys[i].request_id},
                    {"request_digest", keys[i].request_digest}});
  }
  // In key order, so that two writers claiming overlapping keys cannot deadlock.
  const auto rows_claimed = ExecPrepared(
      tx, "idempotency_claim_all",
      "WITH x AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(i int, subject text,"
      " method text, request_id text, request_digest text)),"
      " ins AS (INSERT INTO idempotency_keys (subject, method, request_id, request_digest)"
      " SELECT subject, method, request_id, request_digest FROM x"
      " ORDER BY subject, method, request_id ON CONFLICT DO NOTHING"
      " RETURNING subject, method, request_id)"
      " SELECT x.i FROM x JOIN ins USING (subject, method, request_id)",
      rows.dump());
  for (const auto& r : rows_claimed) claimed[r[0].as<size_t>()] = true;
  return claimed;
}

void StoreIdempotentResponses(pqxx::work& tx, const std::vector<IdempotencyKey>& keys,
                              const std::vector<std::string>& responses) {
  if (keys.empty()) return;
  nlohmann::json rows = nlohmann::json::array();
  for (size_t i = 0; i < keys.size(); ++i) {
    rows.push_back({{"subject", keys[i].subject},
                    {"method", keys[i].method},
                    {"request_id", keys[i].request_id},
                    {"request_digest", keys[i].request_digest},
                    {"response", absl::BytesToHexString(responses[i])}});
  }
  // Each key is found through its unique index (the conflict), never by a join: PostgreSQL
  // takes the JSON for 100 rows and, against a small table, would hash-join it with a read of
  // the whole table, a plan it then keeps for the connection while the table grows. A key
  // that was not claimed is a caller's bug: the row it would insert makes the call throw.
  const auto inserted = ExecPrepared(
      tx, "idempotency_store_all",
      "INSERT INTO idempotency_keys AS k (subject, method, request_id, request_digest, response)"
      " SELECT subject, method, request_id, request_digest, decode(response, 'hex')"
      " FROM jsonb_to_recordset($1::jsonb) AS x(subject text, method text, request_id text,"
      " request_digest text, response text) ORDER BY subject, method, request_id"
      " ON CONFLICT (subject, method, request_id) DO UPDATE SET response = excluded.response"
      " RETURNING k.xmax = 0",
      rows.dump());
  for (const auto& r : inserted) {
    if (r[0].as<bool>()) {
      throw std::logic_error("idempotency response stored for a key that was not claimed");
    }
  }
}

void StoreIdempotentResponse(pqxx::work& tx, const std::string& subject, const std::string& method,
                             const std::string& request_id, const std::string& response) {
  StoreIdempotentResponses(tx, {{subject, method, request_id, ""}}, {response});
}

}  // namespace localgov

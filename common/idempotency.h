#ifndef LOCALGOV_COMMON_IDEMPOTENCY_H_
#define LOCALGOV_COMMON_IDEMPOTENCY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/status.h"
#include "pqxx/pqxx"

namespace localgov {

// Checks a client's request_id: 1–128 characters of letters, digits, '-', '_', '.', ':'.
void ValidateRequestId(Validator& v, std::string_view field, std::string_view request_id);

// The same for a request_id a request may leave empty (transitions: no request_id, no replay).
void ValidateOptionalRequestId(Validator& v, std::string_view field, std::string_view request_id);

// A client's idempotency key, scoped to the token subject and the RPC, with the SHA-256 of
// the request body it came with.
struct IdempotencyKey {
  std::string subject;
  std::string method;
  std::string request_id;
  std::string request_digest;
};

// Claims (subject, method, request_id) in the caller's transaction, before the create runs.
// - nullopt: first time; run the create and call StoreIdempotentResponse in the same
//   transaction. A concurrent duplicate waits on the claim and then sees the stored response.
// - a response: the create already happened; return this response unchanged.
// - ALREADY_EXISTS: the request_id was used before with a different request body.
absl::StatusOr<std::optional<std::string>> ClaimIdempotencyKey(pqxx::work& tx,
                                                               const std::string& subject,
                                                               const std::string& method,
                                                               const std::string& request_id,
                                                               const std::string& request_digest);

// The same for several requests in one statement (writers that batch requests into one
// transaction). Returns, in order, whether each key was claimed now; for a key not claimed,
// StoredResponse tells what was stored. Keys must be distinct.
std::vector<bool> ClaimNewIdempotencyKeys(pqxx::work& tx, const std::vector<IdempotencyKey>& keys);
// For a key claimed before by another transaction (committed: a concurrent claim waits for
// it): the response stored; ALREADY_EXISTS when the request body differs; ABORTED when no
// response is stored yet.
absl::StatusOr<std::string> StoredResponse(pqxx::work& tx, const IdempotencyKey& key);
// Stores responses[i] for keys[i], claimed in this transaction (throws std::logic_error, so
// the transaction fails, for a key that was not).
void StoreIdempotentResponses(pqxx::work& tx, const std::vector<IdempotencyKey>& keys,
                              const std::vector<std::string>& responses);

// For a write whose request_id is optional (the transitions): with an empty request_id, nullopt
// and nothing claimed (the write runs as without idempotency); otherwise ClaimIdempotencyKey.
// Pair with StoreOptionalIdempotentResponse in the same transaction. A transaction that fails
// releases its claim, so a retry after an error runs again.
absl::StatusOr<std::optional<std::string>> ClaimOptionalIdempotencyKey(pqxx::work& tx,
                                                                       const IdempotencyKey& key);
void StoreOptionalIdempotentResponse(pqxx::work& tx, const IdempotencyKey& key,
                                     const std::string& response);

// ClaimOptionalIdempotencyKey for a change that answers a protobuf message: false when the
// change is to run (store its answer with StoreOptionalIdempotentResponse in the same
// transaction); true when it committed before with this key and body, `answer` then holding
// the answer it had (INTERNAL when unreadable); the claim's errors otherwise.
template <typename Message>
absl::StatusOr<bool> ReplayStoredAnswer(pqxx::work& tx, const IdempotencyKey& key,
                                        Message& answer) {
  auto stored = ClaimOptionalIdempotencyKey(tx, key);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return false;
  if (!answer.ParseFromString(**stored)) return absl::InternalError("stored answer unreadable");
  return true;
}

void StoreIdempotentResponse(pqxx::work& tx, const std::string& subject, const std::string& method,
                             const std::string& request_id, const std::string& response);

}  // namespace localgov

#endif  // LOCALGOV_COMMON_IDEMPOTENCY_H_

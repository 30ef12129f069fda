// Helpers shared by the cadre use-case files (cadres_setup.cc, cadres_agencies.cc,
// cadres_due.cc, cadres_recruitment.cc).
#ifndef LOCALGOV_SERVICES_CADRE_CADRES_INTERNAL_H_
#define LOCALGOV_SERVICES_CADRE_CADRES_INTERNAL_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/audit.h"
#include "common/crypto.h"
#include "common/db/transaction.h"
#include "common/idempotency.h"
#include "common/rpc.h"
#include "pqxx/pqxx"

namespace localgov::cadre::internal {

// The audit record of a cadre write on `entity_type` `entity_id`.
inline AuditEntry Audit(const CallContext& call, std::string action, std::string entity_type,
                        std::string entity_id, std::string change) {
  return {call.access.subject,    std::string(RoleName(call.access.role)),
          call.access.agency,     absl::StrCat("cadre.", action),
          std::move(entity_type), std::move(entity_id),
          call.request_id,        std::move(change)};
}

// A unit, position or agency code: present, at most 64 characters.
inline bool IsCode(const std::string& s) { return !s.empty() && s.size() <= 64; }

// Claims a create's request_id in `tx` (common/idempotency): nullopt when the create is new;
// otherwise the record the first call created, which `find` reads again from the key that
// call stored (INTERNAL when it is gone).
template <typename Find>
auto ReplayCreate(pqxx::work& tx, const CallContext& call, const std::string& request_id,
                  const std::string& digest, const char* what, Find find)
    -> absl::StatusOr<decltype(find(std::string()))> {
  auto previous = ClaimIdempotencyKey(tx, call.access.subject, call.method, request_id, digest);
  if (!previous.ok()) return previous.status();
  if (!previous->has_value()) return decltype(find(std::string())){};
  auto found = find(**previous);
  if (!found.has_value()) {
    return absl::InternalError(absl::StrCat("idempotent create lost its ", what));
  }
  return found;
}

// The idempotency key of a change (a write that is not a create) whose request_id is
// optional: claimed with ReplayStoredAnswer (common/idempotency) once the caller is known to
// be allowed and before the expected version is checked, as the dossier and petition
// transitions do, so that a retry of a change that committed gets the answer it had.
template <typename Request>
IdempotencyKey ChangeKey(const CallContext& call, const Request& request) {
  return {call.access.subject, call.method, request.request_id(),
          Sha256Hex(request.SerializeAsString())};
}

// As ReadOnly (common/db/transaction.h), in one REPEATABLE READ snapshot: every statement of
// `read` sees the same rows, so that what it computes may be kept under that snapshot
// (snapshot_cache.h).
template <typename Read>
auto ReadInOneSnapshot(PgPool& pool, std::string_view name, Read read)
    -> absl::StatusOr<std::invoke_result_t<Read, pqxx::work&>> {
  std::optional<std::invoke_result_t<Read, pqxx::work&>> out;
  auto st = RunInTransaction(
      pool, name,
      [&](pqxx::work& tx) -> absl::Status {
        out.emplace(read(tx));
        return absl::OkStatus();
      },
      TxOptions{.isolation = Isolation::kRepeatableRead, .read_only = true});
  if (!st.ok()) return st;
  return std::move(*out);
}

// The numeric id a create stored as its idempotent response (0 when it is not one).
inline int64_t StoredId(const std::string& stored) {
  int64_t id = 0;
  return absl::SimpleAtoi(stored, &id) ? id : 0;
}

}  // namespace localgov::cadre::internal

#endif  // LOCALGOV_SERVICES_CADRE_CADRES_INTERNAL_H_

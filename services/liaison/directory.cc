#include "services/liaison/directory.h"

#include "absl/strings/str_cat.h"
#include "common/audit.h"
#include "common/crypto.h"
#include "common/db/transaction.h"
#include "common/idempotency.h"
#include "services/liaison/directory_store.h"

namespace localgov::liaison {
namespace {

// What identifies "the same create": every field the caller chose.
std::string CreateDigest(const Agency& a) {
  return Sha256Hex(absl::StrCat(a.code.size(), ":", a.code, a.name.size(), ":", a.name, a.kind, ";",
                                a.administrative_unit_code.size(), ":",
                                a.administrative_unit_code));
}

absl::Status ValidateCode(const std::string& code) {
  Validator v;
  if (v.Check(!code.empty(), "code", "required")) {
    v.Check(IsValidAgencyCode(code), "code", "must be a national agency code like 000.00.00.G22");
  }
  return v.status();
}

}  // namespace

absl::StatusOr<Agency> Directory::CreateAgency(const CallContext& call,
                                               const std::string& request_id,
                                               const Agency& requested) {
  Validator v;
  ValidateRequestId(v, "request_id", request_id);
  ValidateNewAgency(requested, v, "agency");
  if (!v.ok()) return v.status();

  Agency agency = requested;
  agency.status = 1;  // active
  agency.created_at = clock_.Now();
  const std::string digest = CreateDigest(requested);
  Agency result;
  auto status = RunInTransaction(db_, "create_agency", [&](pqxx::work& tx) -> absl::Status {
    auto previous = ClaimIdempotencyKey(tx, call.access.subject, call.method, request_id, digest);
    if (!previous.ok()) return previous.status();
    if (previous->has_value()) {
      // A retry: answer with the agency the first call created.
      auto found = DirectoryStore::FindAgency(tx, **previous);
      if (!found.has_value()) return absl::InternalError("idempotent create lost its agency");
      result = *found;
      return absl::OkStatus();
    }
    auto created = DirectoryStore::InsertAgency(tx, agency);
    if (!created.ok()) return created.status();
    result = *created;
    auto audited = AppendAudit(
        tx,
        {call.access.subject, std::string(RoleName(call.access.role)), call.access.agency,
         "liaison.CreateAgency", "agency", result.code, call.request_id, digest},
        clock_.Now());
    if (!audited.ok()) return audited;
    StoreIdempotentResponse(tx, call.access.subject, call.method, request_id, result.code);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<Agency> Directory::GetAgency(const std::string& code) {
  if (auto st = ValidateCode(code); !st.ok()) return st;
  std::optional<Agency> found;
  auto status = RunInTransaction(
      db_, "get_agency",
      [&](pqxx::work& tx) -> absl::Status {
        found = DirectoryStore::FindAgency(tx, code);
        return absl::OkStatus();
      },
      TxOptions{.read_only = true});
  if (!status.ok()) return status;
  if (!found.has_value()) return absl::NotFoundError(absl::StrCat("agency ", code, " not found"));
  return *found;
}

}  // namespace localgov::liaison

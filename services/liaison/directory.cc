#include "services/liaison/directory.h"

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
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

absl::StatusOr<Directory::Resolved> Directory::ResolveIn(pqxx::transaction_base& tx,
                                                         const std::string& code) {
  constexpr int kMaxChain = 16;  // mergers do not nest deeper; a longer chain is a cycle
  Resolved r;
  std::string current = code;
  for (int i = 0; i < kMaxChain; ++i) {
    auto a = DirectoryStore::FindAgency(tx, current);
    if (!a.has_value()) return absl::NotFoundError(absl::StrCat("agency ", current, " not found"));
    r.chain.push_back(current);
    if (a->status != kAgencyMerged || a->successor_code.empty()) {
      r.agency = *a;
      return r;
    }
    current = a->successor_code;
  }
  return absl::FailedPreconditionError(absl::StrCat("the succession of ", code, " loops"));
}

absl::StatusOr<Directory::Resolved> Directory::Resolve(const std::string& code) {
  if (auto st = ValidateCode(code); !st.ok()) return st;
  absl::StatusOr<Resolved> out = absl::UnknownError("not resolved");
  auto st = RunInTransaction(
      db_, "resolve_agency",
      [&](pqxx::work& tx) -> absl::Status {
        out = ResolveIn(tx, code);
        return absl::OkStatus();
      },
      TxOptions{.read_only = true});
  if (!st.ok()) return st;
  return out;
}

namespace {

absl::Status Audit(pqxx::work& tx, const CallContext& call, const std::string& action,
                   const std::string& entity, const std::string& detail, absl::Time now) {
  return AppendAudit(
      tx,
      {call.access.subject, std::string(RoleName(call.access.role)), call.access.agency, action,
       "agency", entity, call.request_id, Sha256Hex(detail)},
      now);
}

}  // namespace

absl::StatusOr<Agency> Directory::Merge(const CallContext& call, const std::string& code,
                                        const std::string& successor,
                                        const std::string& effective_date) {
  Validator v;
  v.Check(IsValidAgencyCode(code), "code", "must be a national agency code");
  v.Check(IsValidAgencyCode(successor), "successor_code", "must be a national agency code");
  v.Check(code != successor, "successor_code", "an agency cannot merge into itself");
  absl::CivilDay day;
  v.Check(effective_date.size() == 10 && absl::ParseCivilTime(effective_date, &day),
          "effective_date", "must be a date YYYY-MM-DD");
  if (!v.ok()) return v.status();
  Agency result;
  auto st = RunInTransaction(db_, "merge_agency", [&](pqxx::work& tx) -> absl::Status {
    auto a = DirectoryStore::FindAgency(tx, code);
    if (!a.has_value()) return absl::NotFoundError(absl::StrCat("agency ", code, " not found"));
    if (a->status == kAgencyMerged) {
      return absl::FailedPreconditionError(
          absl::StrCat(code, " already merged into ", a->successor_code));
    }
    auto to = ResolveIn(tx, successor);
    if (!to.ok()) return to.status();
    if (to->agency.code == code) {
      return absl::FailedPreconditionError("the successor merged into this agency: a cycle");
    }
    DirectoryStore::MarkMerged(tx, code, successor, effective_date);
    result = *DirectoryStore::FindAgency(tx, code);
    return Audit(tx, call, "liaison.MergeAgency", code,
                 absl::StrCat(code, ">", successor, "@", effective_date), clock_.Now());
  });
  if (!st.ok()) return st;
  return result;
}

absl::StatusOr<Agency> Directory::SetEndpoint(const CallContext& call, const std::string& code,
                                              const std::string& endpoint) {
  Validator v;
  v.Check(IsValidAgencyCode(code), "code", "must be a national agency code");
  v.Check(IsValidReceiverEndpoint(endpoint), "receiver_endpoint",
          "service:dossier, service:petition or host:port");
  if (!v.ok()) return v.status();
  Agency result;
  auto st = RunInTransaction(db_, "set_agency_endpoint", [&](pqxx::work& tx) -> absl::Status {
    if (!DirectoryStore::FindAgency(tx, code).has_value()) {
      return absl::NotFoundError(absl::StrCat("agency ", code, " not found"));
    }
    DirectoryStore::SetEndpoint(tx, code, endpoint);
    result = *DirectoryStore::FindAgency(tx, code);
    return Audit(tx, call, "liaison.SetAgencyEndpoint", code, endpoint, clock_.Now());
  });
  if (!st.ok()) return st;
  return result;
}

absl::Status Directory::AddKey(const CallContext& call, const AgencyKey& key) {
  Validator v;
  v.Check(IsValidAgencyCode(key.agency), "agency_code", "must be a national agency code");
  ValidateRequestId(v, "key_id", key.key_id);
  v.Check(key.public_key.size() == 32, "public_key", "must be a 32-byte Ed25519 public key");
  v.Check(key.valid_until > key.valid_from, "valid_until", "must be after valid_from");
  if (!v.ok()) return v.status();
  return RunInTransaction(db_, "add_agency_key", [&](pqxx::work& tx) -> absl::Status {
    if (!DirectoryStore::FindAgency(tx, key.agency).has_value()) {
      return absl::NotFoundError(absl::StrCat("agency ", key.agency, " not found"));
    }
    if (!DirectoryStore::InsertKey(tx, key)) {
      return absl::AlreadyExistsError(absl::StrCat(key.agency, " already has a key ", key.key_id));
    }
    return Audit(tx, call, "liaison.AddAgencyKey", key.agency,
                 absl::StrCat(key.key_id, ":", HexEncode(key.public_key)), clock_.Now());
  });
}

absl::Status Directory::Grant(const CallContext& call, const std::string& sender, int type,
                              const std::string& receiver) {
  Validator v;
  v.Check(IsValidAgencyCode(sender), "sender_agency_code", "must be a national agency code");
  v.Check(type >= 1 && type <= 5, "type", "required: an EnvelopeType");
  v.Check(IsValidAgencyCode(receiver), "receiver_agency_code", "must be a national agency code");
  if (!v.ok()) return v.status();
  return RunInTransaction(db_, "grant_access", [&](pqxx::work& tx) -> absl::Status {
    for (const auto& c : {sender, receiver}) {
      if (!DirectoryStore::FindAgency(tx, c).has_value()) {
        return absl::NotFoundError(absl::StrCat("agency ", c, " not found"));
      }
    }
    DirectoryStore::Grant(tx, sender, type, receiver);
    return Audit(tx, call, "liaison.GrantAccess", receiver,
                 absl::StrCat(sender, ">", type, ">", receiver), clock_.Now());
  });
}

}  // namespace localgov::liaison

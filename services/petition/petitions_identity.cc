// Petitions: the denouncer's sealed identity. Read only by a leader or an inspector of the
// handling agency with a stated reason, each reading recorded (identity_readings) and audited
// in the same transaction as the opening; and moved to the newest sealing key by the resealer
// when keys rotate.
#include "absl/strings/str_cat.h"
#include "common/audit.h"
#include "common/db/transaction.h"
#include "google/protobuf/util/time_util.h"
#include "services/petition/petitions.h"

namespace localgov::petition {

absl::StatusOr<v1::RevealDenouncerIdentityResponse> Petitions::RevealIdentity(
    const CallContext& call, const v1::RevealDenouncerIdentityRequest& r) {
  Validator v;
  v.Check(!r.code().empty(), "code", "required");
  v.Check(r.reason().size() >= 10, "reason",
          "required: why the identity is needed (at least 10 characters; it is recorded)");
  if (!v.ok()) return v.status();
  const auto& a = call.access;
  const absl::Time now = clock_.Now();
  v1::RevealDenouncerIdentityResponse out;
  auto st = RunInTransaction(db_, "reveal_identity", [&](pqxx::work& tx) -> absl::Status {
    auto found = PetitionStore::Find(tx, r.code(), false);
    const auto not_found = absl::NotFoundError(absl::StrCat("petition ", r.code(), " not found"));
    if (!found.has_value() || !SameAgency(a.agency, found->petition.agency_code())) {
      return not_found;
    }
    if (!found->petition.identity_sealed()) {
      return absl::FailedPreconditionError(
          absl::StrCat("petition ", r.code(), " holds no sealed identity"));
    }
    auto sealed = PetitionStore::FindIdentity(tx, r.code());
    if (!sealed.has_value()) return absl::InternalError("a sealed identity is missing");
    auto plain = vault_.Open(*sealed, r.code());
    if (!plain.ok()) return plain.status();
    if (!out.mutable_denouncer()->ParseFromString(*plain)) {
      return absl::DataLossError("a sealed identity that does not parse");
    }
    auto* reading = out.mutable_reading();
    reading->set_petition_code(r.code());
    reading->set_reader(a.subject);
    reading->set_role(std::string(RoleName(a.role)));
    reading->set_agency_code(found->petition.agency_code());
    reading->set_reason(r.reason());
    *reading->mutable_read_time() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
    PetitionStore::InsertReading(tx, *reading);
    // The audit record names the petition and the reason; never what was read.
    return AppendAudit(
        tx,
        {a.subject, std::string(RoleName(a.role)), a.agency, "petition.RevealDenouncerIdentity",
         "petition", r.code(), call.request_id, absl::StrCat("identity read: ", r.reason())},
        now);
  });
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<int> Petitions::ResealOnce(int limit) {
  if (!vault_.configured()) return 0;
  int moved = 0;
  auto st = RunInTransaction(db_, "reseal_identities", [&](pqxx::work& tx) -> absl::Status {
    moved = 0;
    const absl::Time now = clock_.Now();
    for (const auto& [code, sealed] :
         PetitionStore::IdentitiesToReseal(tx, vault_.current_key_id(), limit)) {
      auto plain = vault_.Open(sealed, code);
      if (!plain.ok()) continue;  // its key is gone from the ring: left as it is, reported
      auto again = vault_.Seal(*plain, code);
      if (!again.ok()) return again.status();
      PetitionStore::ReplaceIdentity(tx, code, *again, now);
      ++moved;
    }
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return moved;
}

}  // namespace localgov::petition

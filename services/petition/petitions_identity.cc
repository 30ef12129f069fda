// Petitions: the sealed identities (a denouncer's; a reception visit's visitors). Read only by a
// leader or an inspector of the holding agency with a stated reason, each reading recorded
// (identity_readings) and audited in the same transaction as the opening (RevealSealed, the one
// path of RevealDenouncerIdentity and ReceptionService.RevealVisitors); and moved to the newest
// sealing key by the resealer when keys rotate.
#include "absl/strings/str_cat.h"
#include "common/audit.h"
#include "common/db/transaction.h"
#include "google/protobuf/util/time_util.h"
#include "services/petition/petitions.h"

namespace localgov::petition {

absl::Status Petitions::RevealSealed(
    const CallContext& call, const std::string& what, const std::string& id_field,
    const std::string& id, const std::string& reason,
    const std::function<std::optional<SealedHolder>(pqxx::work&)>& find,
    const std::function<bool(const std::string&)>& take, v1::IdentityReading& reading) {
  Validator v;
  v.Check(!id.empty(), id_field, "required");
  v.Check(reason.size() >= 10, "reason",
          "required: why the identity is needed (at least 10 characters; it is recorded)");
  if (!v.ok()) return v.status();
  const auto& a = call.access;
  const absl::Time now = clock_.Now();
  const v1::IdentityReading names = reading;
  return RunInTransaction(db_, "reveal_identity", [&](pqxx::work& tx) -> absl::Status {
    reading = names;
    auto found = find(tx);
    if (!found.has_value() || !SameAgency(a.agency, found->agency)) {
      return absl::NotFoundError(absl::StrCat(what, " ", id, " not found"));
    }
    if (!found->sealed) {
      return absl::FailedPreconditionError(
          absl::StrCat(what, " ", id, " holds no sealed identity"));
    }
    if (!found->value.has_value()) return absl::InternalError("a sealed identity is missing");
    auto plain = vault_.Open(*found->value, id);
    if (!plain.ok()) return plain.status();
    if (!take(*plain)) return absl::DataLossError("a sealed identity that does not parse");
    reading.set_reader(a.subject);
    reading.set_role(std::string(RoleName(a.role)));
    reading.set_agency_code(found->agency);
    reading.set_reason(reason);
    *reading.mutable_read_time() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
    PetitionStore::InsertReading(tx, reading);
    // The audit record names the holder and the reason; never what was read.
    return AppendAudit(
        tx,
        {a.subject, std::string(RoleName(a.role)), a.agency, absl::StrCat("petition.", call.method),
         what, id, call.request_id, absl::StrCat("identity read: ", reason)},
        now);
  });
}

absl::StatusOr<v1::RevealDenouncerIdentityResponse> Petitions::RevealIdentity(
    const CallContext& call, const v1::RevealDenouncerIdentityRequest& r) {
  v1::RevealDenouncerIdentityResponse out;
  out.mutable_reading()->set_petition_code(r.code());
  auto st = RevealSealed(
      call, "petition", "code", r.code(), r.reason(),
      [&](pqxx::work& tx) -> std::optional<SealedHolder> {
        auto found = PetitionStore::Find(tx, r.code(), false);
        if (!found.has_value()) return std::nullopt;
        SealedHolder h{found->petition.agency_code(), found->petition.identity_sealed(), {}};
        if (h.sealed) h.value = PetitionStore::FindIdentity(tx, r.code());
        return h;
      },
      [&](const std::string& plain) { return out.mutable_denouncer()->ParseFromString(plain); },
      *out.mutable_reading());
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<int> Petitions::ResealOnce(int limit) {
  if (!vault_.configured()) return 0;
  int moved = 0;
  auto st = RunInTransaction(db_, "reseal_identities", [&](pqxx::work& tx) -> absl::Status {
    moved = 0;
    const absl::Time now = clock_.Now();
    // Every table of sealed values: a petition's denouncer, a reception visit's visitors.
    for (const auto& table : PetitionStore::kSealedTables) {
      if (moved >= limit) break;
      for (const auto& [bound_to, sealed] :
           PetitionStore::IdentitiesToReseal(tx, table, vault_.current_key_id(), limit - moved)) {
        auto plain = vault_.Open(sealed, bound_to);
        if (!plain.ok()) continue;  // its key is gone from the ring: left as it is, reported
        auto again = vault_.Seal(*plain, bound_to);
        if (!again.ok()) return again.status();
        PetitionStore::ReplaceIdentity(tx, table, bound_to, *again, now);
        ++moved;
      }
    }
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return moved;
}

}  // namespace localgov::petition

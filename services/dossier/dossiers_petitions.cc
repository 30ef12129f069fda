// The joins with the petition service: the petitions that name a dossier, reported by the
// petition service through its outbox (RecordDossierPetition: checked, kept when newer than the
// copy held, audited), and the dossiers gone wrong reported to it (PublishCase).
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/agency_code.h"
#include "common/audit.h"
#include "common/db/transaction.h"
#include "common/outbox.h"
#include "common/status.h"
#include "services/dossier/dossier_cases.h"
#include "services/dossier/dossier_store.h"
#include "services/dossier/dossiers.h"

namespace localgov::dossier {

absl::StatusOr<bool> Dossiers::RecordPetition(const CallContext& call,
                                              const v1::RecordDossierPetitionRequest& r) {
  Validator v;
  const auto& p = r.petition();
  v.Check(!r.dossier_code().empty() && r.dossier_code().size() <= 64, "dossier_code",
          "required, at most 64 characters");
  v.Check(!p.petition_code().empty() && p.petition_code().size() <= 64, "petition.petition_code",
          "required, at most 64 characters");
  v.Check(IsValidAgencyCode(p.agency_code()), "petition.agency_code",
          "must be a national agency code");
  v.Check(p.kind() != petition::v1::PETITION_KIND_UNSPECIFIED &&
              petition::v1::PetitionKind_IsValid(p.kind()),
          "petition.kind", "required: one of the petition kinds");
  v.Check(p.state() != petition::v1::PETITION_STATE_UNSPECIFIED &&
              petition::v1::PetitionState_IsValid(p.state()),
          "petition.state", "required: one of the petition states");
  absl::CivilDay day;
  v.Check(p.next_deadline().empty() || absl::ParseCivilTime(p.next_deadline(), &day),
          "petition.next_deadline", "a date YYYY-MM-DD, or empty");
  v.Check(p.has_received_time(), "petition.received_time", "required");
  v.Check(p.has_update_time(), "petition.update_time", "required");
  v.Check(r.sequence() > 0, "sequence", "the petition service's change sequence, from 1");
  if (!v.ok()) return v.status();
  const absl::Time now = clock_.Now();
  bool applied = false;
  auto st = RunInTransaction(db_, "record_dossier_petition", [&](pqxx::work& tx) -> absl::Status {
    applied = DossierStore::KeepPetition(tx, r.dossier_code(), p, r.sequence());
    if (!applied) return absl::OkStatus();  // a repeat or a late report: nothing changes
    const auto& a = call.access;
    return AppendAudit(
        tx,
        {a.subject, std::string(RoleName(a.role)), a.agency, "dossier.RecordDossierPetition",
         "dossier", r.dossier_code(), call.request_id, r.SerializeAsString()},
        now);
  });
  if (!st.ok()) return st;
  return applied;
}

void Dossiers::PublishCase(pqxx::work& tx, const v1::Dossier* before, const v1::Dossier& after,
                           absl::Time at) {
  const auto kind = CaseOf(before, after);
  if (!kind.has_value()) return;
  EnqueueOutbox(tx, kPetitionCaseTopic, after.code(),
                CaseReport(after, *kind, at).SerializeAsString(), "application/x-protobuf");
}

}  // namespace localgov::dossier

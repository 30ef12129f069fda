// Related cases across services (issue 24, item 2): the dossier service's reports of dossiers
// that went wrong for their applicant (RecordDossierCase), kept, and matched to a new petition
// by the same person or naming the dossier.
#include <string>

#include "absl/strings/str_cat.h"
#include "common/agency_code.h"
#include "common/audit.h"
#include "common/db/transaction.h"
#include "common/status.h"
#include "services/petition/dossier_case_store.h"
#include "services/petition/petitions.h"

namespace localgov::petition {
namespace {

// At most this many related dossiers are shown on a petition.
constexpr int kMaxRelatedDossiers = 20;

bool IsPersonKey(const std::string& key) {
  // "h:" and 64 hex digits (common/person_key), or empty.
  if (key.empty()) return true;
  return key.size() == 66 && key.rfind("h:", 0) == 0 &&
         key.find_first_not_of("0123456789abcdef", 2) == std::string::npos;
}

}  // namespace

absl::StatusOr<bool> Petitions::RecordDossierCase(const CallContext& call,
                                                  const v1::RecordDossierCaseRequest& r) {
  const auto& c = r.dossier_case();
  Validator v;
  v.Check(!c.dossier_code().empty() && c.dossier_code().size() <= 64, "dossier_case.dossier_code",
          "required, at most 64 characters");
  v.Check(IsValidAgencyCode(c.agency_code()), "dossier_case.agency_code",
          "must be a national agency code");
  v.Check(!c.procedure_code().empty() && c.procedure_code().size() <= 64,
          "dossier_case.procedure_code", "required, at most 64 characters");
  v.Check(c.state().rfind("DOSSIER_STATE_", 0) == 0 && c.state().size() <= 64 &&
              c.state().find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ_") == std::string::npos,
          "dossier_case.state", "required: a dossier state's name, DOSSIER_STATE_...");
  v.Check(c.kind() != v1::DOSSIER_CASE_KIND_UNSPECIFIED && v1::DossierCaseKind_IsValid(c.kind()),
          "dossier_case.kind", "required: refused, stopped or late");
  v.Check(c.has_time(), "dossier_case.time", "required");
  v.Check(IsPersonKey(c.person_id_key()), "dossier_case.person_id_key",
          "\"h:\" and 64 lowercase hex digits, or empty");
  v.Check(IsPersonKey(c.person_name_key()), "dossier_case.person_name_key",
          "\"h:\" and 64 lowercase hex digits, or empty");
  v.Check(c.version() > 0, "dossier_case.version", "the dossier's version, from 1");
  if (!v.ok()) return v.status();
  bool applied = false;
  const absl::Time now = clock_.Now();
  auto st = RunInTransaction(db_, "record_dossier_case", [&](pqxx::work& tx) -> absl::Status {
    applied = DossierCaseStore::Keep(tx, c);
    if (!applied) return absl::OkStatus();  // a repeat or a late report: nothing changes
    const auto& a = call.access;
    return AppendAudit(
        tx,
        {a.subject, std::string(RoleName(a.role)), a.agency, "petition.RecordDossierCase",
         "dossier", c.dossier_code(), call.request_id, c.SerializeAsString()},
        now);
  });
  if (!st.ok()) return st;
  return applied;
}

std::vector<v1::RelatedDossier> Petitions::RelatedDossiers(pqxx::transaction_base& tx,
                                                           const v1::Petition& p,
                                                           const MatchKeys& keys) {
  // A denouncer is never matched outside what the petition names: their keys are this
  // service's blind index, and are not even offered.
  const bool by_person = p.kind() != v1::PETITION_KIND_DENUNCIATION;
  std::vector<v1::RelatedDossier> out;
  for (auto& f :
       DossierCaseStore::Related(tx, p.act().dossier_code(), by_person ? keys.person_id_key : "",
                                 by_person ? keys.person_name_key : "", kMaxRelatedDossiers)) {
    auto reasons = RelatedDossierReasons(f.facts);
    if (reasons.empty()) continue;
    auto& related = out.emplace_back(std::move(f.dossier));
    for (auto& reason : reasons) related.add_reasons(std::move(reason));
  }
  return out;
}

}  // namespace localgov::petition

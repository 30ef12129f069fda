#include "services/dossier/dossier_cases.h"

#include "common/person_key.h"
#include "google/protobuf/util/time_util.h"

namespace localgov::dossier {

namespace pv1 = petition::v1;

std::optional<pv1::DossierCaseKind> CaseOf(const v1::Dossier* before, const v1::Dossier& after) {
  if (before == nullptr) {
    if (after.state() == v1::DOSSIER_STATE_NOT_ACCEPTED) return pv1::DOSSIER_CASE_KIND_REFUSED;
    return std::nullopt;
  }
  if (after.state() == v1::DOSSIER_STATE_STOPPED && before->state() != v1::DOSSIER_STATE_STOPPED) {
    return pv1::DOSSIER_CASE_KIND_STOPPED;
  }
  if (after.has_apology() && !before->has_apology()) return pv1::DOSSIER_CASE_KIND_LATE;
  if (after.outcome() == v1::OUTCOME_CLASS_LATE && before->outcome() != v1::OUTCOME_CLASS_LATE) {
    return pv1::DOSSIER_CASE_KIND_LATE;
  }
  return std::nullopt;
}

pv1::RecordDossierCaseRequest CaseReport(const v1::Dossier& d, pv1::DossierCaseKind kind,
                                         absl::Time at) {
  pv1::RecordDossierCaseRequest r;
  auto* c = r.mutable_dossier_case();
  c->set_dossier_code(d.code());
  c->set_agency_code(d.receiving_agency_code());
  c->set_procedure_code(d.procedure_code());
  c->set_state(v1::DossierState_Name(d.state()));
  c->set_kind(kind);
  *c->mutable_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(at));
  c->set_person_id_key(CitizenIdKey(d.applicant().citizen_id()));
  c->set_person_name_key(NameAddressKey(d.applicant().full_name(), d.applicant().address()));
  c->set_version(d.version());
  return r;
}

}  // namespace localgov::dossier

// Petitions that name a dossier (act.dossier_code): the code checked with the dossier service
// at intake, and every change of such a petition reported to it through the outbox.
#include <string>

#include "absl/strings/str_cat.h"
#include "common/outbox.h"
#include "common/status.h"
#include "services/petition/petitions.h"

namespace localgov::petition {

dossier::v1::RecordDossierPetitionRequest Petitions::DossierReport(const v1::Petition& p,
                                                                   int64_t sequence) {
  dossier::v1::RecordDossierPetitionRequest r;
  r.set_dossier_code(p.act().dossier_code());
  r.set_sequence(sequence);
  auto* out = r.mutable_petition();
  out->set_petition_code(p.code());
  out->set_agency_code(p.agency_code());
  out->set_kind(p.kind());
  out->set_state(p.state());
  if (p.has_next_deadline()) out->set_next_deadline(p.next_deadline().due_date());
  *out->mutable_received_time() = p.received_time();
  if (p.events_size() > 0) {
    *out->mutable_update_time() = p.events(p.events_size() - 1).time();
  } else {
    *out->mutable_update_time() = p.received_time();
  }
  return r;
}

int64_t Petitions::RecordChange(pqxx::work& tx, const v1::Petition& p) {
  const int64_t sequence = PetitionStore::AppendEvent(tx, p);
  if (!p.act().dossier_code().empty()) {
    EnqueueOutbox(tx, kDossierTopic, p.act().dossier_code(),
                  DossierReport(p, sequence).SerializeAsString(), "application/x-protobuf");
  }
  return sequence;
}

absl::Status Petitions::CheckDossier(const v1::ReceivePetitionRequest& r,
                                     const std::string& agency) const {
  const std::string& code = r.act().dossier_code();
  if (code.empty()) return absl::OkStatus();
  constexpr const char* kField = "act.dossier_code";
  if (!dossier_check_) {
    return absl::FailedPreconditionError(
        "this service cannot reach the dossier service to check act.dossier_code");
  }
  auto received_by = dossier_check_(code, kField);
  if (!received_by.ok()) return received_by.status();
  if (!SameAgency(*received_by, agency)) {
    Validator v;
    v.Add(kField,
          absl::StrCat("dossier ", code, " was received by agency ", *received_by, ", not ", agency,
                       ": a petition about it is filed with the agency that received it"));
    return v.status();
  }
  return absl::OkStatus();
}

}  // namespace localgov::petition

#ifndef LOCALGOV_SERVICES_DOSSIER_INTAKE_H_
#define LOCALGOV_SERVICES_DOSSIER_INTAKE_H_

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/status.h"
#include "common/text.h"
#include "localgov/dossier/v1/dossier.pb.h"
#include "localgov/dossier/v1/dossier_service.pb.h"
#include "localgov/dossier/v1/procedure.pb.h"

namespace localgov::dossier {

// Circular 01/2018 Art. 19: <agency code>-YYMMDD-XXXX, the sequence of that agency and day.
// Past 9999 the sequence keeps its digits (10000...): codes stay unique and never wrap.
std::string DossierCode(std::string_view agency, absl::CivilDay day, int sequence);

// The three intake outcomes (Decree 61/2018 Art. 15; Circular 01/2018 forms 01–03).
struct IntakeOutcome {
  v1::DossierState state = v1::DOSSIER_STATE_UNSPECIFIED;
  std::vector<v1::RequiredDocument> missing;  // every missing mandatory document, at once
};
IntakeOutcome DecideIntake(const v1::Procedure& procedure,
                           const google::protobuf::RepeatedPtrField<v1::HandedDocument>& handed,
                           const google::protobuf::RepeatedPtrField<std::string>& refusal_reasons);

// Checks the request's fields against the procedure: channel allowed, documents known,
// verification limit present, applicant complete. Violations are recorded in `v`.
void ValidateIntake(const v1::ReceiveDossierRequest& request, const v1::Procedure& procedure,
                    Validator& v);

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_INTAKE_H_

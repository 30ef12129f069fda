// What the petition service is told of a dossier (issue 24, item 2): when one goes wrong for its
// applicant — refused at intake, stopped, late — a report with the applicant only as matching
// keys (common/person_key), so that a petition by the same person finds it. Pure rules.
#ifndef LOCALGOV_SERVICES_DOSSIER_DOSSIER_CASES_H_
#define LOCALGOV_SERVICES_DOSSIER_DOSSIER_CASES_H_

#include <optional>

#include "absl/time/time.h"
#include "localgov/dossier/v1/dossier.pb.h"
#include "localgov/petition/v1/petition_service.pb.h"

namespace localgov::dossier {

// The report `after` calls for, if any: `before` is the dossier before the change (nullptr at
// intake). Refused at intake; stopped; late — an apology issued, or finished after its due date.
std::optional<petition::v1::DossierCaseKind> CaseOf(const v1::Dossier* before,
                                                    const v1::Dossier& after);

// The report of `d` as `kind` at `at`: code, agency, procedure, state, version and the
// applicant's keys — never the citizen ID, name or address themselves.
petition::v1::RecordDossierCaseRequest CaseReport(const v1::Dossier& d,
                                                  petition::v1::DossierCaseKind kind,
                                                  absl::Time at);

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_DOSSIER_CASES_H_

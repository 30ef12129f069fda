#ifndef LOCALGOV_SERVICES_DOSSIER_PAPERS_H_
#define LOCALGOV_SERVICES_DOSSIER_PAPERS_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "common/print/paper.h"
#include "localgov/dossier/v1/dossier_service.pb.h"

// The citizen's printed papers of a dossier (Circular 01/2018/TT-VPCP forms 01–04), filled
// from the dossier: pure functions of values (the rendering is common/print).
namespace localgov::dossier {

// What the paper needs besides the dossier.
struct PaperContext {
  std::string agency_name;     // the receiving agency's name (its code when unknown)
  std::string procedure_name;  // the procedure's official name
  std::map<std::string, std::string> document_names;  // the procedure's document code -> name
  std::string lookup_url_template = print::kDefaultPortalLookupUrl;
};

// The paper, or FAILED_PRECONDITION when the dossier has no such paper; INVALID_ARGUMENT for
// an unknown paper.
absl::StatusOr<print::Paper> DossierPaperContent(const v1::Dossier& d, v1::DossierPaper paper,
                                                 const PaperContext& context);

// "<code>-mau-0N.pdf".
std::string DossierPaperFileName(const std::string& code, v1::DossierPaper paper);

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_PAPERS_H_

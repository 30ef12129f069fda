#ifndef LOCALGOV_TOOLS_LOADGEN_REQUESTS_H_
#define LOCALGOV_TOOLS_LOADGEN_REQUESTS_H_

#include <string>

#include "localgov/dossier/v1/dossier_service.pb.h"

namespace localgov::loadgen {

// One counter intake of HT-01 with its two documents (complete). An empty agency keeps the
// token's (the first demo commune).
inline localgov::dossier::v1::ReceiveDossierRequest MakeIntake(const std::string& request_id,
                                                               const std::string& agency,
                                                               const std::string& citizen_id) {
  localgov::dossier::v1::ReceiveDossierRequest req;
  req.set_request_id(request_id);
  req.set_procedure_code("HT-01");
  req.set_channel(localgov::dossier::v1::CHANNEL_COUNTER);
  if (!agency.empty()) req.set_receiving_agency_code(agency);
  req.mutable_applicant()->set_full_name("Nguyễn Văn Tải");
  req.mutable_applicant()->set_citizen_id(citizen_id);
  req.add_documents()->set_document_code("to-khai");
  req.add_documents()->set_document_code("giay-chung-sinh");
  return req;
}

}  // namespace localgov::loadgen

#endif  // LOCALGOV_TOOLS_LOADGEN_REQUESTS_H_

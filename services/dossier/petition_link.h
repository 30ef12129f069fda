// The dossier service's link to the petition service: the outbox's delivery of dossier reports
// (topic Dossiers::kPetitionCaseTopic) to PetitionService/RecordDossierCase, with this
// service's own token.
#ifndef LOCALGOV_SERVICES_DOSSIER_PETITION_LINK_H_
#define LOCALGOV_SERVICES_DOSSIER_PETITION_LINK_H_

#include <memory>
#include <string>

#include "common/auth/service_token.h"
#include "common/outbox.h"
#include "grpcpp/grpcpp.h"
#include "localgov/petition/v1/petition_service.grpc.pb.h"

namespace localgov::dossier {

class PetitionLink final : public OutboxDeliverer {
 public:
  // `address` empty: no petition service configured (every delivery waits, retried).
  PetitionLink(std::string address, std::shared_ptr<grpc::ChannelCredentials> credentials,
               std::shared_ptr<ServiceToken> token);
  // OK once the petition service kept the report (or a newer one); DATA_LOSS for a payload that
  // is no RecordDossierCaseRequest and INVALID_ARGUMENT when it is refused (both set aside);
  // anything else is retried.
  absl::Status Deliver(const OutboxMessage& message) override;

 private:
  std::unique_ptr<petition::v1::PetitionService::Stub> stub_;
  std::shared_ptr<ServiceToken> token_;
};

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_PETITION_LINK_H_

// The petition service's links to the dossier service (docs/architecture.md, "Events across
// services"): the check of a dossier code named in a new petition — a synchronous call, since
// the answer is needed before replying — and the delivery of each petition's reports, relayed
// by the outbox (topic Petitions::kDossierTopic) to RecordDossierPetition.
#ifndef LOCALGOV_SERVICES_PETITION_DOSSIER_LINK_H_
#define LOCALGOV_SERVICES_PETITION_DOSSIER_LINK_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/service_token.h"
#include "common/outbox.h"
#include "grpcpp/grpcpp.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"

namespace localgov::petition {

class DossierLink final : public OutboxDeliverer {
 public:
  // `address` empty: no dossier service is configured (every call says so).
  DossierLink(std::string address, std::shared_ptr<grpc::ChannelCredentials> credentials,
              std::shared_ptr<ServiceToken> token, absl::Duration deadline = absl::Seconds(3));

  // The agency that received dossier `code`. INVALID_ARGUMENT naming `field` when no dossier
  // has that code; UNAVAILABLE when the dossier service cannot answer within the deadline
  // (nothing may be recorded: the caller tries again); FAILED_PRECONDITION when this service
  // cannot call it (no address, no service token, or its token refused).
  absl::StatusOr<std::string> ReceivingAgency(const std::string& code, const std::string& field);

  // A citizen's own dossiers (ListDossiers with the citizen's `bearer` token, so the dossier
  // service decides what they may see), at most `limit`, within `deadline`; `truncated` when
  // there were more. Any failure comes back as the dossier service's status.
  struct Dossiers {
    std::vector<dossier::v1::Dossier> dossiers;
    bool truncated = false;
  };
  absl::StatusOr<Dossiers> CitizenDossiers(const std::string& bearer,
                                           const std::vector<dossier::v1::DossierState>& states,
                                           int limit, absl::Duration deadline);

  // The outbox's delivery of a RecordDossierPetitionRequest: OK once the dossier service kept
  // it (or already had it, or a newer one); DATA_LOSS for a payload that is no such request,
  // INVALID_ARGUMENT when the dossier service refuses it (both set aside); anything else is
  // retried.
  absl::Status Deliver(const OutboxMessage& message) override;

 private:
  absl::Status Prepare(grpc::ClientContext& ctx, absl::Duration deadline);

  std::unique_ptr<dossier::v1::DossierService::Stub> stub_;
  std::shared_ptr<ServiceToken> token_;
  absl::Duration deadline_;
};

}  // namespace localgov::petition

#endif  // LOCALGOV_SERVICES_PETITION_DOSSIER_LINK_H_

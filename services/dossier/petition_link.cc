#include "services/dossier/petition_link.h"

#include <chrono>

#include "common/server.h"
#include "common/status.h"

namespace localgov::dossier {

PetitionLink::PetitionLink(std::string address,
                           std::shared_ptr<grpc::ChannelCredentials> credentials,
                           std::shared_ptr<ServiceToken> token)
    : token_(std::move(token)) {
  if (!address.empty()) {
    stub_ = petition::v1::PetitionService::NewStub(PeerChannel(address, credentials));
  }
}

absl::Status PetitionLink::Deliver(const OutboxMessage& message) {
  petition::v1::RecordDossierCaseRequest request;
  if (!request.ParseFromString(message.payload)) {
    return absl::DataLossError("an outbox message that is not a RecordDossierCaseRequest");
  }
  if (!stub_) {
    return absl::FailedPreconditionError(
        "no petition service is configured (LOCALGOV_PETITION_ADDR)");
  }
  if (token_ == nullptr || !token_->configured()) {
    return absl::FailedPreconditionError(
        "this service has no token to call the petition service with "
        "(LOCALGOV_SERVICE_TOKEN_FILE)");
  }
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  if (auto st = token_->Attach(ctx); !st.ok()) return st;
  ctx.AddMetadata("x-request-id", message.message_id);
  petition::v1::RecordDossierCaseResponse response;
  return FromGrpcStatus(stub_->RecordDossierCase(&ctx, request, &response));
}

}  // namespace localgov::dossier

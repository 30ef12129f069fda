#include "services/petition/dossier_link.h"

#include "absl/strings/str_cat.h"
#include "common/server.h"
#include "common/status.h"

namespace localgov::petition {

DossierLink::DossierLink(std::string address, std::shared_ptr<grpc::ChannelCredentials> credentials,
                         std::shared_ptr<ServiceToken> token, absl::Duration deadline)
    : token_(std::move(token)), deadline_(deadline) {
  if (!address.empty()) {
    stub_ = dossier::v1::DossierService::NewStub(PeerChannel(address, credentials));
  }
}

absl::Status DossierLink::Prepare(grpc::ClientContext& ctx, absl::Duration deadline) {
  if (!stub_) {
    return absl::FailedPreconditionError(
        "no dossier service is configured (LOCALGOV_DOSSIER_ADDR) to check a dossier code with");
  }
  if (token_ == nullptr || !token_->configured()) {
    return absl::FailedPreconditionError(
        "this service has no token to call the dossier service with "
        "(LOCALGOV_SERVICE_TOKEN_FILE)");
  }
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  return token_->Attach(ctx);
}

absl::StatusOr<std::string> DossierLink::ReceivingAgency(const std::string& code,
                                                         const std::string& field) {
  grpc::ClientContext ctx;
  if (auto st = Prepare(ctx, deadline_); !st.ok()) return st;
  dossier::v1::GetDossierRequest request;
  request.set_code(code);
  dossier::v1::GetDossierResponse response;
  const absl::Status st = FromGrpcStatus(stub_->GetDossier(&ctx, request, &response));
  if (st.ok()) return response.dossier().receiving_agency_code();
  switch (st.code()) {
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kInvalidArgument: {
      Validator v;
      v.Add(field, "no dossier of the dossier service has this code");
      return v.status();
    }
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kPermissionDenied:
      return absl::FailedPreconditionError(
          absl::StrCat("the dossier service refused this service's token (",
                       absl::StatusCodeToString(st.code()), "); ", field, " was not checked"));
    default:
      return absl::UnavailableError(absl::StrCat("the dossier service could not check ", field,
                                                 " (", absl::StatusCodeToString(st.code()),
                                                 "); nothing was recorded, try again"));
  }
}

absl::StatusOr<DossierLink::Dossiers> DossierLink::CitizenDossiers(
    const std::string& bearer, const std::vector<dossier::v1::DossierState>& states, int limit,
    absl::Duration deadline) {
  if (!stub_) {
    return absl::FailedPreconditionError(
        "no dossier service is configured (LOCALGOV_DOSSIER_ADDR)");
  }
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  ctx.AddMetadata("authorization", bearer);
  dossier::v1::ListDossiersRequest request;
  request.set_page_size(limit);
  for (auto s : states) request.add_states(s);
  dossier::v1::ListDossiersResponse response;
  if (auto st = FromGrpcStatus(stub_->ListDossiers(&ctx, request, &response)); !st.ok()) return st;
  Dossiers out;
  out.dossiers.assign(response.dossiers().begin(), response.dossiers().end());
  out.truncated = !response.next_page_token().empty();
  return out;
}

absl::Status DossierLink::Deliver(const OutboxMessage& message) {
  dossier::v1::RecordDossierPetitionRequest request;
  if (!request.ParseFromString(message.payload)) {
    return absl::DataLossError("an outbox message that is not a RecordDossierPetitionRequest");
  }
  grpc::ClientContext ctx;
  if (auto st = Prepare(ctx, absl::Seconds(10)); !st.ok()) return st;
  ctx.AddMetadata("x-request-id", message.message_id);
  dossier::v1::RecordDossierPetitionResponse response;
  return FromGrpcStatus(stub_->RecordDossierPetition(&ctx, request, &response));
}

}  // namespace localgov::petition

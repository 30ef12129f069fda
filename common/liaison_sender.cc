#include "common/liaison_sender.h"

#include "common/server.h"
#include "common/status.h"

namespace localgov {

LiaisonSender::LiaisonSender(std::string address,
                             std::shared_ptr<grpc::ChannelCredentials> credentials) {
  if (!address.empty()) {
    stub_ = liaison::v1::LiaisonService::NewStub(PeerChannel(address, credentials));
  }
}

absl::Status LiaisonSender::Deliver(const OutboxMessage& message) {
  if (!stub_) return absl::FailedPreconditionError("no liaison address (LOCALGOV_LIAISON_ADDR)");
  liaison::v1::SendRequest request;
  if (!request.ParseFromString(message.payload)) {
    return absl::InternalError("an outbox message that is not a SendRequest");
  }
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  ctx.AddMetadata("x-request-id", message.message_id);
  liaison::v1::SendResponse response;
  auto st = stub_->Send(&ctx, request, &response);
  if (st.ok()) return absl::OkStatus();
  return FromGrpcStatus(st);
}

}  // namespace localgov

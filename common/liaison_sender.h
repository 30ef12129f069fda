#ifndef LOCALGOV_COMMON_LIAISON_SENDER_H_
#define LOCALGOV_COMMON_LIAISON_SENDER_H_

#include <memory>
#include <string>

#include "common/outbox.h"
#include "grpcpp/grpcpp.h"
#include "localgov/liaison/v1/liaison_service.grpc.pb.h"

namespace localgov {

// Relays the outbox's envelopes (dossier handoffs, petition referrals) to the liaison service's
// Send (the envelope's signature authenticates the sender; mTLS the service). Send answers OK for a
// retried identical envelope, so OK means delivered; anything else is retried by the outbox.
class LiaisonSender final : public OutboxDeliverer {
 public:
  LiaisonSender(std::string address, std::shared_ptr<grpc::ChannelCredentials> credentials);
  absl::Status Deliver(const OutboxMessage& message) override;

 private:
  std::unique_ptr<liaison::v1::LiaisonService::Stub> stub_;
};

}  // namespace localgov

#endif  // LOCALGOV_COMMON_LIAISON_SENDER_H_

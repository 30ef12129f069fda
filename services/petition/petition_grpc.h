#ifndef LOCALGOV_SERVICES_PETITION_PETITION_GRPC_H_
#define LOCALGOV_SERVICES_PETITION_PETITION_GRPC_H_

#include "common/service.h"
#include "localgov/petition/v1/petition_service.grpc.pb.h"

namespace localgov::petition {

// The gRPC adapter of the petition service: translates requests and responses, nothing more.
class PetitionGrpc final : public v1::PetitionService::CallbackService {
 public:
  explicit PetitionGrpc(ServiceContext& ctx) : ctx_(ctx) {}

  grpc::ServerUnaryReactor* GetServiceInfo(grpc::CallbackServerContext* context,
                                           const v1::GetServiceInfoRequest* request,
                                           v1::GetServiceInfoResponse* response) override;

 private:
  ServiceContext& ctx_;
};

}  // namespace localgov::petition

#endif  // LOCALGOV_SERVICES_PETITION_PETITION_GRPC_H_

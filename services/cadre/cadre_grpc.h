#ifndef LOCALGOV_SERVICES_CADRE_CADRE_GRPC_H_
#define LOCALGOV_SERVICES_CADRE_CADRE_GRPC_H_

#include "common/service.h"
#include "localgov/cadre/v1/cadre_service.grpc.pb.h"

namespace localgov::cadre {

// The gRPC adapter of the cadre service: translates requests and responses, nothing more.
class CadreGrpc final : public v1::CadreService::CallbackService {
 public:
  explicit CadreGrpc(ServiceContext& ctx) : ctx_(ctx) {}

  grpc::ServerUnaryReactor* GetServiceInfo(grpc::CallbackServerContext* context,
                                           const v1::GetServiceInfoRequest* request,
                                           v1::GetServiceInfoResponse* response) override;

 private:
  ServiceContext& ctx_;
};

}  // namespace localgov::cadre

#endif  // LOCALGOV_SERVICES_CADRE_CADRE_GRPC_H_

#ifndef LOCALGOV_SERVICES_LIAISON_LIAISON_GRPC_H_
#define LOCALGOV_SERVICES_LIAISON_LIAISON_GRPC_H_

#include "common/service.h"
#include "localgov/liaison/v1/liaison_service.grpc.pb.h"
#include "services/liaison/directory.h"

namespace localgov::liaison {

// The gRPC adapter of the liaison service: translates requests and responses, nothing more.
class LiaisonGrpc final : public v1::LiaisonService::CallbackService {
 public:
  explicit LiaisonGrpc(ServiceContext& ctx) : ctx_(ctx), directory_(ctx.db, ctx.clock) {}

  grpc::ServerUnaryReactor* GetServiceInfo(grpc::CallbackServerContext* context,
                                           const v1::GetServiceInfoRequest* request,
                                           v1::GetServiceInfoResponse* response) override;
  grpc::ServerUnaryReactor* CreateAgency(grpc::CallbackServerContext* context,
                                         const v1::CreateAgencyRequest* request,
                                         v1::CreateAgencyResponse* response) override;
  grpc::ServerUnaryReactor* GetAgency(grpc::CallbackServerContext* context,
                                      const v1::GetAgencyRequest* request,
                                      v1::GetAgencyResponse* response) override;

 private:
  ServiceContext& ctx_;
  Directory directory_;
};

}  // namespace localgov::liaison

#endif  // LOCALGOV_SERVICES_LIAISON_LIAISON_GRPC_H_

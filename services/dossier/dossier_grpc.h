#ifndef LOCALGOV_SERVICES_DOSSIER_DOSSIER_GRPC_H_
#define LOCALGOV_SERVICES_DOSSIER_DOSSIER_GRPC_H_

#include "common/service.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"

namespace localgov::dossier {

// The gRPC adapter of the dossier service: translates requests and responses, nothing more.
class DossierGrpc final : public v1::DossierService::CallbackService {
 public:
  explicit DossierGrpc(ServiceContext& ctx) : ctx_(ctx) {}

  grpc::ServerUnaryReactor* GetServiceInfo(grpc::CallbackServerContext* context,
                                           const v1::GetServiceInfoRequest* request,
                                           v1::GetServiceInfoResponse* response) override;

 private:
  ServiceContext& ctx_;
};

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_DOSSIER_GRPC_H_

#include "services/cadre/cadre_grpc.h"

namespace localgov::cadre {

grpc::Status CadreGrpc::GetServiceInfo(grpc::ServerContext* context,
                                       const v1::GetServiceInfoRequest* request,
                                       v1::GetServiceInfoResponse* response) {
  return ctx_.rpc.Run(context, "GetServiceInfo", kAnyRole, [&](const CallContext&) {
    return FillServiceInfo(ctx_, response->mutable_info());
  });
}

}  // namespace localgov::cadre

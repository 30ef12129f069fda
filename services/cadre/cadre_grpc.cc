#include "services/cadre/cadre_grpc.h"

namespace localgov::cadre {

grpc::ServerUnaryReactor* CadreGrpc::GetServiceInfo(grpc::CallbackServerContext* context,
                                                    const v1::GetServiceInfoRequest* request,
                                                    v1::GetServiceInfoResponse* response) {
  return ctx_.rpc.Run(context, "GetServiceInfo", kAnyRole, request, response,
                      [this](const CallContext&, const auto&, auto& out) {
                        return FillServiceInfo(ctx_, out.mutable_info());
                      });
}

}  // namespace localgov::cadre

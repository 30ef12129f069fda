#include "services/cadre/cadre_grpc.h"

namespace localgov::cadre {

grpc::ServerUnaryReactor* CadreGrpc::GetServiceInfo(grpc::CallbackServerContext* context,
                                                    const v1::GetServiceInfoRequest* request,
                                                    v1::GetServiceInfoResponse* response) {
  return ServeGetServiceInfo(ctx_, context, request, response);
}

}  // namespace localgov::cadre

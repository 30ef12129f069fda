#include "services/dossier/dossier_grpc.h"

namespace localgov::dossier {

grpc::ServerUnaryReactor* DossierGrpc::GetServiceInfo(grpc::CallbackServerContext* context,
                                                      const v1::GetServiceInfoRequest* request,
                                                      v1::GetServiceInfoResponse* response) {
  return ServeGetServiceInfo(ctx_, context, request, response);
}

}  // namespace localgov::dossier

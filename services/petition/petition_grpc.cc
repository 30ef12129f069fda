#include "services/petition/petition_grpc.h"

namespace localgov::petition {

grpc::ServerUnaryReactor* PetitionGrpc::GetServiceInfo(grpc::CallbackServerContext* context,
                                                       const v1::GetServiceInfoRequest* request,
                                                       v1::GetServiceInfoResponse* response) {
  return ServeGetServiceInfo(ctx_, context, request, response);
}

}  // namespace localgov::petition

#include "services/petition/petition_grpc.h"

namespace localgov::petition {

grpc::Status PetitionGrpc::GetServiceInfo(grpc::ServerContext* context,
                                          const v1::GetServiceInfoRequest* request,
                                          v1::GetServiceInfoResponse* response) {
  return ctx_.rpc.Run(context, "GetServiceInfo", kAnyRole, [&](const CallContext&) {
    return FillServiceInfo(ctx_, response->mutable_info());
  });
}

}  // namespace localgov::petition

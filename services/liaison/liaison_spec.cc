#include "services/liaison/liaison_spec.h"

#include "services/liaison/liaison_grpc.h"

namespace localgov::liaison {

ServiceSpec Spec() {
  ServiceSpec spec;
  spec.defaults = {"liaison",
                   kDefaultGrpcPort,
                   kDefaultMetricsPort,
                   {{"dossier", 50051, "delivers envelopes to its Receiver"},
                    {"petition", 50052, "delivers referrals to its Receiver"}},
                   {}};
  spec.migrations = &liaison_migrations();
  spec.grpc_services = {"localgov.liaison.v1.LiaisonService"};
  spec.make_services = [](ServiceContext& ctx) {
    std::vector<std::unique_ptr<grpc::Service>> services;
    services.push_back(std::make_unique<LiaisonGrpc>(ctx));
    return services;
  };
  return spec;
}

}  // namespace localgov::liaison

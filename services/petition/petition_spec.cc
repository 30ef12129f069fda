#include "services/petition/petition_spec.h"

#include "services/petition/petition_grpc.h"

namespace localgov::petition {

ServiceSpec Spec() {
  ServiceSpec spec;
  spec.defaults = {"petition",
                   kDefaultGrpcPort,
                   kDefaultMetricsPort,
                   {{"liaison", 50054, "refers petitions outside its jurisdiction"}},
                   {}};
  spec.migrations = &petition_migrations();
  spec.grpc_services = {"localgov.petition.v1.PetitionService"};
  spec.make_services = [](ServiceContext& ctx) {
    std::vector<std::unique_ptr<grpc::Service>> services;
    services.push_back(std::make_unique<PetitionGrpc>(ctx));
    return services;
  };
  return spec;
}

}  // namespace localgov::petition

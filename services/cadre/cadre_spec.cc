#include "services/cadre/cadre_spec.h"

#include "services/cadre/cadre_grpc.h"

namespace localgov::cadre {

ServiceSpec Spec() {
  ServiceSpec spec;
  spec.defaults = {"cadre",
                   kDefaultGrpcPort,
                   kDefaultMetricsPort,
                   {{"liaison", 50054, "agency codes from the exchange directory"}},
                   {}};
  spec.migrations = &cadre_migrations();
  spec.grpc_services = {"localgov.cadre.v1.CadreService"};
  spec.make_services = [](ServiceContext& ctx) {
    std::vector<std::unique_ptr<grpc::Service>> services;
    services.push_back(std::make_unique<CadreGrpc>(ctx));
    return services;
  };
  return spec;
}

}  // namespace localgov::cadre

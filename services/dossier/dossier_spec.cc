#include "services/dossier/dossier_spec.h"

#include "services/dossier/dossier_grpc.h"

namespace localgov::dossier {

ServiceSpec Spec() {
  ServiceSpec spec;
  spec.defaults = {"dossier", kDefaultGrpcPort, kDefaultMetricsPort};
  spec.migrations = &dossier_migrations();
  spec.grpc_services = {"localgov.dossier.v1.DossierService"};
  spec.make_services = [](ServiceContext& ctx) {
    std::vector<std::unique_ptr<grpc::Service>> services;
    services.push_back(std::make_unique<DossierGrpc>(ctx));
    return services;
  };
  return spec;
}

}  // namespace localgov::dossier

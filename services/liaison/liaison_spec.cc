#include "services/liaison/liaison_spec.h"

#include "common/envelope.h"
#include "services/liaison/liaison_grpc.h"

namespace localgov::liaison {

ServiceSpec Spec() {
  ServiceSpec spec;
  spec.defaults = {"liaison",
                   kDefaultGrpcPort,
                   kDefaultMetricsPort,
                   {{"dossier", 50051, "delivers envelopes to its Receiver"},
                    {"petition", 50052, "delivers referrals to its Receiver"}},
                   {{"--log-signing-key-file", std::string(kLogSigningKeyVariable), "",
                     "the liaison's Ed25519 key file that signs the message log "
                     "(localgovctl exchange keygen); keep it outside the database",
                     [](const std::string& path) { return ReadSigningKeyFile(path).status(); },
                     /*required_to_serve=*/true}}};
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

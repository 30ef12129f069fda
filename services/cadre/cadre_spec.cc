#include "services/cadre/cadre_spec.h"

#include "common/directory_snapshot.h"
#include "services/cadre/cadre_grpc.h"
#include "services/cadre/cadre_rules.h"

namespace localgov::cadre {

ServiceSpec Spec() {
  ServiceSpec spec;
  spec.defaults = {"cadre",
                   kDefaultGrpcPort,
                   kDefaultMetricsPort,
                   {{"liaison", 50054, "agency codes from the exchange directory"}},
                   {{"--cadre-rules", CadreRuleBook::kVariable, "",
                     "cadre rule sets added to the statutory ones (2008 law, 2025 law from "
                     "2025-07-01), each from its day: YYYY-MM-DD:early_raise_share_percent=N,"
                     "round2_min_score=N,recruitment_tie_break=round2|none;... (unverified: the "
                     "early-raise share of Circular 08/2013 Art. 3, default 10; the recruitment "
                     "round-2 minimum, default 50, and tie break, default round2, of Decree "
                     "138/2020 Art. 10 as kept by Decree 170/2025)",
                     [](const std::string& v) { return CadreRuleBook::Parse(v).status(); }},
                    {"--directory-trust-key", std::string(kDirectoryTrustKeyVariable), "",
                     "the liaison service's public key (base64, `localgovctl exchange "
                     "public-key`): the trust anchor of the signed directory snapshot whose "
                     "agencies, names and mergers the cadre service takes; unset, the service "
                     "keeps its own register of agencies",
                     [](const std::string& v) { return ParseTrustKey(v).status(); }}}};
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

#include "services/dossier/dossier_spec.h"

#include "common/calendar/seed.h"
#include "common/directory_snapshot.h"
#include "common/envelope.h"
#include "common/logging.h"
#include "services/dossier/dossier_grpc.h"
#include "services/dossier/papers.h"
#include "services/dossier/portal_codes.h"
#include "services/dossier/quality.h"
#include "services/dossier/rules.h"

namespace localgov::dossier {

ServiceSpec Spec() {
  ServiceSpec spec;
  spec.defaults = {
      "dossier",
      kDefaultGrpcPort,
      kDefaultMetricsPort,
      {{"liaison", 50054, "hands route steps owned by other agencies to them"},
       {"petition", 50052,
        "reports dossiers refused, stopped or late (RecordDossierCase): related cases"}},
      {{"--quality-weights", std::string(kQualityWeightsVariable), kDefaultQualityWeights,
        "Decision 766 service-index weights: group=points,... (on_time, satisfaction, online)",
        [](const std::string& v) { return ParseQualityWeights(v).status(); }},
       {"--one-stop-rules", OneStopRuleBook::kVariable, "",
        "one-stop rule sets added to the statutory ones (Decree 61/2018, Decree 118/2025), each "
        "from its day: YYYY-MM-DD:key=value,...;... with supplement_window (working days), "
        "online_notices, apology_lead (working days), receipt_cutoff (HH:MM); a dossier follows "
        "the set in force on the day it was received",
        [](const std::string& v) { return OneStopRuleBook::Parse(v).status(); }},
       {"--portal-status-codes", PortalCodes::kVariable, "",
        "the portal's status code of each state where it differs from Circular 22/2019's 1–10 "
        "(unverified): STATE=code,... e.g. PAYMENT_REQUESTED=4",
        [](const std::string& v) { return PortalCodes::Parse(v).status(); }},
       {"--working-hours", calendar::kWorkingHoursVariable,
        calendar::FormatWorkingHours(calendar::WorkingHours{}),
        "office hours for limits in working hours: HH:MM-HH:MM,...",
        [](const std::string& v) { return calendar::ParseWorkingHours(v).status(); }},
       {"--exchange-signing-key-file", std::string(kExchangeKeyVariable), "",
        "Ed25519 key file (localgovctl exchange keygen) that signs the handoffs of route steps "
        "owned by other agencies; its public key is registered for each agency served",
        [](const std::string& path) { return ReadSigningKeyFile(path).status(); }},
       {"--portal-lookup-url", print::kPortalLookupUrlVariable, print::kDefaultPortalLookupUrl,
        "the province portal's look-up address of a dossier, {code} replaced by its code: the "
        "QR code of the citizen's printed papers (PrintDossierPaper) carries it",
        [](const std::string& v) { return print::CheckLookupUrlTemplate(v); }},
       {"--directory-trust-key", std::string(kDirectoryTrustKeyVariable), "",
        "the liaison service's public key (base64, `localgovctl exchange public-key`): the "
        "trust anchor of the signed directory snapshot that deliveries are checked against; "
        "unset, deliveries are not checked again here",
        [](const std::string& v) { return ParseTrustKey(v).status(); }}}};
  spec.migrations = &dossier_migrations();
  spec.grpc_services = {"localgov.dossier.v1.DossierService",
                        "localgov.liaison.v1.ReceiverService"};
  spec.make_services = [](ServiceContext& ctx) {
    auto dossier = std::make_unique<DossierGrpc>(ctx);
    if (auto st = dossier->calendar().SeedMissingYears(calendar::SeedYears()); !st.ok()) {
      spdlog::warn("calendar seeding failed: {}", st.message());
    }
    if (auto st = dossier->catalogue().SeedMissing(SeedProcedures()); !st.ok()) {
      spdlog::warn("catalogue seeding failed: {}", st.message());
    }
    std::vector<std::unique_ptr<grpc::Service>> services;
    auto receiver = std::make_unique<DossierReceiverGrpc>(ctx, dossier->dossiers());
    services.push_back(std::move(dossier));
    services.push_back(std::move(receiver));
    return services;
  };
  return spec;
}

}  // namespace localgov::dossier

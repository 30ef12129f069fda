#include "services/petition/petition_spec.h"

#include "common/directory_snapshot.h"
#include "common/envelope.h"
#include "common/print/paper.h"
#include "services/petition/identity_vault.h"
#include "services/petition/matching.h"
#include "services/petition/petition_grpc.h"
#include "services/petition/reception_grpc.h"
#include "services/petition/rules.h"

namespace localgov::petition {

ServiceSpec Spec() {
  ServiceSpec spec;
  spec.defaults = {
      "petition",
      kDefaultGrpcPort,
      kDefaultMetricsPort,
      {{"liaison", 50054, "forwards petitions outside its jurisdiction and their answers"},
       {"dossier", 50051,
        "the working-day calendar (GetCalendarYear) for the petition clocks; the check of a "
        "dossier code named in a petition (GetDossier); the reports of petitions about a "
        "dossier (RecordDossierPetition)"}},
      {{"--petition-rules", PetitionRuleBook::kVariable, "",
        "petition rule sets added to the statutory ones (Laws 42/2013, 02/2011, 25/2018; Law "
        "136/2025 from 2026-07-01), each from its day: YYYY-MM-DD:key=value,...;... with the "
        "keys of docs/rules.md (e.g. first_complaint=30); a petition follows the set in force "
        "on its day of receipt",
        [](const std::string& v) { return PetitionRuleBook::Parse(v).status(); }},
       {"--identity-keys-file", IdentityVault::kVariable, "",
        "the key ring that seals denouncers' identities: one 'key_id:base64' per line "
        "(`localgovctl petition sealing-keygen`), the first seals, all open; kept outside the "
        "database. Unset, a denunciation naming its denouncer is refused",
        [](const std::string& path) { return IdentityVault::FromFile(path).status(); }},
       {"--exchange-signing-key-file", std::string(kExchangeKeyVariable), "",
        "Ed25519 key file (localgovctl exchange keygen) that signs forwarded petitions and their "
        "answers, and opens identities sealed to this agency; its public key is registered for "
        "each agency served",
        [](const std::string& path) { return ReadSigningKeyFile(path).status(); }},
       {"--portal-lookup-url", print::kPortalLookupUrlVariable, print::kDefaultPortalLookupUrl,
        "the province portal's look-up address of a petition, {code} replaced by its code: the "
        "QR code of the reception office's receipt (PrintPetitionReceipt) carries it",
        [](const std::string& v) { return print::CheckLookupUrlTemplate(v); }},
       {"--petition-matching", MatchingSettings::kVariable, "",
        "duplicates and long-running matters (configuration, not law): "
        "min_score=0.4,answered_score=0.6,long_running_filings=5,long_running_open_days=180 "
        "(any subset); a repeat of an answered petition scoring answered_score or more is "
        "not processed",
        [](const std::string& v) { return MatchingSettings::Parse(v).status(); }},
       {"--directory-trust-key", std::string(kDirectoryTrustKeyVariable), "",
        "the liaison service's public key (base64, `localgovctl exchange public-key`): the trust "
        "anchor of the signed directory snapshot (agency codes, mergers, the keys a forwarded "
        "identity is sealed to, the senders of deliveries)",
        [](const std::string& v) { return ParseTrustKey(v).status(); }}}};
  spec.migrations = &petition_migrations();
  spec.grpc_services = {"localgov.petition.v1.PetitionService",
                        "localgov.petition.v1.ReceptionService",
                        "localgov.liaison.v1.ReceiverService"};
  spec.make_services = [](ServiceContext& ctx) {
    auto petition = std::make_unique<PetitionGrpc>(ctx);
    auto receiver = std::make_unique<PetitionReceiverGrpc>(ctx, petition->petitions());
    auto reception = std::make_unique<ReceptionGrpc>(ctx, petition->petitions());
    std::vector<std::unique_ptr<grpc::Service>> services;
    services.push_back(std::move(petition));
    services.push_back(std::move(reception));
    services.push_back(std::move(receiver));
    return services;
  };
  return spec;
}

}  // namespace localgov::petition

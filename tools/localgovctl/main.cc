// localgovctl: the command line of localgov for operators and developers.
//   localgovctl health                      grpc.health.v1 of every service
//   localgovctl info [--service NAME]       GetServiceInfo of every (or one) service
//   localgovctl token keygen --out-dir DIR  a development issuer key pair (local profile)
//   localgovctl token mint --role R --agency A [--subject S] [--ttl 8h]
//   localgovctl directory create-agency --code C --name N --kind K [--unit U]
//   localgovctl directory get|show|resolve CODE
//   localgovctl directory list [--kind K] [--unit U] [--status S]
//   localgovctl directory units [--parent P] [--level L] [--on DATE] [--history]
//   localgovctl directory unit CODE
//   localgovctl directory snapshot [--trust-key BASE64]
//   localgovctl exchange public-key FILE
//   localgovctl seed demo                   the demo province's directory (idempotent)
//   localgovctl calendar show YEAR          a year's holidays, swaps and compensatory days
//   localgovctl procedures search [WORDS] [--field F] [--level commune|province]
//   localgovctl procedures show CODE [--as-of YYYY-MM-DD]
//   localgovctl dossier receive --procedure LT-01 --name "..." --citizen-id 001203004567
//                               --doc to-khai-lien-thong --doc giay-chung-sinh [--agency A]
//   localgovctl dossier show CODE
//   localgovctl dossier act CODE --action start|supplement|complete|apologize|result|return|
//                                         withdraw|stop [--version N] [--doc D] [--reason R]
//                                         [--new-date YYYY-MM-DD]
//   localgovctl petition receive --kind complaint --field land --title "..." --content "..."
//                            --name "..." --learned-date YYYY-MM-DD --act "..."
//   localgovctl petition show|list|classify|assign|verify|dialogue|extend|suspend|resume|close|
//                        decide|publish|reveal|readings|lookup|watch|sealing-keygen
//   localgovctl reception session|visit|show|days; voter session|add|assign|answer|report-back|
//                        report
//   localgovctl seed petitions              a year of 000.00.31.H41's petitions (idempotent)
//   localgovctl due --received "2026-02-12 10:00" --unit working-days --amount 5
//   localgovctl audit verify [--service all|dossier|petition|cadre|liaison]
//   localgovctl audit anchor [--service all|dossier|petition|cadre|liaison]
//   localgovctl completion bash              bash completion: source <(localgovctl completion bash)
// Global: --output table|json (read commands print the response as JSON); exit codes in
// cli_common.h and docs/operations.md.
//
// This file only wires the command groups; each group is a *_commands.h/.cc pair, and what they
// share is in cli_common.h. A new group: its two files, its line below (the order is the order
// of `--help`), and its .cc in CMakeLists.txt.
#include "CLI/CLI.hpp"
#include "tools/localgovctl/audit_commands.h"
#include "tools/localgovctl/cadre_commands.h"
#include "tools/localgovctl/cli_common.h"
#include "tools/localgovctl/directory_commands.h"
#include "tools/localgovctl/dossier_commands.h"
#include "tools/localgovctl/exchange_commands.h"
#include "tools/localgovctl/help_commands.h"
#include "tools/localgovctl/petition_commands.h"
#include "tools/localgovctl/procedure_commands.h"
#include "tools/localgovctl/reception_commands.h"
#include "tools/localgovctl/seed_commands.h"
#include "tools/localgovctl/service_commands.h"

int main(int argc, char** argv) {
  CLI::App app{"localgovctl: operate and try out localgov services"};
  app.require_subcommand(1);
  localgovctl::Shared shared;
  shared.AddGlobalOptions(app);

  localgovctl::AddServiceCommands(app, shared);    // health, info, token
  localgovctl::AddDirectoryCommands(app, shared);  // directory
  localgovctl::AddProcedureCommands(app, shared);  // calendar, due, procedures
  localgovctl::AddDossierCommands(app, shared);    // dossier, stats, officers
  localgovctl::AddExchangeCommands(app, shared);   // exchange, envelopes, log
  localgovctl::AddPetitionCommands(app, shared);   // petition
  localgovctl::AddReceptionCommands(app, shared);  // reception, voter
  localgovctl::AddSeedCommands(app, shared);       // seed
  localgovctl::AddCadreCommands(app, shared);      // cadre
  localgovctl::AddAuditCommands(app, shared);      // audit
  localgovctl::AddHelpCommands(app, shared);       // completion, and every --help's example

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help is 0; any usage error is 2 (CLI11's own codes are 100+).
    return app.exit(e) == 0 ? 0 : 2;
  }
  return shared.Run();
}

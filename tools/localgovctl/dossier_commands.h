// localgovctl's dossier, stats and officers: a counter officer's dossiers, an agency's figures.
#ifndef LOCALGOV_TOOLS_LOCALGOVCTL_DOSSIER_COMMANDS_H_
#define LOCALGOV_TOOLS_LOCALGOVCTL_DOSSIER_COMMANDS_H_

#include "CLI/CLI.hpp"
#include "tools/localgovctl/cli_common.h"

namespace localgovctl {

void AddDossierCommands(CLI::App& app, Shared& shared);

}  // namespace localgovctl

#endif  // LOCALGOV_TOOLS_LOCALGOVCTL_DOSSIER_COMMANDS_H_

// localgovctl cadre: a personnel officer's month (people, positions, quotas, assignments,
// ranks, corrections, as-of views, one person's history) and the demo province's seed.
#ifndef LOCALGOV_TOOLS_LOCALGOVCTL_CADRE_COMMANDS_H_
#define LOCALGOV_TOOLS_LOCALGOVCTL_CADRE_COMMANDS_H_

#include "CLI/CLI.hpp"
#include "tools/localgovctl/cli_common.h"

namespace localgovctl {

void AddCadreCommands(CLI::App& app, Shared& shared);

}  // namespace localgovctl

#endif  // LOCALGOV_TOOLS_LOCALGOVCTL_CADRE_COMMANDS_H_

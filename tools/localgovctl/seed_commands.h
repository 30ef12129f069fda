// localgovctl's seed: demo data.
#ifndef LOCALGOV_TOOLS_LOCALGOVCTL_SEED_COMMANDS_H_
#define LOCALGOV_TOOLS_LOCALGOVCTL_SEED_COMMANDS_H_

#include "CLI/CLI.hpp"
#include "tools/localgovctl/cli_common.h"

namespace localgovctl {

void AddSeedCommands(CLI::App& app, Shared& shared);

}  // namespace localgovctl

#endif  // LOCALGOV_TOOLS_LOCALGOVCTL_SEED_COMMANDS_H_

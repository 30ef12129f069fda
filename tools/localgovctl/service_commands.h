// localgovctl's health, info and token: the services' state, development tokens.
#ifndef LOCALGOV_TOOLS_LOCALGOVCTL_SERVICE_COMMANDS_H_
#define LOCALGOV_TOOLS_LOCALGOVCTL_SERVICE_COMMANDS_H_

#include "CLI/CLI.hpp"
#include "tools/localgovctl/cli_common.h"

namespace localgovctl {

void AddServiceCommands(CLI::App& app, Shared& shared);

}  // namespace localgovctl

#endif  // LOCALGOV_TOOLS_LOCALGOVCTL_SERVICE_COMMANDS_H_

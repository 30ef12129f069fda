// What helps people use localgovctl, built from the command tree itself (call after every other
// group is added):
//   localgovctl completion bash    a bash completion script generated from the subcommands and
//                                  their options: source <(localgovctl completion bash)
//   localgovctl completion paths   every subcommand's path, one a line (for tests and scripts)
// and an example in every subcommand's --help (its footer, from the table in help_commands.cc).
#ifndef LOCALGOV_TOOLS_LOCALGOVCTL_HELP_COMMANDS_H_
#define LOCALGOV_TOOLS_LOCALGOVCTL_HELP_COMMANDS_H_

#include "CLI/CLI.hpp"
#include "tools/localgovctl/cli_common.h"

namespace localgovctl {

void AddHelpCommands(CLI::App& app, Shared& shared);

}  // namespace localgovctl

#endif  // LOCALGOV_TOOLS_LOCALGOVCTL_HELP_COMMANDS_H_

// localgovctl's calendar, due and procedures: the working-day calendar and the procedure catalogue.
#ifndef LOCALGOV_TOOLS_LOCALGOVCTL_PROCEDURE_COMMANDS_H_
#define LOCALGOV_TOOLS_LOCALGOVCTL_PROCEDURE_COMMANDS_H_

#include "CLI/CLI.hpp"
#include "tools/localgovctl/cli_common.h"

namespace localgovctl {

void AddProcedureCommands(CLI::App& app, Shared& shared);

}  // namespace localgovctl

#endif  // LOCALGOV_TOOLS_LOCALGOVCTL_PROCEDURE_COMMANDS_H_

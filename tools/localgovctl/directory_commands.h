// localgovctl's directory (admin included): the liaison exchange directory.
#ifndef LOCALGOV_TOOLS_LOCALGOVCTL_DIRECTORY_COMMANDS_H_
#define LOCALGOV_TOOLS_LOCALGOVCTL_DIRECTORY_COMMANDS_H_

#include <string>

#include "CLI/CLI.hpp"
#include "tools/localgovctl/cli_common.h"

namespace localgovctl {

void AddDirectoryCommands(CLI::App& app, Shared& shared);

// Registers an agency (an admin token); `kind` is an AgencyKind without its AGENCY_KIND_
// prefix. Prints it unless `quiet`; `quiet` also takes ALREADY_EXISTS as done (seeding again).
// Returns the exit code.
int CreateAgency(const TokenOptions& token, const std::string& request_id, const std::string& code,
                 const std::string& name, const std::string& kind, const std::string& unit,
                 bool quiet);

}  // namespace localgovctl

#endif  // LOCALGOV_TOOLS_LOCALGOVCTL_DIRECTORY_COMMANDS_H_

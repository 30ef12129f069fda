// localgovctl cadre: a personnel officer's month (people, positions, quotas, assignments,
// ranks, corrections, as-of views, one person's history) and the demo province's seed.
#ifndef LOCALGOV_TOOLS_LOCALGOVCTL_CADRE_COMMANDS_H_
#define LOCALGOV_TOOLS_LOCALGOVCTL_CADRE_COMMANDS_H_

#include "CLI/CLI.hpp"
#include "tools/localgovctl/cli_common.h"

namespace localgovctl {

void AddCadreCommands(CLI::App& app, Shared& shared);

// The demo province (cadre_demo.cc): with `directory`, its agencies and mergers are registered
// in the liaison directory first and the cadre service is awaited until it has taken them.
int LoadCadreDemo(const TokenOptions& token, const std::string& url, bool directory);

}  // namespace localgovctl

#endif  // LOCALGOV_TOOLS_LOCALGOVCTL_CADRE_COMMANDS_H_

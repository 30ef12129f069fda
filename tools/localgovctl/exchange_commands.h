// localgovctl's exchange (serve-receiver included), envelopes and log: the inter-agency exchange.
#ifndef LOCALGOV_TOOLS_LOCALGOVCTL_EXCHANGE_COMMANDS_H_
#define LOCALGOV_TOOLS_LOCALGOVCTL_EXCHANGE_COMMANDS_H_

#include "CLI/CLI.hpp"
#include "tools/localgovctl/cli_common.h"

namespace localgovctl {

void AddExchangeCommands(CLI::App& app, Shared& shared);

}  // namespace localgovctl

#endif  // LOCALGOV_TOOLS_LOCALGOVCTL_EXCHANGE_COMMANDS_H_

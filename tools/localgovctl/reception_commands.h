// localgovctl reception (session, visit, show, days, visits, reveal-visitors) and voter (session,
// add, assign, answer, report-back, report): the reception register, the leaders' reception days
// and voters' recommendations (ReceptionService, served by the petition binary); and the demo's
// year of a commune's receptions (reception_seed.cc).
#ifndef LOCALGOV_TOOLS_LOCALGOVCTL_RECEPTION_COMMANDS_H_
#define LOCALGOV_TOOLS_LOCALGOVCTL_RECEPTION_COMMANDS_H_

#include "CLI/CLI.hpp"
#include "tools/localgovctl/cli_common.h"

namespace localgovctl {

void AddReceptionCommands(CLI::App& app, Shared& shared);
// `reception visits` (the register by period) and `reception reveal-visitors` under `rec`
// (reception_register_commands.cc).
void AddReceptionRegisterCommands(CLI::App& rec, Shared& shared);

// Seeds a year of `agency`'s reception register and two voters' meetings (deterministic by day,
// safe to repeat). Returns the exit code.
int SeedReceptions(const TokenOptions& token, const std::string& agency);

}  // namespace localgovctl

#endif  // LOCALGOV_TOOLS_LOCALGOVCTL_RECEPTION_COMMANDS_H_

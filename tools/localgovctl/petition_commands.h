// localgovctl petition: a reception officer's day with the petition service (receive, show,
// list, classify, assign, verify, dialogue, extend, suspend, resume, close, decide, publish,
// reveal, readings, lookup, watch) and the identity key ring (sealing-keygen); and
// `localgovctl seed petitions`, a year of a commune's petitions for the demo.
#ifndef LOCALGOV_TOOLS_LOCALGOVCTL_PETITION_COMMANDS_H_
#define LOCALGOV_TOOLS_LOCALGOVCTL_PETITION_COMMANDS_H_

#include "CLI/CLI.hpp"
#include "tools/localgovctl/cli_common.h"

namespace localgovctl {

void AddPetitionCommands(CLI::App& app, Shared& shared);

// Seeds a year of `agency`'s petitions (deterministic, idempotent), as a leader of it.
// Returns the exit code.
int SeedPetitions(const TokenOptions& token, const std::string& agency, int count);

}  // namespace localgovctl

#endif  // LOCALGOV_TOOLS_LOCALGOVCTL_PETITION_COMMANDS_H_

// localgovctl petition: a reception officer's day with the petition service (receive, show,
// list, reveal, readings, lookup, watch: petition_commands.cc; classify, assign, verify,
// dialogue, extend, suspend, resume, close, decide, publish: petition_transition_commands.cc)
// and the identity key ring (sealing-keygen); and `localgovctl seed petitions`, a year of a
// commune's petitions for the demo (petition_seed.cc applies the plan of petition_seed_plan.cc).
#ifndef LOCALGOV_TOOLS_LOCALGOVCTL_PETITION_COMMANDS_H_
#define LOCALGOV_TOOLS_LOCALGOVCTL_PETITION_COMMANDS_H_

#include "CLI/CLI.hpp"
#include "tools/localgovctl/cli_common.h"

namespace localgovctl {

void AddPetitionCommands(CLI::App& app, Shared& shared);
// The transitions, classify to publish (petition_transition_commands.cc).
void AddPetitionTransitionCommands(CLI::App* petition, Shared& shared);
// `petition duplicates` and `petition stats` (petition_report_commands.cc).
void AddPetitionReportCommands(CLI::App* petition, Shared& shared);

// Seeds a year of `agency`'s petitions (deterministic, idempotent), as a leader of it.
// Returns the exit code.
int SeedPetitions(const TokenOptions& token, const std::string& agency, int count);
// The seed's repeats (petition_seed_repeats.cc): a complaint answered and filed again without
// diacritics, and a matter filed five times over the year before `anchor` (YYYY-MM-DD).
int SeedRepeats(const TokenOptions& token, const std::string& agency, const std::string& anchor);

}  // namespace localgovctl

#endif  // LOCALGOV_TOOLS_LOCALGOVCTL_PETITION_COMMANDS_H_

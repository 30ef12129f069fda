// localgovctl audit: an auditor's check of the services' hash-chained audit logs
// (localgov.audit.v1.AuditService, served by every service).
#ifndef LOCALGOV_TOOLS_LOCALGOVCTL_AUDIT_COMMANDS_H_
#define LOCALGOV_TOOLS_LOCALGOVCTL_AUDIT_COMMANDS_H_

#include "CLI/CLI.hpp"
#include "tools/localgovctl/cli_common.h"

namespace localgovctl {

void AddAuditCommands(CLI::App& app, Shared& shared);

}  // namespace localgovctl

#endif  // LOCALGOV_TOOLS_LOCALGOVCTL_AUDIT_COMMANDS_H_

// What the localgovctl cadre command files share (cadre_commands.cc, cadre_due_commands.cc,
// cadre_plan_commands.cc, cadre_merge_commands.cc): who calls (role, agency, subject, office)
// and one CadreService call with its error printed.
#ifndef LOCALGOV_TOOLS_LOCALGOVCTL_CADRE_CALL_H_
#define LOCALGOV_TOOLS_LOCALGOVCTL_CADRE_CALL_H_

#include <cctype>
#include <chrono>
#include <iostream>
#include <string>

#include "CLI/CLI.hpp"
#include "localgov/cadre/v1/cadre_service.grpc.pb.h"
#include "tools/localgovctl/cli_common.h"

namespace localgovctl {

namespace cv1 = localgov::cadre::v1;

struct Caller {
  std::string role = "officer";
  std::string agency = "000.00.31.H41";
  std::string subject = "personnel-officer";
  std::string office = "personnel";
  bool json = false;
};

// The one caller of the cadre group (its --role, --agency, --subject, --office, --json).
inline Caller& CadreCaller() {
  static Caller caller;
  return caller;
}

template <typename Req, typename Resp>
int Call(const TokenOptions& token, const Caller& c, const std::string& what,
         grpc::Status (cv1::CadreService::Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
         const Req& req, Resp* resp) {
  auto role = localgov::ParseRole(c.role);
  if (!role.has_value()) {
    std::cerr << "unknown role " << c.role << "\n";
    return 2;
  }
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization",
                  "Bearer " + DevToken(token, *role, c.agency, c.subject, c.office));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  auto stub = cv1::CadreService::NewStub(Channel(*FindTarget("cadre")));
  auto st = ((*stub).*method)(&ctx, req, resp);
  if (!st.ok()) return PrintError(what, st);
  if (c.json) std::cout << Json(*resp) << "\n";
  return 0;
}

// An enum value from its short name ("dismissal-from-post" with prefix DISCIPLINE_FORM_);
// prints what is wrong and returns false when it is not one.
template <typename Enum>
bool ParseEnum(const std::string& flag, const std::string& prefix, const std::string& text,
               bool (*parse)(const std::string&, Enum*), Enum* out) {
  std::string name = prefix;
  for (char ch : text) name += ch == '-' ? '_' : static_cast<char>(std::toupper(ch));
  if (parse(name, out)) return true;
  std::cerr << flag << ": not a value (" << prefix << "...)\n";
  return false;
}

// The subcommands of what falls due (cadre_due_commands.cc): due, evaluate, discipline.
void AddCadreDueCommands(CLI::App* cadre, Shared& shared, const Caller& caller);
// Adds `cadre recruit …` and `cadre report` to the cadre group (cadre_plan_commands.cc).
void AddCadrePlanCommands(CLI::App& cadre, Shared& shared);
// Adds `cadre merge` (preview and --apply) to the cadre group (cadre_merge_commands.cc).
void AddCadreMergeCommands(CLI::App& cadre, Shared& shared);

}  // namespace localgovctl

#endif  // LOCALGOV_TOOLS_LOCALGOVCTL_CADRE_CALL_H_

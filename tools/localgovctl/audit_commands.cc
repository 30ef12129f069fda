// localgovctl audit verify: VerifyAuditChain of every (or one) service, as an auditor. Exit 0
// when every chain verifies, 1 when one is broken (each broken place named with its position and
// why),
// 10 + the gRPC code when a call is refused.
#include "tools/localgovctl/audit_commands.h"

#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_format.h"
#include "localgov/audit/v1/audit_service.grpc.pb.h"

namespace localgovctl {
namespace {

namespace av1 = localgov::audit::v1;

int Verify(const TokenOptions& token, const std::string& only) {
  if (only != "all" && FindTarget(only) == nullptr) {
    std::cerr << "localgovctl: --service is all, dossier, petition, cadre or liaison\n";
    return 2;
  }
  const std::string bearer =
      "Bearer " + DevToken(token, Role::kAuditor, "000.00.00.H99", "localgovctl-auditor");
  int broken = 0, refused = 0;
  if (!JsonOutput()) {
    std::cout << absl::StrFormat("%-9s %-7s %8s %8s  %s\n", "SERVICE", "CHAIN", "CHECKED", "HEAD",
                                 "PROBLEM");
  }
  for (const auto& t : Targets()) {
    if (only != "all" && t.name != only) continue;
    auto stub = av1::AuditService::NewStub(Channel(t));
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", bearer);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
    av1::VerifyAuditChainResponse r;
    auto st = stub->VerifyAuditChain(&ctx, {}, &r);
    if (!st.ok()) {
      PrintError("audit verify " + t.name, st);
      ++refused;
      continue;
    }
    if (!r.ok()) ++broken;
    if (JsonOutput()) {
      std::cout << Json(r) << "\n";
      continue;
    }
    std::cout << absl::StrFormat(
        "%-9s %-7s %8d %8d  %s\n", t.name, r.ok() ? "OK" : "BROKEN", r.records_checked(),
        r.head_position(),
        r.ok() ? "-"
               : absl::StrFormat("%s at %d: %s",
                                 Short(av1::AuditProblem_Name(r.problem()), "AUDIT_PROBLEM_"),
                                 r.first_bad_position(), r.reason()));
    // Every further broken place, under its service's line.
    for (int i = 1; i < r.findings_size(); ++i) {
      const auto& f = r.findings(i);
      std::cout << absl::StrFormat("%-9s %-7s %8s %8s  %s at %d: %s\n", "", "", "", "",
                                   Short(av1::AuditProblem_Name(f.problem()), "AUDIT_PROBLEM_"),
                                   f.position(), f.reason());
    }
    if (r.problems() > r.findings_size()) {
      std::cout << absl::StrFormat("%-9s %-7s %8s %8s  ... %d broken places in all\n", "", "", "",
                                   "", r.problems());
    }
  }
  // A refused call turns the 1 into its own exit code (Shared::Run): non-zero either way.
  return broken == 0 && refused == 0 ? 0 : 1;
}

}  // namespace

void AddAuditCommands(CLI::App& app, Shared& shared) {
  const TokenOptions& token = shared.token();
  auto* audit = app.add_subcommand("audit", "tamper evidence: the services' audit chains");
  audit->require_subcommand(1);
  auto only = std::make_shared<std::string>("all");
  auto* verify = audit->add_subcommand(
      "verify",
      "verify every (or one) service's audit chain as an auditor; exit 1 when one is broken");
  verify->add_option("--service", *only, "all, dossier, petition, cadre or liaison");
  shared.On(verify, [only, &token] { return Verify(token, *only); });
}

}  // namespace localgovctl

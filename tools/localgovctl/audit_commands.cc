// localgovctl audit verify: VerifyAuditChain of every (or one) service, as an auditor. Exit 0
// when every chain verifies against its anchors in the liaison's log, 1 when one is broken
// (each broken place named with its position and why), 3 when every chain verifies but one's
// anchors could not be checked (a deleted tail would not be seen), 10 + the gRPC code when a
// call is refused. localgovctl audit anchor: AnchorAuditChain now, as an auditor.
#include "tools/localgovctl/audit_commands.h"

#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
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
  int broken = 0, refused = 0, unanchored = 0;
  if (!JsonOutput()) {
    std::cout << absl::StrFormat("%-9s %-7s %8s %8s %8s  %s\n", "SERVICE", "CHAIN", "CHECKED",
                                 "HEAD", "ANCHORED", "PROBLEM");
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
    const bool anchors_checked = r.anchors_unchecked_reason().empty();
    if (!anchors_checked) ++unanchored;
    if (JsonOutput()) {
      std::cout << Json(r) << "\n";
      continue;
    }
    // ANCHORED: the newest anchor's position ("none" before the first, "?" unchecked).
    const std::string anchored = !anchors_checked ? "?"
                                 : r.last_anchor_position() > 0
                                     ? absl::StrCat(r.last_anchor_position())
                                     : "none";
    std::cout << absl::StrFormat(
        "%-9s %-7s %8d %8d %8s  %s\n", t.name, r.ok() ? "OK" : "BROKEN", r.records_checked(),
        r.head_position(), anchored,
        r.ok() ? (anchors_checked ? "-" : "anchors not checked: " + r.anchors_unchecked_reason())
               : absl::StrFormat("%s at %d: %s",
                                 Short(av1::AuditProblem_Name(r.problem()), "AUDIT_PROBLEM_"),
                                 r.first_bad_position(), r.reason()));
    // Every further broken place, under its service's line.
    for (int i = 1; i < r.findings_size(); ++i) {
      const auto& f = r.findings(i);
      std::cout << absl::StrFormat("%-9s %-7s %8s %8s %8s  %s at %d: %s\n", "", "", "", "", "",
                                   Short(av1::AuditProblem_Name(f.problem()), "AUDIT_PROBLEM_"),
                                   f.position(), f.reason());
    }
    if (r.problems() > r.findings_size()) {
      std::cout << absl::StrFormat("%-9s %-7s %8s %8s %8s  ... %d broken places in all\n", "", "",
                                   "", "", "", r.problems());
    }
  }
  // A refused call turns the 1 into its own exit code (Shared::Run): non-zero either way.
  if (broken > 0 || refused > 0) return 1;
  return unanchored > 0 ? 3 : 0;
}

int AnchorNow(const TokenOptions& token, const std::string& only) {
  if (only != "all" && FindTarget(only) == nullptr) {
    std::cerr << "localgovctl: --service is all, dossier, petition, cadre or liaison\n";
    return 2;
  }
  const std::string bearer =
      "Bearer " + DevToken(token, Role::kAuditor, "000.00.00.H99", "localgovctl-auditor");
  int failed = 0;
  if (!JsonOutput()) {
    std::cout << absl::StrFormat("%-9s %-14s %8s %10s %-7s  %s\n", "SERVICE", "CHAIN", "POSITION",
                                 "LOG ENTRY", "NEW", "HASH");
  }
  for (const auto& t : Targets()) {
    if (only != "all" && t.name != only) continue;
    auto stub = av1::AuditService::NewStub(Channel(t));
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", bearer);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    av1::AnchorAuditChainResponse r;
    auto st = stub->AnchorAuditChain(&ctx, {}, &r);
    if (!st.ok()) {
      PrintError("audit anchor " + t.name, st);
      ++failed;
      continue;
    }
    if (JsonOutput()) {
      std::cout << Json(r) << "\n";
      continue;
    }
    if (r.position() == 0) {
      std::cout << absl::StrFormat("%-9s %-14s %8s %10s %-7s  %s\n", t.name, r.chain(), "-", "-",
                                   "no", "(empty chain: nothing to anchor)");
      continue;
    }
    std::cout << absl::StrFormat("%-9s %-14s %8d %10d %-7s  %s\n", t.name, r.chain(), r.position(),
                                 r.log_sequence(), r.created() ? "yes" : "no", r.hash());
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace

void AddAuditCommands(CLI::App& app, Shared& shared) {
  const TokenOptions& token = shared.token();
  auto* audit = app.add_subcommand("audit", "tamper evidence: the services' audit chains");
  audit->require_subcommand(1);
  auto only = std::make_shared<std::string>("all");
  auto* verify = audit->add_subcommand(
      "verify",
      "verify every (or one) service's audit chain against its anchors as an auditor; exit 1 when"
      " one is broken, 3 when its anchors could not be checked");
  verify->add_option("--service", *only, "all, dossier, petition, cadre or liaison");
  shared.On(verify, [only, &token] { return Verify(token, *only); });
  auto anchor_only = std::make_shared<std::string>("all");
  auto* anchor = audit->add_subcommand(
      "anchor", "anchor every (or one) service's audit chain head in the liaison's signed log now");
  anchor->add_option("--service", *anchor_only, "all, dossier, petition, cadre or liaison");
  shared.On(anchor, [anchor_only, &token] { return AnchorNow(token, *anchor_only); });
}

}  // namespace localgovctl

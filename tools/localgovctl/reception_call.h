// What the localgovctl reception command files share (reception_commands.cc,
// reception_register_commands.cc): one ReceptionService call as a petition_cli::Who.
#ifndef LOCALGOV_TOOLS_LOCALGOVCTL_RECEPTION_CALL_H_
#define LOCALGOV_TOOLS_LOCALGOVCTL_RECEPTION_CALL_H_

#include <chrono>
#include <string>

#include "common/crypto.h"
#include "localgov/petition/v1/reception_service.grpc.pb.h"
#include "tools/localgovctl/petition_view.h"

namespace localgovctl::reception_cli {

using RStub = localgov::petition::v1::ReceptionService::Stub;
using petition_cli::Who;

// A ReceptionService call as `who`.
template <typename Req, typename Resp>
grpc::Status Call(const TokenOptions& token, const Who& who,
                  grpc::Status (RStub::*method)(grpc::ClientContext*, const Req&, Resp*),
                  const Req& req, Resp* resp) {
  auto role = localgov::ParseRole(who.role);
  if (!role.has_value()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "--role is citizen, officer, leader, inspector, auditor or system");
  }
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + DevToken(token, *role, who.agency, who.subject));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  auto stub = localgov::petition::v1::ReceptionService::NewStub(Channel(*FindTarget("petition")));
  return ((*stub).*method)(&ctx, req, resp);
}

inline std::string NewId() { return "localgovctl-" + localgov::RandomId(); }

}  // namespace localgovctl::reception_cli

#endif  // LOCALGOV_TOOLS_LOCALGOVCTL_RECEPTION_CALL_H_

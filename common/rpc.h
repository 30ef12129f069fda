#ifndef LOCALGOV_COMMON_RPC_H_
#define LOCALGOV_COMMON_RPC_H_

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "common/auth/auth.h"
#include "common/clock.h"
#include "common/metrics.h"
#include "grpcpp/server_context.h"

namespace localgov {

// What a handler knows about the call it serves.
struct CallContext {
  AccessContext access;
  std::string request_id;
  std::string method;
};

// Roles lists for RpcRunner::Run.
inline constexpr std::initializer_list<Role> kAnyRole = {
    Role::kCitizen, Role::kOfficer, Role::kLeader, Role::kInspector,
    Role::kAuditor, Role::kAdmin,   Role::kSystem};

// Runs every handler the same way, so a correct RPC is the default:
//  - request id from `x-request-id` (or a new one), echoed in the response metadata and
//    attached to every log line of the call;
//  - bearer token verified (UNAUTHENTICATED) and the role checked against the method's
//    allowed roles (PERMISSION_DENIED): deny by default, no handler runs unauthenticated;
//  - the handler's absl::Status translated once (ToGrpcStatus), exceptions caught as INTERNAL;
//  - count and latency recorded by method and code.
class RpcRunner final {
 public:
  RpcRunner(std::string service, const TokenVerifier& verifier, Metrics* metrics,
            const Clock& clock)
      : service_(std::move(service)), verifier_(verifier), metrics_(metrics), clock_(clock) {}

  using Handler = std::function<absl::Status(const CallContext&)>;
  grpc::Status Run(grpc::ServerContext* context, std::string_view method,
                   std::initializer_list<Role> allowed, const Handler& handler) const;

  const Clock& clock() const { return clock_; }

 private:
  std::string service_;
  const TokenVerifier& verifier_;
  Metrics* metrics_;
  const Clock& clock_;
};

}  // namespace localgov

#endif  // LOCALGOV_COMMON_RPC_H_

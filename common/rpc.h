#ifndef LOCALGOV_COMMON_RPC_H_
#define LOCALGOV_COMMON_RPC_H_

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/auth/auth.h"
#include "common/clock.h"
#include "common/executor.h"
#include "common/input_policy.h"
#include "common/metrics.h"
#include "grpcpp/grpcpp.h"

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
//  - the handler runs on the bounded executor, never on a gRPC callback thread (it may block
//    on PostgreSQL or Redis); a full queue answers RESOURCE_EXHAUSTED at once, and a call whose
//    deadline passed while it waited is answered DEADLINE_EXCEEDED without running (CANCELLED
//    if its client gave up otherwise); each method is a lane of the executor, so one method
//    whose calls hang cannot take every thread (common/executor.h) (RunWithFastPath adds a
//    first, non-blocking attempt from memory on the gRPC thread);
//  - request id from `x-request-id` (or a new one), echoed in the response metadata and
//    attached to every log line of the call;
//  - bearer token verified (UNAUTHENTICATED) and the role checked against the method's
//    allowed roles (PERMISSION_DENIED): deny by default, no handler runs unauthenticated;
//  - the request checked against the input policy (common/input_policy.h) before the handler
//    runs: a violation is INVALID_ARGUMENT naming every offending field, and the handler never
//    sees it; text is normalised to NFC in place (not for signed envelopes, whose bytes the
//    signature covers: RunTransportAuthenticated checks them without rewriting);
//  - the handler's absl::Status translated once (ToGrpcStatus), exceptions caught as INTERNAL;
//  - count and latency recorded by method and code.
class RpcRunner final {
 public:
  RpcRunner(std::string service, const TokenVerifier& verifier, BoundedExecutor& executor,
            Metrics* metrics, const Clock& clock)
      : service_(std::move(service)),
        verifier_(verifier),
        executor_(executor),
        metrics_(metrics),
        clock_(clock) {}

  // The typed form every service uses: `handler(call, request, response)` runs later on the
  // executor, with the request and response passed in, so it needs to capture nothing but
  // `this` (never capture the RPC method's parameters by reference: they are gone by then).
  template <typename Request, typename Response, typename Handler>
  grpc::ServerUnaryReactor* Run(grpc::CallbackServerContext* context, std::string_view method,
                                std::initializer_list<Role> allowed, const Request* request,
                                Response* response, Handler handler) const {
    return RunErased(context, method, allowed,
                     [request, response, handler = std::move(handler)](const CallContext& call) {
                       // gRPC owns a mutable request and hands out a const view of it; the
                       // policy rewrites text to NFC before anything reads it.
                       auto st = CheckInputPolicy(*const_cast<Request*>(request), true);
                       if (!st.ok()) return st;
                       return handler(call, *request, *response);
                     });
  }

  // As Run, with a first attempt on gRPC's own thread for calls that can often be answered
  // from memory: when the caller's token is already known (TokenVerifier::Known) and its role
  // allowed, `fast(call, request, response)` runs there and either answers (returns a Status)
  // or declines (nullopt, having written nothing), and only a declined call goes to the
  // executor and `handler` as with Run. `fast` must not block: no database, no Redis, no
  // waiting of any kind; an exception in it is taken as declining.
  template <typename Request, typename Response, typename Fast, typename Handler>
  grpc::ServerUnaryReactor* RunWithFastPath(grpc::CallbackServerContext* context,
                                            std::string_view method,
                                            std::initializer_list<Role> allowed,
                                            const Request* request, Response* response, Fast fast,
                                            Handler handler) const {
    auto* answered = TryInline(context, method, allowed,
                               [&](const CallContext& call) -> std::optional<absl::Status> {
                                 // A request the policy refuses takes the usual path, which
                                 // says why; one it only rewrites to NFC is answered here.
                                 Validator v;
                                 ApplyInputPolicy(*const_cast<Request*>(request), true, v);
                                 if (!v.ok()) return std::nullopt;
                                 return fast(call, *request, *response);
                               });
    if (answered != nullptr) return answered;
    return Run(context, method, allowed, request, response, std::move(handler));
  }

  // For calls between our services and from other agencies' systems, which hold no
  // token-issuer key: ReceiverService.Deliver (the liaison calls receivers) and
  // LiaisonService.Send (the envelope's signature authenticates the sender). The transport
  // authenticates the caller (mTLS; NetworkPolicies). A bearer token, when one is sent, is
  // still verified (UNAUTHENTICATED if bad) and the handler sees its identity; without one the
  // handler sees role system, subject "transport". Everything else as Run.
  template <typename Request, typename Response, typename Handler>
  grpc::ServerUnaryReactor* RunTransportAuthenticated(grpc::CallbackServerContext* context,
                                                      std::string_view method,
                                                      const Request* request, Response* response,
                                                      Handler handler) const {
    return RunErased(
        context, method, {},
        [request, response, handler = std::move(handler)](const CallContext& call) {
          auto st = CheckInputPolicy(*const_cast<Request*>(request), false);
          if (!st.ok()) return st;
          return handler(call, *request, *response);
        },
        /*token_required=*/false);
  }

  const Clock& clock() const { return clock_; }
  BoundedExecutor& executor() const { return executor_; }

  // What every call does before its handler: the request id (echoed in the initial metadata
  // and set for this thread's log lines), the bearer token and the role check. Streams use it
  // directly; call it on the executor.
  // `call` gets the request id and method always, the access on success.
  absl::Status Authenticate(grpc::CallbackServerContext* context, const std::string& method,
                            const std::vector<Role>& allowed, CallContext& call) const;

 private:
  std::string service_;
  using ErasedHandler = std::function<absl::Status(const CallContext&)>;
  grpc::ServerUnaryReactor* RunErased(grpc::CallbackServerContext* context, std::string_view method,
                                      std::initializer_list<Role> allowed, ErasedHandler handler,
                                      bool token_required = true) const;
  grpc::Status Execute(grpc::CallbackServerContext* context, const std::string& method,
                       const std::vector<Role>& allowed, const ErasedHandler& handler,
                       bool token_required) const;
  void Record(std::string_view method, absl::StatusCode code, double seconds) const;
  // The reactor, finished, if `fast` answered; nullptr if the call must take the usual path.
  grpc::ServerUnaryReactor* TryInline(
      grpc::CallbackServerContext* context, std::string_view method,
      std::initializer_list<Role> allowed,
      absl::FunctionRef<std::optional<absl::Status>(const CallContext&)> fast) const;
  static void LogOutcome(const std::string& method, const absl::Status& status, double seconds);

  const TokenVerifier& verifier_;
  BoundedExecutor& executor_;
  Metrics* metrics_;
  const Clock& clock_;
};

}  // namespace localgov

#endif  // LOCALGOV_COMMON_RPC_H_

#include "common/rpc.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>

#include "absl/status/statusor.h"
#include "common/crypto.h"
#include "common/idempotency.h"
#include "common/logging.h"
#include "common/status.h"
#include "spdlog/spdlog.h"

namespace localgov {
namespace {

std::string Metadata(const grpc::CallbackServerContext* context, std::string_view key) {
  const auto& md = context->client_metadata();
  auto it = md.find(grpc::string_ref(key.data(), key.size()));
  if (it == md.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

std::string CodeName(absl::StatusCode code) { return absl::StatusCodeToString(code); }

// The caller's `x-request-id` if it is a valid one, else a new id.
std::string RequestIdOf(const grpc::CallbackServerContext* context) {
  std::string id = Metadata(context, "x-request-id");
  Validator v;
  ValidateRequestId(v, "x-request-id", id);
  return v.ok() ? id : RandomId();
}

// A refused call is logged at most once a second, with the count since the last line: at
// overload a line per refusal would cost gRPC's thread more than the refusal itself (the
// metric localgov_rpc_total{code="RESOURCE_EXHAUSTED"} counts every one).
void LogRefused(std::string_view method) {
  static std::atomic<int64_t> refused{0};
  static std::atomic<int64_t> last_ns{0};
  refused.fetch_add(1);
  const int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
  int64_t last = last_ns.load();
  if (now - last < 1'000'000'000 || !last_ns.compare_exchange_strong(last, now)) return;
  spdlog::warn(
      "{} calls refused with RESOURCE_EXHAUSTED since the last report (the last: {}):"
      " the handler queue or the method's share of it is full",
      refused.exchange(0), method);
}

}  // namespace

void RpcRunner::Record(std::string_view method, absl::StatusCode code, double seconds) const {
  if (metrics_ != nullptr) metrics_->RecordRpc(method, CodeName(code), seconds);
}

grpc::ServerUnaryReactor* RpcRunner::RunErased(grpc::CallbackServerContext* context,
                                               std::string_view method,
                                               std::initializer_list<Role> allowed,
                                               ErasedHandler handler, bool token_required) const {
  auto* reactor = context->DefaultReactor();
  const auto arrived = std::chrono::steady_clock::now();
  const bool queued = executor_.TrySubmit(
      [this, context, reactor, arrived, method = std::string(method),
       roles = std::vector<Role>(allowed), handler = std::move(handler), token_required] {
        grpc::Status status;
        if (context->deadline() < std::chrono::system_clock::now()) {
          // Its client has stopped waiting: running it now would only spend a thread.
          status = grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                                "the deadline passed while the call was queued");
        } else if (context->IsCancelled()) {
          status = grpc::Status(grpc::StatusCode::CANCELLED, "the client gave up while queued");
        } else {
          status = Execute(context, method, roles, handler, token_required);
        }
        Record(method, static_cast<absl::StatusCode>(status.error_code()),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - arrived).count());
        reactor->Finish(status);
      },
      method);
  if (!queued) {
    Record(method, absl::StatusCode::kResourceExhausted, 0);
    if (metrics_ != nullptr) metrics_->RecordRefused(method);
    LogRefused(method);
    reactor->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                 "server busy; retry with exponential backoff"));
  }
  return reactor;
}

absl::Status RpcRunner::Authenticate(grpc::CallbackServerContext* context,
                                     const std::string& method, const std::vector<Role>& allowed,
                                     CallContext& call) const {
  call.method = method;
  call.request_id = RequestIdOf(context);
  context->AddInitialMetadata("x-request-id", call.request_id);
  auto access = verifier_.VerifyAuthorizationHeader(Metadata(context, "authorization"));
  if (!access.ok()) return access.status();
  call.access = *access;
  return RequireRole(call.access, allowed);
}

grpc::Status RpcRunner::Execute(grpc::CallbackServerContext* context, const std::string& method,
                                const std::vector<Role>& allowed, const ErasedHandler& handler,
                                bool token_required) const {
  const auto started = std::chrono::steady_clock::now();
  CallContext call;
  absl::Status status;
  if (token_required) {
    status = Authenticate(context, method, allowed, call);
  } else if (!Metadata(context, "authorization").empty()) {
    status = Authenticate(context, method, std::vector<Role>(kAnyRole), call);
  } else {
    (void)Authenticate(context, method, {}, call);  // the request id; there is no token
    call.access = AccessContext{};
    call.access.role = Role::kSystem;
    call.access.subject = "transport";
  }
  ScopedRequestId scoped(call.request_id);
  if (status.ok()) {
    try {
      status = handler(call);
    } catch (const std::exception& e) {
      status = absl::InternalError(e.what());
    }
  }
  LogOutcome(method, status,
             std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return ToGrpcStatus(status);
}

void RpcRunner::LogOutcome(const std::string& method, const absl::Status& status, double seconds) {
  const auto code = CodeName(status.code());
  if (status.code() == absl::StatusCode::kInternal || status.code() == absl::StatusCode::kUnknown) {
    spdlog::error("{} {} failed: {}", method, code, status.message());
  } else if (status.code() == absl::StatusCode::kUnavailable) {
    spdlog::warn("{} {}: {}", method, code, status.message());
  } else {
    spdlog::debug("{} {} in {:.3f}s", method, code, seconds);
  }
}

grpc::ServerUnaryReactor* RpcRunner::TryInline(
    grpc::CallbackServerContext* context, std::string_view method,
    std::initializer_list<Role> allowed,
    absl::FunctionRef<std::optional<absl::Status>(const CallContext&)> fast) const {
  const auto started = std::chrono::steady_clock::now();
  auto access = verifier_.Known(Metadata(context, "authorization"));
  if (!access.has_value() || !RequireRole(*access, std::vector<Role>(allowed)).ok()) {
    return nullptr;  // the usual path checks the token and says what is wrong
  }
  CallContext call;
  call.method = std::string(method);
  call.request_id = RequestIdOf(context);
  call.access = *std::move(access);
  ScopedRequestId scoped(call.request_id);
  std::optional<absl::Status> answered;
  try {
    answered = fast(call);
  } catch (const std::exception&) {
    answered.reset();  // the usual path runs the call again and reports what it finds
  }
  if (!answered.has_value()) return nullptr;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  LogOutcome(call.method, *answered, seconds);
  context->AddInitialMetadata("x-request-id", call.request_id);
  Record(method, answered->code(), seconds);
  auto* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(*answered));
  return reactor;
}

}  // namespace localgov

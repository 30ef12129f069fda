#include "common/server.h"

#include <signal.h>

#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "grpc/health/v1/health.pb.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"

namespace localgov {

absl::StatusOr<std::unique_ptr<ServiceHost>> ServiceHost::Start(
    Options options, std::vector<grpc::Service*> services, ReadinessProbe probe) {
  auto host = std::unique_ptr<ServiceHost>(new ServiceHost(std::move(options)));
  host->probe_ = std::move(probe);
  const auto& o = host->options_;

  // Links the health protocol's descriptors into the binary, so that server reflection can
  // describe grpc.health.v1.Health to clients such as `buf curl`.
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default, which lets a second process bind a busy port silently.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddListeningPort(o.listen, grpc::InsecureServerCredentials(), &host->port_);
  for (auto* s : services) builder.RegisterService(s);
  builder.SetMaxReceiveMessageSize(o.max_message_bytes);
  builder.SetMaxSendMessageSize(o.max_message_bytes);
  // Keepalive: ping idle clients every 30 s, drop them when a ping is unanswered for 10 s;
  // allow clients to ping every 10 s, even without calls.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  host->server_ = builder.BuildAndStart();
  if (host->server_ == nullptr || host->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", o.listen, " (address in use or not local?)"));
  }
  // Not serving until the first probe says the database answers.
  host->SetServing(host->probe_());
  host->health_thread_ = std::thread([h = host.get()] { h->HealthLoop(); });
  return host;
}

ServiceHost::~ServiceHost() { Shutdown(); }

void ServiceHost::SetServing(bool serving) {
  auto* health = server_->GetHealthCheckService();
  health->SetServingStatus(serving);
  for (const auto& name : options_.health_services) health->SetServingStatus(name, serving);
  const bool was = serving_.exchange(serving);
  if (was != serving) {
    if (serving) {
      spdlog::info("health: SERVING");
    } else {
      spdlog::warn("health: NOT_SERVING (database unreachable)");
    }
  }
}

void ServiceHost::HealthLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (cv_.wait_for(lock, absl::ToChronoNanoseconds(options_.health_interval),
                     [&] { return stopping_; })) {
      break;
    }
    lock.unlock();
    const bool ok = probe_();
    lock.lock();
    if (!stopping_) SetServing(ok);
  }
}

void ServiceHost::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shut_down_ || server_ == nullptr) return;
    shut_down_ = true;
    stopping_ = true;
  }
  cv_.notify_all();
  if (health_thread_.joinable()) health_thread_.join();
  // NOT_SERVING for good: load balancers and kubelet stop sending new calls.
  server_->GetHealthCheckService()->Shutdown();
  serving_ = false;
  spdlog::info("shutdown: NOT_SERVING, draining for {}", absl::FormatDuration(options_.drain));
  absl::SleepFor(options_.drain);
  // Stops accepting calls; in-flight calls run until they finish or the deadline passes.
  server_->Shutdown(absl::ToChronoTime(absl::Now() + options_.shutdown_timeout));
  server_->Wait();
  spdlog::info("shutdown: gRPC server stopped");
}

void BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int WaitForShutdownSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

}  // namespace localgov

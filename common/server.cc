#include "common/server.h"

#include <signal.h>

#include <algorithm>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/health/v1/health.pb.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/resource_quota.h"
#include "grpcpp/security/tls_certificate_provider.h"
#include "grpcpp/security/tls_credentials_options.h"

namespace localgov {
namespace {

constexpr int kMaxMetadataBytes = 16 << 10;

// grpc.health.v1.Health/Check on the plaintext probe listener, answering what the main
// server's health service says.
class HealthMirror final : public grpc::health::v1::Health::CallbackService {
 public:
  HealthMirror(const std::atomic<bool>& serving, std::vector<std::string> services)
      : serving_(serving), services_(std::move(services)) {}

  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* context,
                                  const grpc::health::v1::HealthCheckRequest* request,
                                  grpc::health::v1::HealthCheckResponse* response) override {
    auto* reactor = context->DefaultReactor();
    const bool known =
        request->service().empty() ||
        std::find(services_.begin(), services_.end(), request->service()) != services_.end();
    if (!known) {
      reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown service"));
      return reactor;
    }
    response->set_status(serving_.load() ? grpc::health::v1::HealthCheckResponse::SERVING
                                         : grpc::health::v1::HealthCheckResponse::NOT_SERVING);
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

 private:
  const std::atomic<bool>& serving_;
  const std::vector<std::string> services_;
};

bool Readable(const std::string& path) { return std::ifstream(path).good(); }

// Plaintext, or TLS / mTLS from files that are watched for renewal.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Credentials(
    const ServiceHost::Options& o) {
  if (o.tls_cert_file.empty() && o.tls_key_file.empty()) {
    if (!o.tls_client_ca_file.empty()) {
      return absl::InvalidArgumentError("a TLS client CA needs a server certificate and key");
    }
    return grpc::InsecureServerCredentials();
  }
  for (const auto* f : {&o.tls_cert_file, &o.tls_key_file}) {
    if (f->empty() || !Readable(*f)) {
      return absl::InvalidArgumentError(
          absl::StrCat("TLS needs a readable certificate and key; cannot read \"", *f, "\""));
    }
  }
  if (!o.tls_client_ca_file.empty() && !Readable(o.tls_client_ca_file)) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read the TLS client CA \"", o.tls_client_ca_file, "\""));
  }
  constexpr unsigned kRefreshSeconds = 60;
  auto provider = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      o.tls_key_file, o.tls_cert_file, o.tls_client_ca_file, kRefreshSeconds);
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_identity_key_cert_pairs();
  if (o.tls_client_ca_file.empty()) {
    options.set_cert_request_type(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  } else {
    options.watch_root_certs();
    options.set_cert_request_type(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  }
  return grpc::experimental::TlsServerCredentials(options);
}

}  // namespace

std::shared_ptr<grpc::Channel> PeerChannel(const std::string& target,
                                           std::shared_ptr<grpc::ChannelCredentials> credentials) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, kPeerMaxReconnectBackoffMs);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, kPeerMaxReconnectBackoffMs);
  return grpc::CreateCustomChannel(
      target, credentials ? std::move(credentials) : grpc::InsecureChannelCredentials(), args);
}

std::shared_ptr<grpc::ChannelCredentials> PeerChannelCredentials(const std::string& cert_file,
                                                                 const std::string& key_file,
                                                                 const std::string& ca_file) {
  if (cert_file.empty() || key_file.empty()) return grpc::InsecureChannelCredentials();
  constexpr unsigned kRefreshSeconds = 60;
  auto provider = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      key_file, cert_file, ca_file, kRefreshSeconds);
  grpc::experimental::TlsChannelCredentialsOptions options;
  options.set_certificate_provider(provider);
  options.watch_identity_key_cert_pairs();
  if (!ca_file.empty()) options.watch_root_certs();  // else the system's roots
  return grpc::experimental::TlsCredentials(options);
}

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
  auto credentials = Credentials(o);
  if (!credentials.ok()) return credentials.status();
  builder.AddListeningPort(o.listen, *credentials, &host->port_);
  for (auto* s : services) builder.RegisterService(s);
  builder.SetMaxReceiveMessageSize(o.max_message_bytes);
  builder.SetMaxSendMessageSize(o.max_message_bytes);
  // Request metadata (a token, a request id) is small: larger headers are refused by the
  // transport (RESOURCE_EXHAUSTED) before any handler runs.
  builder.AddChannelArgument(GRPC_ARG_MAX_METADATA_SIZE, kMaxMetadataBytes);
  // Keepalive: ping idle clients every 30 s, drop them when a ping is unanswered for 10 s;
  // allow clients to ping every 10 s, even without calls.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  // The bound on what gRPC holds under an overload it cannot refuse fast enough (server.h).
  if (o.max_concurrent_streams > 0) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, o.max_concurrent_streams);
  }
  if (o.max_grpc_memory_bytes > 0) {
    grpc::ResourceQuota quota("localgov-server");
    quota.Resize(o.max_grpc_memory_bytes);
    builder.SetResourceQuota(quota);
  }
  host->server_ = builder.BuildAndStart();
  if (host->server_ == nullptr || host->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", o.listen, " (address in use or not local?)"));
  }
  if (!o.health_listen.empty()) {
    host->health_mirror_ = std::make_unique<HealthMirror>(host->serving_, o.health_services);
    grpc::ServerBuilder health_builder;
    health_builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    health_builder.AddListeningPort(o.health_listen, grpc::InsecureServerCredentials(),
                                    &host->health_port_);
    health_builder.RegisterService(host->health_mirror_.get());
    host->health_server_ = health_builder.BuildAndStart();
    if (host->health_server_ == nullptr || host->health_port_ == 0) {
      host->server_->Shutdown();
      return absl::UnavailableError(absl::StrCat("cannot listen on ", o.health_listen));
    }
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
  if (health_server_ != nullptr) health_server_->Shutdown();
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

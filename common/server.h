#ifndef LOCALGOV_COMMON_SERVER_H_
#define LOCALGOV_COMMON_SERVER_H_

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"

namespace localgov {

// Hosts gRPC services with what every localgov server has: grpc.health.v1 driven by a
// readiness probe, server reflection, keepalive and message-size limits, and a graceful
// shutdown (NOT_SERVING -> drain -> Shutdown with a deadline).
//
// Threading: services use the callback API; RpcRunner hands each call to a BoundedExecutor
// (common/executor.h) so gRPC's callback threads never block on PostgreSQL or Redis
// (docs/benchmarks.md has the measurements behind this choice).
// Credentials for this service's calls to its peers (the liaison's deliveries, the dossier's
// handoffs and directory fetches): plaintext when the service has no TLS certificate;
// otherwise TLS that checks the peer's certificate against `ca_file` (the same CA that signs
// the peers' certificates) and presents this service's own certificate, so a peer that
// requires mTLS admits it. Files are re-read when they change, like the server's.
std::shared_ptr<grpc::ChannelCredentials> PeerChannelCredentials(const std::string& cert_file,
                                                                 const std::string& key_file,
                                                                 const std::string& ca_file);

// A channel to a peer (another service, or an agency's receiver). Callers retry on their
// own schedule (the outbox relay, the delivery worker), so gRPC's reconnect backoff is kept
// short: by default it grows to two minutes, and a peer back after a long outage would be
// refused without a try until then, whatever the caller's schedule.
inline constexpr int kPeerMaxReconnectBackoffMs = 1000;
std::shared_ptr<grpc::Channel> PeerChannel(const std::string& target,
                                           std::shared_ptr<grpc::ChannelCredentials> credentials);

class ServiceHost final {
 public:
  struct Options {
    std::string listen = "127.0.0.1:0";
    int max_message_bytes = 4 << 20;
    absl::Duration drain = absl::Seconds(5);
    absl::Duration shutdown_timeout = absl::Seconds(10);
    absl::Duration health_interval = absl::Seconds(1);
    // Fully qualified service names reported by grpc.health.v1 (besides "").
    std::vector<std::string> health_services;
    // TLS on `listen` when cert and key are set (PEM files, re-read when they change, so a
    // renewed certificate needs no restart); with a client CA too, clients must present a
    // certificate it signed (mTLS).
    std::string tls_cert_file;
    std::string tls_key_file;
    std::string tls_client_ca_file;
    // A second, plaintext listener that serves only grpc.health.v1.Health/Check, for probes
    // that cannot speak TLS (the kubelet's grpc probe). Empty: none.
    std::string health_listen;
    // What gRPC itself may hold before a handler sees a call (docs/reliability.md,
    // "Overload"). The handler queue refuses what it cannot take, but only as fast as gRPC's
    // threads get the CPU to refuse: when calls arrive faster than that, gRPC kept every
    // stream a client opened, and RSS grew with the backlog (75 -> 166 MB).
    //  - Per connection, at most this many calls at once (HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS);
    //    a client's further calls wait in the client, within their own deadline. 256 x the
    //    load generator's 8 connections still fill the default queue (1,000), so an overload
    //    from several connections is refused RESOURCE_EXHAUSTED as before.
    int max_concurrent_streams = 256;
    //  - gRPC's memory quota (grpc::ResourceQuota): at the limit the transport shrinks its
    //    read buffers and then cancels streams (RESOURCE_EXHAUSTED) instead of growing.
    size_t max_grpc_memory_bytes = size_t{128} << 20;
  };
  // True when the service can do its work (its database answers).
  using ReadinessProbe = std::function<bool()>;

  static absl::StatusOr<std::unique_ptr<ServiceHost>> Start(Options options,
                                                            std::vector<grpc::Service*> services,
                                                            ReadinessProbe probe);
  ~ServiceHost();

  int port() const { return port_; }
  int health_port() const { return health_port_; }
  bool serving() const { return serving_.load(); }
  // Idempotent; returns when every in-flight call finished or the deadline cut it off.
  void Shutdown();

 private:
  explicit ServiceHost(Options options) : options_(std::move(options)) {}
  void HealthLoop();
  void SetServing(bool serving);

  const Options options_;
  ReadinessProbe probe_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::unique_ptr<grpc::Service> health_mirror_;
  std::unique_ptr<grpc::Server> health_server_;
  int health_port_ = 0;
  std::atomic<bool> serving_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool shut_down_ = false;
  std::thread health_thread_;
};

// Blocks SIGTERM and SIGINT in the calling thread and every thread it starts later; call
// first thing in main(). WaitForShutdownSignal() then returns the signal that arrived.
void BlockShutdownSignals();
int WaitForShutdownSignal();

}  // namespace localgov

#endif  // LOCALGOV_COMMON_SERVER_H_

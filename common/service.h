#ifndef LOCALGOV_COMMON_SERVICE_H_
#define LOCALGOV_COMMON_SERVICE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/audit_anchors.h"
#include "common/auth/auth.h"
#include "common/auth/service_token.h"
#include "common/clock.h"
#include "common/config.h"
#include "common/db/migrations.h"
#include "common/db/pool.h"
#include "common/directory_snapshot.h"
#include "common/executor.h"
#include "common/metrics.h"
#include "common/outbox.h"
#include "common/redis/redis.h"
#include "common/rpc.h"
#include "common/server.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/impl/service_type.h"
#include "localgov/common/v1/service_info.pb.h"

namespace localgov {

// What a service's handlers are given: its own database, Redis, the RPC runner, metrics, the
// outbox relay (to register deliverers) and the clock.
struct ServiceContext {
  const ServiceConfig& config;
  PgPool& db;
  RedisPool& redis;
  RpcRunner& rpc;
  Metrics& metrics;
  OutboxRelay& outbox;
  const Clock& clock;
  absl::Time start_time;
  // The token this service presents to its peers (not configured: calls needing it fail with
  // FAILED_PRECONDITION).
  std::shared_ptr<ServiceToken> service_token;
  // Where this service's audit chain heads are anchored, and the chain's name there. Set
  // before make_services to the liaison over gRPC when a service token is configured; the
  // liaison replaces it with its own log. nullptr: not anchored (VerifyAuditChain says so).
  std::shared_ptr<AuditAnchors> audit_anchors;
  std::string audit_chain;
};

// How one service binary differs from the others.
struct ServiceSpec {
  ServiceDefaults defaults;
  const std::vector<Migration>* migrations = nullptr;
  // Fully qualified gRPC service names, reported by grpc.health.v1.
  std::vector<std::string> grpc_services;
  std::function<std::vector<std::unique_ptr<grpc::Service>>(ServiceContext&)> make_services;
};

// A started service: pools, metrics, outbox relay and the gRPC host, in that order, and
// stopped in reverse by Shutdown().
class RunningService final {
 public:
  static absl::StatusOr<std::unique_ptr<RunningService>> Start(const ServiceSpec& spec,
                                                               ServiceConfig config,
                                                               const Clock& clock);
  ~RunningService();
  int port() const { return host_->port(); }
  int metrics_port() const { return metrics_->port(); }
  bool serving() const { return host_->serving(); }
  ServiceContext& context() { return *context_; }
  void Shutdown();

 private:
  RunningService() = default;
  ServiceConfig config_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<PgPool> db_;
  std::unique_ptr<PgPool> probe_db_;
  std::unique_ptr<RedisPool> redis_;
  std::unique_ptr<TokenVerifier> verifier_;
  std::unique_ptr<BoundedExecutor> executor_;
  std::unique_ptr<RpcRunner> rpc_;
  std::unique_ptr<OutboxRelay> outbox_;
  std::unique_ptr<ServiceContext> context_;
  std::vector<std::unique_ptr<grpc::Service>> services_;
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<AuditAnchorer> anchorer_;
  bool shut_down_ = false;
};

// Applies the common and the service's migrations, waiting up to `wait` for the database.
absl::StatusOr<MigrationReport> MigrateWithRetry(PgPool& pool, const ServiceSpec& spec,
                                                 absl::Duration wait);

// The whole main() of a service binary: `<service> [serve|migrate] [flags]`.
int ServiceMain(const ServiceSpec& spec, int argc, char** argv);

// GetServiceInfo for every service: reads the database clock and schema version, pings Redis.
absl::Status FillServiceInfo(ServiceContext& ctx, localgov::common::v1::ServiceInfo* info);

// The GetServiceInfo RPC of every service, whatever its request and response types.
template <typename Request, typename Response>
grpc::ServerUnaryReactor* ServeGetServiceInfo(ServiceContext& ctx,
                                              grpc::CallbackServerContext* context,
                                              const Request* request, Response* response) {
  return ctx.rpc.Run(context, "GetServiceInfo", kAnyRole, request, response,
                     [c = &ctx](const CallContext&, const Request&, Response& out) {
                       return FillServiceInfo(*c, out.mutable_info());
                     });
}

// The prefix of this service's Redis keys: Redis may be shared by services and environments,
// so keys are namespaced by service and by database (stable across restarts).
std::string RedisKeyPrefix(const ServiceConfig& config);

// The address of peer `name` ("liaison", "dossier", ...) as configured; empty when none.
std::string PeerAddress(const ServiceConfig& config, const std::string& name);

// The liaison's signed directory as this service's copy (not started), when the trust anchor
// (kDirectoryTrustKeyVariable) is configured; nullptr otherwise.
std::unique_ptr<DirectoryCache> MakeDirectoryCache(const ServiceConfig& config, RedisPool& redis);

// Credentials for calls to peers, from the service's own TLS settings (PeerChannelCredentials).
std::shared_ptr<grpc::ChannelCredentials> PeerCredentials(const ServiceConfig& config);

// The version compiled into the binaries.
std::string_view LocalgovVersion();

}  // namespace localgov

#endif  // LOCALGOV_COMMON_SERVICE_H_

#include "common/service.h"

#include <csignal>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/audit_service.h"
#include "common/crypto.h"
#include "common/db/transaction.h"
#include "common/logging.h"
#include "google/protobuf/util/time_util.h"
#include "spdlog/spdlog.h"

namespace localgov {
namespace {

absl::StatusOr<std::pair<std::string, int>> SplitHostPort(const std::string& addr) {
  if (auto st = ValidateHostPort(addr); !st.ok()) return st;
  const auto colon = addr.rfind(':');
  return std::make_pair(addr.substr(0, colon), std::stoi(addr.substr(colon + 1)));
}

bool ProbeDatabase(PgPool& pool) {
  auto lease = pool.Acquire();
  if (!lease.ok()) return false;
  try {
    pqxx::nontransaction tx(lease->conn());
    tx.exec("SELECT 1");
    return true;
  } catch (const std::exception&) {
    lease->MarkBroken();
    return false;
  }
}

google::protobuf::Timestamp ToProto(absl::Time t) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

// The chain's name, the service token and, with a token, the liaison as the anchor of the
// audit chain (the liaison itself replaces it with its own log in make_services).
absl::Status SetUpAuditAnchors(ServiceContext& ctx) {
  const auto& c = ctx.config;
  ctx.audit_chain = c.audit_chain.empty() ? c.service : c.audit_chain;
  if (!ValidAuditChainName(ctx.audit_chain)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--audit-chain (LOCALGOV_AUDIT_CHAIN): ", kAuditChainRule));
  }
  ctx.service_token = std::make_shared<ServiceToken>(c.service_token_file);
  const std::string liaison = PeerAddress(c, "liaison");
  if (ctx.service_token->configured() && !liaison.empty()) {
    ctx.audit_anchors = MakeLiaisonAuditAnchors(liaison, PeerCredentials(c), ctx.service_token);
  } else if (c.service != "liaison") {
    spdlog::warn(
        "audit chain heads are not anchored in the liaison's log (no LOCALGOV_SERVICE_TOKEN_FILE):"
        " deleting the newest audit records would go unnoticed");
  }
  return absl::OkStatus();
}

}  // namespace

std::string_view LocalgovVersion() { return LOCALGOV_VERSION; }

std::string PeerAddress(const ServiceConfig& config, const std::string& name) {
  auto it = config.peer_addrs.find(name);
  return it == config.peer_addrs.end() ? "" : it->second;
}

std::unique_ptr<DirectoryCache> MakeDirectoryCache(const ServiceConfig& config, RedisPool& redis) {
  auto it = config.extras.find(kDirectoryTrustKeyVariable);
  if (it == config.extras.end() || it->second.empty()) return nullptr;
  auto key = ParseTrustKey(it->second);  // checked with the other settings at start
  if (!key.ok()) return nullptr;
  return std::make_unique<DirectoryCache>(
      DirectoryCache::Options{.liaison_address = PeerAddress(config, "liaison"),
                              .trusted_public_key = *key,
                              .redis_key = RedisKeyPrefix(config) + "directory",
                              .credentials = PeerCredentials(config)},
      redis);
}

std::string RedisKeyPrefix(const ServiceConfig& config) {
  return absl::StrCat("lg:", config.service, ":", Sha256Hex(config.database_url).substr(0, 8), ":");
}

absl::StatusOr<MigrationReport> MigrateWithRetry(PgPool& pool, const ServiceSpec& spec,
                                                 absl::Duration wait) {
  const absl::Time give_up = absl::Now() + wait;
  absl::Duration pause = absl::Milliseconds(200);
  while (true) {
    auto report = ApplyMigrations(pool, {&common_migrations(), spec.migrations});
    if (report.ok() || report.status().code() != absl::StatusCode::kUnavailable ||
        absl::Now() + pause > give_up) {
      return report;
    }
    spdlog::warn("database not reachable yet, retrying migrations: {}", report.status().message());
    absl::SleepFor(pause);
    pause = std::min(pause * 2, absl::Seconds(5));
  }
}

absl::StatusOr<std::unique_ptr<RunningService>> RunningService::Start(const ServiceSpec& spec,
                                                                      ServiceConfig config,
                                                                      const Clock& clock) {
  auto s = std::unique_ptr<RunningService>(new RunningService());
  s->config_ = std::move(config);
  const auto& c = s->config_;

  auto metrics = Metrics::Create(c.service, c.metrics_listen);
  if (!metrics.ok()) return metrics.status();
  s->metrics_ = std::move(*metrics);

  PgPool::Options db_options{c.database_url, c.db_pool_size,
                             absl::Milliseconds(c.db_acquire_timeout_ms), c.db_connect_timeout_s,
                             c.db_statement_timeout_ms};
  auto db = PgPool::Create(db_options);
  if (!db.ok()) return db.status();
  s->db_ = std::move(*db);
  db_options.size = 1;
  db_options.acquire_timeout = absl::Milliseconds(c.health_interval_ms);
  auto probe = PgPool::Create(db_options);
  if (!probe.ok()) return probe.status();
  s->probe_db_ = std::move(*probe);

  auto redis_addr = SplitHostPort(c.redis_addr);
  if (!redis_addr.ok()) return redis_addr.status();
  auto redis = RedisPool::Create({redis_addr->first, redis_addr->second, c.redis_pool_size,
                                  absl::Milliseconds(c.redis_timeout_ms), absl::Seconds(1)});
  if (!redis.ok()) return redis.status();
  s->redis_ = std::move(*redis);

  auto verifier =
      TokenVerifier::FromFile(c.auth_public_key_file, c.auth_issuer, c.auth_audience, clock);
  if (!verifier.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--auth-public-key-file (LOCALGOV_AUTH_PUBLIC_KEY_FILE): ", verifier.status().message()));
  }
  s->verifier_ = std::move(*verifier);

  if (c.migrate_on_start) {
    auto report = MigrateWithRetry(*s->db_, spec, absl::Seconds(60));
    if (!report.ok()) return report.status();
    spdlog::info("schema at version {} ({} migrations applied now)", report->schema_version,
                 report->applied);
  }

  s->executor_ =
      std::make_unique<BoundedExecutor>(c.worker_threads, static_cast<size_t>(c.max_queued_calls));
  s->rpc_ = std::make_unique<RpcRunner>(c.service, *s->verifier_, *s->executor_, s->metrics_.get(),
                                        clock);
  OutboxRelay::Options outbox_options;
  outbox_options.poll_interval = absl::Milliseconds(c.outbox_poll_ms);
  s->outbox_ = std::make_unique<OutboxRelay>(*s->db_, outbox_options, s->metrics_.get());
  s->context_ = std::unique_ptr<ServiceContext>(
      new ServiceContext{s->config_, *s->db_, *s->redis_, *s->rpc_, *s->metrics_, *s->outbox_,
                         clock, clock.Now(), nullptr, nullptr, ""});
  if (auto st = SetUpAuditAnchors(*s->context_); !st.ok()) return st;
  s->services_ = spec.make_services(*s->context_);
  s->services_.push_back(MakeAuditService(*s->context_));  // every binary: tamper evidence
  std::vector<grpc::Service*> raw;
  for (auto& svc : s->services_) raw.push_back(svc.get());

  ServiceHost::Options host_options;
  host_options.listen = c.listen;
  host_options.max_message_bytes = c.max_message_bytes;
  host_options.drain = absl::Seconds(c.drain_seconds);
  host_options.shutdown_timeout = absl::Seconds(c.shutdown_timeout_seconds);
  host_options.health_interval = absl::Milliseconds(c.health_interval_ms);
  host_options.health_services = spec.grpc_services;
  host_options.health_services.push_back(kAuditServiceName);
  host_options.tls_cert_file = c.tls_cert_file;
  host_options.tls_key_file = c.tls_key_file;
  host_options.tls_client_ca_file = c.tls_client_ca_file;
  host_options.health_listen = c.health_listen;
  PgPool* probe_db = s->probe_db_.get();
  PgPool* main_db = s->db_.get();
  RedisPool* redis_pool = s->redis_.get();
  Metrics* m = s->metrics_.get();
  auto host = ServiceHost::Start(host_options, raw, [probe_db, main_db, redis_pool, m] {
    const bool db_up = ProbeDatabase(*probe_db);
    m->SetUp("postgres", db_up);
    m->SetUp("redis", redis_pool->Ping());
    const auto st = main_db->stats();
    m->SetPool("postgres", st.size, st.in_use, st.idle, st.waiting);
    return db_up;
  });
  if (!host.ok()) return host.status();
  s->host_ = std::move(*host);
  s->outbox_->Start();
  if (s->context_->audit_anchors != nullptr && c.audit_anchor_interval_s > 0) {
    s->anchorer_ = std::make_unique<AuditAnchorer>(*s->db_, *s->context_->audit_anchors,
                                                   s->context_->audit_chain,
                                                   absl::Seconds(c.audit_anchor_interval_s));
    s->anchorer_->Start();
  }
  return s;
}

RunningService::~RunningService() { Shutdown(); }

void RunningService::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  // The host waits for every call, queued ones included, so the executor stops after it.
  if (host_) host_->Shutdown();
  if (anchorer_) anchorer_->Stop();
  if (executor_) executor_->Stop();
  if (outbox_) outbox_->Stop();
  if (db_) db_->Close();
  if (probe_db_) probe_db_->Close();
  spdlog::info("shutdown complete");
}

absl::Status FillServiceInfo(ServiceContext& ctx, localgov::common::v1::ServiceInfo* info) {
  info->set_service(ctx.config.service);
  info->set_version(std::string(LocalgovVersion()));
  *info->mutable_start_time() = ToProto(ctx.start_time);
  info->set_redis_reachable(ctx.redis.Ping());
  return RunInTransaction(
      ctx.db, "service_info",
      [&](pqxx::work& tx) -> absl::Status {
        auto r = tx.exec("SELECT (EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::bigint");
        *info->mutable_database_time() = ToProto(absl::FromUnixMicros(r[0][0].as<int64_t>()));
        info->set_schema_version(SchemaVersion(tx, ctx.config.service));
        info->set_database_reachable(true);
        return absl::OkStatus();
      },
      TxOptions{.read_only = true});
}

int ServiceMain(const ServiceSpec& spec, int argc, char** argv) {
  // Debian builds Abseil without NDEBUG, so absl::Mutex (under every lock in gRPC) tracks a
  // global lock-order graph for deadlock detection: measurable CPU on every RPC and a global
  // lock of its own. A debugging aid, off in production binaries.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  BlockShutdownSignals();
  std::vector<std::string> args(argv + 1, argv + argc);
  auto config = ParseServiceConfig(spec.defaults, args);
  if (!config.ok()) {
    std::cerr << spec.defaults.name << ": " << config.status().message() << "\n";
    return 2;
  }
  if (config->command == Command::kHelp) {
    std::cout << config->help_text;
    return 0;
  }
  if (config->command == Command::kSettings) {
    std::cout << "variable\tflag\trequired\tpeer\tdefault\thelp\n";
    for (const auto& s : ServiceSettings(spec.defaults)) {
      std::cout << s.env << "\t" << s.flag << "\t" << (s.required ? "yes" : "no") << "\t"
                << (s.peer ? "yes" : "no") << "\t" << s.default_value << "\t" << s.help << "\n";
    }
    return 0;
  }
  InitLogging(config->service, config->log_level);
  const Clock& clock = SystemClock::Get();

  if (config->command == Command::kMigrate) {
    auto pool = PgPool::Create(
        {config->database_url, 1, absl::Seconds(10), config->db_connect_timeout_s, 0});
    if (!pool.ok()) {
      spdlog::error("migrate: {}", pool.status().message());
      return 1;
    }
    auto report = MigrateWithRetry(**pool, spec, absl::Seconds(60));
    if (!report.ok()) {
      spdlog::error("migrate failed: {}", report.status().message());
      return 1;
    }
    spdlog::info("migrate: schema at version {}, {} applied", report->schema_version,
                 report->applied);
    return 0;
  }

  auto service = RunningService::Start(spec, *config, clock);
  if (!service.ok()) {
    spdlog::error("cannot start: {}", service.status().message());
    std::cerr << spec.defaults.name << ": cannot start: " << service.status().message() << "\n";
    return 1;
  }
  spdlog::info("serving gRPC on {} (port {}), metrics on {}", config->listen, (*service)->port(),
               config->metrics_listen);
  const int sig = WaitForShutdownSignal();
  spdlog::info("received signal {}, shutting down", sig);
  (*service)->Shutdown();
  return 0;
}

std::shared_ptr<grpc::ChannelCredentials> PeerCredentials(const ServiceConfig& config) {
  return PeerChannelCredentials(config.tls_cert_file, config.tls_key_file,
                                config.tls_client_ca_file);
}

}  // namespace localgov

#include "common/config.h"

#include <algorithm>
#include <utility>

#include "CLI/CLI.hpp"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace localgov {
namespace {

struct IntSetting {
  const char* flag;
  const char* env;
  int ServiceConfig::*field;
  int min;
  int max;
  const char* help;
};

struct StringSetting {
  const char* flag;
  const char* env;
  std::string ServiceConfig::*field;
  const char* help;
};

const std::vector<IntSetting>& IntSettings() {
  static const auto& kSettings = *new std::vector<IntSetting>{
      {"--db-pool-size", "LOCALGOV_DB_POOL_SIZE", &ServiceConfig::db_pool_size, 1, 512,
       "PostgreSQL connections in the pool"},
      {"--db-acquire-timeout-ms", "LOCALGOV_DB_ACQUIRE_TIMEOUT_MS",
       &ServiceConfig::db_acquire_timeout_ms, 10, 60000,
       "how long an RPC waits for a free connection before UNAVAILABLE"},
      {"--db-statement-timeout-ms", "LOCALGOV_DB_STATEMENT_TIMEOUT_MS",
       &ServiceConfig::db_statement_timeout_ms, 100, 600000, "PostgreSQL statement_timeout"},
      {"--db-connect-timeout-s", "LOCALGOV_DB_CONNECT_TIMEOUT_S",
       &ServiceConfig::db_connect_timeout_s, 1, 60, "PostgreSQL connect timeout"},
      {"--redis-pool-size", "LOCALGOV_REDIS_POOL_SIZE", &ServiceConfig::redis_pool_size, 1, 256,
       "Redis connections in the pool"},
      {"--redis-timeout-ms", "LOCALGOV_REDIS_TIMEOUT_MS", &ServiceConfig::redis_timeout_ms, 10,
       10000, "Redis connect and command timeout"},
      {"--worker-threads", "LOCALGOV_WORKER_THREADS", &ServiceConfig::worker_threads, 0, 1024,
       "threads that run RPC handlers (0: the database pool size)"},
      {"--max-queued-calls", "LOCALGOV_MAX_QUEUED_CALLS", &ServiceConfig::max_queued_calls, 1,
       1000000, "calls waiting for a handler thread before RESOURCE_EXHAUSTED"},
      {"--max-message-bytes", "LOCALGOV_MAX_MESSAGE_BYTES", &ServiceConfig::max_message_bytes, 1024,
       64 << 20, "largest request or response message"},
      {"--drain-seconds", "LOCALGOV_DRAIN_SECONDS", &ServiceConfig::drain_seconds, 0, 300,
       "seconds between NOT_SERVING and closing the listener on shutdown"},
      {"--shutdown-timeout-seconds", "LOCALGOV_SHUTDOWN_TIMEOUT_SECONDS",
       &ServiceConfig::shutdown_timeout_seconds, 1, 600,
       "how long in-flight calls may still run after the drain"},
      {"--health-interval-ms", "LOCALGOV_HEALTH_INTERVAL_MS", &ServiceConfig::health_interval_ms,
       50, 60000, "how often the database is probed for grpc.health.v1"},
      {"--outbox-poll-ms", "LOCALGOV_OUTBOX_POLL_MS", &ServiceConfig::outbox_poll_ms, 10, 60000,
       "how often the outbox relay looks for messages"},
      {"--audit-anchor-interval-s", "LOCALGOV_AUDIT_ANCHOR_INTERVAL_S",
       &ServiceConfig::audit_anchor_interval_s, 0, 86400,
       "seconds between anchors of the audit chain's head in the liaison's signed log, when it"
       " has moved (0: only on demand)"},
  };
  return kSettings;
}

const std::vector<StringSetting>& StringSettings() {
  static const auto& kSettings = *new std::vector<StringSetting>{
      {"--listen", "LOCALGOV_LISTEN", &ServiceConfig::listen, "gRPC listen address host:port"},
      {"--metrics-listen", "LOCALGOV_METRICS_LISTEN", &ServiceConfig::metrics_listen,
       "Prometheus metrics listen address host:port"},
      {"--database-url", "LOCALGOV_DATABASE_URL", &ServiceConfig::database_url,
       "PostgreSQL connection URI of this service's own database (required)"},
      {"--redis-addr", "LOCALGOV_REDIS_ADDR", &ServiceConfig::redis_addr, "Redis host:port"},
      {"--auth-public-key-file", "LOCALGOV_AUTH_PUBLIC_KEY_FILE",
       &ServiceConfig::auth_public_key_file,
       "PEM file with the token issuer's ES256 public key (required)"},
      {"--auth-issuer", "LOCALGOV_AUTH_ISSUER", &ServiceConfig::auth_issuer,
       "expected token issuer (iss)"},
      {"--auth-audience", "LOCALGOV_AUTH_AUDIENCE", &ServiceConfig::auth_audience,
       "expected token audience (aud)"},
      {"--log-level", "LOCALGOV_LOG_LEVEL", &ServiceConfig::log_level,
       "trace, debug, info, warn or error"},
      {"--tls-cert-file", "LOCALGOV_TLS_CERT_FILE", &ServiceConfig::tls_cert_file,
       "PEM certificate chain: serve TLS (with --tls-key-file); re-read when renewed"},
      {"--tls-key-file", "LOCALGOV_TLS_KEY_FILE", &ServiceConfig::tls_key_file,
       "PEM private key of --tls-cert-file"},
      {"--tls-client-ca-file", "LOCALGOV_TLS_CLIENT_CA_FILE", &ServiceConfig::tls_client_ca_file,
       "PEM CA bundle: require client certificates it signed (mTLS)"},
      {"--health-listen", "LOCALGOV_HEALTH_LISTEN", &ServiceConfig::health_listen,
       "host:port of a plaintext listener serving only grpc.health.v1 (probes); empty: none"},
      {"--service-token-file", "LOCALGOV_SERVICE_TOKEN_FILE", &ServiceConfig::service_token_file,
       "file with this service's own token (role system, subject service:<chain>) for calls to"
       " its peers; re-read when it changes"},
      {"--audit-chain", "LOCALGOV_AUDIT_CHAIN", &ServiceConfig::audit_chain,
       "the name of this service's audit chain in the liaison's log (empty: the service's name;"
       " set it when several deployments share one liaison)"},
  };
  return kSettings;
}

std::string Name(const char* flag, const char* env) { return absl::StrCat(flag, " (", env, ")"); }

}  // namespace

absl::Status ValidateHostPort(const std::string& value) {
  const auto colon = value.rfind(':');
  if (colon == std::string::npos || colon == 0) return absl::InvalidArgumentError("want host:port");
  int port = -1;
  if (!absl::SimpleAtoi(value.substr(colon + 1), &port) || port < 0 || port > 65535) {
    return absl::InvalidArgumentError("port must be a number 0..65535");
  }
  return absl::OkStatus();
}

std::string PeerFlag(const Peer& p) { return absl::StrCat("--", p.name, "-addr"); }
std::string PeerEnv(const Peer& p) {
  return absl::StrCat("LOCALGOV_", absl::AsciiStrToUpper(p.name), "_ADDR");
}

std::vector<SettingInfo> ServiceSettings(const ServiceDefaults& defaults) {
  ServiceConfig d;
  d.listen = absl::StrCat("127.0.0.1:", defaults.grpc_port);
  d.metrics_listen = absl::StrCat("127.0.0.1:", defaults.metrics_port);
  d.redis_addr = "127.0.0.1:6379";
  d.auth_issuer = "localgov-dev";
  d.auth_audience = "localgov";
  d.log_level = "info";
  std::vector<SettingInfo> out;
  for (const auto& s : IntSettings()) {
    out.push_back({s.env, s.flag, false, false, std::to_string(d.*(s.field)), s.help});
  }
  for (const auto& s : StringSettings()) {
    const bool required = std::string_view(s.env) == "LOCALGOV_DATABASE_URL" ||
                          std::string_view(s.env) == "LOCALGOV_AUTH_PUBLIC_KEY_FILE";
    out.push_back({s.env, s.flag, required, false, d.*(s.field), s.help});
  }
  out.push_back({"LOCALGOV_MIGRATE_ON_START", "--migrate-on-start", false, false, "true",
                 "apply pending migrations before serving (true/false)"});
  for (const auto& e : defaults.extras) {
    out.push_back({e.env, e.flag, e.required_to_serve, false, e.default_value, e.help});
  }
  for (const auto& p : defaults.peers) {
    out.push_back({PeerEnv(p), PeerFlag(p), false, true, absl::StrCat("127.0.0.1:", p.default_port),
                   absl::StrCat("host:port of the ", p.name, " service (", p.why, ")")});
  }
  std::sort(out.begin(), out.end(),
            [](const SettingInfo& a, const SettingInfo& b) { return a.env < b.env; });
  return out;
}

std::vector<std::string> ServiceEnvironmentVariables(const ServiceDefaults& defaults) {
  std::vector<std::string> out;
  for (const auto& s : ServiceSettings(defaults)) out.push_back(s.env);
  return out;
}

absl::StatusOr<ServiceConfig> ParseServiceConfig(const ServiceDefaults& defaults,
                                                 const std::vector<std::string>& args) {
  ServiceConfig config;
  config.service = defaults.name;
  config.listen = absl::StrCat("127.0.0.1:", defaults.grpc_port);
  config.metrics_listen = absl::StrCat("127.0.0.1:", defaults.metrics_port);
  config.redis_addr = "127.0.0.1:6379";
  config.auth_issuer = "localgov-dev";
  config.auth_audience = "localgov";
  config.log_level = "info";

  CLI::App app{absl::StrCat("localgov ", defaults.name, " service")};
  app.name(defaults.name);
  app.set_help_flag("-h,--help", "print this help and exit");
  auto* serve =
      app.add_subcommand("serve", "migrate the database (unless disabled) and serve (default)");
  auto* migrate = app.add_subcommand("migrate", "apply pending database migrations and exit");
  auto* settings = app.add_subcommand(
      "settings", "print every setting (variable, flag, required, default) as TSV and exit");
  serve->fallthrough();
  migrate->fallthrough();
  app.require_subcommand(0, 1);

  // Values are read as text and checked below, so every error names flag and variable alike.
  std::vector<std::string> int_text(IntSettings().size());
  for (size_t i = 0; i < IntSettings().size(); ++i) {
    const auto& s = IntSettings()[i];
    app.add_option(s.flag, int_text[i], s.help)->envname(s.env);
  }
  for (const auto& s : StringSettings()) {
    app.add_option(s.flag, config.*(s.field), s.help)->envname(s.env);
  }
  for (const auto& e : defaults.extras) {
    auto& value = config.extras[e.env];
    value = e.default_value;
    app.add_option(e.flag, value, e.help)->envname(e.env);
  }
  for (const auto& p : defaults.peers) {
    auto& addr = config.peer_addrs[p.name];
    addr = absl::StrCat("127.0.0.1:", p.default_port);
    app.add_option(PeerFlag(p), addr, absl::StrCat("host:port of the ", p.name, " service"))
        ->envname(PeerEnv(p));
  }
  std::string migrate_on_start = "true";
  app.add_option("--migrate-on-start", migrate_on_start,
                 "apply pending migrations before serving (true/false)")
      ->envname("LOCALGOV_MIGRATE_ON_START");

  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    config.command = Command::kHelp;
    config.help_text = app.help();
    return config;
  } catch (const CLI::ParseError& e) {
    return absl::InvalidArgumentError(e.what());
  }
  if (migrate->parsed()) config.command = Command::kMigrate;
  if (settings->parsed()) {
    config.command = Command::kSettings;
    return config;
  }

  std::vector<std::string> errors;
  for (size_t i = 0; i < IntSettings().size(); ++i) {
    const auto& s = IntSettings()[i];
    if (int_text[i].empty()) continue;
    int v = 0;
    if (!absl::SimpleAtoi(int_text[i], &v) || v < s.min || v > s.max) {
      errors.push_back(absl::StrCat(Name(s.flag, s.env), ": \"", int_text[i],
                                    "\" is not a whole number in ", s.min, "..", s.max));
      continue;
    }
    config.*(s.field) = v;
  }
  if (config.database_url.empty()) {
    errors.push_back(absl::StrCat(Name("--database-url", "LOCALGOV_DATABASE_URL"),
                                  ": required, e.g. postgresql://user@host:5432/dbname"));
  } else if (!absl::StartsWith(config.database_url, "postgresql://") &&
             !absl::StartsWith(config.database_url, "postgres://") &&
             !absl::StrContains(config.database_url, "dbname=")) {
    errors.push_back(absl::StrCat(Name("--database-url", "LOCALGOV_DATABASE_URL"),
                                  ": not a PostgreSQL URI or key=value connection string"));
  }
  if (config.command == Command::kServe && config.auth_public_key_file.empty()) {
    errors.push_back(absl::StrCat(Name("--auth-public-key-file", "LOCALGOV_AUTH_PUBLIC_KEY_FILE"),
                                  ": required to verify bearer tokens"));
  }
  for (auto [flag, env, value] :
       {std::tuple{"--listen", "LOCALGOV_LISTEN", &config.listen},
        std::tuple{"--metrics-listen", "LOCALGOV_METRICS_LISTEN", &config.metrics_listen},
        std::tuple{"--redis-addr", "LOCALGOV_REDIS_ADDR", &config.redis_addr}}) {
    if (auto st = ValidateHostPort(*value); !st.ok()) {
      errors.push_back(absl::StrCat(Name(flag, env), ": \"", *value, "\": ", st.message()));
    }
  }
  if (!config.health_listen.empty()) {
    if (auto st = ValidateHostPort(config.health_listen); !st.ok()) {
      errors.push_back(absl::StrCat(Name("--health-listen", "LOCALGOV_HEALTH_LISTEN"), ": \"",
                                    config.health_listen, "\": ", st.message()));
    }
  }
  for (const auto& p : defaults.peers) {
    if (auto st = ValidateHostPort(config.peer_addrs[p.name]); !st.ok()) {
      errors.push_back(absl::StrCat(Name(PeerFlag(p).c_str(), PeerEnv(p).c_str()), ": \"",
                                    config.peer_addrs[p.name], "\": ", st.message()));
    }
  }
  for (const auto& e : defaults.extras) {
    const std::string& value = config.extras[e.env];
    if (value.empty() && e.required_to_serve && config.command == Command::kServe) {
      errors.push_back(absl::StrCat(Name(e.flag.c_str(), e.env.c_str()), ": required"));
      continue;
    }
    if (!e.validate || value.empty()) continue;  // an optional setting left unset
    if (auto st = e.validate(value); !st.ok()) {
      errors.push_back(absl::StrCat(Name(e.flag.c_str(), e.env.c_str()), ": \"",
                                    config.extras[e.env], "\": ", st.message()));
    }
  }
  if (config.tls_cert_file.empty() != config.tls_key_file.empty()) {
    errors.push_back(absl::StrCat(Name("--tls-cert-file", "LOCALGOV_TLS_CERT_FILE"), " and ",
                                  Name("--tls-key-file", "LOCALGOV_TLS_KEY_FILE"),
                                  ": set both or neither"));
  }
  if (!config.tls_client_ca_file.empty() && config.tls_cert_file.empty()) {
    errors.push_back(absl::StrCat(Name("--tls-client-ca-file", "LOCALGOV_TLS_CLIENT_CA_FILE"),
                                  ": mTLS needs --tls-cert-file and --tls-key-file too"));
  }
  static const auto& kLevels =
      *new std::vector<std::string>{"trace", "debug", "info", "warn", "error"};
  if (std::find(kLevels.begin(), kLevels.end(), config.log_level) == kLevels.end()) {
    errors.push_back(absl::StrCat(Name("--log-level", "LOCALGOV_LOG_LEVEL"), ": \"",
                                  config.log_level,
                                  "\" is not one of trace, debug, info, warn, error"));
  }
  if (migrate_on_start == "true" || migrate_on_start == "1") {
    config.migrate_on_start = true;
  } else if (migrate_on_start == "false" || migrate_on_start == "0") {
    config.migrate_on_start = false;
  } else {
    errors.push_back(absl::StrCat(Name("--migrate-on-start", "LOCALGOV_MIGRATE_ON_START"),
                                  ": want true or false"));
  }
  if (config.worker_threads == 0) config.worker_threads = config.db_pool_size;
  if (!errors.empty()) {
    std::string message = "invalid configuration:";
    for (const auto& e : errors) message += "\n  " + e;
    return absl::InvalidArgumentError(message);
  }
  return config;
}

}  // namespace localgov

#ifndef LOCALGOV_COMMON_CONFIG_H_
#define LOCALGOV_COMMON_CONFIG_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace localgov {

// What a service binary was asked to do.
enum class Command { kServe, kMigrate, kHelp, kSettings };

// Another of our services that this one calls (an edge the deploy checks hold the
// NetworkPolicies to). Its address is the setting --<name>-addr / LOCALGOV_<NAME>_ADDR.
struct Peer {
  std::string name;      // dossier, petition, cadre, liaison
  int default_port = 0;  // on 127.0.0.1 in the local stack
  std::string why;       // what this service calls it for (the setting's help)
};

// A setting only one service has (e.g. the dossier service's quality weights).
struct ExtraSetting {
  std::string flag;
  std::string env;
  std::string default_value;
  std::string help;
  // Checked at start with the other settings; an error names the flag and the variable.
  std::function<absl::Status(const std::string&)> validate;
  // `serve` refuses to start without it (`migrate` does not need it).
  bool required_to_serve = false;
};

// Defaults that differ per service.
struct ServiceDefaults {
  std::string name;   // dossier, petition, cadre, liaison
  int grpc_port = 0;  // fixed loopback port of the local stack
  int metrics_port = 0;
  std::vector<Peer> peers;
  std::vector<ExtraSetting> extras;
};

// Every setting of a service. Each comes from a flag or, when the flag is absent, from the
// environment variable named beside it (flags win). docs/operations.md lists them all.
struct ServiceConfig {
  Command command = Command::kServe;
  std::string help_text;
  std::string service;
  std::string listen;                // --listen, LOCALGOV_LISTEN (host:port)
  std::string metrics_listen;        // --metrics-listen, LOCALGOV_METRICS_LISTEN
  std::string database_url;          // --database-url, LOCALGOV_DATABASE_URL (required)
  int db_pool_size = 16;             // --db-pool-size, LOCALGOV_DB_POOL_SIZE
  int db_acquire_timeout_ms = 2000;  // --db-acquire-timeout-ms, LOCALGOV_DB_ACQUIRE_TIMEOUT_MS
  int db_statement_timeout_ms =
      10000;                         // --db-statement-timeout-ms, LOCALGOV_DB_STATEMENT_TIMEOUT_MS
  int db_connect_timeout_s = 3;      // --db-connect-timeout-s, LOCALGOV_DB_CONNECT_TIMEOUT_S
  std::string redis_addr;            // --redis-addr, LOCALGOV_REDIS_ADDR (host:port)
  int redis_pool_size = 8;           // --redis-pool-size, LOCALGOV_REDIS_POOL_SIZE
  int redis_timeout_ms = 200;        // --redis-timeout-ms, LOCALGOV_REDIS_TIMEOUT_MS
  std::string auth_public_key_file;  // --auth-public-key-file, LOCALGOV_AUTH_PUBLIC_KEY_FILE
  std::string auth_issuer;           // --auth-issuer, LOCALGOV_AUTH_ISSUER
  std::string auth_audience;         // --auth-audience, LOCALGOV_AUTH_AUDIENCE
  int worker_threads = 0;            // --worker-threads, LOCALGOV_WORKER_THREADS (0: the pool size)
  int max_queued_calls = 1000;       // --max-queued-calls, LOCALGOV_MAX_QUEUED_CALLS
  int max_message_bytes = 4 << 20;   // --max-message-bytes, LOCALGOV_MAX_MESSAGE_BYTES
  int drain_seconds = 5;             // --drain-seconds, LOCALGOV_DRAIN_SECONDS
  int shutdown_timeout_seconds =
      10;                         // --shutdown-timeout-seconds, LOCALGOV_SHUTDOWN_TIMEOUT_SECONDS
  int health_interval_ms = 1000;  // --health-interval-ms, LOCALGOV_HEALTH_INTERVAL_MS
  int outbox_poll_ms = 500;       // --outbox-poll-ms, LOCALGOV_OUTBOX_POLL_MS
  int audit_anchor_interval_s = 300;  // --audit-anchor-interval-s, LOCALGOV_AUDIT_ANCHOR_INTERVAL_S
  bool migrate_on_start = true;       // --migrate-on-start, LOCALGOV_MIGRATE_ON_START
  std::string log_level;              // --log-level, LOCALGOV_LOG_LEVEL
  std::string tls_cert_file;          // --tls-cert-file, LOCALGOV_TLS_CERT_FILE
  std::string tls_key_file;           // --tls-key-file, LOCALGOV_TLS_KEY_FILE
  std::string tls_client_ca_file;     // --tls-client-ca-file, LOCALGOV_TLS_CLIENT_CA_FILE (mTLS)
  std::string health_listen;          // --health-listen, LOCALGOV_HEALTH_LISTEN (plaintext probes)
  std::string service_token_file;     // --service-token-file, LOCALGOV_SERVICE_TOKEN_FILE
  std::string audit_chain;            // --audit-chain, LOCALGOV_AUDIT_CHAIN (empty: service)
  std::map<std::string, std::string> peer_addrs;  // --<peer>-addr, LOCALGOV_<PEER>_ADDR
  std::map<std::string, std::string> extras;      // ServiceDefaults::extras, by variable
};

// One setting as `<service> settings` prints it (the deploy checks read this).
struct SettingInfo {
  std::string env;
  std::string flag;
  bool required = false;      // the service refuses to start without it
  bool peer = false;          // the address of another service (an edge)
  std::string default_value;  // empty when none
  std::string help;
};
std::vector<SettingInfo> ServiceSettings(const ServiceDefaults& defaults);

// Parses `args` (argv without the program name): `[serve|migrate] [--flag value ...]`.
// A bad or missing setting is INVALID_ARGUMENT whose message names the flag and the variable.
absl::StatusOr<ServiceConfig> ParseServiceConfig(const ServiceDefaults& defaults,
                                                 const std::vector<std::string>& args);

// The environment variable names the service reads, sorted.
std::vector<std::string> ServiceEnvironmentVariables(const ServiceDefaults& defaults);

// Splits "host:port" ([v6]:port allowed); the port must be 0..65535.
absl::Status ValidateHostPort(const std::string& value);

// A service's own setting (ServiceDefaults::extras), when set: parsed and handed to `use`. It
// was checked when the settings were read (a bad value stops the start), so a parse error
// cannot happen here. The gRPC adapters' constructors read their settings this way.
template <typename Parse, typename Use>
void UseSetting(const ServiceConfig& config, const std::string& variable, Parse parse, Use use) {
  auto it = config.extras.find(variable);
  if (it == config.extras.end()) return;
  if (auto value = parse(it->second); value.ok()) use(std::move(*value));
}

}  // namespace localgov

#endif  // LOCALGOV_COMMON_CONFIG_H_

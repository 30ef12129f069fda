#include "tests/harness/service_fixture.h"

#include <sodium.h>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "common/crypto.h"
#include "common/envelope.h"

#include <unistd.h>
#include <atomic>
#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "tests/harness/servers.h"

namespace localgov::testing {

const TestIssuer& TestIssuer::Get() {
  static const TestIssuer* issuer = [] {
    auto* i = new TestIssuer();
    auto keys = GenerateEs256KeyPair();
    if (!keys.ok()) std::abort();
    i->keys = *keys;
    i->public_key_file = TestServers::Get().dir() + "/issuer.pub";
    std::ofstream(i->public_key_file) << i->keys.public_pem;
    const auto log = GenerateEd25519KeyPair();
    i->log_key_file = TestServers::Get().dir() + "/log-signing.key";
    if (!WriteSigningKeyFile(i->log_key_file, "test-log", log.secret_key).ok()) std::abort();
    i->log_public_key = log.public_key;
    i->identity_keys_file = TestServers::Get().dir() + "/identity.keys";
    std::string secret(32, '\0');
    randombytes_buf(secret.data(), secret.size());
    std::string index(32, '\0');
    randombytes_buf(index.data(), index.size());
    std::ofstream(i->identity_keys_file) << "test-seal:" << absl::Base64Escape(secret) << "\n"
                                         << "index:" << absl::Base64Escape(index) << "\n";
    return i;
  }();
  return *issuer;
}

std::string ServiceUnderTest::ServiceTokenFile(const std::string& name, const std::string& agency) {
  static std::atomic<int> n{0};
  const std::string path =
      absl::StrCat(TestServers::Get().dir(), "/service-token-", name, "-", getpid(), "-", ++n);
  std::ofstream(path) << Token(Role::kSystem, agency, "service:" + name) << "\n";
  return path;
}

std::string ServiceUnderTest::Token(Role role, const std::string& agency,
                                    const std::string& subject, const std::string& office) {
  TokenClaims claims;
  claims.office = office;
  claims.subject = subject;
  claims.role = role;
  claims.agency = role == Role::kCitizen ? "" : agency;
  auto token = MintToken(TestIssuer::Get().keys.private_pem, claims, SystemClock::Get());
  if (!token.ok()) std::abort();
  return *token;
}

void ServiceUnderTest::Authorize(grpc::ClientContext& context, Role role, const std::string& agency,
                                 const std::string& subject, const std::string& office) {
  context.AddMetadata("authorization", "Bearer " + Token(role, agency, subject, office));
}

absl::StatusOr<std::unique_ptr<ServiceUnderTest>> ServiceUnderTest::Start(
    const ServiceSpec& spec, const std::function<void(ServiceConfig&)>& tweak, const Clock* clock) {
  auto db = TestServers::Get().CreateDatabase();
  if (!db.ok()) return db.status();
  std::vector<std::string> args = {"serve",
                                   "--database-url",
                                   *db,
                                   "--listen",
                                   "127.0.0.1:0",
                                   "--redis-addr",
                                   absl::StrCat("127.0.0.1:", TestServers::Get().redis_port()),
                                   "--auth-public-key-file",
                                   TestIssuer::Get().public_key_file,
                                   "--drain-seconds",
                                   "0",
                                   "--health-interval-ms",
                                   "100",
                                   "--db-acquire-timeout-ms",
                                   "1000",
                                   "--db-connect-timeout-s",
                                   "2",
                                   "--log-level",
                                   "warn"};
  for (const auto& e : spec.defaults.extras) {
    // Signing keys a service needs to serve come from the test issuer.
    if (absl::EndsWith(e.env, "_SIGNING_KEY_FILE")) {
      args.push_back(e.flag);
      args.push_back(TestIssuer::Get().log_key_file);
    }
    // Sealing keys (the petition service's identity key ring) from the test issuer too.
    if (absl::EndsWith(e.env, "_KEYS_FILE")) {
      args.push_back(e.flag);
      args.push_back(TestIssuer::Get().identity_keys_file);
    }
    // ... and trust in the liaison's directory is in the same key.
    if (absl::EndsWith(e.env, "_TRUST_KEY")) {
      args.push_back(e.flag);
      args.push_back(absl::Base64Escape(TestIssuer::Get().log_public_key));
    }
  }
  auto config = ParseServiceConfig(spec.defaults, args);
  if (!config.ok()) return config.status();
  // No metrics endpoint unless a test asks for one: CivetWeb takes ~2 s to stop.
  config->metrics_listen = "";
  // No anchoring of the audit chain unless a test asks for it: the liaison's anchorer writes
  // to the message log, whose entries the exchange tests count.
  config->audit_anchor_interval_s = 0;
  if (tweak) tweak(*config);
  auto sut = std::unique_ptr<ServiceUnderTest>(new ServiceUnderTest());
  sut->config_ = *config;
  auto service =
      RunningService::Start(spec, *config, clock != nullptr ? *clock : SystemClock::Get());
  if (!service.ok()) return service.status();
  sut->service_ = std::move(*service);
  sut->channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", sut->service_->port()),
                                      grpc::InsecureChannelCredentials());
  return sut;
}

}  // namespace localgov::testing

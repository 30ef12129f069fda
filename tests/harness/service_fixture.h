#ifndef LOCALGOV_TESTS_HARNESS_SERVICE_FIXTURE_H_
#define LOCALGOV_TESTS_HARNESS_SERVICE_FIXTURE_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/auth/auth.h"
#include "common/service.h"
#include "grpcpp/grpcpp.h"

namespace localgov::testing {

// The issuer key pair of the test binary, and its public key written to a file.
struct TestIssuer {
  KeyPair keys;
  std::string public_key_file;
  // An Ed25519 signing key file (the liaison's message-log key), key id "test-log".
  std::string log_key_file;
  std::string log_public_key;
  // A key ring sealing denouncers' identities (LOCALGOV_IDENTITY_KEYS_FILE), key id
  // "test-seal".
  std::string identity_keys_file;
  static const TestIssuer& Get();
};

// A service started in-process against its own fresh database on the test PostgreSQL and the
// test Redis, on free ports.
class ServiceUnderTest final {
 public:
  static absl::StatusOr<std::unique_ptr<ServiceUnderTest>> Start(
      const ServiceSpec& spec, const std::function<void(ServiceConfig&)>& tweak = {},
      const Clock* clock = nullptr);

  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  RunningService& service() { return *service_; }
  const ServiceConfig& config() const { return config_; }
  // Sets the bearer token of `role` at `agency` on `context`.
  static void Authorize(grpc::ClientContext& context, Role role,
                        const std::string& agency = "000.00.00.H99",
                        const std::string& subject = "tester", const std::string& office = "");
  static std::string Token(Role role, const std::string& agency, const std::string& subject,
                           const std::string& office = "");
  // A service token (role system, subject "service:<name>") written to a file of its own, as a
  // Kubernetes Secret mounts it: for ServiceConfig::service_token_file.
  static std::string ServiceTokenFile(const std::string& name,
                                      const std::string& agency = "000.00.00.H41");

 private:
  ServiceConfig config_;
  std::unique_ptr<RunningService> service_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace localgov::testing

#endif  // LOCALGOV_TESTS_HARNESS_SERVICE_FIXTURE_H_

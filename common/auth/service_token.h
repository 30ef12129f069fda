#ifndef LOCALGOV_COMMON_AUTH_SERVICE_TOKEN_H_
#define LOCALGOV_COMMON_AUTH_SERVICE_TOKEN_H_

#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"

namespace localgov {

// The token a service presents when it calls a peer (role system, subject "service:<name>",
// minted by the same issuer as every other token): read from a file that a Kubernetes Secret
// mounts (LOCALGOV_SERVICE_TOKEN_FILE), and read again when the file changes, so a rotated
// token is used without a restart. The token never reaches a log.
class ServiceToken final {
 public:
  explicit ServiceToken(std::string file) : file_(std::move(file)) {}
  bool configured() const { return !file_.empty(); }
  // The current token (the file is looked at again at most every 10 s).
  absl::StatusOr<std::string> Get();
  // Adds `authorization: Bearer <token>` to a peer call.
  absl::Status Attach(grpc::ClientContext& context);

 private:
  const std::string file_;
  std::mutex mu_;
  std::string token_;
  absl::Time checked_ = absl::InfinitePast();
};

}  // namespace localgov

#endif  // LOCALGOV_COMMON_AUTH_SERVICE_TOKEN_H_

#ifndef LOCALGOV_COMMON_STATUS_H_
#define LOCALGOV_COMMON_STATUS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace localgov {

// One bad field of a request: the path of the field (e.g. "agency.code") and why it is bad.
struct FieldViolation {
  std::string field;
  std::string description;
};

// The payload type URL under which field violations travel inside an absl::Status.
inline constexpr absl::string_view kBadRequestTypeUrl = "type.googleapis.com/google.rpc.BadRequest";

// An INVALID_ARGUMENT status carrying google.rpc.BadRequest field violations.
absl::Status InvalidArgumentWithViolations(std::vector<FieldViolation> violations);

// The field violations carried by a status, if any.
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);

// Collects every violation of a request, so the caller learns of all of them at once.
class Validator final {
 public:
  // Records a violation of `field` unless `ok`. Returns `ok`.
  bool Check(bool ok, std::string_view field, std::string_view description);
  void Add(std::string_view field, std::string_view description);
  bool ok() const { return violations_.empty(); }
  // OK when nothing was recorded; otherwise INVALID_ARGUMENT with every violation.
  absl::Status status() const;

 private:
  std::vector<FieldViolation> violations_;
};

// The one translation from absl::Status to grpc::Status. Codes map one to one; field
// violations become a google.rpc.Status with a BadRequest detail (grpc-status-details-bin).
// INTERNAL and UNKNOWN messages are replaced by a generic text: they may carry details of our
// internals (SQL, hosts) that a caller must not see; the full text goes to the log instead.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The inverse, for clients and tests: decodes BadRequest details into the payload again.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace localgov

#endif  // LOCALGOV_COMMON_STATUS_H_

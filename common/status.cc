#include "common/status.h"

#include <utility>

#include "common/input_policy.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace localgov {
namespace {

constexpr size_t kMaxViolations = 100;
constexpr size_t kMaxMessageChars = 1000;

}  // namespace

absl::Status InvalidArgumentWithViolations(std::vector<FieldViolation> violations) {
  google::rpc::BadRequest bad_request;
  std::string message = "invalid request:";
  // Bounded, whatever a handler put in: a caller's value is never echoed at length.
  if (violations.size() > kMaxViolations) violations.resize(kMaxViolations);
  for (size_t i = 0; i < violations.size(); ++i) {
    auto* v = bad_request.add_field_violations();
    v->set_field(QuotePrefix(violations[i].field, 128));
    v->set_description(QuotePrefix(violations[i].description, 256));
    message += (i == 0 ? " " : "; ") + v->field() + ": " + v->description();
  }
  absl::Status status(absl::StatusCode::kInvalidArgument, message);
  status.SetPayload(kBadRequestTypeUrl, absl::Cord(bad_request.SerializeAsString()));
  return status;
}

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> out;
  auto payload = status.GetPayload(kBadRequestTypeUrl);
  if (!payload.has_value()) return out;
  google::rpc::BadRequest bad_request;
  if (!bad_request.ParseFromString(std::string(*payload))) return out;
  for (const auto& v : bad_request.field_violations()) {
    out.push_back({v.field(), v.description()});
  }
  return out;
}

bool Validator::Check(bool ok, std::string_view field, std::string_view description) {
  if (!ok) Add(field, description);
  return ok;
}

void Validator::Add(std::string_view field, std::string_view description) {
  violations_.push_back({std::string(field), std::string(description)});
}

absl::Status Validator::status() const {
  if (violations_.empty()) return absl::OkStatus();
  return InvalidArgumentWithViolations(violations_);
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(status.code());
  std::string message(status.message());
  if (status.code() == absl::StatusCode::kInternal || status.code() == absl::StatusCode::kUnknown) {
    message = "internal error; the request id in the logs identifies it";
  } else {
    // A short, printable message: never a caller's 1 MiB value, never a control character
    // (a large status breaks other calls on the same HTTP/2 connection).
    message = QuotePrefix(message, kMaxMessageChars);
  }
  auto payload = status.GetPayload(kBadRequestTypeUrl);
  if (!payload.has_value()) return grpc::Status(code, message);
  google::rpc::Status rpc_status;
  rpc_status.set_code(static_cast<int>(code));
  rpc_status.set_message(message);
  auto* any = rpc_status.add_details();
  any->set_type_url(std::string(kBadRequestTypeUrl));
  any->set_value(std::string(*payload));
  return grpc::Status(code, message, rpc_status.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status out(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  google::rpc::Status rpc_status;
  if (!status.error_details().empty() && rpc_status.ParseFromString(status.error_details())) {
    for (const auto& any : rpc_status.details()) {
      if (any.type_url() == kBadRequestTypeUrl) {
        out.SetPayload(kBadRequestTypeUrl, absl::Cord(any.value()));
      }
    }
  }
  return out;
}

}  // namespace localgov

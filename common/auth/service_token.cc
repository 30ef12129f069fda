#include "common/auth/service_token.h"

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace localgov {

absl::StatusOr<std::string> ServiceToken::Get() {
  if (!configured()) {
    return absl::FailedPreconditionError(
        "no service token (LOCALGOV_SERVICE_TOKEN_FILE): this service cannot call its peers");
  }
  std::lock_guard lock(mu_);
  const absl::Time now = absl::Now();
  if (token_.empty() || now - checked_ >= absl::Seconds(10)) {
    std::ifstream in(file_);
    if (in) {
      std::stringstream text;
      text << in.rdbuf();
      std::string token(absl::StripAsciiWhitespace(text.str()));
      if (!token.empty()) token_ = std::move(token);
    }
    checked_ = now;
    // A file briefly missing while a Secret is updated keeps the token read before.
    if (token_.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("service token file ", file_, " is missing or empty"));
    }
  }
  return token_;
}

absl::Status ServiceToken::Attach(grpc::ClientContext& context) {
  auto token = Get();
  if (!token.ok()) return token.status();
  context.AddMetadata("authorization", absl::StrCat("Bearer ", *token));
  return absl::OkStatus();
}

}  // namespace localgov

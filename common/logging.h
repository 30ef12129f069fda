#ifndef LOCALGOV_COMMON_LOGGING_H_
#define LOCALGOV_COMMON_LOGGING_H_

#include <string>
#include <string_view>

#include "absl/strings/string_view.h"
#include "spdlog/spdlog.h"

// Debian's Abseil has its own string_view type (not std::string_view); let fmt and spdlog
// print it, e.g. status.message().
template <>
struct fmt::formatter<absl::string_view> : fmt::formatter<fmt::string_view> {
  template <typename Context>
  auto format(absl::string_view s, Context& ctx) const {
    return fmt::formatter<fmt::string_view>::format(fmt::string_view(s.data(), s.size()), ctx);
  }
};

namespace localgov {

// Logs are JSON lines on stdout: {"ts","level","service","request_id","msg"}. The protobuf
// library's and gRPC core's own messages are routed through the same logger.
// Every message passes through Redact() first, so a citizen ID number or a token that reaches
// a log call by mistake is still never written.
void InitLogging(std::string_view service, std::string_view level);

// Masks what must never appear in logs: runs of 9 to 12 digits (citizen ID numbers — 12-digit
// CCCD, 9-digit CMND — and phone numbers) become "[id]"; bearer tokens and anything shaped
// like a JWT become "[token]".
std::string Redact(std::string_view text);

// What a log line may say of a database error: its first line (PostgreSQL's DETAIL and
// CONTEXT lines quote row values: names, addresses), with any quoted text that is not a plain
// identifier (a constraint or column name) replaced by "[value]".
std::string DbErrorText(std::string_view what);

// The request id attached to log lines written by this thread while the scope lives.
class ScopedRequestId final {
 public:
  explicit ScopedRequestId(std::string request_id);
  ~ScopedRequestId();
  ScopedRequestId(const ScopedRequestId&) = delete;
  ScopedRequestId& operator=(const ScopedRequestId&) = delete;

 private:
  std::string previous_;
};

const std::string& CurrentRequestId();

}  // namespace localgov

#endif  // LOCALGOV_COMMON_LOGGING_H_

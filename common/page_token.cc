#include "common/page_token.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/input_policy.h"

namespace localgov {

std::string EncodePageToken(std::string_view prefix, std::string_view body) {
  return absl::WebSafeBase64Escape(absl::StrCat(absl::string_view(prefix.data(), prefix.size()),
                                                absl::string_view(body.data(), body.size())));
}

std::optional<std::string> DecodePageToken(std::string_view token, std::string_view prefix) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(absl::string_view(token.data(), token.size()), &raw)) {
    return std::nullopt;
  }
  if (raw.size() < prefix.size() || std::string_view(raw).substr(0, prefix.size()) != prefix) {
    return std::nullopt;
  }
  std::string body = raw.substr(prefix.size());
  if (!TextViolation(body, TextRuleFor("page_token"), nullptr).empty()) return std::nullopt;
  return body;
}

}  // namespace localgov

#ifndef LOCALGOV_COMMON_PAGE_TOKEN_H_
#define LOCALGOV_COMMON_PAGE_TOKEN_H_

#include <optional>
#include <string>
#include <string_view>

namespace localgov {

// Keyset page tokens: opaque to callers (web-safe base64 of `prefix` + `body`), and checked on
// the way back in, since their body goes into SQL parameters.
std::string EncodePageToken(std::string_view prefix, std::string_view body);

// The body of a token EncodePageToken made with `prefix`; nullopt for anything else: not
// base64, another prefix, or a body that is not printable UTF-8 (a NUL or a broken sequence
// would reach PostgreSQL as text and fail there). Callers answer INVALID_ARGUMENT on
// `page_token`.
std::optional<std::string> DecodePageToken(std::string_view token, std::string_view prefix);

}  // namespace localgov

#endif  // LOCALGOV_COMMON_PAGE_TOKEN_H_

#ifndef LOCALGOV_COMMON_INPUT_POLICY_H_
#define LOCALGOV_COMMON_INPUT_POLICY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/status.h"
#include "google/protobuf/message.h"

namespace localgov {

// The one input policy of every RPC (docs/api.md, "Input limits"). RpcRunner applies it to
// every request before the handler runs, so a service gets it without writing it; it is
// derived from the request's descriptor (every field, nested messages and repeated elements
// included) plus the small table of field kinds in input_policy.cc:
//  - text is valid UTF-8 without NUL or other control characters (line breaks and tabs only
//    in multi-line kinds: reasons, notes, comments), at most the kind's length in characters,
//    and, where `normalize`, rewritten to Unicode NFC before anything stores or compares it
//    (`normalize` is false for a peer's signed message — Send, Deliver — whose bytes the
//    signature covers: it is checked, never rewritten, and its enum values are left to the
//    handler, since a newer peer may know more of them);
//  - bytes fields have a maximum size;
//  - enum fields, singular or repeated (filters), hold only declared values;
//  - integers are never negative, and some have an upper bound (page sizes, years, sizes);
//  - timestamps lie in [kEarliestTime, kLatestTime) with nanos in [0, 999999999];
//  - a repeated field has at most kMaxRepeated elements.
// Every violation is recorded in `v` under the field's path (e.g. "envelope.correlation_id",
// "documents[2].file_name"); a description never quotes the value.
void ApplyInputPolicy(google::protobuf::Message& message, bool normalize, Validator& v);

// As above; INVALID_ARGUMENT with every violation, OK when there is none.
absl::Status CheckInputPolicy(google::protobuf::Message& message, bool normalize);

// The kinds of text field and their limits, for handlers that check text that does not come
// in a proto field (and for docs/api.md, which lists them).
struct TextRule {
  std::string_view kind;
  size_t max_chars = 0;
  bool multiline = false;
};
// The rule the policy applies to a string field named `field_name`.
TextRule TextRuleFor(std::string_view field_name);

// Why `text` breaks `rule` ("" when it does not); `nfc` (if not null) receives the text in
// NFC when that differs from `text`, else is left empty.
std::string TextViolation(std::string_view text, const TextRule& rule, std::string* nfc);

// The window every timestamp of a request lies in: [1970-01-01, 2100-01-01) UTC.
inline const absl::Time kEarliestTime = absl::UnixEpoch();
inline const absl::Time kLatestTime = absl::FromUnixSeconds(4102444800);  // 2100-01-01
inline constexpr int kMaxRepeated = 1000;

// At most the first `max_chars` characters of `value` (cut on a character boundary, "…"
// appended when cut): what an error message or a log line may quote of a caller's value.
std::string QuotePrefix(std::string_view value, size_t max_chars = 32);

}  // namespace localgov

#endif  // LOCALGOV_COMMON_INPUT_POLICY_H_

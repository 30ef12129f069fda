// Fuzz target: the keyset page tokens a caller hands back (common/page_token). Byte 0 chooses the
// prefix among those the services issue (grep kTokenPrefix); the rest is tried twice:
//  - as a token for DecodePageToken: a body it decodes is printable text (the text policy of
//    `page_token`), and encoding that body gives a token that decodes to it again;
//  - as a body for EncodePageToken: it comes back from DecodePageToken as it went when it is
//    printable text, and not at all otherwise.
// The seed corpus holds real page tokens of each service.
#include <cstdint>
#include <string>
#include <string_view>

#include "common/input_policy.h"
#include "common/page_token.h"
#include "tests/fuzz/unit_fuzz.h"

namespace localgov::fuzz {
namespace {

constexpr std::string_view kPrefixes[] = {
    "dos1:", "proc1:", "cd1:", "env1:", "anchors:", "cr1:", "cu1:", "cp1:", ""};
constexpr size_t kPrefixCount = sizeof(kPrefixes) / sizeof(kPrefixes[0]);

void PageToken(uint8_t selector, std::string_view text) {
  const std::string_view prefix = kPrefixes[selector % kPrefixCount];
  if (auto body = DecodePageToken(text, prefix); body.has_value()) {
    if (!TextViolation(*body, TextRuleFor("page_token"), nullptr).empty()) {
      Fail("a decoded page token's body breaks the text policy");
    }
    if (DecodePageToken(EncodePageToken(prefix, *body), prefix) != body) {
      Fail("a page token body does not survive Encode then Decode");
    }
  }
  const auto back = DecodePageToken(EncodePageToken(prefix, text), prefix);
  const bool printable = TextViolation(text, TextRuleFor("page_token"), nullptr).empty();
  if (printable != back.has_value() || (back.has_value() && *back != text)) {
    Fail("an encoded page token does not decode to its body");
  }
}

void WriteSeeds(SeedWriter& w) {
  w.Add(0, EncodePageToken(kPrefixes[0], "2026-12-20|000.00.31.H41-261207-0001"));
  w.Add(1, EncodePageToken(kPrefixes[1], "1.000001"));
  w.Add(2, EncodePageToken(kPrefixes[2], "000.00.31.H41-261207-0001"));
  w.Add(3, EncodePageToken(kPrefixes[3], "1796633200000000|env-1"));
  w.Add(4, EncodePageToken(kPrefixes[4], "17"));
  w.Add(5, EncodePageToken(kPrefixes[5], "42"));
  w.Add(8, EncodePageToken(kPrefixes[8], "000.00.31.H41"));
}

}  // namespace
}  // namespace localgov::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  localgov::fuzz::InitTarget(localgov::fuzz::WriteSeeds);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  localgov::fuzz::PageToken(data[0],
                            std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  return 0;
}

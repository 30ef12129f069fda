// Fuzz target: the tokens a caller hands us. Byte 0 chooses:
//  0 a bearer token for TokenVerifier::Verify (ES256 JWT, fixed test key, fixed clock);
//  1 an `authorization` header for VerifyAuthorizationHeader and Known;
//  2 claims (subject, role, agency, office) minted into a token and verified again: what
//    verifies says what was minted;
//  3.. a keyset page token for DecodePageToken, under each prefix the services issue, and a
//    body encoded then decoded again.
// The seed corpus holds real tokens of every role (valid under this target's key and clock) and
// real page tokens.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/auth/auth.h"
#include "common/clock.h"
#include "common/input_policy.h"
#include "common/page_token.h"
#include "tests/fuzz/unit_fuzz.h"

namespace localgov::fuzz {
namespace {

// A test-only ES256 key pair: the committed seed tokens are signed with it.
constexpr const char* kPrivateKey = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgpK2unJ9AhE1mjFFw
c+346RUiz/9gBrFHZ8hWcjE97OOhRANCAASEbnp35gE/rKH+f04KVSws0ViKG+c9
5czows/nl7n3EO+yvbI3L0fXA+6wB2mg0IqsfNkzSgqvQvMQGfoLDh1Q
-----END PRIVATE KEY-----
)";
constexpr const char* kPublicKey = R"(-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEhG56d+YBP6yh/n9OClUsLNFYihvn
PeXM6MLP55e59xDvsr2yNy9H1wPusAdpoNCKrHzZM0oKr0LzEBn6Cw4dUA==
-----END PUBLIC KEY-----
)";

// The clock stands at the seeds' minting time, so they stay valid.
const FakeClock& TheClock() {
  static const FakeClock* clock =
      new FakeClock(absl::FromCivil(absl::CivilSecond(2026, 12, 7, 9, 0, 0), absl::UTCTimeZone()));
  return *clock;
}

const TokenVerifier& Verifier() {
  static const TokenVerifier* verifier =
      TokenVerifier::Create(kPublicKey, "localgov-dev", "localgov", TheClock())->release();
  return *verifier;
}

// The prefixes of the page tokens the services issue (grep kTokenPrefix).
constexpr std::string_view kPrefixes[] = {
    "dos1:", "proc1:", "cd1:", "env1:", "anchors:", "cr1:", "cu1:", "cp1:", ""};
constexpr size_t kPrefixCount = sizeof(kPrefixes) / sizeof(kPrefixes[0]);

constexpr Role kAllRoles[] = {Role::kCitizen, Role::kOfficer, Role::kLeader, Role::kInspector,
                              Role::kAuditor, Role::kAdmin,   Role::kSystem};

void CheckVerified(const absl::StatusOr<AccessContext>& ctx) {
  if (!ctx.ok()) {
    if (ctx.status().code() != absl::StatusCode::kUnauthenticated) {
      Fail("a refused token is not UNAUTHENTICATED");
    }
    return;
  }
  if (ctx->subject.empty()) Fail("a verified token without a subject");
  if (ctx->role != Role::kCitizen && ctx->agency.empty()) Fail("a staff token without an agency");
  if (TheClock().Now() > ctx->expiry + kTokenLeeway) Fail("an expired token verified");
}

void Token(std::string_view text) {
  const auto verified = Verifier().Verify(text);
  CheckVerified(verified);
  if (verified.ok() && text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                              "0123456789-_.") != std::string_view::npos) {
    Fail("a token with a byte outside base64url and '.' verified");
  }
}

void Header(std::string_view text) {
  const auto verified = Verifier().VerifyAuthorizationHeader(text);
  CheckVerified(verified);
  const auto known = Verifier().Known(text);
  if (known.has_value() && !verified.ok()) Fail("Known() holds a token that does not verify");
}

void Mint(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  TokenClaims claims;
  claims.role = kAllRoles[in.ConsumeIntegralInRange<size_t>(0, 6)];
  claims.ttl = absl::Seconds(in.ConsumeIntegralInRange<int64_t>(-3600, 86400));
  claims.subject = in.ConsumeRandomLengthString(64);
  claims.agency = in.ConsumeRandomLengthString(32);
  claims.office = in.ConsumeRandomLengthString(40);
  if (in.ConsumeBool()) claims.issuer = in.ConsumeRandomLengthString(16);
  auto token = MintToken(kPrivateKey, claims, TheClock());
  if (!token.ok()) return;
  const auto ctx = Verifier().Verify(*token);
  CheckVerified(ctx);
  if (!ctx.ok()) return;
  if (ctx->subject != claims.subject || ctx->role != claims.role || ctx->agency != claims.agency ||
      ctx->office != claims.office) {
    Fail("a verified token says other than what was minted");
  }
  if (claims.issuer != "localgov-dev") Fail("a token of another issuer verified");
}

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
  // The text as a body: it comes back as it went, or not at all when it is not printable.
  const auto back = DecodePageToken(EncodePageToken(prefix, text), prefix);
  const bool printable = TextViolation(text, TextRuleFor("page_token"), nullptr).empty();
  if (printable != back.has_value() || (back.has_value() && *back != text)) {
    Fail("an encoded page token does not decode to its body");
  }
}

void WriteSeeds(SeedWriter& w) {
  const struct {
    Role role;
    const char* subject;
    const char* agency;
    const char* office;
  } kCallers[] = {
      {Role::kCitizen, "citizen-001203004567", "", ""},
      {Role::kOfficer, "fuzz-2", "000.00.31.H41", ""},
      {Role::kLeader, "leader-1", "000.00.31.H41", ""},
      {Role::kOfficer, "personnel-1", "000.00.31.H41", "personnel"},
      {Role::kInspector, "inspector-1", "000.00.00.H99", ""},
      {Role::kAuditor, "auditor-1", "000.00.00.H99", ""},
      {Role::kAdmin, "admin", "000.00.00.H99", ""},
      {Role::kSystem, "service:dossier", "000.00.31.H41", ""},
  };
  for (const auto& c : kCallers) {
    TokenClaims claims;
    claims.role = c.role;
    claims.subject = c.subject;
    claims.agency = c.agency;
    claims.office = c.office;
    const std::string token = *MintToken(kPrivateKey, claims, TheClock());
    w.Add(0, token);
    w.Add(1, "Bearer " + token);
  }
  w.Add(2, std::string("\x01\x10\x0e"
                       "fuzz-2\x0d"
                       "000.00.31.H41\x00",
                       24));
  w.Add(3, EncodePageToken(kPrefixes[0], "2026-12-20|000.00.31.H41-261207-0001"));
  w.Add(4, EncodePageToken(kPrefixes[1], "1.000001"));
  w.Add(6, EncodePageToken(kPrefixes[3], "1796633200000000|env-1"));
  w.Add(8, EncodePageToken(kPrefixes[5], "42"));
  w.Add(11, EncodePageToken(kPrefixes[8], "000.00.31.H41"));
}

}  // namespace
}  // namespace localgov::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  localgov::fuzz::InitTarget(localgov::fuzz::WriteSeeds);
  (void)localgov::fuzz::Verifier();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0]) {
    case 0:
      localgov::fuzz::Token(rest);
      break;
    case 1:
      localgov::fuzz::Header(rest);
      break;
    case 2:
      localgov::fuzz::Mint(data + 1, size - 1);
      break;
    default:
      localgov::fuzz::PageToken(data[0] - 3, rest);
      break;
  }
  return 0;
}

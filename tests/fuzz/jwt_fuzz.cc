// Fuzz target: the bearer tokens a caller hands us (TokenVerifier, ES256 JWTs, a fixed test key
// and a fixed clock) and the tokens we mint. Byte 0 (modulo 4) chooses:
//  0 a bearer token for TokenVerifier::Verify;
//  1 an `authorization` header for VerifyAuthorizationHeader and Known;
//  2 claims (subject, role, agency, office) minted into a token and verified again: what
//    verifies says what was minted;
//  3 a JWS header and payload of the fuzzer's choosing (byte 1: the header's length), signed here
//    with the issuer's key as the issuer would sign them: the verifier must refuse what our
//    tokens may not say (another algorithm, issuer or audience, no subject, an unknown role, a
//    staff token without an agency, expired, not yet valid, a malformed office) — the checks
//    that a forged signature never reaches.
// Every input's signature is checked by libjwt and OpenSSL; the keys' PEM text is decoded once
// (pem_key_cache.h: the decoding, not the check, was what made this target slow).
// The seed corpus holds real tokens of every role (valid under this target's key and clock).
#include <fuzzer/FuzzedDataProvider.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/auth/auth.h"
#include "common/clock.h"
#include "nlohmann/json.hpp"
#include "tests/fuzz/pem_key_cache.h"
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
const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 12, 7, 9, 0, 0), absl::UTCTimeZone());

const FakeClock& TheClock() {
  static const FakeClock* clock = new FakeClock(kNow);
  return *clock;
}

const TokenVerifier& Verifier() {
  static const TokenVerifier* verifier =
      TokenVerifier::Create(kPublicKey, "localgov-dev", "localgov", TheClock())->release();
  return *verifier;
}

// The issuer's key for part 3, decoded once.
EVP_PKEY* SigningKeyOnce() {
  static EVP_PKEY* key = [] {
    BIO* bio = BIO_new_mem_buf(kPrivateKey, -1);
    EVP_PKEY* k = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    if (k == nullptr) Fail("the fixed private key does not decode");
    return k;
  }();
  return key;
}

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

// ES256 as JWS wants it: the raw 32-byte r and s of an ECDSA P-256 signature over SHA-256.
std::string SignEs256(std::string_view signing_input) {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  unsigned char der[80];
  size_t der_len = sizeof(der);
  const bool ok = EVP_DigestSignInit(md, nullptr, EVP_sha256(), nullptr, SigningKeyOnce()) == 1 &&
                  EVP_DigestSign(md, der, &der_len,
                                 reinterpret_cast<const unsigned char*>(signing_input.data()),
                                 signing_input.size()) == 1;
  EVP_MD_CTX_free(md);
  if (!ok) Fail("signing with the fixed key failed");
  const unsigned char* p = der;
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_len));
  if (sig == nullptr) Fail("an ECDSA signature that does not decode");
  unsigned char raw[64];
  BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw, 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw + 32, 32);
  ECDSA_SIG_free(sig);
  return std::string(reinterpret_cast<const char*>(raw), sizeof(raw));
}

// The JSON object `text` as nlohmann reads it, or nullopt.
std::optional<nlohmann::json> Object(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

bool StringIs(const nlohmann::json& o, const char* key, std::string_view want) {
  const auto it = o.find(key);
  return it != o.end() && it->is_string() && it->get<std::string>() == want;
}

void Signed(const uint8_t* data, size_t size) {
  if (size == 0) return;
  const size_t header_len = std::min<size_t>(data[0], size - 1);
  const std::string_view header(reinterpret_cast<const char*>(data) + 1, header_len);
  const std::string_view payload(reinterpret_cast<const char*>(data) + 1 + header_len,
                                 size - 1 - header_len);
  const auto b64 = [](std::string_view v) {
    return absl::WebSafeBase64Escape(absl::string_view(v.data(), v.size()));
  };
  const std::string signing_input = absl::StrCat(b64(header), ".", b64(payload));
  const std::string token = absl::StrCat(signing_input, ".", b64(SignEs256(signing_input)));
  const auto ctx = Verifier().Verify(token);
  CheckVerified(ctx);
  if (!ctx.ok()) return;
  // What verified must say what the verifier requires (as far as a second JSON parser reads the
  // same text: where nlohmann reads no object, there is nothing to compare).
  if (const auto h = Object(header); h.has_value() && !StringIs(*h, "alg", "ES256")) {
    Fail("a token whose header is not ES256 verified");
  }
  const auto p = Object(payload);
  if (!p.has_value()) return;
  if (!StringIs(*p, "iss", "localgov-dev")) Fail("a token of another issuer verified");
  if (!StringIs(*p, "sub", ctx->subject)) Fail("a verified token's subject is not its sub");
  if (!StringIs(*p, "role", RoleName(ctx->role))) Fail("a verified token's role is not its role");
  // A claim that is not a string is no claim (an agency of 5 is no agency).
  const auto agency = p->find("agency");
  if (agency != p->end() && agency->is_string() ? !StringIs(*p, "agency", ctx->agency)
                                                : !ctx->agency.empty()) {
    Fail("a verified token's agency is not its agency");
  }
  const auto exp = p->find("exp");
  if (exp == p->end() || !exp->is_number()) Fail("a token without a numeric expiry verified");
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
  const std::string header = R"({"alg":"ES256","typ":"JWT"})";
  const int64_t now = absl::ToUnixSeconds(kNow);
  const std::string payloads[] = {
      absl::StrCat(R"({"iss":"localgov-dev","aud":"localgov","sub":"fuzz-2","role":"officer",)",
                   R"("agency":"000.00.31.H41","iat":)", now, R"(,"exp":)", now + 3600, "}"),
      absl::StrCat(R"({"iss":"localgov-dev","aud":["other","localgov"],"sub":"c-1",)",
                   R"("role":"citizen","nbf":)", now - 60, R"(,"exp":)", now + 60, "}"),
      absl::StrCat(
          R"({"iss":"localgov-dev","aud":"localgov","sub":"personnel-1","role":"officer",)",
          R"("agency":"000.00.31.H41","office":"personnel","exp":)", now + 60, "}"),
  };
  for (const auto& payload : payloads) {
    w.Add(3, std::string(1, static_cast<char>(header.size())) + header + payload);
  }
}

}  // namespace
}  // namespace localgov::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  localgov::fuzz::CachePemKeys(localgov::fuzz::kPublicKey, localgov::fuzz::kPrivateKey);
  localgov::fuzz::InitTarget(localgov::fuzz::WriteSeeds);
  (void)localgov::fuzz::Verifier();
  (void)localgov::fuzz::SigningKeyOnce();
  // The cache must be what libjwt calls, or every input decodes the key again (slow, not wrong).
  const int64_t before = localgov::fuzz::PemKeyCacheHits();
  localgov::TokenClaims claims;
  claims.subject = "init";
  claims.agency = "000.00.31.H41";
  (void)localgov::fuzz::Verifier().Verify(
      *localgov::MintToken(localgov::fuzz::kPrivateKey, claims, localgov::fuzz::TheClock()));
  if (localgov::fuzz::PemKeyCacheHits() < before + 2) {
    std::fprintf(stderr, "fuzz: warning: libjwt does not use the key cache (slow)\n");
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
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
      localgov::fuzz::Signed(data + 1, size - 1);
      break;
  }
  return 0;
}

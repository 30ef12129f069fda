#include "common/auth/auth.h"

#include <jwt.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace localgov {
namespace {

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto keys = GenerateEs256KeyPair();
    ASSERT_TRUE(keys.ok());
    keys_ = *keys;
    auto verifier = TokenVerifier::Create(keys_.public_pem, "localgov-dev", "localgov", clock_);
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    verifier_ = std::move(*verifier);
  }

  std::string Mint(TokenClaims claims, const std::string& key = "") {
    auto token = MintToken(key.empty() ? keys_.private_pem : key, claims, clock_);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.ok() ? *token : "";
  }

  static TokenClaims Officer() {
    TokenClaims c;
    c.subject = "officer-1";
    c.role = Role::kOfficer;
    c.agency = "000.00.00.G22";
    return c;
  }

  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2026, 3, 2, 9, 0, 0), absl::UTCTimeZone())};
  KeyPair keys_;
  std::unique_ptr<TokenVerifier> verifier_;
};

TEST_F(AuthTest, AcceptsAValidTokenAndReadsItsClaims) {
  auto ctx = verifier_->VerifyAuthorizationHeader("Bearer " + Mint(Officer()));
  ASSERT_TRUE(ctx.ok()) << ctx.status();
  EXPECT_EQ(ctx->subject, "officer-1");
  EXPECT_EQ(ctx->role, Role::kOfficer);
  EXPECT_EQ(ctx->agency, "000.00.00.G22");
}

TEST_F(AuthTest, RefusesAnExpiredToken) {
  auto claims = Officer();
  claims.ttl = absl::Minutes(5);
  const auto token = Mint(claims);
  clock_.Advance(absl::Minutes(5) + kTokenLeeway + absl::Seconds(1));
  EXPECT_EQ(verifier_->Verify(token).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(AuthTest, AcceptsWithinTheLeeway) {
  auto claims = Officer();
  claims.ttl = absl::Minutes(5);
  const auto token = Mint(claims);
  clock_.Advance(absl::Minutes(5) + kTokenLeeway - absl::Seconds(1));
  EXPECT_TRUE(verifier_->Verify(token).ok());
}

TEST_F(AuthTest, RefusesATokenSignedWithAnotherKey) {
  auto other = GenerateEs256KeyPair();
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(verifier_->Verify(Mint(Officer(), other->private_pem)).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(AuthTest, RefusesWrongAudienceAndIssuer) {
  auto claims = Officer();
  claims.audience = "someone-else";
  EXPECT_EQ(verifier_->Verify(Mint(claims)).status().code(), absl::StatusCode::kUnauthenticated);
  claims = Officer();
  claims.issuer = "evil";
  EXPECT_EQ(verifier_->Verify(Mint(claims)).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(AuthTest, RefusesMissingOrMalformedHeaders) {
  EXPECT_EQ(verifier_->VerifyAuthorizationHeader("").status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(verifier_->VerifyAuthorizationHeader("Basic dXNlcjpwYXNz").status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(verifier_->VerifyAuthorizationHeader("Bearer not-a-token").status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(AuthTest, RefusesHmacTokenKeyedWithThePublicKey) {
  // The classic algorithm confusion: HS256 "signed" with the public key as the secret.
  jwt_t* jwt = nullptr;
  ASSERT_EQ(jwt_new(&jwt), 0);
  jwt_add_grant(jwt, "iss", "localgov-dev");
  jwt_add_grant(jwt, "aud", "localgov");
  jwt_add_grant(jwt, "sub", "attacker");
  jwt_add_grant(jwt, "role", "admin");
  jwt_add_grant(jwt, "agency", "000.00.00.G22");
  jwt_add_grant_int(jwt, "exp", absl::ToUnixSeconds(clock_.Now() + absl::Hours(1)));
  jwt_set_alg(jwt, JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(keys_.public_pem.data()),
              static_cast<int>(keys_.public_pem.size()));
  char* token = jwt_encode_str(jwt);
  ASSERT_NE(token, nullptr);
  const std::string forged(token);
  free(token);
  jwt_free(jwt);
  EXPECT_EQ(verifier_->Verify(forged).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(AuthTest, RefusesUnsignedToken) {
  // {"alg":"none"}.{"iss":"localgov-dev","aud":"localgov","sub":"x","role":"admin","agency":"a","exp":9999999999}.
  const std::string none =
      "eyJhbGciOiJub25lIn0.eyJpc3MiOiJsb2NhbGdvdi1kZXYiLCJhdWQiOiJsb2NhbGdvdiIsInN1YiI6IngiLCJyb2xl"
      "IjoiYWRtaW4iLCJhZ2VuY3kiOiJhIiwiZXhwIjo5OTk5OTk5OTk5fQ.";
  EXPECT_EQ(verifier_->Verify(none).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(AuthTest, RoleCheckDeniesByDefault) {
  AccessContext ctx;
  ctx.role = Role::kCitizen;
  EXPECT_EQ(RequireRole(ctx, {Role::kAdmin}).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(RequireRole(ctx, {}).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(RequireRole(ctx, {Role::kCitizen, Role::kAdmin}).ok());
}

TEST_F(AuthTest, StaffTokensMustNameAnAgency) {
  auto claims = Officer();
  claims.agency = "";
  EXPECT_FALSE(MintToken(keys_.private_pem, claims, clock_).ok());
}

TEST_F(AuthTest, VerifierRefusesANonEcKey) {
  EXPECT_FALSE(TokenVerifier::Create("not a key", "i", "a", clock_).ok());
}

}  // namespace
}  // namespace localgov

namespace localgov {
namespace {

TEST_F(AuthTest, ARememberedTokenStillExpires) {
  auto claims = Officer();
  claims.ttl = absl::Minutes(5);
  const auto token = Mint(claims);
  ASSERT_TRUE(verifier_->Verify(token).ok());
  ASSERT_TRUE(verifier_->Verify(token).ok());  // from the cache
  clock_.Advance(absl::Minutes(5) + kTokenLeeway + absl::Seconds(1));
  EXPECT_EQ(verifier_->Verify(token).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(AuthTest, AFailedVerificationIsNotRemembered) {
  auto other = GenerateEs256KeyPair();
  ASSERT_TRUE(other.ok());
  const auto forged = Mint(Officer(), other->private_pem);
  EXPECT_FALSE(verifier_->Verify(forged).ok());
  EXPECT_FALSE(verifier_->Verify(forged).ok());
}

// Found by tests/fuzz/token_fuzz (tests/fuzz/findings/token-mint-claim-with-nul): libjwt reads
// claims as C strings, so an agency with a NUL was minted cut short, into a token for another
// agency.
TEST_F(AuthTest, MintingRefusesAClaimWithANulCharacter) {
  TokenClaims c = Officer();
  c.agency = std::string("032.010.\0\0.H41", 14);
  auto token = MintToken(keys_.private_pem, c, clock_);
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.status().code(), absl::StatusCode::kInvalidArgument);
  c = Officer();
  c.subject = std::string("officer-1\0admin", 15);
  EXPECT_FALSE(MintToken(keys_.private_pem, c, clock_).ok());
}

// A token is base64url parts and dots: with a NUL and more after it, libjwt verified the part
// before the NUL while the verifier remembered the whole text as that token.
TEST_F(AuthTest, VerifierRefusesATokenWithBytesOutsideItsAlphabet) {
  const std::string token = Mint(Officer());
  ASSERT_TRUE(verifier_->Verify(token).ok());
  const std::string with_nul = token + std::string("\0garbage", 8);
  auto verified = verifier_->Verify(with_nul);
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_FALSE(verifier_->Verify(token + " ").ok());
  EXPECT_FALSE(verifier_->Verify(token + "=").ok());
  EXPECT_FALSE(verifier_->Known("Bearer " + with_nul).has_value());
}

// The ES256 check in front of libjwt (common/auth/auth.cc: Es256SignatureValid) refuses a token
// whose signature does not verify over its own header and payload, whatever part was changed.
TEST_F(AuthTest, RefusesATokenWithATamperedPayloadOrSignature) {
  const std::string token = Mint(Officer());
  ASSERT_TRUE(verifier_->Verify(token).ok());
  const size_t first = token.find('.');
  const size_t last = token.rfind('.');
  std::string payload_changed = token;
  payload_changed[first + 5] = payload_changed[first + 5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(verifier_->Verify(payload_changed).status().code(), absl::StatusCode::kUnauthenticated);
  std::string signature_changed = token;
  signature_changed[last + 10] = signature_changed[last + 10] == 'A' ? 'B' : 'A';
  EXPECT_EQ(verifier_->Verify(signature_changed).status().code(),
            absl::StatusCode::kUnauthenticated);
  // A signature cut short, one longer than r || s, none, and a fourth part.
  EXPECT_FALSE(verifier_->Verify(token.substr(0, token.size() - 4)).ok());
  EXPECT_FALSE(verifier_->Verify(token + "AAAA").ok());
  EXPECT_FALSE(verifier_->Verify(token.substr(0, last + 1)).ok());
  EXPECT_FALSE(verifier_->Verify(token + ".e30").ok());
  // The untouched token still verifies (a failure is never remembered against it).
  EXPECT_TRUE(verifier_->Verify(token).ok());
}

// ES256 over `header` and `payload` (JSON texts) with `private_pem`, as any JWS library would
// sign it whatever the header says: the compact token.
std::string SignedWithHeader(const std::string& private_pem, const std::string& header,
                             const std::string& payload) {
  const std::string input =
      absl::StrCat(absl::WebSafeBase64Escape(header), ".", absl::WebSafeBase64Escape(payload));
  BIO* bio = BIO_new_mem_buf(private_pem.data(), static_cast<int>(private_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t der_len = 0;
  std::string der;
  if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
      EVP_DigestSign(ctx, nullptr, &der_len, reinterpret_cast<const unsigned char*>(input.data()),
                     input.size()) == 1) {
    der.resize(der_len);
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(der.data()), &der_len,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    der.resize(der_len);
  }
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  unsigned char raw[64] = {};
  if (sig != nullptr) {
    BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw, 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw + 32, 32);
    ECDSA_SIG_free(sig);
  }
  return absl::StrCat(input, ".",
                      absl::WebSafeBase64Escape(std::string(reinterpret_cast<char*>(raw), 64)));
}

// RFC 7515: "alg" is case-sensitive. libjwt 1.10 reads it ignoring case; the verifier does not
// (found by jwt_fuzz: tests/fuzz/findings/jwt-alg-not-exactly-es256).
TEST_F(AuthTest, RefusesAHeaderWhoseAlgorithmIsNotExactlyES256) {
  const std::string payload =
      absl::StrCat(R"({"iss":"localgov-dev","aud":"localgov","sub":"officer-1","role":"officer",)",
                   R"("agency":"000.00.00.G22","exp":)",
                   absl::ToUnixSeconds(clock_.Now() + absl::Hours(1)), "}");
  EXPECT_TRUE(
      verifier_
          ->Verify(SignedWithHeader(keys_.private_pem, R"({"alg":"ES256","typ":"JWT"})", payload))
          .ok());
  for (const std::string header :
       {R"({"alg":"eS256","typ":"JWT"})", R"({"alg":"es256"})", R"({"alg":" ES256"})",
        R"({"typ":"JWT"})", R"({"alg":["ES256"]})", R"(["ES256"])", "not json"}) {
    EXPECT_EQ(
        verifier_->Verify(SignedWithHeader(keys_.private_pem, header, payload)).status().code(),
        absl::StatusCode::kUnauthenticated)
        << header;
  }
}

// Issuer keys are decoded once per key text and kept in a bounded map: verifiers of many
// different keys in one process (more than the map holds) each accept their own tokens only.
TEST_F(AuthTest, VerifiersOfManyKeysEachAcceptOnlyTheirOwnTokens) {
  std::vector<KeyPair> pairs;
  std::vector<std::unique_ptr<TokenVerifier>> verifiers;
  for (int i = 0; i < 20; ++i) {
    auto pair = GenerateEs256KeyPair();
    ASSERT_TRUE(pair.ok());
    auto v = TokenVerifier::Create(pair->public_pem, "localgov-dev", "localgov", clock_);
    ASSERT_TRUE(v.ok());
    pairs.push_back(*pair);
    verifiers.push_back(std::move(*v));
  }
  for (int round = 0; round < 2; ++round) {
    for (size_t i = 0; i < pairs.size(); ++i) {
      EXPECT_TRUE(verifiers[i]->Verify(Mint(Officer(), pairs[i].private_pem)).ok()) << i;
      const auto& other = pairs[(i + 1) % pairs.size()];
      EXPECT_FALSE(verifiers[i]->Verify(Mint(Officer(), other.private_pem)).ok()) << i;
    }
    clock_.Advance(absl::Seconds(1));  // new tokens in round 2, not the remembered ones
  }
}

}  // namespace
}  // namespace localgov

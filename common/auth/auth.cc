#include "common/auth/auth.h"

#include <jwt.h>
#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace localgov {
namespace {

// An office name: "personnel", "one-stop" (lower-case ASCII letters and '-', 1–32).
bool IsOfficeName(const std::string& office) {
  if (office.empty() || office.size() > 32) return false;
  for (char c : office) {
    if (!((c >= 'a' && c <= 'z') || c == '-')) return false;
  }
  return true;
}

constexpr std::array<std::pair<Role, std::string_view>, 7> kRoles = {{
    {Role::kCitizen, "citizen"},
    {Role::kOfficer, "officer"},
    {Role::kLeader, "leader"},
    {Role::kInspector, "inspector"},
    {Role::kAuditor, "auditor"},
    {Role::kAdmin, "admin"},
    {Role::kSystem, "system"},
}};

struct JwtDeleter {
  void operator()(jwt_t* j) const { jwt_free(j); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtDeleter>;

absl::Status Unauthenticated(std::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("invalid bearer token: ", std::string(why)));
}

std::string BioToString(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

// The issuer's public key, decoded once per PEM text. libjwt 1.10 takes the key as PEM and
// decodes it again on every token: ~360 of the ~430 µs a forged token costs (OpenSSL 3's
// decoders; docs/reliability.md, "Why token_fuzz ran 441 inputs a second"). A process holds
// one or two issuer keys; tests create more, so the map is bounded (cleared when full).
std::shared_ptr<EVP_PKEY> DecodedPublicKey(const std::string& pem) {
  static std::mutex mu;
  static auto* keys = new absl::flat_hash_map<std::string, std::shared_ptr<EVP_PKEY>>();
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = keys->find(pem); it != keys->end()) return it->second;
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* raw = bio == nullptr ? nullptr : PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (raw == nullptr) return nullptr;
  std::shared_ptr<EVP_PKEY> key(raw, EVP_PKEY_free);
  if (keys->size() >= 16) keys->clear();
  keys->emplace(pem, key);
  return key;
}

// Whether the compact JWS `token` (header.payload.signature, base64url) names exactly "ES256"
// in its header (RFC 7515: algorithm names are case-sensitive; libjwt 1.10 compares them
// ignoring case, so a header of "eS256" passed — found by jwt_fuzz) and carries a valid ES256
// signature (r || s, 32 bytes each) of "header.payload" under `key`. A filter in front of
// libjwt: a token that fails it is refused for ~53 µs of CPU instead of libjwt's ~380 µs, and
// one that passes is decoded and checked again by libjwt in full (algorithm, claims, and the
// signature once more), so it can refuse but never accept on its own.
bool Es256Valid(EVP_PKEY* key, const std::string& token) {
  const size_t first = token.find('.');
  const size_t last = token.rfind('.');
  if (first == std::string::npos || first == last) return false;
  if (token.find('.', first + 1) != last) return false;
  std::string header;
  if (!absl::WebSafeBase64Unescape(absl::string_view(token).substr(0, first), &header)) {
    return false;
  }
  const auto parsed = nlohmann::json::parse(header, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) return false;
  const auto alg = parsed.find("alg");
  if (alg == parsed.end() || !alg->is_string() || alg->get<std::string>() != "ES256") {
    return false;
  }
  std::string sig;
  if (!absl::WebSafeBase64Unescape(absl::string_view(token).substr(last + 1), &sig) ||
      sig.size() != 64) {
    return false;
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(sig.data());
  ECDSA_SIG* ecdsa = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(bytes, 32, nullptr);
  BIGNUM* s = BN_bin2bn(bytes + 32, 32, nullptr);
  if (ecdsa == nullptr || r == nullptr || s == nullptr || ECDSA_SIG_set0(ecdsa, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(ecdsa);
    return false;
  }
  unsigned char* der = nullptr;
  const int der_len = i2d_ECDSA_SIG(ecdsa, &der);
  ECDSA_SIG_free(ecdsa);  // frees r and s
  if (der_len <= 0) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = ctx != nullptr &&
                  EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
                  EVP_DigestVerify(ctx, der, static_cast<size_t>(der_len),
                                   reinterpret_cast<const unsigned char*>(token.data()), last) == 1;
  EVP_MD_CTX_free(ctx);
  OPENSSL_free(der);
  return ok;
}

}  // namespace

std::string_view RoleName(Role role) {
  for (const auto& [r, name] : kRoles) {
    if (r == role) return name;
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const auto& [r, n] : kRoles) {
    if (n == name) return r;
  }
  return std::nullopt;
}

absl::StatusOr<std::unique_ptr<TokenVerifier>> TokenVerifier::Create(std::string public_key_pem,
                                                                     std::string issuer,
                                                                     std::string audience,
                                                                     const Clock& clock) {
  BIO* bio = BIO_new_mem_buf(public_key_pem.data(), static_cast<int>(public_key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr) return absl::InvalidArgumentError("not a PEM public key");
  const bool is_ec = EVP_PKEY_base_id(key) == EVP_PKEY_EC;
  EVP_PKEY_free(key);
  if (!is_ec) return absl::InvalidArgumentError("the issuer key must be an EC P-256 key (ES256)");
  if (issuer.empty() || audience.empty()) {
    return absl::InvalidArgumentError("issuer and audience must be set");
  }
  return std::unique_ptr<TokenVerifier>(
      new TokenVerifier(std::move(public_key_pem), std::move(issuer), std::move(audience), clock));
}

absl::StatusOr<std::unique_ptr<TokenVerifier>> TokenVerifier::FromFile(const std::string& path,
                                                                       std::string issuer,
                                                                       std::string audience,
                                                                       const Clock& clock) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read key file ", path));
  std::stringstream buf;
  buf << in.rdbuf();
  auto v = Create(buf.str(), std::move(issuer), std::move(audience), clock);
  if (!v.ok()) return absl::InvalidArgumentError(absl::StrCat(path, ": ", v.status().message()));
  return v;
}

absl::StatusOr<AccessContext> TokenVerifier::Verify(std::string_view token) const {
  if (token.empty()) return Unauthenticated("empty");
  if (token.size() > 8192) return Unauthenticated("too long");
  // A compact JWS is base64url parts joined by dots; anything else (a NUL, which would end the
  // token libjwt reads while the cache keeps the whole text) is not a token we issued.
  for (char c : token) {
    if (!(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) {
      return Unauthenticated("malformed");
    }
  }
  const std::string text(token);
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    auto it = cache_.find(text);
    if (it != cache_.end()) {
      if (clock_.Now() > it->second.expiry + kTokenLeeway) {
        cache_.erase(it);
        return Unauthenticated("expired");
      }
      return it->second;
    }
  }
  auto verified = VerifyUncached(text);
  if (verified.ok()) {
    std::lock_guard<std::mutex> lock(cache_mu_);
    if (cache_.size() >= kCacheSize) cache_.clear();  // bounded; refills from live traffic
    cache_.emplace(text, *verified);
  }
  return verified;
}

absl::StatusOr<AccessContext> TokenVerifier::VerifyUncached(const std::string& text) const {
  const std::shared_ptr<EVP_PKEY> key = DecodedPublicKey(key_);
  if (key == nullptr || !Es256Valid(key.get(), text)) {
    return Unauthenticated("signature or format not valid");
  }
  jwt_t* raw = nullptr;
  if (jwt_decode(&raw, text.c_str(), reinterpret_cast<const unsigned char*>(key_.data()),
                 static_cast<int>(key_.size())) != 0 ||
      raw == nullptr) {
    if (raw != nullptr) jwt_free(raw);
    return Unauthenticated("signature or format not valid");
  }
  JwtPtr jwt(raw);
  if (jwt_get_alg(jwt.get()) != JWT_ALG_ES256) return Unauthenticated("algorithm must be ES256");

  const char* iss = jwt_get_grant(jwt.get(), "iss");
  if (iss == nullptr || issuer_ != iss) return Unauthenticated("wrong issuer");

  bool audience_ok = false;
  if (const char* aud = jwt_get_grant(jwt.get(), "aud"); aud != nullptr) {
    audience_ok = audience_ == aud;
  } else if (char* json = jwt_get_grants_json(jwt.get(), "aud"); json != nullptr) {
    auto parsed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
    free(json);
    if (parsed.is_array()) {
      for (const auto& a : parsed)
        audience_ok |= a.is_string() && a.get<std::string>() == audience_;
    }
  }
  if (!audience_ok) return Unauthenticated("wrong audience");

  const absl::Time now = clock_.Now();
  errno = 0;
  const long exp = jwt_get_grant_int(jwt.get(), "exp");
  if (errno != 0 || exp <= 0) return Unauthenticated("no expiry");
  const absl::Time expiry = absl::FromUnixSeconds(exp);
  if (now > expiry + kTokenLeeway) return Unauthenticated("expired");
  errno = 0;
  const long nbf = jwt_get_grant_int(jwt.get(), "nbf");
  if (errno == 0 && nbf > 0 && now + kTokenLeeway < absl::FromUnixSeconds(nbf)) {
    return Unauthenticated("not yet valid");
  }

  AccessContext ctx;
  const char* sub = jwt_get_grant(jwt.get(), "sub");
  if (sub == nullptr || *sub == '\0') return Unauthenticated("no subject");
  ctx.subject = sub;
  const char* role = jwt_get_grant(jwt.get(), "role");
  auto parsed_role = role == nullptr ? std::nullopt : ParseRole(role);
  if (!parsed_role.has_value()) return Unauthenticated("unknown role");
  ctx.role = *parsed_role;
  if (const char* agency = jwt_get_grant(jwt.get(), "agency"); agency != nullptr) {
    ctx.agency = agency;
  }
  if (ctx.role != Role::kCitizen && ctx.agency.empty()) {
    return Unauthenticated("staff tokens must name an agency");
  }
  if (const char* office = jwt_get_grant(jwt.get(), "office"); office != nullptr) {
    ctx.office = office;
    if (!IsOfficeName(ctx.office)) return Unauthenticated("malformed office");
  }
  ctx.expiry = expiry;
  return ctx;
}

namespace {

// The token in the value of an `authorization` header: "Bearer <token>".
absl::StatusOr<std::string_view> TokenFromHeader(std::string_view header) {
  if (header.empty()) return absl::UnauthenticatedError("missing bearer token");
  constexpr std::string_view kPrefix = "bearer ";
  if (header.size() <= kPrefix.size() ||
      absl::AsciiStrToLower(std::string(header.substr(0, kPrefix.size()))) != kPrefix) {
    return absl::UnauthenticatedError("authorization must be \"Bearer <token>\"");
  }
  const absl::string_view token = absl::StripAsciiWhitespace(
      absl::string_view(header.data() + kPrefix.size(), header.size() - kPrefix.size()));
  return std::string_view(token.data(), token.size());
}

}  // namespace

absl::StatusOr<AccessContext> TokenVerifier::VerifyAuthorizationHeader(
    std::string_view header) const {
  auto token = TokenFromHeader(header);
  if (!token.ok()) return token.status();
  return Verify(*token);
}

std::optional<AccessContext> TokenVerifier::Known(std::string_view header) const {
  auto token = TokenFromHeader(header);
  if (!token.ok()) return std::nullopt;
  std::lock_guard<std::mutex> lock(cache_mu_);
  auto it = cache_.find(absl::string_view(token->data(), token->size()));
  if (it == cache_.end() || clock_.Now() > it->second.expiry + kTokenLeeway) return std::nullopt;
  return it->second;
}

absl::Status RequireRole(const AccessContext& ctx, const std::vector<Role>& allowed) {
  for (Role r : allowed) {
    if (r == ctx.role) return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat("role ", std::string(RoleName(ctx.role)), " may not call this method"));
}

absl::StatusOr<KeyPair> GenerateEs256KeyPair() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  if (key == nullptr) return absl::InternalError("EC key generation failed");
  KeyPair pair;
  BIO* priv = BIO_new(BIO_s_mem());
  BIO* pub = BIO_new(BIO_s_mem());
  const bool ok = PEM_write_bio_PrivateKey(priv, key, nullptr, nullptr, 0, nullptr, nullptr) == 1 &&
                  PEM_write_bio_PUBKEY(pub, key) == 1;
  if (ok) {
    pair.private_pem = BioToString(priv);
    pair.public_pem = BioToString(pub);
  }
  BIO_free(priv);
  BIO_free(pub);
  EVP_PKEY_free(key);
  if (!ok) return absl::InternalError("PEM encoding failed");
  return pair;
}

absl::StatusOr<std::string> MintToken(const std::string& private_key_pem, const TokenClaims& claims,
                                      const Clock& clock) {
  if (claims.subject.empty()) return absl::InvalidArgumentError("subject is required");
  // libjwt takes C strings: a NUL would cut the claim short, and the token would name someone
  // else (found by tests/fuzz/token_fuzz: agency "032.010.\0…41" minted as "032.010.").
  for (const std::string* claim :
       {&claims.issuer, &claims.audience, &claims.subject, &claims.agency, &claims.office}) {
    if (claim->find('\0') != std::string::npos) {
      return absl::InvalidArgumentError("a claim must not contain a NUL character");
    }
  }
  if (claims.role != Role::kCitizen && claims.agency.empty()) {
    return absl::InvalidArgumentError("staff tokens need an agency");
  }
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return absl::InternalError("jwt_new failed");
  JwtPtr jwt(raw);
  const absl::Time now = clock.Now();
  const std::string role(RoleName(claims.role));
  int rc = 0;
  rc |= jwt_add_grant(jwt.get(), "iss", claims.issuer.c_str());
  rc |= jwt_add_grant(jwt.get(), "aud", claims.audience.c_str());
  rc |= jwt_add_grant(jwt.get(), "sub", claims.subject.c_str());
  rc |= jwt_add_grant(jwt.get(), "role", role.c_str());
  if (!claims.agency.empty()) rc |= jwt_add_grant(jwt.get(), "agency", claims.agency.c_str());
  if (!claims.office.empty()) {
    if (!IsOfficeName(claims.office)) {
      return absl::InvalidArgumentError("office: lower-case letters and '-', at most 32");
    }
    rc |= jwt_add_grant(jwt.get(), "office", claims.office.c_str());
  }
  rc |= jwt_add_grant_int(jwt.get(), "iat", absl::ToUnixSeconds(now));
  rc |= jwt_add_grant_int(jwt.get(), "exp", absl::ToUnixSeconds(now + claims.ttl));
  rc |= jwt_set_alg(jwt.get(), JWT_ALG_ES256,
                    reinterpret_cast<const unsigned char*>(private_key_pem.data()),
                    static_cast<int>(private_key_pem.size()));
  if (rc != 0)
    return absl::InvalidArgumentError("cannot build token (is the key an EC P-256 private key?)");
  char* encoded = jwt_encode_str(jwt.get());
  if (encoded == nullptr) return absl::InvalidArgumentError("cannot sign token with this key");
  std::string out(encoded);
  free(encoded);
  return out;
}

}  // namespace localgov

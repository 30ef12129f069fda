#ifndef LOCALGOV_COMMON_AUTH_AUTH_H_
#define LOCALGOV_COMMON_AUTH_AUTH_H_

#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"

namespace localgov {

// Roles of ARCHITECTURE.md "Identity and access".
enum class Role { kCitizen, kOfficer, kLeader, kInspector, kAuditor, kAdmin, kSystem };

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

// Who is calling, from a verified token.
struct AccessContext {
  std::string subject;
  Role role = Role::kCitizen;
  std::string agency;  // national agency code; empty for citizens
  // The office of the agency the holder works in ("personnel", ...; claim "office"); empty when
  // the token names none. A service that lets only one office act checks it (the cadre
  // service: the personnel office).
  std::string office;
  absl::Time expiry;
};

// Verifies ES256-signed JWT bearer tokens against the issuer's public key. Only ES256 is
// accepted (an HS256 token "signed" with the public key, or alg none, is refused). Every
// failure is UNAUTHENTICATED with a reason that names no part of the token.
class TokenVerifier final {
 public:
  static absl::StatusOr<std::unique_ptr<TokenVerifier>> Create(std::string public_key_pem,
                                                               std::string issuer,
                                                               std::string audience,
                                                               const Clock& clock);
  static absl::StatusOr<std::unique_ptr<TokenVerifier>> FromFile(const std::string& path,
                                                                 std::string issuer,
                                                                 std::string audience,
                                                                 const Clock& clock);
  // Verified tokens are remembered (up to kCacheSize, until they expire): the signature check
  // costs ~0.6 ms of CPU (docs/benchmarks.md), and a client sends the same token on every call.
  // Expiry is still checked against the clock on every call.
  absl::StatusOr<AccessContext> Verify(std::string_view token) const;
  // From the value of an `authorization` header: "Bearer <token>".
  absl::StatusOr<AccessContext> VerifyAuthorizationHeader(std::string_view header) const;
  // The access of a token already verified and not expired, from an `authorization` header;
  // nullopt otherwise (VerifyAuthorizationHeader then checks it and says what is wrong). It
  // never checks a signature, so it is cheap enough to run on gRPC's own threads.
  std::optional<AccessContext> Known(std::string_view header) const;

 private:
  TokenVerifier(std::string key, std::string issuer, std::string audience, const Clock& clock)
      : key_(std::move(key)),
        issuer_(std::move(issuer)),
        audience_(std::move(audience)),
        clock_(clock) {}
  static constexpr size_t kCacheSize = 10000;
  absl::StatusOr<AccessContext> VerifyUncached(const std::string& token) const;

  std::string key_;
  std::string issuer_;
  std::string audience_;
  const Clock& clock_;
  mutable std::mutex cache_mu_;
  mutable absl::flat_hash_map<std::string, AccessContext> cache_ ABSL_GUARDED_BY(cache_mu_);
};

// Allowed clock difference between issuer and verifier.
inline constexpr absl::Duration kTokenLeeway = absl::Seconds(30);

// Deny by default: OK only when `ctx.role` is listed.
absl::Status RequireRole(const AccessContext& ctx, const std::vector<Role>& allowed);

// An agency's staff (officers and leaders): they act for their own agency only.
inline bool IsStaff(Role r) { return r == Role::kOfficer || r == Role::kLeader; }

struct KeyPair {
  std::string private_pem;
  std::string public_pem;
};

// A fresh ECDSA P-256 key pair (for ES256) in PEM, for the local profile and tests.
absl::StatusOr<KeyPair> GenerateEs256KeyPair();

struct TokenClaims {
  std::string issuer = "localgov-dev";
  std::string audience = "localgov";
  std::string subject;
  Role role = Role::kOfficer;
  std::string agency;
  std::string office;  // optional: "personnel", ... (lower-case letters and '-', ≤ 32)
  absl::Duration ttl = absl::Hours(8);
};

// Mints a token with the issuer's private key (local profile: localgovctl token mint).
absl::StatusOr<std::string> MintToken(const std::string& private_key_pem, const TokenClaims& claims,
                                      const Clock& clock);

}  // namespace localgov

#endif  // LOCALGOV_COMMON_AUTH_AUTH_H_

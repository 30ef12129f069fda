#ifndef LOCALGOV_COMMON_CRYPTO_H_
#define LOCALGOV_COMMON_CRYPTO_H_

#include <string>
#include <string_view>

namespace localgov {

// SHA-256 (libsodium) of `data`, as 32 raw bytes and as 64 lowercase hex digits.
std::string Sha256(std::string_view data);
std::string Sha256Hex(std::string_view data);
std::string HexEncode(std::string_view bytes);

// A random identifier (128 bits, hex) for request ids and message ids.
std::string RandomId();

// Ed25519 (libsodium): keys and detached signatures. Public keys are 32 bytes, secret keys 64
// (libsodium's seed + public key), signatures 64.
struct Ed25519KeyPair {
  std::string public_key;
  std::string secret_key;
};
Ed25519KeyPair GenerateEd25519KeyPair();
// The public half of a secret key (empty when `secret_key` is not 64 bytes).
std::string Ed25519PublicKeyOf(std::string_view secret_key);
std::string Ed25519Sign(std::string_view secret_key, std::string_view message);
bool Ed25519Verify(std::string_view public_key, std::string_view message,
                   std::string_view signature);

}  // namespace localgov

#endif  // LOCALGOV_COMMON_CRYPTO_H_

#include "common/crypto.h"

#include <sodium.h>

#include <cstdlib>

namespace localgov {
namespace {
void EnsureSodium() {
  static const int kInit = sodium_init();
  if (kInit < 0) std::abort();  // libsodium cannot work without a random source.
}
}  // namespace

std::string Sha256(std::string_view data) {
  EnsureSodium();
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return std::string(reinterpret_cast<const char*>(out), sizeof(out));
}

std::string HexEncode(std::string_view bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                 bytes.size());
  out.pop_back();
  return out;
}

std::string Sha256Hex(std::string_view data) { return HexEncode(Sha256(data)); }

Ed25519KeyPair GenerateEd25519KeyPair() {
  EnsureSodium();
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  Ed25519KeyPair out{std::string(reinterpret_cast<char*>(pk), sizeof(pk)),
                     std::string(reinterpret_cast<char*>(sk), sizeof(sk))};
  sodium_memzero(sk, sizeof(sk));
  return out;
}

std::string Ed25519PublicKeyOf(std::string_view secret_key) {
  if (secret_key.size() != crypto_sign_SECRETKEYBYTES) return "";
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_ed25519_sk_to_pk(pk, reinterpret_cast<const unsigned char*>(secret_key.data()));
  return std::string(reinterpret_cast<char*>(pk), sizeof(pk));
}

std::string Ed25519Sign(std::string_view secret_key, std::string_view message) {
  EnsureSodium();
  if (secret_key.size() != crypto_sign_SECRETKEYBYTES) return "";
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), reinterpret_cast<const unsigned char*>(secret_key.data()));
  return std::string(reinterpret_cast<char*>(sig), sizeof(sig));
}

bool Ed25519Verify(std::string_view public_key, std::string_view message,
                   std::string_view signature) {
  EnsureSodium();
  if (public_key.size() != crypto_sign_PUBLICKEYBYTES || signature.size() != crypto_sign_BYTES) {
    return false;
  }
  return crypto_sign_verify_detached(
             reinterpret_cast<const unsigned char*>(signature.data()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(),
             reinterpret_cast<const unsigned char*>(public_key.data())) == 0;
}

std::string RandomId() {
  EnsureSodium();
  unsigned char buf[16];
  randombytes_buf(buf, sizeof(buf));
  return HexEncode(std::string_view(reinterpret_cast<const char*>(buf), sizeof(buf)));
}

}  // namespace localgov

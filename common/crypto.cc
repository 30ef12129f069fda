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

std::string RandomId() {
  EnsureSodium();
  unsigned char buf[16];
  randombytes_buf(buf, sizeof(buf));
  return HexEncode(std::string_view(reinterpret_cast<const char*>(buf), sizeof(buf)));
}

}  // namespace localgov

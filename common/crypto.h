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

}  // namespace localgov

#endif  // LOCALGOV_COMMON_CRYPTO_H_

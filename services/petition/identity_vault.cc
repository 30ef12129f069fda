#include "services/petition/identity_vault.h"

#include <sodium.h>

#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace localgov::petition {
namespace {

constexpr size_t kKeyBytes = crypto_aead_xchacha20poly1305_ietf_KEYBYTES;
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;

bool ValidKeyId(absl::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
      return false;
  }
  return true;
}

const unsigned char* U(absl::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

absl::StatusOr<IdentityVault> IdentityVault::FromFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::FailedPreconditionError(absl::StrCat("cannot read ", kVariable, " file"));
  std::stringstream text;
  text << in.rdbuf();
  return Parse(text.str());
}

absl::StatusOr<IdentityVault> IdentityVault::Parse(absl::string_view text) {
  if (sodium_init() < 0) return absl::InternalError("libsodium did not initialise");
  IdentityVault vault;
  std::set<std::string> ids;
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    const std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(line, absl::MaxSplits(':', 1));
    std::string secret;
    // The line is never quoted back: it holds a key.
    if (!ValidKeyId(kv.first)) {
      return absl::InvalidArgumentError(absl::StrCat(kVariable, " line ", line_no,
                                                     ": the key id is 1–64 of letters, digits, "
                                                     "'-', '_', '.'"));
    }
    if (!absl::Base64Unescape(kv.second, &secret) || secret.size() != kKeyBytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          kVariable, " line ", line_no, ": the key is the base64 of ", kKeyBytes, " bytes"));
    }
    if (!ids.insert(std::string(kv.first)).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(kVariable, " line ", line_no, ": key id ", kv.first, " given twice"));
    }
    if (kv.first == kIndexKeyId) {
      vault.index_key_ = std::move(secret);
      continue;
    }
    vault.keys_.push_back({std::string(kv.first), std::move(secret)});
  }
  if (vault.keys_.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(kVariable, ": no key in the file"));
  }
  return vault;
}

const std::string& IdentityVault::current_key_id() const {
  static const std::string& kNone = *new std::string();
  return keys_.empty() ? kNone : keys_.front().id;
}

absl::StatusOr<SealedValue> IdentityVault::Seal(absl::string_view plaintext,
                                                absl::string_view bound_to) const {
  if (keys_.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("no identity sealing key (", kVariable,
                     "): a denouncer's identity is never stored in "
                     "clear"));
  }
  const Key& k = keys_.front();
  std::string blob(kNonceBytes + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES,
                   '\0');
  auto* out = reinterpret_cast<unsigned char*>(blob.data());
  randombytes_buf(out, kNonceBytes);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out + kNonceBytes, &written, U(plaintext),
                                             plaintext.size(), U(bound_to), bound_to.size(),
                                             nullptr, out, U(k.secret));
  blob.resize(kNonceBytes + written);
  return SealedValue{k.id, std::move(blob)};
}

absl::StatusOr<std::string> IdentityVault::Open(const SealedValue& value,
                                                absl::string_view bound_to) const {
  const Key* key = nullptr;
  for (const auto& k : keys_) {
    if (k.id == value.key_id) key = &k;
  }
  if (key == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("sealed under key ", value.key_id, ", which is not in ", kVariable));
  }
  if (value.blob.size() < kNonceBytes + crypto_aead_xchacha20poly1305_ietf_ABYTES) {
    return absl::DataLossError("a sealed identity too short to open");
  }
  std::string plain(value.blob.size() - kNonceBytes, '\0');
  unsigned long long n = 0;
  const auto* in = U(value.blob);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &n, nullptr, in + kNonceBytes,
          value.blob.size() - kNonceBytes, U(bound_to), bound_to.size(), in, U(key->secret)) != 0) {
    return absl::DataLossError("a sealed identity that does not open (altered, or moved)");
  }
  plain.resize(n);
  return plain;
}

std::string IdentityVault::Fingerprint(absl::string_view data) const {
  if (keys_.empty()) return "";
  std::string out(crypto_generichash_BYTES, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(), U(data), data.size(),
                     U(keys_.front().secret), keys_.front().secret.size());
  return out;
}

std::string IdentityVault::BlindIndex(absl::string_view folded_identity) const {
  if (index_key_.empty()) return "";
  std::string out(crypto_generichash_BYTES, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(), U(folded_identity),
                     folded_identity.size(), U(index_key_), index_key_.size());
  return absl::BytesToHexString(out);
}

std::string IdentityVault::NewKeyLine(const std::string& key_id) {
  if (sodium_init() < 0) return "";
  std::string secret(kKeyBytes, '\0');
  randombytes_buf(secret.data(), secret.size());
  std::string line = absl::StrCat(key_id, ":", absl::Base64Escape(secret));
  sodium_memzero(secret.data(), secret.size());
  return line;
}

absl::StatusOr<std::string> SealToAgency(absl::string_view plaintext,
                                         absl::string_view ed25519_public_key) {
  if (sodium_init() < 0) return absl::InternalError("libsodium did not initialise");
  if (ed25519_public_key.size() != crypto_sign_PUBLICKEYBYTES) {
    return absl::FailedPreconditionError("the receiving agency has no valid exchange key");
  }
  unsigned char x25519[crypto_box_PUBLICKEYBYTES];
  if (crypto_sign_ed25519_pk_to_curve25519(x25519, U(ed25519_public_key)) != 0) {
    return absl::FailedPreconditionError("the receiving agency's exchange key cannot seal");
  }
  std::string out(plaintext.size() + crypto_box_SEALBYTES, '\0');
  crypto_box_seal(reinterpret_cast<unsigned char*>(out.data()), U(plaintext), plaintext.size(),
                  x25519);
  return out;
}

absl::StatusOr<std::string> OpenAsAgency(absl::string_view sealed,
                                         absl::string_view ed25519_secret_key) {
  if (sodium_init() < 0) return absl::InternalError("libsodium did not initialise");
  if (ed25519_secret_key.size() != crypto_sign_SECRETKEYBYTES) {
    return absl::FailedPreconditionError("no exchange key to open a sealed identity with");
  }
  if (sealed.size() < crypto_box_SEALBYTES) return absl::DataLossError("a sealed box too short");
  unsigned char pk[crypto_box_PUBLICKEYBYTES];
  unsigned char sk[crypto_box_SECRETKEYBYTES];
  if (crypto_sign_ed25519_pk_to_curve25519(pk, U(ed25519_secret_key.substr(32))) != 0 ||
      crypto_sign_ed25519_sk_to_curve25519(sk, U(ed25519_secret_key)) != 0) {
    return absl::FailedPreconditionError("the exchange key cannot open sealed identities");
  }
  std::string plain(sealed.size() - crypto_box_SEALBYTES, '\0');
  const int rc = crypto_box_seal_open(reinterpret_cast<unsigned char*>(plain.data()), U(sealed),
                                      sealed.size(), pk, sk);
  sodium_memzero(sk, sizeof sk);
  if (rc != 0) return absl::DataLossError("a sealed identity not sealed to this agency's key");
  return plain;
}

}  // namespace localgov::petition

#ifndef LOCALGOV_SERVICES_PETITION_IDENTITY_VAULT_H_
#define LOCALGOV_SERVICES_PETITION_IDENTITY_VAULT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace localgov::petition {

// A denouncer's identity sealed at rest (Law on Denunciation 25/2018 Art. 47: kept secret;
// DOMAIN.md §3): XChaCha20-Poly1305 (libsodium) under a key kept outside the database, bound
// to the petition code (a sealed identity moved to another petition does not open). Every
// sealed value names its key id, so keys rotate: the first key of the ring seals, every key
// opens, and the resealer moves old values to the first key.
struct SealedValue {
  std::string key_id;
  std::string blob;  // nonce || ciphertext
};

class IdentityVault final {
 public:
  // LOCALGOV_IDENTITY_KEYS_FILE: one key per line, "key_id:base64 of 32 random bytes"
  // (`localgovctl petition sealing-keygen`); the first line seals, all open. '#' comments.
  // The line of key id "index" is not a sealing key: it keys the blind index that matches a
  // denouncer's petitions (BlindIndex). It never rotates with the sealing keys: a new index
  // key leaves the earlier petitions' blind keys unmatched.
  static constexpr const char* kIndexKeyId = "index";
  static constexpr const char* kVariable = "LOCALGOV_IDENTITY_KEYS_FILE";
  static absl::StatusOr<IdentityVault> FromFile(const std::string& path);
  static absl::StatusOr<IdentityVault> Parse(absl::string_view text);

  // No keys: sealing is FAILED_PRECONDITION (a denunciation naming its denouncer is refused
  // rather than stored in clear).
  IdentityVault() = default;
  bool configured() const { return !keys_.empty(); }
  const std::string& current_key_id() const;

  absl::StatusOr<SealedValue> Seal(absl::string_view plaintext, absl::string_view bound_to) const;
  // DATA_LOSS when the value does not open (tampered, wrong petition); FAILED_PRECONDITION when
  // its key is not in the ring.
  absl::StatusOr<std::string> Open(const SealedValue& value, absl::string_view bound_to) const;

  // A keyed fingerprint of `data` (BLAKE2b under the current key; empty without keys): lets
  // a digest cover a sealed value without being a plain, guessable hash of it.
  std::string Fingerprint(absl::string_view data) const;

  // The blind index of a denouncer's folded identity (keyed BLAKE2b under the "index" key, hex):
  // equal identities give equal values, and nothing else can compute or reverse them. Empty
  // without an index key.
  std::string BlindIndex(absl::string_view folded_identity) const;
  bool has_index_key() const { return !index_key_.empty(); }

  // A new random key line "key_id:base64".
  static std::string NewKeyLine(const std::string& key_id);

 private:
  struct Key {
    std::string id;
    std::string secret;  // 32 bytes
  };
  std::vector<Key> keys_;
  std::string index_key_;  // 32 bytes, or empty
};

// Sealing to another agency (a denunciation forwarded): an anonymous-sender box (libsodium
// crypto_box_seal) to the X25519 form of the agency's Ed25519 exchange key from the directory,
// so only that agency opens it, with the secret half of its exchange key.
absl::StatusOr<std::string> SealToAgency(absl::string_view plaintext,
                                         absl::string_view ed25519_public_key);
absl::StatusOr<std::string> OpenAsAgency(absl::string_view sealed,
                                         absl::string_view ed25519_secret_key);

}  // namespace localgov::petition

#endif  // LOCALGOV_SERVICES_PETITION_IDENTITY_VAULT_H_

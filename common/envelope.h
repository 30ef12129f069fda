#ifndef LOCALGOV_COMMON_ENVELOPE_H_
#define LOCALGOV_COMMON_ENVELOPE_H_

#include <string>

#include "absl/status/statusor.h"
#include "localgov/liaison/v1/exchange.pb.h"

namespace localgov {

// The exchange's envelope signatures (docs/api.md, "Envelope signatures"), shared by the
// liaison service (verifies), the services that send (sign) and localgovctl.
//
// Canonical digest: SHA-256 of "localgov-envelope-v1\n" followed by, for each of id, type
// (decimal), sender_agency_code, receiver_agency_code, correlation_id, in_reply_to,
// content_type, payload_sha256, create_time (Unix microseconds, decimal), due_time (same, or
// empty), signing_key_id: "<byte length>:<bytes>\n". The payload is bound by payload_sha256.
std::string EnvelopeDigest(const liaison::v1::Envelope& e);

// Sets payload_sha256, signing_key_id and signature.
void SignEnvelope(liaison::v1::Envelope& e, const std::string& key_id,
                  const std::string& secret_key);
// True when the signature is the key's over the digest and payload_sha256 matches the payload.
bool VerifyEnvelope(const liaison::v1::Envelope& e, const std::string& public_key);

// A signing key file: two lines, the key id and the base64 of the 64-byte Ed25519 secret key
// (`localgovctl exchange keygen`).
// The setting naming a service's exchange key file (the agency's Ed25519 key that signs its
// envelopes; `localgovctl exchange keygen`).
inline constexpr const char* kExchangeKeyVariable = "LOCALGOV_EXCHANGE_SIGNING_KEY_FILE";

struct SigningKey {
  std::string key_id;
  std::string secret_key;
  std::string public_key;
};
absl::StatusOr<SigningKey> ReadSigningKeyFile(const std::string& path);
absl::Status WriteSigningKeyFile(const std::string& path, const std::string& key_id,
                                 const std::string& secret_key);

}  // namespace localgov

#endif  // LOCALGOV_COMMON_ENVELOPE_H_

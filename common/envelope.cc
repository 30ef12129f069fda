#include "common/envelope.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/crypto.h"
#include "google/protobuf/util/time_util.h"

namespace localgov {
namespace {

using google::protobuf::util::TimeUtil;

void Field(std::string& out, const std::string& value) {
  absl::StrAppend(&out, value.size(), ":", value, "\n");
}

}  // namespace

std::string EnvelopeDigest(const liaison::v1::Envelope& e) {
  std::string canonical = "localgov-envelope-v1\n";
  Field(canonical, e.id());
  Field(canonical, std::to_string(static_cast<int>(e.type())));
  Field(canonical, e.sender_agency_code());
  Field(canonical, e.receiver_agency_code());
  Field(canonical, e.correlation_id());
  Field(canonical, e.in_reply_to());
  Field(canonical, e.content_type());
  Field(canonical, e.payload_sha256());
  Field(canonical, std::to_string(TimeUtil::TimestampToMicroseconds(e.create_time())));
  Field(canonical, e.has_due_time()
                       ? std::to_string(TimeUtil::TimestampToMicroseconds(e.due_time()))
                       : std::string());
  Field(canonical, e.signing_key_id());
  return Sha256(canonical);
}

void SignEnvelope(liaison::v1::Envelope& e, const std::string& key_id,
                  const std::string& secret_key) {
  e.set_payload_sha256(Sha256Hex(e.payload()));
  e.set_signing_key_id(key_id);
  e.set_signature(Ed25519Sign(secret_key, EnvelopeDigest(e)));
}

bool VerifyEnvelope(const liaison::v1::Envelope& e, const std::string& public_key) {
  if (Sha256Hex(e.payload()) != e.payload_sha256()) return false;
  return Ed25519Verify(public_key, EnvelopeDigest(e), e.signature());
}

absl::StatusOr<SigningKey> ReadSigningKeyFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read the signing key file ", path));
  std::string id_line, key_line;
  std::getline(in, id_line);
  std::getline(in, key_line);
  SigningKey k;
  k.key_id = std::string(absl::StripAsciiWhitespace(id_line));
  std::string secret;
  if (k.key_id.empty() ||
      !absl::Base64Unescape(std::string(absl::StripAsciiWhitespace(key_line)), &secret) ||
      secret.size() != 64) {
    return absl::InvalidArgumentError(
        absl::StrCat(path,
                     ": not a signing key file (a key id line, then the base64 of a "
                     "64-byte Ed25519 secret key)"));
  }
  k.secret_key = secret;
  k.public_key = Ed25519PublicKeyOf(secret);
  return k;
}

absl::Status WriteSigningKeyFile(const std::string& path, const std::string& key_id,
                                 const std::string& secret_key) {
  {
    std::ofstream out(path, std::ios::trunc);
    out << key_id << "\n" << absl::Base64Escape(secret_key) << "\n";
    if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  }
  chmod(path.c_str(), 0600);
  return absl::OkStatus();
}

}  // namespace localgov

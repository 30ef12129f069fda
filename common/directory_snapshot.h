#ifndef LOCALGOV_COMMON_DIRECTORY_SNAPSHOT_H_
#define LOCALGOV_COMMON_DIRECTORY_SNAPSHOT_H_

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/envelope.h"
#include "common/periodic.h"
#include "common/redis/redis.h"
#include "grpcpp/grpcpp.h"
#include "localgov/liaison/v1/liaison_service.grpc.pb.h"

namespace localgov {

// The exchange directory as a signed snapshot (docs/api.md, "Directory snapshot"), after
// X-Road's signed global configuration: the liaison service signs it with its own key; other
// services verify it against that public key, configured out of band (the trust anchor),
// keep it in Redis and use it without a call per envelope.
//
// Signature: Ed25519 over SHA-256("localgov-directory-v1\n" || content bytes).
liaison::v1::SignedDirectory SignDirectory(const liaison::v1::DirectoryContent& content,
                                           const SigningKey& key);
// The content, when the signature is the trusted key's and the bytes parse; UNAUTHENTICATED
// otherwise.
absl::StatusOr<liaison::v1::DirectoryContent> VerifyDirectory(
    const liaison::v1::SignedDirectory& signed_directory, const std::string& trusted_public_key);

// The setting holding the trust anchor (the liaison's public key, base64).
inline constexpr const char* kDirectoryTrustKeyVariable = "LOCALGOV_DIRECTORY_TRUST_KEY";
// The trust anchor as configured: the base64 of a 32-byte Ed25519 public key.
absl::StatusOr<std::string> ParseTrustKey(const std::string& base64);

// A verified snapshot, indexed for the questions a receiver asks.
class DirectoryView final {
 public:
  explicit DirectoryView(liaison::v1::DirectoryContent content);
  int64_t version() const { return content_.version(); }
  const liaison::v1::DirectoryContent& content() const { return content_; }

  enum class SenderCheck { kOk, kUnknownKey, kBadSignature, kNotAllowed };
  // Whether the envelope is signed by a key of its sender valid at its create_time, and the
  // sender may send its type to `receiver`. kUnknownKey may just mean this snapshot is older
  // than the key.
  SenderCheck CheckSender(const liaison::v1::Envelope& e, const std::string& receiver) const;
  // The agency that answers for `code` on `day`, following the "merged into" links in force
  // that day: a merger counts from its effective date (DOMAIN.md §0), so one recorded ahead of
  // time changes nothing until then. nullptr when unknown or the succession loops. `chain`, if
  // given, gets the codes followed, first the one asked.
  const liaison::v1::Agency* ResolveAgency(const std::string& code, absl::CivilDay day,
                                           std::vector<std::string>* chain = nullptr) const;
  // The codes whose records `code` answers for on `day` (DOMAIN.md §0: a merged unit's records
  // continue under its successor): `code` first, then every agency merged into it by then,
  // directly or through others, in code order.
  std::vector<std::string> AnsweredBy(const std::string& code, absl::CivilDay day) const;
  const liaison::v1::Agency* FindAgency(const std::string& code) const;
  // The key, if the agency has it and it is valid at `at`.
  const liaison::v1::AgencyKeyEntry* KeyValidAt(const std::string& agency,
                                                const std::string& key_id, absl::Time at) const;
  bool Allowed(const std::string& sender, int type, const std::string& receiver) const;

 private:
  liaison::v1::DirectoryContent content_;
  std::map<std::string, const liaison::v1::Agency*> agencies_;
  std::map<std::pair<std::string, std::string>, const liaison::v1::AgencyKeyEntry*> keys_;
  std::set<std::tuple<std::string, int, std::string>> rights_;
  // Every recorded link, whatever its date, when `day` is nullopt.
  const liaison::v1::Agency* Follow(const std::string& code, std::optional<absl::CivilDay> day,
                                    std::vector<std::string>* chain) const;

  // Agencies merged into each agency, directly or not, through any recorded link.
  std::map<std::string, std::vector<std::string>> predecessors_;
  std::map<std::string, absl::CivilDay> merged_on_;  // a merged agency's effective date
};

// A service's copy of the directory: loaded from Redis at start (so a restart does not need
// the liaison service), then refreshed from the liaison every `refresh` (a cheap call while
// nothing changed), verified each time, and written back to Redis for the other replicas.
class DirectoryCache final {
 public:
  struct Options {
    std::string liaison_address;     // empty: Redis only
    std::string trusted_public_key;  // 32 bytes
    std::string redis_key;           // e.g. "<service prefix>directory"
    absl::Duration refresh = absl::Seconds(5);
    std::shared_ptr<grpc::ChannelCredentials> credentials;
    absl::Duration call_deadline = absl::Seconds(5);  // each GetDirectorySnapshot call
  };
  DirectoryCache(Options options, RedisPool& redis);
  ~DirectoryCache() { Stop(); }

  void Start();
  void Stop() { thread_.Stop(); }
  // The verified snapshot, or nullptr before the first one.
  std::shared_ptr<const DirectoryView> Current() const;
  // An agency's official name (the printed papers' issuer); empty when the code is unknown or
  // no snapshot is held yet.
  std::string AgencyName(const std::string& code) const;
  // One refresh, in the caller's thread: Redis if nothing is held yet, then the liaison.
  absl::Status RefreshOnce();

  // A receiver's check of an envelope delivered to `receiver` (X-Road: the receiving side
  // verifies too, so a call that bypasses the exchange is refused): OK; UNAUTHENTICATED (not
  // signed by a key of its sender valid when it was created); PERMISSION_DENIED (no access
  // right); UNAVAILABLE (no directory yet, or it could not be refreshed: try again later).
  // A key or right unknown to the snapshot held triggers one refresh first, in the caller's
  // thread: at most one a second and one at a time; a check that finds a refresh under way
  // is UNAVAILABLE at once instead of waiting for it (a slow liaison holds one thread, not
  // every delivery's).
  absl::Status CheckSender(const liaison::v1::Envelope& e, const std::string& receiver);

 private:
  absl::Status Install(const liaison::v1::SignedDirectory& snapshot, bool from_redis);

  const Options options_;
  RedisPool& redis_;
  std::unique_ptr<liaison::v1::LiaisonService::Stub> stub_;
  mutable std::mutex mu_;
  std::shared_ptr<const DirectoryView> current_;
  std::mutex refresh_mu_;  // one caller-side refresh at a time; the others do not wait
  absl::Time last_forced_ = absl::InfinitePast();
  PeriodicThread thread_;
};

}  // namespace localgov

#endif  // LOCALGOV_COMMON_DIRECTORY_SNAPSHOT_H_

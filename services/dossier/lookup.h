#ifndef LOCALGOV_SERVICES_DOSSIER_LOOKUP_H_
#define LOCALGOV_SERVICES_DOSSIER_LOOKUP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/db/pool.h"
#include "common/redis/near_cache.h"
#include "common/redis/redis.h"
#include "common/rpc.h"
#include "localgov/dossier/v1/dossier_service.pb.h"

namespace localgov::dossier {

// The applicant's public status look-up: by code and the last four digits of their citizen ID
// or phone. Views are cached in Redis; attempts are rate-limited in Redis. Redis only speeds
// this up: when it is down, look-ups read PostgreSQL and go unlimited (logged once).
//
// Every cached entry carries the dossier version it was read at. A committed change replaces
// the entry with a marker of the new version, and an entry read at an older version is never
// stored over it: a look-up that read the dossier just before a transition cannot put the old
// state back into the cache after the transition dropped it. If the marker itself is lost
// (Redis unreachable at that moment), the old entry lives at most kCacheTtlSeconds.
class PublicLookup final {
 public:
  static constexpr int kCallsPerMinute = 30;       // per caller (the portal's system role excepted)
  static constexpr int kWrongFactorsPerHour = 10;  // per dossier
  static constexpr int kCacheTtlSeconds = 60;

  // What is cached for one dossier: its public view and salted hashes of its two factors.
  struct Entry {
    int64_t version = 0;
    std::string id_hash;
    std::string phone_hash;
    v1::PublicDossierView view;
  };

  // `near` (may be null): a copy in memory of the cached views and wrong-factor counts, kept
  // exact by Redis's invalidations; it must track NearCachePrefixes(key_prefix).
  PublicLookup(PgPool& db, RedisPool& redis, std::string key_prefix, RedisNearCache* near = nullptr)
      : db_(db), redis_(redis), prefix_(std::move(key_prefix)), near_(near) {}
  static std::vector<std::string> NearCachePrefixes(const std::string& key_prefix);

  absl::StatusOr<v1::PublicDossierView> Lookup(const CallContext& call, const std::string& code,
                                               const std::string& second_factor);
  // The same look-up answered from memory alone, without waiting on anything: for the
  // portal's system role (other callers are counted in Redis on every call), when both the
  // view and the wrong-factor count are held in the near cache and the factor matches.
  // nullopt when it cannot answer so; then call Lookup. Bad input is answered here too.
  std::optional<absl::StatusOr<v1::PublicDossierView>> LookupInMemory(
      const CallContext& call, const std::string& code, const std::string& second_factor);
  // Marks the cached view out of date as of `version`; called after every committed change of
  // the dossier, with its new version.
  void Invalidate(const std::string& code, int64_t version);

  // The two halves of a cache miss, public for tests of their interleaving with transitions.
  // Reads the entry from PostgreSQL; nullopt when there is no such dossier.
  absl::StatusOr<std::optional<Entry>> Load(const std::string& code);
  // Caches `entry` unless the cache already knows a newer version; false if it did not.
  bool Fill(const std::string& code, const Entry& entry);

 private:
  std::string CacheKey(const std::string& code) const;
  std::string FailKey(const std::string& code) const;
  // Sets `key` to `value` (which begins with "<version>|") unless it holds a newer version.
  bool SetUnlessNewer(const std::string& key, int64_t version, const std::string& value);

  PgPool& db_;
  RedisPool& redis_;
  const std::string prefix_;
  RedisNearCache* const near_;
};

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_LOOKUP_H_

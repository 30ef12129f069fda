#ifndef LOCALGOV_SERVICES_DOSSIER_LOOKUP_H_
#define LOCALGOV_SERVICES_DOSSIER_LOOKUP_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/db/pool.h"
#include "common/redis/redis.h"
#include "common/rpc.h"
#include "localgov/dossier/v1/dossier_service.pb.h"

namespace localgov::dossier {

// The applicant's public status look-up: by code and the last four digits of their citizen ID
// or phone. Views are cached in Redis (dropped on every transition, and for at most kCacheTtl
// if that drop is lost); attempts are rate-limited in Redis. Redis only speeds this up: when
// it is down, look-ups read PostgreSQL and go unlimited (logged once).
class PublicLookup final {
 public:
  static constexpr int kCallsPerMinute = 30;       // per caller (the portal's system role excepted)
  static constexpr int kWrongFactorsPerHour = 10;  // per dossier
  static constexpr int kCacheTtlSeconds = 60;

  PublicLookup(PgPool& db, RedisPool& redis, std::string key_prefix)
      : db_(db), redis_(redis), prefix_(std::move(key_prefix)) {}

  absl::StatusOr<v1::PublicDossierView> Lookup(const CallContext& call, const std::string& code,
                                               const std::string& second_factor);
  // Drops the cached view; called after every committed change of the dossier.
  void Invalidate(const std::string& code);

 private:
  PgPool& db_;
  RedisPool& redis_;
  const std::string prefix_;
};

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_LOOKUP_H_

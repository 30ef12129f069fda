#ifndef LOCALGOV_SERVICES_LIAISON_DIRECTORY_H_
#define LOCALGOV_SERVICES_LIAISON_DIRECTORY_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/db/pool.h"
#include "common/rpc.h"
#include "pqxx/pqxx"
#include "services/liaison/agency.h"
#include "services/liaison/directory_store.h"

namespace localgov::liaison {

// The exchange directory's use cases: free of gRPC, all SQL in DirectoryStore.
class Directory final {
 public:
  Directory(PgPool& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Registers a new agency: every violation reported at once (INVALID_ARGUMENT), idempotent on
  // `request_id` per caller, audited, all in one transaction. ALREADY_EXISTS when the code is
  // taken or the request_id was used for a different agency.
  absl::StatusOr<Agency> CreateAgency(const CallContext& call, const std::string& request_id,
                                      const Agency& agency);
  // NOT_FOUND when no agency has `code`.
  absl::StatusOr<Agency> GetAgency(const std::string& code);

  struct Resolved {
    Agency agency;                   // the agency that answers for the code today
    std::vector<std::string> chain;  // codes followed, first the one asked
  };
  // Follows "merged into" (DOMAIN.md §0: a merged unit's records continue under its successor).
  absl::StatusOr<Resolved> Resolve(const std::string& code);
  // The same, in the caller's transaction (the exchange resolves receivers with it).
  static absl::StatusOr<Resolved> ResolveIn(pqxx::transaction_base& tx, const std::string& code);

  // Admin changes; each audited, all-or-nothing.
  absl::StatusOr<Agency> Merge(const CallContext& call, const std::string& code,
                               const std::string& successor, const std::string& effective_date);
  absl::StatusOr<Agency> SetEndpoint(const CallContext& call, const std::string& code,
                                     const std::string& endpoint);
  absl::Status AddKey(const CallContext& call, const AgencyKey& key);
  absl::Status Grant(const CallContext& call, const std::string& sender, int type,
                     const std::string& receiver);

 private:
  PgPool& db_;
  const Clock& clock_;
};

}  // namespace localgov::liaison

#endif  // LOCALGOV_SERVICES_LIAISON_DIRECTORY_H_

#ifndef LOCALGOV_SERVICES_LIAISON_DIRECTORY_H_
#define LOCALGOV_SERVICES_LIAISON_DIRECTORY_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/db/pool.h"
#include "common/rpc.h"
#include "services/liaison/agency.h"

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

 private:
  PgPool& db_;
  const Clock& clock_;
};

}  // namespace localgov::liaison

#endif  // LOCALGOV_SERVICES_LIAISON_DIRECTORY_H_

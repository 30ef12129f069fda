#ifndef LOCALGOV_SERVICES_LIAISON_DIRECTORY_H_
#define LOCALGOV_SERVICES_LIAISON_DIRECTORY_H_

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/clock.h"
#include "common/db/pool.h"
#include "common/directory_snapshot.h"
#include "common/envelope.h"
#include "common/rpc.h"
#include "localgov/liaison/v1/liaison_service.pb.h"
#include "pqxx/pqxx"
#include "services/liaison/agency.h"
#include "services/liaison/directory_store.h"
#include "services/liaison/units.h"

namespace localgov::liaison {

// The exchange directory's use cases: free of gRPC, all SQL in DirectoryStore.
class Directory final {
 public:
  // `key` signs directory snapshots (the liaison's own key, also the message log's).
  Directory(PgPool& db, const Clock& clock, SigningKey key = {})
      : db_(db), clock_(clock), key_(std::move(key)) {}

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
  // Follows "merged into" (DOMAIN.md §0: a merged unit's records continue under its successor)
  // as it stands today: a merger counts from its effective date.
  absl::StatusOr<Resolved> Resolve(const std::string& code);
  // The same, in the caller's transaction, on `day`; nullopt follows every recorded merger,
  // whatever its date (to refuse a cycle).
  static absl::StatusOr<Resolved> ResolveIn(pqxx::transaction_base& tx, const std::string& code,
                                            std::optional<absl::CivilDay> day);

  // Admin changes; each audited, all-or-nothing.
  absl::StatusOr<Agency> Merge(const CallContext& call, const std::string& code,
                               const std::string& successor, const std::string& effective_date);
  absl::StatusOr<Agency> SetEndpoint(const CallContext& call, const std::string& code,
                                     const std::string& endpoint);
  absl::Status AddKey(const CallContext& call, const AgencyKey& key);
  absl::Status Grant(const CallContext& call, const std::string& sender, int type,
                     const std::string& receiver);

  struct Page {
    std::string next_token;
  };
  absl::StatusOr<std::vector<Agency>> ListAgencies(DirectoryStore::AgencyFilter filter,
                                                   const std::string& page_token, Page& page);

  // Administrative units (DOMAIN.md §0).
  absl::StatusOr<AdministrativeUnit> CreateUnit(const CallContext& call,
                                                const std::string& request_id,
                                                const AdministrativeUnit& unit);
  struct UnitRecord {
    AdministrativeUnit unit;
    std::vector<UnitSuccession> predecessors;
    std::vector<UnitSuccession> successors;
  };
  absl::StatusOr<UnitRecord> GetUnit(const std::string& code);
  // `filter.on_date` empty and !include_history: today (Vietnam time).
  absl::StatusOr<std::vector<AdministrativeUnit>> ListUnits(DirectoryStore::UnitFilter filter,
                                                            bool include_history,
                                                            const std::string& page_token,
                                                            Page& page);
  absl::StatusOr<std::vector<UnitSuccession>> RecordSuccession(
      const CallContext& call, int kind, const std::vector<std::string>& predecessors,
      const std::vector<std::string>& successors, const std::string& effective_date);
  struct ResolvedUnit {
    std::vector<AdministrativeUnit> current;
    std::vector<UnitSuccession> path;
  };
  absl::StatusOr<ResolvedUnit> ResolveUnit(const std::string& code);

  // The signed snapshot at the current version; nullptr when `known_version` is current.
  absl::StatusOr<std::shared_ptr<const v1::SignedDirectory>> Snapshot(int64_t known_version);
  // The directory in memory, at `version` or newer (rebuilt once per change): Send checks
  // envelopes against it instead of five queries.
  absl::StatusOr<std::shared_ptr<const DirectoryView>> View(int64_t version);

 private:
  PgPool& db_;
  const Clock& clock_;
  const SigningKey key_;
  std::mutex snapshot_mu_;
  std::shared_ptr<const v1::SignedDirectory> snapshot_;  // the last one built
  std::shared_ptr<const DirectoryView> view_;            // the last one built
  // Everything, from one REPEATABLE READ transaction.
  absl::StatusOr<v1::DirectoryContent> LoadContent();
};

}  // namespace localgov::liaison

#endif  // LOCALGOV_SERVICES_LIAISON_DIRECTORY_H_

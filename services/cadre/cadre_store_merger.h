// The SQL of merger plans (cadres_merger.cc), in the caller's transaction.
#ifndef LOCALGOV_SERVICES_CADRE_CADRE_STORE_MERGER_H_
#define LOCALGOV_SERVICES_CADRE_CADRE_STORE_MERGER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "localgov/cadre/v1/cadre_merger.pb.h"
#include "pqxx/pqxx"
#include "services/cadre/cadre_rules_merger.h"

namespace localgov::cadre {

class CadreMergerStore final {
 public:
  // The merged agencies as registered: `codes` themselves, or (`merged_into` non-empty) every
  // agency merged into it on `on`.
  static std::vector<MergerSource> Sources(pqxx::transaction_base& tx,
                                           const std::vector<std::string>& codes);
  static std::vector<std::string> MergedInto(pqxx::transaction_base& tx,
                                             const std::string& successor, absl::CivilDay on);
  // Everything PlanMerger reads but the sources, successor_registered and the days.
  static void Load(pqxx::transaction_base& tx, MergerInput& in);
  // Locks the merged agencies' positions (FOR UPDATE) so that no assignment to them is
  // recorded while a merger applies.
  static void LockSourcePositions(pqxx::work& tx, const std::vector<std::string>& agencies);
  static void SetMaxHolders(pqxx::work& tx, const std::string& position, int max_holders);
  static int64_t InsertMerger(pqxx::work& tx, const v1::MergerPlan& plan,
                              const std::string& applied_by, absl::Time now);
  static void InsertUnitMove(pqxx::work& tx, const std::string& unit, const std::string& to,
                             absl::CivilDay on, int64_t merger);
  // A merger as applied (its plan).
  static std::optional<v1::ApplyMergerResponse> FindMerger(pqxx::transaction_base& tx, int64_t id);
  // Where the old unit `code` answers on `day`: the unit it was moved to (through later
  // mergers too) once moved; nullopt when it was not moved by then.
  static std::optional<std::string> MovedTo(pqxx::transaction_base& tx, const std::string& code,
                                            absl::CivilDay day);
};

}  // namespace localgov::cadre

#endif  // LOCALGOV_SERVICES_CADRE_CADRE_STORE_MERGER_H_

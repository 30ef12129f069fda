// Merger plans (issue 23, item 6): pure planning of what moves when agencies merge into a
// successor — no I/O, no clock. The use case (cadres_merger.cc) reads the inputs and applies
// the plan; the plan's fingerprint lets ApplyMerger refuse a plan that changed since the
// preview.
#ifndef LOCALGOV_SERVICES_CADRE_CADRE_RULES_MERGER_H_
#define LOCALGOV_SERVICES_CADRE_CADRE_RULES_MERGER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "localgov/cadre/v1/cadre_merger.pb.h"
#include "localgov/cadre/v1/cadre_service.pb.h"

namespace localgov::cadre {

// A merged agency as the register (from the liaison directory) records it.
struct MergerSource {
  std::string code;
  std::string successor;                    // empty: not merged
  std::optional<absl::CivilDay> merged_on;  // nullopt: the day is missing
};

// An assignment (as known now) of a person of a merged agency's units.
struct MergerAssignment {
  int64_t person_id = 0;
  int64_t person_version = 0;
  std::string full_name;
  int64_t record_id = 0;
  std::string position_code, unit_code, valid_from, valid_until;
  v1::Movement movement = v1::MOVEMENT_UNSPECIFIED;
};

struct MergerInput {
  std::vector<MergerSource> sources;  // the merged agencies asked for
  std::string successor;
  bool successor_registered = false;
  absl::CivilDay on;     // the merger's day
  absl::CivilDay today;  // Vietnam time
  // How far ahead of today a merger may be applied (it is planned once the directory records
  // it; the people move on its day).
  int max_days_ahead = 31;
  std::vector<v1::Unit> source_units;          // the merged agencies' units
  std::map<std::string, std::string> moved;    // a source unit already moved -> where to
  std::vector<v1::Position> source_positions;  // their positions
  std::vector<v1::Quota> source_quotas;        // their quotas of the merger's year and later
  std::vector<v1::Unit> successor_units;
  std::vector<v1::Position> successor_positions;
  std::vector<v1::Quota> successor_quotas;
  std::set<std::string> taken_unit_codes;      // unit codes in use (a new code must avoid them)
  std::set<std::string> taken_position_codes;  // position codes in use
  std::vector<MergerAssignment> in_force;      // in a source position on `on`
  std::vector<MergerAssignment> later;         // of those people or source units, from after `on`
};

// The plan: each source unit becomes the successor's unit of the same name (folded
// case- and accent-insensitively), else a unit created under the successor (units of the same
// name among the sources fold into one); each non-leadership position folds into a position
// of the same name of its new unit (max_holders added up), else a new one (leadership
// positions always a new one); quotas of the merger's year and later are summed into the new
// unit's; every assignment in force on the day continues from then in the new position. New
// codes are the successor's code, "-", and the old code without its agency's prefix; a code
// in use gets "-2", "-3"... (shown as a clash). Blockers say why it cannot be applied; the
// fingerprint is set.
v1::MergerPlan PlanMerger(const MergerInput& in);

// SHA-256 (hex) of the plan without its fingerprint.
std::string MergerFingerprint(v1::MergerPlan plan);

}  // namespace localgov::cadre

#endif  // LOCALGOV_SERVICES_CADRE_CADRE_RULES_MERGER_H_

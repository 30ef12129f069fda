#ifndef LOCALGOV_SERVICES_LIAISON_UNITS_H_
#define LOCALGOV_SERVICES_LIAISON_UNITS_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace localgov::liaison {

// An administrative unit (đơn vị hành chính); plain data, free of gRPC and SQL. Dates are
// YYYY-MM-DD; valid_until is the first day the unit no longer exists, empty while it exists.
struct AdministrativeUnit {
  std::string code;
  std::string name;
  int level = 0;  // UnitLevel
  std::string parent_code;
  std::string valid_from;
  std::string valid_until;
};

inline constexpr int kUnitProvince = 1;
inline constexpr int kUnitDistrict = 2;
inline constexpr int kUnitCommune = 3;

inline constexpr int kMergedInto = 1;  // SuccessionKind
inline constexpr int kSplitInto = 2;

struct UnitSuccession {
  std::string predecessor;
  std::string successor;
  int kind = 0;
  std::string effective;
};

// National unit codes (Decision 124/2004/QĐ-TTg and its successors): 2 digits for a province,
// 3 for a district, 5 for a commune.
bool IsValidUnitCode(std::string_view code, int level);
bool IsValidDate(std::string_view date);

// The checks a new unit must pass on its own; every violation is recorded under `prefix`.
void ValidateNewUnit(const AdministrativeUnit& unit, Validator& v, std::string_view prefix);
// The level its parent must have: none for a province, a province for a district, a province
// or (before 2025-07-01) a district for a commune.
bool ParentLevelAllowed(int level, int parent_level);

// Merged into: one or more predecessors, one successor; split into: one predecessor, two or
// more successors. Codes distinct, the date valid.
void ValidateSuccession(int kind, const std::vector<std::string>& predecessors,
                        const std::vector<std::string>& successors, const std::string& effective,
                        Validator& v);

// Whether `unit` exists on `day` (YYYY-MM-DD; dates compare as text).
inline bool ExistsOn(const AdministrativeUnit& unit, std::string_view day) {
  return unit.valid_from <= day && (unit.valid_until.empty() || day < unit.valid_until);
}

}  // namespace localgov::liaison

#endif  // LOCALGOV_SERVICES_LIAISON_UNITS_H_

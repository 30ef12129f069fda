#include "services/liaison/units.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"

namespace localgov::liaison {
namespace {
constexpr size_t kMaxName = 300;
constexpr size_t kMaxCodesPerSuccession = 64;
}  // namespace

bool IsValidUnitCode(std::string_view code, int level) {
  size_t digits = level == kUnitProvince ? 2 : level == kUnitDistrict ? 3 : 5;
  if (code.size() != digits) return false;
  for (char c : code) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool IsValidDate(std::string_view date) {
  absl::CivilDay day;
  const std::string text(date);
  return text.size() == 10 && absl::ParseCivilTime(text, &day) &&
         absl::FormatCivilTime(day) == text;
}

bool ParentLevelAllowed(int level, int parent_level) {
  switch (level) {
    case kUnitProvince:
      return false;
    case kUnitDistrict:
      return parent_level == kUnitProvince;
    case kUnitCommune:
      return parent_level == kUnitProvince || parent_level == kUnitDistrict;
    default:
      return false;
  }
}

void ValidateNewUnit(const AdministrativeUnit& u, Validator& v, std::string_view prefix) {
  auto field = [&](std::string_view name) {
    return absl::StrCat(std::string(prefix), ".", std::string(name));
  };
  const bool level_ok = v.Check(u.level >= kUnitProvince && u.level <= kUnitCommune, field("level"),
                                "required: one of the UnitLevel values");
  if (u.code.empty()) {
    v.Add(field("code"), "required");
  } else if (level_ok) {
    v.Check(IsValidUnitCode(u.code, u.level), field("code"),
            "must be the national code: 2 digits for a province, 3 for a district, 5 for a "
            "commune");
  }
  v.Check(!u.name.empty(), field("name"), "required");
  v.Check(u.name.size() <= kMaxName, field("name"), "at most 300 bytes");
  if (level_ok) {
    if (u.level == kUnitProvince) {
      v.Check(u.parent_code.empty(), field("parent_code"), "a province has no parent");
    } else {
      v.Check(!u.parent_code.empty(), field("parent_code"), "required below a province");
    }
  }
  const bool from_ok =
      v.Check(IsValidDate(u.valid_from), field("valid_from"), "required: a date YYYY-MM-DD");
  if (!u.valid_until.empty() &&
      v.Check(IsValidDate(u.valid_until), field("valid_until"), "must be a date YYYY-MM-DD") &&
      from_ok) {
    v.Check(u.valid_until > u.valid_from, field("valid_until"), "must be after valid_from");
  }
}

void ValidateSuccession(int kind, const std::vector<std::string>& predecessors,
                        const std::vector<std::string>& successors, const std::string& effective,
                        Validator& v) {
  if (!v.Check(kind == kMergedInto || kind == kSplitInto, "kind",
               "required: MERGED_INTO or SPLIT_INTO")) {
    return;
  }
  if (kind == kMergedInto) {
    v.Check(!predecessors.empty(), "predecessor_codes", "a merger needs at least one unit");
    v.Check(successors.size() == 1, "successor_codes", "a merger has exactly one successor");
  } else {
    v.Check(predecessors.size() == 1, "predecessor_codes", "a split has exactly one unit");
    v.Check(successors.size() >= 2, "successor_codes", "a split has two or more successors");
  }
  v.Check(predecessors.size() + successors.size() <= kMaxCodesPerSuccession, "predecessor_codes",
          "at most 64 units in one succession");
  std::set<std::string> seen;
  for (size_t i = 0; i < predecessors.size(); ++i) {
    const auto& c = predecessors[i];
    const auto f = absl::StrCat("predecessor_codes[", i, "]");
    if (v.Check(c.size() == 2 || c.size() == 3 || c.size() == 5, f, "must be a unit code")) {
      v.Check(seen.insert(c).second, f, "listed twice");
    }
  }
  for (size_t i = 0; i < successors.size(); ++i) {
    const auto& c = successors[i];
    const auto f = absl::StrCat("successor_codes[", i, "]");
    if (v.Check(c.size() == 2 || c.size() == 3 || c.size() == 5, f, "must be a unit code")) {
      v.Check(seen.insert(c).second, f, "listed twice or also a predecessor");
    }
  }
  v.Check(IsValidDate(effective), "effective_date", "required: a date YYYY-MM-DD");
}

}  // namespace localgov::liaison

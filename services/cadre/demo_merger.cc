#include "services/cadre/demo_merger.h"

#include <vector>

namespace localgov::cadre {
namespace {

constexpr const char* kReorganisation = "2025-07-01";

}  // namespace

void AddDemoMerger(DemoProvince& demo, absl::CivilDay day) {
  // The communes formed on 2025-07-01 (the agencies others merged into then): the last two.
  std::vector<std::string> successors;
  for (const auto& a : demo.agencies) {
    if (a.successor_code().empty() || a.merged_on() != kReorganisation) continue;
    if (successors.empty() || successors.back() != a.successor_code()) {
      successors.push_back(a.successor_code());
    }
  }
  if (successors.size() < 2) return;
  for (auto& a : demo.agencies) {
    if (a.code() != successors.back()) continue;
    a.set_successor_code(successors[successors.size() - 2]);
    a.set_merged_on(FormatDay(day));
  }
}

DemoMerger DemoCommuneMerger(const DemoProvince& demo) {
  for (const auto& a : demo.agencies) {
    if (!a.successor_code().empty() && a.merged_on() != kReorganisation) {
      return {a.code(), a.successor_code(), a.merged_on()};
    }
  }
  return {};
}

}  // namespace localgov::cadre

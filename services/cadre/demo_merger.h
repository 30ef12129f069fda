// The demo province's merger of two communes after the 2025 reorganisation (issue 23, item 6):
// the directory records that the last commune merged into the one before it on the first day
// after the generated history, and `localgovctl cadre load-demo` applies its plan through
// the cadre service's PreviewMerger / ApplyMerger, so that the demo's history carries a merger
// made by the same use case as any other.
#ifndef LOCALGOV_SERVICES_CADRE_DEMO_MERGER_H_
#define LOCALGOV_SERVICES_CADRE_DEMO_MERGER_H_

#include <string>

#include "services/cadre/demo_data.h"

namespace localgov::cadre {

struct DemoMerger {
  std::string agency;     // the merged commune
  std::string successor;  // the commune it merges into
  std::string merged_on;  // YYYY-MM-DD
};

// Records the merger of the last commune formed on 2025-07-01 into the one before it on `day`
// on the merged commune's agency (for the directory); nothing else changes: its people are
// moved by applying the plan.
void AddDemoMerger(DemoProvince& demo, absl::CivilDay day);
// The merger AddDemoMerger recorded (empty codes when none).
DemoMerger DemoCommuneMerger(const DemoProvince& demo);

}  // namespace localgov::cadre

#endif  // LOCALGOV_SERVICES_CADRE_DEMO_MERGER_H_

// The demo province's evaluations and discipline decisions (issue 23, part 1), derived from
// its generated history (demo_data.h) so that they agree with it: evaluations for 2023–2025 of
// everyone in a post on 10 December, a few rated "did not complete" in 2025 and a few
// reprimands with effect in 2026, each only where no raise was recorded since the last step
// (the worklist then shows their extensions). Deterministic.
#ifndef LOCALGOV_SERVICES_CADRE_DEMO_DUE_H_
#define LOCALGOV_SERVICES_CADRE_DEMO_DUE_H_

#include <vector>

#include "localgov/cadre/v1/cadre_service.pb.h"
#include "services/cadre/demo_data.h"

namespace localgov::cadre {

struct DemoDue {
  std::vector<v1::Discipline> disciplines;  // recorded on their decision day
  std::vector<v1::Evaluation> evaluations;  // recorded on their day
};

DemoDue GenerateDemoDue(const DemoProvince& demo);

}  // namespace localgov::cadre

#endif  // LOCALGOV_SERVICES_CADRE_DEMO_DUE_H_

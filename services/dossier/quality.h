#ifndef LOCALGOV_SERVICES_DOSSIER_QUALITY_H_
#define LOCALGOV_SERVICES_DOSSIER_QUALITY_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "localgov/dossier/v1/dossier.pb.h"
#include "localgov/dossier/v1/dossier_service.pb.h"

namespace localgov::dossier {

// Service-quality rules (DOMAIN.md §1). Pure: no gRPC, no SQL.

// Circular 01/2018/TT-VPCP Art. 13, indicator 1 (processing time): finished before the due
// date 2 points, on the due date 1, after it 0.
inline constexpr int kIndicator1EarlyPoints = 2;
inline constexpr int kIndicator1OnTimePoints = 1;
inline constexpr int kIndicator1LatePoints = 0;
int Indicator1Points(v1::OutcomeClass outcome);

// Circular 01/2018/TT-VPCP Art. 13, indicator 3 (times the applicant had to come back to
// complete the dossier): never 2 points, once 1, more than once 0.
inline constexpr int kIndicator3NeverPoints = 2;
inline constexpr int kIndicator3OncePoints = 1;
inline constexpr int kIndicator3MoreThanOncePoints = 0;
int Indicator3Points(int supplement_requests);

// Sets d.quality() from its outcome and supplement requests (when it is finished).
void ScoreFinished(v1::Dossier& d);

// Decision 766/QĐ-TTg (service index, 100 points): the weights of the groups whose underlying
// rate we measure. Verified: on-time processing 20, satisfaction 18 (transparency 18 is not
// measured here); unverified: online service 12 (online payment 10, digitisation 22 are not
// measured). The formulas are not at hand, so the weights are configuration
// (LOCALGOV_QUALITY_WEIGHTS) and each group scores weight × rate.
inline constexpr const char* kDefaultQualityWeights = "on_time=20,satisfaction=18,online=12";
inline constexpr const char* kQualityWeightsVariable = "LOCALGOV_QUALITY_WEIGHTS";
struct QualityWeight {
  std::string group;  // on_time, satisfaction, online
  double weight = 0;
};
// "group=weight,..." with known groups, each once, weights 0..100 summing to at most 100.
absl::StatusOr<std::vector<QualityWeight>> ParseQualityWeights(const std::string& text);

// The measured groups of `s` scored with `weights`.
std::vector<v1::ServiceIndexGroup> ServiceIndex(const v1::AgencyStatistics& s,
                                                const std::vector<QualityWeight>& weights);

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_QUALITY_H_

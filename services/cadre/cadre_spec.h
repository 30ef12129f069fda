#ifndef LOCALGOV_SERVICES_CADRE_CADRE_SPEC_H_
#define LOCALGOV_SERVICES_CADRE_CADRE_SPEC_H_

#include "common/service.h"

namespace localgov {
const std::vector<Migration>& cadre_migrations();
}  // namespace localgov

namespace localgov::cadre {

// Fixed loopback ports of the local stack.
inline constexpr int kDefaultGrpcPort = 50053;
inline constexpr int kDefaultMetricsPort = 9103;

// Everything that makes this binary the cadre service.
ServiceSpec Spec();

}  // namespace localgov::cadre

#endif  // LOCALGOV_SERVICES_CADRE_CADRE_SPEC_H_

#ifndef LOCALGOV_SERVICES_PETITION_PETITION_SPEC_H_
#define LOCALGOV_SERVICES_PETITION_PETITION_SPEC_H_

#include "common/service.h"

namespace localgov {
const std::vector<Migration>& petition_migrations();
}  // namespace localgov

namespace localgov::petition {

// Fixed loopback ports of the local stack.
inline constexpr int kDefaultGrpcPort = 50052;
inline constexpr int kDefaultMetricsPort = 9102;

// Everything that makes this binary the petition service.
ServiceSpec Spec();

}  // namespace localgov::petition

#endif  // LOCALGOV_SERVICES_PETITION_PETITION_SPEC_H_

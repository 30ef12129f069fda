#ifndef LOCALGOV_SERVICES_LIAISON_LIAISON_SPEC_H_
#define LOCALGOV_SERVICES_LIAISON_LIAISON_SPEC_H_

#include "common/service.h"

namespace localgov {
const std::vector<Migration>& liaison_migrations();
}  // namespace localgov

namespace localgov::liaison {

// Fixed loopback ports of the local stack.
inline constexpr int kDefaultGrpcPort = 50054;
inline constexpr const char* kLogSigningKeyVariable = "LOCALGOV_LOG_SIGNING_KEY_FILE";
inline constexpr int kDefaultMetricsPort = 9104;

// Everything that makes this binary the liaison service.
ServiceSpec Spec();

}  // namespace localgov::liaison

#endif  // LOCALGOV_SERVICES_LIAISON_LIAISON_SPEC_H_

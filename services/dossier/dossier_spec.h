#ifndef LOCALGOV_SERVICES_DOSSIER_DOSSIER_SPEC_H_
#define LOCALGOV_SERVICES_DOSSIER_DOSSIER_SPEC_H_

#include "common/service.h"

namespace localgov {
const std::vector<Migration>& dossier_migrations();
}  // namespace localgov

namespace localgov::dossier {

// Fixed loopback ports of the local stack.
inline constexpr int kDefaultGrpcPort = 50051;
inline constexpr int kDefaultMetricsPort = 9101;

// Everything that makes this binary the dossier service.
ServiceSpec Spec();

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_DOSSIER_SPEC_H_

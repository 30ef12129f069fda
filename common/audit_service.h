#ifndef LOCALGOV_COMMON_AUDIT_SERVICE_H_
#define LOCALGOV_COMMON_AUDIT_SERVICE_H_

#include <memory>

#include "common/service.h"
#include "grpcpp/grpcpp.h"

namespace localgov {

// The fully qualified name of the shared audit service, reported by grpc.health.v1.
inline constexpr const char* kAuditServiceName = "localgov.audit.v1.AuditService";

// localgov.audit.v1.AuditService over this service's own audit_log (common/audit.h): one
// implementation, served by every binary (RunningService adds it next to the spec's services).
std::unique_ptr<grpc::Service> MakeAuditService(ServiceContext& ctx);

}  // namespace localgov

#endif  // LOCALGOV_COMMON_AUDIT_SERVICE_H_

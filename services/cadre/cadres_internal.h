// Helpers shared by the cadre use-case files (cadres_setup.cc, cadres_agencies.cc).
#ifndef LOCALGOV_SERVICES_CADRE_CADRES_INTERNAL_H_
#define LOCALGOV_SERVICES_CADRE_CADRES_INTERNAL_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "common/audit.h"
#include "common/rpc.h"

namespace localgov::cadre::internal {

// The audit record of a cadre write on `entity_type` `entity_id`.
inline AuditEntry Audit(const CallContext& call, std::string action, std::string entity_type,
                        std::string entity_id, std::string change) {
  return {call.access.subject,    std::string(RoleName(call.access.role)),
          call.access.agency,     absl::StrCat("cadre.", action),
          std::move(entity_type), std::move(entity_id),
          call.request_id,        std::move(change)};
}

// A unit, position or agency code: present, at most 64 characters.
inline bool IsCode(const std::string& s) { return !s.empty() && s.size() <= 64; }

}  // namespace localgov::cadre::internal

#endif  // LOCALGOV_SERVICES_CADRE_CADRES_INTERNAL_H_

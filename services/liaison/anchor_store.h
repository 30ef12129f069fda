#ifndef LOCALGOV_SERVICES_LIAISON_ANCHOR_STORE_H_
#define LOCALGOV_SERVICES_LIAISON_ANCHOR_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "common/audit.h"
#include "pqxx/pqxx"

namespace localgov::liaison {

// The SQL of audit anchors (migration 0007): the index of "anchored" message-log entries.
class AnchorStore final {
 public:
  // The anchor of `chain` at `position`, if any, as its log entry says.
  static std::optional<AuditAnchor> Find(pqxx::transaction_base& tx, const std::string& chain,
                                         int64_t position);
  static void Insert(pqxx::work& tx, const std::string& chain, int64_t position,
                     const std::string& hash, int64_t log_sequence);
  // Anchors of `chain` after `after_position`, by position, at most `limit`; position and
  // hash as the signed log entry's detail carries them.
  static std::vector<AuditAnchor> List(pqxx::transaction_base& tx, const std::string& chain,
                                       int64_t after_position, int limit);
};

}  // namespace localgov::liaison

#endif  // LOCALGOV_SERVICES_LIAISON_ANCHOR_STORE_H_

#ifndef LOCALGOV_COMMON_AUDIT_H_
#define LOCALGOV_COMMON_AUDIT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "pqxx/pqxx"

namespace localgov {

// What a mutating RPC did, for the audit log.
struct AuditEntry {
  std::string actor;  // token subject
  std::string role;
  std::string agency;
  std::string action;  // "<service>.<Rpc>"
  std::string entity_type;
  std::string entity_id;
  std::string request_id;
  std::string change;  // the change; only its SHA-256 is stored
};

// Appends `entry` in the caller's transaction, linked to the previous record by hash. Appends
// are serialised by a transaction-scoped advisory lock, so the chain never forks.
absl::Status AppendAudit(pqxx::work& tx, const AuditEntry& entry, absl::Time at);
// Appends `entries` in this order, under one take of the lock and in one statement (writers
// that batch several requests into one transaction).
absl::Status AppendAudits(pqxx::work& tx, const std::vector<AuditEntry>& entries, absl::Time at);

enum class AuditProblem { kNone, kEdited, kDeleted, kUnlinked, kTruncated, kAnchorMismatch };

struct AuditFinding {
  AuditProblem problem = AuditProblem::kNone;
  int64_t position = 0;
  int64_t count = 1;  // kDeleted: positions missing from `position` on
  std::string reason;
};

struct AuditVerification {
  bool ok = true;
  int64_t checked = 0;             // records read
  int64_t first_bad_position = 0;  // 0 when ok
  AuditProblem problem = AuditProblem::kNone;
  std::string reason;
  int64_t head_position = 0;  // the last record read (0: none)
  std::string head_hash;
  std::vector<AuditFinding> findings;  // in chain order, at most max_findings
  int64_t problems = 0;                // all of them
};

// A chain head recorded outside the database (the liaison's signed message log).
struct AuditAnchor {
  int64_t position = 0;
  std::string hash;
  int64_t log_sequence = 0;
  absl::Time anchored_at;
};

// The newest record's position and hash (0 and the genesis hash for an empty chain).
struct AuditHead {
  int64_t position = 0;
  std::string hash;
};
AuditHead ReadAuditHead(pqxx::transaction_base& tx);

// Walks the whole chain and reports every broken place, going on past each: a record whose hash
// does not match its fields (edited), whose prev_hash does not match its predecessor's hash
// (unlinked), or missing positions (deleted; the next record is then not also reported as
// unlinked). The first is also in first_bad_position, problem and reason. With `anchors`
// (any order), also: a record at an anchored position whose hash is not the anchored one
// (anchor mismatch: the chain was rewritten with recomputed hashes), and a chain that ends
// before the newest anchored position (truncated: its newest records were deleted).
absl::StatusOr<AuditVerification> VerifyAuditChain(pqxx::transaction_base& tx,
                                                   int max_findings = 100,
                                                   const std::vector<AuditAnchor>& anchors = {});

// The canonical text a record's hash covers (length-prefixed fields, so no two records share it).
std::string AuditCanonical(int64_t position, int64_t at_us, const std::string& prev_hash,
                           const std::string& change_digest, const AuditEntry& entry);

}  // namespace localgov

#endif  // LOCALGOV_COMMON_AUDIT_H_

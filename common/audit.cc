#include "common/audit.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/crypto.h"
#include "common/db/query.h"
#include "nlohmann/json.hpp"

namespace localgov {
namespace {
constexpr int64_t kAuditLockKey = 7263002026;
const std::string& kGenesisHash = *new std::string(64, '0');

void Field(std::string& out, const std::string& value) {
  absl::StrAppend(&out, value.size(), ":", value, ";");
}
}  // namespace

std::string AuditCanonical(int64_t position, int64_t at_us, const std::string& prev_hash,
                           const std::string& change_digest, const AuditEntry& e) {
  std::string out;
  Field(out, absl::StrCat(position));
  Field(out, absl::StrCat(at_us));
  for (const auto* v : {&e.actor, &e.role, &e.agency, &e.action, &e.entity_type, &e.entity_id,
                        &e.request_id, &change_digest, &prev_hash}) {
    Field(out, *v);
  }
  return out;
}

absl::Status AppendAudit(pqxx::work& tx, const AuditEntry& entry, absl::Time at) {
  return AppendAudits(tx, {entry}, at);
}

absl::Status AppendAudits(pqxx::work& tx, const std::vector<AuditEntry>& entries, absl::Time at) {
  if (entries.empty()) return absl::OkStatus();
  ExecPrepared(tx, "audit_lock", "SELECT pg_advisory_xact_lock($1)", kAuditLockKey);
  auto last = ExecPrepared(tx, "audit_last",
                           "SELECT position, hash FROM audit_log ORDER BY position DESC LIMIT 1");
  int64_t position = 0;
  std::string prev_hash = kGenesisHash;
  if (!last.empty()) {
    position = last[0][0].as<int64_t>();
    prev_hash = last[0][1].as<std::string>();
  }
  const int64_t at_us = absl::ToUnixMicros(at);
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& entry : entries) {
    ++position;
    const std::string change_digest = Sha256Hex(entry.change);
    std::string hash = Sha256Hex(AuditCanonical(position, at_us, prev_hash, change_digest, entry));
    rows.push_back({{"position", position},
                    {"at_us", at_us},
                    {"actor", entry.actor},
                    {"role", entry.role},
                    {"agency", entry.agency},
                    {"action", entry.action},
                    {"entity_type", entry.entity_type},
                    {"entity_id", entry.entity_id},
                    {"request_id", entry.request_id},
                    {"change_digest", change_digest},
                    {"prev_hash", prev_hash},
                    {"hash", hash}});
    prev_hash = std::move(hash);
  }
  ExecPrepared(
      tx, "audit_append",
      "INSERT INTO audit_log (position, at_us, actor, role, agency, action, entity_type,"
      " entity_id, request_id, change_digest, prev_hash, hash)"
      " SELECT position, at_us, actor, role, agency, action, entity_type, entity_id,"
      " request_id, change_digest, prev_hash, hash FROM jsonb_to_recordset($1::jsonb) AS x("
      "position bigint, at_us bigint, actor text, role text, agency text, action text,"
      " entity_type text, entity_id text, request_id text, change_digest text, prev_hash text,"
      " hash text)",
      rows.dump());
  return absl::OkStatus();
}

AuditHead ReadAuditHead(pqxx::transaction_base& tx) {
  auto last = tx.exec("SELECT position, hash FROM audit_log ORDER BY position DESC LIMIT 1");
  if (last.empty()) return {0, kGenesisHash};
  return {last[0][0].as<int64_t>(), last[0][1].as<std::string>()};
}

absl::StatusOr<AuditVerification> VerifyAuditChain(pqxx::transaction_base& tx, int max_findings,
                                                   const std::vector<AuditAnchor>& anchors) {
  AuditVerification v;
  // Anchored hashes by position (the liaison refuses two hashes for one position); the newest
  // anchor bounds how far the chain must reach.
  std::map<int64_t, const AuditAnchor*> anchored;
  for (const auto& a : anchors) anchored.emplace(a.position, &a);
  std::string prev_hash = kGenesisHash;
  int64_t expected = 1;
  constexpr int kPage = 1000;
  auto found = [&](AuditProblem problem, int64_t at, int64_t count, std::string reason) {
    if (v.ok) {
      v.ok = false;
      v.problem = problem;
      v.first_bad_position = at;
      v.reason = reason;
    }
    ++v.problems;
    if (static_cast<int>(v.findings.size()) < max_findings) {
      v.findings.push_back({problem, at, count, std::move(reason)});
    }
  };
  while (true) {
    auto rows = tx.exec_params(
        "SELECT position, at_us, actor, role, agency, action, entity_type, entity_id,"
        " request_id, change_digest, prev_hash, hash FROM audit_log"
        " WHERE position >= $1 ORDER BY position LIMIT $2",
        expected, kPage);
    for (const auto& r : rows) {
      const int64_t position = r[0].as<int64_t>();
      ++v.checked;
      AuditEntry e{r[2].as<std::string>(), r[3].as<std::string>(),
                   r[4].as<std::string>(), r[5].as<std::string>(),
                   r[6].as<std::string>(), r[7].as<std::string>(),
                   r[8].as<std::string>(), ""};
      const std::string change_digest = r[9].as<std::string>();
      const std::string stored_prev = r[10].as<std::string>();
      const std::string stored_hash = r[11].as<std::string>();
      if (position != expected) {
        const int64_t missing = position - expected;
        found(AuditProblem::kDeleted, expected, missing,
              missing == 1 ? absl::StrCat("record ", expected, " is missing (deleted)")
                           : absl::StrCat("records ", expected, " to ", position - 1,
                                          " are missing (deleted)"));
      } else if (stored_prev != prev_hash) {
        found(AuditProblem::kUnlinked, position, 1,
              absl::StrCat("record ", position, " does not link to record ", position - 1));
      }
      const std::string hash =
          Sha256Hex(AuditCanonical(position, r[1].as<int64_t>(), stored_prev, change_digest, e));
      if (hash != stored_hash) {
        found(AuditProblem::kEdited, position, 1,
              absl::StrCat("record ", position, " was altered after it was written"));
      } else if (auto a = anchored.find(position);
                 a != anchored.end() && a->second->hash != stored_hash) {
        // Consistent with its fields and its predecessor, but not the record anchored: the
        // chain was rewritten from here (or before) with recomputed hashes.
        found(AuditProblem::kAnchorMismatch, position, 1,
              absl::StrCat("record ", position,
                           " is not the one anchored in the liaison's log"
                           " (entry ",
                           a->second->log_sequence, ", ",
                           absl::FormatTime("%Y-%m-%d %H:%M:%SZ", a->second->anchored_at,
                                            absl::UTCTimeZone()),
                           "): the chain was rewritten"));
      }
      // Go on from what is stored: the next record is checked against this one as written.
      prev_hash = stored_hash;
      v.head_position = position;
      v.head_hash = stored_hash;
      expected = position + 1;
    }
    if (rows.size() < static_cast<size_t>(kPage)) break;
  }
  if (!anchored.empty() && anchored.rbegin()->first > v.head_position) {
    const AuditAnchor& newest = *anchored.rbegin()->second;
    const int64_t from = v.head_position + 1;
    found(AuditProblem::kTruncated, from, newest.position - v.head_position,
          absl::StrCat(
              from == newest.position
                  ? absl::StrCat("record ", from, " is missing")
                  : absl::StrCat("records ", from, " to ", newest.position, " are missing"),
              ": the chain ends at ", v.head_position, " but was anchored at ", newest.position,
              " in the liaison's log (entry ", newest.log_sequence, ", ",
              absl::FormatTime("%Y-%m-%d %H:%M:%SZ", newest.anchored_at, absl::UTCTimeZone()),
              "): its newest records were deleted"));
  }
  return v;
}

}  // namespace localgov

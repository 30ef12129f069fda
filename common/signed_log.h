#ifndef LOCALGOV_COMMON_SIGNED_LOG_H_
#define LOCALGOV_COMMON_SIGNED_LOG_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace localgov {

// The liaison's message log (X-Road's signed, timestamped message log, made hash-chained):
// each entry's hash covers its fields and the previous entry's hash, and is signed with the
// liaison's Ed25519 key. Pure functions shared by the service (append, VerifyLog, export) and
// `localgovctl log verify-bundle`, which checks an exported bundle offline.
struct LogEntry {
  int64_t sequence = 0;
  absl::Time at;
  std::string event;  // accepted, redirected, acknowledged, refused, dead_lettered, requeued
  std::string envelope_id;
  std::string detail;
  std::string prev_hash;  // hex; 64 zeros before the first entry
  std::string hash;       // hex SHA-256 (LogEntryHash)
  std::string key_id;
  std::string signature;  // hex Ed25519 over the raw hash bytes
};

inline constexpr const char* kLogGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Hex SHA-256 over "localgov-log-v1\n" and each field as "<length>:<bytes>\n": sequence,
// at (Unix microseconds), event, envelope_id, detail, prev_hash.
std::string LogEntryHash(const LogEntry& e);
// Fills prev_hash, hash, key_id and signature.
void SealLogEntry(LogEntry& e, const std::string& prev_hash, const std::string& key_id,
                  const std::string& secret_key);

struct LogCheck {
  bool ok = true;
  int64_t checked = 0;
  int64_t first_bad_sequence = 0;
  std::string problem;
};
// Checks entries in sequence order: consecutive sequences, each links to the one before
// (`prev_hash_before` for the first; empty to trust the first entry's prev_hash), each hash
// recomputes, each signature verifies with `public_keys[key_id]`.
LogCheck VerifyLogEntries(const std::vector<LogEntry>& entries,
                          const std::map<std::string, std::string>& public_keys,
                          const std::string& prev_hash_before);

// An exported bundle: a header line {"format":"localgov-log-bundle-v1","keys":{id: base64}}
// then one JSON object per entry.
std::string BundleHeader(const std::map<std::string, std::string>& public_keys);
std::string BundleLine(const LogEntry& e);
struct Bundle {
  std::map<std::string, std::string> public_keys;
  std::vector<LogEntry> entries;
};
absl::StatusOr<Bundle> ParseBundle(const std::string& text);

}  // namespace localgov

#endif  // LOCALGOV_COMMON_SIGNED_LOG_H_

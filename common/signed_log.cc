#include "common/signed_log.h"

#include <cstdint>
#include <limits>
#include <stdexcept>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/crypto.h"
#include "nlohmann/json.hpp"

namespace localgov {
namespace {

void Field(std::string& out, const std::string& value) {
  absl::StrAppend(&out, value.size(), ":", value, "\n");
}

std::string Unhex(const std::string& hex) {
  std::string out;
  if (hex.size() % 2 != 0) return out;
  out = absl::HexStringToBytes(hex);
  return out;
}

bool IsHex(const std::string& s, size_t size) {
  if (s.size() != size) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

std::string LogEntryHash(const LogEntry& e) {
  std::string canonical = "localgov-log-v1\n";
  Field(canonical, std::to_string(e.sequence));
  Field(canonical, std::to_string(absl::ToUnixMicros(e.at)));
  Field(canonical, e.event);
  Field(canonical, e.envelope_id);
  Field(canonical, e.detail);
  Field(canonical, e.prev_hash);
  return Sha256Hex(canonical);
}

void SealLogEntry(LogEntry& e, const std::string& prev_hash, const std::string& key_id,
                  const std::string& secret_key) {
  e.prev_hash = prev_hash;
  e.hash = LogEntryHash(e);
  e.key_id = key_id;
  e.signature = HexEncode(Ed25519Sign(secret_key, Unhex(e.hash)));
}

LogCheck VerifyLogEntries(const std::vector<LogEntry>& entries,
                          const std::map<std::string, std::string>& public_keys,
                          const std::string& prev_hash_before) {
  LogCheck c;
  std::string prev = prev_hash_before;
  int64_t expected_sequence = entries.empty() ? 0 : entries.front().sequence;
  auto bad = [&](const LogEntry& e, std::string problem) {
    c.ok = false;
    c.first_bad_sequence = e.sequence;
    c.problem = std::move(problem);
    return c;
  };
  for (const auto& e : entries) {
    if (e.sequence != expected_sequence) {
      return bad(e, absl::StrCat("expected entry ", expected_sequence, ": an entry is missing"));
    }
    if (!prev.empty() && e.prev_hash != prev) {
      return bad(e, "does not link to the entry before it (an entry was changed or removed)");
    }
    if (!IsHex(e.hash, 64) || LogEntryHash(e) != e.hash) {
      return bad(e, "its content does not match its hash (the entry was edited)");
    }
    auto key = public_keys.find(e.key_id);
    if (key == public_keys.end()) return bad(e, absl::StrCat("unknown signing key ", e.key_id));
    if (!IsHex(e.signature, 128) ||
        !Ed25519Verify(key->second, Unhex(e.hash), Unhex(e.signature))) {
      return bad(e, "its signature does not verify");
    }
    prev = e.hash;
    ++expected_sequence;
    ++c.checked;
  }
  return c;
}

std::string BundleHeader(const std::map<std::string, std::string>& public_keys) {
  nlohmann::json keys = nlohmann::json::object();
  for (const auto& [id, key] : public_keys) keys[id] = absl::Base64Escape(key);
  return nlohmann::json{{"format", "localgov-log-bundle-v1"}, {"keys", keys}}.dump();
}

std::string BundleLine(const LogEntry& e) {
  return nlohmann::json{{"sequence", e.sequence},
                        {"at_us", absl::ToUnixMicros(e.at)},
                        {"at", absl::FormatTime(absl::RFC3339_full, e.at, absl::UTCTimeZone())},
                        {"event", e.event},
                        {"envelope_id", e.envelope_id},
                        {"detail", e.detail},
                        {"prev_hash", e.prev_hash},
                        {"hash", e.hash},
                        {"key_id", e.key_id},
                        {"signature", e.signature}}
      .dump();
}

namespace {

// An integer field of a bundle line. nlohmann's get<int64_t> converts a float (1e31) or an
// unsigned above INT64_MAX too, the float with undefined behaviour (found by
// tests/fuzz/envelope_fuzz: an `at_us` of 17966340000000000000000000000000).
int64_t IntegerField(const nlohmann::json& j, const char* name) {
  const nlohmann::json& v = j.at(name);
  if (v.is_number_unsigned() &&
      v.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return static_cast<int64_t>(v.get<uint64_t>());
  }
  if (v.is_number_integer() && !v.is_number_unsigned()) return v.get<int64_t>();
  throw std::invalid_argument(absl::StrCat(name, " must be an integer of 64 bits"));
}

}  // namespace

absl::StatusOr<Bundle> ParseBundle(const std::string& text) {
  Bundle b;
  bool header = false;
  int line_no = 0;
  for (absl::string_view raw : absl::StrSplit(text, '\n', absl::SkipWhitespace())) {
    ++line_no;
    nlohmann::json j = nlohmann::json::parse(std::string(raw), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
      return absl::InvalidArgumentError(absl::StrCat("line ", line_no, ": not JSON"));
    }
    try {
      if (!header) {
        if (j.value("format", "") != "localgov-log-bundle-v1") {
          return absl::InvalidArgumentError("not a localgov log bundle (header line missing)");
        }
        for (const auto& [id, key] : j.at("keys").items()) {
          std::string bytes;
          if (!absl::Base64Unescape(key.get<std::string>(), &bytes)) {
            return absl::InvalidArgumentError(absl::StrCat("key ", id, ": not base64"));
          }
          b.public_keys[id] = bytes;
        }
        header = true;
        continue;
      }
      LogEntry e;
      e.sequence = IntegerField(j, "sequence");
      e.at = absl::FromUnixMicros(IntegerField(j, "at_us"));
      e.event = j.at("event").get<std::string>();
      e.envelope_id = j.at("envelope_id").get<std::string>();
      e.detail = j.at("detail").get<std::string>();
      e.prev_hash = j.at("prev_hash").get<std::string>();
      e.hash = j.at("hash").get<std::string>();
      e.key_id = j.at("key_id").get<std::string>();
      e.signature = j.at("signature").get<std::string>();
      b.entries.push_back(std::move(e));
    } catch (const std::exception& ex) {
      return absl::InvalidArgumentError(absl::StrCat("line ", line_no, ": ", ex.what()));
    }
  }
  if (!header) return absl::InvalidArgumentError("empty bundle");
  return b;
}

}  // namespace localgov

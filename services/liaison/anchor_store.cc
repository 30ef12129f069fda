#include "services/liaison/anchor_store.h"

#include "nlohmann/json.hpp"

namespace localgov::liaison {
namespace {

constexpr const char* kSelect =
    "SELECT a.position, a.hash, a.log_sequence,"
    " (extract(epoch FROM m.at) * 1000000)::bigint, m.detail"
    " FROM audit_anchors a JOIN message_log m ON m.sequence = a.log_sequence";

// The signed entry's detail is the truth; the index row only finds it.
AuditAnchor FromRow(const pqxx::row& r) {
  AuditAnchor a{r[0].as<int64_t>(), r[1].as<std::string>(), r[2].as<int64_t>(),
                absl::FromUnixMicros(r[3].as<int64_t>())};
  auto detail = nlohmann::json::parse(r[4].as<std::string>(), nullptr, /*allow_exceptions=*/false);
  if (detail.is_object() && detail.value("position", int64_t{0}) > 0) {
    a.position = detail.value("position", int64_t{0});
    a.hash = detail.value("hash", std::string());
  }
  return a;
}

}  // namespace

std::optional<AuditAnchor> AnchorStore::Find(pqxx::transaction_base& tx, const std::string& chain,
                                             int64_t position) {
  auto r = tx.exec_params(std::string(kSelect) + " WHERE a.chain = $1 AND a.position = $2", chain,
                          position);
  if (r.empty()) return std::nullopt;
  return FromRow(r[0]);
}

void AnchorStore::Insert(pqxx::work& tx, const std::string& chain, int64_t position,
                         const std::string& hash, int64_t log_sequence) {
  tx.exec_params(
      "INSERT INTO audit_anchors (chain, position, hash, log_sequence) VALUES ($1, $2, $3, $4)",
      chain, position, hash, log_sequence);
}

std::vector<AuditAnchor> AnchorStore::List(pqxx::transaction_base& tx, const std::string& chain,
                                           int64_t after_position, int limit) {
  std::vector<AuditAnchor> out;
  for (const auto& r :
       tx.exec_params(std::string(kSelect) + " WHERE a.chain = $1 AND a.position > $2"
                                             " ORDER BY a.position LIMIT $3",
                      chain, after_position, limit)) {
    out.push_back(FromRow(r));
  }
  return out;
}

}  // namespace localgov::liaison

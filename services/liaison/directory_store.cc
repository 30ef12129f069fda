#include "services/liaison/directory_store.h"

#include "absl/strings/str_cat.h"

namespace localgov::liaison {
namespace {

constexpr const char* kColumns =
    "code, name, kind, administrative_unit_code, status,"
    " (EXTRACT(EPOCH FROM created_at) * 1000000)::bigint, version, COALESCE(successor_code, ''),"
    " COALESCE(status_effective::text, ''), receiver_endpoint";

Agency FromRow(const pqxx::row& r) {
  Agency a;
  a.code = r[0].as<std::string>();
  a.name = r[1].as<std::string>();
  a.kind = r[2].as<int>();
  a.administrative_unit_code = r[3].as<std::string>();
  a.status = r[4].as<int>();
  a.created_at = absl::FromUnixMicros(r[5].as<int64_t>());
  a.version = r[6].as<int64_t>();
  a.successor_code = r[7].as<std::string>();
  a.status_effective = r[8].as<std::string>();
  a.receiver_endpoint = r[9].as<std::string>();
  return a;
}

}  // namespace

absl::StatusOr<Agency> DirectoryStore::InsertAgency(pqxx::work& tx, const Agency& a) {
  auto rows = tx.exec_params(
      absl::StrCat("INSERT INTO agencies (code, name, kind, administrative_unit_code, status,"
                   " created_at) VALUES ($1, $2, $3, $4, $5, timestamptz 'epoch' + $6::bigint * "
                   "interval '1 microsecond')"
                   " ON CONFLICT (code) DO NOTHING RETURNING ",
                   kColumns),
      a.code, a.name, a.kind, a.administrative_unit_code, a.status,
      absl::ToUnixMicros(a.created_at));
  if (rows.empty()) {
    return absl::AlreadyExistsError(absl::StrCat("agency ", a.code, " is already registered"));
  }
  return FromRow(rows[0]);
}

void DirectoryStore::MarkMerged(pqxx::work& tx, const std::string& code,
                                const std::string& successor, const std::string& effective) {
  tx.exec_params(
      "UPDATE agencies SET status = 2, successor_code = $2, status_effective = $3::date,"
      " version = version + 1 WHERE code = $1",
      code, successor, effective);
}

void DirectoryStore::SetEndpoint(pqxx::work& tx, const std::string& code,
                                 const std::string& endpoint) {
  tx.exec_params(
      "UPDATE agencies SET receiver_endpoint = $2, version = version + 1 WHERE code = $1", code,
      endpoint);
}

bool DirectoryStore::InsertKey(pqxx::work& tx, const AgencyKey& k) {
  auto r = tx.exec_params(
      "INSERT INTO agency_keys (key_id, agency, public_key, valid_from, valid_until)"
      " VALUES ($1, $2, $3, timestamptz 'epoch' + $4::bigint * interval '1 microsecond',"
      " CASE WHEN $5::bigint = 0 THEN NULL"
      " ELSE timestamptz 'epoch' + $5::bigint * interval '1 microsecond' END)"
      " ON CONFLICT (agency, key_id) DO NOTHING RETURNING key_id",
      k.key_id, k.agency, pqxx::binarystring(k.public_key), absl::ToUnixMicros(k.valid_from),
      k.valid_until == absl::InfiniteFuture() ? int64_t{0} : absl::ToUnixMicros(k.valid_until));
  return !r.empty();
}

std::optional<std::string> DirectoryStore::KeyValidAt(pqxx::transaction_base& tx,
                                                      const std::string& key_id,
                                                      const std::string& agency, absl::Time at) {
  auto r = tx.exec_params(
      "SELECT public_key FROM agency_keys WHERE key_id = $1 AND agency = $2"
      " AND valid_from <= timestamptz 'epoch' + $3::bigint * interval '1 microsecond'"
      " AND (valid_until IS NULL OR"
      " valid_until > timestamptz 'epoch' + $3::bigint * interval '1 microsecond')",
      key_id, agency, absl::ToUnixMicros(at));
  if (r.empty()) return std::nullopt;
  pqxx::binarystring bytes(r[0][0]);
  return bytes.str();
}

void DirectoryStore::Grant(pqxx::work& tx, const std::string& sender, int type,
                           const std::string& receiver) {
  tx.exec_params(
      "INSERT INTO access_rights (sender, type, receiver) VALUES ($1, $2, $3)"
      " ON CONFLICT DO NOTHING",
      sender, type, receiver);
}

bool DirectoryStore::Allowed(pqxx::transaction_base& tx, const std::string& sender, int type,
                             const std::string& receiver) {
  return !tx.exec_params(
                "SELECT 1 FROM access_rights WHERE sender = $1 AND type = $2 AND receiver = $3",
                sender, type, receiver)
              .empty();
}

std::optional<Agency> DirectoryStore::FindAgency(pqxx::transaction_base& tx,
                                                 const std::string& code) {
  auto rows =
      tx.exec_params(absl::StrCat("SELECT ", kColumns, " FROM agencies WHERE code = $1"), code);
  if (rows.empty()) return std::nullopt;
  return FromRow(rows[0]);
}

}  // namespace localgov::liaison

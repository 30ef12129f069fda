#include "services/liaison/directory_store.h"

#include "absl/strings/str_cat.h"

namespace localgov::liaison {
namespace {

constexpr const char* kColumns =
    "code, name, kind, administrative_unit_code, status,"
    " (EXTRACT(EPOCH FROM created_at) * 1000000)::bigint, version";

Agency FromRow(const pqxx::row& r) {
  Agency a;
  a.code = r[0].as<std::string>();
  a.name = r[1].as<std::string>();
  a.kind = r[2].as<int>();
  a.administrative_unit_code = r[3].as<std::string>();
  a.status = r[4].as<int>();
  a.created_at = absl::FromUnixMicros(r[5].as<int64_t>());
  a.version = r[6].as<int64_t>();
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

std::optional<Agency> DirectoryStore::FindAgency(pqxx::transaction_base& tx,
                                                 const std::string& code) {
  auto rows =
      tx.exec_params(absl::StrCat("SELECT ", kColumns, " FROM agencies WHERE code = $1"), code);
  if (rows.empty()) return std::nullopt;
  return FromRow(rows[0]);
}

}  // namespace localgov::liaison

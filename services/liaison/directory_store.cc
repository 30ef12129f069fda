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

bool DirectoryStore::Grant(pqxx::work& tx, const std::string& sender, int type,
                           const std::string& receiver) {
  return !tx.exec_params(
                "INSERT INTO access_rights (sender, type, receiver) VALUES ($1, $2, $3)"
                " ON CONFLICT DO NOTHING RETURNING sender",
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

namespace localgov::liaison {
namespace {

constexpr const char* kUnitColumns =
    "code, name, level, COALESCE(parent_code, ''), valid_from::text,"
    " COALESCE(valid_until::text, '')";

AdministrativeUnit UnitFromRow(const pqxx::row& r) {
  AdministrativeUnit u;
  u.code = r[0].as<std::string>();
  u.name = r[1].as<std::string>();
  u.level = r[2].as<int>();
  u.parent_code = r[3].as<std::string>();
  u.valid_from = r[4].as<std::string>();
  u.valid_until = r[5].as<std::string>();
  return u;
}

constexpr const char* kLinkColumns = "predecessor_code, successor_code, kind, effective_date::text";

UnitSuccession LinkFromRow(const pqxx::row& r) {
  return {r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<int>(), r[3].as<std::string>()};
}

}  // namespace

std::vector<Agency> DirectoryStore::ListAgencies(pqxx::transaction_base& tx,
                                                 const AgencyFilter& f) {
  auto rows = tx.exec_params(
      absl::StrCat("SELECT ", kColumns,
                   " FROM agencies WHERE code > $1"
                   " AND ($2 = 0 OR kind = $2) AND ($3 = '' OR administrative_unit_code = $3)"
                   " AND ($4 = 0 OR status = $4) ORDER BY code LIMIT $5"),
      f.after_code, f.kind, f.unit, f.status, f.limit);
  std::vector<Agency> out;
  for (const auto& r : rows) out.push_back(FromRow(r));
  return out;
}

bool DirectoryStore::InsertUnit(pqxx::work& tx, const AdministrativeUnit& u, absl::Time now) {
  auto r = tx.exec_params(
      "INSERT INTO administrative_units (code, name, level, parent_code, valid_from, valid_until,"
      " created_at) VALUES ($1, $2, $3, NULLIF($4, ''), $5::date, NULLIF($6, '')::date,"
      " timestamptz 'epoch' + $7::bigint * interval '1 microsecond')"
      " ON CONFLICT (code) DO NOTHING RETURNING code",
      u.code, u.name, u.level, u.parent_code, u.valid_from, u.valid_until, absl::ToUnixMicros(now));
  return !r.empty();
}

std::optional<AdministrativeUnit> DirectoryStore::FindUnit(pqxx::transaction_base& tx,
                                                           const std::string& code) {
  auto rows = tx.exec_params(
      absl::StrCat("SELECT ", kUnitColumns, " FROM administrative_units WHERE code = $1"), code);
  if (rows.empty()) return std::nullopt;
  return UnitFromRow(rows[0]);
}

std::vector<AdministrativeUnit> DirectoryStore::ListUnits(pqxx::transaction_base& tx,
                                                          const UnitFilter& f) {
  auto rows =
      tx.exec_params(absl::StrCat("SELECT ", kUnitColumns,
                                  " FROM administrative_units WHERE code > $1"
                                  " AND ($2 = '' OR parent_code = $2) AND ($3 = 0 OR level = $3)"
                                  " AND ($4 = '' OR (valid_from <= $4::date"
                                  " AND (valid_until IS NULL OR valid_until > $4::date)))"
                                  " ORDER BY code LIMIT $5"),
                     f.after_code, f.parent, f.level, f.on_date, f.limit);
  std::vector<AdministrativeUnit> out;
  for (const auto& r : rows) out.push_back(UnitFromRow(r));
  return out;
}

void DirectoryStore::EndUnit(pqxx::work& tx, const std::string& code, const std::string& day) {
  tx.exec_params("UPDATE administrative_units SET valid_until = $2::date WHERE code = $1", code,
                 day);
}

void DirectoryStore::InsertSuccession(pqxx::work& tx, const UnitSuccession& l) {
  tx.exec_params(
      "INSERT INTO unit_successions (predecessor_code, successor_code, kind, effective_date)"
      " VALUES ($1, $2, $3, $4::date)",
      l.predecessor, l.successor, l.kind, l.effective);
}

std::vector<UnitSuccession> DirectoryStore::Successions(pqxx::transaction_base& tx,
                                                        const std::string& code,
                                                        bool as_successor) {
  auto rows = tx.exec_params(absl::StrCat("SELECT ", kLinkColumns, " FROM unit_successions WHERE ",
                                          as_successor ? "successor_code" : "predecessor_code",
                                          " = $1 ORDER BY predecessor_code, successor_code"),
                             code);
  std::vector<UnitSuccession> out;
  for (const auto& r : rows) out.push_back(LinkFromRow(r));
  return out;
}

int64_t DirectoryStore::BumpVersion(pqxx::work& tx) {
  return tx
      .exec(
          "UPDATE directory_state SET version = version + 1, changed_at = now()"
          " RETURNING version")[0][0]
      .as<int64_t>();
}

int64_t DirectoryStore::Version(pqxx::transaction_base& tx) {
  return tx.exec("SELECT version FROM directory_state")[0][0].as<int64_t>();
}

DirectoryStore::Everything DirectoryStore::LoadEverything(pqxx::transaction_base& tx) {
  Everything e;
  e.version = Version(tx);
  for (const auto& r :
       tx.exec(absl::StrCat("SELECT ", kUnitColumns, " FROM administrative_units ORDER BY code"))) {
    e.units.push_back(UnitFromRow(r));
  }
  for (const auto& r :
       tx.exec(absl::StrCat("SELECT ", kLinkColumns, " FROM unit_successions ORDER BY 1, 2"))) {
    e.successions.push_back(LinkFromRow(r));
  }
  for (const auto& r : tx.exec(absl::StrCat("SELECT ", kColumns, " FROM agencies ORDER BY code"))) {
    e.agencies.push_back(FromRow(r));
  }
  for (const auto& r : tx.exec(
           "SELECT key_id, agency, public_key, (EXTRACT(EPOCH FROM valid_from) * 1000000)::bigint,"
           " (EXTRACT(EPOCH FROM valid_until) * 1000000)::bigint FROM agency_keys"
           " ORDER BY agency, key_id")) {
    AgencyKey k;
    k.key_id = r[0].as<std::string>();
    k.agency = r[1].as<std::string>();
    k.public_key = pqxx::binarystring(r[2]).str();
    k.valid_from = absl::FromUnixMicros(r[3].as<int64_t>());
    if (!r[4].is_null()) k.valid_until = absl::FromUnixMicros(r[4].as<int64_t>());
    e.keys.push_back(std::move(k));
  }
  for (const auto& r : tx.exec(
           "SELECT sender, type, receiver FROM access_rights ORDER BY sender, type, receiver")) {
    e.rights.push_back({r[0].as<std::string>(), r[1].as<int>(), r[2].as<std::string>()});
  }
  return e;
}

}  // namespace localgov::liaison

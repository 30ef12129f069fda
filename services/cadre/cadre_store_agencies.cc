// CadreStore: the agencies — the liaison directory's agencies projected into cadre_agencies,
// and who supervises whom.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/cadre/cadre_store.h"

namespace localgov::cadre {
namespace {

std::vector<std::string> SplitCodes(const std::string& joined) {
  if (joined.empty()) return {};
  return absl::StrSplit(joined, '\x1f');
}

std::string Micros(absl::Time t) { return absl::StrCat(absl::ToUnixMicros(t)); }

}  // namespace

AgencyGraph CadreStore::LoadAgencyGraph(pqxx::transaction_base& tx) {
  AgencyGraph g;
  for (const auto& r : ExecPrepared(tx, "cadre_agency_graph",
                                    "SELECT code, array_to_string(supervisor_codes, chr(31)),"
                                    " COALESCE(successor_code, ''), COALESCE(merged_on::text, '')"
                                    " FROM cadre_agencies")) {
    AgencyLink link;
    link.supervisors = SplitCodes(r[1].as<std::string>());
    link.successor = r[2].as<std::string>();
    link.merged_on = ParseDay(r[3].as<std::string>());
    g.emplace(r[0].as<std::string>(), std::move(link));
  }
  return g;
}

std::optional<CadreStore::AgencyRow> CadreStore::FindAgency(pqxx::transaction_base& tx,
                                                            const std::string& code) {
  const auto r = ExecPrepared(
      tx, "cadre_find_agency",
      "SELECT code, name, array_to_string(supervisor_codes, chr(31)), COALESCE(successor_code,"
      " ''), COALESCE(merged_on::text, ''), from_directory, supervision_registered"
      " FROM cadre_agencies WHERE code = $1",
      code);
  if (r.empty()) return std::nullopt;
  AgencyRow row;
  row.agency.set_code(r[0][0].as<std::string>());
  row.agency.set_name(r[0][1].as<std::string>());
  for (auto& s : SplitCodes(r[0][2].as<std::string>())) row.agency.add_supervisor_codes(s);
  row.agency.set_successor_code(r[0][3].as<std::string>());
  row.agency.set_merged_on(r[0][4].as<std::string>());
  row.from_directory = r[0][5].as<bool>();
  row.supervision_registered = r[0][6].as<bool>();
  return row;
}

void CadreStore::InsertAgency(pqxx::work& tx, const v1::Agency& a, absl::Time now) {
  std::vector<std::string> sup(a.supervisor_codes().begin(), a.supervisor_codes().end());
  tx.exec_params(
      "INSERT INTO cadre_agencies (code, name, supervisor_codes, successor_code, merged_on,"
      " created_at) VALUES ($1, $2, $3::text[], NULLIF($4, ''), NULLIF($5, '')::date,"
      " timestamptz 'epoch' + $6::bigint * interval '1 microsecond')",
      a.code(), a.name(), TextArray(sup), a.successor_code(), a.merged_on(), Micros(now));
}

void CadreStore::RegisterSupervision(pqxx::work& tx, const std::string& code,
                                     const std::vector<std::string>& supervisors) {
  tx.exec_params(
      "UPDATE cadre_agencies SET supervisor_codes = $2::text[], supervision_registered = true"
      " WHERE code = $1",
      code, TextArray(supervisors));
}

int64_t CadreStore::ProjectedDirectoryVersion(pqxx::transaction_base& tx) {
  const auto r = tx.exec("SELECT version FROM cadre_directory");
  return r.empty() ? 0 : r[0][0].as<int64_t>();
}

int CadreStore::ProjectDirectory(pqxx::work& tx, const std::vector<DirectoryAgency>& agencies,
                                 int64_t version, absl::Time now) {
  // One projection at a time, and never an older snapshot over a newer one.
  tx.exec("LOCK TABLE cadre_directory IN EXCLUSIVE MODE");
  if (ProjectedDirectoryVersion(tx) >= version) return 0;
  int changed = 0;
  // Every agency first (names), then the successor links, which need both ends present.
  for (const auto& a : agencies) {
    changed += tx.exec_params(
                     "INSERT INTO cadre_agencies (code, name, from_directory,"
                     " supervision_registered) VALUES ($1, $2, true, false)"
                     " ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name,"
                     " from_directory = true WHERE cadre_agencies.name IS DISTINCT FROM"
                     " EXCLUDED.name OR NOT cadre_agencies.from_directory",
                     a.code, a.name)
                   .affected_rows();
  }
  for (const auto& a : agencies) {
    changed += tx.exec_params(
                     "UPDATE cadre_agencies SET successor_code = NULLIF($2, ''),"
                     " merged_on = NULLIF($3, '')::date WHERE code = $1 AND"
                     " (successor_code IS DISTINCT FROM NULLIF($2, '') OR"
                     " merged_on IS DISTINCT FROM NULLIF($3, '')::date)",
                     a.code, a.successor, a.merged_on)
                   .affected_rows();
  }
  tx.exec_params(
      "INSERT INTO cadre_directory (id, version, projected_at) VALUES (true, $1,"
      " timestamptz 'epoch' + $2::bigint * interval '1 microsecond') ON CONFLICT (id) DO UPDATE"
      " SET version = EXCLUDED.version, projected_at = EXCLUDED.projected_at",
      version, Micros(now));
  return changed;
}

}  // namespace localgov::cadre

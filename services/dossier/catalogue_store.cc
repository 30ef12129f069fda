#include "services/dossier/catalogue_store.h"

#include "absl/strings/str_cat.h"
#include "common/text.h"

namespace localgov::dossier {
namespace {

v1::Procedure FromRow(const pqxx::row& r) {
  v1::Procedure p;
  p.ParseFromString(pqxx::binarystring(r[0]).str());
  return p;
}

// LIKE pattern for a folded word: the word contains only [a-z0-9], so nothing to escape.
std::string Contains(const std::string& word) { return absl::StrCat("%", word, "%"); }

}  // namespace

void CatalogueStore::InsertVersion(pqxx::work& tx, const v1::Procedure& p, absl::Time now) {
  tx.exec_params("UPDATE procedures SET is_latest = false WHERE code = $1 AND is_latest", p.code());
  tx.exec_params(
      "INSERT INTO procedures (code, version, effective_from, is_latest, search_name, search_field,"
      " level, definition, created_at)"
      " VALUES ($1, $2, $3::date, true, $4, $5, $6, $7,"
      " timestamptz 'epoch' + $8::bigint * interval '1 microsecond')",
      p.code(), p.version(), p.effective_from(), FoldVietnamese(p.name()),
      FoldVietnamese(p.field()), static_cast<int>(p.level()),
      pqxx::binarystring(p.SerializeAsString()), absl::ToUnixMicros(now));
}

bool CatalogueStore::Exists(pqxx::transaction_base& tx, const std::string& code) {
  return !tx.exec_params("SELECT 1 FROM procedures WHERE code = $1 LIMIT 1", code).empty();
}

SqlQuery CatalogueStore::ListLatestQuery(const ProcedureFilter& f) {
  // Built from fixed fragments; every value is a parameter.
  SqlQuery q;
  q.sql = "SELECT definition FROM procedures WHERE is_latest AND code > $1";
  q.params = {f.after_code};
  for (const auto& w : f.folded_words) {
    q.params.push_back(Contains(w));
    absl::StrAppend(&q.sql, " AND search_name LIKE $", q.params.size());
  }
  if (!f.folded_field.empty()) {
    q.params.push_back(f.folded_field);
    absl::StrAppend(&q.sql, " AND search_field = $", q.params.size());
  }
  if (f.level != 0) {
    q.params.push_back(std::to_string(f.level));
    absl::StrAppend(&q.sql, " AND level = $", q.params.size(), "::smallint");
  }
  q.params.push_back(std::to_string(f.limit));
  absl::StrAppend(&q.sql, " ORDER BY code LIMIT $", q.params.size(), "::int");
  return q;
}

std::vector<v1::Procedure> CatalogueStore::ListLatest(pqxx::transaction_base& tx,
                                                      const ProcedureFilter& f) {
  const SqlQuery q = ListLatestQuery(f);
  std::vector<v1::Procedure> out;
  for (const auto& r : tx.exec_params(q.sql, pqxx::prepare::make_dynamic_params(q.params))) {
    out.push_back(FromRow(r));
  }
  return out;
}

std::optional<v1::Procedure> CatalogueStore::Version(pqxx::transaction_base& tx,
                                                     const std::string& code, int version) {
  auto rows = tx.exec_params("SELECT definition FROM procedures WHERE code = $1 AND version = $2",
                             code, version);
  if (rows.empty()) return std::nullopt;
  return FromRow(rows[0]);
}

std::optional<v1::Procedure> CatalogueStore::Latest(pqxx::transaction_base& tx,
                                                    const std::string& code) {
  auto rows =
      tx.exec_params("SELECT definition FROM procedures WHERE code = $1 AND is_latest", code);
  if (rows.empty()) return std::nullopt;
  return FromRow(rows[0]);
}

std::optional<v1::Procedure> CatalogueStore::InForceOn(pqxx::transaction_base& tx,
                                                       const std::string& code,
                                                       absl::CivilDay day) {
  auto rows = ExecPrepared(
      tx, "procedure_in_force_on",
      "SELECT definition FROM procedures WHERE code = $1 AND effective_from <= $2::date"
      " ORDER BY effective_from DESC, version DESC LIMIT 1",
      code, absl::FormatCivilTime(day));
  if (rows.empty()) return std::nullopt;
  return FromRow(rows[0]);
}

}  // namespace localgov::dossier

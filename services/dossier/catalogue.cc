#include "services/dossier/catalogue.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/db/transaction.h"
#include "common/logging.h"
#include "common/page_token.h"
#include "common/status.h"
#include "common/text.h"
#include "services/dossier/catalogue_store.h"

namespace localgov::dossier {
namespace {

constexpr absl::string_view kTokenPrefix = "proc1:";

std::string EncodeToken(const std::string& last_code) {
  return absl::WebSafeBase64Escape(absl::StrCat(kTokenPrefix, last_code));
}

bool DecodeToken(const std::string& token, std::string* last_code) {
  auto body = DecodePageToken(token, std::string_view(kTokenPrefix.data(), kTokenPrefix.size()));
  if (!body.has_value()) return false;
  *last_code = *std::move(body);
  return true;
}

}  // namespace

absl::Status Catalogue::SeedMissing(const std::vector<v1::Procedure>& procedures) {
  int inserted = 0;
  auto st = RunInTransaction(db_, "seed_catalogue", [&](pqxx::work& tx) -> absl::Status {
    inserted = 0;
    for (const auto& p : procedures) {
      if (CatalogueStore::Exists(tx, p.code())) continue;
      CatalogueStore::InsertVersion(tx, p, clock_.Now());
      ++inserted;
    }
    return absl::OkStatus();
  });
  if (st.ok() && inserted > 0) spdlog::info("seeded {} procedures", inserted);
  return st;
}

absl::StatusOr<ProcedurePage> Catalogue::List(const std::string& query, const std::string& field,
                                              int level, int page_size,
                                              const std::string& page_token) {
  Validator v;
  v.Check(page_size >= 0 && page_size <= kMaxPageSize, "page_size",
          absl::StrCat("must be 0..", kMaxPageSize, " (0: ", kDefaultPageSize, ")"));
  ProcedureFilter f;
  if (!page_token.empty() && !DecodeToken(page_token, &f.after_code)) {
    v.Add("page_token", "not a token this service issued");
  }
  v.Check(query.size() <= 200, "query", "at most 200 bytes");
  v.Check(level >= 0 && level <= 3, "level", "one of the ProcedureLevel values");
  if (!v.ok()) return v.status();
  f.folded_words = FoldedWords(query);
  f.folded_field = FoldVietnamese(field);
  f.level = level;
  const int size = page_size == 0 ? kDefaultPageSize : page_size;
  f.limit = size + 1;  // one more tells whether there is a next page
  ProcedurePage page;
  auto st = RunInTransaction(
      db_, "list_procedures",
      [&](pqxx::work& tx) -> absl::Status {
        page.procedures = CatalogueStore::ListLatest(tx, f);
        return absl::OkStatus();
      },
      TxOptions{.read_only = true});
  if (!st.ok()) return st;
  if (static_cast<int>(page.procedures.size()) > size) {
    page.procedures.resize(size);
    page.next_page_token = EncodeToken(page.procedures.back().code());
  }
  return page;
}

absl::StatusOr<v1::Procedure> Catalogue::Get(const std::string& code, const std::string& as_of) {
  Validator v;
  v.Check(!code.empty() && code.size() <= 64, "code", "required, at most 64 characters");
  absl::CivilDay day;
  if (!as_of.empty()) {
    v.Check(as_of.size() == 10 && absl::ParseCivilTime(as_of, &day), "as_of",
            "must be a date YYYY-MM-DD");
  }
  if (!v.ok()) return v.status();
  std::optional<v1::Procedure> found;
  // One statement, no explicit transaction: one round trip (every intake reads its procedure).
  auto st = RunSingleStatement(db_, "get_procedure", [&](pqxx::transaction_base& tx) {
    found =
        as_of.empty() ? CatalogueStore::Latest(tx, code) : CatalogueStore::InForceOn(tx, code, day);
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  if (!found.has_value()) {
    return absl::NotFoundError(as_of.empty()
                                   ? absl::StrCat("procedure ", code, " not found")
                                   : absl::StrCat("procedure ", code, " not in force on ", as_of));
  }
  return *found;
}

}  // namespace localgov::dossier

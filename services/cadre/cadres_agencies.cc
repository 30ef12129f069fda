// Cadres: agencies — the liaison directory's agencies projected into the register, and
// RegisterAgency (who supervises whom).
#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "common/db/transaction.h"
#include "common/idempotency.h"
#include "services/cadre/cadres.h"
#include "services/cadre/cadres_internal.h"

namespace localgov::cadre {

using internal::Audit;
using internal::IsCode;

void Cadres::SetDirectory(Directory directory) { directory_ = std::move(directory); }

absl::StatusOr<int> Cadres::SyncDirectory() {
  if (!directory_.current) return 0;
  const auto view = directory_.current();
  if (view == nullptr) return absl::UnavailableError("no directory snapshot yet");
  if (view->version() <= projected_version_.load()) return 0;
  std::vector<CadreStore::DirectoryAgency> agencies;
  for (const auto& a : view->content().agencies()) {
    agencies.push_back({a.code(), a.name(), a.successor_code(), a.status_effective_date()});
  }
  int changed = 0;
  auto st = RunInTransaction(db_, "cadre_project_directory", [&](pqxx::work& tx) -> absl::Status {
    changed = CadreStore::ProjectDirectory(tx, agencies, view->version(), clock_.Now());
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  projected_version_.store(view->version());
  if (changed > 0) {
    std::lock_guard<std::mutex> lock(graph_mu_);
    graph_ = nullptr;  // names, mergers: read again
  }
  return changed;
}

void Cadres::Know(const std::string& code) {
  if (!directory_.current) return;
  auto view = directory_.current();
  if ((view == nullptr || view->FindAgency(code) == nullptr) && directory_.refresh) {
    // An agency just created at the liaison: one refresh rather than waiting for the next.
    (void)directory_.refresh();
  }
  (void)SyncDirectory();  // a failure shows as the agency not being known
}

absl::Status Cadres::AgencyKnown(pqxx::transaction_base& tx, const std::string& code) const {
  const auto row = CadreStore::FindAgency(tx, code);
  if (directory_.current) {
    if (!row.has_value() || !row->from_directory) {
      return absl::NotFoundError(absl::StrCat("agency ", code, " is not in the liaison directory"));
    }
  } else if (!row.has_value()) {
    return absl::NotFoundError(absl::StrCat("agency ", code, " is not registered"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Agency> Cadres::RegisterAgency(const CallContext& call,
                                                  const v1::RegisterAgencyRequest& request) {
  // With the liaison directory (the normal case) the agency, its name and its mergers are the
  // directory's: the request registers who supervises it. Alone, the service keeps its own.
  const bool directory = static_cast<bool>(directory_.current);
  if (directory) Know(request.agency().code());
  const auto view = directory ? directory_.current() : nullptr;
  const liaison::v1::Agency* listed =
      view != nullptr ? view->FindAgency(request.agency().code()) : nullptr;
  Validator v;
  ValidateRequestId(v, "request_id", request.request_id());
  const v1::Agency& a = request.agency();
  v.Check(IsCode(a.code()), "agency.code", "required, at most 64 characters");
  if (!directory) v.Check(!a.name().empty(), "agency.name", "required");
  for (int i = 0; i < a.supervisor_codes_size(); ++i) {
    v.Check(a.supervisor_codes(i) != a.code() && IsCode(a.supervisor_codes(i)),
            absl::StrCat("agency.supervisor_codes[", i, "]"), "must be another agency's code");
  }
  v.Check(a.successor_code() != a.code() || a.code().empty(), "agency.successor_code",
          "must be another agency");
  if (!a.merged_on().empty()) {
    v.Check(ParseDay(a.merged_on()).has_value(), "agency.merged_on", "must be a day YYYY-MM-DD");
  }
  v.Check(a.successor_code().empty() == a.merged_on().empty(), "agency.merged_on",
          "required with successor_code, and only with it");
  if (listed != nullptr) {
    // Given, they must say what the directory says (a typo would otherwise pass unnoticed).
    v.Check(a.name().empty() || a.name() == listed->name(), "agency.name",
            "comes from the liaison directory; leave it empty or give the directory's name");
    v.Check(a.successor_code().empty() || a.successor_code() == listed->successor_code(),
            "agency.successor_code", "mergers come from the liaison directory (MergeAgency)");
    v.Check(a.merged_on().empty() || a.merged_on() == listed->status_effective_date(),
            "agency.merged_on", "mergers come from the liaison directory (MergeAgency)");
  }
  if (!v.ok()) return v.status();
  const std::string digest = Sha256Hex(request.SerializeAsString());
  v1::Agency result;
  auto st = RunInTransaction(db_, "cadre_register_agency", [&](pqxx::work& tx) -> absl::Status {
    auto replay = internal::ReplayCreate(
        tx, call, request.request_id(), digest, "agency",
        [&](const std::string& key) { return CadreStore::FindAgency(tx, key); });
    if (!replay.ok()) return replay.status();
    if (replay->has_value()) {
      result = (*replay)->agency;
      return absl::OkStatus();
    }
    const auto row = CadreStore::FindAgency(tx, a.code());
    if (directory) {
      if (auto st = AgencyKnown(tx, a.code()); !st.ok()) return st;
      if (row->supervision_registered) {
        return absl::AlreadyExistsError(absl::StrCat("agency ", a.code(), " is registered"));
      }
    } else if (row.has_value()) {
      return absl::AlreadyExistsError(absl::StrCat("agency ", a.code(), " is registered"));
    }
    for (const auto& s : a.supervisor_codes()) {
      if (auto st = AgencyKnown(tx, s); !st.ok()) {
        return absl::NotFoundError(absl::StrCat("supervising ", st.message()));
      }
    }
    if (directory) {
      std::vector<std::string> sup(a.supervisor_codes().begin(), a.supervisor_codes().end());
      CadreStore::RegisterSupervision(tx, a.code(), sup);
      result = row->agency;
      *result.mutable_supervisor_codes() = a.supervisor_codes();
    } else {
      if (!a.successor_code().empty() && !CadreStore::FindAgency(tx, a.successor_code())) {
        return absl::NotFoundError(
            absl::StrCat("successor agency ", a.successor_code(), " is not registered"));
      }
      CadreStore::InsertAgency(tx, a, clock_.Now());
      result = a;
    }
    {
      std::lock_guard<std::mutex> lock(graph_mu_);
      graph_ = nullptr;
    }
    StoreIdempotentResponse(tx, call.access.subject, call.method, request.request_id(), a.code());
    return AppendAudit(tx, Audit(call, "RegisterAgency", "agency", a.code(), digest), clock_.Now());
  });
  if (!st.ok()) return st;
  return result;
}

}  // namespace localgov::cadre

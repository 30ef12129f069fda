// Dossiers: reads. GetDossier and ListDossiers (each caller sees what their role allows), the
// change feed behind WatchDossiers, and the count of late dossiers with no apology (the alert).
#include "services/dossier/dossiers.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/agency_code.h"
#include "common/db/transaction.h"
#include "common/page_token.h"
#include "services/dossier/dossier_store.h"
#include "services/dossier/dossiers_internal.h"
#include "services/dossier/intake.h"

namespace localgov::dossier {

absl::StatusOr<Dossiers::Page> Dossiers::List(const CallContext& call,
                                              const v1::ListDossiersRequest& r) {
  constexpr int kDefaultPageSize = 20;
  constexpr int kMaxPageSize = 100;
  constexpr absl::string_view kTokenPrefix = "dos1:";
  Validator v;
  v.Check(r.page_size() >= 0 && r.page_size() <= kMaxPageSize, "page_size", "must be 0..100");
  DossierFilter f;
  if (!r.page_token().empty()) {
    const auto body =
        DecodePageToken(r.page_token(), std::string_view(kTokenPrefix.data(), kTokenPrefix.size()));
    if (body.has_value() && body->find('|') != std::string::npos) {
      f.after_due = body->substr(0, body->find('|'));
      f.after_code = body->substr(body->find('|') + 1);
    } else {
      v.Add("page_token", "not a token this service issued");
    }
  }
  absl::CivilDay day;
  if (!r.due_before().empty()) {
    v.Check(r.due_before().size() == 10 && absl::ParseCivilTime(r.due_before(), &day), "due_before",
            "must be a date YYYY-MM-DD");
  }
  for (int i = 0; i < r.states_size(); ++i) {
    v.Check(r.states(i) != v1::DOSSIER_STATE_UNSPECIFIED, absl::StrCat("states[", i, "]"),
            "not a state");
    f.states.push_back(r.states(i));
  }
  for (int i = 0; i < r.channels_size(); ++i) {
    v.Check(r.channels(i) != v1::CHANNEL_UNSPECIFIED, absl::StrCat("channels[", i, "]"),
            "not a channel");
    f.channels.push_back(r.channels(i));
  }
  if (!r.applicant_citizen_id().empty()) {
    v.Check(IsValidCitizenId(r.applicant_citizen_id()), "applicant_citizen_id",
            "must be a 12-digit citizen ID");
    f.applicant = r.applicant_citizen_id();
  }
  if (r.has_due_within_working_days()) {
    v.Check(r.due_within_working_days() >= 0 && r.due_within_working_days() <= 60,
            "due_within_working_days", "must be 0..60");
  }
  const auto& a = call.access;
  if (a.role == Role::kCitizen) {
    f.citizen_id = a.subject;
    f.applicant.clear();  // a citizen's list is their own already
  } else {
    f.agency = r.agency_code().empty() ? a.agency : r.agency_code();
    v.Check(IsValidAgencyCode(f.agency), "agency_code", "must be a national agency code");
  }
  if (!v.ok()) return v.status();
  if (IsStaff(a.role) && !SameAgency(f.agency, a.agency)) {
    return absl::PermissionDeniedError("officers list their own agency's dossiers only");
  }
  if (f.citizen_id.empty()) {
    auto answering = Resolve(f.agency);
    f.agency = answering.agency;
    f.merged.assign(answering.answers_for.begin() + 1, answering.answers_for.end());
  }
  f.procedure_code = r.procedure_code();
  f.due_before = r.due_before();
  f.late_only = r.late_only();
  f.late_without_apology_only = r.late_without_apology_only();
  f.transfer_overdue_only = r.transfer_overdue_only();
  const absl::CivilDay today = calendar::VietnamDay(clock_.Now());
  f.today = absl::FormatCivilTime(today);
  if (r.has_due_within_working_days()) {
    // Open dossiers due by the Nth working day from today (0: due today or overdue).
    absl::CivilDay limit = today;
    if (r.due_within_working_days() > 0) {
      auto cal = calendar_.Calendar();
      if (!cal.ok()) return cal.status();
      auto last = (*cal)->AddWorkingDays(today, r.due_within_working_days());
      if (!last.ok()) return last.status();
      limit = *last;
    }
    if (f.due_before.empty() || absl::FormatCivilTime(limit) < f.due_before) {
      f.due_before = absl::FormatCivilTime(limit);
    }
    f.open_only = true;
  }
  const int size = r.page_size() == 0 ? kDefaultPageSize : r.page_size();
  f.limit = size + 1;
  Page page;
  auto st = RunInTransaction(
      db_, "list_dossiers",
      [&](pqxx::work& tx) -> absl::Status {
        page.dossiers = DossierStore::List(tx, f);
        return absl::OkStatus();
      },
      TxOptions{.read_only = true});
  if (!st.ok()) return st;
  if (static_cast<int>(page.dossiers.size()) > size) {
    page.dossiers.resize(size);
    const auto& last = page.dossiers.back();
    page.next_page_token = absl::WebSafeBase64Escape(absl::StrCat(
        kTokenPrefix, last.due_date().empty() ? "9999-12-31" : last.due_date(), "|", last.code()));
  }
  for (auto& d : page.dossiers) {
    d.mutable_applicant()->set_citizen_id(MaskCitizenId(d.applicant().citizen_id()));
  }
  return page;
}

absl::StatusOr<v1::Dossier> Dossiers::Get(const CallContext& call, const std::string& code,
                                          std::vector<v1::DossierPetition>* petitions) {
  Validator v;
  v.Check(!code.empty() && code.size() <= 64, "code", "required, at most 64 characters");
  if (!v.ok()) return v.status();
  std::optional<v1::Dossier> found;
  const bool with_petitions = petitions != nullptr && call.access.role != Role::kCitizen;
  auto st = RunInTransaction(
      db_, "get_dossier",
      [&](pqxx::work& tx) -> absl::Status {
        found = DossierStore::Find(tx, code);
        if (found.has_value() && with_petitions) {
          *petitions = DossierStore::PetitionsAbout(tx, code);
        }
        return absl::OkStatus();
      },
      TxOptions{.read_only = true});
  if (!st.ok()) return st;
  const auto not_found = absl::NotFoundError(absl::StrCat("dossier ", code, " not found"));
  if (!found.has_value()) return not_found;
  const auto& a = call.access;
  bool allowed = false;
  switch (a.role) {
    case Role::kAdmin:
    case Role::kInspector:
    case Role::kAuditor:
    case Role::kSystem:
      allowed = true;
      break;
    case Role::kOfficer:
    case Role::kLeader:
      allowed = SameAgency(a.agency, found->receiving_agency_code());
      break;
    case Role::kCitizen:
      // The citizen's identity token names them by citizen ID (VNeID): their own dossiers only.
      allowed = a.subject == found->applicant().citizen_id();
      break;
  }
  if (!allowed) {
    if (petitions != nullptr) petitions->clear();
    return not_found;
  }
  return *found;
}

absl::StatusOr<ChangeFilter> Dossiers::WatchFilter(const CallContext& call,
                                                   const v1::WatchDossiersRequest& r) {
  Validator v;
  const bool by_agency = !r.agency_code().empty();
  const bool by_dossier = !r.dossier_code().empty();
  if (by_agency == by_dossier) {
    v.Add(by_agency ? "dossier_code" : "agency_code",
          "give exactly one of agency_code and dossier_code");
  }
  if (by_agency) {
    v.Check(IsValidAgencyCode(r.agency_code()), "agency_code", "must be a national agency code");
  }
  if (by_dossier) {
    v.Check(r.dossier_code().size() <= 64, "dossier_code", "at most 64 characters");
  }
  v.Check(r.after_sequence() >= 0, "after_sequence", "must be 0 or a sequence received");
  if (!v.ok()) return v.status();
  ChangeFilter f;
  f.after_sequence = r.after_sequence();
  const auto& a = call.access;
  if (by_dossier) {
    auto d = Get(call, r.dossier_code());  // NOT_FOUND for a dossier the caller may not see
    if (!d.ok()) return d.status();
    f.dossier_code = r.dossier_code();
    return f;
  }
  if (a.role == Role::kCitizen) {
    return absl::PermissionDeniedError("citizens watch their own dossiers, by dossier_code");
  }
  if (IsStaff(a.role) && !SameAgency(a.agency, r.agency_code())) {
    return absl::PermissionDeniedError("officers watch their own agency's dossiers only");
  }
  f.agency = r.agency_code();
  return f;
}

absl::StatusOr<std::vector<v1::WatchDossiersResponse>> Dossiers::Changes(const ChangeFilter& f) {
  // Resolved at every read, so a stream open across a merger carries the merged commune's
  // changes from then on.
  ChangeFilter read = f;
  if (read.dossier_code.empty()) read.agencies = Resolve(f.agency).answers_for;
  std::vector<v1::WatchDossiersResponse> out;
  auto st = RunInTransaction(
      db_, "dossier_changes",
      [&](pqxx::work& tx) -> absl::Status {
        out = DossierStore::Changes(tx, read);
        return absl::OkStatus();
      },
      TxOptions{.read_only = true});
  if (!st.ok()) return st;
  return out;
}

absl::StatusOr<std::vector<std::pair<std::string, int64_t>>>
Dossiers::LateWithoutApologyByAgency() {
  const std::string today = absl::FormatCivilTime(calendar::VietnamDay(clock_.Now()));
  std::vector<std::pair<std::string, int64_t>> out;
  auto st = RunInTransaction(
      db_, "late_without_apology",
      [&](pqxx::work& tx) -> absl::Status {
        out = DossierStore::LateWithoutApologyByAgency(tx, today);
        return absl::OkStatus();
      },
      TxOptions{.read_only = true, .max_attempts = 1});
  if (!st.ok()) return st;
  // A merged commune's late dossiers are its successor's to answer for.
  std::map<std::string, int64_t> by_answering;
  for (const auto& [agency, n] : out) by_answering[Resolve(agency).agency] += n;
  return std::vector<std::pair<std::string, int64_t>>(by_answering.begin(), by_answering.end());
}

absl::StatusOr<int64_t> Dossiers::LatestChange() {
  int64_t latest = 0;
  auto st = RunInTransaction(
      db_, "latest_dossier_change",
      [&](pqxx::work& tx) -> absl::Status {
        latest = DossierStore::LatestChange(tx);
        return absl::OkStatus();
      },
      TxOptions{.read_only = true, .max_attempts = 1});
  if (!st.ok()) return st;
  return latest;
}

}  // namespace localgov::dossier

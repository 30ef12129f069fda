// Receptions: the register read by period (ListVisits; a list never shows a sealed visitor, and
// shows another visitor by name and masked ID only, like ListPetitions), and a denunciation
// visit's sealed visitors read through the petitions' one reveal path (RevealVisitors).
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/agency_code.h"
#include "common/db/transaction.h"
#include "common/page_token.h"
#include "common/text.h"
#include "services/petition/reception_store.h"
#include "services/petition/receptions.h"

namespace localgov::petition {
namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;
constexpr int kMaxSpanDays = 366;
constexpr std::string_view kVisitsToken = "visits:";

void NameOnly(v1::Person& p) {
  const std::string masked = MaskCitizenId(p.citizen_id());
  const std::string name = p.full_name();
  p.Clear();
  p.set_full_name(name);
  if (!masked.empty()) p.set_citizen_id(masked);
}

// What the list shows of a visit's people.
void ForList(v1::ReceptionVisit& visit) {
  if (visit.identity_sealed()) {
    visit.clear_visitor();
    visit.mutable_delegation()->clear_representatives();
    return;
  }
  if (visit.has_visitor()) NameOnly(*visit.mutable_visitor());
  for (auto& rep : *visit.mutable_delegation()->mutable_representatives()) NameOnly(rep);
}

}  // namespace

absl::StatusOr<v1::ListVisitsResponse> Receptions::ListVisits(const CallContext& call,
                                                              const v1::ListVisitsRequest& r) {
  Validator v;
  const std::string agency = r.agency_code().empty() ? call.access.agency : r.agency_code();
  v.Check(IsValidAgencyCode(agency), "agency_code", "must be a national agency code");
  absl::CivilDay from, to;
  const bool from_ok = calendar::ParseDate(r.from_date(), &from);
  const bool to_ok = calendar::ParseDate(r.to_date(), &to);
  v.Check(from_ok, "from_date", "required: a date YYYY-MM-DD");
  v.Check(to_ok, "to_date", "required: a date YYYY-MM-DD");
  if (from_ok && to_ok) {
    v.Check(from <= to, "to_date", "must not be before from_date");
    v.Check(to - from < kMaxSpanDays, "to_date",
            absl::StrCat("at most ", kMaxSpanDays, " days from from_date"));
  }
  v.Check(r.page_size() >= 0 && r.page_size() <= kMaxPageSize, "page_size",
          absl::StrCat("must be 0..", kMaxPageSize));
  ReceptionStore::VisitFilter f;
  if (!r.page_token().empty()) {
    auto body = DecodePageToken(r.page_token(), kVisitsToken);
    std::vector<std::string> parts;
    if (body.has_value()) parts = absl::StrSplit(*body, '|');
    absl::CivilDay after;
    if (parts.size() != 2 || !calendar::ParseDate(parts[0], &after) || parts[1].empty()) {
      v.Add("page_token", "not a token of this list");
    } else {
      f.after_day = parts[0];
      f.after_number = parts[1];
    }
  }
  if (!v.ok()) return v.status();
  if (!ReadsFor(call, agency)) {
    return absl::PermissionDeniedError(
        "an agency's register is for its own staff, inspectors and auditors");
  }
  f.agency = agency;
  f.from_day = absl::FormatCivilTime(from);
  f.to_day = absl::FormatCivilTime(to);
  f.session_id = r.session_id();
  f.leader_id = r.leader_id();
  f.crowd_cases_only = r.crowd_cases_only();
  const int size = r.page_size() == 0 ? kDefaultPageSize : r.page_size();
  f.limit = size + 1;
  auto rows = ReadOnly(db_, "list_visits",
                       [&](pqxx::work& tx) { return ReceptionStore::ListVisits(tx, f); });
  if (!rows.ok()) return rows.status();
  v1::ListVisitsResponse out;
  for (int i = 0; i < static_cast<int>(rows->size()) && i < size; ++i) {
    auto* visit = out.add_visits();
    *visit = std::move((*rows)[i]);
    ForList(*visit);
  }
  if (static_cast<int>(rows->size()) > size) {
    const auto& last = out.visits(size - 1);
    out.set_next_page_token(
        EncodePageToken(kVisitsToken, absl::StrCat(last.date(), "|", last.register_number())));
  }
  return out;
}

absl::StatusOr<v1::RevealVisitorsResponse> Receptions::RevealVisitors(
    const CallContext& call, const v1::RevealVisitorsRequest& r) {
  v1::RevealVisitorsResponse out;
  out.mutable_reading()->set_register_number(r.register_number());
  auto st = petitions_.RevealSealed(
      call, "reception_visit", "register_number", r.register_number(), r.reason(),
      [&](pqxx::work& tx) -> std::optional<Petitions::SealedHolder> {
        auto found = ReceptionStore::FindVisit(tx, r.register_number());
        if (!found.has_value()) return std::nullopt;
        Petitions::SealedHolder h{found->agency_code(), found->identity_sealed(), {}};
        if (h.sealed) h.value = ReceptionStore::FindVisitIdentity(tx, r.register_number());
        return h;
      },
      [&](const std::string& plain) {
        // Sealed as a visit holding only its people (receptions_register.cc).
        v1::ReceptionVisit people;
        if (!people.ParseFromString(plain)) return false;
        // A visit seals both fields, one of them empty: the delegation only for a crowd case.
        if (people.delegation().size() > 0 || people.delegation().representatives_size() > 0) {
          *out.mutable_delegation() = people.delegation();
        } else {
          *out.mutable_visitor() = people.visitor();
        }
        return true;
      },
      *out.mutable_reading());
  if (!st.ok()) return st;
  return out;
}

}  // namespace localgov::petition

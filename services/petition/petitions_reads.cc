// Petitions: reads (GetPetition, ListPetitions, LookupPetition, WatchPetitions) and the
// overdue gauge's query. Clocks are recomputed for today on every read, so "overdue" is never
// stale; the stored next deadline is what lists sort and filter on.
#include <sodium.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/agency_code.h"
#include "common/db/transaction.h"
#include "common/page_token.h"
#include "common/text.h"
#include "services/petition/clocks.h"
#include "services/petition/matching_store.h"
#include "services/petition/petitions.h"

namespace localgov::petition {
namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;
constexpr std::string_view kListToken = "petitions:";
constexpr std::string_view kReadingsToken = "readings:";

// What a list shows of a petitioner: the masked ID only.
void ForList(v1::Petition& p) {
  if (!p.has_petitioner()) return;
  auto* who = p.mutable_petitioner();
  const std::string masked = MaskCitizenId(who->citizen_id());
  const std::string name = who->full_name();
  who->Clear();
  who->set_full_name(name);
  if (!masked.empty()) who->set_citizen_id(masked);
}

// The citizen's public view: where the petition stands and its clocks; no persons.
void ForPublic(v1::Petition& p) {
  p.clear_petitioner();
  p.clear_parties();
  p.clear_attachments();
  p.clear_dialogues();
  p.clear_verifications();
  p.clear_officer();
  for (auto& e : *p.mutable_events()) {
    e.clear_actor();
  }
}

}  // namespace

bool Petitions::MayRead(const CallContext& call, const PetitionStore::Found& f) const {
  const auto& a = call.access;
  switch (a.role) {
    case Role::kSystem:
      return true;
    case Role::kCitizen:
      return !f.citizen_id.empty() && f.citizen_id == a.subject;
    case Role::kOfficer:
    case Role::kLeader:
    case Role::kInspector:
    case Role::kAuditor:
      return SameAgency(a.agency, f.petition.agency_code());
    default:
      return false;
  }
}

absl::StatusOr<v1::Petition> Petitions::Get(const CallContext& call, const std::string& code,
                                            std::vector<v1::RelatedDossier>* related) {
  if (code.empty()) return InvalidArgumentWithViolations({{"code", "required"}});
  std::optional<PetitionStore::Found> found;
  const bool with_related = related != nullptr && call.access.role != Role::kCitizen;
  auto read_ = ReadOnly(db_, "get_petition", [&](pqxx::work& tx) {
    auto f = PetitionStore::Find(tx, code, true);
    if (f.has_value()) Annotate(tx, {&f->petition});
    // The dossiers related to it as reported up to now, by the keys kept at intake.
    if (f.has_value() && with_related) {
      MatchKeys keys;
      MatchingStore::KeysOf(tx, code, &keys);
      *related = RelatedDossiers(tx, f->petition, keys);
    }
    return f;
  });
  if (!read_.ok()) return read_.status();
  found = std::move(*read_);
  if (!found.has_value() || !MayRead(call, *found)) {
    if (related != nullptr) related->clear();
    return absl::NotFoundError(absl::StrCat("petition ", code, " not found"));
  }
  auto cal = Calendar();
  if (cal == nullptr) return absl::UnavailableError("no working-day calendar yet");
  absl::CivilDay receipt;
  calendar::ParseDate(found->petition.receipt_date(), &receipt);
  if (auto c = ComputeClocks(found->petition, rules_.InForceOn(receipt), *cal,
                             calendar::VietnamDay(clock_.Now()));
      !c.ok()) {
    return c;
  }
  return std::move(found->petition);
}

absl::StatusOr<Petitions::Page> Petitions::List(const CallContext& call,
                                                const v1::ListPetitionsRequest& r) {
  Validator v;
  const std::string agency = r.agency_code().empty() ? call.access.agency : r.agency_code();
  v.Check(IsValidAgencyCode(agency), "agency_code", "must be a national agency code");
  v.Check(r.page_size() >= 0 && r.page_size() <= kMaxPageSize, "page_size",
          absl::StrCat("must be 0..", kMaxPageSize));
  absl::CivilDay day;
  v.Check(r.due_before().empty() || calendar::ParseDate(r.due_before(), &day), "due_before",
          "must be a date YYYY-MM-DD");
  PetitionFilter f;
  if (!r.page_token().empty()) {
    auto body = DecodePageToken(r.page_token(), kListToken);
    std::vector<std::string> parts;
    if (body.has_value()) parts = absl::StrSplit(*body, '|');
    // A page that ends on a petition without a binding deadline (decided, closed) continues
    // after "infinity", as the query sorts it.
    if (parts.size() != 2 || (parts[0] != "infinity" && !calendar::ParseDate(parts[0], &day)) ||
        parts[1].empty()) {
      v.Add("page_token", "not a token of this list");
    } else {
      f.after_due = parts[0];
      f.after_code = parts[1];
    }
  }
  if (!v.ok()) return v.status();
  const auto& a = call.access;
  const bool reader = IsStaff(a.role) || a.role == Role::kInspector || a.role == Role::kAuditor;
  if (a.role != Role::kSystem && !(reader && SameAgency(a.agency, agency))) {
    return absl::PermissionDeniedError(
        "lists are for the agency's own staff, inspectors and "
        "auditors");
  }
  const Answering answering = Resolve(agency);
  f.agencies = answering.answers_for.empty() ? std::vector<std::string>{answering.agency}
                                             : answering.answers_for;
  f.kind = r.kind();
  f.field = r.field();
  for (int s : r.states()) f.states.push_back(s);
  f.channel = r.channel();
  f.officer = r.officer();
  f.due_before = r.due_before();
  const absl::CivilDay today = calendar::VietnamDay(clock_.Now());
  f.today = absl::FormatCivilTime(today);
  f.overdue_only = r.overdue_only();
  f.duplicates_only = r.duplicates_only();
  if (r.long_running_only()) {
    f.long_running_filings = matching_.long_running_filings;
    f.open_before = absl::FormatCivilTime(today - matching_.long_running_open_days);
  }
  const int size = r.page_size() == 0 ? kDefaultPageSize : r.page_size();
  f.limit = size + 1;
  Page page;
  auto read_ = ReadOnly(db_, "list_petitions", [&](pqxx::work& tx) {
    auto list = PetitionStore::List(tx, f);
    std::vector<v1::Petition*> read;
    for (auto& p : list) read.push_back(&p);
    Annotate(tx, read);
    return list;
  });
  if (!read_.ok()) return read_.status();
  page.petitions = std::move(*read_);
  if (static_cast<int>(page.petitions.size()) > size) {
    page.petitions.resize(size);
    const auto& last = page.petitions.back();
    const std::string due =
        last.has_next_deadline() ? last.next_deadline().due_date() : std::string("infinity");
    page.next_page_token = EncodePageToken(kListToken, absl::StrCat(due, "|", last.code()));
  }
  auto cal = Calendar();
  for (auto& p : page.petitions) {
    absl::CivilDay receipt;
    calendar::ParseDate(p.receipt_date(), &receipt);
    if (cal != nullptr) (void)ComputeClocks(p, rules_.InForceOn(receipt), *cal, today);
    ForList(p);
  }
  return page;
}

absl::StatusOr<v1::Petition> Petitions::Lookup(const std::string& code,
                                               const std::string& second_factor) {
  Validator v;
  v.Check(!code.empty(), "code", "required");
  v.Check(!second_factor.empty(), "second_factor", "required: the follow secret");
  if (!v.ok()) return v.status();
  std::optional<PetitionStore::Found> found;
  auto read_ = ReadOnly(db_, "lookup_petition",
                        [&](pqxx::work& tx) { return PetitionStore::Find(tx, code, true); });
  if (!read_.ok()) return read_.status();
  found = std::move(*read_);
  const auto not_found = absl::NotFoundError("no petition with this code and follow secret");
  if (!found.has_value()) return not_found;
  std::string secret = second_factor;
  for (auto& c : secret) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::string expected = FollowHash(code, secret);
  if (expected.size() != found->follow_hash.size() ||
      sodium_memcmp(expected.data(), found->follow_hash.data(), expected.size()) != 0) {
    return not_found;  // compared in constant time
  }
  auto cal = Calendar();
  absl::CivilDay receipt;
  calendar::ParseDate(found->petition.receipt_date(), &receipt);
  if (cal != nullptr) {
    (void)ComputeClocks(found->petition, rules_.InForceOn(receipt), *cal,
                        calendar::VietnamDay(clock_.Now()));
  }
  ForPublic(found->petition);
  return std::move(found->petition);
}

absl::StatusOr<ChangeFilter> Petitions::WatchFilter(const CallContext& call,
                                                    const v1::WatchPetitionsRequest& r) {
  Validator v;
  v.Check(!r.agency_code().empty() || !r.petition_code().empty(), "agency_code",
          "an agency or a petition to watch");
  v.Check(r.agency_code().empty() || IsValidAgencyCode(r.agency_code()), "agency_code",
          "must be a national agency code");
  if (!v.ok()) return v.status();
  const auto& a = call.access;
  ChangeFilter f;
  f.after_sequence = r.after_sequence();
  if (!r.petition_code().empty()) {
    std::optional<PetitionStore::Found> found;
    auto read_ = ReadOnly(db_, "watch_petition", [&](pqxx::work& tx) {
      return PetitionStore::Find(tx, r.petition_code(), false);
    });
    if (!read_.ok()) return read_.status();
    found = std::move(*read_);
    if (!found.has_value() || !MayRead(call, *found)) {
      return absl::NotFoundError(absl::StrCat("petition ", r.petition_code(), " not found"));
    }
    f.petition_code = r.petition_code();
    return f;
  }
  const bool reader = IsStaff(a.role) || a.role == Role::kInspector || a.role == Role::kAuditor;
  if (a.role != Role::kSystem && !(reader && SameAgency(a.agency, r.agency_code()))) {
    return absl::PermissionDeniedError("an agency's changes are for its staff and the portal");
  }
  const Answering answering = Resolve(r.agency_code());
  f.agencies = answering.answers_for.empty() ? std::vector<std::string>{answering.agency}
                                             : answering.answers_for;
  return f;
}

absl::StatusOr<std::vector<v1::WatchPetitionsResponse>> Petitions::Changes(const ChangeFilter& f) {
  std::vector<v1::WatchPetitionsResponse> out;
  auto read_ = ReadOnly(db_, "petition_changes",
                        [&](pqxx::work& tx) { return PetitionStore::Changes(tx, f); });
  if (!read_.ok()) return read_.status();
  out = std::move(*read_);
  return out;
}

absl::StatusOr<int64_t> Petitions::LatestChange() {
  int64_t latest = 0;
  auto read_ = ReadOnly(db_, "petition_latest_change",
                        [&](pqxx::work& tx) { return PetitionStore::LatestChange(tx); });
  if (!read_.ok()) return read_.status();
  latest = std::move(*read_);
  return latest;
}

absl::StatusOr<std::vector<PetitionStore::Overdue>> Petitions::OverdueByAgency() {
  std::vector<PetitionStore::Overdue> out;
  const std::string today = absl::FormatCivilTime(calendar::VietnamDay(clock_.Now()));
  auto read_ = ReadOnly(db_, "petition_overdue",
                        [&](pqxx::work& tx) { return PetitionStore::OverdueByAgency(tx, today); });
  if (!read_.ok()) return read_.status();
  out = std::move(*read_);
  return out;
}

absl::StatusOr<v1::ListIdentityReadingsResponse> Petitions::ListReadings(
    const CallContext& call, const v1::ListIdentityReadingsRequest& r) {
  Validator v;
  const std::string agency = r.agency_code().empty() ? call.access.agency : r.agency_code();
  v.Check(IsValidAgencyCode(agency), "agency_code", "must be a national agency code");
  v.Check(r.page_size() >= 0 && r.page_size() <= kMaxPageSize, "page_size",
          absl::StrCat("must be 0..", kMaxPageSize));
  int64_t before = 0;
  if (!r.page_token().empty()) {
    auto body = DecodePageToken(r.page_token(), kReadingsToken);
    if (!body.has_value() || !absl::SimpleAtoi(*body, &before) || before <= 0) {
      v.Add("page_token", "not a token of this list");
    }
  }
  if (!v.ok()) return v.status();
  const auto& a = call.access;
  if (a.role != Role::kSystem && !SameAgency(a.agency, agency)) {
    return absl::PermissionDeniedError(
        "an agency's identity readings are for its own auditors "
        "and inspectors");
  }
  const Answering answering = Resolve(agency);
  const auto agencies = answering.answers_for.empty() ? std::vector<std::string>{answering.agency}
                                                      : answering.answers_for;
  const int size = r.page_size() == 0 ? kDefaultPageSize : r.page_size();
  std::vector<std::pair<int64_t, v1::IdentityReading>> rows;
  auto read_ = ReadOnly(db_, "list_identity_readings", [&](pqxx::work& tx) {
    return PetitionStore::ListReadings(tx, agencies, r.petition_code(), before, size + 1);
  });
  if (!read_.ok()) return read_.status();
  rows = std::move(*read_);
  v1::ListIdentityReadingsResponse out;
  for (int i = 0; i < static_cast<int>(rows.size()) && i < size; ++i) {
    *out.add_readings() = rows[i].second;
  }
  if (static_cast<int>(rows.size()) > size) {
    out.set_next_page_token(EncodePageToken(kReadingsToken, absl::StrCat(rows[size - 1].first)));
  }
  return out;
}

}  // namespace localgov::petition

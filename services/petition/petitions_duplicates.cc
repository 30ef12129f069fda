// Petitions: duplicates and long-running matters (FindDuplicates, the match every creation
// runs, the matter annotations of reads, and the backfill of petitions stored before matching
// existed). The rules are in matching.h; the SQL in matching_store.h. A denouncer is matched
// only through the blind index of the identity key ring, never by opening a sealed identity.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/agency_code.h"
#include "common/db/transaction.h"
#include "common/text.h"
#include "services/petition/matching_store.h"
#include "services/petition/petitions.h"

namespace localgov::petition {
namespace {

constexpr int kDefaultLimit = 10;
constexpr int kMaxLimit = 50;
// The same person's petitions looked at per match (newest first).
constexpr int kPersonWindow = 200;
// How far back a chain of refused repeats is followed to the answer they all repeat.
constexpr int kRepeatHops = 4;

// A repeat refused because an earlier one was answered: its "answer" is that refusal, which
// quotes the earlier answer; the answer itself is the earlier petition's.
bool IsRefusedRepeat(const v1::Petition& p) {
  return p.state() == v1::PETITION_STATE_NOT_PROCESSED &&
         p.classification().not_processed_reason() == v1::NOT_PROCESSED_REASON_DUPLICATE_ANSWERED &&
         !p.duplicate_of().empty();
}

}  // namespace

MatchKeys Petitions::KeysOf(v1::PetitionKind kind, const v1::Person& person,
                            const std::string& title, const std::string& content,
                            const v1::ActConcerned& act) const {
  return MatchKeysOf(kind, person, title, content, act,
                     [this](const std::string& folded) { return vault_.BlindIndex(folded); });
}

Petitions::Matched Petitions::MatchCandidates(pqxx::transaction_base& tx, const std::string& agency,
                                              const MatchKeys& keys, const std::string& except_code,
                                              int limit) const {
  Matched out;
  struct Scored {
    double score;
    int64_t received;
    v1::DuplicateCandidate c;
    std::string group;
  };
  std::vector<Scored> found;
  for (auto& cand : MatchingStore::Candidates(tx, Resolve(agency).answers_for, keys, except_code,
                                              kPersonWindow)) {
    const auto scored = ScoreCandidate(cand.facts, matching_);
    if (!scored.matches) continue;
    const v1::Petition& e = cand.petition;
    v1::DuplicateCandidate c;
    c.set_code(e.code());
    c.set_kind(e.kind());
    c.set_state(e.state());
    c.set_receipt_date(e.receipt_date());
    c.set_title(e.title());
    c.set_score(scored.score);
    for (const auto& reason : scored.reasons) c.add_reasons(reason);
    c.set_answered(IsAnswered(e.state()));
    if (c.answered()) {
      // A refused repeat answers with what it repeats (not a refusal quoting a refusal).
      std::optional<PetitionStore::Found> original;
      for (int hop = 0; hop < kRepeatHops; ++hop) {
        const v1::Petition& at = original.has_value() ? original->petition : e;
        if (!IsRefusedRepeat(at)) break;
        auto earlier = PetitionStore::Find(tx, at.duplicate_of(), false);
        if (!earlier.has_value() || !IsAnswered(earlier->petition.state())) break;
        original = std::move(earlier);
      }
      const EarlierAnswer answer = AnswerOf(original.has_value() ? original->petition : e);
      c.set_answer(answer.text);
      c.set_answer_date(answer.day);
      c.set_decision_number(answer.decision_number);
    }
    found.push_back({scored.score, e.received_time().seconds(), std::move(c),
                     cand.matter_group.empty() ? e.code() : cand.matter_group});
  }
  // Best first; among equals the earlier answer first, then the newest.
  std::sort(found.begin(), found.end(), [](const Scored& a, const Scored& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.c.answered() != b.c.answered()) return a.c.answered();
    return a.received > b.received;
  });
  if (!found.empty()) out.matter_group = found.front().group;
  for (auto& f : found) {
    if (static_cast<int>(out.candidates.size()) >= limit) break;
    out.candidates.push_back(std::move(f.c));
  }
  return out;
}

void Petitions::Annotate(pqxx::transaction_base& tx, std::vector<v1::Petition*> petitions) const {
  std::vector<std::string> groups;
  for (const auto* p : petitions) {
    if (!p->matter_group().empty()) groups.push_back(p->matter_group());
  }
  const auto filings = MatchingStore::Filings(tx, groups);
  const absl::CivilDay today = calendar::VietnamDay(clock_.Now());
  for (auto* p : petitions) {
    const auto it = filings.find(p->matter_group());
    const int n = it == filings.end() ? 1 : it->second;
    absl::CivilDay receipt;
    const int days_open =
        calendar::ParseDate(p->receipt_date(), &receipt) ? static_cast<int>(today - receipt) : 0;
    p->set_matter_filings(n);
    p->set_long_running(IsLongRunning(n, !IsFinal(p->state()), days_open, matching_));
  }
}

absl::StatusOr<v1::FindDuplicatesResponse> Petitions::FindDuplicates(
    const CallContext& call, const v1::FindDuplicatesRequest& r) {
  Validator v;
  const bool by_code = !r.code().empty();
  const std::string agency = r.agency_code().empty() ? call.access.agency : r.agency_code();
  v.Check(r.limit() >= 0 && r.limit() <= kMaxLimit, "limit", "0 to 50");
  if (by_code) {
    v.Check(r.kind() == v1::PETITION_KIND_UNSPECIFIED && r.content().empty() && r.title().empty() &&
                !r.has_petitioner(),
            "code", "either a petition's code or a draft, not both");
  } else {
    v.Check(r.kind() != v1::PETITION_KIND_UNSPECIFIED, "kind", "required for a draft");
    v.Check(!r.content().empty() || !r.title().empty(), "content",
            "a draft needs its title or content");
    v.Check(!r.petitioner().full_name().empty() || !r.petitioner().citizen_id().empty(),
            "petitioner", "a draft names its petitioner (citizen_id, or full_name and address)");
    v.Check(r.petitioner().citizen_id().empty() || IsValidCitizenId(r.petitioner().citizen_id()),
            "petitioner.citizen_id", "must be 12 digits");
    v.Check(IsValidAgencyCode(agency), "agency_code",
            "must be a national agency code like 000.00.31.H41");
  }
  if (!v.ok()) return v.status();
  const auto& a = call.access;
  const bool reader = IsStaff(a.role) || a.role == Role::kInspector || a.role == Role::kSystem;
  if (!reader) return absl::PermissionDeniedError("officers, leaders and inspectors only");
  const int limit = r.limit() == 0 ? kDefaultLimit : r.limit();
  v1::FindDuplicatesResponse out;
  out.set_min_score(matching_.min_score);
  out.set_answered_score(matching_.answered_score);
  auto st = ReadOnly(db_, "find_duplicates", [&](pqxx::work& tx) -> absl::Status {
    MatchKeys keys;
    std::string in_agency = agency;
    if (by_code) {
      auto found = PetitionStore::Find(tx, r.code(), false);
      if (!found.has_value() ||
          (a.role != Role::kSystem && !SameAgency(a.agency, found->petition.agency_code()))) {
        return absl::NotFoundError(absl::StrCat("petition ", r.code(), " not found"));
      }
      in_agency = found->petition.agency_code();
      if (!MatchingStore::KeysOf(tx, r.code(), &keys)) return absl::OkStatus();
    } else {
      if (a.role != Role::kSystem && !SameAgency(Resolve(agency).agency, a.agency)) {
        return absl::PermissionDeniedError("duplicates are searched in your own agency only");
      }
      keys = KeysOf(r.kind(), r.petitioner(), r.title(), r.content(), r.act());
    }
    for (auto& c : MatchCandidates(tx, in_agency, keys, r.code(), limit).candidates) {
      *out.add_candidates() = std::move(c);
    }
    return absl::OkStatus();
  });
  if (!st.ok()) return st.status();
  if (!st->ok()) return *st;
  return out;
}

absl::StatusOr<int> Petitions::DeriveOnce(int limit) {
  int done = 0;
  auto st = RunInTransaction(db_, "derive_petitions", [&](pqxx::work& tx) -> absl::Status {
    done = 0;
    for (auto& p : MatchingStore::ToDerive(tx, limit)) {
      // A denouncer's keys would need the sealed identity: such a petition is derived without
      // person keys (matched by nobody), never by opening it.
      const MatchKeys keys = KeysOf(p.kind(), p.petitioner(), p.title(), p.content(), p.act());
      const Matched m = MatchCandidates(tx, p.agency_code(), keys, p.code(), 1);
      p.set_matter_group(m.matter_group.empty() ? p.code() : m.matter_group);
      if (!m.candidates.empty()) p.set_duplicate_of(m.candidates.front().code());
      MatchingStore::Insert(tx, p.code(), p.agency_code(), keys, p.matter_group(),
                            absl::FromUnixSeconds(p.received_time().seconds()));
      MatchingStore::MarkDerived(tx, p);
      ++done;
    }
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  return done;
}

}  // namespace localgov::petition

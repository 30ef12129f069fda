// Petitions: intake (ReceivePetition) and what every creation shares with a referral taken
// from another agency (Create): the code, the clocks, the sealed identity, the first event,
// the feed and the audit record, in the caller's transaction.
#include <sodium.h>

#include "absl/strings/str_cat.h"
#include "common/agency_code.h"
#include "common/audit.h"
#include "common/crypto.h"
#include "common/db/transaction.h"
#include "common/idempotency.h"
#include "common/text.h"
#include "google/protobuf/util/time_util.h"
#include "services/petition/clocks.h"
#include "services/petition/matching_store.h"
#include "services/petition/petitions.h"

namespace localgov::petition {
namespace {

using google::protobuf::util::TimeUtil;

// Letters and digits a citizen cannot confuse (no 0/O, 1/I/L).
constexpr char kSecretAlphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

std::string NewFollowSecret() {
  std::string out;
  for (int i = 0; i < 12; ++i) {
    if (i > 0 && i % 4 == 0) out += '-';
    out += kSecretAlphabet[randombytes_uniform(sizeof(kSecretAlphabet) - 1)];
  }
  return out;
}

void CheckPerson(Validator& v, const v1::Person& p, const std::string& prefix) {
  v.Check(!p.full_name().empty(), prefix + ".full_name", "required");
  v.Check(p.citizen_id().empty() || IsValidCitizenId(p.citizen_id()), prefix + ".citizen_id",
          "must be 12 digits");
}

// Candidates a creation returns (ReceivePetitionResponse.duplicates).
constexpr int kMaxDuplicatesShown = 10;

// What a repeat of an answered petition is told (the classification's reason, in the language
// the citizen reads).
std::string RepeatReason(const v1::DuplicateCandidate& earlier) {
  std::string out = absl::StrCat("Đơn trùng nội dung với đơn ", earlier.code(), " (tiếp nhận ngày ",
                                 earlier.receipt_date(), ") đã được trả lời");
  if (!earlier.answer_date().empty()) absl::StrAppend(&out, " ngày ", earlier.answer_date());
  if (!earlier.decision_number().empty()) {
    absl::StrAppend(&out, ", quyết định số ", earlier.decision_number());
  }
  if (!earlier.answer().empty()) absl::StrAppend(&out, ": ", earlier.answer());
  return out;
}

bool HasPerson(const v1::Person& p) {
  return !p.full_name().empty() || !p.citizen_id().empty() || !p.address().empty() ||
         !p.phone().empty() || !p.email().empty();
}

}  // namespace

std::string FollowHash(const std::string& code, const std::string& secret) {
  return Sha256(absl::StrCat("localgov-petition-follow-v1\n", code, "\n", secret));
}

v1::PetitionEvent& AddEvent(v1::Petition& p, absl::Time at, const AccessContext& who,
                            v1::PetitionState from, const std::string& note) {
  auto* e = p.add_events();
  e->set_sequence(p.events_size());  // the petition is read with its whole history
  *e->mutable_time() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(at));
  e->set_actor(who.subject);
  e->set_role(std::string(RoleName(who.role)));
  e->set_agency_code(who.agency);
  e->set_from_state(from);
  e->set_to_state(p.state());
  e->set_note(note);
  return *e;
}

Petitions::Answering Petitions::Resolve(const std::string& code) const {
  if (!resolver_) return {code, {code}, true};
  return resolver_(code);
}

bool Petitions::SameAgency(const std::string& a, const std::string& b) const {
  return a == b || Resolve(a).agency == Resolve(b).agency;
}

absl::StatusOr<int64_t> Petitions::Create(pqxx::work& tx, const CallContext& call, v1::Petition& p,
                                          const v1::Person& petitioner,
                                          const std::string& follow_secret,
                                          const std::string& source_envelope,
                                          const std::string& note, const std::string& audit_change,
                                          std::vector<v1::DuplicateCandidate>* duplicates,
                                          std::vector<v1::RelatedDossier>* related) {
  const absl::Time now = clock_.Now();
  absl::CivilDay receipt;
  calendar::ParseDate(p.receipt_date(), &receipt);
  const PetitionRules& rules = rules_.InForceOn(receipt);
  auto cal = Calendar();
  if (cal == nullptr) return absl::UnavailableError("no working-day calendar yet");
  // The same person's earlier petitions about the same matter, read before the code counter's
  // row is locked (the serial section of an agency's intakes), with the petitioner as given (a
  // denouncer's keys are blind-index values, computed before the identity is sealed away).
  const MatchKeys keys = KeysOf(p.kind(), petitioner, p.title(), p.content(), p.act());
  Matched matched = MatchCandidates(tx, p.agency_code(), keys, "", kMaxDuplicatesShown);
  if (related != nullptr) *related = RelatedDossiers(tx, p, keys);
  p.set_code(PetitionStore::NextCode(tx, p.agency_code(), p.kind(), receipt));
  p.set_state(v1::PETITION_STATE_RECEIVED);
  p.set_rule_set(rules.basis);
  p.set_version(1);
  std::string citizen_id;
  std::optional<SealedValue> identity;
  if (p.kind() == v1::PETITION_KIND_DENUNCIATION) {
    // The denouncer's identity: sealed now, never stored in clear (Law on Denunciation Art. 47).
    p.clear_petitioner();
    if (HasPerson(petitioner)) {
      auto sealed = vault_.Seal(petitioner.SerializeAsString(), p.code());
      if (!sealed.ok()) return sealed.status();
      identity = std::move(*sealed);
      p.set_identity_sealed(true);
    }
  } else {
    *p.mutable_petitioner() = petitioner;
    citizen_id = petitioner.citizen_id();
  }
  if (auto st = ComputeClocks(p, rules, *cal, calendar::VietnamDay(now)); !st.ok()) return st;
  p.set_matter_group(matched.matter_group.empty() ? p.code() : matched.matter_group);
  if (!matched.candidates.empty()) p.set_duplicate_of(matched.candidates.front().code());
  // The history starts when the petition was received (a letter registered the next morning,
  // a backdated record of a reception session), not when it was typed in.
  AddEvent(
      p, std::min(now, absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(p.received_time()))),
      call.access, v1::PETITION_STATE_UNSPECIFIED, note);
  PetitionStore::Insert(tx, p, citizen_id, FollowHash(p.code(), follow_secret), source_envelope,
                        now);
  if (identity.has_value()) PetitionStore::InsertIdentity(tx, p.code(), *identity, now);
  const int filings = MatchingStore::Insert(
      tx, p.code(), p.agency_code(), keys, p.matter_group(),
      absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(p.received_time())));
  p.set_matter_filings(filings);
  p.set_long_running(IsLongRunning(filings, true, 0, matching_));
  if (duplicates != nullptr) *duplicates = std::move(matched.candidates);
  const int64_t change = RecordChange(tx, p);
  if (auto st = AppendAudit(tx,
                            {call.access.subject, std::string(RoleName(call.access.role)),
                             call.access.agency, absl::StrCat("petition.", call.method), "petition",
                             p.code(), call.request_id, audit_change},
                            now);
      !st.ok()) {
    return st;
  }
  return change;
}

absl::StatusOr<int64_t> Petitions::NotProcessRepeat(pqxx::work& tx, const CallContext& call,
                                                    v1::Petition& p,
                                                    const v1::DuplicateCandidate& earlier) {
  absl::CivilDay receipt;
  calendar::ParseDate(p.receipt_date(), &receipt);
  auto cal = Calendar();
  if (cal == nullptr) return absl::UnavailableError("no working-day calendar yet");
  TransitionInput in;
  in.action = Action::kClassify;
  in.now = clock_.Now();
  in.actor = call.access.subject;
  in.held = in.now;
  in.decision = v1::CLASSIFICATION_DECISION_NOT_PROCESS;
  in.not_processed_reason = v1::NOT_PROCESSED_REASON_DUPLICATE_ANSWERED;
  in.text = RepeatReason(earlier);
  const v1::PetitionState before = p.state();
  const int64_t version = p.version();
  auto note = ApplyTransition(p, rules_.InForceOn(receipt), *cal, in);
  if (!note.ok()) return note.status();
  if (auto st = PetitionStore::Update(tx, p, version, in.now); !st.ok()) return st;
  p.set_version(version + 1);
  AddEvent(p, in.now, call.access, before, *note);
  const int64_t change = RecordChange(tx, p);
  if (auto st =
          AppendAudit(tx,
                      {call.access.subject, std::string(RoleName(call.access.role)),
                       call.access.agency, "petition.NotProcessRepeat", "petition", p.code(),
                       call.request_id, absl::StrCat("duplicate of ", earlier.code(), " answered")},
                      in.now);
      !st.ok()) {
    return st;
  }
  return change;
}

absl::StatusOr<Petitions::Intake> Petitions::CheckIntake(const CallContext& call,
                                                         const v1::ReceivePetitionRequest& r,
                                                         bool own_request_id) const {
  Validator v;
  if (own_request_id) ValidateRequestId(v, "request_id", r.request_id());
  v.Check(r.kind() != v1::PETITION_KIND_UNSPECIFIED, "kind", "required");
  v.Check(r.field() != v1::PETITION_FIELD_UNSPECIFIED, "field", "required");
  v.Check(r.channel() != v1::PETITION_CHANNEL_UNSPECIFIED, "channel", "required");
  v.Check(r.channel() != v1::PETITION_CHANNEL_FORWARDED, "channel",
          "forwarded petitions arrive through the liaison service");
  const std::string agency = r.agency_code().empty() ? call.access.agency : r.agency_code();
  v.Check(IsValidAgencyCode(agency), "agency_code",
          "must be a national agency code like 000.00.31.H41");
  const Answering receiving = Resolve(agency);
  v.Check(!IsValidAgencyCode(agency) || receiving.known, "agency_code",
          "not an agency of the exchange directory");
  const absl::Time now = clock_.Now();
  const absl::Time received =
      r.has_received_time()
          ? absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(r.received_time()))
          : now;
  v.Check(received <= now + kMaxClockSkew, "received_time", "must not be in the future");
  v.Check(!r.title().empty(), "title", "required");
  v.Check(!r.content().empty(), "content", "required");
  if (r.anonymous()) {
    v.Check(!HasPerson(r.petitioner()), "petitioner", "an anonymous petition names no petitioner");
  } else {
    CheckPerson(v, r.petitioner(), "petitioner");
  }
  const absl::CivilDay receipt = calendar::VietnamDay(received);
  const bool complaint = r.kind() == v1::PETITION_KIND_COMPLAINT;
  v.Check(r.complaint_round() >= 0 && r.complaint_round() <= 2, "complaint_round",
          "1 (first) or 2 (second)");
  v.Check(complaint || r.complaint_round() == 0, "complaint_round", "only for complaints");
  absl::CivilDay day;
  if (complaint) {
    v.Check(!r.act().description().empty() || !r.act().decision_number().empty(), "act",
            "a complaint names the decision or act concerned (description or decision_number)");
    if (r.complaint_round() == 2) {
      v.Check(
          !r.first_petition_code().empty() || calendar::ParseDate(r.first_decision_date(), &day),
          "first_decision_date",
          "a second complaint names the first complaint (first_petition_code) or the first "
          "decision's date");
      v.Check(!r.first_petition_code().empty() || r.attachments_size() > 0, "attachments",
              "a second complaint attaches the first decision (Law on Complaints Art. 33)");
    } else {
      v.Check(calendar::ParseDate(r.learned_date(), &day), "learned_date",
              "required for a complaint: the day the decision became known, YYYY-MM-DD");
      v.Check(!calendar::ParseDate(r.learned_date(), &day) || day <= receipt, "learned_date",
              "after the day of receipt");
    }
  }
  if (!r.first_decision_date().empty()) {
    v.Check(calendar::ParseDate(r.first_decision_date(), &day), "first_decision_date",
            "must be a date YYYY-MM-DD");
  }
  v.Check(r.act().dossier_code().size() <= 64, "act.dossier_code", "at most 64 characters");
  if (!r.act().decision_date().empty()) {
    v.Check(calendar::ParseDate(r.act().decision_date(), &day), "act.decision_date",
            "must be a date YYYY-MM-DD");
  }
  for (int i = 0; i < r.attachments_size(); ++i) {
    const auto& a = r.attachments(i);
    const std::string path = absl::StrCat("attachments[", i, "]");
    v.Check(!a.file_name().empty(), path + ".file_name", "required");
    v.Check(a.sha256().empty() ||
                (a.sha256().size() == 64 &&
                 a.sha256().find_first_not_of("0123456789abcdef") == std::string::npos),
            path + ".sha256", "64 lowercase hex digits");
  }
  if (!v.ok()) return v.status();
  // Authorise: staff receive for their own agency (merged communes included); a citizen
  // files their own online; the portal as the system.
  const auto& a = call.access;
  if (IsStaff(a.role) && !SameAgency(receiving.agency, a.agency)) {
    return absl::PermissionDeniedError("officers receive petitions for their own agency only");
  }
  if (a.role == Role::kCitizen &&
      (r.channel() != v1::PETITION_CHANNEL_ONLINE || r.petitioner().citizen_id() != a.subject)) {
    return absl::PermissionDeniedError(
        "a citizen files their own petition online (petitioner.citizen_id is theirs)");
  }
  if (r.kind() == v1::PETITION_KIND_DENUNCIATION && HasPerson(r.petitioner()) &&
      !vault_.configured()) {
    return absl::FailedPreconditionError(
        "this service has no identity sealing key (LOCALGOV_IDENTITY_KEYS_FILE): a denouncer's "
        "identity is never stored in clear");
  }

  // A dossier named: it exists and this agency received it (asked of the dossier service).
  // Unreachable, the answer waits for the idempotency claim (Intake::dossier_unchecked).
  absl::Status dossier_unchecked;
  if (auto st = CheckDossier(r, receiving.agency); !st.ok()) {
    if (st.code() != absl::StatusCode::kUnavailable) return st;
    dossier_unchecked = st;
  }

  // The request's digest for the idempotency key and the audit record; a denouncer's identity
  // enters it only through a keyed fingerprint, never as a plain hash of the person.
  v1::ReceivePetitionRequest stripped = r;
  std::string identity_mark;
  if (r.kind() == v1::PETITION_KIND_DENUNCIATION) {
    stripped.clear_petitioner();
    identity_mark = Sha256Hex(vault_.Fingerprint(r.petitioner().SerializeAsString()));
  }
  Intake checked;
  checked.addressed_to = agency;
  checked.receiving = receiving.agency;
  checked.received = received;
  checked.receipt = receipt;
  checked.digest = Sha256Hex(stripped.SerializeAsString() + identity_mark);
  checked.dossier_unchecked = dossier_unchecked;
  return checked;
}

absl::StatusOr<Petitions::Received> Petitions::Receive(const CallContext& call,
                                                       const v1::ReceivePetitionRequest& r) {
  auto checked = CheckIntake(call, r, true);
  if (!checked.ok()) return checked.status();
  const std::string& digest = checked->digest;
  const auto& a = call.access;
  Received out;
  int64_t change = 0;
  auto st = RunInTransaction(db_, "receive_petition", [&](pqxx::work& tx) -> absl::Status {
    auto claimed = ClaimIdempotencyKey(tx, a.subject, call.method, r.request_id(), digest);
    if (!claimed.ok()) return claimed.status();
    if (claimed->has_value()) {
      v1::ReceivePetitionResponse stored;
      stored.ParseFromString(**claimed);
      out.petition = stored.petition();
      out.follow_secret = stored.follow_secret();
      out.duplicates.assign(stored.duplicates().begin(), stored.duplicates().end());
      out.related_dossiers.assign(stored.related_dossiers().begin(),
                                  stored.related_dossiers().end());
      change = 0;
      return absl::OkStatus();
    }
    if (!checked->dossier_unchecked.ok()) return checked->dossier_unchecked;  // releases the claim
    auto created = ReceiveIn(tx, call, r, *checked, change);
    if (!created.ok()) return created.status();
    out = std::move(*created);
    v1::ReceivePetitionResponse response;
    *response.mutable_petition() = out.petition;
    response.set_follow_secret(out.follow_secret);
    for (const auto& d : out.duplicates) *response.add_duplicates() = d;
    for (const auto& d : out.related_dossiers) *response.add_related_dossiers() = d;
    StoreIdempotentResponse(tx, a.subject, call.method, r.request_id(),
                            response.SerializeAsString());
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  Changed(change);
  return out;
}

absl::StatusOr<Petitions::Received> Petitions::ReceiveIn(pqxx::work& tx, const CallContext& call,
                                                         const v1::ReceivePetitionRequest& r,
                                                         const Intake& checked, int64_t& change) {
  const absl::Time received = checked.received;
  const absl::CivilDay receipt = checked.receipt;
  const std::string& agency = checked.addressed_to;
  const bool complaint = r.kind() == v1::PETITION_KIND_COMPLAINT;
  Received out;
  {
    v1::Petition p;
    p.set_kind(r.kind());
    p.set_field(r.field());
    p.set_channel(r.channel());
    p.set_agency_code(checked.receiving);
    *p.mutable_received_time() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(received));
    p.set_receipt_date(absl::FormatCivilTime(receipt));
    p.set_title(r.title());
    p.set_content(r.content());
    *p.mutable_act() = r.act();
    p.set_learned_date(r.learned_date());
    *p.mutable_parties() = r.parties();
    *p.mutable_attachments() = r.attachments();
    p.set_anonymous(r.anonymous());
    p.set_remote_area(r.remote_area());
    p.set_several_places(r.several_places());
    if (complaint) p.set_complaint_round(r.complaint_round() == 2 ? 2 : 1);
    p.set_first_petition_code(r.first_petition_code());
    p.set_first_decision_date(r.first_decision_date());
    if (!r.first_petition_code().empty()) {
      auto first = PetitionStore::Find(tx, r.first_petition_code(), false);
      if (!first.has_value() || first->petition.kind() != v1::PETITION_KIND_COMPLAINT) {
        return InvalidArgumentWithViolations(
            {{"first_petition_code", "no complaint with this code"}});
      }
      if (first->citizen_id != r.petitioner().citizen_id()) {
        return InvalidArgumentWithViolations(
            {{"first_petition_code", "the first complaint is another person's"}});
      }
      if (first->petition.has_resolution()) {
        p.set_first_decision_date(absl::FormatCivilTime(calendar::VietnamDay(
            absl::FromUnixSeconds(first->petition.resolution().decide_time().seconds()))));
      } else if (first->petition.has_next_deadline()) {
        p.set_first_decision_date(first->petition.next_deadline().due_date());
      }
    }
    out.follow_secret = NewFollowSecret();
    std::string note =
        absl::StrCat("received (", v1::PetitionChannel_Name(r.channel()).substr(17), ")");
    if (checked.receiving != agency) {
      absl::StrAppend(&note, "; addressed to ", agency, ", merged into ", checked.receiving);
    }
    auto created = Create(tx, call, p, r.petitioner(), out.follow_secret, "", note, checked.digest,
                          &out.duplicates, &out.related_dossiers);
    if (!created.ok()) return created.status();
    change = *created;
    // A repeat of a petition already answered is not processed again (DOMAIN.md §3); the
    // citizen is told the earlier answer. A second complaint, or the officer's judgement that
    // it is new, lets it through.
    if (!out.duplicates.empty() && !r.process_even_if_duplicate() && r.complaint_round() != 2) {
      const auto& best = out.duplicates.front();
      // Answered before this one was received (a letter backdated to before the answer is not
      // a repeat of it).
      const bool answered_before = best.answered() && best.answer_date() <= p.receipt_date();
      if (answered_before && best.kind() == p.kind() && best.score() >= matching_.answered_score &&
          best.code() != r.first_petition_code()) {
        auto repeat = NotProcessRepeat(tx, call, p, best);
        if (!repeat.ok()) return repeat.status();
        change = *repeat;
      }
    }
    out.petition = std::move(p);
  }
  return out;
}

}  // namespace localgov::petition

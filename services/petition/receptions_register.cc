// Receptions: sessions, the register's visits with their petitions, and the leaders' days.
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/agency_code.h"
#include "common/audit.h"
#include "common/crypto.h"
#include "common/db/transaction.h"
#include "common/idempotency.h"
#include "common/text.h"
#include "google/protobuf/util/time_util.h"
#include "services/petition/reception_rules.h"
#include "services/petition/reception_store.h"
#include "services/petition/receptions.h"

namespace localgov::petition {
namespace {

using google::protobuf::util::TimeUtil;

constexpr int kMaxRepresentatives = 5;
constexpr int kMaxMatters = 20;

bool IsHead(v1::ReceptionLeaderRole r) {
  return r == v1::RECEPTION_LEADER_ROLE_COMMUNE_CHAIR ||
         r == v1::RECEPTION_LEADER_ROLE_PROVINCIAL_CHAIR ||
         r == v1::RECEPTION_LEADER_ROLE_AGENCY_HEAD;
}

bool Named(const v1::Person& p) { return !p.full_name().empty(); }

void CheckVisitor(Validator& v, const v1::Person& p, const std::string& prefix) {
  v.Check(!p.full_name().empty(), prefix + ".full_name", "required");
  v.Check(p.citizen_id().empty() || IsValidCitizenId(p.citizen_id()), prefix + ".citizen_id",
          "must be 12 digits");
}

}  // namespace

absl::Status AuditReception(pqxx::work& tx, const CallContext& call, const std::string& type,
                            const std::string& id, const std::string& change, absl::Time now) {
  return AppendAudit(
      tx,
      {call.access.subject, std::string(RoleName(call.access.role)), call.access.agency,
       absl::StrCat("petition.", call.method), type, id, call.request_id, change},
      now);
}

bool ActsFor(const CallContext& call, const std::string& agency) {
  return call.access.role == Role::kSystem ||
         (IsStaff(call.access.role) && call.access.agency == agency);
}

bool ReadsFor(const CallContext& call, const std::string& agency) {
  const Role r = call.access.role;
  return ActsFor(call, agency) ||
         ((r == Role::kInspector || r == Role::kAuditor) && call.access.agency == agency);
}

absl::StatusOr<v1::ReceptionSession> Receptions::CreateSession(
    const CallContext& call, const v1::CreateReceptionSessionRequest& r) {
  Validator v;
  ValidateRequestId(v, "request_id", r.request_id());
  const std::string agency = r.agency_code().empty() ? call.access.agency : r.agency_code();
  v.Check(IsValidAgencyCode(agency), "agency_code", "must be a national agency code");
  v.Check(v1::ReceptionSessionKind_IsValid(r.kind()) &&
              r.kind() != v1::RECEPTION_SESSION_KIND_UNSPECIFIED,
          "kind", "REGULAR, EXTRA or OFFICE");
  absl::CivilDay day;
  const absl::CivilDay today = calendar::VietnamDay(petitions_.clock().Now());
  if (v.Check(calendar::ParseDate(r.date(), &day), "date", "must be a date YYYY-MM-DD")) {
    v.Check(day <= today, "date", "the register records sessions held, not planned");
  }
  const bool led = r.kind() != v1::RECEPTION_SESSION_KIND_OFFICE;
  if (led) {
    v.Check(!r.leader().id().empty(), "leader.id", "required for a leader's session");
    v.Check(!r.leader().name().empty(), "leader.name", "required for a leader's session");
    v.Check(v1::ReceptionLeaderRole_IsValid(r.leader().role()) &&
                r.leader().role() != v1::RECEPTION_LEADER_ROLE_UNSPECIFIED,
            "leader.role", "required for a leader's session");
  } else {
    v.Check(r.leader().id().empty(), "leader", "the reception office's session has no leader");
  }
  if (r.leader().role() == v1::RECEPTION_LEADER_ROLE_DEPUTY) {
    v.Check(!r.stands_in_for().id().empty(), "stands_in_for.id",
            "a deputy's session names the head it stands in for");
    v.Check(IsHead(r.stands_in_for().role()), "stands_in_for.role",
            "COMMUNE_CHAIR, PROVINCIAL_CHAIR or AGENCY_HEAD");
  } else {
    v.Check(r.stands_in_for().id().empty(), "stands_in_for", "only for a deputy's session");
  }
  if (!v.ok()) return v.status();
  if (!ActsFor(call, agency)) {
    return absl::PermissionDeniedError("only the agency's officers and leaders keep its register");
  }
  const std::string digest = Sha256Hex(r.SerializeAsString());
  const absl::Time now = petitions_.clock().Now();
  return CreateOnce<v1::ReceptionSession>(
      db_, call, r.request_id(), digest, "reception_session", now,
      [&](pqxx::work& tx, v1::ReceptionSession& out) {
        const int n = ReceptionStore::NextNumber(tx, agency, absl::StrCat("session-", r.date()));
        out.set_id(absl::StrFormat("%s-PTD-%04d%02d%02d-%d", agency, day.year(), day.month(),
                                   day.day(), n));
        out.set_agency_code(agency);
        out.set_kind(r.kind());
        out.set_date(r.date());
        *out.mutable_leader() = r.leader();
        *out.mutable_stands_in_for() = r.stands_in_for();
        out.set_place(r.place());
        out.set_note(r.note());
        out.set_recorded_by(call.access.subject);
        *out.mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
        ReceptionStore::InsertSession(tx, out, now);
        return absl::OkStatus();
      });
}

absl::StatusOr<v1::RecordVisitResponse> Receptions::RecordVisit(const CallContext& call,
                                                                const v1::RecordVisitRequest& r) {
  Validator v;
  ValidateRequestId(v, "request_id", r.request_id());
  const std::string agency = r.agency_code().empty() ? call.access.agency : r.agency_code();
  v.Check(IsValidAgencyCode(agency), "agency_code", "must be a national agency code");
  v.Check(v1::VisitForm_IsValid(r.form()), "form", "IN_PERSON or LETTER");
  const bool letter = r.form() == v1::VISIT_FORM_LETTER;
  v.Check(letter || !r.session_id().empty(), "session_id", "required for a visit in person");
  const absl::Time now = petitions_.clock().Now();
  const absl::Time at =
      r.has_visit_time() ? absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(r.visit_time()))
                         : now;
  v.Check(at <= now + Petitions::kMaxClockSkew, "visit_time", "must not be in the future");
  const bool delegation = r.has_delegation();
  v.Check(delegation != Named(r.visitor()), "visitor",
          "exactly one of visitor (one person) and delegation (a crowd case)");
  if (delegation) {
    v.Check(r.delegation().size() >= 2, "delegation.size", "a delegation is at least 2 people");
    v.Check(r.delegation().representatives_size() >= 1 &&
                r.delegation().representatives_size() <= kMaxRepresentatives,
            "delegation.representatives", "1 to 5 representatives");
    v.Check(r.delegation().representatives_size() <= r.delegation().size(),
            "delegation.representatives", "more representatives than people");
    for (int i = 0; i < r.delegation().representatives_size(); ++i) {
      CheckVisitor(v, r.delegation().representatives(i),
                   absl::StrCat("delegation.representatives[", i, "]"));
    }
  } else if (Named(r.visitor())) {
    CheckVisitor(v, r.visitor(), "visitor");
  }
  v.Check(!r.content().empty(), "content", "required");
  v.Check(v1::VisitHandling_IsValid(r.handling()) && r.handling() != v1::VISIT_HANDLING_UNSPECIFIED,
          "handling", "required");
  const bool received = r.handling() == v1::VISIT_HANDLING_PETITIONS_RECEIVED;
  v.Check(!received || r.petitions_size() >= 1, "petitions",
          "PETITIONS_RECEIVED receives one petition per matter");
  v.Check(received || r.petitions_size() == 0, "petitions", "only when PETITIONS_RECEIVED");
  v.Check(r.petitions_size() <= kMaxMatters, "petitions", "at most 20 matters in one visit");
  const bool referred =
      r.handling() == v1::VISIT_HANDLING_GUIDED || r.handling() == v1::VISIT_HANDLING_FORWARDED;
  v.Check(!referred || IsValidAgencyCode(r.referred_to()), "referred_to",
          "the agency code guided or forwarded to");
  v.Check(referred || r.referred_to().empty(), "referred_to", "only when GUIDED or FORWARDED");
  v.Check(!r.written_down() || r.citizen_signed(), "citizen_signed",
          "a verbal petition written down is signed by the citizen");
  v.Check(!r.written_down() || !letter, "written_down", "a letter is already in writing");
  // Each matter through the petition intake's own checks, from the visit.
  const v1::Person& speaker = delegation && r.delegation().representatives_size() > 0
                                  ? r.delegation().representatives(0)
                                  : r.visitor();
  std::vector<v1::ReceivePetitionRequest> matters;
  std::vector<Petitions::Intake> checked;
  bool denunciation = false;
  std::string marks;
  for (int i = 0; i < r.petitions_size() && i < kMaxMatters; ++i) {
    v1::ReceivePetitionRequest m = r.petitions(i);
    m.set_request_id("");
    m.set_agency_code(agency);
    if (m.channel() == v1::PETITION_CHANNEL_UNSPECIFIED) {
      m.set_channel(letter ? v1::PETITION_CHANNEL_LETTER : v1::PETITION_CHANNEL_RECEPTION);
    }
    *m.mutable_received_time() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(at));
    if (!m.anonymous() && !Named(m.petitioner())) *m.mutable_petitioner() = speaker;
    denunciation = denunciation || m.kind() == v1::PETITION_KIND_DENUNCIATION;
    auto c = petitions_.CheckIntake(call, m, false);
    if (!c.ok()) {
      if (c.status().code() != absl::StatusCode::kInvalidArgument) return c.status();
      for (const auto& f : FieldViolationsOf(c.status())) {
        v.Add(absl::StrCat("petitions[", i, "].", f.field), f.description);
      }
      continue;
    }
    absl::StrAppend(&marks, c->digest);
    checked.push_back(*c);
    matters.push_back(std::move(m));
  }
  if (!v.ok()) return v.status();
  if (!ActsFor(call, agency)) {
    return absl::PermissionDeniedError("only the agency's officers and leaders keep its register");
  }
  if (denunciation && !petitions_.vault().configured()) {
    return absl::FailedPreconditionError(
        "this service has no identity sealing key: a denouncer's identity is never stored in "
        "clear");
  }
  // The digest: with a denunciation, the people enter it only through a keyed fingerprint.
  v1::RecordVisitRequest stripped = r;
  std::string people;
  if (denunciation) {
    people = Sha256Hex(petitions_.vault().Fingerprint(
        absl::StrCat(r.visitor().SerializeAsString(), r.delegation().SerializeAsString())));
    stripped.clear_visitor();
    stripped.mutable_delegation()->clear_representatives();
    stripped.clear_petitions();
  }
  const std::string digest = Sha256Hex(stripped.SerializeAsString() + people + marks);
  const absl::CivilDay day = calendar::VietnamDay(at);

  v1::RecordVisitResponse out;
  std::vector<int64_t> changes;
  auto st = RunInTransaction(db_, "record_visit", [&](pqxx::work& tx) -> absl::Status {
    changes.clear();
    out.Clear();
    auto claimed =
        ClaimIdempotencyKey(tx, call.access.subject, call.method, r.request_id(), digest);
    if (!claimed.ok()) return claimed.status();
    if (claimed->has_value()) {
      out.ParseFromString(**claimed);
      return absl::OkStatus();
    }
    for (const auto& c : checked) {
      if (!c.dossier_unchecked.ok()) return c.dossier_unchecked;  // releases the claim
    }
    if (!r.session_id().empty()) {
      auto s = ReceptionStore::FindSession(tx, r.session_id());
      if (!s.has_value() || s->agency_code() != agency) {
        return InvalidArgumentWithViolations({{"session_id", "no session of this agency"}});
      }
      if (s->date() != absl::FormatCivilTime(day)) {
        return InvalidArgumentWithViolations(
            {{"visit_time", absl::StrCat("not on the session's day ", s->date())}});
      }
    }
    auto* visit = out.mutable_visit();
    const int n = ReceptionStore::NextNumber(tx, agency, absl::StrCat("register-", day.year()));
    visit->set_register_number(absl::StrFormat("%s-TCD-%04d-%05d", agency, day.year(), n));
    visit->set_agency_code(agency);
    visit->set_session_id(r.session_id());
    *visit->mutable_visit_time() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(at));
    visit->set_date(absl::FormatCivilTime(day));
    visit->set_form(letter ? v1::VISIT_FORM_LETTER : v1::VISIT_FORM_IN_PERSON);
    visit->set_crowd_case(delegation);
    visit->set_content(r.content());
    visit->set_history(r.history());
    visit->set_request(r.request());
    visit->set_handling(r.handling());
    visit->set_handling_note(r.handling_note());
    visit->set_referred_to(r.referred_to());
    if (r.written_down()) visit->set_written_by(call.access.subject);
    visit->set_citizen_signed(r.citizen_signed());
    visit->set_recorded_by(call.access.subject);
    *visit->mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
    std::optional<SealedValue> sealed;
    if (denunciation) {
      // The visitors of a denunciation are sealed like the denouncer (DOMAIN.md §3): the
      // register keeps the delegation's size, never who came.
      v1::ReceptionVisit people_only;
      *people_only.mutable_visitor() = r.visitor();
      *people_only.mutable_delegation() = r.delegation();
      auto s = petitions_.vault().Seal(people_only.SerializeAsString(), visit->register_number());
      if (!s.ok()) return s.status();
      sealed = std::move(*s);
      visit->set_identity_sealed(true);
      if (delegation) visit->mutable_delegation()->set_size(r.delegation().size());
    } else {
      *visit->mutable_visitor() = r.visitor();
      if (delegation) *visit->mutable_delegation() = r.delegation();
    }
    for (size_t i = 0; i < matters.size(); ++i) {
      int64_t change = 0;
      auto created = petitions_.ReceiveIn(tx, call, matters[i], checked[i], change);
      if (!created.ok()) return created.status();
      changes.push_back(change);
      visit->add_petition_codes(created->petition.code());
      auto* pr = out.add_petitions();
      *pr->mutable_petition() = std::move(created->petition);
      pr->set_follow_secret(created->follow_secret);
    }
    ReceptionStore::InsertVisit(tx, *visit, now);
    if (sealed.has_value()) {
      ReceptionStore::InsertVisitIdentity(tx, visit->register_number(), *sealed, now);
    }
    for (const auto& code : visit->petition_codes()) {
      ReceptionStore::LinkPetition(tx, visit->register_number(), code);
    }
    if (auto a = AuditReception(tx, call, "reception_visit", visit->register_number(), digest, now);
        !a.ok()) {
      return a;
    }
    StoreIdempotentResponse(tx, call.access.subject, call.method, r.request_id(),
                            out.SerializeAsString());
    return absl::OkStatus();
  });
  if (!st.ok()) return st;
  for (int64_t c : changes) petitions_.Changed(c);
  return out;
}

absl::StatusOr<v1::ReceptionVisit> Receptions::GetVisit(const CallContext& call,
                                                        const std::string& register_number) {
  if (register_number.empty()) {
    return InvalidArgumentWithViolations({{"register_number", "required"}});
  }
  auto found = ReadOnly(db_, "get_visit",
                        [&](auto& tx) { return ReceptionStore::FindVisit(tx, register_number); });
  if (!found.ok()) return found.status();
  if (!found->has_value() || !ReadsFor(call, (*found)->agency_code())) {
    return absl::NotFoundError("no such visit in a register you may read");
  }
  return **found;
}

absl::StatusOr<v1::GetReceptionDaysResponse> Receptions::ReceptionDays(
    const CallContext& call, const v1::GetReceptionDaysRequest& r) {
  Validator v;
  const std::string agency = r.agency_code().empty() ? call.access.agency : r.agency_code();
  v.Check(IsValidAgencyCode(agency), "agency_code", "must be a national agency code");
  auto period = ParseReportPeriod(r.period());
  v.Check(period.ok(), "period", "a month YYYY-MM, a quarter YYYY-Qn or a year YYYY");
  v.Check(v1::ReceptionLeaderRole_IsValid(r.role()), "role", "a leader role");
  v.Check(r.role() == v1::RECEPTION_LEADER_ROLE_UNSPECIFIED || !r.leader_id().empty(), "leader_id",
          "required with role");
  if (!v.ok()) return v.status();
  if (!ReadsFor(call, agency)) {
    return absl::PermissionDeniedError("only the agency's staff, inspectors and auditors");
  }
  auto cal = petitions_.CurrentCalendar();
  if (cal == nullptr) return absl::UnavailableError("no working-day calendar yet");
  const ReportPeriod window = ReceptionDaysWindow(*period);
  auto sessions = ReadOnly(db_, "reception_days", [&](auto& tx) {
    return ReceptionStore::RegularSessions(tx, agency, std::min(window.first, period->first),
                                           std::max(window.last, period->last));
  });
  if (!sessions.ok()) return sessions.status();
  // Each leader: their role (the latest session's), their own days and their deputies'.
  struct Leader {
    v1::ReceptionLeader who;
    std::vector<HeldReceptionDay> held;
  };
  std::map<std::string, Leader> leaders;
  if (!r.leader_id().empty()) {
    leaders[r.leader_id()].who.set_id(r.leader_id());
    leaders[r.leader_id()].who.set_role(r.role());
  }
  for (const auto& s : *sessions) {
    absl::CivilDay d;
    calendar::ParseDate(s.date(), &d);
    const bool deputy = s.leader().role() == v1::RECEPTION_LEADER_ROLE_DEPUTY;
    const v1::ReceptionLeader& head = deputy ? s.stands_in_for() : s.leader();
    if (!r.leader_id().empty() && head.id() != r.leader_id() && s.leader().id() != r.leader_id()) {
      continue;
    }
    // A deputy's own line (no requirement), and the head's day through them.
    if (deputy && (r.leader_id().empty() || s.leader().id() == r.leader_id())) {
      Leader& own = leaders[s.leader().id()];
      own.who = s.leader();
      own.held.push_back({d, false});
    }
    if (r.leader_id().empty() || head.id() == r.leader_id()) {
      Leader& l = leaders[head.id()];
      // The role of the head's latest own session (sessions come by day).
      if (!deputy || l.who.role() == v1::RECEPTION_LEADER_ROLE_UNSPECIFIED) l.who = head;
      l.held.push_back({d, deputy});
    }
  }
  if (!r.leader_id().empty() && r.role() != v1::RECEPTION_LEADER_ROLE_UNSPECIFIED) {
    leaders[r.leader_id()].who.set_role(r.role());
  }
  v1::GetReceptionDaysResponse out;
  for (auto& [id, l] : leaders) {
    if (l.who.role() == v1::RECEPTION_LEADER_ROLE_UNSPECIFIED) {
      return InvalidArgumentWithViolations(
          {{"role", absl::StrCat("leader ", id, " has no session to take the role from")}});
    }
    auto days = CountReceptionDays(l.who.role(), *period, l.held, petitions_.rules(), *cal);
    if (!days.ok()) return days.status();
    *days->mutable_leader() = l.who;
    days->set_period(r.period());
    *out.add_leaders() = std::move(*days);
  }
  return out;
}

}  // namespace localgov::petition

// localgovctl reception and voter: every command calls ReceptionService on the petition
// service (LOCALGOV_PETITION_ADDR) with a development token of --role, --agency, --subject
// (officer by default; leader for `voter assign`). Reports print a table, JSON with
// --output json, or CSV with --output csv.
#include "tools/localgovctl/reception_commands.h"

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tools/localgovctl/reception_call.h"

namespace localgovctl {
namespace {

using namespace petition_cli;   // NOLINT: the petition group's shared vocabulary
using namespace reception_cli;  // NOLINT: Call, NewId

// ---- reception session ----

struct SessionOptions {
  Who who;
  std::string request_id, kind = "regular", date, leader_id, leader_name, leader_role;
  std::string stands_in_for, stands_in_for_role, place, note;
};

int CreateSession(const TokenOptions& token, const SessionOptions& o) {
  pv1::CreateReceptionSessionRequest r;
  auto kind = ParseWord<pv1::ReceptionSessionKind>("--kind", "RECEPTION_SESSION_KIND_", o.kind);
  if (!kind) return 2;
  r.set_request_id(o.request_id.empty() ? NewId() : o.request_id);
  r.set_agency_code(o.who.agency);
  r.set_kind(*kind);
  r.set_date(o.date);
  if (!o.leader_role.empty()) {
    auto role = ParseWord<pv1::ReceptionLeaderRole>("--leader-role", "RECEPTION_LEADER_ROLE_",
                                                    o.leader_role);
    if (!role) return 2;
    r.mutable_leader()->set_role(*role);
  }
  r.mutable_leader()->set_id(o.leader_id);
  r.mutable_leader()->set_name(o.leader_name);
  if (!o.stands_in_for.empty()) {
    auto role = ParseWord<pv1::ReceptionLeaderRole>(
        "--stands-in-for-role", "RECEPTION_LEADER_ROLE_",
        o.stands_in_for_role.empty() ? "commune-chair" : o.stands_in_for_role);
    if (!role) return 2;
    r.mutable_stands_in_for()->set_id(o.stands_in_for);
    r.mutable_stands_in_for()->set_role(*role);
  }
  r.set_place(o.place);
  r.set_note(o.note);
  pv1::CreateReceptionSessionResponse resp;
  auto st = Call(token, o.who, &RStub::CreateReceptionSession, r, &resp);
  if (!st.ok()) return PrintError("reception session", st);
  if (PrintJsonIfAsked(resp.session())) return 0;
  std::cout << "session " << resp.session().id() << "  "
            << Word(pv1::ReceptionSessionKind_Name(resp.session().kind()),
                    "RECEPTION_SESSION_KIND_")
            << "  " << resp.session().date() << "  " << resp.session().leader().name() << "\n";
  return 0;
}

// ---- reception visit ----

struct VisitOptions {
  Who who;
  std::string request_id, session, name, citizen_id, address, content, history, request;
  std::string handling = "petitions-received", handling_note, referred_to, received;
  std::vector<std::string> representatives, matters;
  int delegation_size = 0;
  bool letter = false, written_down = false, signed_ = false;
};

// "kind|field|title|content[|act|learned-date]"
bool ParseMatter(const std::string& text, pv1::ReceivePetitionRequest* m) {
  std::vector<std::string> f = absl::StrSplit(text, '|');
  if (f.size() < 4) {
    std::cerr << "localgovctl: --matter is \"kind|field|title|content[|act|learned-date]\"\n";
    return false;
  }
  auto kind = ParseWord<pv1::PetitionKind>("--matter kind", "PETITION_KIND_", f[0]);
  auto field = ParseWord<pv1::PetitionField>("--matter field", "PETITION_FIELD_", f[1]);
  if (!kind || !field) return false;
  m->set_kind(*kind);
  m->set_field(*field);
  m->set_title(f[2]);
  m->set_content(f[3]);
  if (f.size() > 4) m->mutable_act()->set_description(f[4]);
  if (f.size() > 5) m->set_learned_date(f[5]);
  return true;
}

int RecordVisit(const TokenOptions& token, const VisitOptions& o) {
  pv1::RecordVisitRequest r;
  auto handling = ParseWord<pv1::VisitHandling>("--handling", "VISIT_HANDLING_", o.handling);
  if (!handling) return 2;
  if (!o.received.empty() && !ParseWhen(o.received, r.mutable_visit_time())) return 2;
  r.set_request_id(o.request_id.empty() ? NewId() : o.request_id);
  r.set_agency_code(o.who.agency);
  r.set_session_id(o.session);
  r.set_form(o.letter ? pv1::VISIT_FORM_LETTER : pv1::VISIT_FORM_IN_PERSON);
  if (o.delegation_size > 0 || !o.representatives.empty()) {
    r.mutable_delegation()->set_size(o.delegation_size);
    for (const auto& rep : o.representatives) {
      std::vector<std::string> f = absl::StrSplit(rep, '|');
      auto* p = r.mutable_delegation()->add_representatives();
      p->set_full_name(f[0]);
      if (f.size() > 1) p->set_citizen_id(f[1]);
      if (f.size() > 2) p->set_address(f[2]);
    }
  } else {
    r.mutable_visitor()->set_full_name(o.name);
    r.mutable_visitor()->set_citizen_id(o.citizen_id);
    r.mutable_visitor()->set_address(o.address);
  }
  r.set_content(o.content);
  r.set_history(o.history);
  r.set_request(o.request);
  r.set_handling(*handling);
  r.set_handling_note(o.handling_note);
  r.set_referred_to(o.referred_to);
  r.set_written_down(o.written_down);
  r.set_citizen_signed(o.signed_);
  for (const auto& m : o.matters) {
    if (!ParseMatter(m, r.add_petitions())) return 2;
  }
  pv1::RecordVisitResponse resp;
  auto st = Call(token, o.who, &RStub::RecordVisit, r, &resp);
  if (!st.ok()) return PrintError("reception visit", st);
  if (PrintJsonIfAsked(resp)) return 0;
  std::cout << "register number " << resp.visit().register_number()
            << (resp.visit().crowd_case() ? "  (crowd case)" : "") << "\n";
  for (const auto& p : resp.petitions()) {
    std::cout << "petition        " << p.petition().code() << "  follow secret "
              << p.follow_secret() << "  (shown once)\n";
  }
  return 0;
}

// ---- reception show ----

int ShowVisit(const TokenOptions& token, const Who& who, const std::string& number) {
  pv1::GetVisitRequest r;
  r.set_register_number(number);
  pv1::GetVisitResponse resp;
  auto st = Call(token, who, &RStub::GetVisit, r, &resp);
  if (!st.ok()) return PrintError("visit " + number, st);
  if (PrintJsonIfAsked(resp.visit())) return 0;
  const auto& v = resp.visit();
  std::cout << "register number " << v.register_number() << "\n"
            << "date            " << v.date() << "  session " << v.session_id() << "\n";
  if (v.identity_sealed()) {
    std::cout << "visitors        (sealed: a denunciation)\n";
  } else if (v.crowd_case()) {
    std::cout << "delegation      " << v.delegation().size() << " people\n";
    for (const auto& p : v.delegation().representatives()) PrintPerson("representative  ", p);
  } else {
    PrintPerson("visitor         ", v.visitor());
  }
  std::cout << "content         " << v.content() << "\n"
            << "history         " << v.history() << "\n"
            << "request         " << v.request() << "\n"
            << "handling        " << Word(pv1::VisitHandling_Name(v.handling()), "VISIT_HANDLING_")
            << (v.referred_to().empty() ? "" : " → " + v.referred_to()) << "\n"
            << "written by      " << (v.written_by().empty() ? "-" : v.written_by())
            << (v.citizen_signed() ? ", signed by the citizen" : "") << "\n";
  for (const auto& c : v.petition_codes()) std::cout << "petition        " << c << "\n";
  return 0;
}

// ---- reception days ----

struct DaysOptions {
  Who who;
  std::string period, leader, leader_role;
};

int Days(const TokenOptions& token, const DaysOptions& o) {
  pv1::GetReceptionDaysRequest r;
  r.set_agency_code(o.who.agency);
  r.set_period(o.period);
  r.set_leader_id(o.leader);
  if (!o.leader_role.empty()) {
    auto role = ParseWord<pv1::ReceptionLeaderRole>("--leader-role", "RECEPTION_LEADER_ROLE_",
                                                    o.leader_role);
    if (!role) return 2;
    r.set_role(*role);
  }
  pv1::GetReceptionDaysResponse resp;
  auto st = Call(token, o.who, &RStub::GetReceptionDays, r, &resp);
  if (!st.ok()) return PrintError("reception days", st);
  if (PrintJsonIfAsked(resp)) return 0;
  if (CsvOutput()) {
    std::cout << CsvRow({"leader", "name", "role", "period", "required", "held", "counted",
                         "missed_units", "deputy_counted", "deputy_not_counted"});
  } else {
    std::cout << Pad("leader", 14) << Pad("role", 18) << Pad("period", 9)
              << "required  held  counted  missed  deputy(counted/not)\n";
  }
  for (const auto& l : resp.leaders()) {
    const std::string role =
        Word(pv1::ReceptionLeaderRole_Name(l.leader().role()), "RECEPTION_LEADER_ROLE_");
    if (CsvOutput()) {
      std::cout << CsvRow({l.leader().id(), l.leader().name(), role, l.period(),
                           absl::StrCat(l.required_days()), absl::StrCat(l.held_days()),
                           absl::StrCat(l.counted_days()), absl::StrCat(l.missed_units()),
                           absl::StrCat(l.deputy_days_counted()),
                           absl::StrCat(l.deputy_days_not_counted())});
    } else {
      std::cout << Pad(Clip(l.leader().id(), 13), 14) << Pad(role, 18) << Pad(l.period(), 9)
                << Pad(absl::StrCat(l.required_days()), 10) << Pad(absl::StrCat(l.held_days()), 6)
                << Pad(absl::StrCat(l.counted_days()), 9) << Pad(absl::StrCat(l.missed_units()), 8)
                << l.deputy_days_counted() << "/" << l.deputy_days_not_counted() << "\n";
    }
  }
  return 0;
}

// ---- voter ----

struct VoterOptions {
  Who who;
  std::string request_id, council, meeting_date, held_date, place;
  std::string session, group, content, field = "other", id, to, due, answer, note, as_of;
  int term = 0, voters = 0;
  int64_t version = 0;
};

void PrintRecommendation(const pv1::VoterRecommendation& r) {
  if (PrintJsonIfAsked(r)) return;
  std::cout << r.id() << "  "
            << Word(pv1::VoterRecommendationState_Name(r.state()), "VOTER_RECOMMENDATION_STATE_")
            << "  v" << r.version() << "  [" << r.group() << "] " << Clip(r.content(), 50);
  if (!r.assigned_agency().empty())
    std::cout << "  → " << r.assigned_agency() << " by " << r.due_date();
  if (!r.answer_date().empty()) std::cout << "  answered " << r.answer_date();
  std::cout << "\n";
}

int VoterSession(const TokenOptions& token, const VoterOptions& o) {
  pv1::CreateVoterSessionRequest r;
  r.set_request_id(o.request_id.empty() ? NewId() : o.request_id);
  r.set_agency_code(o.who.agency);
  r.set_council(o.council);
  r.set_term(o.term);
  r.set_meeting_date(o.meeting_date);
  r.set_held_date(o.held_date);
  r.set_place(o.place);
  pv1::CreateVoterSessionResponse resp;
  auto st = Call(token, o.who, &RStub::CreateVoterSession, r, &resp);
  if (!st.ok()) return PrintError("voter session", st);
  if (!PrintJsonIfAsked(resp.session())) std::cout << "session " << resp.session().id() << "\n";
  return 0;
}

int VoterAdd(const TokenOptions& token, const VoterOptions& o) {
  pv1::AddVoterRecommendationRequest r;
  auto field = ParseWord<pv1::PetitionField>("--field", "PETITION_FIELD_", o.field);
  if (!field) return 2;
  r.set_request_id(o.request_id.empty() ? NewId() : o.request_id);
  r.set_session_id(o.session);
  r.set_group(o.group);
  r.set_content(o.content);
  r.set_field(*field);
  r.set_voter_count(o.voters);
  pv1::AddVoterRecommendationResponse resp;
  auto st = Call(token, o.who, &RStub::AddVoterRecommendation, r, &resp);
  if (!st.ok()) return PrintError("voter add", st);
  PrintRecommendation(resp.recommendation());
  return 0;
}

// The recommendation's current version (from its meeting's report), unless --version.
std::optional<int64_t> VersionOf(const TokenOptions& token, const VoterOptions& o) {
  if (o.version > 0) return o.version;
  pv1::GetVoterReportRequest r;
  r.set_session_id(o.id.substr(0, o.id.rfind('-')));
  pv1::GetVoterReportResponse resp;
  auto st = Call(token, o.who, &RStub::GetVoterReport, r, &resp);
  if (st.ok()) {
    for (const auto& rec : resp.recommendations()) {
      if (rec.id() == o.id) return rec.version();
    }
    st = grpc::Status(grpc::StatusCode::NOT_FOUND, "no such recommendation");
  }
  PrintError("voter " + o.id + " (give --version when you cannot read its meeting)", st);
  return std::nullopt;
}

template <typename Req, typename Resp>
int VoterStep(const TokenOptions& token, const VoterOptions& o, const char* what,
              grpc::Status (RStub::*method)(grpc::ClientContext*, const Req&, Resp*), Req r) {
  auto version = VersionOf(token, o);
  if (!version) return 1;
  r.set_id(o.id);
  r.set_expected_version(*version);
  Resp resp;
  auto st = Call(token, o.who, method, r, &resp);
  if (!st.ok()) return PrintError(what, st);
  PrintRecommendation(resp.recommendation());
  return 0;
}

int VoterReport(const TokenOptions& token, const VoterOptions& o) {
  pv1::GetVoterReportRequest r;
  r.set_session_id(o.session);
  r.set_as_of(o.as_of);
  pv1::GetVoterReportResponse resp;
  auto st = Call(token, o.who, &RStub::GetVoterReport, r, &resp);
  if (!st.ok()) return PrintError("voter report", st);
  if (PrintJsonIfAsked(resp)) return 0;
  if (CsvOutput()) {
    std::cout << CsvRow({"session", "agency", "assigned", "answered_on_time", "answered_late",
                         "not_yet_answered", "overdue"});
    for (const auto& row : resp.rows()) {
      std::cout << CsvRow({resp.session().id(), row.agency_code(), absl::StrCat(row.assigned()),
                           absl::StrCat(row.answered_on_time()), absl::StrCat(row.answered_late()),
                           absl::StrCat(row.not_yet_answered()), absl::StrCat(row.overdue())});
    }
    return 0;
  }
  std::cout << resp.session().council() << " — voters' meeting " << resp.session().held_date()
            << " (council meeting " << resp.session().meeting_date() << ")\n\n"
            << Pad("agency", 16) << "assigned  on time  late  not yet  overdue\n";
  for (const auto& row : resp.rows()) {
    std::cout << Pad(row.agency_code(), 16) << Pad(absl::StrCat(row.assigned()), 10)
              << Pad(absl::StrCat(row.answered_on_time()), 9)
              << Pad(absl::StrCat(row.answered_late()), 6)
              << Pad(absl::StrCat(row.not_yet_answered()), 9) << row.overdue() << "\n";
  }
  std::cout << "\n";
  for (const auto& rec : resp.recommendations()) PrintRecommendation(rec);
  return 0;
}

}  // namespace

void AddReceptionCommands(CLI::App& app, Shared& shared) {
  const TokenOptions& token = shared.token();
  auto* rec = app.add_subcommand("reception", "the reception register and leaders' days");
  rec->require_subcommand(1);

  auto so = std::make_shared<SessionOptions>();
  auto* session = rec->add_subcommand("session", "register a reception session");
  AddWho(session, so->who, "officer", "reception-officer");
  session->add_option("--kind", so->kind, "regular (default), extra or office");
  session->add_option("--date", so->date, "the day held, YYYY-MM-DD")->required();
  session->add_option("--leader-id", so->leader_id, "the leader's user id");
  session->add_option("--leader-name", so->leader_name, "the leader's name and title");
  session->add_option("--leader-role", so->leader_role,
                      "commune-chair, provincial-chair, agency-head, deputy, council-standing");
  session->add_option("--stands-in-for", so->stands_in_for, "a deputy's head (user id)");
  session->add_option("--stands-in-for-role", so->stands_in_for_role,
                      "the head's role (default commune-chair)");
  session->add_option("--place", so->place, "where");
  session->add_option("--note", so->note, "a note");
  session->add_option("--request-id", so->request_id, "idempotency key (default: random)");
  shared.On(session, [&token, so] { return CreateSession(token, *so); });

  auto vo = std::make_shared<VisitOptions>();
  auto* visit = rec->add_subcommand("visit", "record a visit (or a letter) and its petitions");
  AddWho(visit, vo->who, "officer", "reception-officer");
  visit->add_option("--session", vo->session, "the session (required in person)");
  visit->add_flag("--letter", vo->letter, "a letter registered by the office, not a visit");
  visit->add_option("--name", vo->name, "the visitor's full name");
  visit->add_option("--citizen-id", vo->citizen_id, "the visitor's 12-digit citizen ID");
  visit->add_option("--address", vo->address, "the visitor's address");
  visit->add_option("--delegation-size", vo->delegation_size, "a crowd case: how many came");
  visit->add_option("--representative", vo->representatives,
                    "a crowd case's representative \"name|citizen-id|address\" (repeat)");
  visit->add_option("--content", vo->content, "what it is about")->required();
  visit->add_option("--history", vo->history, "the matter's history");
  visit->add_option("--request", vo->request, "what the visitor asks");
  visit->add_option("--handling", vo->handling,
                    "petitions-received (default), guided, forwarded, explained, not-processed");
  visit->add_option("--handling-note", vo->handling_note, "a note on the handling");
  visit->add_option("--referred-to", vo->referred_to, "guided or forwarded to (agency code)");
  visit->add_option("--matter", vo->matters,
                    "one petition per matter: \"kind|field|title|content[|act|learned-date]\"");
  visit->add_flag("--written-down", vo->written_down, "a verbal petition written down by you");
  visit->add_flag("--signed", vo->signed_, "the citizen signed what was written down");
  visit->add_option("--received", vo->received, "when, \"YYYY-MM-DD HH:MM\" (default now)");
  visit->add_option("--request-id", vo->request_id, "idempotency key (default: random)");
  shared.On(visit, [&token, vo] { return RecordVisit(token, *vo); });

  auto show_who = std::make_shared<Who>();
  auto show_number = std::make_shared<std::string>();
  auto* show = rec->add_subcommand("show", "one line of the register");
  AddWho(show, *show_who, "officer", "reception-officer");
  show->add_option("register_number", *show_number, "e.g. 000.00.31.H41-TCD-2026-00001")
      ->required();
  shared.On(show,
            [&token, show_who, show_number] { return ShowVisit(token, *show_who, *show_number); });

  auto dd = std::make_shared<DaysOptions>();
  auto* days = rec->add_subcommand("days", "leaders' required reception days against those held");
  AddWho(days, dd->who, "officer", "reception-officer");
  days->add_option("--period", dd->period, "2026-07, 2026-Q3 or 2026")->required();
  days->add_option("--leader", dd->leader, "one leader (user id); default every leader");
  days->add_option("--leader-role", dd->leader_role, "that leader's role");
  shared.On(days, [&token, dd] { return Days(token, *dd); });
  AddReceptionRegisterCommands(*rec, shared);

  auto* voter = app.add_subcommand("voter", "voters' recommendations of People's Councils");
  voter->require_subcommand(1);
  auto vs = std::make_shared<VoterOptions>();
  auto* vsession = voter->add_subcommand("session", "register a voters' meeting");
  AddWho(vsession, vs->who, "officer", "council-officer");
  vsession->add_option("--council", vs->council, "e.g. \"HĐND xã Hòa Phú\"")->required();
  vsession->add_option("--term", vs->term, "the year the council's term began")->required();
  vsession->add_option("--meeting-date", vs->meeting_date, "the council meeting, YYYY-MM-DD")
      ->required();
  vsession->add_option("--held-date", vs->held_date, "the voters' meeting, YYYY-MM-DD")->required();
  vsession->add_option("--place", vs->place, "where");
  vsession->add_option("--request-id", vs->request_id, "idempotency key (default: random)");
  shared.On(vsession, [&token, vs] { return VoterSession(token, *vs); });

  auto va = std::make_shared<VoterOptions>();
  auto* add = voter->add_subcommand("add", "add a recommendation collected at a meeting");
  AddWho(add, va->who, "officer", "council-officer");
  add->add_option("--session", va->session, "the voters' meeting")->required();
  add->add_option("--group", va->group, "the group it belongs to")->required();
  add->add_option("--content", va->content, "the recommendation")->required();
  add->add_option("--field", va->field, "a petition field (default other)");
  add->add_option("--voters", va->voters, "how many voters raised it");
  add->add_option("--request-id", va->request_id, "idempotency key (default: random)");
  shared.On(add, [&token, va] { return VoterAdd(token, *va); });

  auto vg = std::make_shared<VoterOptions>();
  auto* assign = voter->add_subcommand("assign", "assign to the agency that answers");
  AddWho(assign, vg->who, "leader", "council-leader");
  assign->add_option("id", vg->id, "the recommendation")->required();
  assign->add_option("--to", vg->to, "the agency code")->required();
  assign->add_option("--due", vg->due, "the deadline, YYYY-MM-DD")->required();
  assign->add_option("--version", vg->version, "expected version (default: read it)");
  shared.On(assign, [&token, vg] {
    pv1::AssignVoterRecommendationRequest r;
    r.set_agency_code(vg->to);
    r.set_due_date(vg->due);
    return VoterStep(token, *vg, "voter assign", &RStub::AssignVoterRecommendation, r);
  });

  auto vn = std::make_shared<VoterOptions>();
  auto* answer = voter->add_subcommand("answer", "answer as the assigned agency");
  AddWho(answer, vn->who, "officer", "agency-officer");
  answer->add_option("id", vn->id, "the recommendation")->required();
  answer->add_option("--answer", vn->answer, "the answer")->required();
  answer->add_option("--version", vn->version, "expected version (default: read it)");
  shared.On(answer, [&token, vn] {
    pv1::AnswerVoterRecommendationRequest r;
    r.set_answer(vn->answer);
    return VoterStep(token, *vn, "voter answer", &RStub::AnswerVoterRecommendation, r);
  });

  auto vb = std::make_shared<VoterOptions>();
  auto* back = voter->add_subcommand("report-back", "record the answer reported to the voters");
  AddWho(back, vb->who, "officer", "council-officer");
  back->add_option("id", vb->id, "the recommendation")->required();
  back->add_option("--note", vb->note, "how it was reported");
  back->add_option("--version", vb->version, "expected version (default: read it)");
  shared.On(back, [&token, vb] {
    pv1::ReportBackVoterRecommendationRequest r;
    r.set_note(vb->note);
    return VoterStep(token, *vb, "voter report-back", &RStub::ReportBackVoterRecommendation, r);
  });

  auto vr = std::make_shared<VoterOptions>();
  auto* report = voter->add_subcommand("report", "per agency: answered on time, late, not yet");
  AddWho(report, vr->who, "officer", "council-officer");
  report->add_option("session", vr->session, "the voters' meeting")->required();
  report->add_option("--as-of", vr->as_of, "YYYY-MM-DD (default today)");
  shared.On(report, [&token, vr] { return VoterReport(token, *vr); });
}

}  // namespace localgovctl

// localgovctl petition: a reception officer's day (the transitions are in
// petition_transition_commands.cc). Every command calls the petition service
// (LOCALGOV_PETITION_ADDR) with a development token of --role, --agency and --subject (each
// command has the role its RPC needs by default: officer; leader for assign, extend, suspend,
// resume, decide; inspector for reveal; auditor for readings). Transitions read the current
// version first unless --version is given. A denouncer's identity is printed by `reveal` only.
#include "tools/localgovctl/petition_commands.h"
#include "tools/localgovctl/petition_view.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <functional>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/crypto.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/grpcpp.h"
#include "localgov/petition/v1/petition_service.grpc.pb.h"
#include "services/petition/identity_vault.h"

namespace localgovctl {
namespace {

using namespace petition_cli;  // NOLINT: the group's shared vocabulary

// ---- receive ----

struct ReceiveOptions {
  Who who;
  std::string kind, field, channel = "reception", title, content, request_id, received;
  std::string name, citizen_id, address, phone, email;
  std::string act, decision_number, decision_date, issuing_agency, dossier, learned_date;
  std::string first_petition, first_decision_date;
  std::vector<std::string> parties, attachments;
  bool anonymous = false, remote = false, several = false, even_if_duplicate = false;
  int round = 0;
};

int Receive(const TokenOptions& token, const ReceiveOptions& o) {
  pv1::ReceivePetitionRequest req;
  auto kind = ParseWord<pv1::PetitionKind>("--kind", "PETITION_KIND_", o.kind);
  auto field = ParseWord<pv1::PetitionField>("--field", "PETITION_FIELD_", o.field);
  auto channel = ParseWord<pv1::PetitionChannel>("--channel", "PETITION_CHANNEL_", o.channel);
  if (!kind || !field || !channel) return 2;
  if (!o.received.empty() && !ParseWhen(o.received, req.mutable_received_time())) return 2;
  req.set_request_id(o.request_id.empty() ? "localgovctl-" + localgov::RandomId() : o.request_id);
  req.set_kind(*kind);
  req.set_field(*field);
  req.set_channel(*channel);
  req.set_agency_code(o.who.agency);
  req.set_title(o.title);
  req.set_content(o.content);
  auto* act = req.mutable_act();
  act->set_description(o.act);
  act->set_decision_number(o.decision_number);
  act->set_decision_date(o.decision_date);
  act->set_issuing_agency_code(o.issuing_agency);
  act->set_dossier_code(o.dossier);
  req.set_learned_date(o.learned_date);
  // The denouncer's flags go into the request only (sealed by the service); never printed.
  auto* who = req.mutable_petitioner();
  who->set_full_name(o.name);
  who->set_citizen_id(o.citizen_id);
  who->set_address(o.address);
  who->set_phone(o.phone);
  who->set_email(o.email);
  for (const auto& p : o.parties) {
    auto* party = req.add_parties();
    const auto bar = p.find('|');
    party->set_name(p.substr(0, bar));
    if (bar != std::string::npos) party->set_role(p.substr(bar + 1));
  }
  for (const auto& a : o.attachments) req.add_attachments()->set_file_name(a);
  req.set_anonymous(o.anonymous);
  req.set_remote_area(o.remote);
  req.set_several_places(o.several);
  req.set_complaint_round(o.round);
  req.set_first_petition_code(o.first_petition);
  req.set_first_decision_date(o.first_decision_date);
  req.set_process_even_if_duplicate(o.even_if_duplicate);
  Client c(token, o.who);
  if (!c.Ready()) return 2;
  pv1::ReceivePetitionResponse resp;
  auto st = c.Call(&Stub::ReceivePetition, req, &resp);
  if (!st.ok()) return PrintError("receive", st);
  std::cout << "code          " << resp.petition().code() << "\n"
            << "follow secret " << resp.follow_secret()
            << "   (hand it to the citizen with the code: shown once)\n\n";
  PrintPetition(resp.petition());
  for (const auto& d : resp.duplicates()) {
    std::cout << "repeats      " << d.code() << " (" << StateWord(d.state()) << ", score "
              << static_cast<int>(d.score() * 100 + 0.5)
              << "%: " << absl::StrJoin(d.reasons(), "; ") << ")\n";
  }
  PrintRelatedDossiers(resp.related_dossiers());
  return 0;
}

// ---- show ----

struct ShowOptions {
  Who who;
  std::string code;
  bool json = false;
};

int Show(const TokenOptions& token, const ShowOptions& o) {
  Client c(token, o.who);
  if (!c.Ready()) return 2;
  pv1::GetPetitionRequest req;
  req.set_code(o.code);
  pv1::GetPetitionResponse resp;
  auto st = c.Call(&Stub::GetPetition, req, &resp);
  if (!st.ok()) return PrintError("petition " + o.code, st);
  if (o.json) {
    std::cout << Json(resp.petition()) << "\n";
  } else {
    PrintPetition(resp.petition());
    PrintRelatedDossiers(resp.related_dossiers());
  }
  return 0;
}

// ---- timeline ----

struct TimelineOptions {
  std::string citizen_id;
  bool open_only = false, json = false;
};

int Timeline(const TokenOptions& token, const TimelineOptions& o) {
  Client c(token, Who{"citizen", "", o.citizen_id});
  if (!c.Ready()) return 2;
  pv1::GetCitizenTimelineRequest req;
  req.set_open_only(o.open_only);
  pv1::GetCitizenTimelineResponse resp;
  auto st = c.Call(&Stub::GetCitizenTimeline, req, &resp);
  if (!st.ok()) return PrintError("timeline", st);
  if (o.json) {
    std::cout << Json(resp) << "\n";
    return 0;
  }
  for (const auto& g : resp.gaps()) {
    std::cout << "PARTIAL: no " << Word(pv1::TimelineSource_Name(g.source()), "TIMELINE_SOURCE_")
              << "s (" << g.reason() << ")\n";
  }
  for (const auto& i : resp.items()) {
    const std::string source = Word(pv1::TimelineSource_Name(i.source()), "TIMELINE_SOURCE_");
    std::cout << std::left << std::setw(9) << source << std::setw(30) << i.code() << std::setw(22)
              << (i.open() ? "open" : "closed") + std::string(" ") +
                     (i.next_deadline().empty() ? "" : i.next_deadline())
              << i.state() << "  " << i.subject() << "\n";
  }
  if (resp.items().empty()) std::cout << "no dossiers or petitions\n";
  if (resp.truncated()) std::cout << "(more than 100 of a kind: the oldest closed ones left out)\n";
  return 0;
}

// ---- print ----

struct PrintOptions {
  Who who;
  std::string code, output;
};

int PrintReceipt(const TokenOptions& token, const PrintOptions& o) {
  Client c(token, o.who);
  if (!c.Ready()) return 2;
  pv1::PrintPetitionReceiptRequest req;
  req.set_code(o.code);
  pv1::PrintPetitionReceiptResponse resp;
  auto st = c.Call(&Stub::PrintPetitionReceipt, req, &resp);
  if (!st.ok()) return PrintError("print " + o.code, st);
  return SaveFile(o.output.empty() ? resp.file_name() : o.output, resp.pdf());
}

// ---- list ----

struct ListOptions {
  Who who;
  std::string kind, field, channel, officer, due_before, page_token;
  std::vector<std::string> states;
  bool overdue = false, all = false, long_running = false, duplicates = false;
  int page_size = 50;
};

int List(const TokenOptions& token, const ListOptions& o) {
  pv1::ListPetitionsRequest req;
  req.set_agency_code(o.who.agency);
  if (!o.kind.empty()) {
    auto k = ParseWord<pv1::PetitionKind>("--kind", "PETITION_KIND_", o.kind);
    if (!k) return 2;
    req.set_kind(*k);
  }
  if (!o.field.empty()) {
    auto f = ParseWord<pv1::PetitionField>("--field", "PETITION_FIELD_", o.field);
    if (!f) return 2;
    req.set_field(*f);
  }
  if (!o.channel.empty()) {
    auto ch = ParseWord<pv1::PetitionChannel>("--channel", "PETITION_CHANNEL_", o.channel);
    if (!ch) return 2;
    req.set_channel(*ch);
  }
  for (const auto& s : o.states) {
    auto state = ParseWord<pv1::PetitionState>("--state", "PETITION_STATE_", s);
    if (!state) return 2;
    req.add_states(*state);
  }
  req.set_officer(o.officer);
  req.set_due_before(o.due_before);
  req.set_overdue_only(o.overdue);
  req.set_long_running_only(o.long_running);
  req.set_duplicates_only(o.duplicates);
  req.set_page_size(o.page_size);
  req.set_page_token(o.page_token);
  Client c(token, o.who);
  if (!c.Ready()) return 2;
  if (JsonOutput()) {  // every page (or the one asked for) as one ListPetitionsResponse
    pv1::ListPetitionsResponse all;
    while (true) {
      pv1::ListPetitionsResponse resp;
      auto st = c.Call(&Stub::ListPetitions, req, &resp);
      if (!st.ok()) return PrintError("list", st);
      all.mutable_petitions()->MergeFrom(resp.petitions());
      all.set_next_page_token(resp.next_page_token());
      if (resp.next_page_token().empty() || !o.all) break;
      req.set_page_token(resp.next_page_token());
    }
    PrintJsonIfAsked(all);
    return 0;
  }
  std::cout << Pad("CODE", 30) << Pad("KIND", 15) << Pad("STATE", 14) << Pad("NEXT DUE", 30)
            << Pad("OFFICER", 19) << "TITLE\n";
  int shown = 0;
  while (true) {
    pv1::ListPetitionsResponse resp;
    auto st = c.Call(&Stub::ListPetitions, req, &resp);
    if (!st.ok()) return PrintError("list", st);
    for (const auto& p : resp.petitions()) {
      ++shown;
      std::string due = "-";
      if (p.has_next_deadline()) {
        due = p.next_deadline().due_date() + " " +
              Word(pv1::DeadlineKind_Name(p.next_deadline().kind()), "DEADLINE_KIND_");
      }
      std::cout << Pad(p.code(), 30) << Pad(KindWord(p.kind()), 15) << Pad(StateWord(p.state()), 14)
                << Pad(due + (p.overdue() ? " !" : ""), 30)
                << Pad(p.officer().empty() ? "-" : Clip(p.officer(), 17), 19) << Clip(p.title(), 48)
                << "\n";
    }
    if (resp.next_page_token().empty()) break;
    if (!o.all) {
      std::cout << "(more: --page-token " << resp.next_page_token() << ", or --all)\n";
      break;
    }
    req.set_page_token(resp.next_page_token());
  }
  std::cout << shown << " petition" << (shown == 1 ? "" : "s") << " (! overdue)\n";
  return 0;
}

// ---- reveal, readings, lookup, watch ----

struct RevealOptions {
  Who who;
  std::string code, reason;
};

// The only place a denouncer's identity is printed: to the leader or inspector who asked,
// with their reason recorded by the service.
int Reveal(const TokenOptions& token, const RevealOptions& o) {
  Client c(token, o.who);
  if (!c.Ready()) return 2;
  pv1::RevealDenouncerIdentityRequest req;
  req.set_code(o.code);
  req.set_reason(o.reason);
  pv1::RevealDenouncerIdentityResponse resp;
  auto st = c.Call(&Stub::RevealDenouncerIdentity, req, &resp);
  if (!st.ok()) return PrintError("reveal " + o.code, st);
  PrintPerson("denouncer  ", resp.denouncer());
  const auto& r = resp.reading();
  std::cout << "recorded   " << When(r.read_time()) << " " << r.reader() << " (" << r.role() << ", "
            << r.agency_code() << "): " << r.reason()
            << "\nKeep it secret (Law on Denunciation 25/2018 Art. 47).\n";
  return 0;
}

struct ReadingsOptions {
  Who who;
  std::string petition, page_token;
  int page_size = 50;
};

int Readings(const TokenOptions& token, const ReadingsOptions& o) {
  Client c(token, o.who);
  if (!c.Ready()) return 2;
  pv1::ListIdentityReadingsRequest req;
  req.set_agency_code(o.who.agency);
  req.set_petition_code(o.petition);
  req.set_page_size(o.page_size);
  req.set_page_token(o.page_token);
  pv1::ListIdentityReadingsResponse resp;
  auto st = c.Call(&Stub::ListIdentityReadings, req, &resp);
  if (!st.ok()) return PrintError("readings", st);
  std::cout << Pad("WHEN", 17) << Pad("PETITION OR VISIT", 30) << Pad("READER", 24) << "REASON\n";
  for (const auto& r : resp.readings()) {
    const std::string& what = r.petition_code().empty() ? r.register_number() : r.petition_code();
    std::cout << Pad(When(r.read_time()), 17) << Pad(what, 30)
              << Pad(r.reader() + " (" + r.role() + ")", 24) << r.reason() << "\n";
  }
  if (!resp.next_page_token().empty()) {
    std::cout << "(more: --page-token " << resp.next_page_token() << ")\n";
  }
  return 0;
}

struct LookupOptions {
  Who who;
  std::string code, secret;
};

int Lookup(const TokenOptions& token, const LookupOptions& o) {
  Client c(token, o.who);
  if (!c.Ready()) return 2;
  pv1::LookupPetitionRequest req;
  req.set_code(o.code);
  req.set_second_factor(o.secret);
  pv1::LookupPetitionResponse resp;
  auto st = c.Call(&Stub::LookupPetition, req, &resp);
  if (!st.ok()) return PrintError("lookup " + o.code, st);
  PrintPetition(resp.petition());
  return 0;
}

struct WatchOptions {
  Who who;
  std::string code;
  int64_t after = 0;
  int count = 0;
};

// Follows WatchPetitions and prints each change; stops after `count` changes (0: never).
int Watch(const TokenOptions& token, const WatchOptions& o) {
  Client c(token, o.who);
  if (!c.Ready()) return 2;
  pv1::WatchPetitionsRequest req;
  if (o.code.empty()) {
    req.set_agency_code(o.who.agency);
  } else {
    req.set_petition_code(o.code);
  }
  req.set_after_sequence(o.after);
  grpc::ClientContext ctx;
  c.Prepare(ctx);
  auto reader = c.stub().WatchPetitions(&ctx, req);
  pv1::WatchPetitionsResponse ch;
  int seen = 0;
  while (reader->Read(&ch)) {
    const auto& e = ch.event();
    std::cout << "#" << ch.sequence() << " " << ch.petition_code() << " " << KindWord(ch.kind())
              << " " << When(e.time()) << " "
              << (e.from_state() == pv1::PETITION_STATE_UNSPECIFIED
                      ? ""
                      : StateWord(e.from_state()) + " -> ")
              << StateWord(e.to_state())
              << (ch.next_due_date().empty() ? "" : " due " + ch.next_due_date()) << ": "
              << e.note() << std::endl;
    if (o.count > 0 && ++seen >= o.count) {
      ctx.TryCancel();
      while (reader->Read(&ch)) {
      }
      reader->Finish().IgnoreError();
      return 0;
    }
  }
  auto st = reader->Finish();
  if (!st.ok()) return PrintError("watch", st);
  return 0;
}

// ---- sealing-keygen ----

// Writes "key_id:base64(32 random bytes)" to a new file of mode 0600; never overwrites one (a
// lost key ring is sealed identities lost).
int SealingKeygen(const std::string& key_id, const std::string& out) {
  if (key_id.empty() || key_id.find_first_of(":\n# ") != std::string::npos ||
      key_id == localgov::petition::IdentityVault::kIndexKeyId) {
    std::cerr << "localgovctl: --key-id is required, without ':', '#', spaces, and not 'index'\n";
    return 2;
  }
  // The sealing key, and the key of the blind index that matches a denouncer's petitions
  // (kept in the same ring, never rotated with the sealing keys).
  const std::string line = localgov::petition::IdentityVault::NewKeyLine(key_id) + "\n" +
                           localgov::petition::IdentityVault::NewKeyLine(
                               localgov::petition::IdentityVault::kIndexKeyId) +
                           "\n";
  if (line.size() <= key_id.size() + 2) {
    std::cerr << "localgovctl: libsodium did not initialise\n";
    return 1;
  }
  const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    std::cerr << "localgovctl: cannot create " << out
              << " (it must not exist: add a new key as the first line of the ring by hand)\n";
    return 2;
  }
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ::close(fd);
  if (!ok) {
    std::cerr << "localgovctl: cannot write " << out << "\n";
    return 1;
  }
  std::cout << "wrote sealing key " << key_id << " and the blind-index key to " << out
            << " (mode 0600)\n";
  return 0;
}

}  // namespace

void AddPetitionCommands(CLI::App& app, Shared& shared) {
  const TokenOptions& token = shared.token();
  auto* pet = app.add_subcommand("petition", "citizen petitions: a reception officer's day");
  pet->require_subcommand(1);

  auto ro = std::make_shared<ReceiveOptions>();
  auto* receive = pet->add_subcommand("receive", "receive a petition (prints code, follow secret)");
  AddWho(receive, ro->who, "officer", "reception-officer");
  receive->add_option("--kind", ro->kind, "complaint, denunciation, recommendation or reflection")
      ->required();
  receive
      ->add_option("--field", ro->field,
                   "land, social-policy, justice-civil-status, administrative-procedure, "
                   "construction, environment, cadre-conduct, economy-finance, health-education, "
                   "other")
      ->required();
  receive->add_option("--channel", ro->channel,
                      "reception (default), letter, online or voter-meeting");
  receive->add_option("--title", ro->title, "a short title")->required();
  receive->add_option("--content", ro->content, "the content")->required();
  receive->add_option("--name", ro->name, "petitioner (denouncer: sealed) full name");
  receive->add_option("--citizen-id", ro->citizen_id, "petitioner's 12-digit citizen ID");
  receive->add_option("--address", ro->address, "petitioner's address");
  receive->add_option("--phone", ro->phone, "petitioner's phone");
  receive->add_option("--email", ro->email, "petitioner's e-mail");
  receive->add_flag("--anonymous", ro->anonymous, "unsigned or anonymous: no petitioner");
  receive->add_option("--act", ro->act, "the decision or act concerned, in words");
  receive->add_option("--decision-number", ro->decision_number, "its number, e.g. 125/QĐ-UBND");
  receive->add_option("--decision-date", ro->decision_date, "its date YYYY-MM-DD");
  receive->add_option("--issuing-agency", ro->issuing_agency, "the agency that issued it");
  receive->add_option("--dossier", ro->dossier, "a dossier code it is about");
  receive->add_option("--learned-date", ro->learned_date,
                      "complaint: the day the decision became known YYYY-MM-DD");
  receive->add_option("--round", ro->round, "complaint: 2 for a second complaint");
  receive->add_option("--first-petition", ro->first_petition, "second complaint: the first's code");
  receive->add_option("--first-decision-date", ro->first_decision_date,
                      "second complaint: the first decision's date");
  receive->add_option("--party", ro->parties, "who it is about, \"NAME|ROLE\" (repeat)");
  receive->add_option("--attach", ro->attachments, "an attached file's name (repeat)");
  receive->add_flag("--remote-area", ro->remote, "the petitioner lives in a remote area");
  receive->add_flag("--several-places", ro->several, "denunciation: checks span several places");
  receive->add_flag("--process-even-if-duplicate", ro->even_if_duplicate,
                    "handle it although it repeats a petition already answered");
  receive->add_option("--received", ro->received, "\"YYYY-MM-DD HH:MM\" (default now)");
  receive->add_option("--request-id", ro->request_id, "idempotency key (default random)");
  shared.On(receive, [ro, &token] { return Receive(token, *ro); });

  auto so = std::make_shared<ShowOptions>();
  shared.OnJsonOutput([so] { so->json = true; });
  auto* show = pet->add_subcommand("show", "a petition: clocks, handling and history");
  AddWho(show, so->who, "officer", "reception-officer");
  show->add_option("code", so->code, "petition code")->required();
  show->add_flag("--json", so->json, "as JSON");
  shared.On(show, [so, &token] { return Show(token, *so); });

  auto to = std::make_shared<TimelineOptions>();
  auto* timeline = pet->add_subcommand(
      "timeline", "a citizen's own dossiers and petitions, open first (as the portal shows them)");
  timeline->add_option("--citizen-id", to->citizen_id, "the citizen (their token's subject)")
      ->required();
  timeline->add_flag("--open", to->open_only, "only matters still open");
  timeline->add_flag("--json", to->json, "as JSON");
  shared.OnJsonOutput([to] { to->json = true; });
  shared.On(timeline, [to, &token] { return Timeline(token, *to); });

  auto po = std::make_shared<PrintOptions>();
  auto* print =
      pet->add_subcommand("print",
                          "the reception office's receipt as a PDF (never the denouncer), e.g. "
                          "`petition print CODE -o bien-nhan.pdf`");
  AddWho(print, po->who, "officer", "reception-officer");
  print->add_option("code", po->code, "petition code")->required();
  print->add_option("-o,--output", po->output, "the PDF file (default: <code>-bien-nhan.pdf)");
  shared.On(print, [po, &token] { return PrintReceipt(token, *po); });

  auto lo = std::make_shared<ListOptions>();
  auto* list = pet->add_subcommand("list", "the agency's petitions, by next deadline");
  AddWho(list, lo->who, "officer", "reception-officer");
  list->add_option("--kind", lo->kind, "complaint, denunciation, recommendation, reflection");
  list->add_option("--state", lo->states,
                   "received, accepted, suspended, forwarded, guided, not-processed, resolved, "
                   "withdrawn, closed (repeat)");
  list->add_option("--field", lo->field, "field (see receive --help)");
  list->add_option("--channel", lo->channel, "reception, letter, online, forwarded, voter-meeting");
  list->add_flag("--overdue", lo->overdue, "open petitions whose next deadline has passed");
  list->add_option("--due-before", lo->due_before, "open, next deadline on or before YYYY-MM-DD");
  list->add_flag("--long-running", lo->long_running,
                 "matters petitioned again and again, or open too long");
  list->add_flag("--duplicates", lo->duplicates, "petitions that repeat an earlier one");
  list->add_option("--officer", lo->officer, "assigned to this officer");
  list->add_option("--page-size", lo->page_size, "per page (default 50, at most 500)");
  list->add_option("--page-token", lo->page_token, "the page after a previous list");
  list->add_flag("--all", lo->all, "every page");
  shared.On(list, [lo, &token] { return List(token, *lo); });

  AddPetitionTransitionCommands(pet, shared);

  auto rv = std::make_shared<RevealOptions>();
  auto* reveal = pet->add_subcommand(
      "reveal", "read a denouncer's sealed identity (leader, inspector; the reading is recorded)");
  AddWho(reveal, rv->who, "inspector", "inspector");
  reveal->add_option("code", rv->code, "petition code")->required();
  reveal->add_option("--reason", rv->reason, "why it is needed (at least 10 characters; recorded)")
      ->required();
  shared.On(reveal, [rv, &token] { return Reveal(token, *rv); });

  auto rd = std::make_shared<ReadingsOptions>();
  auto* readings =
      pet->add_subcommand("readings", "who read sealed identities, when, why (auditor, inspector)");
  AddWho(readings, rd->who, "auditor", "auditor");
  readings->add_option("--petition", rd->petition, "one petition's readings");
  readings->add_option("--page-size", rd->page_size, "per page (default 50)");
  readings->add_option("--page-token", rd->page_token, "the page after a previous list");
  shared.On(readings, [rd, &token] { return Readings(token, *rd); });

  auto lk = std::make_shared<LookupOptions>();
  auto* lookup = pet->add_subcommand("lookup", "the citizen's view by code and follow secret");
  AddWho(lookup, lk->who, "citizen", "portal-visitor");
  lookup->add_option("code", lk->code, "petition code")->required();
  lookup->add_option("--secret", lk->secret, "the follow secret")->required();
  shared.On(lookup, [lk, &token] { return Lookup(token, *lk); });

  auto wo = std::make_shared<WatchOptions>();
  auto* watch = pet->add_subcommand("watch", "follow the agency's (or one petition's) changes");
  AddWho(watch, wo->who, "officer", "reception-officer");
  watch->add_option("--code", wo->code, "one petition instead of the agency");
  watch->add_option("--after", wo->after, "resume after this feed sequence");
  watch->add_option("--count", wo->count, "stop after N changes (default: follow)");
  shared.On(watch, [wo, &token] { return Watch(token, *wo); });

  auto key_id = std::make_shared<std::string>();
  auto key_out = std::make_shared<std::string>();
  auto* keygen = pet->add_subcommand(
      "sealing-keygen", "a new identity sealing key file (LOCALGOV_IDENTITY_KEYS_FILE), mode 0600");
  keygen->add_option("--key-id", *key_id, "the key's id, e.g. seal-2026-1")->required();
  keygen->add_option("--out", *key_out, "the file to create (must not exist)")->required();
  shared.On(keygen, [key_id, key_out] { return SealingKeygen(*key_id, *key_out); });
  AddPetitionReportCommands(pet, shared);
}

}  // namespace localgovctl

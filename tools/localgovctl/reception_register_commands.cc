// localgovctl reception visits: the register by period (ListVisits), every page, as a table,
// JSON (--output json) or CSV (--output csv); a sealed visit lists no visitor. And reception
// reveal-visitors: a denunciation visit's sealed visitors (RevealVisitors, recorded).
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/localgovctl/reception_call.h"
#include "tools/localgovctl/reception_commands.h"

namespace localgovctl {
namespace {

using namespace petition_cli;   // NOLINT: the petition group's shared vocabulary
using namespace reception_cli;  // NOLINT: Call, NewId

struct VisitsOptions {
  Who who;
  std::string from, to, session, leader;
  bool crowd = false;
  int page_size = 0;
};

// Who came, as a list may show it.
std::string Visitors(const pv1::ReceptionVisit& v) {
  if (v.identity_sealed()) return "(sealed)";
  if (v.crowd_case()) {
    std::string out = absl::StrCat(v.delegation().size(), " people");
    if (v.delegation().representatives_size() > 0) {
      absl::StrAppend(&out, ": ", v.delegation().representatives(0).full_name());
    }
    return out;
  }
  return v.visitor().full_name();
}

int ListVisits(const TokenOptions& token, const VisitsOptions& o) {
  pv1::ListVisitsRequest r;
  r.set_agency_code(o.who.agency);
  r.set_from_date(o.from);
  r.set_to_date(o.to);
  r.set_session_id(o.session);
  r.set_leader_id(o.leader);
  r.set_crowd_cases_only(o.crowd);
  r.set_page_size(o.page_size);
  pv1::ListVisitsResponse all;
  do {
    pv1::ListVisitsResponse page;
    auto st = Call(token, o.who, &RStub::ListVisits, r, &page);
    if (!st.ok()) return PrintError("reception visits", st);
    for (auto& v : *page.mutable_visits()) *all.add_visits() = std::move(v);
    r.set_page_token(page.next_page_token());
  } while (!r.page_token().empty());
  if (PrintJsonIfAsked(all)) return 0;
  const auto handling = [](const pv1::ReceptionVisit& v) {
    return Word(pv1::VisitHandling_Name(v.handling()), "VISIT_HANDLING_");
  };
  if (CsvOutput()) {
    std::cout << CsvRow({"register_number", "date", "session", "form", "crowd_case", "persons",
                         "visitors", "content", "handling", "petitions"});
    for (const auto& v : all.visits()) {
      std::cout << CsvRow({v.register_number(), v.date(), v.session_id(),
                           Word(pv1::VisitForm_Name(v.form()), "VISIT_FORM_"),
                           v.crowd_case() ? "yes" : "no",
                           absl::StrCat(v.crowd_case() ? v.delegation().size() : 1), Visitors(v),
                           v.content(), handling(v), absl::StrJoin(v.petition_codes(), " ")});
    }
    return 0;
  }
  std::cout << Pad("register number", 30) << Pad("date", 12) << Pad("visitors", 26)
            << Pad("handling", 20) << "content\n";
  for (const auto& v : all.visits()) {
    std::cout << Pad(v.register_number(), 30) << Pad(v.date(), 12) << Pad(Clip(Visitors(v), 25), 26)
              << Pad(handling(v), 20) << Clip(v.content(), 40) << "\n";
  }
  std::cout << all.visits_size() << " visit(s)\n";
  return 0;
}

struct RevealOptions {
  Who who;
  std::string number, reason;
};

// The only place a sealed visitor is printed: to the leader or inspector who asked, with their
// reason recorded by the service (as `petition reveal`).
int RevealVisitors(const TokenOptions& token, const RevealOptions& o) {
  pv1::RevealVisitorsRequest r;
  r.set_register_number(o.number);
  r.set_reason(o.reason);
  pv1::RevealVisitorsResponse resp;
  auto st = Call(token, o.who, &RStub::RevealVisitors, r, &resp);
  if (!st.ok()) return PrintError("reveal-visitors " + o.number, st);
  if (resp.has_delegation()) {
    std::cout << "delegation      " << resp.delegation().size() << " people\n";
    for (const auto& p : resp.delegation().representatives()) PrintPerson("representative  ", p);
  } else {
    PrintPerson("visitor         ", resp.visitor());
  }
  const auto& g = resp.reading();
  std::cout << "recorded        " << When(g.read_time()) << " " << g.reader() << " (" << g.role()
            << ", " << g.agency_code() << "): " << g.reason()
            << "\nKeep it secret (Law on Denunciation 25/2018 Art. 47).\n";
  return 0;
}

}  // namespace

void AddReceptionRegisterCommands(CLI::App& rec, Shared& shared) {
  const TokenOptions& token = shared.token();
  auto vo = std::make_shared<VisitsOptions>();
  auto* visits = rec.add_subcommand("visits", "the register for a period (every page)");
  AddWho(visits, vo->who, "officer", "reception-officer");
  visits->add_option("--from", vo->from, "first day, YYYY-MM-DD")->required();
  visits->add_option("--to", vo->to, "last day, YYYY-MM-DD (at most 366 days on)")->required();
  visits->add_option("--session", vo->session, "only this session's visits");
  visits->add_option("--leader", vo->leader, "only sessions this leader held (user id)");
  visits->add_flag("--crowd-cases", vo->crowd, "only crowd cases (delegations)");
  visits->add_option("--page-size", vo->page_size, "visits per call (default 50)");
  shared.On(visits, [&token, vo] { return ListVisits(token, *vo); });

  auto rv = std::make_shared<RevealOptions>();
  auto* reveal = rec.add_subcommand(
      "reveal-visitors",
      "read a denunciation visit's sealed visitors (leader, inspector; the reading is recorded)");
  AddWho(reveal, rv->who, "inspector", "inspector");
  reveal->add_option("register_number", rv->number, "e.g. 000.00.31.H41-TCD-2026-00001")
      ->required();
  reveal->add_option("--reason", rv->reason, "why it is needed (at least 10 characters; recorded)")
      ->required();
  shared.On(reveal, [&token, rv] { return RevealVisitors(token, *rv); });
}

}  // namespace localgovctl

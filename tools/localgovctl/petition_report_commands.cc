// localgovctl petition duplicates | stats: what a reception office checks before taking a
// petition in, and the figures it reports (issue 22). Tables by default; `--output json` the
// response; `--output csv` the statistics as rows "section,key,count" for a spreadsheet.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tools/localgovctl/petition_commands.h"
#include "tools/localgovctl/petition_view.h"

namespace localgovctl {
namespace {

using namespace petition_cli;  // NOLINT: the petition commands' shared vocabulary

struct DuplicatesOptions {
  Who who;
  std::string code, kind = "complaint", name, citizen_id, address, title, content;
  std::string decision_number, dossier;
  int limit = 0;
};

int Duplicates(const TokenOptions& token, const DuplicatesOptions& o) {
  pv1::FindDuplicatesRequest req;
  if (!o.code.empty()) {
    req.set_code(o.code);
  } else {
    auto kind = ParseWord<pv1::PetitionKind>("--kind", "PETITION_KIND_", o.kind);
    if (!kind) return 2;
    req.set_kind(*kind);
    req.set_agency_code(o.who.agency);
    req.mutable_petitioner()->set_full_name(o.name);
    req.mutable_petitioner()->set_citizen_id(o.citizen_id);
    req.mutable_petitioner()->set_address(o.address);
    req.set_title(o.title);
    req.set_content(o.content);
    req.mutable_act()->set_decision_number(o.decision_number);
    req.mutable_act()->set_dossier_code(o.dossier);
  }
  req.set_limit(o.limit);
  Client c(token, o.who);
  if (!c.Ready()) return 2;
  pv1::FindDuplicatesResponse resp;
  auto st = c.Call(&Stub::FindDuplicates, req, &resp);
  if (!st.ok()) return PrintError("duplicates", st);
  if (PrintJsonIfAsked(resp)) return 0;
  if (CsvOutput()) {
    std::cout << CsvRow({"code", "kind", "state", "receipt_date", "score", "answered",
                         "answer_date", "decision_number", "answer", "reasons"});
    for (const auto& d : resp.candidates()) {
      std::cout << CsvRow({d.code(), KindWord(d.kind()), StateWord(d.state()), d.receipt_date(),
                           absl::StrFormat("%.2f", d.score()), d.answered() ? "yes" : "no",
                           d.answer_date(), d.decision_number(), d.answer(),
                           absl::StrJoin(d.reasons(), "; ")});
    }
    return 0;
  }
  if (resp.candidates().empty()) {
    std::cout << "no earlier petition of the same person about the same matter\n";
    return 0;
  }
  for (const auto& d : resp.candidates()) {
    std::cout << d.code() << "  " << KindWord(d.kind()) << "  " << StateWord(d.state())
              << "  received " << d.receipt_date() << "  score "
              << absl::StrFormat("%.2f", d.score()) << "\n"
              << "  " << Clip(d.title(), 70) << "\n"
              << "  why: " << absl::StrJoin(d.reasons(), "; ") << "\n";
    if (d.answered()) {
      std::cout << "  answered " << d.answer_date()
                << (d.decision_number().empty() ? "" : " (" + d.decision_number() + ")") << ": "
                << d.answer() << "\n";
    }
  }
  std::cout << resp.candidates_size() << " candidate" << (resp.candidates_size() == 1 ? "" : "s")
            << " (listed from score " << absl::StrFormat("%.2f", resp.min_score())
            << "; an answered one from " << absl::StrFormat("%.2f", resp.answered_score())
            << " makes a new petition not processed)\n";
  return 0;
}

struct StatsOptions {
  Who who;
  std::string from, to;
};

int Stats(const TokenOptions& token, const StatsOptions& o) {
  pv1::GetPetitionStatisticsRequest req;
  req.set_agency_code(o.who.agency);
  req.set_from_date(o.from);
  req.set_to_date(o.to);
  Client c(token, o.who);
  if (!c.Ready()) return 2;
  pv1::GetPetitionStatisticsResponse s;
  auto st = c.Call(&Stub::GetPetitionStatistics, req, &s);
  if (!st.ok()) return PrintError("stats", st);
  if (PrintJsonIfAsked(s)) return 0;
  struct Line {
    std::string section, key;
    int64_t count;
  };
  std::vector<Line> lines = {
      {"reception", "visits", s.visits()},
      {"reception", "delegations", s.delegations()},
      {"reception", "persons", s.persons()},
      {"petitions", "received", s.petitions()},
      {"petitions", "open", s.open()},
      {"petitions", "overdue", s.overdue()},
      {"petitions", "resolved_on_time", s.resolved_on_time()},
      {"petitions", "resolved_late", s.resolved_late()},
      {"petitions", "duplicates", s.duplicates()},
      {"petitions", "long_running", s.long_running()},
  };
  const auto add = [&lines](const std::string& section, const auto& counts,
                            const std::string& prefix) {
    for (const auto& c : counts) lines.push_back({section, Word(c.key(), prefix), c.count()});
  };
  add("channel", s.by_channel(), "PETITION_CHANNEL_");
  add("kind", s.by_kind(), "PETITION_KIND_");
  add("field", s.by_field(), "PETITION_FIELD_");
  add("classification", s.by_classification(), "CLASSIFICATION_DECISION_");
  add("not_processed", s.by_not_processed_reason(), "NOT_PROCESSED_REASON_");
  add("outcome", s.by_outcome(), "OUTCOME_");
  if (CsvOutput()) {
    std::cout << CsvRow({"agency", "from", "to", "section", "key", "count"});
    for (const auto& l : lines) {
      std::cout << CsvRow(
          {s.agency_code(), s.from_date(), s.to_date(), l.section, l.key, absl::StrCat(l.count)});
    }
    return 0;
  }
  std::cout << "agency " << s.agency_code() << ", received " << s.from_date() << " to "
            << s.to_date() << "\n";
  std::string section;
  for (const auto& l : lines) {
    if (l.section != section) {
      section = l.section;
      std::cout << "\n" << section << "\n";
    }
    std::cout << "  " << Pad(l.key, 34) << l.count << "\n";
  }
  return 0;
}

}  // namespace

void AddPetitionReportCommands(CLI::App* pet, Shared& shared) {
  const TokenOptions& token = shared.token();
  auto d = std::make_shared<DuplicatesOptions>();
  auto* dup = pet->add_subcommand(
      "duplicates",
      "earlier petitions of the same person about the same matter: of a petition (CODE), or of "
      "one about to be received (the draft's flags)");
  AddWho(dup, d->who, "officer", "reception-officer");
  dup->add_option("code", d->code, "a petition's code (or give the draft's flags instead)");
  dup->add_option("--kind", d->kind, "the draft's kind (default complaint)");
  dup->add_option("--name", d->name, "the petitioner's full name");
  dup->add_option("--citizen-id", d->citizen_id, "the petitioner's 12-digit citizen ID");
  dup->add_option("--address", d->address, "the petitioner's address");
  dup->add_option("--title", d->title, "the draft's title");
  dup->add_option("--content", d->content, "the draft's content");
  dup->add_option("--decision-number", d->decision_number, "the act concerned, e.g. 125/QĐ-UBND");
  dup->add_option("--dossier", d->dossier, "the dossier concerned");
  dup->add_option("--limit", d->limit, "at most this many (default 10, at most 50)");
  shared.On(dup, [d, &token] { return Duplicates(token, *d); });

  auto so = std::make_shared<StatsOptions>();
  auto* stats = pet->add_subcommand(
      "stats",
      "the reception office's figures for a period: visits, petitions by channel, kind, field, "
      "classification and outcome, on time / late, repeats, long-running (--output csv)");
  AddWho(stats, so->who, "leader", "office-head");
  stats->add_option("--from", so->from, "the first day, YYYY-MM-DD")->required();
  stats->add_option("--to", so->to, "the last day, YYYY-MM-DD")->required();
  shared.On(stats, [so, &token] { return Stats(token, *so); });
}

}  // namespace localgovctl

// localgovctl cadre merge: the plan of a merger the liaison directory records, then applying it.
//   localgovctl cadre merge --agency X [--into Y] --date D            the plan (table; CSV with
//                                                                     --output csv)
//   localgovctl cadre merge --agency X [--into Y] --date D --apply    preview, then apply that
//                                                                     plan [--request-id K]
// --agency names a merged agency, or a successor for every agency merged into it that day.
#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tools/localgovctl/cadre_call.h"

namespace localgovctl {
namespace {

struct MergeArgs {
  std::string agency, into, date, request_id;
  bool apply = false;
};

// The plan as CSV: one line per unit, position, quota, person and blocker (`what` says which).
void PrintCsv(const cv1::MergerPlan& plan) {
  std::cout << CsvRow({"what", "from", "to", "name", "detail"});
  for (const auto& u : plan.units()) {
    std::cout << CsvRow(
        {"unit", u.from_unit_code(), u.to_unit_code(), u.to_unit_name(),
         absl::StrCat(
             u.creates_unit() ? "new" : "folds",
             u.clashed_code().empty() ? "" : absl::StrCat("; ", u.clashed_code(), " taken"))});
  }
  for (const auto& p : plan.positions()) {
    std::cout << CsvRow(
        {"position", p.from_position_code(), p.to_position_code(), p.name(),
         absl::StrCat(
             p.creates_position() ? "new" : "folds", "; max_holders ", p.max_holders(),
             p.clashed_code().empty() ? "" : absl::StrCat("; ", p.clashed_code(), " taken"))});
  }
  for (const auto& q : plan.quotas()) {
    std::cout << CsvRow({"quota", absl::StrCat(q.year()), q.unit_code(), "",
                         absl::StrCat(q.quota_before(), " -> ", q.quota_after())});
  }
  for (const auto& m : plan.people()) {
    std::cout << CsvRow(
        {"person", m.position_code(), m.to_position_code(), m.full_name(),
         absl::StrCat("person ", m.person_id(), "; ", Short(m.movement(), "MOVEMENT_"), " from ",
                      m.valid_from(), m.valid_until().empty() ? "" : " until " + m.valid_until())});
  }
  for (const auto& b : plan.blockers()) {
    std::cout << CsvRow({"blocker", "", "", b.code(), b.message()});
  }
}

void PrintTable(const cv1::MergerPlan& plan) {
  std::cout << "merger of " << absl::StrJoin(plan.agency_codes(), ", ") << " into "
            << plan.successor_code() << " on " << plan.merged_on() << "\n\nunits\n";
  for (const auto& u : plan.units()) {
    std::cout << absl::StrFormat("  %-28s -> %-28s %s%s\n", u.from_unit_code(), u.to_unit_code(),
                                 u.creates_unit() ? "new: " : "folds into ", u.to_unit_name());
    if (!u.clashed_code().empty()) {
      std::cout << "      (" << u.clashed_code() << " is taken)\n";
    }
  }
  std::cout << "positions\n";
  for (const auto& p : plan.positions()) {
    std::cout << absl::StrFormat(
        "  %-28s -> %-32s %s %s (max %d)%s\n", p.from_position_code(), p.to_position_code(),
        p.creates_position() ? "new" : "folds", p.name(), p.max_holders(),
        p.clashed_code().empty() ? "" : absl::StrCat(" (", p.clashed_code(), " taken)"));
  }
  std::cout << "quotas\n";
  for (const auto& q : plan.quotas()) {
    std::cout << absl::StrFormat("  %-28s %d: %d -> %d\n", q.unit_code(), q.year(),
                                 q.quota_before(), q.quota_after());
  }
  std::cout << "people (" << plan.people_size() << ")\n";
  for (const auto& m : plan.people()) {
    std::cout << absl::StrFormat("  %6d  %-28s %-28s -> %s\n", m.person_id(), m.full_name(),
                                 m.position_code(), m.to_position_code());
  }
  if (plan.blockers_size() == 0) {
    std::cout << "\nno blockers; fingerprint " << plan.fingerprint() << "\n";
  } else {
    std::cout << "\nblocked:\n";
    for (const auto& b : plan.blockers()) {
      std::cout << "  " << b.code() << ": " << b.message() << "\n";
    }
  }
}

}  // namespace

void AddCadreMergeCommands(CLI::App& cadre, Shared& shared) {
  static MergeArgs a;
  const TokenOptions& token = shared.token();
  const Caller& caller = CadreCaller();
  auto* merge = cadre.add_subcommand(
      "merge",
      "a merger the directory records: the plan (what moves to the successor), --apply to apply "
      "it");
  merge->add_option("--agency", a.agency, "a merged agency, or a successor (all merged that day)")
      ->required();
  merge->add_option("--into", a.into, "the successor (checked against the directory)");
  merge->add_option("--date", a.date, "the merger's day (YYYY-MM-DD)")->required();
  merge->add_flag("--apply", a.apply, "apply the plan just previewed (refused if it changes)");
  merge->add_option("--request-id", a.request_id,
                    "idempotency key of --apply (default: merge-AGENCY-DATE-FINGERPRINT)");
  shared.On(merge, [&token, &caller] {
    cv1::PreviewMergerRequest req;
    req.set_agency_code(a.agency);
    req.set_successor_code(a.into);
    req.set_merged_on(a.date);
    cv1::PreviewMergerResponse preview;
    Caller quiet = caller;
    quiet.json = false;
    if (int rc = Call(token, quiet, "merge preview", &cv1::CadreService::Stub::PreviewMerger, req,
                      &preview);
        rc != 0) {
      return rc;
    }
    const auto& plan = preview.plan();
    if (!a.apply) {
      if (caller.json || JsonOutput()) {
        std::cout << Json(preview) << "\n";
      } else if (CsvOutput()) {
        PrintCsv(plan);
      } else {
        PrintTable(plan);
      }
      return plan.blockers_size() == 0 ? 0 : 1;
    }
    cv1::ApplyMergerRequest apply;
    apply.set_request_id(a.request_id.empty() ? absl::StrCat("merge-", a.agency, "-", a.date, "-",
                                                             plan.fingerprint().substr(0, 16))
                                              : a.request_id);
    apply.set_agency_code(a.agency);
    apply.set_successor_code(a.into);
    apply.set_merged_on(a.date);
    apply.set_expected_fingerprint(plan.fingerprint());
    cv1::ApplyMergerResponse resp;
    if (int rc =
            Call(token, quiet, "merge apply", &cv1::CadreService::Stub::ApplyMerger, apply, &resp);
        rc != 0) {
      return rc;
    }
    if (caller.json || JsonOutput()) {
      std::cout << Json(resp) << "\n";
    } else if (CsvOutput()) {
      PrintCsv(resp.plan());
    } else {
      PrintTable(resp.plan());
      std::cout << "applied: merger " << resp.merger_id() << ", " << resp.plan().people_size()
                << " people under " << resp.plan().successor_code() << " from "
                << resp.plan().merged_on() << "\n";
    }
    return 0;
  });
}

}  // namespace localgovctl

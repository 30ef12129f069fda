// localgovctl calendar, due and procedures: the working-day calendar, due dates and the
// procedure catalogue of the dossier service.
#include "tools/localgovctl/procedure_commands.h"

#include <chrono>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/grpcpp.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"

namespace localgovctl {
namespace {

int CalendarShow(const TokenOptions& token, int year) {
  localgov::dossier::v1::GetCalendarYearRequest req;
  req.set_year(year);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", Bearer(token, Role::kOfficer));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  localgov::dossier::v1::GetCalendarYearResponse resp;
  auto st = localgov::dossier::v1::DossierService::NewStub(Channel(*FindTarget("dossier")))
                ->GetCalendarYear(&ctx, req, &resp);
  if (!st.ok()) {
    PrintError(absl::StrCat("calendar ", year), st);
    return 1;
  }
  const auto& c = resp.calendar();
  const char* status = c.derived()       ? "PROVISIONAL (derived from the Labour Code)"
                       : c.provisional() ? "PROVISIONAL"
                                         : "OFFICIAL";
  std::cout << "calendar " << c.year() << " (version " << c.version() << ") " << status
            << "\nsource: " << c.source() << "\n";
  for (const auto& s : c.sources()) {
    std::cout << "  notice " << s.reference() << (s.issued_date().empty() ? "" : " of ")
              << s.issued_date() << (s.summary().empty() ? "" : ": ") << s.summary() << "\n";
  }
  auto print = [](const char* title, const auto& days) {
    if (days.empty()) return;
    std::cout << title << ":\n";
    for (const auto& d : days) std::cout << "  " << d.date() << "  " << d.name() << "\n";
  };
  print("holidays", c.holidays());
  print("compensatory days off", c.compensatory_days_off());
  print("swapped days off", c.swapped_days_off());
  print("make-up working days", c.make_up_working_days());
  return 0;
}

// Applies a year's official notice (admin): the year as the notice fixes it, from a JSON file
// (a localgov.dossier.v1.CalendarYear in proto JSON).
int CalendarApplyNotice(const TokenOptions& token, const std::string& file,
                        int64_t expected_version) {
  const std::string text = ReadFile(file);
  if (text.empty()) {
    std::cerr << "localgovctl: cannot read " << file << "\n";
    return 2;
  }
  localgov::dossier::v1::ApplyCalendarNoticeRequest req;
  if (auto st = google::protobuf::util::JsonStringToMessage(text, req.mutable_calendar());
      !st.ok()) {
    std::cerr << "localgovctl: " << file << " is not a CalendarYear in JSON: " << st.message()
              << "\n";
    return 2;
  }
  req.set_expected_version(expected_version);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", Bearer(token, Role::kAdmin));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  localgov::dossier::v1::ApplyCalendarNoticeResponse resp;
  auto st = localgov::dossier::v1::DossierService::NewStub(Channel(*FindTarget("dossier")))
                ->ApplyCalendarNotice(&ctx, req, &resp);
  if (!st.ok()) return PrintError("apply-notice", st);
  std::cout << "calendar " << resp.calendar().year() << " is official (version "
            << resp.calendar().version() << ")\n";
  for (const auto& d : resp.new_days_off()) {
    std::cout << "  now off      " << d.date() << "  " << d.name() << "\n";
  }
  for (const auto& d : resp.new_working_dates()) std::cout << "  now working  " << d << "\n";
  if (resp.affected_appointments().empty()) {
    std::cout << "no open dossier has its appointment on a new day off\n";
  }
  for (const auto& a : resp.affected_appointments()) {
    std::cout << "  appointment on a day off: " << a.code() << " (" << a.receiving_agency_code()
              << ") due " << a.due_date() << ": " << a.day_off_reason() << "\n";
  }
  return 0;
}

int Due(const TokenOptions& token, const std::string& received, const std::string& unit,
        int amount) {
  absl::CivilMinute at;
  if (!absl::ParseCivilTime(received, &at)) {
    std::cerr << "localgovctl: --received wants \"YYYY-MM-DDTHH:MM\" (Vietnam time)\n";
    return 2;
  }
  static const std::map<std::string, localgov::dossier::v1::LimitUnit> kUnits = {
      {"working-days", localgov::dossier::v1::LIMIT_UNIT_WORKING_DAYS},
      {"days", localgov::dossier::v1::LIMIT_UNIT_CALENDAR_DAYS},
      {"working-hours", localgov::dossier::v1::LIMIT_UNIT_WORKING_HOURS},
      {"on-the-spot", localgov::dossier::v1::LIMIT_UNIT_ON_THE_SPOT}};
  auto u = kUnits.find(unit);
  if (u == kUnits.end()) {
    std::cerr << "localgovctl: --unit is working-days, days, working-hours or on-the-spot\n";
    return 2;
  }
  localgov::dossier::v1::ComputeDueDateRequest req;
  const absl::Time t = absl::FromCivil(at, absl::FixedTimeZone(7 * 3600));
  *req.mutable_received_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
  req.set_unit(u->second);
  req.set_amount(amount);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", Bearer(token, Role::kOfficer));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  localgov::dossier::v1::ComputeDueDateResponse resp;
  auto st = localgov::dossier::v1::DossierService::NewStub(Channel(*FindTarget("dossier")))
                ->ComputeDueDate(&ctx, req, &resp);
  if (!st.ok()) {
    PrintError("due", st);
    return 1;
  }
  const absl::Time deadline = absl::FromUnixMicros(
      google::protobuf::util::TimeUtil::TimestampToMicroseconds(resp.deadline()));
  std::cout << "clock starts after " << resp.clock_start_date() << "\ndue " << resp.due_date()
            << " (period ends "
            << absl::FormatTime("%Y-%m-%d %H:%M", deadline, absl::FixedTimeZone(7 * 3600))
            << " Vietnam time)"
            << (resp.provisional() ? " PROVISIONAL: counted across a year without an official "
                                     "notice yet"
                                   : "")
            << "\n";
  for (const auto& d : resp.days_off())
    std::cout << "  off " << d.date() << "  " << d.name() << "\n";
  return 0;
}

std::string LimitText(const localgov::dossier::v1::TimeLimit& l) {
  switch (l.unit()) {
    case localgov::dossier::v1::LIMIT_UNIT_WORKING_DAYS:
      return absl::StrCat(l.amount(), " working days");
    case localgov::dossier::v1::LIMIT_UNIT_CALENDAR_DAYS:
      return absl::StrCat(l.amount(), " days");
    case localgov::dossier::v1::LIMIT_UNIT_WORKING_HOURS:
      return absl::StrCat(l.amount(), " working hours");
    case localgov::dossier::v1::LIMIT_UNIT_ON_THE_SPOT:
      return "on the spot";
    default:
      return "-";
  }
}

int ProceduresSearch(const TokenOptions& token, const std::string& query, const std::string& field,
                     const std::string& level) {
  localgov::dossier::v1::ListProceduresRequest req;
  req.set_query(query);
  req.set_field(field);
  if (level == "commune") req.set_level(localgov::dossier::v1::PROCEDURE_LEVEL_COMMUNE);
  if (level == "province") req.set_level(localgov::dossier::v1::PROCEDURE_LEVEL_PROVINCE);
  req.set_page_size(100);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", Bearer(token, Role::kOfficer));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  localgov::dossier::v1::ListProceduresResponse resp;
  auto st = localgov::dossier::v1::DossierService::NewStub(Channel(*FindTarget("dossier")))
                ->ListProcedures(&ctx, req, &resp);
  if (!st.ok()) {
    PrintError("procedures search", st);
    return 1;
  }
  for (const auto& p : resp.procedures()) {
    std::cout << p.code() << "\t" << LimitText(p.limit()) << "\t" << p.name() << "\n";
  }
  return 0;
}

int ProcedureShow(const TokenOptions& token, const std::string& code, const std::string& as_of) {
  localgov::dossier::v1::GetProcedureRequest req;
  req.set_code(code);
  req.set_as_of(as_of);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", Bearer(token, Role::kOfficer));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  localgov::dossier::v1::GetProcedureResponse resp;
  auto st = localgov::dossier::v1::DossierService::NewStub(Channel(*FindTarget("dossier")))
                ->GetProcedure(&ctx, req, &resp);
  if (!st.ok()) {
    PrintError("procedure " + code, st);
    return 1;
  }
  std::cout << Json(resp.procedure());
  return 0;
}

struct DueOptions {
  std::string received, limit_unit = "working-days";
  int amount = 0;
};

struct ProcedureOptions {
  std::vector<std::string> words;
  std::string field, level, code, as_of;
};

}  // namespace

void AddProcedureCommands(CLI::App& app, Shared& shared) {
  const TokenOptions& token = shared.token();

  auto* cal = app.add_subcommand("calendar", "the working-day calendar");
  cal->require_subcommand(1);
  auto year = std::make_shared<int>(0);
  auto* cal_show = cal->add_subcommand("show", "show one year");
  cal_show->add_option("year", *year, "e.g. 2026")->required();
  shared.On(cal_show, [year, &token] { return CalendarShow(token, *year); });
  auto notice = std::make_shared<std::pair<std::string, int64_t>>();
  auto* cal_notice = cal->add_subcommand(
      "apply-notice", "apply a year's official notice (admin): days off, swaps, make-up days");
  cal_notice->add_option("file", notice->first, "the year as the notice fixes it (JSON)")
      ->required();
  cal_notice->add_option("--expected-version", notice->second,
                         "the version `calendar show` printed (0 for a derived year)");
  shared.On(cal_notice,
            [notice, &token] { return CalendarApplyNotice(token, notice->first, notice->second); });

  auto d = std::make_shared<DueOptions>();
  auto* due = app.add_subcommand("due", "the due date the law gives a dossier");
  due->add_option("--received", d->received, "YYYY-MM-DDTHH:MM, Vietnam time")->required();
  due->add_option("--unit", d->limit_unit, "working-days, days, working-hours, on-the-spot");
  due->add_option("--amount", d->amount, "days or hours");
  shared.On(due, [d, &token] { return Due(token, d->received, d->limit_unit, d->amount); });

  auto* procs = app.add_subcommand("procedures", "the procedure catalogue");
  procs->require_subcommand(1);
  auto p = std::make_shared<ProcedureOptions>();
  auto* procs_search = procs->add_subcommand("search", "search by words, field, level");
  procs_search->add_option("words", p->words, "words of the name, diacritics optional");
  procs_search->add_option("--field", p->field, "field (lĩnh vực)");
  procs_search->add_option("--level", p->level, "commune or province");
  shared.On(procs_search, [p, &token] {
    return ProceduresSearch(token, absl::StrJoin(p->words, " "), p->field, p->level);
  });
  auto* procs_show = procs->add_subcommand("show", "one procedure, in full");
  procs_show->add_option("code", p->code, "procedure code")->required();
  procs_show->add_option("--as-of", p->as_of, "the version in force on YYYY-MM-DD");
  shared.On(procs_show, [p, &token] { return ProcedureShow(token, p->code, p->as_of); });
}

}  // namespace localgovctl

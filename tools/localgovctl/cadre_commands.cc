// localgovctl cadre: the cadre service from a personnel officer's desk.
//   localgovctl cadre units --of AGENCY
//   localgovctl cadre staffing UNIT [--as-of D] [--known-at T]     positions against the quota
//   localgovctl cadre people --of AGENCY
//   localgovctl cadre show ID [--as-of D] [--known-at T] | cadre show --self
//   localgovctl cadre history ID
//   localgovctl cadre roster (--unit U | --of AGENCY) [--as-of D] [--known-at T]
//   localgovctl cadre assign ID --position P --movement M --from D [--until D] [--version V]
//   localgovctl cadre rank ID --rank R --grade G --step S --coefficient 2.67 --from D
//   localgovctl cadre correct ID --record R --reason "..." (assignment or rank fields)
//   localgovctl cadre qualify ID --category C [--level L] [--field F] --awarded D
//   localgovctl cadre add-person --kind K --citizen-id N --name "..." --birth D --gender G
//   localgovctl cadre add-unit | add-position | quota | register-agency
//   localgovctl cadre load-demo --database-url URL                 the demo province, once
//                                                   (cadre_demo.cc)
//   localgovctl cadre due | evaluate | discipline                  (cadre_due_commands.cc)
//   localgovctl cadre recruit … | report …          (cadre_plan_commands.cc)
// Every call runs as --role (officer) of --agency (000.00.31.H41) with --subject; --json
// prints the response as JSON. Without --version a change reads the person's version first.
#include "tools/localgovctl/cadre_commands.h"

#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/crypto.h"
#include "common/db/transaction.h"
#include "google/protobuf/util/time_util.h"
#include "localgov/cadre/v1/cadre_service.grpc.pb.h"
#include "services/cadre/cadre_rules.h"
#include "tools/localgovctl/cadre_call.h"

namespace localgovctl {
namespace {

struct Args {
  int64_t id = 0;
  bool self = false;
  std::string as_of, known_at, of, unit, position, movement, from, until, reason, rank, grade,
      coefficient, category, field, awarded, kind, citizen_id, name, birth, gender,
      ethnicity = "Kinh", code, parent, successor, merged_on, database_url;
  int step = 0, level = 0, year = 0, quota = 0, max_holders = 1;
  int64_t version = 0, record = 0;
  bool leadership = false;
  std::vector<std::string> supervisors;
};

// "2026-03-02 09:00" (Vietnam time) or RFC 3339; false when neither.
bool ParseKnownAt(const std::string& text, google::protobuf::Timestamp* out) {
  absl::Time t;
  std::string err;
  if (!absl::ParseTime("%Y-%m-%d %H:%M", text, absl::FixedTimeZone(7 * 3600), &t, &err) &&
      !absl::ParseTime(absl::RFC3339_full, text, &t, &err)) {
    std::cerr << "--known-at: not YYYY-MM-DD HH:MM (Vietnam time) nor RFC 3339\n";
    return false;
  }
  *out = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
  return true;
}

std::string When(const google::protobuf::Timestamp& t) {
  return absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixSeconds(t.seconds()),
                          absl::FixedTimeZone(7 * 3600));
}

std::string Coefficient(int x100) { return absl::StrFormat("%d.%02d", x100 / 100, x100 % 100); }

std::string Line(const cv1::HistoryRecord& r) {
  std::string what;
  if (r.kind() == cv1::RECORD_KIND_ASSIGNMENT) {
    what = absl::StrCat(Short(cv1::Movement_Name(r.movement()), "MOVEMENT_"), " ",
                        r.position_code(), " (", r.position_name(), ")",
                        r.term_end_date().empty() ? "" : " term to " + r.term_end_date());
  } else {
    what = absl::StrCat(Short(cv1::Rank_Name(r.rank()), "RANK_"), " ", r.grade_code(), " step ",
                        r.step(), " coefficient ", Coefficient(r.coefficient_x100()));
  }
  return absl::StrCat("#", r.record_id(), " [", r.valid_from(), " .. ",
                      r.valid_until().empty() ? "open" : r.valid_until(), ") ", what);
}

void PrintPerson(const cv1::Person& p) {
  std::cout << "person   " << p.id() << "  " << p.full_name() << "  ("
            << Short(cv1::PersonKind_Name(p.kind()), "PERSON_KIND_") << ", "
            << Short(cv1::Gender_Name(p.gender()), "GENDER_") << ", born " << p.birth_date() << ", "
            << p.ethnicity() << ")\ncitizen  " << p.citizen_id() << "\nagency   " << p.agency_code()
            << "\nversion  " << p.version() << "\n";
  if (p.has_assignment()) std::cout << "holds    " << Line(p.assignment()) << "\n";
  if (p.has_rank()) std::cout << "rank     " << Line(p.rank()) << "\n";
  for (const auto& q : p.qualifications()) {
    std::string level;
    if (q.category() == cv1::QUALIFICATION_CATEGORY_PROFESSIONAL) {
      level = Short(cv1::ProfessionalLevel_Name(static_cast<cv1::ProfessionalLevel>(q.level())),
                    "PROFESSIONAL_LEVEL_");
    } else if (q.category() == cv1::QUALIFICATION_CATEGORY_POLITICAL_THEORY) {
      level =
          Short(cv1::PoliticalTheoryLevel_Name(static_cast<cv1::PoliticalTheoryLevel>(q.level())),
                "POLITICAL_THEORY_LEVEL_");
    }
    std::cout << "qualif.  " << q.awarded_date() << " "
              << Short(cv1::QualificationCategory_Name(q.category()), "QUALIFICATION_CATEGORY_")
              << (level.empty() ? "" : " " + level) << (q.field().empty() ? "" : ": " + q.field())
              << "\n";
  }
}

// The person's version, read when --version was not given.
int64_t VersionOf(const TokenOptions& token, const Caller& c, int64_t id, int64_t given) {
  if (given > 0) return given;
  cv1::GetPersonRequest req;
  req.set_person_id(id);
  cv1::GetPersonResponse resp;
  Caller quiet = c;
  quiet.json = false;
  if (Call(token, quiet, absl::StrCat("person ", id), &cv1::CadreService::Stub::GetPerson, req,
           &resp) != 0) {
    return -1;
  }
  return resp.person().version();
}

int Show(const TokenOptions& token, const Caller& c, const Args& a) {
  cv1::GetPersonRequest req;
  req.set_person_id(a.id);
  req.set_self(a.self);
  req.set_as_of(a.as_of);
  if (!a.known_at.empty() && !ParseKnownAt(a.known_at, req.mutable_known_at())) return 2;
  cv1::GetPersonResponse resp;
  if (int rc = Call(token, c, "show", &cv1::CadreService::Stub::GetPerson, req, &resp); rc != 0) {
    return rc;
  }
  if (!c.json) {
    if (!a.as_of.empty() || !a.known_at.empty()) {
      std::cout << "as of    " << (a.as_of.empty() ? "today" : a.as_of)
                << (a.known_at.empty() ? "" : ", as known at " + a.known_at) << "\n";
    }
    PrintPerson(resp.person());
  }
  return 0;
}

int History(const TokenOptions& token, const Caller& c, const Args& a) {
  cv1::GetPersonHistoryRequest req;
  req.set_person_id(a.id);
  cv1::GetPersonHistoryResponse resp;
  if (int rc = Call(token, c, "history", &cv1::CadreService::Stub::GetPersonHistory, req, &resp);
      rc != 0) {
    return rc;
  }
  if (c.json) return 0;
  PrintPerson(resp.person());
  std::cout << "history (valid time [from .. until); recorded from → until; why):\n";
  for (const auto& r : resp.records()) {
    std::cout << "  " << Line(r) << "\n      recorded " << When(r.recorded_from()) << " → "
              << (r.has_recorded_until() ? When(r.recorded_until()) : "now") << "  "
              << Short(cv1::ChangeKind_Name(r.change_kind()), "CHANGE_KIND_") << " by "
              << r.recorded_by() << (r.reason().empty() ? "" : ": " + r.reason()) << "\n";
  }
  return 0;
}

int Roster(const TokenOptions& token, const Caller& c, const Args& a) {
  cv1::GetRosterRequest req;
  req.set_unit_code(a.unit);
  req.set_agency_code(a.of);
  req.set_as_of(a.as_of);
  req.set_page_size(1000);
  if (!a.known_at.empty() && !ParseKnownAt(a.known_at, req.mutable_known_at())) return 2;
  int total = 0;
  for (;;) {
    cv1::GetRosterResponse resp;
    if (int rc = Call(token, c, "roster", &cv1::CadreService::Stub::GetRoster, req, &resp);
        rc != 0) {
      return rc;
    }
    if (!c.json) {
      if (total == 0) {
        std::cout << "roster as of " << resp.as_of()
                  << (resp.moved_to_unit_code().empty()
                          ? ""
                          : absl::StrCat(" (unit ", a.unit,
                                         " was moved by a merger: its successor ",
                                         resp.moved_to_unit_code(), ")"))
                  << "\n";
      }
      for (const auto& e : resp.entries()) {
        std::cout << absl::StrFormat(
            "%6d  %-28s %-14s %-34s %s\n", e.person().id(), e.person().full_name(),
            e.person().citizen_id(), e.assignment().position_code(),
            e.has_rank()
                ? absl::StrCat(Short(cv1::Rank_Name(e.rank().rank()), "RANK_"), " b",
                               e.rank().step(), " ", Coefficient(e.rank().coefficient_x100()))
                : "");
      }
    }
    total += resp.entries_size();
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  if (!c.json) std::cout << total << " people\n";
  return 0;
}

int Staffing(const TokenOptions& token, const Caller& c, const Args& a) {
  cv1::GetUnitStaffingRequest req;
  req.set_unit_code(a.unit);
  req.set_as_of(a.as_of);
  if (!a.known_at.empty() && !ParseKnownAt(a.known_at, req.mutable_known_at())) return 2;
  cv1::GetUnitStaffingResponse resp;
  if (int rc = Call(token, c, "staffing", &cv1::CadreService::Stub::GetUnitStaffing, req, &resp);
      rc != 0) {
    return rc;
  }
  if (c.json) return 0;
  if (!resp.moved_to_unit_code().empty()) {
    std::cout << "(unit " << a.unit << " was moved by a merger: its successor answers)\n";
  }
  std::cout << "unit     " << resp.unit().code() << "  " << resp.unit().name() << "\nas of    "
            << resp.as_of() << "\nquota    "
            << (resp.has_quota() ? absl::StrCat(resp.quota().quota(), " for ", resp.quota().year(),
                                                " (version ", resp.quota().version(), ")")
                                 : "none set")
            << "\nheadcount " << resp.headcount() << " (+" << resp.contracted()
            << " contracted), vacancies " << resp.vacancies() << "\npositions:\n";
  for (const auto& p : resp.positions()) {
    std::cout << absl::StrFormat("  %-30s %3d / %-3d %-20s %s%s\n", p.code(), p.holders(),
                                 p.max_holders(), Short(cv1::Rank_Name(p.required_rank()), "RANK_"),
                                 p.name(), p.leadership() ? " (leadership)" : "");
  }
  return 0;
}

int Assign(const TokenOptions& token, const Caller& c, const Args& a) {
  cv1::RecordAssignmentRequest req;
  req.set_person_id(a.id);
  cv1::Movement m;
  if (!ParseEnum("--movement", "MOVEMENT_", a.movement, &cv1::Movement_Parse, &m)) return 2;
  req.set_movement(m);
  req.set_position_code(a.position);
  req.set_valid_from(a.from);
  req.set_valid_until(a.until);
  req.set_reason(a.reason);
  const int64_t v = VersionOf(token, c, a.id, a.version);
  if (v < 0) return 1;
  req.set_expected_version(v);
  cv1::RecordAssignmentResponse resp;
  if (int rc = Call(token, c, "assign", &cv1::CadreService::Stub::RecordAssignment, req, &resp);
      rc != 0) {
    return rc;
  }
  if (!c.json) {
    std::cout << "recorded " << Line(resp.record()) << "\n";
    PrintPerson(resp.person());
  }
  return 0;
}

bool ParseCoefficient(const std::string& text, int* x100) {
  double d = 0;
  if (!absl::SimpleAtod(text, &d) || d <= 0 || d > 100) {
    std::cerr << "--coefficient: a number like 2.67\n";
    return false;
  }
  *x100 = static_cast<int>(d * 100 + 0.5);
  return true;
}

int Rank(const TokenOptions& token, const Caller& c, const Args& a) {
  cv1::RecordRankRequest req;
  req.set_person_id(a.id);
  cv1::Rank r;
  if (!ParseEnum("--rank", "RANK_", a.rank, &cv1::Rank_Parse, &r)) return 2;
  int coef = 0;
  if (!ParseCoefficient(a.coefficient, &coef)) return 2;
  req.set_rank(r);
  req.set_grade_code(a.grade);
  req.set_step(a.step);
  req.set_coefficient_x100(coef);
  req.set_valid_from(a.from);
  req.set_reason(a.reason);
  const int64_t v = VersionOf(token, c, a.id, a.version);
  if (v < 0) return 1;
  req.set_expected_version(v);
  cv1::RecordRankResponse resp;
  if (int rc = Call(token, c, "rank", &cv1::CadreService::Stub::RecordRank, req, &resp); rc != 0) {
    return rc;
  }
  if (!c.json) std::cout << "recorded " << Line(resp.record()) << "\n";
  return 0;
}

int Correct(const TokenOptions& token, const Caller& c, const Args& a) {
  cv1::CorrectHistoryRequest req;
  req.set_person_id(a.id);
  req.set_record_id(a.record);
  req.set_reason(a.reason);
  auto* r = req.mutable_corrected();
  r->set_valid_from(a.from);
  r->set_valid_until(a.until);
  if (!a.rank.empty()) {
    cv1::Rank rank;
    if (!ParseEnum("--rank", "RANK_", a.rank, &cv1::Rank_Parse, &rank)) return 2;
    int coef = 0;
    if (!ParseCoefficient(a.coefficient, &coef)) return 2;
    r->set_rank(rank);
    r->set_grade_code(a.grade);
    r->set_step(a.step);
    r->set_coefficient_x100(coef);
  } else {
    cv1::Movement m;
    if (!ParseEnum("--movement", "MOVEMENT_", a.movement, &cv1::Movement_Parse, &m)) return 2;
    r->set_movement(m);
    r->set_position_code(a.position);
  }
  const int64_t v = VersionOf(token, c, a.id, a.version);
  if (v < 0) return 1;
  req.set_expected_version(v);
  cv1::CorrectHistoryResponse resp;
  if (int rc = Call(token, c, "correct", &cv1::CadreService::Stub::CorrectHistory, req, &resp);
      rc != 0) {
    return rc;
  }
  if (!c.json) std::cout << "corrected " << Line(resp.record()) << "\n";
  return 0;
}

int Qualify(const TokenOptions& token, const Caller& c, const Args& a) {
  cv1::AddQualificationRequest req;
  req.set_person_id(a.id);
  cv1::QualificationCategory cat;
  if (!ParseEnum("--category", "QUALIFICATION_CATEGORY_", a.category,
                 &cv1::QualificationCategory_Parse, &cat)) {
    return 2;
  }
  auto* q = req.mutable_qualification();
  q->set_category(cat);
  q->set_level(a.level);
  q->set_field(a.field);
  q->set_awarded_date(a.awarded);
  const int64_t v = VersionOf(token, c, a.id, a.version);
  if (v < 0) return 1;
  req.set_expected_version(v);
  cv1::AddQualificationResponse resp;
  if (int rc = Call(token, c, "qualify", &cv1::CadreService::Stub::AddQualification, req, &resp);
      rc != 0) {
    return rc;
  }
  if (!c.json) PrintPerson(resp.person());
  return 0;
}

int AddPerson(const TokenOptions& token, const Caller& c, const Args& a) {
  cv1::CreatePersonRequest req;
  req.set_request_id("localgovctl-" + localgov::RandomId());
  auto* p = req.mutable_person();
  cv1::PersonKind kind;
  cv1::Gender gender;
  if (!ParseEnum("--kind", "PERSON_KIND_", a.kind, &cv1::PersonKind_Parse, &kind) ||
      !ParseEnum("--gender", "GENDER_", a.gender, &cv1::Gender_Parse, &gender)) {
    return 2;
  }
  p->set_kind(kind);
  p->set_gender(gender);
  p->set_citizen_id(a.citizen_id);
  p->set_full_name(a.name);
  p->set_birth_date(a.birth);
  p->set_ethnicity(a.ethnicity);
  p->set_agency_code(a.of.empty() ? c.agency : a.of);
  cv1::CreatePersonResponse resp;
  if (int rc = Call(token, c, "add-person", &cv1::CadreService::Stub::CreatePerson, req, &resp);
      rc != 0) {
    return rc;
  }
  if (!c.json) PrintPerson(resp.person());
  return 0;
}

}  // namespace

void AddCadreCommands(CLI::App& app, Shared& shared) {
  auto* cadre =
      app.add_subcommand("cadre", "cadres and civil servants: people, positions, history");
  cadre->require_subcommand(1);
  static Caller& caller = CadreCaller();
  static Args a;
  cadre->add_option("--role", caller.role, "the caller's role (officer, leader, citizen, ...)");
  cadre->add_option("--agency", caller.agency, "the caller's agency (personnel office)");
  cadre->add_option("--subject", caller.subject, "the caller's subject (a citizen: the ID)");
  cadre->add_flag("--json", caller.json, "print the response as JSON");
  cadre->add_option("--office", caller.office,
                    "the caller's office (default personnel: the cadre service lets only the "
                    "personnel office act; empty for a person reading their own record)");
  shared.OnJsonOutput([] { caller.json = true; });  // --output json
  const TokenOptions& token = shared.token();
  auto as_of = [](CLI::App* s) {
    s->add_option("--as-of", a.as_of, "the day (YYYY-MM-DD); default today");
    s->add_option("--known-at", a.known_at,
                  "what was known at this time (\"YYYY-MM-DD HH:MM\" Vietnam time)");
  };

  auto* units = cadre->add_subcommand("units", "an agency's units");
  units->add_option("--of", a.of, "the agency")->required();
  shared.On(units, [&token] {
    cv1::ListUnitsRequest req;
    req.set_agency_code(a.of);
    req.set_page_size(1000);
    cv1::ListUnitsResponse resp;
    if (int rc = Call(token, caller, "units", &cv1::CadreService::Stub::ListUnits, req, &resp);
        rc != 0) {
      return rc;
    }
    if (!caller.json) {
      for (const auto& u : resp.units()) std::cout << u.code() << "  " << u.name() << "\n";
    }
    return 0;
  });

  auto* staffing = cadre->add_subcommand("staffing", "a unit's positions against its quota");
  staffing->add_option("unit", a.unit, "the unit")->required();
  as_of(staffing);
  shared.On(staffing, [&token] { return Staffing(token, caller, a); });

  auto* people = cadre->add_subcommand("people", "an agency's people (citizen IDs masked)");
  people->add_option("--of", a.of, "the agency")->required();
  shared.On(people, [&token] {
    cv1::ListPeopleRequest req;
    req.set_agency_code(a.of);
    req.set_page_size(1000);
    int total = 0;
    for (;;) {
      cv1::ListPeopleResponse resp;
      if (int rc = Call(token, caller, "people", &cv1::CadreService::Stub::ListPeople, req, &resp);
          rc != 0) {
        return rc;
      }
      if (!caller.json) {
        for (const auto& p : resp.people()) {
          std::cout << absl::StrFormat("%6d  %-28s %s  %s\n", p.id(), p.full_name(), p.citizen_id(),
                                       Short(cv1::PersonKind_Name(p.kind()), "PERSON_KIND_"));
        }
      }
      total += resp.people_size();
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    if (!caller.json) std::cout << total << " people\n";
    return 0;
  });

  auto* show = cadre->add_subcommand("show", "one person as of a day (and as known at a time)");
  show->add_option("id", a.id, "the person's id");
  show->add_flag("--self", a.self, "the caller's own record (the subject is the citizen ID)");
  as_of(show);
  shared.On(show, [&token] { return Show(token, caller, a); });

  auto* history = cadre->add_subcommand("history", "every version of a person's records");
  history->add_option("id", a.id, "the person's id")->required();
  shared.On(history, [&token] { return History(token, caller, a); });

  auto* roster = cadre->add_subcommand("roster", "who held which position as of a day");
  roster->add_option("--unit", a.unit, "a unit");
  roster->add_option("--of", a.of, "an agency (with the agencies merged into it)");
  as_of(roster);
  shared.On(roster, [&token] { return Roster(token, caller, a); });

  auto* assign =
      cadre->add_subcommand("assign", "record that a person holds a position from a day");
  assign->add_option("id", a.id, "the person's id")->required();
  assign->add_option("--position", a.position, "the position's code")->required();
  assign
      ->add_option("--movement", a.movement,
                   "assignment, transfer, rotation, secondment, appointment, reappointment")
      ->required();
  assign->add_option("--from", a.from, "the first day (YYYY-MM-DD)")->required();
  assign->add_option("--until", a.until, "the first day no longer held");
  assign->add_option("--reason", a.reason, "the decision");
  assign->add_option("--version", a.version, "the person's version last read");
  shared.On(assign, [&token] { return Assign(token, caller, a); });

  auto* rank = cadre->add_subcommand("rank", "record a rank and salary step from a day");
  rank->add_option("id", a.id, "the person's id")->required();
  rank->add_option("--rank", a.rank, "nhan-vien, can-su, chuyen-vien, chuyen-vien-chinh, ...")
      ->required();
  rank->add_option("--grade", a.grade, "the grade code, e.g. 01.003")->required();
  rank->add_option("--step", a.step, "the salary step")->required();
  rank->add_option("--coefficient", a.coefficient, "e.g. 2.67")->required();
  rank->add_option("--from", a.from, "the first day")->required();
  rank->add_option("--reason", a.reason, "the decision");
  rank->add_option("--version", a.version, "the person's version last read");
  shared.On(rank, [&token] { return Rank(token, caller, a); });

  auto* correct = cadre->add_subcommand("correct", "correct a history record of the past");
  correct->add_option("id", a.id, "the person's id")->required();
  correct->add_option("--record", a.record, "the record's id (cadre history)")->required();
  correct->add_option("--reason", a.reason, "the decision or the error found")->required();
  correct->add_option("--from", a.from, "the corrected first day")->required();
  correct->add_option("--until", a.until, "the corrected end (empty: open)");
  correct->add_option("--position", a.position, "assignment: the position");
  correct->add_option("--movement", a.movement, "assignment: the movement");
  correct->add_option("--rank", a.rank, "rank: the rank");
  correct->add_option("--grade", a.grade, "rank: the grade code");
  correct->add_option("--step", a.step, "rank: the step");
  correct->add_option("--coefficient", a.coefficient, "rank: the coefficient");
  correct->add_option("--version", a.version, "the person's version last read");
  shared.On(correct, [&token] { return Correct(token, caller, a); });

  auto* qualify = cadre->add_subcommand("qualify", "add a qualification");
  qualify->add_option("id", a.id, "the person's id")->required();
  qualify
      ->add_option("--category", a.category,
                   "professional, political-theory, state-management, training")
      ->required();
  qualify->add_option("--level", a.level,
                      "professional 1 untrained .. 4 university; political 1 .. 3 advanced");
  qualify->add_option("--field", a.field, "the field or course");
  qualify->add_option("--awarded", a.awarded, "the day awarded")->required();
  qualify->add_option("--version", a.version, "the person's version last read");
  shared.On(qualify, [&token] { return Qualify(token, caller, a); });

  auto* add_person = cadre->add_subcommand("add-person", "record a new person");
  add_person->add_option("--kind", a.kind, "cadre, civil-servant, public-employee, contracted")
      ->required();
  add_person->add_option("--citizen-id", a.citizen_id, "12 digits")->required();
  add_person->add_option("--name", a.name, "full name")->required();
  add_person->add_option("--birth", a.birth, "birth date")->required();
  add_person->add_option("--gender", a.gender, "male, female")->required();
  add_person->add_option("--ethnicity", a.ethnicity, "default Kinh");
  add_person->add_option("--of", a.of, "the agency (default the caller's)");
  shared.On(add_person, [&token] { return AddPerson(token, caller, a); });

  auto* add_unit = cadre->add_subcommand("add-unit", "create a unit in an agency");
  add_unit->add_option("--code", a.code)->required();
  add_unit->add_option("--of", a.of, "the agency")->required();
  add_unit->add_option("--name", a.name)->required();
  add_unit->add_option("--parent", a.parent);
  shared.On(add_unit, [&token] {
    cv1::CreateUnitRequest req;
    req.set_request_id("localgovctl-" + localgov::RandomId());
    req.mutable_unit()->set_code(a.code);
    req.mutable_unit()->set_agency_code(a.of);
    req.mutable_unit()->set_name(a.name);
    req.mutable_unit()->set_parent_code(a.parent);
    cv1::CreateUnitResponse resp;
    return Call(token, caller, "add-unit", &cv1::CadreService::Stub::CreateUnit, req, &resp);
  });

  auto* add_position = cadre->add_subcommand("add-position", "create a job position in a unit");
  add_position->add_option("--code", a.code)->required();
  add_position->add_option("--unit", a.unit)->required();
  add_position->add_option("--name", a.name)->required();
  add_position->add_option("--rank", a.rank, "the rank required")->required();
  add_position->add_option("--max-holders", a.max_holders, "default 1");
  add_position->add_flag("--leadership", a.leadership);
  shared.On(add_position, [&token] {
    cv1::CreatePositionRequest req;
    req.set_request_id("localgovctl-" + localgov::RandomId());
    auto* p = req.mutable_position();
    cv1::Rank r;
    if (!ParseEnum("--rank", "RANK_", a.rank, &cv1::Rank_Parse, &r)) return 2;
    p->set_code(a.code);
    p->set_unit_code(a.unit);
    p->set_name(a.name);
    p->set_required_rank(r);
    p->set_max_holders(a.max_holders);
    p->set_leadership(a.leadership);
    cv1::CreatePositionResponse resp;
    return Call(token, caller, "add-position", &cv1::CadreService::Stub::CreatePosition, req,
                &resp);
  });

  auto* quota = cadre->add_subcommand("quota", "set a unit's staffing quota for a year");
  quota->add_option("unit", a.unit)->required();
  quota->add_option("--year", a.year)->required();
  quota->add_option("--quota", a.quota)->required();
  quota->add_option("--version", a.version, "0 to create; else the version last read");
  shared.On(quota, [&token] {
    cv1::SetQuotaRequest req;
    req.set_unit_code(a.unit);
    req.set_year(a.year);
    req.set_quota(a.quota);
    req.set_expected_version(a.version);
    cv1::SetQuotaResponse resp;
    return Call(token, caller, "quota", &cv1::CadreService::Stub::SetQuota, req, &resp);
  });

  auto* reg = cadre->add_subcommand("register-agency", "register an agency (admin)");
  reg->add_option("--code", a.code)->required();
  reg->add_option("--name", a.name)->required();
  reg->add_option("--supervisor", a.supervisors, "a supervising agency (repeat)");
  reg->add_option("--successor", a.successor, "for a merged agency");
  reg->add_option("--merged-on", a.merged_on, "the day of the merger");
  shared.On(reg, [&token] {
    cv1::RegisterAgencyRequest req;
    req.set_request_id("localgovctl-" + localgov::RandomId());
    auto* ag = req.mutable_agency();
    ag->set_code(a.code);
    ag->set_name(a.name);
    for (const auto& s : a.supervisors) ag->add_supervisor_codes(s);
    ag->set_successor_code(a.successor);
    ag->set_merged_on(a.merged_on);
    cv1::RegisterAgencyResponse resp;
    Caller admin = caller;
    admin.role = "admin";
    return Call(token, admin, "register-agency", &cv1::CadreService::Stub::RegisterAgency, req,
                &resp);
  });

  auto* seed = cadre->add_subcommand(
      "load-demo", "load the demo province (3,000+ people, 10 years) into an empty cadre database");
  seed->add_option("--database-url", a.database_url, "the cadre service's database")->required();
  static bool no_directory = false;
  seed->add_flag("--no-directory", no_directory,
                 "do not register the demo agencies in the liaison directory (a cadre service "
                 "deployed alone, keeping its own register)");
  shared.On(seed, [&token] { return LoadCadreDemo(token, a.database_url, !no_directory); });
  AddCadreDueCommands(cadre, shared, caller);
  AddCadrePlanCommands(*cadre, shared);   // recruit, report (cadre_plan_commands.cc)
  AddCadreMergeCommands(*cadre, shared);  // merge (cadre_merge_commands.cc)
}

}  // namespace localgovctl

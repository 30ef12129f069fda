// localgovctl: the command line of localgov for operators and developers.
//   localgovctl health                      grpc.health.v1 of every service
//   localgovctl info [--service NAME]       GetServiceInfo of every (or one) service
//   localgovctl token keygen --out-dir DIR  a development issuer key pair (local profile)
//   localgovctl token mint --role R --agency A [--subject S] [--ttl 8h]
//   localgovctl directory create-agency --code C --name N --kind K [--unit U]
//   localgovctl directory get|show|resolve CODE
//   localgovctl directory list [--kind K] [--unit U] [--status S]
//   localgovctl directory units [--parent P] [--level L] [--on DATE] [--history]
//   localgovctl directory unit CODE
//   localgovctl directory snapshot [--trust-key BASE64]
//   localgovctl exchange public-key FILE
//   localgovctl seed demo                   the demo province's directory (idempotent)
//   localgovctl calendar show YEAR          a year's holidays, swaps and compensatory days
//   localgovctl procedures search [WORDS] [--field F] [--level commune|province]
//   localgovctl procedures show CODE [--as-of YYYY-MM-DD]
//   localgovctl dossier receive --procedure LT-01 --name "..." --citizen-id 001203004567
//                               --doc to-khai-lien-thong --doc giay-chung-sinh [--agency A]
//   localgovctl dossier show CODE
//   localgovctl dossier act CODE --action start|supplement|complete|apologize|result|return|
//                                         withdraw|stop [--version N] [--doc D] [--reason R]
//                                         [--new-date YYYY-MM-DD]
//   localgovctl due --received "2026-02-12 10:00" --unit working-days --amount 5
#include <sys/stat.h>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "CLI/CLI.hpp"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "common/auth/auth.h"
#include "common/clock.h"
#include "common/crypto.h"
#include "common/directory_snapshot.h"
#include "common/envelope.h"
#include "common/server.h"
#include "common/signed_log.h"
#include "common/status.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "localgov/cadre/v1/cadre_service.grpc.pb.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"
#include "localgov/liaison/v1/exchange.grpc.pb.h"
#include "localgov/liaison/v1/liaison_service.grpc.pb.h"
#include "localgov/petition/v1/petition_service.grpc.pb.h"

namespace {

using localgov::Role;
namespace lv1 = localgov::liaison::v1;

struct Target {
  std::string name;
  std::string env;
  int default_port;
  std::string grpc_service;
};

const std::vector<Target>& Targets() {
  static const std::vector<Target> kTargets = {
      {"dossier", "LOCALGOV_DOSSIER_ADDR", 50051, "localgov.dossier.v1.DossierService"},
      {"petition", "LOCALGOV_PETITION_ADDR", 50052, "localgov.petition.v1.PetitionService"},
      {"cadre", "LOCALGOV_CADRE_ADDR", 50053, "localgov.cadre.v1.CadreService"},
      {"liaison", "LOCALGOV_LIAISON_ADDR", 50054, "localgov.liaison.v1.LiaisonService"},
  };
  return kTargets;
}

std::string Address(const Target& t) {
  const char* env = std::getenv(t.env.c_str());
  return env != nullptr && *env != '\0' ? env : absl::StrCat("127.0.0.1:", t.default_port);
}

std::shared_ptr<grpc::Channel> Channel(const Target& t) {
  return grpc::CreateChannel(Address(t), grpc::InsecureChannelCredentials());
}

const Target* FindTarget(const std::string& name) {
  for (const auto& t : Targets()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return "";
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::string DefaultKeyFile() {
  const char* env = std::getenv("LOCALGOV_DEV_KEY_FILE");
  return env != nullptr ? env : ".local/keys/issuer.key";
}

struct TokenOptions {
  std::string key_file = DefaultKeyFile();
  std::string issuer = "localgov-dev";
  std::string audience = "localgov";
};

// A development token from the local issuer key; exits with a message when there is none.
std::string DevToken(const TokenOptions& o, Role role, const std::string& agency,
                     const std::string& subject) {
  const std::string key = ReadFile(o.key_file);
  if (key.empty()) {
    std::cerr << "localgovctl: cannot read the issuer key " << o.key_file
              << " (set --key or LOCALGOV_DEV_KEY_FILE; scripts/up.sh creates one)\n";
    std::exit(2);
  }
  localgov::TokenClaims claims;
  claims.issuer = o.issuer;
  claims.audience = o.audience;
  claims.subject = subject;
  claims.role = role;
  claims.agency = role == Role::kCitizen ? "" : agency;
  auto token = localgov::MintToken(key, claims, localgov::SystemClock::Get());
  if (!token.ok()) {
    std::cerr << "localgovctl: " << token.status().message() << "\n";
    std::exit(2);
  }
  return *token;
}

void PrintError(const std::string& what, const grpc::Status& st) {
  std::cerr << what << ": " << st.error_code() << " " << st.error_message() << "\n";
  for (const auto& v : localgov::FieldViolationsOf(localgov::FromGrpcStatus(st))) {
    std::cerr << "  " << v.field << ": " << v.description << "\n";
  }
}

std::string Json(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions o;
  o.add_whitespace = true;
  o.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(m, &out, o);
  return out;
}

int Health(const std::string& only, int timeout_s) {
  int bad = 0;
  for (const auto& t : Targets()) {
    if (!only.empty() && only != "all" && t.name != only) continue;
    auto stub = grpc::health::v1::Health::NewStub(Channel(t));
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(timeout_s));
    grpc::health::v1::HealthCheckRequest req;
    req.set_service(t.grpc_service);
    grpc::health::v1::HealthCheckResponse resp;
    auto st = stub->Check(&ctx, req, &resp);
    std::string state;
    if (!st.ok()) {
      state = absl::StrCat("UNREACHABLE (", st.error_message(), ")");
    } else {
      state = grpc::health::v1::HealthCheckResponse::ServingStatus_Name(resp.status());
    }
    if (!st.ok() || resp.status() != grpc::health::v1::HealthCheckResponse::SERVING) ++bad;
    std::cout << t.name << "\t" << Address(t) << "\t" << state << "\n";
  }
  return bad == 0 ? 0 : 1;
}

template <typename Stub, typename Resp>
grpc::Status CallInfo(Stub& stub, grpc::ClientContext* ctx, Resp* resp) {
  return stub->GetServiceInfo(ctx, {}, resp);
}

int Info(const std::string& only, const TokenOptions& token) {
  int bad = 0;
  const std::string bearer =
      "Bearer " + DevToken(token, Role::kAdmin, "000.00.00.H99", "localgovctl");
  for (const auto& t : Targets()) {
    if (!only.empty() && only != "all" && t.name != only) continue;
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", bearer);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    localgov::common::v1::ServiceInfo info;
    grpc::Status st;
    auto ch = Channel(t);
    if (t.name == "dossier") {
      localgov::dossier::v1::GetServiceInfoResponse r;
      auto stub = localgov::dossier::v1::DossierService::NewStub(ch);
      st = CallInfo(stub, &ctx, &r);
      info = r.info();
    } else if (t.name == "petition") {
      localgov::petition::v1::GetServiceInfoResponse r;
      auto stub = localgov::petition::v1::PetitionService::NewStub(ch);
      st = CallInfo(stub, &ctx, &r);
      info = r.info();
    } else if (t.name == "cadre") {
      localgov::cadre::v1::GetServiceInfoResponse r;
      auto stub = localgov::cadre::v1::CadreService::NewStub(ch);
      st = CallInfo(stub, &ctx, &r);
      info = r.info();
    } else {
      localgov::liaison::v1::GetServiceInfoResponse r;
      auto stub = localgov::liaison::v1::LiaisonService::NewStub(ch);
      st = CallInfo(stub, &ctx, &r);
      info = r.info();
    }
    if (!st.ok()) {
      PrintError(t.name, st);
      ++bad;
      continue;
    }
    std::cout << Json(info);
  }
  return bad == 0 ? 0 : 1;
}

int CreateAgency(const TokenOptions& token, const std::string& request_id, const std::string& code,
                 const std::string& name, const std::string& kind, const std::string& unit,
                 bool quiet) {
  localgov::liaison::v1::AgencyKind k;
  if (!localgov::liaison::v1::AgencyKind_Parse("AGENCY_KIND_" + kind, &k)) {
    std::cerr
        << "localgovctl: unknown kind " << kind
        << " (COMMUNE_PEOPLES_COMMITTEE, PROVINCIAL_PEOPLES_COMMITTEE, "
           "PROVINCIAL_DEPARTMENT, PUBLIC_SERVICE_CENTRE, POLICE, SOCIAL_INSURANCE, TAX, OTHER)\n";
    return 2;
  }
  localgov::liaison::v1::CreateAgencyRequest req;
  req.set_request_id(request_id.empty() ? "localgovctl-" + code : request_id);
  req.mutable_agency()->set_code(code);
  req.mutable_agency()->set_name(name);
  req.mutable_agency()->set_kind(k);
  req.mutable_agency()->set_administrative_unit_code(unit);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization",
                  "Bearer " + DevToken(token, Role::kAdmin, "000.00.00.H99", "localgovctl-admin"));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  localgov::liaison::v1::CreateAgencyResponse resp;
  auto st = localgov::liaison::v1::LiaisonService::NewStub(Channel(*FindTarget("liaison")))
                ->CreateAgency(&ctx, req, &resp);
  if (quiet && st.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
    return 0;  // seeding again: the agency (maybe from an older seed) is kept as it is
  }
  if (!st.ok()) {
    PrintError("create-agency " + code, st);
    return 1;
  }
  if (!quiet) std::cout << Json(resp.agency());
  return 0;
}

int GetAgency(const TokenOptions& token, const std::string& code) {
  localgov::liaison::v1::GetAgencyRequest req;
  req.set_code(code);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization",
                  "Bearer " + DevToken(token, Role::kOfficer, "000.00.00.H99", "localgovctl"));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  localgov::liaison::v1::GetAgencyResponse resp;
  auto st = localgov::liaison::v1::LiaisonService::NewStub(Channel(*FindTarget("liaison")))
                ->GetAgency(&ctx, req, &resp);
  if (!st.ok()) {
    PrintError("get " + code, st);
    return 1;
  }
  std::cout << Json(resp.agency());
  return 0;
}

// One liaison RPC with a token of `role`; prints the error and returns false on failure. A
// code in `tolerated` counts as success, quietly (seeding again: already there).
template <typename Req, typename Resp>
bool LiaisonCall(const TokenOptions& token, Role role, const std::string& what,
                 grpc::Status (lv1::LiaisonService::Stub::*method)(grpc::ClientContext*, const Req&,
                                                                   Resp*),
                 const Req& req, Resp* resp, const std::string& agency = "000.00.00.H99",
                 std::initializer_list<grpc::StatusCode> tolerated = {}) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + DevToken(token, role, agency, "localgovctl"));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  auto stub = lv1::LiaisonService::NewStub(Channel(*FindTarget("liaison")));
  auto st = ((*stub).*method)(&ctx, req, resp);
  if (st.ok() ||
      std::find(tolerated.begin(), tolerated.end(), st.error_code()) != tolerated.end()) {
    return true;
  }
  PrintError(what, st);
  return false;
}

// The demo province's administrative units: Khánh Hòa, which Ninh Thuận merged into on
// 2025-07-01; two districts of before the reform (history), whose wards and communes merged
// into the ward of Nha Trang and the commune of Diên Khánh, under the province directly.
int SeedUnits(const TokenOptions& token) {
  struct U {
    const char* code;
    lv1::UnitLevel level;
    const char* parent;
    const char* name;
    const char* from;
    const char* until;
  };
  static const U kUnits[] = {
      {"56", lv1::UNIT_LEVEL_PROVINCE, "", "Tỉnh Khánh Hòa", "1989-07-01", ""},
      {"58", lv1::UNIT_LEVEL_PROVINCE, "", "Tỉnh Ninh Thuận", "1992-04-01", ""},
      {"568", lv1::UNIT_LEVEL_DISTRICT, "56", "Thành phố Nha Trang", "1989-07-01", "2025-07-01"},
      {"576", lv1::UNIT_LEVEL_DISTRICT, "56", "Huyện Diên Khánh", "1989-07-01", "2025-07-01"},
      {"22330", lv1::UNIT_LEVEL_COMMUNE, "568", "Phường Lộc Thọ", "1989-07-01", ""},
      {"22336", lv1::UNIT_LEVEL_COMMUNE, "568", "Phường Phước Tiến", "1989-07-01", ""},
      {"22339", lv1::UNIT_LEVEL_COMMUNE, "568", "Phường Tân Lập", "1989-07-01", ""},
      {"22609", lv1::UNIT_LEVEL_COMMUNE, "576", "Thị trấn Diên Khánh", "1989-07-01", ""},
      {"22615", lv1::UNIT_LEVEL_COMMUNE, "576", "Xã Diên An", "1989-07-01", ""},
      {"22618", lv1::UNIT_LEVEL_COMMUNE, "576", "Xã Diên Toàn", "1989-07-01", ""},
      {"22333", lv1::UNIT_LEVEL_COMMUNE, "56", "Phường Nha Trang", "2025-07-01", ""},
      {"22612", lv1::UNIT_LEVEL_COMMUNE, "56", "Xã Diên Khánh", "2025-07-01", ""},
  };
  int bad = 0;
  for (const auto& u : kUnits) {
    lv1::CreateAdministrativeUnitRequest req;
    req.set_request_id(absl::StrCat("seed-demo-unit-", u.code));
    auto* p = req.mutable_unit();
    p->set_code(u.code);
    p->set_level(u.level);
    p->set_parent_code(u.parent);
    p->set_name(u.name);
    p->set_valid_from(u.from);
    p->set_valid_until(u.until);
    lv1::CreateAdministrativeUnitResponse resp;
    // Seeding again: ALREADY_EXISTS means it is there already.
    bad += LiaisonCall(token, Role::kAdmin, absl::StrCat("unit ", u.code),
                       &lv1::LiaisonService::Stub::CreateAdministrativeUnit, req, &resp,
                       "000.00.00.H99", {grpc::StatusCode::ALREADY_EXISTS})
               ? 0
               : 1;
  }
  struct S {
    lv1::SuccessionKind kind;
    std::vector<std::string> from, to;
  };
  const S kSuccessions[] = {
      {lv1::SUCCESSION_KIND_MERGED_INTO, {"58"}, {"56"}},
      {lv1::SUCCESSION_KIND_MERGED_INTO, {"22330", "22336", "22339"}, {"22333"}},
      {lv1::SUCCESSION_KIND_MERGED_INTO, {"22609", "22615", "22618"}, {"22612"}},
  };
  for (const auto& s : kSuccessions) {
    lv1::RecordUnitSuccessionRequest req;
    req.set_kind(s.kind);
    for (const auto& c : s.from) req.add_predecessor_codes(c);
    for (const auto& c : s.to) req.add_successor_codes(c);
    req.set_effective_date("2025-07-01");
    lv1::RecordUnitSuccessionResponse resp;
    // Seeding again: FAILED_PRECONDITION means it is there already.
    bad += LiaisonCall(token, Role::kAdmin, "succession " + s.to[0],
                       &lv1::LiaisonService::Stub::RecordUnitSuccession, req, &resp,
                       "000.00.00.H99", {grpc::StatusCode::FAILED_PRECONDITION})
               ? 0
               : 1;
  }
  return bad;
}

// The demo province's directory: a provincial committee and service centre, two communes
// formed by the 2025-07-01 merger (and two committees that merged into them), the provincial
// police and social insurance.
int SeedDemo(const TokenOptions& token) {
  int bad = SeedUnits(token);
  struct Row {
    const char* code;
    const char* name;
    const char* kind;
    const char* unit;
  };
  static const Row kRows[] = {
      {"000.00.00.H41", "Ủy ban nhân dân tỉnh Khánh Hòa", "PROVINCIAL_PEOPLES_COMMITTEE", "56"},
      {"000.00.01.H41", "Trung tâm Phục vụ hành chính công tỉnh Khánh Hòa", "PUBLIC_SERVICE_CENTRE",
       "56"},
      {"000.00.31.H41", "Ủy ban nhân dân phường Nha Trang", "COMMUNE_PEOPLES_COMMITTEE", "22333"},
      {"000.00.32.H41", "Ủy ban nhân dân xã Diên Khánh", "COMMUNE_PEOPLES_COMMITTEE", "22612"},
      {"000.00.21.H41", "Ủy ban nhân dân phường Lộc Thọ", "COMMUNE_PEOPLES_COMMITTEE", "22330"},
      {"000.00.22.H41", "Ủy ban nhân dân thị trấn Diên Khánh", "COMMUNE_PEOPLES_COMMITTEE",
       "22609"},
      {"000.00.10.G01", "Công an tỉnh Khánh Hòa", "POLICE", "56"},
      {"000.00.11.G02", "Bảo hiểm xã hội tỉnh Khánh Hòa", "SOCIAL_INSURANCE", "56"},
  };
  for (const auto& r : kRows) {
    bad += CreateAgency(token, absl::StrCat("seed-demo-", r.code), r.code, r.name, r.kind, r.unit,
                        /*quiet=*/true);
  }
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"000.00.21.H41", "000.00.31.H41"}, {"000.00.22.H41", "000.00.32.H41"}}) {
    lv1::MergeAgencyRequest req;
    req.set_code(from);
    req.set_successor_code(to);
    req.set_effective_date("2025-07-01");
    lv1::MergeAgencyResponse resp;
    // Seeding again: FAILED_PRECONDITION means it is there already.
    bad +=
        LiaisonCall(token, Role::kAdmin, "merge " + from, &lv1::LiaisonService::Stub::MergeAgency,
                    req, &resp, "000.00.00.H99", {grpc::StatusCode::FAILED_PRECONDITION})
            ? 0
            : 1;
  }
  std::cout << "seeded 12 administrative units and " << (sizeof(kRows) / sizeof(kRows[0]))
            << " agencies into the liaison directory\n";
  return bad == 0 ? 0 : 1;
}

std::string Bearer(const TokenOptions& token, Role role) {
  return "Bearer " + DevToken(token, role, "000.00.00.H99", "localgovctl");
}

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
  std::cout << "calendar " << c.year() << " (version " << c.version() << ")"
            << (c.provisional() ? " PROVISIONAL" : "") << "\nsource: " << c.source() << "\n";
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
            << " Vietnam time)\n";
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

struct ReceiveOptions {
  std::string procedure, name, citizen_id, phone, agency, channel = "counter", request_id;
  std::vector<std::string> docs, refusals;
  bool verification = false;
};

void PrintDossier(const localgov::dossier::v1::Dossier& d) {
  std::cout << "dossier  " << d.code() << "\nstate    "
            << localgov::dossier::v1::DossierState_Name(d.state()) << " (portal status "
            << d.portal_status_code() << ")\nprocedure " << d.procedure_code() << " v"
            << d.procedure_version() << "\nreceived "
            << absl::FormatTime("%Y-%m-%d %H:%M",
                                absl::FromUnixSeconds(d.received_time().seconds()),
                                absl::FixedTimeZone(7 * 3600))
            << " (clock starts after " << d.clock_start_date() << ")\n";
  if (!d.due_date().empty()) std::cout << "appointment " << d.due_date() << "\n";
  for (const auto& m : d.missing_documents()) std::cout << "missing  " << m.name() << "\n";
  for (const auto& r : d.refusal_reasons()) std::cout << "refused  " << r << "\n";
  for (const auto& s : d.steps()) {
    std::cout << "step " << s.index() << "   " << (s.own() ? "own " : "") << s.agency_code() << " "
              << localgov::dossier::v1::StepState_Name(s.state())
              << (s.due_date().empty() ? "" : " due " + s.due_date())
              << (s.has_acknowledge_by()
                      ? " acknowledge by " +
                            absl::FormatTime("%Y-%m-%d %H:%M",
                                             absl::FromUnixSeconds(s.acknowledge_by().seconds()),
                                             absl::FixedTimeZone(7 * 3600))
                      : "")
              << (s.outcome() == localgov::dossier::v1::OUTCOME_CLASS_UNSPECIFIED
                      ? ""
                      : " " + localgov::dossier::v1::OutcomeClass_Name(s.outcome()))
              << ": " << s.name() << "\n";
  }
  for (const auto& e : d.events()) {
    std::cout << "  #" << e.sequence() << " " << e.actor() << " (" << e.role() << ") "
              << localgov::dossier::v1::DossierState_Name(e.to_state()) << ": " << e.note() << "\n";
  }
}

int DossierReceive(const TokenOptions& token, const ReceiveOptions& o) {
  localgov::dossier::v1::ReceiveDossierRequest req;
  req.set_request_id(o.request_id.empty() ? "localgovctl-" + localgov::RandomId() : o.request_id);
  req.set_procedure_code(o.procedure);
  req.set_receiving_agency_code(o.agency);
  req.set_channel(o.channel == "online" ? localgov::dossier::v1::CHANNEL_ONLINE
                  : o.channel == "post" ? localgov::dossier::v1::CHANNEL_POST
                                        : localgov::dossier::v1::CHANNEL_COUNTER);
  req.mutable_applicant()->set_full_name(o.name);
  req.mutable_applicant()->set_citizen_id(o.citizen_id);
  req.mutable_applicant()->set_phone(o.phone);
  for (const auto& d : o.docs) req.add_documents()->set_document_code(d);
  for (const auto& r : o.refusals) req.add_refusal_reasons(r);
  req.set_with_verification(o.verification);
  grpc::ClientContext ctx;
  ctx.AddMetadata(
      "authorization",
      "Bearer " + DevToken(token, Role::kOfficer, o.agency.empty() ? "000.00.31.H41" : o.agency,
                           "counter-officer"));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  localgov::dossier::v1::ReceiveDossierResponse resp;
  auto st = localgov::dossier::v1::DossierService::NewStub(Channel(*FindTarget("dossier")))
                ->ReceiveDossier(&ctx, req, &resp);
  if (!st.ok()) {
    PrintError("receive", st);
    return 1;
  }
  PrintDossier(resp.dossier());
  return 0;
}

int DossierShow(const TokenOptions& token, const std::string& code, const std::string& agency) {
  localgov::dossier::v1::GetDossierRequest req;
  req.set_code(code);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization",
                  "Bearer " + DevToken(token, Role::kOfficer, agency, "counter-officer"));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  localgov::dossier::v1::GetDossierResponse resp;
  auto st = localgov::dossier::v1::DossierService::NewStub(Channel(*FindTarget("dossier")))
                ->GetDossier(&ctx, req, &resp);
  if (!st.ok()) {
    PrintError("dossier " + code, st);
    return 1;
  }
  PrintDossier(resp.dossier());
  return 0;
}

struct ActOptions {
  std::string action, agency = "000.00.31.H41", new_date, note, reference;
  int64_t amount = 0;
  int step = -1;
  std::vector<std::string> docs, reasons;
  int64_t version = 0;
};

int DossierAct(const TokenOptions& token, const std::string& code, const ActOptions& o) {
  namespace dv1 = localgov::dossier::v1;
  auto stub = dv1::DossierService::NewStub(Channel(*FindTarget("dossier")));
  const std::string bearer =
      "Bearer " + DevToken(token, Role::kOfficer, o.agency, "counter-officer");
  auto context = [&](grpc::ClientContext& ctx) {
    ctx.AddMetadata("authorization", bearer);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  };
  int64_t version = o.version;
  if (version == 0) {  // convenience: act on the version just read
    grpc::ClientContext ctx;
    context(ctx);
    dv1::GetDossierRequest req;
    req.set_code(code);
    dv1::GetDossierResponse resp;
    auto st = stub->GetDossier(&ctx, req, &resp);
    if (!st.ok()) {
      PrintError("dossier " + code, st);
      return 1;
    }
    version = resp.dossier().version();
  }
  grpc::ClientContext ctx;
  context(ctx);
  grpc::Status st;
  dv1::Dossier out;
  auto finish = [&](auto& req, auto& resp, auto method) {
    req.set_code(code);
    req.set_expected_version(version);
    st = ((*stub).*method)(&ctx, req, &resp);
    if (st.ok()) out = resp.dossier();
  };
  const std::string reason = o.reasons.empty() ? "" : o.reasons.front();
  if (o.action == "start") {
    dv1::StartProcessingRequest req;
    dv1::StartProcessingResponse resp;
    finish(req, resp, &dv1::DossierService::Stub::StartProcessing);
  } else if (o.action == "supplement") {
    dv1::RequestSupplementRequest req;
    for (const auto& d : o.docs) req.add_missing_document_codes(d);
    dv1::RequestSupplementResponse resp;
    finish(req, resp, &dv1::DossierService::Stub::RequestSupplement);
  } else if (o.action == "complete") {
    dv1::CompleteSupplementRequest req;
    for (const auto& d : o.docs) req.add_documents()->set_document_code(d);
    dv1::CompleteSupplementResponse resp;
    finish(req, resp, &dv1::DossierService::Stub::CompleteSupplement);
  } else if (o.action == "apologize") {
    dv1::ApologizeRequest req;
    req.set_reason(reason);
    req.set_new_due_date(o.new_date);
    dv1::ApologizeResponse resp;
    finish(req, resp, &dv1::DossierService::Stub::Apologize);
  } else if (o.action == "result") {
    dv1::RecordResultRequest req;
    req.set_note(reason);
    dv1::RecordResultResponse resp;
    finish(req, resp, &dv1::DossierService::Stub::RecordResult);
  } else if (o.action == "return") {
    dv1::ReturnResultRequest req;
    dv1::ReturnResultResponse resp;
    finish(req, resp, &dv1::DossierService::Stub::ReturnResult);
  } else if (o.action == "withdraw") {
    dv1::WithdrawDossierRequest req;
    req.set_reason(reason);
    dv1::WithdrawDossierResponse resp;
    finish(req, resp, &dv1::DossierService::Stub::WithdrawDossier);
  } else if (o.action == "stop") {
    dv1::StopProcessingRequest req;
    for (const auto& r : o.reasons) req.add_reasons(r);
    dv1::StopProcessingResponse resp;
    finish(req, resp, &dv1::DossierService::Stub::StopProcessing);
  } else if (o.action == "pay-request") {
    dv1::RequestPaymentRequest req;
    req.set_amount_vnd(o.amount);
    req.set_reason(reason);
    dv1::RequestPaymentResponse resp;
    finish(req, resp, &dv1::DossierService::Stub::RequestPayment);
  } else if (o.action == "pay-confirm") {
    dv1::ConfirmPaymentRequest req;
    req.set_payment_reference(o.reference);
    dv1::ConfirmPaymentResponse resp;
    finish(req, resp, &dv1::DossierService::Stub::ConfirmPayment);
  } else if (o.action == "step-done") {
    dv1::CompleteStepRequest req;
    req.set_step_index(o.step);
    req.set_note(reason);
    dv1::CompleteStepResponse resp;
    finish(req, resp, &dv1::DossierService::Stub::CompleteStep);
  } else {
    std::cerr << "localgovctl: --action is start, supplement, complete, apologize, result, "
                 "return, withdraw, stop, pay-request, pay-confirm or step-done\n";
    return 2;
  }
  if (!st.ok()) {
    PrintError(o.action + " " + code, st);
    return 1;
  }
  PrintDossier(out);
  return 0;
}

struct ListOptions {
  std::string agency = "000.00.31.H41";
  int due_within = -1;
  bool late = false, late_no_apology = false, transfer_overdue = false;
  std::string applicant, procedure;
  int limit = 20;
};

// An officer's worklist: open dossiers by due date.
int DossierList(const TokenOptions& token, const ListOptions& o) {
  namespace dv1 = localgov::dossier::v1;
  auto stub = dv1::DossierService::NewStub(Channel(*FindTarget("dossier")));
  dv1::ListDossiersRequest req;
  req.set_agency_code(o.agency);
  if (o.due_within >= 0) req.set_due_within_working_days(o.due_within);
  req.set_late_only(o.late);
  req.set_late_without_apology_only(o.late_no_apology);
  req.set_transfer_overdue_only(o.transfer_overdue);
  req.set_applicant_citizen_id(o.applicant);
  req.set_procedure_code(o.procedure);
  req.set_page_size(std::min(o.limit, 100));
  const std::string bearer =
      "Bearer " + DevToken(token, Role::kOfficer, o.agency, "counter-officer");
  int shown = 0;
  std::cout << absl::StrFormat("%-28s %-10s %-22s %-11s %s\n", "CODE", "PROCEDURE", "STATE", "DUE",
                               "APPLICANT");
  while (shown < o.limit) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", bearer);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    dv1::ListDossiersResponse resp;
    auto st = stub->ListDossiers(&ctx, req, &resp);
    if (!st.ok()) {
      PrintError("list", st);
      return 1;
    }
    for (const auto& d : resp.dossiers()) {
      if (shown++ >= o.limit) break;
      const std::string state = dv1::DossierState_Name(d.state()).substr(14);  // DOSSIER_STATE_
      std::cout << absl::StrFormat(
          "%-28s %-10s %-22s %-11s %s %s%s\n", d.code(), d.procedure_code(), state,
          d.due_date().empty() ? "-" : d.due_date(), d.applicant().full_name(),
          d.applicant().citizen_id(), d.has_apology() ? " (apologized)" : "");
    }
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  return 0;
}

// Follows WatchDossiers and prints each change; stops after `count` changes (0: never).
int DossierWatch(const TokenOptions& token, const std::string& agency, const std::string& code,
                 int64_t after, int count) {
  namespace dv1 = localgov::dossier::v1;
  auto stub = dv1::DossierService::NewStub(Channel(*FindTarget("dossier")));
  dv1::WatchDossiersRequest req;
  if (code.empty()) {
    req.set_agency_code(agency);
  } else {
    req.set_dossier_code(code);
  }
  req.set_after_sequence(after);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + DevToken(token, Role::kSystem, agency, "portal"));
  auto reader = stub->WatchDossiers(&ctx, req);
  dv1::WatchDossiersResponse c;
  int seen = 0;
  while (reader->Read(&c)) {
    std::cout << absl::StrFormat("#%d %s %s %s -> %s (portal %d) v%d due %s", c.sequence(),
                                 c.dossier_code(),
                                 absl::FormatTime("%Y-%m-%d %H:%M:%S",
                                                  absl::FromUnixSeconds(c.time().seconds()),
                                                  absl::FixedTimeZone(7 * 3600)),
                                 dv1::DossierState_Name(c.from_state()),
                                 dv1::DossierState_Name(c.to_state()), c.portal_status_code(),
                                 c.dossier_version(), c.due_date().empty() ? "-" : c.due_date())
              << std::endl;
    if (count > 0 && ++seen >= count) {
      ctx.TryCancel();
      while (reader->Read(&c)) {
      }
      reader->Finish().IgnoreError();
      return 0;
    }
  }
  auto st = reader->Finish();
  if (!st.ok()) {
    PrintError("watch", st);
    return 1;
  }
  return 0;
}

// The applicant rates a returned dossier (a citizen token for --citizen-id).
int DossierRate(const TokenOptions& token, const std::string& code, const std::string& citizen_id,
                const std::string& level, const std::string& comment) {
  namespace dv1 = localgov::dossier::v1;
  dv1::RateDossierRequest req;
  req.set_code(code);
  req.set_level(level == "very-satisfied"  ? dv1::SATISFACTION_LEVEL_VERY_SATISFIED
                : level == "satisfied"     ? dv1::SATISFACTION_LEVEL_SATISFIED
                : level == "not-satisfied" ? dv1::SATISFACTION_LEVEL_NOT_SATISFIED
                                           : dv1::SATISFACTION_LEVEL_UNSPECIFIED);
  req.set_comment(comment);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + DevToken(token, Role::kCitizen, "", citizen_id));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  dv1::RateDossierResponse resp;
  auto st =
      dv1::DossierService::NewStub(Channel(*FindTarget("dossier")))->RateDossier(&ctx, req, &resp);
  if (!st.ok()) {
    PrintError("rate " + code, st);
    return 1;
  }
  std::cout << "rated " << code << ": " << dv1::SatisfactionLevel_Name(resp.rating().level())
            << "\n";
  return 0;
}

// An agency's service-quality figures for a period.
int Stats(const TokenOptions& token, const std::string& agency, const std::string& from,
          const std::string& to) {
  namespace dv1 = localgov::dossier::v1;
  dv1::GetAgencyStatisticsRequest req;
  req.set_agency_code(agency);
  req.set_from_date(from);
  req.set_to_date(to);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + DevToken(token, Role::kLeader, agency, "leader"));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  dv1::GetAgencyStatisticsResponse resp;
  auto st = dv1::DossierService::NewStub(Channel(*FindTarget("dossier")))
                ->GetAgencyStatistics(&ctx, req, &resp);
  if (!st.ok()) {
    PrintError("stats", st);
    return 1;
  }
  std::cout << Json(resp.statistics()) << "\n";
  return 0;
}

std::optional<lv1::EnvelopeType> ParseEnvelopeType(const std::string& name) {
  lv1::EnvelopeType t;
  std::string upper = "ENVELOPE_TYPE_" + name;
  for (auto& c : upper) c = c == '-' ? '_' : static_cast<char>(std::toupper(c));
  if (!lv1::EnvelopeType_Parse(upper, &t) || t == lv1::ENVELOPE_TYPE_UNSPECIFIED) {
    std::cerr << "localgovctl: type is step-handoff, step-result, petition-referral, "
                 "referral-result or official-document\n";
    return std::nullopt;
  }
  return t;
}

int ExchangeKeygen(const std::string& key_id, const std::string& out) {
  const auto keys = localgov::GenerateEd25519KeyPair();
  if (auto st = localgov::WriteSigningKeyFile(out, key_id, keys.secret_key); !st.ok()) {
    std::cerr << "localgovctl: " << st.message() << "\n";
    return 1;
  }
  std::cout << "wrote " << out << " (key id " << key_id
            << ")\npublic key (base64): " << absl::Base64Escape(keys.public_key) << "\n";
  return 0;
}

int DirectoryAdmin(const TokenOptions& token, const std::string& action,
                   const std::vector<std::string>& args) {
  auto need = [&](size_t n, const char* usage) {
    if (args.size() == n) return true;
    std::cerr << "localgovctl: directory " << action << " " << usage << "\n";
    return false;
  };
  if (action == "resolve") {
    if (!need(1, "CODE")) return 2;
    lv1::ResolveAgencyRequest req;
    req.set_code(args[0]);
    lv1::ResolveAgencyResponse resp;
    if (!LiaisonCall(token, Role::kOfficer, "resolve", &lv1::LiaisonService::Stub::ResolveAgency,
                     req, &resp)) {
      return 1;
    }
    std::cout << absl::StrJoin(resp.chain(), " > ") << "\n" << Json(resp.agency());
    return 0;
  }
  if (action == "merge") {
    if (!need(3, "CODE SUCCESSOR YYYY-MM-DD")) return 2;
    lv1::MergeAgencyRequest req;
    req.set_code(args[0]);
    req.set_successor_code(args[1]);
    req.set_effective_date(args[2]);
    lv1::MergeAgencyResponse resp;
    if (!LiaisonCall(token, Role::kAdmin, "merge", &lv1::LiaisonService::Stub::MergeAgency, req,
                     &resp)) {
      return 1;
    }
    std::cout << Json(resp.agency());
    return 0;
  }
  if (action == "endpoint") {
    if (!need(2, "CODE service:dossier|host:port")) return 2;
    lv1::SetAgencyEndpointRequest req;
    req.set_code(args[0]);
    req.set_receiver_endpoint(args[1]);
    lv1::SetAgencyEndpointResponse resp;
    return LiaisonCall(token, Role::kAdmin, "endpoint",
                       &lv1::LiaisonService::Stub::SetAgencyEndpoint, req, &resp)
               ? 0
               : 1;
  }
  if (action == "add-key") {
    if (!need(3, "CODE KEY_ID PUBLIC_KEY_BASE64")) return 2;
    lv1::AddAgencyKeyRequest req;
    req.set_agency_code(args[0]);
    req.set_key_id(args[1]);
    std::string pub;
    if (!absl::Base64Unescape(args[2], &pub)) {
      std::cerr << "localgovctl: the public key is not base64\n";
      return 2;
    }
    req.set_public_key(pub);
    lv1::AddAgencyKeyResponse resp;
    return LiaisonCall(token, Role::kAdmin, "add-key", &lv1::LiaisonService::Stub::AddAgencyKey,
                       req, &resp)
               ? 0
               : 1;
  }
  if (action == "grant") {
    if (!need(3, "SENDER TYPE RECEIVER")) return 2;
    auto type = ParseEnvelopeType(args[1]);
    if (!type) return 2;
    lv1::GrantAccessRequest req;
    req.set_sender_agency_code(args[0]);
    req.set_type(*type);
    req.set_receiver_agency_code(args[2]);
    lv1::GrantAccessResponse resp;
    return LiaisonCall(token, Role::kAdmin, "grant", &lv1::LiaisonService::Stub::GrantAccess, req,
                       &resp)
               ? 0
               : 1;
  }
  if (action == "unit-create") {
    if (args.size() != 5 && args.size() != 6) {
      std::cerr << "localgovctl: directory admin unit-create CODE province|district|commune "
                   "PARENT|- NAME VALID_FROM [VALID_UNTIL]\n";
      return 2;
    }
    lv1::CreateAdministrativeUnitRequest req;
    req.set_request_id("localgovctl-unit-" + args[0]);
    auto* u = req.mutable_unit();
    u->set_code(args[0]);
    std::string level = "UNIT_LEVEL_" + args[1];
    for (auto& c : level) c = static_cast<char>(std::toupper(c));
    lv1::UnitLevel l;
    if (!lv1::UnitLevel_Parse(level, &l)) {
      std::cerr << "localgovctl: level is province, district or commune\n";
      return 2;
    }
    u->set_level(l);
    if (args[2] != "-") u->set_parent_code(args[2]);
    u->set_name(args[3]);
    u->set_valid_from(args[4]);
    if (args.size() == 6) u->set_valid_until(args[5]);
    lv1::CreateAdministrativeUnitResponse resp;
    if (!LiaisonCall(token, Role::kAdmin, "unit-create",
                     &lv1::LiaisonService::Stub::CreateAdministrativeUnit, req, &resp)) {
      return 1;
    }
    std::cout << Json(resp.unit());
    return 0;
  }
  if (action == "succession") {
    if (!need(4, "merged|split FROM[,FROM...] TO[,TO...] YYYY-MM-DD")) return 2;
    lv1::RecordUnitSuccessionRequest req;
    if (args[0] == "merged") {
      req.set_kind(lv1::SUCCESSION_KIND_MERGED_INTO);
    } else if (args[0] == "split") {
      req.set_kind(lv1::SUCCESSION_KIND_SPLIT_INTO);
    } else {
      std::cerr << "localgovctl: succession kind is merged or split\n";
      return 2;
    }
    for (const auto& c : absl::StrSplit(args[1], ',')) req.add_predecessor_codes(std::string(c));
    for (const auto& c : absl::StrSplit(args[2], ',')) req.add_successor_codes(std::string(c));
    req.set_effective_date(args[3]);
    lv1::RecordUnitSuccessionResponse resp;
    if (!LiaisonCall(token, Role::kAdmin, "succession",
                     &lv1::LiaisonService::Stub::RecordUnitSuccession, req, &resp)) {
      return 1;
    }
    std::cout << Json(resp);
    return 0;
  }
  std::cerr << "localgovctl: directory ACTION is resolve, merge, endpoint, add-key, grant, "
               "unit-create or succession\n";
  return 2;
}

struct DirectoryQuery {
  std::string kind, unit, status, parent, level, on_date, trust_key;
  bool history = false;
};

std::string Short(const std::string& enum_name, const std::string& prefix) {
  return enum_name.rfind(prefix, 0) == 0 ? enum_name.substr(prefix.size()) : enum_name;
}

// Read-only directory commands: list, show, resolve, units, unit, snapshot.
int DirectoryRead(const TokenOptions& token, const std::string& action, const std::string& code,
                  const DirectoryQuery& q) {
  auto upper = [](std::string v) {
    for (auto& c : v) c = c == '-' ? '_' : static_cast<char>(std::toupper(c));
    return v;
  };
  if (action == "list") {
    lv1::ListAgenciesRequest req;
    if (!q.kind.empty()) {
      lv1::AgencyKind k;
      if (!lv1::AgencyKind_Parse("AGENCY_KIND_" + upper(q.kind), &k)) {
        std::cerr << "localgovctl: unknown kind " << q.kind << "\n";
        return 2;
      }
      req.set_kind(k);
    }
    if (!q.status.empty()) {
      lv1::AgencyStatus st;
      if (!lv1::AgencyStatus_Parse("AGENCY_STATUS_" + upper(q.status), &st)) {
        std::cerr << "localgovctl: status is active, merged or dissolved\n";
        return 2;
      }
      req.set_status(st);
    }
    req.set_administrative_unit_code(q.unit);
    req.set_page_size(500);
    std::cout << absl::StrFormat("%-15s %-33s %-28s %-6s %-22s %s\n", "CODE",
                                 "STATUS (merged > successor @ from)", "KIND", "UNIT", "ENDPOINT",
                                 "NAME");
    do {
      lv1::ListAgenciesResponse resp;
      if (!LiaisonCall(token, Role::kOfficer, "list", &lv1::LiaisonService::Stub::ListAgencies, req,
                       &resp)) {
        return 1;
      }
      for (const auto& a : resp.agencies()) {
        std::string status = Short(lv1::AgencyStatus_Name(a.status()), "AGENCY_STATUS_");
        if (a.status() == lv1::AGENCY_STATUS_MERGED) {
          status += absl::StrCat(">", a.successor_code(), "@", a.status_effective_date());
        }
        std::cout << absl::StrFormat("%-15s %-33s %-28s %-6s %-22s %s\n", a.code(), status,
                                     Short(lv1::AgencyKind_Name(a.kind()), "AGENCY_KIND_"),
                                     a.administrative_unit_code(), a.receiver_endpoint(), a.name());
      }
      req.set_page_token(resp.next_page_token());
    } while (!req.page_token().empty());
    return 0;
  }
  if (action == "show" || action == "resolve") {
    lv1::ResolveAgencyRequest req;
    req.set_code(code);
    lv1::ResolveAgencyResponse resp;
    if (!LiaisonCall(token, Role::kOfficer, action, &lv1::LiaisonService::Stub::ResolveAgency, req,
                     &resp)) {
      return 1;
    }
    if (action == "show") {
      lv1::GetAgencyRequest g;
      g.set_code(code);
      lv1::GetAgencyResponse got;
      if (!LiaisonCall(token, Role::kOfficer, "show", &lv1::LiaisonService::Stub::GetAgency, g,
                       &got)) {
        return 1;
      }
      std::cout << Json(got.agency());
      if (resp.chain_size() > 1) {
        std::cout << "now answered by: " << absl::StrJoin(resp.chain(), " > ") << "\n";
      }
      return 0;
    }
    std::cout << absl::StrJoin(resp.chain(), " > ") << "\n" << Json(resp.agency());
    return 0;
  }
  if (action == "units") {
    lv1::ListAdministrativeUnitsRequest req;
    req.set_parent_code(q.parent);
    if (!q.level.empty()) {
      lv1::UnitLevel l;
      if (!lv1::UnitLevel_Parse("UNIT_LEVEL_" + upper(q.level), &l)) {
        std::cerr << "localgovctl: level is province, district or commune\n";
        return 2;
      }
      req.set_level(l);
    }
    req.set_on_date(q.on_date);
    req.set_include_history(q.history);
    req.set_page_size(1000);
    std::cout << absl::StrFormat("%-6s %-9s %-6s %-10s %-10s %s\n", "CODE", "LEVEL", "PARENT",
                                 "FROM", "UNTIL", "NAME");
    do {
      lv1::ListAdministrativeUnitsResponse resp;
      if (!LiaisonCall(token, Role::kOfficer, "units",
                       &lv1::LiaisonService::Stub::ListAdministrativeUnits, req, &resp)) {
        return 1;
      }
      for (const auto& u : resp.units()) {
        std::cout << absl::StrFormat("%-6s %-9s %-6s %-10s %-10s %s\n", u.code(),
                                     Short(lv1::UnitLevel_Name(u.level()), "UNIT_LEVEL_"),
                                     u.parent_code(), u.valid_from(), u.valid_until(), u.name());
      }
      req.set_page_token(resp.next_page_token());
    } while (!req.page_token().empty());
    return 0;
  }
  if (action == "unit") {
    lv1::GetAdministrativeUnitRequest req;
    req.set_code(code);
    lv1::GetAdministrativeUnitResponse resp;
    if (!LiaisonCall(token, Role::kOfficer, "unit",
                     &lv1::LiaisonService::Stub::GetAdministrativeUnit, req, &resp)) {
      return 1;
    }
    std::cout << Json(resp);
    lv1::ResolveAdministrativeUnitRequest r;
    r.set_code(code);
    lv1::ResolveAdministrativeUnitResponse resolved;
    if (!LiaisonCall(token, Role::kOfficer, "unit",
                     &lv1::LiaisonService::Stub::ResolveAdministrativeUnit, r, &resolved)) {
      return 1;
    }
    std::vector<std::string> now;
    for (const auto& u : resolved.current()) now.push_back(u.code() + " " + u.name());
    std::cout << "today: " << (now.empty() ? "(no unit)" : absl::StrJoin(now, "; ")) << "\n";
    return 0;
  }
  if (action == "snapshot") {
    lv1::GetDirectorySnapshotRequest req;
    lv1::GetDirectorySnapshotResponse resp;
    if (!LiaisonCall(token, Role::kSystem, "snapshot",
                     &lv1::LiaisonService::Stub::GetDirectorySnapshot, req, &resp)) {
      return 1;
    }
    lv1::DirectoryContent content;
    if (!q.trust_key.empty()) {
      auto key = localgov::ParseTrustKey(q.trust_key);
      if (!key.ok()) {
        std::cerr << "localgovctl: " << key.status().message() << "\n";
        return 2;
      }
      auto verified = localgov::VerifyDirectory(resp.snapshot(), *key);
      if (!verified.ok()) {
        std::cerr << "localgovctl: " << verified.status().message() << "\n";
        return 1;
      }
      content = *verified;
    } else if (!content.ParseFromString(resp.snapshot().content())) {
      std::cerr << "localgovctl: the snapshot does not parse\n";
      return 1;
    }
    std::cout << "version " << content.version() << ", issued "
              << google::protobuf::util::TimeUtil::ToString(content.issue_time()) << ", signed by "
              << resp.snapshot().signing_key_id()
              << (q.trust_key.empty() ? " (signature not checked: pass --trust-key)"
                                      : " (signature verified)")
              << "\n"
              << content.units_size() << " units, " << content.successions_size()
              << " successions, " << content.agencies_size() << " agencies, " << content.keys_size()
              << " keys, " << content.access_rights_size() << " access rights\n";
    return 0;
  }
  return 2;
}

struct SendOptions {
  std::string from, to, type = "step-handoff", correlation, payload = "{}", key_file, id,
                        in_reply_to;
};

int ExchangeSend(const TokenOptions& token, const SendOptions& o) {
  auto key = localgov::ReadSigningKeyFile(o.key_file);
  if (!key.ok()) {
    std::cerr << "localgovctl: " << key.status().message() << "\n";
    return 2;
  }
  auto type = ParseEnvelopeType(o.type);
  if (!type) return 2;
  lv1::Envelope e;
  e.set_id(o.id.empty() ? "env-" + localgov::RandomId() : o.id);
  e.set_type(*type);
  e.set_sender_agency_code(o.from);
  e.set_receiver_agency_code(o.to);
  e.set_correlation_id(o.correlation);
  e.set_in_reply_to(o.in_reply_to);
  e.set_payload(o.payload);
  e.set_content_type("application/json");
  // TimeUtil::GetCurrentTime() has whole seconds only here: take the time from Abseil.
  *e.mutable_create_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now()));
  localgov::SignEnvelope(e, key->key_id, key->secret_key);
  lv1::SendRequest req;
  *req.mutable_envelope() = e;
  lv1::SendResponse resp;
  if (!LiaisonCall(token, Role::kSystem, "send", &lv1::LiaisonService::Stub::Send, req, &resp,
                   o.from)) {
    return 1;
  }
  std::cout << Json(resp);
  return 0;
}

int Envelopes(const TokenOptions& token, const std::string& action, const std::string& id,
              const std::string& sender, const std::string& receiver) {
  if (action == "show" || action == "requeue") {
    lv1::EnvelopeRecord record;
    if (action == "show") {
      lv1::GetEnvelopeRequest req;
      req.set_id(id);
      lv1::GetEnvelopeResponse resp;
      if (!LiaisonCall(token, Role::kAuditor, "envelope", &lv1::LiaisonService::Stub::GetEnvelope,
                       req, &resp)) {
        return 1;
      }
      record = resp.record();
    } else {
      lv1::RequeueRequest req;
      req.set_id(id);
      lv1::RequeueResponse resp;
      if (!LiaisonCall(token, Role::kAdmin, "requeue", &lv1::LiaisonService::Stub::Requeue, req,
                       &resp)) {
        return 1;
      }
      record = resp.record();
    }
    record.mutable_envelope()->clear_signature();
    std::cout << Json(record);
    return 0;
  }
  lv1::ListEnvelopesRequest req;
  req.set_sender_agency_code(sender);
  req.set_receiver_agency_code(receiver);
  req.set_page_size(50);
  lv1::ListEnvelopesResponse resp;
  if (!LiaisonCall(token, Role::kAuditor, "envelopes", &lv1::LiaisonService::Stub::ListEnvelopes,
                   req, &resp)) {
    return 1;
  }
  std::cout << absl::StrFormat("%-36s %-14s %-14s %-14s %-12s %s\n", "ID", "TYPE", "FROM", "TO",
                               "STATE", "ACK");
  for (const auto& r : resp.records()) {
    std::cout << absl::StrFormat("%-36s %-14s %-14s %-14s %-12s %s %s\n", r.envelope().id(),
                                 lv1::EnvelopeType_Name(r.envelope().type()).substr(14),
                                 r.envelope().sender_agency_code(), r.delivered_to_agency_code(),
                                 lv1::DeliveryState_Name(r.state()).substr(15),
                                 lv1::AckCode_Name(r.ack_code()).substr(9), r.ack_reason());
  }
  return 0;
}

int LogCommand(const TokenOptions& token, const std::string& action, int64_t from, int64_t to,
               const std::string& file, const std::string& trust_key) {
  if (action == "verify") {
    lv1::VerifyLogRequest req;
    req.set_from_sequence(from);
    req.set_to_sequence(to);
    lv1::VerifyLogResponse resp;
    if (!LiaisonCall(token, Role::kAuditor, "verify", &lv1::LiaisonService::Stub::VerifyLog, req,
                     &resp)) {
      return 1;
    }
    if (resp.ok()) {
      std::cout << "message log OK: " << resp.checked() << " entries verified\n";
      return 0;
    }
    std::cout << "message log BROKEN at entry " << resp.first_bad_sequence() << ": "
              << resp.problem() << " (" << resp.checked() << " entries verified before it)\n";
    return 1;
  }
  if (action == "export") {
    // Page by page (5,000 entries each), one header: the pages continue one chain.
    lv1::ExportLogRequest req;
    req.set_from_sequence(from);
    req.set_to_sequence(to);
    bool first_page = true;
    while (true) {
      lv1::ExportLogResponse resp;
      if (!LiaisonCall(token, Role::kAuditor, "export", &lv1::LiaisonService::Stub::ExportLog, req,
                       &resp)) {
        return 1;
      }
      std::string_view bundle = resp.bundle();
      if (!first_page) bundle.remove_prefix(std::min(bundle.size(), bundle.find('\n') + 1));
      std::cout << bundle;
      first_page = false;
      if (resp.next_from_sequence() == 0) break;
      req.set_from_sequence(resp.next_from_sequence());
    }
    return 0;
  }
  // verify-bundle: offline, no service.
  const std::string text = ReadFile(file);
  if (text.empty()) {
    std::cerr << "localgovctl: cannot read " << file << "\n";
    return 2;
  }
  auto bundle = localgov::ParseBundle(text);
  if (!bundle.ok()) {
    std::cerr << "localgovctl: " << bundle.status().message() << "\n";
    return 1;
  }
  auto keys = bundle->public_keys;
  if (!trust_key.empty()) {
    // Trust only the key the auditor got from the liaison's operator, not the bundle's.
    std::string pub;
    if (!absl::Base64Unescape(trust_key, &pub)) {
      std::cerr << "localgovctl: --trust-key is not base64\n";
      return 2;
    }
    for (auto& [id, key] : keys) {
      if (key != pub) key.clear();
    }
  }
  for (const auto& [id, key] : bundle->public_keys) {
    std::cout << "key " << id << " sha256 " << localgov::Sha256Hex(key).substr(0, 16)
              << (keys[id].empty() ? " (NOT trusted)" : "") << "\n";
  }
  const bool from_start = !bundle->entries.empty() && bundle->entries.front().sequence == 1;
  auto check = localgov::VerifyLogEntries(bundle->entries, keys,
                                          from_start ? localgov::kLogGenesisHash : "");
  if (check.ok) {
    std::cout << "bundle OK: " << check.checked << " entries verified offline\n";
    return 0;
  }
  std::cout << "bundle BROKEN at entry " << check.first_bad_sequence << ": " << check.problem
            << "\n";
  return 1;
}

// The demo province's exchange: the communes' receiver is the dossier service, which signs
// their handoffs with `exchange_key`; the police and social insurance run receivers (e.g.
// `localgovctl exchange serve-receiver`) at the given endpoints with their own keys. Access
// rights: communes hand steps to both, both return results to the communes. Idempotent.
int SeedExchange(const TokenOptions& token, const std::string& exchange_key,
                 const std::string& police_key, const std::string& police_endpoint,
                 const std::string& insurance_key, const std::string& insurance_endpoint) {
  const std::vector<std::string> communes = {"000.00.31.H41", "000.00.32.H41"};
  const std::string police = "000.00.10.G01", insurance = "000.00.11.G02";
  int bad = 0;
  auto ok_or_exists = [&](bool ok) { bad += ok ? 0 : 1; };
  auto add_key = [&](const std::string& agency, const std::string& file) {
    auto key = localgov::ReadSigningKeyFile(file);
    if (!key.ok()) {
      std::cerr << "localgovctl: " << key.status().message() << "\n";
      ++bad;
      return;
    }
    lv1::AddAgencyKeyRequest req;
    req.set_agency_code(agency);
    req.set_key_id(key->key_id);
    req.set_public_key(key->public_key);
    req.mutable_valid_from()->set_seconds(0);
    lv1::AddAgencyKeyResponse resp;
    // Seeding again: ALREADY_EXISTS means it is there already.
    ok_or_exists(LiaisonCall(token, Role::kAdmin, "add-key " + agency,
                             &lv1::LiaisonService::Stub::AddAgencyKey, req, &resp, "000.00.00.H99",
                             {grpc::StatusCode::ALREADY_EXISTS}));
  };
  auto endpoint = [&](const std::string& agency, const std::string& where) {
    lv1::SetAgencyEndpointRequest req;
    req.set_code(agency);
    req.set_receiver_endpoint(where);
    lv1::SetAgencyEndpointResponse resp;
    ok_or_exists(LiaisonCall(token, Role::kAdmin, "endpoint " + agency,
                             &lv1::LiaisonService::Stub::SetAgencyEndpoint, req, &resp));
  };
  auto grant = [&](const std::string& from, lv1::EnvelopeType type, const std::string& to) {
    lv1::GrantAccessRequest req;
    req.set_sender_agency_code(from);
    req.set_type(type);
    req.set_receiver_agency_code(to);
    lv1::GrantAccessResponse resp;
    ok_or_exists(LiaisonCall(token, Role::kAdmin, "grant", &lv1::LiaisonService::Stub::GrantAccess,
                             req, &resp));
  };
  for (const auto& c : communes) {
    add_key(c, exchange_key);
    endpoint(c, "service:dossier");
    for (const auto& other : {police, insurance}) {
      grant(c, lv1::ENVELOPE_TYPE_STEP_HANDOFF, other);
      grant(other, lv1::ENVELOPE_TYPE_STEP_RESULT, c);
    }
  }
  add_key(police, police_key);
  add_key(insurance, insurance_key);
  endpoint(police, police_endpoint);
  endpoint(insurance, insurance_endpoint);
  std::cout << "seeded the exchange: keys, receiver endpoints (police " << police_endpoint
            << ", social insurance " << insurance_endpoint << ") and access rights\n";
  return bad == 0 ? 0 : 1;
}

// A stand-in for another agency's system: a ReceiverService that keeps each envelope it takes
// in a JSON-lines file (so a restart does not apply anything twice), acknowledges it and,
// for a step handoff, sends the step's result back through the liaison service after a delay.
class DemoReceiver final : public lv1::ReceiverService::CallbackService {
 public:
  DemoReceiver(std::string agency, localgov::SigningKey key, std::string state_file,
               int complete_after_s)
      : agency_(std::move(agency)),
        key_(std::move(key)),
        state_file_(std::move(state_file)),
        complete_after_s_(complete_after_s) {
    std::ifstream in(state_file_);
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty()) seen_.insert(line);
    }
  }
  ~DemoReceiver() override {
    for (auto& t : pending_) t.join();
  }
  grpc::ServerUnaryReactor* Deliver(grpc::CallbackServerContext* context,
                                    const lv1::DeliverRequest* request,
                                    lv1::DeliverResponse* response) override {
    const auto& e = request->envelope();
    bool fresh = false;
    {
      std::lock_guard lock(mu_);
      if (seen_.insert(e.id()).second) {
        std::ofstream(state_file_, std::ios::app) << e.id() << "\n";  // durable first
        fresh = true;
      }
    }
    std::cout << (fresh ? "took " : "again ") << lv1::EnvelopeType_Name(e.type()) << " " << e.id()
              << " from " << e.sender_agency_code() << " re " << e.correlation_id() << std::endl;
    if (fresh && e.type() == lv1::ENVELOPE_TYPE_STEP_HANDOFF) {
      std::lock_guard lock(mu_);
      pending_.emplace_back([this, e] { SendResult(e); });
    }
    response->set_code(lv1::ACK_CODE_ARRIVED);
    response->set_receiver_reference(agency_ + ":" + e.id());
    auto* r = context->DefaultReactor();
    r->Finish(grpc::Status::OK);
    return r;
  }

 private:
  void SendResult(const lv1::Envelope& handoff) {
    std::this_thread::sleep_for(std::chrono::seconds(complete_after_s_));
    lv1::Envelope e;
    e.set_id(handoff.id() + ":result");
    e.set_type(lv1::ENVELOPE_TYPE_STEP_RESULT);
    e.set_sender_agency_code(agency_);
    e.set_receiver_agency_code(handoff.sender_agency_code());
    e.set_correlation_id(handoff.correlation_id());
    e.set_in_reply_to(handoff.id());
    e.set_payload(R"({"ket_qua":"hoan-thanh"})");
    e.set_content_type("application/json");
    *e.mutable_create_time() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now()));
    localgov::SignEnvelope(e, key_.key_id, key_.secret_key);
    for (int attempt = 1; attempt <= 30; ++attempt) {
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      lv1::SendRequest req;
      *req.mutable_envelope() = e;
      lv1::SendResponse resp;
      auto st =
          lv1::LiaisonService::NewStub(Channel(*FindTarget("liaison")))->Send(&ctx, req, &resp);
      if (st.ok() || st.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
        std::cout << "sent result " << e.id() << std::endl;
        return;
      }
      std::cerr << "result " << e.id() << ": " << st.error_message() << " (retrying)\n";
      std::this_thread::sleep_for(std::chrono::seconds(2));
    }
  }

  const std::string agency_;
  const localgov::SigningKey key_;
  const std::string state_file_;
  const int complete_after_s_;
  std::mutex mu_;
  std::set<std::string> seen_;
  std::vector<std::thread> pending_;
};

int ServeReceiver(const std::string& agency, const std::string& listen, const std::string& key_file,
                  const std::string& state_file, int complete_after_s) {
  auto key = localgov::ReadSigningKeyFile(key_file);
  if (!key.ok()) {
    std::cerr << "localgovctl: " << key.status().message() << "\n";
    return 2;
  }
  localgov::BlockShutdownSignals();
  DemoReceiver receiver(agency, *key, state_file.empty() ? agency + ".received" : state_file,
                        complete_after_s);
  grpc::ServerBuilder b;
  b.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  b.AddListeningPort(listen, grpc::InsecureServerCredentials());
  b.RegisterService(&receiver);
  auto server = b.BuildAndStart();
  if (!server) {
    std::cerr << "localgovctl: cannot listen on " << listen << "\n";
    return 1;
  }
  std::cout << "receiver of " << agency << " on " << listen << " (Ctrl-C stops)" << std::endl;
  localgov::WaitForShutdownSignal();
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  return 0;
}

int Keygen(const std::string& dir) {
  auto keys = localgov::GenerateEs256KeyPair();
  if (!keys.ok()) {
    std::cerr << "localgovctl: " << keys.status().message() << "\n";
    return 1;
  }
  mkdir(dir.c_str(), 0700);
  const std::string priv = dir + "/issuer.key";
  const std::string pub = dir + "/issuer.pub";
  {
    std::ofstream out(priv);
    out << keys->private_pem;
    if (!out) {
      std::cerr << "localgovctl: cannot write " << priv << "\n";
      return 1;
    }
  }
  chmod(priv.c_str(), 0600);
  std::ofstream(pub) << keys->public_pem;
  std::cout << "wrote " << priv << " and " << pub << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"localgovctl: operate and try out localgov services"};
  app.require_subcommand(1);
  TokenOptions token;
  app.add_option("--key", token.key_file, "issuer private key (local profile)")
      ->envname("LOCALGOV_DEV_KEY_FILE");
  app.add_option("--issuer", token.issuer, "token issuer")->envname("LOCALGOV_AUTH_ISSUER");
  app.add_option("--audience", token.audience, "token audience")->envname("LOCALGOV_AUTH_AUDIENCE");

  std::string only = "all";
  int timeout_s = 3;
  auto* health = app.add_subcommand(
      "health", "grpc.health.v1 status of the services (exit 1 unless all SERVING)");
  health->add_option("--service", only, "all, dossier, petition, cadre or liaison");
  health->add_option("--timeout", timeout_s, "seconds per service");

  auto* info = app.add_subcommand("info", "GetServiceInfo of the services");
  info->add_option("--service", only, "all, dossier, petition, cadre or liaison");

  auto* tok = app.add_subcommand("token", "development tokens (local profile)");
  tok->require_subcommand(1);
  std::string out_dir = ".local/keys";
  auto* keygen = tok->add_subcommand("keygen", "create an ES256 issuer key pair");
  keygen->add_option("--out-dir", out_dir, "where to write issuer.key and issuer.pub");
  std::string role_name = "officer", agency, subject = "dev-user", ttl = "8h";
  auto* mint = tok->add_subcommand("mint", "print a signed token");
  mint->add_option("--role", role_name,
                   "citizen, officer, leader, inspector, auditor, admin, system");
  mint->add_option("--agency", agency, "agency code (required except for citizens)");
  mint->add_option("--subject", subject, "token subject");
  mint->add_option("--ttl", ttl, "lifetime, e.g. 30m, 8h");

  auto* dir = app.add_subcommand("directory", "the liaison exchange directory");
  dir->require_subcommand(1);
  std::string code, name, kind, unit, request_id;
  auto* create = dir->add_subcommand("create-agency", "register an agency (admin)");
  create->add_option("--code", code, "national agency code, e.g. 000.00.31.H41")->required();
  create->add_option("--name", name, "official name")->required();
  create->add_option("--kind", kind, "e.g. COMMUNE_PEOPLES_COMMITTEE, POLICE")->required();
  create->add_option("--unit", unit, "administrative unit code");
  create->add_option("--request-id", request_id, "idempotency key (default derived from the code)");
  auto* get = dir->add_subcommand("get", "show one agency");
  get->add_option("code", code, "agency code")->required();
  DirectoryQuery dq;
  auto* dir_list = dir->add_subcommand("list", "agencies, by code");
  dir_list->add_option("--kind", dq.kind, "e.g. commune-peoples-committee, police");
  dir_list->add_option("--unit", dq.unit, "administrative unit code");
  dir_list->add_option("--status", dq.status, "active, merged or dissolved");
  auto* dir_show = dir->add_subcommand("show", "one agency, and who answers for it now");
  dir_show->add_option("code", code, "agency code")->required();
  auto* dir_resolve = dir->add_subcommand("resolve", "the agency that answers for a code today");
  dir_resolve->add_option("code", code, "agency code")->required();
  auto* dir_units = dir->add_subcommand("units", "administrative units, by code");
  dir_units->add_option("--parent", dq.parent, "only children of this unit");
  dir_units->add_option("--level", dq.level, "province, district or commune");
  dir_units->add_option("--on", dq.on_date, "those in existence on YYYY-MM-DD (default today)");
  dir_units->add_flag("--history", dq.history, "every unit, ended ones too");
  auto* dir_unit = dir->add_subcommand("unit", "one unit, its succession and today's units");
  dir_unit->add_option("code", code, "unit code")->required();
  auto* dir_snapshot =
      dir->add_subcommand("snapshot", "the signed directory snapshot other services cache");
  dir_snapshot->add_option("--trust-key", dq.trust_key,
                           "the liaison's public key (base64): verify the signature");

  auto* cal = app.add_subcommand("calendar", "the working-day calendar");
  cal->require_subcommand(1);
  int year = 0;
  auto* cal_show = cal->add_subcommand("show", "show one year");
  cal_show->add_option("year", year, "e.g. 2026")->required();
  std::string received, limit_unit = "working-days";
  int amount = 0;
  auto* due = app.add_subcommand("due", "the due date the law gives a dossier");
  due->add_option("--received", received, "YYYY-MM-DDTHH:MM, Vietnam time")->required();
  due->add_option("--unit", limit_unit, "working-days, days, working-hours, on-the-spot");
  due->add_option("--amount", amount, "days or hours");

  auto* procs = app.add_subcommand("procedures", "the procedure catalogue");
  procs->require_subcommand(1);
  std::vector<std::string> words;
  std::string field, level, as_of;
  auto* procs_search = procs->add_subcommand("search", "search by words, field, level");
  procs_search->add_option("words", words, "words of the name, diacritics optional");
  procs_search->add_option("--field", field, "field (lĩnh vực)");
  procs_search->add_option("--level", level, "commune or province");
  auto* procs_show = procs->add_subcommand("show", "one procedure, in full");
  procs_show->add_option("code", code, "procedure code")->required();
  procs_show->add_option("--as-of", as_of, "the version in force on YYYY-MM-DD");

  auto* dos = app.add_subcommand("dossier", "a counter officer's dossiers");
  dos->require_subcommand(1);
  ReceiveOptions ro;
  auto* dos_receive = dos->add_subcommand("receive", "receive a dossier (officer of --agency)");
  dos_receive->add_option("--procedure", ro.procedure, "procedure code")->required();
  dos_receive->add_option("--name", ro.name, "applicant's full name")->required();
  dos_receive->add_option("--citizen-id", ro.citizen_id, "12-digit citizen ID")->required();
  dos_receive->add_option("--phone", ro.phone, "applicant's phone");
  dos_receive->add_option("--agency", ro.agency, "receiving agency (default 000.00.31.H41)");
  dos_receive->add_option("--channel", ro.channel, "counter, post or online");
  dos_receive->add_option("--doc", ro.docs, "a document code handed in (repeat)");
  dos_receive->add_option("--refuse", ro.refusals, "refuse with this reason (repeat)");
  dos_receive->add_flag("--verification", ro.verification, "the longer limit applies");
  dos_receive->add_option("--request-id", ro.request_id, "idempotency key (default random)");
  std::string dossier_agency = "000.00.31.H41";
  auto* dos_show = dos->add_subcommand("show", "a dossier and its history");
  dos_show->add_option("code", code, "dossier code")->required();
  dos_show->add_option("--agency", dossier_agency, "the officer's agency");

  ActOptions ao;
  auto* dos_act = dos->add_subcommand("act", "move a dossier on (officer of --agency)");
  dos_act->add_option("code", code, "dossier code")->required();
  dos_act
      ->add_option(
          "--action", ao.action,
          "start, supplement, complete, apologize, result, return, withdraw, stop, pay-request, "
          "pay-confirm, step-done")
      ->required();
  dos_act->add_option("--step", ao.step, "the agency's own route step done (step-done)");
  dos_act->add_option("--version", ao.version, "expected version (default: the current one)");
  dos_act->add_option("--agency", ao.agency, "the officer's agency");
  dos_act->add_option("--doc", ao.docs, "document code (supplement, complete; repeat)");
  dos_act->add_option("--reason", ao.reasons,
                      "reason (apologize, withdraw, stop; repeat); note (result, step-done)");
  dos_act->add_option("--new-date", ao.new_date, "new due date YYYY-MM-DD (apologize)");
  dos_act->add_option("--amount", ao.amount, "đồng (pay-request; --reason says what for)");
  dos_act->add_option("--reference", ao.reference, "receipt reference (pay-confirm)");

  ListOptions lo;
  auto* dos_list = dos->add_subcommand("list", "the worklist, by due date (officer of --agency)");
  dos_list->add_option("--agency", lo.agency, "the officer's agency");
  dos_list->add_option("--due-within", lo.due_within,
                       "open dossiers due within N working days (0: today or overdue)");
  dos_list->add_flag("--late", lo.late, "open dossiers past their due date");
  dos_list->add_flag("--late-no-apology", lo.late_no_apology, "late, with no apology issued");
  dos_list->add_flag("--transfer-overdue", lo.transfer_overdue,
                     "accepted, still not handed to processing after their day of receipt");
  dos_list->add_option("--applicant", lo.applicant, "the applicant's citizen ID");
  dos_list->add_option("--procedure", lo.procedure, "procedure code");
  dos_list->add_option("--limit", lo.limit, "at most this many (default 20)");
  std::string watch_agency = "000.00.31.H41";
  int64_t watch_after = 0;
  int watch_count = 0;
  auto* dos_watch = dos->add_subcommand("watch", "follow changes as the portal does");
  dos_watch->add_option("--agency", watch_agency, "the receiving agency");
  dos_watch->add_option("--code", code, "one dossier instead of an agency");
  dos_watch->add_option("--after", watch_after, "resume after this feed sequence");
  dos_watch->add_option("--count", watch_count, "stop after N changes (default: follow)");
  std::string rate_citizen, rate_level = "satisfied", rate_comment;
  auto* dos_rate = dos->add_subcommand("rate", "the applicant rates a returned dossier");
  dos_rate->add_option("code", code, "dossier code")->required();
  dos_rate->add_option("--citizen-id", rate_citizen, "the applicant's citizen ID")->required();
  dos_rate->add_option("--level", rate_level, "very-satisfied, satisfied or not-satisfied");
  dos_rate->add_option("--comment", rate_comment, "what the applicant said");

  std::string stats_agency = "000.00.31.H41", stats_from, stats_to;
  auto* stats = app.add_subcommand("stats", "an agency's service-quality figures");
  stats->add_option("--agency", stats_agency, "the agency (default 000.00.31.H41)");
  stats->add_option("--from", stats_from, "first day YYYY-MM-DD")->required();
  stats->add_option("--to", stats_to, "last day YYYY-MM-DD")->required();

  std::string dir_action;
  std::vector<std::string> dir_args;
  auto* dir_admin =
      dir->add_subcommand("admin", "merge, endpoint, add-key, grant, unit-create, succession");
  dir_admin
      ->add_option("action", dir_action,
                   "resolve | merge | endpoint | add-key | grant | unit-create | succession")
      ->required();
  dir_admin->add_option("args", dir_args, "the action's arguments");

  auto* exch = app.add_subcommand("exchange", "the inter-agency exchange (liaison)");
  exch->require_subcommand(1);
  std::string key_id = "liaison-1", key_out = "liaison-log.key";
  auto* exch_keygen = exch->add_subcommand("keygen", "make an Ed25519 signing key file");
  auto* exch_pub =
      exch->add_subcommand("public-key", "print a signing key file's public key (base64)");
  exch_pub->add_option("file", key_out, "the key file")->required();
  exch_keygen->add_option("--key-id", key_id, "the key's id");
  exch_keygen->add_option("--out", key_out, "where to write it");
  SendOptions so;
  auto* exch_send = exch->add_subcommand("send", "sign and send a test envelope");
  exch_send->add_option("--from", so.from, "sending agency")->required();
  exch_send->add_option("--to", so.to, "receiving agency")->required();
  exch_send->add_option("--type", so.type, "step-handoff (default), step-result, ...");
  exch_send->add_option("--correlation", so.correlation, "dossier code or petition id")->required();
  exch_send->add_option("--payload", so.payload, "JSON payload (default {})");
  exch_send->add_option("--key", so.key_file, "the sender's signing key file")->required();
  exch_send->add_option("--id", so.id, "envelope id (default random)");
  exch_send->add_option("--in-reply-to", so.in_reply_to, "for results: the envelope answered");
  std::string env_action, env_id, env_sender, env_receiver;
  auto* envs = app.add_subcommand("envelopes", "list, show or requeue envelopes");
  envs->add_option("action", env_action, "list | show | requeue")->required();
  envs->add_option("id", env_id, "envelope id (show, requeue)");
  envs->add_option("--sender", env_sender, "only from this agency");
  envs->add_option("--receiver", env_receiver, "only to this agency");
  std::string log_action, log_file, trust_key;
  int64_t log_from = 0, log_to = 0;
  auto* logc = app.add_subcommand("log", "the liaison's signed message log");
  logc->add_option("action", log_action, "verify | export | verify-bundle")->required();
  logc->add_option("file", log_file, "the bundle (verify-bundle)");
  logc->add_option("--from", log_from, "first entry");
  logc->add_option("--to", log_to, "last entry");
  logc->add_option("--trust-key", trust_key,
                   "verify-bundle: the liaison's public key (base64) you got from its operator");

  auto* seed = app.add_subcommand("seed", "demo data");
  seed->require_subcommand(1);
  auto* demo = seed->add_subcommand("demo", "seed the demo province (safe to repeat)");
  std::string seed_keys_dir, police_endpoint = "127.0.0.1:50061",
                             insurance_endpoint = "127.0.0.1:50062";
  demo->add_option("--exchange-keys", seed_keys_dir,
                   "a folder with dossier-exchange.key, police.key and insurance.key: also seed "
                   "the exchange (keys, endpoints, access rights)");
  demo->add_option("--police-endpoint", police_endpoint, "the police receiver (host:port)");
  demo->add_option("--insurance-endpoint", insurance_endpoint,
                   "the social-insurance receiver (host:port)");
  std::string recv_agency, recv_listen, recv_key, recv_state;
  int recv_after = 3;
  auto* exch_recv = exch->add_subcommand(
      "serve-receiver", "run a demo receiver of another agency (acks; returns step results)");
  exch_recv->add_option("--agency", recv_agency, "the agency it stands for")->required();
  exch_recv->add_option("--listen", recv_listen, "host:port (its endpoint in the directory)")
      ->required();
  exch_recv->add_option("--key", recv_key, "the agency's signing key file")->required();
  exch_recv->add_option("--state", recv_state,
                        "file of envelope ids taken (default AGENCY.received)");
  exch_recv->add_option("--complete-after", recv_after, "seconds before the result goes back");

  CLI11_PARSE(app, argc, argv);

  if (health->parsed()) return Health(only, timeout_s);
  if (info->parsed()) return Info(only, token);
  if (keygen->parsed()) return Keygen(out_dir);
  if (mint->parsed()) {
    auto role = localgov::ParseRole(role_name);
    if (!role.has_value()) {
      std::cerr << "localgovctl: unknown role " << role_name << "\n";
      return 2;
    }
    absl::Duration d;
    if (!absl::ParseDuration(ttl, &d) || d <= absl::ZeroDuration()) {
      std::cerr << "localgovctl: --ttl wants a duration like 30m or 8h\n";
      return 2;
    }
    const std::string key = ReadFile(token.key_file);
    if (key.empty()) {
      std::cerr << "localgovctl: cannot read the issuer key " << token.key_file << "\n";
      return 2;
    }
    localgov::TokenClaims claims;
    claims.issuer = token.issuer;
    claims.audience = token.audience;
    claims.subject = subject;
    claims.role = *role;
    claims.agency = agency;
    claims.ttl = d;
    auto t = localgov::MintToken(key, claims, localgov::SystemClock::Get());
    if (!t.ok()) {
      std::cerr << "localgovctl: " << t.status().message() << "\n";
      return 2;
    }
    std::cout << *t << "\n";
    return 0;
  }
  if (create->parsed()) return CreateAgency(token, request_id, code, name, kind, unit, false);
  if (get->parsed()) return GetAgency(token, code);
  for (const auto& [sub, action] :
       std::initializer_list<std::pair<CLI::App*, const char*>>{{dir_list, "list"},
                                                                {dir_show, "show"},
                                                                {dir_resolve, "resolve"},
                                                                {dir_units, "units"},
                                                                {dir_unit, "unit"},
                                                                {dir_snapshot, "snapshot"}}) {
    if (sub->parsed()) return DirectoryRead(token, action, code, dq);
  }
  if (exch_pub->parsed()) {
    auto key = localgov::ReadSigningKeyFile(key_out);
    if (!key.ok()) {
      std::cerr << "localgovctl: " << key.status().message() << "\n";
      return 2;
    }
    std::cout << absl::Base64Escape(key->public_key) << "\n";
    return 0;
  }
  if (demo->parsed()) {
    int rc = SeedDemo(token);
    if (rc == 0 && !seed_keys_dir.empty()) {
      rc = SeedExchange(token, seed_keys_dir + "/dossier-exchange.key",
                        seed_keys_dir + "/police.key", police_endpoint,
                        seed_keys_dir + "/insurance.key", insurance_endpoint);
    }
    return rc;
  }
  if (exch_recv->parsed())
    return ServeReceiver(recv_agency, recv_listen, recv_key, recv_state, recv_after);
  if (dir_admin->parsed()) return DirectoryAdmin(token, dir_action, dir_args);
  if (exch_keygen->parsed()) return ExchangeKeygen(key_id, key_out);
  if (exch_send->parsed()) return ExchangeSend(token, so);
  if (envs->parsed()) return Envelopes(token, env_action, env_id, env_sender, env_receiver);
  if (logc->parsed()) return LogCommand(token, log_action, log_from, log_to, log_file, trust_key);
  if (cal_show->parsed()) return CalendarShow(token, year);
  if (procs_search->parsed())
    return ProceduresSearch(token, absl::StrJoin(words, " "), field, level);
  if (procs_show->parsed()) return ProcedureShow(token, code, as_of);
  if (dos_receive->parsed()) return DossierReceive(token, ro);
  if (dos_show->parsed()) return DossierShow(token, code, dossier_agency);
  if (dos_act->parsed()) return DossierAct(token, code, ao);
  if (dos_list->parsed()) return DossierList(token, lo);
  if (dos_watch->parsed()) return DossierWatch(token, watch_agency, code, watch_after, watch_count);
  if (dos_rate->parsed()) return DossierRate(token, code, rate_citizen, rate_level, rate_comment);
  if (stats->parsed()) return Stats(token, stats_agency, stats_from, stats_to);
  if (due->parsed()) return Due(token, received, limit_unit, amount);
  return 2;
}

// localgovctl directory: the liaison service's directory of agencies and administrative units
// (read-only commands, create-agency, and the admin actions).
#include "tools/localgovctl/directory_commands.h"

#include <cctype>
#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/directory_snapshot.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/grpcpp.h"
#include "localgov/liaison/v1/liaison_service.grpc.pb.h"

namespace localgovctl {

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

namespace {

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

struct CreateOptions {
  std::string code, name, kind, unit, request_id;
};

struct AdminOptions {
  std::string action;
  std::vector<std::string> args;
};

}  // namespace

void AddDirectoryCommands(CLI::App& app, Shared& shared) {
  const TokenOptions& token = shared.token();

  auto* dir = app.add_subcommand("directory", "the liaison exchange directory");
  dir->require_subcommand(1);
  auto co = std::make_shared<CreateOptions>();
  auto* create = dir->add_subcommand("create-agency", "register an agency (admin)");
  create->add_option("--code", co->code, "national agency code, e.g. 000.00.31.H41")->required();
  create->add_option("--name", co->name, "official name")->required();
  create->add_option("--kind", co->kind, "e.g. COMMUNE_PEOPLES_COMMITTEE, POLICE")->required();
  create->add_option("--unit", co->unit, "administrative unit code");
  create->add_option("--request-id", co->request_id,
                     "idempotency key (default derived from the code)");
  shared.On(create, [co, &token] {
    return CreateAgency(token, co->request_id, co->code, co->name, co->kind, co->unit, false);
  });
  auto code = std::make_shared<std::string>();
  auto* get = dir->add_subcommand("get", "show one agency");
  get->add_option("code", *code, "agency code")->required();
  shared.On(get, [code, &token] { return GetAgency(token, *code); });

  // The read-only commands, each run by DirectoryRead with its name as the action.
  auto dq = std::make_shared<DirectoryQuery>();
  auto read = [&](CLI::App* sub) {
    shared.On(
        sub, [sub, code, dq, &token] { return DirectoryRead(token, sub->get_name(), *code, *dq); });
  };
  auto* dir_list = dir->add_subcommand("list", "agencies, by code");
  dir_list->add_option("--kind", dq->kind, "e.g. commune-peoples-committee, police");
  dir_list->add_option("--unit", dq->unit, "administrative unit code");
  dir_list->add_option("--status", dq->status, "active, merged or dissolved");
  read(dir_list);
  auto* dir_show = dir->add_subcommand("show", "one agency, and who answers for it now");
  dir_show->add_option("code", *code, "agency code")->required();
  read(dir_show);
  auto* dir_resolve = dir->add_subcommand("resolve", "the agency that answers for a code today");
  dir_resolve->add_option("code", *code, "agency code")->required();
  read(dir_resolve);
  auto* dir_units = dir->add_subcommand("units", "administrative units, by code");
  dir_units->add_option("--parent", dq->parent, "only children of this unit");
  dir_units->add_option("--level", dq->level, "province, district or commune");
  dir_units->add_option("--on", dq->on_date, "those in existence on YYYY-MM-DD (default today)");
  dir_units->add_flag("--history", dq->history, "every unit, ended ones too");
  read(dir_units);
  auto* dir_unit = dir->add_subcommand("unit", "one unit, its succession and today's units");
  dir_unit->add_option("code", *code, "unit code")->required();
  read(dir_unit);
  auto* dir_snapshot =
      dir->add_subcommand("snapshot", "the signed directory snapshot other services cache");
  dir_snapshot->add_option("--trust-key", dq->trust_key,
                           "the liaison's public key (base64): verify the signature");
  read(dir_snapshot);

  auto ad = std::make_shared<AdminOptions>();
  auto* dir_admin =
      dir->add_subcommand("admin", "merge, endpoint, add-key, grant, unit-create, succession");
  dir_admin
      ->add_option("action", ad->action,
                   "resolve | merge | endpoint | add-key | grant | unit-create | succession")
      ->required();
  dir_admin->add_option("args", ad->args, "the action's arguments");
  shared.On(dir_admin, [ad, &token] { return DirectoryAdmin(token, ad->action, ad->args); });
}

}  // namespace localgovctl

// localgovctl health, info and token: the services' health and GetServiceInfo, and development
// tokens (local profile).
#include "tools/localgovctl/service_commands.h"

#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/auth/auth.h"
#include "common/clock.h"
#include "google/protobuf/struct.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "localgov/cadre/v1/cadre_service.grpc.pb.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"
#include "localgov/liaison/v1/liaison_service.grpc.pb.h"
#include "localgov/petition/v1/petition_service.grpc.pb.h"

namespace localgovctl {
namespace {

int Health(const std::string& only, int timeout_s) {
  int bad = 0;
  google::protobuf::Struct all;  // --output json
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
    if (JsonOutput()) {
      auto& f = *(*all.mutable_fields())[t.name].mutable_struct_value()->mutable_fields();
      f["address"].set_string_value(Address(t));
      f["status"].set_string_value(st.ok() ? state : "UNREACHABLE");
      if (!st.ok()) f["error"].set_string_value(st.error_message());
      continue;
    }
    std::cout << t.name << "\t" << Address(t) << "\t" << state << "\n";
  }
  PrintJsonIfAsked(all);  // {"dossier": {"address": ..., "status": "SERVING"}, ...}
  return bad == 0 ? 0 : 1;
}

template <typename Stub, typename Resp>
grpc::Status CallInfo(Stub& stub, grpc::ClientContext* ctx, Resp* resp) {
  return stub->GetServiceInfo(ctx, {}, resp);
}

int Info(const std::string& only, const TokenOptions& token) {
  int bad = 0;
  std::vector<std::string> infos;  // --output json: a JSON array of the ServiceInfo messages
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
    if (TableOutput()) {
      std::cout << absl::StrFormat(
          "%-9s %-10s schema %-4d database %-3s redis %-3s started %s\n", info.service(),
          info.version(), info.schema_version(), info.database_reachable() ? "up" : "DOWN",
          info.redis_reachable() ? "up" : "DOWN",
          absl::FormatTime("%Y-%m-%d %H:%M:%S", absl::FromUnixSeconds(info.start_time().seconds()),
                           absl::UTCTimeZone()));
    } else if (JsonOutput()) {
      infos.push_back(Json(info));
    } else {
      std::cout << Json(info);  // without --output: as before, one JSON object per service
    }
  }
  if (JsonOutput()) std::cout << "[" << absl::StrJoin(infos, ",") << "]\n";
  return bad == 0 ? 0 : 1;
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

struct MintOptions {
  std::string role_name = "officer", agency, subject = "dev-user", ttl = "8h", office;
};

int Mint(const TokenOptions& token, const MintOptions& o) {
  auto role = localgov::ParseRole(o.role_name);
  if (!role.has_value()) {
    std::cerr << "localgovctl: unknown role " << o.role_name << "\n";
    return 2;
  }
  absl::Duration d;
  if (!absl::ParseDuration(o.ttl, &d) || d <= absl::ZeroDuration()) {
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
  claims.subject = o.subject;
  claims.role = *role;
  claims.agency = o.agency;
  claims.office = o.office;
  claims.ttl = d;
  auto t = localgov::MintToken(key, claims, localgov::SystemClock::Get());
  if (!t.ok()) {
    std::cerr << "localgovctl: " << t.status().message() << "\n";
    return 2;
  }
  std::cout << *t << "\n";
  return 0;
}

}  // namespace

void AddServiceCommands(CLI::App& app, Shared& shared) {
  const TokenOptions& token = shared.token();

  auto only = std::make_shared<std::string>("all");
  auto timeout_s = std::make_shared<int>(3);
  auto* health = app.add_subcommand(
      "health", "grpc.health.v1 status of the services (exit 1 unless all SERVING)");
  health->add_option("--service", *only, "all, dossier, petition, cadre or liaison");
  health->add_option("--timeout", *timeout_s, "seconds per service");
  shared.On(health, [only, timeout_s] { return Health(*only, *timeout_s); });

  auto* info = app.add_subcommand("info", "GetServiceInfo of the services");
  info->add_option("--service", *only, "all, dossier, petition, cadre or liaison");
  shared.On(info, [only, &token] { return Info(*only, token); });

  auto* tok = app.add_subcommand("token", "development tokens (local profile)");
  tok->require_subcommand(1);
  auto out_dir = std::make_shared<std::string>(".local/keys");
  auto* keygen = tok->add_subcommand("keygen", "create an ES256 issuer key pair");
  keygen->add_option("--out-dir", *out_dir, "where to write issuer.key and issuer.pub");
  shared.On(keygen, [out_dir] { return Keygen(*out_dir); });
  auto mo = std::make_shared<MintOptions>();
  auto* mint = tok->add_subcommand("mint", "print a signed token");
  mint->add_option("--role", mo->role_name,
                   "citizen, officer, leader, inspector, auditor, admin, system");
  mint->add_option("--agency", mo->agency, "agency code (required except for citizens)");
  mint->add_option("--subject", mo->subject, "token subject");
  mint->add_option("--office", mo->office,
                   "the holder's office in the agency, e.g. personnel (the cadre service "
                   "requires it of staff)");
  mint->add_option("--ttl", mo->ttl, "lifetime, e.g. 30m, 8h");
  shared.On(mint, [mo, &token] { return Mint(token, *mo); });
}

}  // namespace localgovctl

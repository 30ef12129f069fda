// localgovctl seed: the demo province's directory and exchange (safe to repeat).
#include "tools/localgovctl/seed_commands.h"

#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/envelope.h"
#include "grpcpp/grpcpp.h"
#include "localgov/liaison/v1/liaison_service.grpc.pb.h"
#include "tools/localgovctl/directory_commands.h"
#include "tools/localgovctl/petition_commands.h"
#include "tools/localgovctl/reception_commands.h"

namespace localgovctl {
namespace {

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

// The demo province's exchange: the communes' receiver is the dossier service, which signs
// their handoffs with `exchange_key`; the police and social insurance run receivers (e.g.
// `localgovctl exchange serve-receiver`) at the given endpoints with their own keys. Access
// rights: communes hand steps to both, both return results to the communes; communes forward
// petitions to each other and to the province, which answer. Idempotent.
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
  // Petitions outside a commune's jurisdiction are forwarded (chuyển đơn) to the other commune
  // or to the provincial People's Committee, whose answers come back; the province is served by
  // this suite's petition service.
  const std::string province = "000.00.00.H41";
  add_key(province, exchange_key);
  endpoint(province, "service:petition");
  for (const auto& c : communes) {
    for (const auto& other : {communes[0] == c ? communes[1] : communes[0], province}) {
      grant(c, lv1::ENVELOPE_TYPE_PETITION_REFERRAL, other);
      grant(other, lv1::ENVELOPE_TYPE_REFERRAL_RESULT, c);
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

struct SeedOptions {
  std::string keys_dir, police_endpoint = "127.0.0.1:50061", insurance_endpoint = "127.0.0.1:50062";
};

}  // namespace

void AddSeedCommands(CLI::App& app, Shared& shared) {
  const TokenOptions& token = shared.token();

  auto* seed = app.add_subcommand("seed", "demo data");
  seed->require_subcommand(1);
  auto* demo = seed->add_subcommand("demo", "seed the demo province (safe to repeat)");
  auto o = std::make_shared<SeedOptions>();
  demo->add_option("--exchange-keys", o->keys_dir,
                   "a folder with dossier-exchange.key, police.key and insurance.key: also seed "
                   "the exchange (keys, endpoints, access rights)");
  demo->add_option("--police-endpoint", o->police_endpoint, "the police receiver (host:port)");
  demo->add_option("--insurance-endpoint", o->insurance_endpoint,
                   "the social-insurance receiver (host:port)");
  shared.On(demo, [o, &token] {
    int rc = SeedDemo(token);
    if (rc == 0 && !o->keys_dir.empty()) {
      rc = SeedExchange(token, o->keys_dir + "/dossier-exchange.key", o->keys_dir + "/police.key",
                        o->police_endpoint, o->keys_dir + "/insurance.key", o->insurance_endpoint);
    }
    return rc;
  });

  auto* petitions = seed->add_subcommand(
      "petitions",
      "a year of a commune's petitions, most handled, a few dozen open (safe to repeat)");
  auto agency = std::make_shared<std::string>("000.00.31.H41");
  auto count = std::make_shared<int>(240);
  petitions->add_option("--agency", *agency, "the commune (default 000.00.31.H41)");
  petitions->add_option("--count", *count, "how many (default 240)")->check(CLI::Range(1, 2000));
  shared.On(petitions, [agency, count, &token] { return SeedPetitions(token, *agency, *count); });

  auto* receptions = seed->add_subcommand(
      "receptions",
      "a year of a commune's reception register (leaders' days, a crowd case) and voters' "
      "meetings (safe to repeat)");
  auto ragency = std::make_shared<std::string>("000.00.31.H41");
  receptions->add_option("--agency", *ragency, "the commune (default 000.00.31.H41)");
  shared.On(receptions, [ragency, &token] { return SeedReceptions(token, *ragency); });
}

}  // namespace localgovctl

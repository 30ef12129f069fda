// localgov-loadgen: a load generator for one RPC of a running service (loopback targets only).
// Closed loop (the default): N client threads, each on its own channel, call back to back for a
// fixed time; prints one JSON line: calls/s, latency percentiles, results by status code.
// Open loop (--rate, open_loop.h): calls at a fixed arrival rate, for overload tests.
//
//   localgov-loadgen --target 127.0.0.1:50051 --rpc health --concurrency 16 --seconds 10
//   localgov-loadgen --target 127.0.0.1:50051 --rpc dossier-info --key .local/keys/issuer.key
//   localgov-loadgen --target 127.0.0.1:50054 --rpc get-agency --code 000.00.31.H41 --key ...
//   localgov-loadgen --target 127.0.0.1:50051 --rpc receive-dossier --key ...   (creates dossiers)
//   localgov-loadgen --target 127.0.0.1:50051 --rpc lookup-dossier --code CODE --factor 4567 ...
//   localgov-loadgen --target 127.0.0.1:50052 --rpc receive-petition --key ...  (creates petitions)
//   localgov-loadgen --target 127.0.0.1:50052 --rpc list-petitions --code 000.00.31.H41 --key ...
//   localgov-loadgen --target 127.0.0.1:50051 --rpc receive-dossier --rate 800 --key ...
//       --acks acks.tsv   (open loop: 800 intakes/s whatever the answers, acknowledged kept)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/synchronization/mutex.h"
#include "common/auth/auth.h"
#include "common/clock.h"
#include "common/envelope.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"
#include "localgov/liaison/v1/liaison_service.grpc.pb.h"
#include "localgov/petition/v1/petition_service.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "tools/loadgen/open_loop.h"
#include "tools/loadgen/requests.h"

namespace {

bool IsLoopback(const std::string& target) {
  return target.rfind("127.", 0) == 0 || target.rfind("localhost:", 0) == 0 ||
         target.rfind("[::1]:", 0) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  // As in the services (common/service.cc): no lock-order graph under gRPC's locks.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  CLI::App app{"closed-loop gRPC load generator for localgov (loopback only)"};
  std::string target = "127.0.0.1:50051";
  std::string rpc = "health";
  std::string key_file;
  std::string code = "000.00.31.H41";
  int concurrency = 8;
  double seconds = 10;
  long max_calls = 10'000'000;
  app.add_option("--target", target, "host:port (loopback only)");
  app.add_option(
      "--rpc", rpc,
      "health | dossier-info | get-agency | receive-dossier | get-dossier | lookup-dossier | "
      "list-dossiers | "
      "send-envelope | receive-petition | list-petitions | find-duplicates | petition-stats");
  std::string factor = "4567";
  app.add_option("--factor", factor, "second factor for lookup-dossier");
  app.add_option("--concurrency", concurrency, "client threads")->check(CLI::Range(1, 512));
  app.add_option("--seconds", seconds, "duration")->check(CLI::Range(0.1, 600.0));
  app.add_option("--max-calls", max_calls, "stop after this many calls in all");
  app.add_option("--key", key_file, "issuer private key, to mint a token (all but health)");
  app.add_option("--code", code,
                 "agency code (get-agency, list-dossiers, list-petitions, find-duplicates, "
                 "petition-stats) or dossier code "
                 "(get-dossier, lookup-dossier)");
  std::string signing_key_file, from = "000.00.31.H41", to = "000.00.32.H41";
  app.add_option("--signing-key", signing_key_file, "send-envelope: the sender's key file");
  int agencies = 1;
  app.add_option("--agencies", agencies,
                 "receive-dossier, receive-petition: spread intakes over this many communes "
                 "(the portal's role, 000.00.31.H41, 000.00.32.H41, ...); 1 = all at the first, "
                 "as one counter")
      ->check(CLI::Range(1, 60));
  app.add_option("--from", from, "send-envelope: sending agency");
  app.add_option("--to", to, "send-envelope: receiving agency");
  localgov::loadgen::OpenLoopOptions open;
  app.add_option(
      "--rate", open.rate,
      "open loop: calls per second, sent whatever the server does (0: closed loop); "
      "receive-dossier, get-dossier, lookup-dossier, dossier-info, list-procedures, health");
  app.add_option("--deadline-ms", open.deadline_ms, "open loop: each call's deadline");
  app.add_option("--citizen-prefix", open.citizen_prefix,
                 "open loop, receive-dossier: 5 digits; each intake's citizen is these + 7 more");
  app.add_option("--run-id", open.run_id, "open loop, receive-dossier: request ids are <this>-n");
  app.add_option("--acks", open.acks_file,
                 "open loop, receive-dossier: write each acknowledged intake here "
                 "(request id, citizen id, code; tab-separated)");
  open.rate = 0;
  CLI11_PARSE(app, argc, argv);
  if (!IsLoopback(target)) {
    std::cerr << "loadgen: only loopback targets are allowed\n";
    return 2;
  }
  std::string bearer;
  if (rpc != "health" && rpc != "send-envelope") {  // Send: the signature authenticates
    std::ifstream in(key_file);
    std::stringstream buf;
    buf << in.rdbuf();
    localgov::TokenClaims claims;
    // Each thread would share one subject; the look-up limit is per caller, so use the portal's
    // role for look-ups as a portal would.
    claims.subject = "loadgen";
    claims.role = rpc == "lookup-dossier" || rpc == "list-dossiers" || rpc == "list-petitions" ||
                          rpc == "find-duplicates" || rpc == "petition-stats" || agencies > 1
                      ? localgov::Role::kSystem
                      : localgov::Role::kOfficer;
    claims.agency = "000.00.31.H41";
    auto token = localgov::MintToken(buf.str(), claims, localgov::SystemClock::Get());
    if (!token.ok()) {
      std::cerr << "loadgen: --key: " << token.status().message() << "\n";
      return 2;
    }
    bearer = "Bearer " + *token;
  }

  if (open.rate > 0) {
    open.target = target;
    open.rpc = rpc;
    open.bearer = bearer;
    open.code = code;
    open.factor = factor;
    open.seconds = seconds;
    return localgov::loadgen::RunOpenLoop(open);
  }

  localgov::SigningKey signing;
  if (rpc == "send-envelope") {
    auto k = localgov::ReadSigningKeyFile(signing_key_file);
    if (!k.ok()) {
      std::cerr << "loadgen: --signing-key: " << k.status().message() << "\n";
      return 2;
    }
    signing = *k;
  }
  std::atomic<long> issued{0};
  std::mutex mu;
  std::vector<double> latencies_ms;
  std::map<int, long> codes;
  const auto start = std::chrono::steady_clock::now();
  const auto stop_at = start + std::chrono::duration<double>(seconds);
  std::vector<std::thread> threads;
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&, t] {
      grpc::ChannelArguments args;
      args.SetInt("loadgen.channel", t);  // a distinct channel (connection) per thread
      auto ch = grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
      auto health = grpc::health::v1::Health::NewStub(ch);
      auto dossier = localgov::dossier::v1::DossierService::NewStub(ch);
      auto liaison = localgov::liaison::v1::LiaisonService::NewStub(ch);
      auto petition = localgov::petition::v1::PetitionService::NewStub(ch);
      std::vector<double> mine;
      std::map<int, long> my_codes;
      while (std::chrono::steady_clock::now() < stop_at && issued.fetch_add(1) < max_calls) {
        grpc::ClientContext ctx;
        ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
        if (!bearer.empty()) ctx.AddMetadata("authorization", bearer);
        const auto t0 = std::chrono::steady_clock::now();
        grpc::Status st;
        if (rpc == "health") {
          grpc::health::v1::HealthCheckResponse r;
          st = health->Check(&ctx, {}, &r);
        } else if (rpc == "dossier-info") {
          localgov::dossier::v1::GetServiceInfoResponse r;
          st = dossier->GetServiceInfo(&ctx, {}, &r);
        } else if (rpc == "receive-dossier") {
          std::string agency;
          if (agencies > 1) {
            const long n = static_cast<long>(mine.size()) * concurrency + t;
            char code[32];
            std::snprintf(code, sizeof(code), "000.00.%02ld.H41", 31 + n % agencies);
            agency = code;
          }
          auto req = localgov::loadgen::MakeIntake(
              "loadgen-" + std::to_string(t) + "-" + std::to_string(mine.size()) + "-" +
                  std::to_string(start.time_since_epoch().count()),
              agency, "001203004567");
          localgov::dossier::v1::ReceiveDossierResponse r;
          st = dossier->ReceiveDossier(&ctx, req, &r);
        } else if (rpc == "receive-petition") {
          // A reflection (phản ánh) at a reception session: no act concerned, a named petitioner.
          namespace pv1 = localgov::petition::v1;
          pv1::ReceivePetitionRequest req;
          req.set_request_id("loadgen-" + std::to_string(t) + "-" + std::to_string(mine.size()) +
                             "-" + std::to_string(start.time_since_epoch().count()));
          req.set_kind(pv1::PETITION_KIND_REFLECTION);
          req.set_field(pv1::PETITION_FIELD_LAND);
          req.set_channel(pv1::PETITION_CHANNEL_RECEPTION);
          if (agencies > 1) {
            const long n = static_cast<long>(mine.size()) * concurrency + t;
            char code[32];
            std::snprintf(code, sizeof(code), "000.00.%02ld.H41", 31 + n % agencies);
            req.set_agency_code(code);
          }
          req.set_title("Phản ánh về đường giao thông nông thôn");
          req.set_content(
              "Đoạn đường liên thôn bị sụt lún sau mưa lớn, đề nghị Ủy ban xã kiểm tra, sửa chữa.");
          // A different citizen each call (as at a real counter): every intake runs its
          // duplicate check against that person's earlier petitions.
          const long n = static_cast<long>(mine.size()) * concurrency + t;
          char citizen[16];
          std::snprintf(citizen, sizeof(citizen), "0012%08ld", n % 100000000);
          req.mutable_petitioner()->set_full_name("Nguyễn Văn Tải");
          req.mutable_petitioner()->set_citizen_id(citizen);
          req.mutable_petitioner()->set_address("Số " + std::to_string(n) + ", thôn 3, xã Hòa Phú");
          pv1::ReceivePetitionResponse r;
          st = petition->ReceivePetition(&ctx, req, &r);
        } else if (rpc == "list-petitions") {
          localgov::petition::v1::ListPetitionsRequest req;
          req.set_agency_code(code);
          req.set_page_size(20);
          localgov::petition::v1::ListPetitionsResponse r;
          st = petition->ListPetitions(&ctx, req, &r);
        } else if (rpc == "find-duplicates") {
          // A draft by one of the first 1,000 citizens (bench/petition_duplicates_bench.sh
          // fills their petitions), about the bench's usual matter.
          namespace pv1 = localgov::petition::v1;
          pv1::FindDuplicatesRequest req;
          req.set_agency_code(code);
          req.set_kind(pv1::PETITION_KIND_REFLECTION);
          const long n = static_cast<long>(mine.size()) * concurrency + t;
          char citizen[16];
          std::snprintf(citizen, sizeof(citizen), "0019%08ld", (n * 7919) % 1000);
          req.mutable_petitioner()->set_citizen_id(citizen);
          req.set_content(
              "Doan duong lien thon bi sut lun sau mua lon, de nghi kiem tra sua chua.");
          pv1::FindDuplicatesResponse r;
          st = petition->FindDuplicates(&ctx, req, &r);
        } else if (rpc == "petition-stats") {
          localgov::petition::v1::GetPetitionStatisticsRequest req;
          req.set_agency_code(code);
          req.set_from_date("2017-01-01");
          req.set_to_date("2026-12-31");
          localgov::petition::v1::GetPetitionStatisticsResponse r;
          st = petition->GetPetitionStatistics(&ctx, req, &r);
        } else if (rpc == "send-envelope") {
          localgov::liaison::v1::SendRequest req;
          auto* e = req.mutable_envelope();
          e->set_id("load-" + std::to_string(start.time_since_epoch().count()) + "-" +
                    std::to_string(t) + "-" + std::to_string(mine.size()));
          e->set_type(localgov::liaison::v1::ENVELOPE_TYPE_STEP_HANDOFF);
          e->set_sender_agency_code(from);
          e->set_receiver_agency_code(to);
          e->set_correlation_id("loadgen");
          e->set_payload(R"({"buoc":"tai-thu"})");
          e->set_content_type("application/json");
          e->mutable_create_time()->set_seconds(absl::ToUnixSeconds(absl::Now()));
          localgov::SignEnvelope(*e, signing.key_id, signing.secret_key);
          localgov::liaison::v1::SendResponse r;
          st = liaison->Send(&ctx, req, &r);
        } else if (rpc == "list-dossiers") {
          localgov::dossier::v1::ListDossiersRequest req;
          req.set_agency_code(code);
          req.set_page_size(20);
          localgov::dossier::v1::ListDossiersResponse r;
          st = dossier->ListDossiers(&ctx, req, &r);
        } else if (rpc == "get-dossier") {
          localgov::dossier::v1::GetDossierRequest req;
          req.set_code(code);
          localgov::dossier::v1::GetDossierResponse r;
          st = dossier->GetDossier(&ctx, req, &r);
        } else if (rpc == "lookup-dossier") {
          localgov::dossier::v1::LookupDossierRequest req;
          req.set_code(code);
          req.set_second_factor(factor);
          localgov::dossier::v1::LookupDossierResponse r;
          st = dossier->LookupDossier(&ctx, req, &r);
        } else {
          localgov::liaison::v1::GetAgencyRequest req;
          req.set_code(code);
          localgov::liaison::v1::GetAgencyResponse r;
          st = liaison->GetAgency(&ctx, req, &r);
        }
        mine.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count());
        ++my_codes[st.error_code()];
      }
      std::lock_guard<std::mutex> lock(mu);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
      for (auto [c, n] : my_codes) codes[c] += n;
    });
  }
  for (auto& th : threads) th.join();
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::sort(latencies_ms.begin(), latencies_ms.end());
  auto pct = [&](double p) {
    if (latencies_ms.empty()) return 0.0;
    return latencies_ms[std::min(
        latencies_ms.size() - 1,
        static_cast<size_t>(p * static_cast<double>(latencies_ms.size())))];
  };
  nlohmann::json out;
  out["rpc"] = rpc;
  out["target"] = target;
  out["concurrency"] = concurrency;
  out["calls"] = latencies_ms.size();
  out["seconds"] = elapsed;
  out["calls_per_second"] = static_cast<double>(latencies_ms.size()) / elapsed;
  out["p50_ms"] = pct(0.50);
  out["p90_ms"] = pct(0.90);
  out["p99_ms"] = pct(0.99);
  nlohmann::json by_code;
  for (auto [c, n] : codes) by_code[std::to_string(c)] = n;
  out["codes"] = by_code;
  std::cout << out.dump() << "\n";
  return codes.size() == 1 && codes.count(0) == 1 ? 0 : 1;
}

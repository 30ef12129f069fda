#include "tools/loadgen/open_loop.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"
#include "nlohmann/json.hpp"
#include "tools/loadgen/requests.h"

namespace localgov::loadgen {
namespace {

using SteadyClock = std::chrono::steady_clock;
namespace dv1 = localgov::dossier::v1;

struct Call {
  grpc::ClientContext ctx;
  std::unique_ptr<google::protobuf::Message> request;
  std::unique_ptr<google::protobuf::Message> response;
  SteadyClock::time_point due;
  SteadyClock::time_point sent;
  long n = 0;
};

class Driver {
 public:
  explicit Driver(const OpenLoopOptions& o) : o_(o) {
    for (int i = 0; i < std::max(1, o.channels); ++i) {
      grpc::ChannelArguments args;
      args.SetInt("loadgen.channel", i);  // a distinct connection each
      auto ch = grpc::CreateCustomChannel(o.target, grpc::InsecureChannelCredentials(), args);
      dossier_.push_back(dv1::DossierService::NewStub(ch));
      health_.push_back(grpc::health::v1::Health::NewStub(ch));
    }
  }

  int Run() {
    if (!o_.acks_file.empty()) {
      acks_.open(o_.acks_file, std::ios::trunc);
      if (!acks_) {
        std::cerr << "loadgen: cannot write " << o_.acks_file << "\n";
        return 2;
      }
    }
    const auto start = SteadyClock::now();
    const long total = static_cast<long>(o_.rate * o_.seconds);
    for (long n = 0; n < total; ++n) {
      const auto due = start + std::chrono::duration_cast<SteadyClock::duration>(
                                   std::chrono::duration<double>(n / o_.rate));
      std::this_thread::sleep_until(due);
      if (outstanding_.load() >= o_.max_outstanding) {
        ++not_sent_;
        continue;
      }
      ++outstanding_;
      ++sent_;
      Start(n, due);
    }
    const double send_seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
    std::unique_lock<std::mutex> lock(mu_);
    done_.wait(lock, [&] { return outstanding_.load() == 0; });
    Report(send_seconds, std::chrono::duration<double>(SteadyClock::now() - start).count());
    return 0;
  }

 private:
  void Start(long n, SteadyClock::time_point due) {
    auto* call = new Call();
    call->due = due;
    call->sent = SteadyClock::now();
    call->n = n;
    call->ctx.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::milliseconds(o_.deadline_ms));
    if (!o_.bearer.empty()) call->ctx.AddMetadata("authorization", o_.bearer);
    auto* dossier = dossier_[static_cast<size_t>(n) % dossier_.size()]->async();
    auto done = [this, call](grpc::Status st) { Finish(call, st); };
    // The call owns its request and response; `send` starts it with them.
    auto issue = [call, done]<typename Response>(auto* req, Response*, auto send) {
      auto* resp = new Response();
      call->request.reset(req);
      call->response.reset(resp);
      send(&call->ctx, req, resp, done);
    };
    if (o_.rpc == "receive-dossier") {
      char citizen[32];
      std::snprintf(citizen, sizeof(citizen), "%s%07ld", o_.citizen_prefix.c_str(), n % 10000000);
      issue(new dv1::ReceiveDossierRequest(MakeIntake(RequestId(n), "", std::string(citizen))),
            static_cast<dv1::ReceiveDossierResponse*>(nullptr),
            [dossier](auto... a) { dossier->ReceiveDossier(a...); });
    } else if (o_.rpc == "lookup-dossier") {
      auto* req = new dv1::LookupDossierRequest();
      req->set_code(o_.code);
      req->set_second_factor(o_.factor);
      issue(req, static_cast<dv1::LookupDossierResponse*>(nullptr),
            [dossier](auto... a) { dossier->LookupDossier(a...); });
    } else if (o_.rpc == "get-dossier") {
      auto* req = new dv1::GetDossierRequest();
      req->set_code(o_.code);
      issue(req, static_cast<dv1::GetDossierResponse*>(nullptr),
            [dossier](auto... a) { dossier->GetDossier(a...); });
    } else if (o_.rpc == "dossier-info") {
      issue(new dv1::GetServiceInfoRequest(), static_cast<dv1::GetServiceInfoResponse*>(nullptr),
            [dossier](auto... a) { dossier->GetServiceInfo(a...); });
    } else if (o_.rpc == "list-procedures") {
      auto* req = new dv1::ListProceduresRequest();
      req->set_page_size(10);
      issue(req, static_cast<dv1::ListProceduresResponse*>(nullptr),
            [dossier](auto... a) { dossier->ListProcedures(a...); });
    } else {
      auto* health = health_[static_cast<size_t>(n) % health_.size()]->async();
      issue(new grpc::health::v1::HealthCheckRequest(),
            static_cast<grpc::health::v1::HealthCheckResponse*>(nullptr),
            [health](auto... a) { health->Check(a...); });
    }
  }

  std::string RequestId(long n) const { return o_.run_id + "-" + std::to_string(n); }

  void Finish(Call* call, const grpc::Status& st) {
    const auto now = SteadyClock::now();
    const double ms = std::chrono::duration<double, std::milli>(now - call->due).count();
    const double service_ms = std::chrono::duration<double, std::milli>(now - call->sent).count();
    const double lag_ms = std::chrono::duration<double, std::milli>(call->sent - call->due).count();
    {
      std::lock_guard<std::mutex> lock(mu_);
      latencies_[st.error_code()].push_back(ms);
      service_[st.error_code()].push_back(service_ms);
      max_lag_ms_ = std::max(max_lag_ms_, lag_ms);
      if (st.ok() && acks_.is_open() && o_.rpc == "receive-dossier") {
        const auto& req = static_cast<const dv1::ReceiveDossierRequest&>(*call->request);
        const auto& resp = static_cast<const dv1::ReceiveDossierResponse&>(*call->response);
        acks_ << req.request_id() << '\t' << req.applicant().citizen_id() << '\t'
              << resp.dossier().code() << '\n';
      }
    }
    delete call;
    if (--outstanding_ == 0) {
      std::lock_guard<std::mutex> lock(mu_);
      done_.notify_all();
    }
  }

  void Report(double send_seconds, double elapsed_seconds) {
    nlohmann::json out;
    out["rpc"] = o_.rpc;
    out["mode"] = "open-loop";
    out["rate"] = o_.rate;
    out["seconds"] = send_seconds;
    out["elapsed_seconds"] = elapsed_seconds;  // until the last answer
    out["sent"] = sent_.load();
    out["not_sent"] = not_sent_.load();
    nlohmann::json codes;
    auto pct = [](std::vector<double>& v, double p) {
      return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
    };
    for (auto& [code, v] : latencies_) {
      auto& s = service_[code];
      std::sort(v.begin(), v.end());
      std::sort(s.begin(), s.end());
      codes[std::to_string(code)] = {{"count", v.size()},           {"p50_ms", pct(v, 0.50)},
                                     {"p99_ms", pct(v, 0.99)},      {"max_ms", v.back()},
                                     {"sent_p50_ms", pct(s, 0.50)}, {"sent_p99_ms", pct(s, 0.99)}};
    }
    out["codes"] = codes;
    // How late the sender was at worst (this machine's CPU): latencies count from the due
    // time (p50_ms, p99_ms) and from the moment each call was sent (sent_p50_ms, sent_p99_ms).
    out["max_send_lag_ms"] = max_lag_ms_;
    if (acks_.is_open()) acks_.flush();
    std::cout << out.dump() << std::endl;
  }

  const OpenLoopOptions& o_;
  std::vector<std::unique_ptr<dv1::DossierService::Stub>> dossier_;
  std::vector<std::unique_ptr<grpc::health::v1::Health::Stub>> health_;
  std::atomic<long> outstanding_{0};
  std::atomic<long> sent_{0};
  std::atomic<long> not_sent_{0};
  std::mutex mu_;
  std::condition_variable done_;
  std::map<int, std::vector<double>> latencies_;  // from the due time, by status code
  std::map<int, std::vector<double>> service_;    // from the moment it was sent
  double max_lag_ms_ = 0;
  std::ofstream acks_;
};

}  // namespace

int RunOpenLoop(const OpenLoopOptions& options) { return Driver(options).Run(); }

}  // namespace localgov::loadgen

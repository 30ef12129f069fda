#include "common/metrics.h"

#include <exception>

#include "absl/strings/str_cat.h"

namespace localgov {

absl::StatusOr<std::unique_ptr<Metrics>> Metrics::Create(const std::string& service,
                                                         const std::string& listen) {
  auto m = std::unique_ptr<Metrics>(new Metrics());
  m->service_ = service;
  m->registry_ = std::make_shared<prometheus::Registry>();
  const prometheus::Labels base = {{"service", service}};
  m->rpc_total_ = &prometheus::BuildCounter()
                       .Name("localgov_rpc_total")
                       .Help("RPCs handled, by method and status code")
                       .Labels(base)
                       .Register(*m->registry_);
  m->rpc_refused_ = &prometheus::BuildCounter()
                         .Name("localgov_rpc_refused_total")
                         .Help(
                             "Calls answered RESOURCE_EXHAUSTED without running because the"
                             " handler queue, or the method's share of it, was full (also"
                             " counted in localgov_rpc_total), by method")
                         .Labels(base)
                         .Register(*m->registry_);
  m->rpc_seconds_ = &prometheus::BuildHistogram()
                         .Name("localgov_rpc_duration_seconds")
                         .Help("RPC latency from arrival to status, by method")
                         .Labels(base)
                         .Register(*m->registry_);
  m->pool_ = &prometheus::BuildGauge()
                  .Name("localgov_pool_connections")
                  .Help("Connection pool state: size, in_use, idle, waiting (callers queued)")
                  .Labels(base)
                  .Register(*m->registry_);
  m->up_ = &prometheus::BuildGauge()
                .Name("localgov_dependency_up")
                .Help("1 when the dependency (postgres, redis) answered the last probe")
                .Labels(base)
                .Register(*m->registry_);
  auto& outbox = prometheus::BuildGauge()
                     .Name("localgov_outbox_oldest_pending_age_seconds")
                     .Help("Age of the oldest undelivered outbox message (0 when none)")
                     .Labels(base)
                     .Register(*m->registry_);
  m->outbox_oldest_ = &outbox.Add({});
  auto& pending = prometheus::BuildGauge()
                      .Name("localgov_outbox_pending")
                      .Help("Undelivered outbox messages")
                      .Labels(base)
                      .Register(*m->registry_);
  m->outbox_pending_ = &pending.Add({});
  auto& dead = prometheus::BuildGauge()
                   .Name("localgov_outbox_dead_letters")
                   .Help("Undelivered outbox messages older than the dead-letter age (alert)")
                   .Labels(base)
                   .Register(*m->registry_);
  m->outbox_dead_ = &dead.Add({});
  m->outbox_deliveries_ = &prometheus::BuildCounter()
                               .Name("localgov_outbox_deliveries_total")
                               .Help("Outbox delivery attempts, by topic and result")
                               .Labels(base)
                               .Register(*m->registry_);
  if (!listen.empty()) {
    try {
      m->exposer_ = std::make_unique<prometheus::Exposer>(listen, /*num_threads=*/1);
      m->exposer_->RegisterCollectable(m->registry_);
    } catch (const std::exception& e) {
      return absl::UnavailableError(
          absl::StrCat("cannot serve metrics on ", listen, " (port busy?): ", e.what()));
    }
  }
  return m;
}

void Metrics::RecordRpc(std::string_view method, std::string_view code, double seconds) {
  rpc_total_->Add({{"method", std::string(method)}, {"code", std::string(code)}}).Increment();
  static const auto& kBuckets = *new prometheus::Histogram::BucketBoundaries{
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  rpc_seconds_->Add({{"method", std::string(method)}}, kBuckets).Observe(seconds);
}

void Metrics::RecordRefused(std::string_view method) {
  rpc_refused_->Add({{"method", std::string(method)}}).Increment();
}

void Metrics::SetPool(std::string_view pool, int size, int in_use, int idle, int waiting) {
  const std::string p(pool);
  pool_->Add({{"pool", p}, {"state", "size"}}).Set(size);
  pool_->Add({{"pool", p}, {"state", "in_use"}}).Set(in_use);
  pool_->Add({{"pool", p}, {"state", "idle"}}).Set(idle);
  pool_->Add({{"pool", p}, {"state", "waiting"}}).Set(waiting);
}

void Metrics::SetUp(std::string_view dependency, bool up) {
  up_->Add({{"dependency", std::string(dependency)}}).Set(up ? 1 : 0);
}

void Metrics::SetOutbox(double oldest_pending_age_seconds, double pending, double dead_letters) {
  outbox_oldest_->Set(oldest_pending_age_seconds);
  outbox_pending_->Set(pending);
  outbox_dead_->Set(dead_letters);
}

void Metrics::CountOutboxDelivery(std::string_view topic, bool ok) {
  outbox_deliveries_->Add({{"topic", std::string(topic)}, {"result", ok ? "ok" : "error"}})
      .Increment();
}

int Metrics::port() const {
  if (!exposer_) return 0;
  auto ports = exposer_->GetListeningPorts();
  return ports.empty() ? 0 : ports.front();
}

}  // namespace localgov

#ifndef LOCALGOV_SERVICES_LIAISON_DELIVERY_H_
#define LOCALGOV_SERVICES_LIAISON_DELIVERY_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/db/pool.h"
#include "common/periodic.h"
#include "common/set_aside.h"
#include "grpcpp/grpcpp.h"
#include "localgov/liaison/v1/exchange.grpc.pb.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"
#include "services/liaison/exchange.h"

namespace localgov::liaison {

// Delivers accepted envelopes to their receivers' ReceiverService.Deliver: leases a batch
// (SKIP LOCKED, so replicas share the work), calls every receiver of the batch at once with a
// deadline, then records each answer in one transaction: acknowledged or refused (logged),
// or retried with exponential backoff and jitter; past the maximum age, a dead letter (logged,
// metric, Requeue RPC). A crash after a receiver answered delivers again: receivers
// deduplicate on the envelope id, so the effect happens once.
class DeliveryWorker final {
 public:
  struct Options {
    absl::Duration poll_interval = absl::Milliseconds(200);
    int batch_size = 64;
    absl::Duration call_deadline = absl::Seconds(10);
    absl::Duration lease = absl::Seconds(60);
    absl::Duration base_backoff = absl::Seconds(1);
    absl::Duration max_backoff = absl::Minutes(5);
    absl::Duration max_age = absl::Hours(24);
    // For the calls to receivers; nullptr: plaintext.
    std::shared_ptr<grpc::ChannelCredentials> credentials;
  };
  // `service_addrs`: where "service:<name>" endpoints listen (the peer settings).
  DeliveryWorker(PgPool& db, const Clock& clock, Exchange& exchange,
                 std::map<std::string, std::string> service_addrs, Options options,
                 prometheus::Registry* registry);
  ~DeliveryWorker();
  void Start();
  void Stop();
  // Envelopes already leased for this worker (the log writer's batch): delivered in the next
  // pass, at once, without a claim.
  void Take(std::vector<StoredEnvelope> leased);
  const Options& options() const { return options_; }
  // One pass; returns how many envelopes got an answer (acknowledged or refused).
  absl::StatusOr<int> RunOnce();

 private:
  absl::Duration Pass();
  std::shared_ptr<grpc::Channel> ChannelFor(const std::string& endpoint, int type);
  void UpdateGauges();

  PgPool& db_;
  const Clock& clock_;
  Exchange& exchange_;
  const std::map<std::string, std::string> service_addrs_;
  const Options options_;
  prometheus::Family<prometheus::Gauge>* envelopes_ = nullptr;
  prometheus::Gauge* dead_ = nullptr;
  prometheus::Gauge* overdue_ = nullptr;
  prometheus::Gauge* oldest_ = nullptr;
  std::mutex channels_mu_;
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels_;
  absl::Time last_gauges_ = absl::InfinitePast();
  std::mutex taken_mu_;
  std::vector<StoredEnvelope> taken_;  // handed over by Take, not yet delivered
  FailuresAlone failures_alone_;       // of envelopes whose outcome could not be recorded
  PeriodicThread thread_;
};

}  // namespace localgov::liaison

#endif  // LOCALGOV_SERVICES_LIAISON_DELIVERY_H_

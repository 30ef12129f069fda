#ifndef LOCALGOV_COMMON_METRICS_H_
#define LOCALGOV_COMMON_METRICS_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "prometheus/counter.h"
#include "prometheus/exposer.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace localgov {

// The Prometheus metrics of one service, served on their own HTTP port at /metrics.
// docs/operations.md says what each means and which alert reads it.
class Metrics final {
 public:
  // `listen` empty: metrics are kept but not served (tests).
  static absl::StatusOr<std::unique_ptr<Metrics>> Create(const std::string& service,
                                                         const std::string& listen);

  void RecordRpc(std::string_view method, std::string_view code, double seconds);
  // A call refused before it ran because the handler queue (or its method's share) was full.
  void RecordRefused(std::string_view method);
  void SetPool(std::string_view pool, int size, int in_use, int idle, int waiting);
  void SetUp(std::string_view dependency, bool up);
  // `dead_letters`: undelivered messages older than the relay's dead-letter age.
  void SetOutbox(double oldest_pending_age_seconds, double pending, double dead_letters);
  void CountOutboxDelivery(std::string_view topic, bool ok);
  prometheus::Registry& registry() { return *registry_; }
  // The port the exposer bound (0 when not serving).
  int port() const;

 private:
  Metrics() = default;
  std::string service_;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  prometheus::Family<prometheus::Counter>* rpc_total_ = nullptr;
  prometheus::Family<prometheus::Counter>* rpc_refused_ = nullptr;
  prometheus::Family<prometheus::Histogram>* rpc_seconds_ = nullptr;
  prometheus::Family<prometheus::Gauge>* pool_ = nullptr;
  prometheus::Family<prometheus::Gauge>* up_ = nullptr;
  prometheus::Gauge* outbox_oldest_ = nullptr;
  prometheus::Gauge* outbox_pending_ = nullptr;
  prometheus::Gauge* outbox_dead_ = nullptr;
  prometheus::Family<prometheus::Counter>* outbox_deliveries_ = nullptr;
};

}  // namespace localgov

#endif  // LOCALGOV_COMMON_METRICS_H_

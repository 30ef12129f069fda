#ifndef LOCALGOV_SERVICES_PETITION_WORKERS_H_
#define LOCALGOV_SERVICES_PETITION_WORKERS_H_

#include <set>
#include <string>

#include "common/periodic.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"
#include "services/petition/petitions.h"

namespace localgov::petition {

// localgov_petitions_overdue{agency,kind}: open petitions whose next binding statutory clock
// has passed (DOMAIN.md §3: a missed deadline is a legal violation), refreshed every
// `interval` for the alert PetitionOverdue. Every replica reports the same figures; alert on
// max().
class OverdueGauge final {
 public:
  OverdueGauge(Petitions& petitions, prometheus::Registry& registry, absl::Duration interval);
  ~OverdueGauge() { Stop(); }
  void Start();
  void Stop() { thread_.Stop(); }
  bool Refresh();

 private:
  Petitions& petitions_;
  prometheus::Family<prometheus::Gauge>& family_;
  const absl::Duration interval_;
  std::set<std::pair<std::string, std::string>> reported_;
  PeriodicThread thread_;
};

// Moves sealed identities to the newest key of the ring after a rotation (a batch at a time,
// until none is left under an older key), and reports how many remain to move in
// localgov_petition_identities_resealed_total.
class Resealer final {
 public:
  Resealer(Petitions& petitions, prometheus::Registry& registry, absl::Duration interval);
  ~Resealer() { Stop(); }
  void Start();
  void Stop() { thread_.Stop(); }

 private:
  Petitions& petitions_;
  prometheus::Counter& resealed_;
  const absl::Duration interval_;
  PeriodicThread thread_;
};

// Derives the matter and statistics columns of petitions stored before they existed
// (migration 0004), a batch at a time, oldest first, until none is left.
class Deriver final {
 public:
  Deriver(Petitions& petitions, absl::Duration interval)
      : petitions_(petitions), interval_(interval) {}
  ~Deriver() { Stop(); }
  void Start();
  void Stop() { thread_.Stop(); }

 private:
  Petitions& petitions_;
  const absl::Duration interval_;
  PeriodicThread thread_;
};

}  // namespace localgov::petition

#endif  // LOCALGOV_SERVICES_PETITION_WORKERS_H_

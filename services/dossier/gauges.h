#ifndef LOCALGOV_SERVICES_DOSSIER_GAUGES_H_
#define LOCALGOV_SERVICES_DOSSIER_GAUGES_H_

#include <set>
#include <string>

#include "absl/time/time.h"
#include "common/periodic.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"
#include "services/dossier/dossiers.h"

namespace localgov::dossier {

// localgov_dossiers_late_without_apology{agency}: open dossiers past their due date with no
// apology (DOMAIN.md §1: the system must flag them), refreshed every `interval` for the alert.
// Every replica reports the same figures from the shared database; alert on max().
class LateDossierGauge final {
 public:
  LateDossierGauge(Dossiers& dossiers, prometheus::Registry& registry, absl::Duration interval);
  ~LateDossierGauge();
  void Start();
  void Stop();
  // One refresh now; false when the database could not be read (the gauges keep their values).
  bool Refresh();

 private:
  Dossiers& dossiers_;
  prometheus::Family<prometheus::Gauge>& family_;
  const absl::Duration interval_;
  std::set<std::string> reported_;
  PeriodicThread thread_;
};

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_GAUGES_H_

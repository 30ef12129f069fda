#include "services/dossier/gauges.h"

#include "common/logging.h"
#include "spdlog/spdlog.h"

namespace localgov::dossier {

LateDossierGauge::LateDossierGauge(Dossiers& dossiers, prometheus::Registry& registry,
                                   absl::Duration interval)
    : dossiers_(dossiers),
      family_(prometheus::BuildGauge()
                  .Name("localgov_dossiers_late_without_apology")
                  .Help("Open dossiers past their due date with no apology issued, by agency")
                  .Labels({{"service", "dossier"}})
                  .Register(registry)),
      interval_(interval) {}

LateDossierGauge::~LateDossierGauge() { Stop(); }

bool LateDossierGauge::Refresh() {
  auto counts = dossiers_.LateWithoutApologyByAgency();
  if (!counts.ok()) {
    spdlog::warn("late-dossier gauge not refreshed: {}", counts.status().message());
    return false;
  }
  std::set<std::string> now;
  for (const auto& [agency, n] : *counts) {
    family_.Add({{"agency", agency}}).Set(static_cast<double>(n));
    now.insert(agency);
  }
  for (const auto& agency : reported_) {
    if (!now.count(agency)) family_.Add({{"agency", agency}}).Set(0);  // back to none
  }
  reported_.insert(now.begin(), now.end());
  return true;
}

void LateDossierGauge::Start() {
  thread_.Start([this] {
    Refresh();
    return interval_;
  });
}

void LateDossierGauge::Stop() { thread_.Stop(); }

}  // namespace localgov::dossier

#include "services/petition/workers.h"

#include "prometheus/counter.h"
#include "spdlog/spdlog.h"

namespace localgov::petition {

OverdueGauge::OverdueGauge(Petitions& petitions, prometheus::Registry& registry,
                           absl::Duration interval)
    : petitions_(petitions),
      family_(prometheus::BuildGauge()
                  .Name("localgov_petitions_overdue")
                  .Help("Open petitions whose next statutory deadline has passed, by agency and "
                        "kind")
                  .Labels({{"service", "petition"}})
                  .Register(registry)),
      interval_(interval) {}

bool OverdueGauge::Refresh() {
  auto counts = petitions_.OverdueByAgency();
  if (!counts.ok()) {
    spdlog::warn("overdue-petition gauge not refreshed: {}",
                 std::string(counts.status().message()));
    return false;
  }
  std::set<std::pair<std::string, std::string>> now;
  for (const auto& o : *counts) {
    std::string kind = v1::PetitionKind_Name(static_cast<v1::PetitionKind>(o.kind));
    kind = kind.substr(std::string("PETITION_KIND_").size());
    for (auto& c : kind) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    family_.Add({{"agency", o.agency}, {"kind", kind}}).Set(static_cast<double>(o.count));
    now.insert({o.agency, kind});
  }
  for (const auto& [agency, kind] : reported_) {
    if (!now.count({agency, kind})) family_.Add({{"agency", agency}, {"kind", kind}}).Set(0);
  }
  reported_.insert(now.begin(), now.end());
  return true;
}

void OverdueGauge::Start() {
  thread_.Start([this] {
    Refresh();
    return interval_;
  });
}

Resealer::Resealer(Petitions& petitions, prometheus::Registry& registry, absl::Duration interval)
    : petitions_(petitions),
      resealed_(prometheus::BuildCounter()
                    .Name("localgov_petition_identities_resealed_total")
                    .Help("Sealed identities moved to the newest sealing key (key rotation)")
                    .Register(registry)
                    .Add({})),
      interval_(interval) {}

void Resealer::Start() {
  thread_.Start([this] {
    auto moved = petitions_.ResealOnce(100);
    if (!moved.ok()) {
      spdlog::warn("resealing identities: {}", std::string(moved.status().message()));
      return interval_;
    }
    if (*moved > 0) {
      resealed_.Increment(*moved);
      spdlog::info("resealed {} identities under the newest key", *moved);
      return absl::ZeroDuration();  // more may wait
    }
    return interval_;
  });
}

void Deriver::Start() {
  thread_.Start([this] {
    auto derived = petitions_.DeriveOnce(200);
    if (!derived.ok()) {
      spdlog::warn("deriving petitions' matters: {}", std::string(derived.status().message()));
      return interval_;
    }
    if (*derived > 0) {
      spdlog::info("derived the matters and statistics columns of {} earlier petitions", *derived);
      return absl::ZeroDuration();
    }
    return interval_;
  });
}

}  // namespace localgov::petition

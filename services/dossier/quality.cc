#include "services/dossier/quality.h"

#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace localgov::dossier {

int Indicator1Points(v1::OutcomeClass outcome) {
  switch (outcome) {
    case v1::OUTCOME_CLASS_EARLY:
      return kIndicator1EarlyPoints;
    case v1::OUTCOME_CLASS_ON_TIME:
      return kIndicator1OnTimePoints;
    default:
      return kIndicator1LatePoints;
  }
}

int Indicator3Points(int supplement_requests) {
  if (supplement_requests <= 0) return kIndicator3NeverPoints;
  if (supplement_requests == 1) return kIndicator3OncePoints;
  return kIndicator3MoreThanOncePoints;
}

void ScoreFinished(v1::Dossier& d) {
  auto* q = d.mutable_quality();
  q->set_indicator1_points(Indicator1Points(d.outcome()));
  q->set_indicator3_points(Indicator3Points(q->supplement_requests()));
}

absl::StatusOr<std::vector<QualityWeight>> ParseQualityWeights(const std::string& text) {
  static const auto& kGroups = *new std::set<std::string>{"on_time", "satisfaction", "online"};
  std::vector<QualityWeight> out;
  std::set<std::string> seen;
  double total = 0;
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    std::vector<std::string> kv = absl::StrSplit(part, absl::MaxSplits('=', 1));
    QualityWeight w;
    w.group = std::string(absl::StripAsciiWhitespace(kv[0]));
    if (!kGroups.contains(w.group)) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown group \"", w.group, "\" (on_time, satisfaction, online)"));
    }
    if (!seen.insert(w.group).second) {
      return absl::InvalidArgumentError(absl::StrCat("group ", w.group, " given twice"));
    }
    if (kv.size() != 2 || !absl::SimpleAtod(absl::StripAsciiWhitespace(kv[1]), &w.weight) ||
        w.weight < 0 || w.weight > 100) {
      return absl::InvalidArgumentError(
          absl::StrCat("weight of ", w.group, " must be a number 0..100"));
    }
    total += w.weight;
    out.push_back(w);
  }
  if (out.empty()) return absl::InvalidArgumentError("no groups given");
  if (total > 100) return absl::InvalidArgumentError("weights add up to more than 100 points");
  return out;
}

std::vector<v1::ServiceIndexGroup> ServiceIndex(const v1::AgencyStatistics& s,
                                                const std::vector<QualityWeight>& weights) {
  std::vector<v1::ServiceIndexGroup> out;
  for (const auto& w : weights) {
    v1::ServiceIndexGroup g;
    g.set_group(w.group);
    g.set_weight(w.weight);
    const double rate = w.group == "on_time"        ? s.on_time_rate()
                        : w.group == "satisfaction" ? s.satisfaction_rate()
                                                    : s.online_rate();
    g.set_rate(rate);
    g.set_points(w.weight * rate);
    out.push_back(g);
  }
  return out;
}

}  // namespace localgov::dossier

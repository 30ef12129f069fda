// Recruitment ranking (Decree 170/2025; the tie rule and the round-2 minimum from Decree
// 138/2020, unverified for 170/2025: CadreRules says so). Pure: no I/O, no clock.
#include <algorithm>

#include "services/cadre/cadre_rules.h"

namespace localgov::cadre {

std::string_view OutcomeName(CandidateOutcome outcome) {
  switch (outcome) {
    case CandidateOutcome::kNotScored:
      return "NOT_SCORED";
    case CandidateOutcome::kFailedRound1:
      return "FAILED_ROUND1";
    case CandidateOutcome::kBelowMinimum:
      return "BELOW_MINIMUM";
    case CandidateOutcome::kSelected:
      return "SELECTED";
    case CandidateOutcome::kTied:
      return "TIED";
    case CandidateOutcome::kNotSelected:
      return "NOT_SELECTED";
  }
  return "NOT_SCORED";
}

std::vector<RankedCandidate> RankCandidates(const CadreRules& r, bool with_interview, int quota,
                                            std::vector<CandidateScores> candidates) {
  std::sort(candidates.begin(), candidates.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  std::vector<RankedCandidate> ranked, unranked;
  for (const auto& c : candidates) {
    RankedCandidate out;
    out.id = c.id;
    if (!c.round1_correct.has_value()) {
      unranked.push_back(out);
      continue;
    }
    if (!Round1Passed(r, *c.round1_correct)) {
      out.outcome = CandidateOutcome::kFailedRound1;
      unranked.push_back(out);
      continue;
    }
    if (!c.written.has_value() || (with_interview && !c.interview.has_value())) {
      unranked.push_back(out);
      continue;
    }
    out.round2_x100 =
        Round2ScoreX100(r, *c.written, with_interview ? c.interview : std::optional<int>());
    out.total_x100 = out.round2_x100 + c.priority_points_x100;
    if (out.round2_x100 < r.round2_min_score * 100) {
      out.outcome = CandidateOutcome::kBelowMinimum;
      unranked.push_back(out);
      continue;
    }
    ranked.push_back(out);
  }
  // Equal under the rule in force: the same total and, with the round-2 tie break, the same
  // round-2 score.
  auto before = [&](const RankedCandidate& a, const RankedCandidate& b) {
    if (a.total_x100 != b.total_x100) return a.total_x100 > b.total_x100;
    if (r.tie_break_by_round2) return a.round2_x100 > b.round2_x100;
    return false;
  };
  std::stable_sort(ranked.begin(), ranked.end(), before);
  int open = std::max(quota, 0);
  for (size_t i = 0; i < ranked.size();) {
    size_t j = i + 1;
    while (j < ranked.size() && !before(ranked[i], ranked[j])) ++j;
    const int group = static_cast<int>(j - i);
    const CandidateOutcome outcome = open <= 0       ? CandidateOutcome::kNotSelected
                                     : group <= open ? CandidateOutcome::kSelected
                                                     : CandidateOutcome::kTied;
    for (size_t k = i; k < j; ++k) {
      ranked[k].place = static_cast<int>(i) + 1;
      ranked[k].outcome = outcome;
    }
    // A tie across the last post takes the remaining posts (the head decides among them).
    open -= group;
    i = j;
  }
  ranked.insert(ranked.end(), unranked.begin(), unranked.end());
  return ranked;
}

}  // namespace localgov::cadre

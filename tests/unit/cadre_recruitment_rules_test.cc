// Recruitment scoring and the ranking against the quota (Decree 170/2025), hand-computed.
#include <map>

#include "gtest/gtest.h"
#include "services/cadre/cadre_rules.h"

namespace localgov::cadre {
namespace {

using absl::CivilDay;

const CadreRules& Rules(const char* setting = "") {
  static std::map<std::string, CadreRuleBook> books;
  auto it = books.find(setting);
  if (it == books.end()) it = books.emplace(setting, *CadreRuleBook::Parse(setting)).first;
  return it->second.InForceOn(CivilDay(2026, 3, 1));
}

CandidateScores C(int64_t id, std::optional<int> round1, std::optional<int> written,
                  std::optional<int> interview = std::nullopt, int priority = 0) {
  return {id, round1, written, interview, priority};
}

std::map<int64_t, RankedCandidate> ById(const std::vector<RankedCandidate>& v) {
  std::map<int64_t, RankedCandidate> out;
  for (const auto& c : v) out[c.id] = c;
  return out;
}

TEST(CadreRecruitmentTest, Round1EdgesOf60) {
  const auto& r = Rules();
  // 50 % of 60 questions: exactly 30 correct passes, 29 fails; 0 and 60 are the ends.
  EXPECT_TRUE(Round1Passed(r, 30));
  EXPECT_FALSE(Round1Passed(r, 29));
  EXPECT_FALSE(Round1Passed(r, 0));
  EXPECT_TRUE(Round1Passed(r, 60));
  auto ranked = ById(RankCandidates(r, false, 5, {C(1, 30, 60), C(2, 29, 99)}));
  EXPECT_EQ(ranked[1].outcome, CandidateOutcome::kSelected);
  EXPECT_EQ(ranked[2].outcome, CandidateOutcome::kFailedRound1);
  EXPECT_EQ(ranked[2].place, 0);
}

TEST(CadreRecruitmentTest, WeightedSeventyThirtyWithATie) {
  const auto& r = Rules();
  // 0.7·80 + 0.3·60 = 56 + 18 = 74.00; 0.7·74 + 0.3·74 = 74.00; 0.7·71 + 0.3·72 = 49.70 +
  // 21.60 = 71.30 (kept exact as ×100).
  EXPECT_EQ(Round2ScoreX100(r, 80, 60), 7400);
  EXPECT_EQ(Round2ScoreX100(r, 74, 74), 7400);
  EXPECT_EQ(Round2ScoreX100(r, 71, 72), 7130);
  EXPECT_EQ(Round2ScoreX100(r, 100, 100), 10000);
  // One post; two candidates tie at 74.00 with no priority points: the tie break by round-2
  // score cannot separate them, so the head decides: both TIED, none selected.
  auto ranked =
      ById(RankCandidates(r, true, 1, {C(7, 40, 80, 60), C(8, 45, 74, 74), C(9, 50, 71, 72)}));
  EXPECT_EQ(ranked[7].outcome, CandidateOutcome::kTied);
  EXPECT_EQ(ranked[8].outcome, CandidateOutcome::kTied);
  EXPECT_EQ(ranked[7].place, 1);
  EXPECT_EQ(ranked[8].place, 1);
  EXPECT_EQ(ranked[9].outcome, CandidateOutcome::kNotSelected);
  EXPECT_EQ(ranked[9].place, 3);
  // Two posts: the tied pair fits, both selected.
  ranked = ById(RankCandidates(r, true, 2, {C(7, 40, 80, 60), C(8, 45, 74, 74), C(9, 50, 71, 72)}));
  EXPECT_EQ(ranked[7].outcome, CandidateOutcome::kSelected);
  EXPECT_EQ(ranked[8].outcome, CandidateOutcome::kSelected);
  EXPECT_EQ(ranked[9].outcome, CandidateOutcome::kNotSelected);
}

TEST(CadreRecruitmentTest, PriorityPointsTieBrokenByRound2) {
  // Candidate 1: 71.30 + 2.50 priority points = 73.80; candidate 2: 0.7·78 + 0.3·64 = 54.60 +
  // 19.20 = 73.80 without priority. Equal totals: the higher round-2 score (73.80 > 71.30)
  // takes the one post.
  const auto& r = Rules();
  auto ranked = RankCandidates(r, true, 1, {C(1, 31, 71, 72, 250), C(2, 31, 78, 64)});
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].id, 2);
  EXPECT_EQ(ranked[0].total_x100, 7380);
  EXPECT_EQ(ranked[1].total_x100, 7380);
  EXPECT_EQ(ranked[0].outcome, CandidateOutcome::kSelected);
  EXPECT_EQ(ranked[1].outcome, CandidateOutcome::kNotSelected);
  EXPECT_EQ(ranked[1].place, 2);
  // Configured without the round-2 tie break the head decides.
  const auto& none = Rules("2026-01-01:recruitment_tie_break=none");
  ranked = RankCandidates(none, true, 1, {C(1, 31, 71, 72, 250), C(2, 31, 78, 64)});
  EXPECT_EQ(ranked[0].outcome, CandidateOutcome::kTied);
  EXPECT_EQ(ranked[1].outcome, CandidateOutcome::kTied);
}

TEST(CadreRecruitmentTest, RankingAgainstTheQuota) {
  const auto& r = Rules();
  // Written only (no interview): three posts, five scored candidates, one unscored, one
  // below the round-2 minimum of 50.
  auto ranked = RankCandidates(r, false, 3,
                               {C(1, 45, 90), C(2, 33, 85), C(3, 30, 85), C(4, 59, 70),
                                C(5, 60, 49), C(6, 40, std::nullopt), C(7, 50, 50)});
  auto by = ById(ranked);
  EXPECT_EQ(by[1].place, 1);
  EXPECT_EQ(by[2].place, 2);
  EXPECT_EQ(by[3].place, 2);
  EXPECT_EQ(by[4].place, 4);
  EXPECT_EQ(by[7].place, 5);
  for (int id : {1, 2, 3}) EXPECT_EQ(by[id].outcome, CandidateOutcome::kSelected) << id;
  EXPECT_EQ(by[4].outcome, CandidateOutcome::kNotSelected);
  EXPECT_EQ(by[7].outcome, CandidateOutcome::kNotSelected);  // exactly 50: ranked
  EXPECT_EQ(by[5].outcome, CandidateOutcome::kBelowMinimum);
  EXPECT_EQ(by[6].outcome, CandidateOutcome::kNotScored);
  // With an interview, a missing interview score leaves the candidate unranked.
  EXPECT_EQ(RankCandidates(r, true, 3, {C(1, 45, 90)})[0].outcome, CandidateOutcome::kNotScored);
  // A quota of 0 selects nobody.
  EXPECT_EQ(RankCandidates(r, false, 0, {C(1, 45, 90)})[0].outcome, CandidateOutcome::kNotSelected);
  EXPECT_EQ(OutcomeName(CandidateOutcome::kTied), "TIED");
}

TEST(CadreRecruitmentTest, SettingsAreChecked) {
  EXPECT_EQ(Rules().round2_min_score, 50);
  EXPECT_TRUE(Rules().tie_break_by_round2);
  EXPECT_EQ(Rules("2026-01-01:round2_min_score=40").round2_min_score, 40);
  EXPECT_FALSE(CadreRuleBook::Parse("2026-01-01:round2_min_score=101").ok());
  EXPECT_FALSE(CadreRuleBook::Parse("2026-01-01:recruitment_tie_break=coin").ok());
}

}  // namespace
}  // namespace localgov::cadre

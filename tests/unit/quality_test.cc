// Service-quality rules: Circular 01/2018 Art. 13 indicators and Decision 766 weights.
#include "services/dossier/quality.h"

#include "gtest/gtest.h"

namespace localgov::dossier {
namespace {

TEST(QualityTest, Indicator1ScoresTheOutcome) {
  EXPECT_EQ(Indicator1Points(v1::OUTCOME_CLASS_EARLY), 2);
  EXPECT_EQ(Indicator1Points(v1::OUTCOME_CLASS_ON_TIME), 1);
  EXPECT_EQ(Indicator1Points(v1::OUTCOME_CLASS_LATE), 0);
}

TEST(QualityTest, Indicator3ScoresTheTimesTheApplicantCameBack) {
  EXPECT_EQ(Indicator3Points(0), 2);
  EXPECT_EQ(Indicator3Points(1), 1);
  EXPECT_EQ(Indicator3Points(2), 0);
  EXPECT_EQ(Indicator3Points(5), 0);
}

TEST(QualityTest, ScoreFinishedUsesOutcomeAndSupplementRequests) {
  v1::Dossier d;
  d.set_outcome(v1::OUTCOME_CLASS_ON_TIME);
  d.mutable_quality()->set_supplement_requests(1);
  ScoreFinished(d);
  EXPECT_EQ(d.quality().indicator1_points(), 1);
  EXPECT_EQ(d.quality().indicator3_points(), 1);
}

TEST(QualityTest, TheDefaultWeightsAreDecision766s) {
  auto w = ParseQualityWeights(kDefaultQualityWeights);
  ASSERT_TRUE(w.ok()) << w.status();
  ASSERT_EQ(w->size(), 3u);
  EXPECT_EQ((*w)[0].group, "on_time");
  EXPECT_EQ((*w)[0].weight, 20);
  EXPECT_EQ((*w)[1].group, "satisfaction");
  EXPECT_EQ((*w)[1].weight, 18);
  EXPECT_EQ((*w)[2].group, "online");
  EXPECT_EQ((*w)[2].weight, 12);
}

TEST(QualityTest, BadWeightsAreRefusedWithTheReason) {
  EXPECT_NE(ParseQualityWeights("ontime=20").status().message().find("unknown group"),
            std::string::npos);
  EXPECT_NE(ParseQualityWeights("on_time=20,on_time=10").status().message().find("twice"),
            std::string::npos);
  EXPECT_NE(ParseQualityWeights("on_time=abc").status().message().find("0..100"),
            std::string::npos);
  EXPECT_NE(ParseQualityWeights("on_time=60,online=50").status().message().find("more than 100"),
            std::string::npos);
  EXPECT_FALSE(ParseQualityWeights("").ok());
  EXPECT_TRUE(ParseQualityWeights(" on_time = 25 , online=10 ").ok());
}

TEST(QualityTest, EachGroupScoresWeightTimesRate) {
  v1::AgencyStatistics s;
  s.set_on_time_rate(0.9);
  s.set_satisfaction_rate(0.5);
  s.set_online_rate(0.25);
  auto groups = ServiceIndex(s, *ParseQualityWeights(kDefaultQualityWeights));
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_DOUBLE_EQ(groups[0].points(), 18.0);  // 20 × 0.9
  EXPECT_DOUBLE_EQ(groups[1].points(), 9.0);   // 18 × 0.5
  EXPECT_DOUBLE_EQ(groups[2].points(), 3.0);   // 12 × 0.25
  EXPECT_DOUBLE_EQ(groups[2].rate(), 0.25);
}

}  // namespace
}  // namespace localgov::dossier

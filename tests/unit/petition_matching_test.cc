// The pure rules of duplicates and long-running matters (services/petition/matching.h).
#include "services/petition/matching.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace localgov::petition {
namespace {

v1::Person Person(const std::string& name, const std::string& id, const std::string& address) {
  v1::Person p;
  p.set_full_name(name);
  p.set_citizen_id(id);
  p.set_address(address);
  return p;
}

TEST(PetitionMatching, KeysIgnoreDiacriticsCaseAndPunctuation) {
  v1::ActConcerned act;
  act.set_decision_number("125/QĐ-UBND");
  const auto a = MatchKeysOf(v1::PETITION_KIND_COMPLAINT,
                             Person("Nguyễn Văn Khiếu", "", "Thôn Tây, xã Hòa Phú"), "Khiếu nại",
                             "Mức BỒI THƯỜNG!", act, nullptr);
  act.set_decision_number("125/QD-UBND");
  const auto b = MatchKeysOf(v1::PETITION_KIND_COMPLAINT,
                             Person("NGUYEN VAN KHIEU", "", "thon tay - xa hoa phu"), "khieu nai",
                             "muc boi thuong", act, nullptr);
  EXPECT_EQ(a.person_name_key, b.person_name_key);
  EXPECT_EQ(a.matter_key, "125 qd ubnd");
  EXPECT_EQ(a.matter_key, b.matter_key);
  EXPECT_EQ(a.content_folded, "khieu nai muc boi thuong");
  EXPECT_EQ(a.person_id_key, "");  // no ID given
  EXPECT_EQ(a.person_name_key.rfind("h:", 0), 0u);
}

TEST(PetitionMatching, NameKeyNeedsBothNameAndAddress) {
  const auto k = MatchKeysOf(v1::PETITION_KIND_COMPLAINT, Person("Nguyễn Văn A", "", ""), "t", "c",
                             {}, nullptr);
  EXPECT_EQ(k.person_name_key, "");
}

TEST(PetitionMatching, DenouncerKeysAreBlindIndexValuesOrNothing) {
  const auto who = Person("Phạm Thị Tố Cáo", "079187654321", "Số 9 ngõ Bí Mật");
  const auto none = MatchKeysOf(v1::PETITION_KIND_DENUNCIATION, who, "t", "c", {}, nullptr);
  EXPECT_EQ(none.person_id_key, "");
  EXPECT_EQ(none.person_name_key, "");
  const BlindIndex blind = [](const std::string& s) { return "K(" + s + ")"; };
  const auto k = MatchKeysOf(v1::PETITION_KIND_DENUNCIATION, who, "t", "c", {}, blind);
  EXPECT_EQ(k.person_id_key, "b:K(id\n079187654321)");
  EXPECT_EQ(k.person_name_key, "b:K(name-address\npham thi to cao\nso 9 ngo bi mat)");
  // The same person's complaint keys differ: a denunciation never matches another kind.
  const auto c = MatchKeysOf(v1::PETITION_KIND_COMPLAINT, who, "t", "c", {}, blind);
  EXPECT_NE(c.person_id_key, k.person_id_key);
}

TEST(PetitionMatching, ScoreNeedsSamePersonAndSameMatter) {
  const MatchingSettings s;
  CandidateFacts f;
  f.similarity = 0.9;
  EXPECT_FALSE(ScoreCandidate(f, s).matches);  // another person
  f.same_id = true;
  EXPECT_TRUE(ScoreCandidate(f, s).matches);
  EXPECT_DOUBLE_EQ(ScoreCandidate(f, s).score, 0.9);
  f.similarity = 0.39;
  EXPECT_FALSE(ScoreCandidate(f, s).matches);  // below min_score 0.4
  f.similarity = 0.4;
  EXPECT_TRUE(ScoreCandidate(f, s).matches);  // at it
  f.similarity = 0.1;
  f.same_act = true;
  f.act = "125/QĐ-UBND";
  const auto scored = ScoreCandidate(f, s);
  EXPECT_TRUE(scored.matches);
  EXPECT_DOUBLE_EQ(scored.score, 1.0);
  EXPECT_THAT(scored.reasons,
              ::testing::ElementsAre("same citizen ID", "same act concerned: 125/QĐ-UBND",
                                     "content 10% similar (without diacritics)"));
}

TEST(PetitionMatching, TheSameNameAndAddressWithAnotherIdIsAnotherPerson) {
  const MatchingSettings s;
  CandidateFacts f;
  f.same_name = true;
  f.same_act = true;
  EXPECT_TRUE(ScoreCandidate(f, s).matches);  // no ID on one side: the name and address decide
  f.other_id = true;                          // a father and son of one name at one address
  EXPECT_FALSE(ScoreCandidate(f, s).matches);
}

TEST(PetitionMatching, LongRunningAtTheThresholds) {
  const MatchingSettings s;  // 5 filings, 180 days
  EXPECT_FALSE(IsLongRunning(4, true, 10, s));
  EXPECT_TRUE(IsLongRunning(5, false, 0, s));
  EXPECT_FALSE(IsLongRunning(1, true, 180, s));
  EXPECT_TRUE(IsLongRunning(1, true, 181, s));
  EXPECT_FALSE(IsLongRunning(1, false, 400, s));  // answered: no longer open
}

TEST(PetitionMatching, SettingsParseAndRefuse) {
  auto s = MatchingSettings::Parse("min_score=0.3, long_running_filings=3");
  ASSERT_TRUE(s.ok());
  EXPECT_DOUBLE_EQ(s->min_score, 0.3);
  EXPECT_DOUBLE_EQ(s->answered_score, 0.6);
  EXPECT_EQ(s->long_running_filings, 3);
  EXPECT_TRUE(MatchingSettings::Parse("").ok());
  EXPECT_FALSE(MatchingSettings::Parse("min_score=2").ok());
  EXPECT_FALSE(MatchingSettings::Parse("min_score=0.7").ok());  // above answered_score
  EXPECT_FALSE(MatchingSettings::Parse("long_running_filings=1").ok());
  EXPECT_FALSE(MatchingSettings::Parse("threshold=1").ok());
}

TEST(PetitionMatching, AnswersAreResolvedGuidedOrNotProcessed) {
  EXPECT_TRUE(IsAnswered(v1::PETITION_STATE_RESOLVED));
  EXPECT_TRUE(IsAnswered(v1::PETITION_STATE_GUIDED));
  EXPECT_TRUE(IsAnswered(v1::PETITION_STATE_NOT_PROCESSED));
  EXPECT_FALSE(IsAnswered(v1::PETITION_STATE_ACCEPTED));
  EXPECT_FALSE(IsAnswered(v1::PETITION_STATE_WITHDRAWN));
  v1::Petition p;
  p.mutable_resolution()->set_summary("Giữ nguyên.");
  p.mutable_resolution()->set_decision_number("45/QĐ-UBND");
  p.mutable_resolution()->mutable_decide_time()->set_seconds(1784505600);  // 2026-07-20 00:00Z
  const auto a = AnswerOf(p);
  EXPECT_EQ(a.text, "Giữ nguyên.");
  EXPECT_EQ(a.day, "2026-07-20");
  EXPECT_EQ(a.decision_number, "45/QĐ-UBND");
}

}  // namespace
}  // namespace localgov::petition

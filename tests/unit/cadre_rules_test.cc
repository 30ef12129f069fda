// The law on cadres and civil servants (DOMAIN.md §4), with hand-computed cases.
#include "services/cadre/cadre_rules.h"

#include "common/config.h"
#include "services/cadre/cadre_spec.h"

#include "gtest/gtest.h"

namespace localgov::cadre {
namespace {

using absl::CivilDay;

const CadreRuleBook& Book() {
  static const CadreRuleBook kBook = *CadreRuleBook::Parse("");
  return kBook;
}

TEST(CadreRulesTest, RuleSetsChangeOn20250701) {
  EXPECT_TRUE(Book().InForceOn(CivilDay(2025, 6, 30)).rank_promotion_by_exam);
  EXPECT_TRUE(Book().InForceOn(CivilDay(2025, 6, 30)).commune_civil_servants_separate);
  EXPECT_FALSE(Book().InForceOn(CivilDay(2025, 7, 1)).rank_promotion_by_exam);
  EXPECT_FALSE(Book().InForceOn(CivilDay(2025, 7, 1)).commune_civil_servants_separate);
  EXPECT_EQ(Book().InForceOn(CivilDay(2000, 1, 1)).in_force_from, CivilDay(2010, 1, 1));
  const auto& now = Book().InForceOn(CivilDay(2026, 1, 1));
  EXPECT_EQ(now.raise_months_specialist, 36);
  EXPECT_EQ(now.raise_months_staff, 24);
  EXPECT_EQ(now.leadership_term_months, 60);
  EXPECT_EQ(now.rotation_min_months, 36);
  EXPECT_EQ(now.early_raise_share_percent, 10);
  EXPECT_EQ(now.early_raise_max_months, 12);
}

TEST(CadreRulesTest, TheUnverifiedEarlyRaiseShareIsConfiguration) {
  auto book = CadreRuleBook::Parse("2026-01-01:early_raise_share_percent=15");
  ASSERT_TRUE(book.ok()) << book.status();
  EXPECT_EQ(book->InForceOn(CivilDay(2025, 12, 31)).early_raise_share_percent, 10);
  EXPECT_EQ(book->InForceOn(CivilDay(2026, 1, 1)).early_raise_share_percent, 15);
  EXPECT_FALSE(book->InForceOn(CivilDay(2026, 1, 1)).rank_promotion_by_exam)
      << "a configured set starts from the set in force the day before";
  EXPECT_FALSE(CadreRuleBook::Parse("2026-01-01:early_raise_share_percent=0").ok());
  EXPECT_FALSE(CadreRuleBook::Parse("2026-01-01:raise_months=12").ok());
  EXPECT_FALSE(CadreRuleBook::Parse("tomorrow:early_raise_share_percent=5").ok());
}

TEST(CadreRulesTest, MonthsAreCalendarMonthsClampedToTheMonthsEnd) {
  EXPECT_EQ(AddMonths(CivilDay(2024, 1, 31), 1), CivilDay(2024, 2, 29));
  EXPECT_EQ(AddMonths(CivilDay(2023, 1, 31), 1), CivilDay(2023, 2, 28));
  EXPECT_EQ(AddMonths(CivilDay(2021, 6, 1), 60), CivilDay(2026, 6, 1));
  EXPECT_EQ(AddMonths(CivilDay(2024, 2, 29), 36), CivilDay(2027, 2, 28));
  EXPECT_EQ(MonthsBetween(CivilDay(2024, 1, 31), CivilDay(2024, 2, 29)), 1);
  EXPECT_EQ(MonthsBetween(CivilDay(2024, 1, 15), CivilDay(2027, 1, 14)), 35);
  EXPECT_EQ(MonthsBetween(CivilDay(2024, 1, 15), CivilDay(2027, 1, 15)), 36);
}

TEST(CadreRulesTest, RegularStepRaisesEvery36Or24MonthsPlusExtensions) {
  const auto& r = Book().InForceOn(CivilDay(2026, 1, 1));
  // Chuyên viên, last step 2023-04-01: 36 months → 2026-04-01.
  EXPECT_EQ(NextRegularRaise(r, RankLevel::kChuyenVien, CivilDay(2023, 4, 1), 0),
            CivilDay(2026, 4, 1));
  // Cán sự and nhân viên: 24 months.
  EXPECT_EQ(NextRegularRaise(r, RankLevel::kCanSu, CivilDay(2023, 4, 1), 0), CivilDay(2025, 4, 1));
  EXPECT_EQ(NextRegularRaise(r, RankLevel::kNhanVien, CivilDay(2023, 4, 1), 0),
            CivilDay(2025, 4, 1));
  EXPECT_EQ(NextRegularRaise(r, RankLevel::kChuyenVienChinh, CivilDay(2023, 4, 1), 0),
            CivilDay(2026, 4, 1));
  // A civil servant reprimanded (6) and rated "did not complete" (6) in the period: +12.
  const int ext = SanctionExtensionMonths(r, PersonGroup::kCivilServant, Sanction::kReprimand) +
                  r.extension_months_moderate;
  EXPECT_EQ(ext, 12);
  EXPECT_EQ(NextRegularRaise(r, RankLevel::kChuyenVien, CivilDay(2023, 4, 1), ext),
            CivilDay(2027, 4, 1));
  // The table of extensions.
  EXPECT_EQ(SanctionExtensionMonths(r, PersonGroup::kCadre, Sanction::kDismissalFromPost), 12);
  EXPECT_EQ(SanctionExtensionMonths(r, PersonGroup::kCivilServant, Sanction::kDemotion), 12);
  EXPECT_EQ(SanctionExtensionMonths(r, PersonGroup::kCivilServant, Sanction::kDismissalFromPost),
            12);
  EXPECT_EQ(SanctionExtensionMonths(r, PersonGroup::kPublicEmployee, Sanction::kDismissalFromPost),
            12);
  EXPECT_EQ(SanctionExtensionMonths(r, PersonGroup::kCadre, Sanction::kWarning), 6);
  EXPECT_EQ(SanctionExtensionMonths(r, PersonGroup::kCadre, Sanction::kReprimand), 6);
  EXPECT_EQ(SanctionExtensionMonths(r, PersonGroup::kPublicEmployee, Sanction::kWarning), 6);
  EXPECT_EQ(SanctionExtensionMonths(r, PersonGroup::kPublicEmployee, Sanction::kReprimand), 3);
}

TEST(CadreRulesTest, TermsRotationsAndRecruitment) {
  const auto& r = Book().InForceOn(CivilDay(2026, 1, 1));
  EXPECT_EQ(LeadershipTermEnd(r, CivilDay(2026, 1, 1)), CivilDay(2031, 1, 1));
  EXPECT_TRUE(RotationLongEnough(r, CivilDay(2024, 1, 1), CivilDay(2027, 1, 1)));
  EXPECT_FALSE(RotationLongEnough(r, CivilDay(2024, 1, 1), CivilDay(2026, 12, 31)));
  // Round 1: 60 questions, passed at 50 %: 30 correct passes, 29 does not.
  EXPECT_TRUE(Round1Passed(r, 30));
  EXPECT_FALSE(Round1Passed(r, 29));
  // Round 2: written 80, interview 65 → 0.7·80 + 0.3·65 = 75.50.
  EXPECT_EQ(Round2ScoreX100(r, 80, 65), 7550);
  EXPECT_EQ(Round2ScoreX100(r, 80, std::nullopt), 8000);
}

TEST(CadreRulesTest, CitizenIds) {
  // 056 Khánh Hòa, 1 = 20th century female, 85 → 1985.
  EXPECT_EQ(CitizenIdProblem("056185000001", CivilDay(1985, 4, 12), true), "");
  // 001 Hà Nội, 2 = 21st century male, 03 → 2003.
  EXPECT_EQ(CitizenIdProblem("001203004567", CivilDay(2003, 1, 1), false), "");
  EXPECT_EQ(CitizenIdProblem("001203004567", std::nullopt, std::nullopt), "");
  EXPECT_NE(CitizenIdProblem("00120300456", std::nullopt, std::nullopt), "");
  EXPECT_NE(CitizenIdProblem("0012030045678", std::nullopt, std::nullopt), "");
  EXPECT_NE(CitizenIdProblem("00120300456a", std::nullopt, std::nullopt), "");
  EXPECT_NE(CitizenIdProblem("003203004567", std::nullopt, std::nullopt), "") << "no province 003";
  EXPECT_NE(CitizenIdProblem("001203004567", CivilDay(1903, 1, 1), false), "") << "century";
  EXPECT_NE(CitizenIdProblem("001203004567", CivilDay(2003, 1, 1), true), "") << "gender";
  EXPECT_EQ(MaskCitizenId("056185000001"), "********0001") << "as every service masks it";
}

TEST(CadreRulesTest, Days) {
  EXPECT_EQ(ParseDay("2024-02-29"), CivilDay(2024, 2, 29));
  EXPECT_FALSE(ParseDay("2023-02-29").has_value());
  EXPECT_FALSE(ParseDay("2023-2-28").has_value());
  EXPECT_FALSE(ParseDay("2023-13-01").has_value());
  EXPECT_FALSE(ParseDay("").has_value());
}

TEST(CadreRulesTest, WhoManagesWhomThroughSupervisionAndMergers) {
  const CivilDay today(2026, 3, 2);
  AgencyGraph g;
  g["P"] = {{}, "", std::nullopt};
  g["DOHA"] = {{"P"}, "", std::nullopt};
  g["C1"] = {{"P", "DOHA"}, "", std::nullopt};
  g["C2"] = {{"P", "DOHA"}, "", std::nullopt};
  g["OLD"] = {{"P"}, "C1", CivilDay(2025, 7, 1)};
  EXPECT_TRUE(MayManage(g, "C1", "C1", today));
  EXPECT_TRUE(MayManage(g, "DOHA", "C1", today));
  EXPECT_TRUE(MayManage(g, "P", "C1", today));
  EXPECT_TRUE(MayManage(g, "C1", "OLD", today)) << "the successor answers for the merged commune";
  EXPECT_TRUE(MayManage(g, "DOHA", "OLD", today)) << "through the successor's supervisors";
  EXPECT_FALSE(MayManage(g, "C2", "C1", today));
  EXPECT_FALSE(MayManage(g, "C1", "P", today));
  EXPECT_FALSE(MayManage(g, "OLD", "C1", today));
  EXPECT_FALSE(MayManage(g, "", "C1", today));
  EXPECT_EQ(AnsweredBy(g, "C1", today), (std::vector<std::string>{"C1", "OLD"}));
  EXPECT_EQ(AnsweredBy(g, "C2", today), (std::vector<std::string>{"C2"}));
}

TEST(CadreRulesTest, AMergerRecordedAheadCountsFromItsDay) {
  // DOMAIN.md §0: the merged commune's staff continue under the successor from the effective
  // date; until then the successor's office does not manage them.
  AgencyGraph g;
  g["C1"] = {{}, "", std::nullopt};
  g["NEXT"] = {{}, "C1", CivilDay(2026, 7, 1)};
  g["LATER"] = {{}, "NEXT", CivilDay(2026, 9, 1)};
  EXPECT_FALSE(MayManage(g, "C1", "NEXT", CivilDay(2026, 6, 30)));
  EXPECT_TRUE(MayManage(g, "C1", "NEXT", CivilDay(2026, 7, 1)));
  EXPECT_TRUE(MayManage(g, "NEXT", "NEXT", CivilDay(2026, 7, 1)));
  EXPECT_FALSE(MayManage(g, "C1", "LATER", CivilDay(2026, 8, 31)));
  EXPECT_TRUE(MayManage(g, "C1", "LATER", CivilDay(2026, 9, 1))) << "through both mergers";
  EXPECT_EQ(AnsweredBy(g, "C1", CivilDay(2026, 6, 30)), (std::vector<std::string>{"C1"}));
  EXPECT_EQ(AnsweredBy(g, "C1", CivilDay(2026, 7, 1)), (std::vector<std::string>{"C1", "NEXT"}));
  EXPECT_EQ(AnsweredBy(g, "C1", CivilDay(2026, 9, 1)),
            (std::vector<std::string>{"C1", "LATER", "NEXT"}));
  EXPECT_EQ(AnsweredBy(g, "NEXT", CivilDay(2026, 9, 1)),
            (std::vector<std::string>{"NEXT", "LATER"}));
}

TEST(CadreRulesTest, Standards) {
  Standards required{4, "Luật", 2, true};
  EXPECT_TRUE(MeetsStandards(required, {4, "Luật", 3, true}));
  EXPECT_FALSE(MeetsStandards(required, {3, "Luật", 3, true}));
  EXPECT_FALSE(MeetsStandards(required, {4, "Kế toán", 3, true}));
  EXPECT_FALSE(MeetsStandards(required, {4, "Luật", 1, true}));
  EXPECT_FALSE(MeetsStandards(required, {4, "Luật", 2, false}));
}

// The report's verdict per person: one professional qualification must meet level and field;
// every shortfall is named.
TEST(CadreRulesTest, StandardsVerdictSaysWhyNot) {
  const Standards required{4, "Luật", 2, true};
  auto v = JudgeStandards(required, {{3, "Luật"}, {4, "Luật"}}, 2, true);
  EXPECT_TRUE(v.meets);
  EXPECT_EQ(v.reason, "");
  v = JudgeStandards(required, {{3, "Luật"}}, 1, false);
  EXPECT_FALSE(v.meets);
  EXPECT_EQ(v.reason,
            "professional level college below university; political theory elementary below "
            "intermediate; no state-management training");
  v = JudgeStandards(required, {{4, "Kế toán"}, {2, "Luật"}}, 3, true);
  EXPECT_FALSE(v.meets) << "university in another field, law only at intermediate";
  EXPECT_EQ(v.reason, "no qualification at university or above in Luật");
  // Nothing recorded meets a position that requires nothing, and nothing else.
  EXPECT_TRUE(JudgeStandards({0, "", 0, false}, {}, 0, false).meets);
  v = JudgeStandards({2, "", 0, false}, {}, 0, false);
  EXPECT_FALSE(v.meets);
  EXPECT_EQ(v.reason, "professional level none below intermediate");
}

// A LOCALGOV_CADRE_RULES value that does not parse stops the start, naming the setting.
TEST(CadreRulesTest, ABadRulesSettingStopsTheStart) {
  const std::vector<std::string> serve = {"--database-url", "postgresql://u@h/db",
                                          "--auth-public-key-file", "k.pem"};
  EXPECT_TRUE(ParseServiceConfig(Spec().defaults, serve).ok());
  auto good = serve;
  good.insert(good.end(), {"--cadre-rules", "2026-01-01:early_raise_share_percent=15"});
  EXPECT_TRUE(ParseServiceConfig(Spec().defaults, good).ok());
  for (const char* bad :
       {"nonsense", "2026-01-01:early_raise_share_percent=abc", "2026-01-01:no_such_rule=3"}) {
    auto args = serve;
    args.insert(args.end(), {"--cadre-rules", bad});
    auto config = ParseServiceConfig(Spec().defaults, args);
    ASSERT_FALSE(config.ok()) << bad;
    const std::string m(config.status().message());
    EXPECT_NE(m.find("--cadre-rules (LOCALGOV_CADRE_RULES)"), std::string::npos) << m;
    EXPECT_NE(m.find(bad), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace localgov::cadre

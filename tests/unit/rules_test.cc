// The one-stop rule sets (DOMAIN.md §1–2): versioned by the day they come into force, each
// dossier following the set in force on the day it was received.
#include "services/dossier/rules.h"

#include "gtest/gtest.h"

namespace localgov::dossier {
namespace {

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

TEST(OneStopRulesTest, TheStatutorySetsApplyWithoutASetting) {
  auto book = OneStopRuleBook::Parse("");
  ASSERT_TRUE(book.ok()) << book.status();
  ASSERT_EQ(book->sets().size(), 2u);
  // Decree 61/2018 from 21 June 2018; Decree 118/2025 from 1 July 2025, same numbers.
  EXPECT_EQ(book->sets()[0].in_force_from, D(2018, 6, 21));
  EXPECT_EQ(book->sets()[1].in_force_from, D(2025, 7, 1));
  const OneStopRules& now = book->InForceOn(D(2026, 11, 23));
  EXPECT_EQ(now.supplement_window_working_days, 3);
  EXPECT_EQ(now.online_deficiency_notices, 1);
  EXPECT_EQ(now.apology_lead_working_days, 1);
  EXPECT_EQ(now.receipt_cutoff_minutes, 15 * 60);
  EXPECT_NE(now.basis.find("118/2025"), std::string::npos);
  EXPECT_NE(book->InForceOn(D(2025, 6, 30)).basis.find("61/2018"), std::string::npos);
  EXPECT_EQ(&book->InForceOn(D(2010, 1, 1)), &book->sets()[0]) << "before the first: the first";
}

TEST(OneStopRulesTest, ASetFromADayStartsFromTheSetInForceBeforeItAndChangesOnlyWhatItNames) {
  auto book = OneStopRuleBook::Parse(
      "2026-07-01:supplement_window=2,receipt_cutoff=16:30; 2027-01-01:apology_lead=2");
  ASSERT_TRUE(book.ok()) << book.status();
  ASSERT_EQ(book->sets().size(), 4u);
  const auto& before = book->InForceOn(D(2026, 6, 30));
  EXPECT_EQ(before.supplement_window_working_days, 3);
  EXPECT_EQ(before.receipt_cutoff_minutes, 15 * 60);
  const auto& from = book->InForceOn(D(2026, 7, 1));
  EXPECT_EQ(from.supplement_window_working_days, 2);
  EXPECT_EQ(from.receipt_cutoff_minutes, 16 * 60 + 30);
  EXPECT_EQ(from.apology_lead_working_days, 1);
  EXPECT_EQ(from.online_deficiency_notices, 1);
  EXPECT_EQ(from.basis, "LOCALGOV_ONE_STOP_RULES");
  const auto& later = book->InForceOn(D(2027, 3, 1));
  EXPECT_EQ(later.supplement_window_working_days, 2) << "inherited from 2026-07-01";
  EXPECT_EQ(later.apology_lead_working_days, 2);
}

TEST(OneStopRulesTest, SetsListedOutOfOrderInheritInDateOrder) {
  auto book = OneStopRuleBook::Parse("2027-01-01:apology_lead=2;2026-07-01:supplement_window=2");
  ASSERT_TRUE(book.ok()) << book.status();
  const auto& later = book->InForceOn(D(2027, 1, 1));
  EXPECT_EQ(later.supplement_window_working_days, 2) << "from 2026-07-01, listed after it";
  EXPECT_EQ(later.apology_lead_working_days, 2);
}

TEST(OneStopRulesTest, ASetOnAStatutoryDayCorrectsIt) {
  // Should Decree 118/2025 turn out to say 2 working days, from its own day on.
  auto book = OneStopRuleBook::Parse("2025-07-01:supplement_window=2");
  ASSERT_TRUE(book.ok()) << book.status();
  ASSERT_EQ(book->sets().size(), 2u);
  EXPECT_EQ(book->InForceOn(D(2025, 6, 30)).supplement_window_working_days, 3);
  EXPECT_EQ(book->InForceOn(D(2025, 7, 1)).supplement_window_working_days, 2);
}

TEST(OneStopRulesTest, ABadSettingSaysWhatIsWrong) {
  const std::pair<const char*, const char*> cases[] = {
      {"2026-07-01", "YYYY-MM-DD:key=value"},
      {"2026-13-01:supplement_window=2", "not a date"},
      {"2026-07-01:supplement_window=0", "supplement_window"},
      {"2026-07-01:supplement_window=31", "supplement_window"},
      {"2026-07-01:supplement_window=two", "supplement_window"},
      {"2026-07-01:online_notices=0", "online_notices"},
      {"2026-07-01:apology_lead=-1", "apology_lead"},
      {"2026-07-01:receipt_cutoff=25:00", "receipt_cutoff"},
      {"2026-07-01:receipt_cutoff=3pm", "receipt_cutoff"},
      {"2026-07-01:deadline=5", "unknown rule \"deadline\""},
      {"2026-07-01:apology_lead=1,apology_lead=2", "twice"},
      {"2026-07-01:apology_lead=1;2026-07-01:apology_lead=2", "2026-07-01 given twice"},
  };
  for (const auto& [setting, expected] : cases) {
    auto book = OneStopRuleBook::Parse(setting);
    ASSERT_FALSE(book.ok()) << setting;
    EXPECT_EQ(book.status().code(), absl::StatusCode::kInvalidArgument) << setting;
    EXPECT_NE(book.status().message().find(expected), std::string::npos)
        << setting << ": " << book.status().message();
  }
}

// DOMAIN.md §2's settled readings are entries of every statutory set.
TEST(OneStopRulesTest, TheSettledReadingsAreEntriesOfTheSet) {
  auto book = OneStopRuleBook::Parse("");
  ASSERT_TRUE(book.ok());
  for (const auto& set : book->sets()) {
    EXPECT_FALSE(set.cutoff_applies_to_working_hours) << set.basis;
    EXPECT_FALSE(set.cutoff_applies_on_the_spot) << set.basis;
    EXPECT_EQ(set.period_end_minutes, 24 * 60) << "Civil Code Art. 148: 24:00";
    const calendar::Counting c = set.counting();
    EXPECT_EQ(c.receipt_cutoff_minutes, 15 * 60);
    EXPECT_FALSE(c.cutoff_applies_to_working_hours);
    EXPECT_EQ(c.period_end_minutes, 24 * 60);
    std::vector<std::string> keys;
    for (const auto& e : set.Entries()) {
      keys.push_back(e.key);
      EXPECT_EQ(e.rule_set, set.basis);
      EXPECT_EQ(e.in_force_from, absl::FormatCivilTime(set.in_force_from));
      EXPECT_FALSE(e.basis.empty()) << e.key;
    }
    EXPECT_EQ(keys,
              (std::vector<std::string>{"receipt_cutoff", "supplement_window", "online_notices",
                                        "apology_lead", "cutoff_applies_to_working_hours",
                                        "cutoff_applies_on_the_spot", "period_end"}));
  }
  const auto entries = book->sets().back().Entries();
  EXPECT_EQ(entries[0].value, "15:00");
  EXPECT_EQ(entries[1].value, "3");
  EXPECT_EQ(entries[1].unit, "working days");
  EXPECT_EQ(entries[6].value, "24:00");
}

TEST(OneStopRulesTest, TheBookDescribesItselfForTheLog) {
  auto book = OneStopRuleBook::Parse("2026-07-01:receipt_cutoff=16:00");
  ASSERT_TRUE(book.ok());
  const std::string text = book->Describe();
  EXPECT_NE(text.find("from 2026-07-01: supplement_window=3, online_notices=1, apology_lead=1, "
                      "receipt_cutoff=16:00"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace localgov::dossier

// The exchange directory as other services read it: who answers for a merged agency.
#include "common/directory_snapshot.h"

#include "gtest/gtest.h"

namespace localgov {
namespace {

namespace lv1 = liaison::v1;

lv1::DirectoryContent Mergers() {
  // 2025-07-01: communes 22 and 23 merged into 24; 2026-01-01: 24 merged into 25. 26 stands.
  lv1::DirectoryContent c;
  auto add = [&](const char* code, const char* successor, const char* effective) {
    auto* a = c.add_agencies();
    a->set_code(code);
    if (*successor != '\0') {
      a->set_status(lv1::AGENCY_STATUS_MERGED);
      a->set_successor_code(successor);
      a->set_status_effective_date(effective);
    }
  };
  add("000.00.25.H41", "", "");
  add("000.00.22.H41", "000.00.24.H41", "2025-07-01");
  add("000.00.24.H41", "000.00.25.H41", "2026-01-01");
  add("000.00.23.H41", "000.00.24.H41", "2025-07-01");
  add("000.00.26.H41", "", "");
  return c;
}

const absl::CivilDay kToday(2026, 11, 23);

TEST(DirectoryViewTest, AnAgencyAnswersForEveryAgencyMergedIntoItThroughAnyChain) {
  DirectoryView view(Mergers());
  EXPECT_EQ(view.AnsweredBy("000.00.25.H41", kToday),
            (std::vector<std::string>{"000.00.25.H41", "000.00.22.H41", "000.00.23.H41",
                                      "000.00.24.H41"}));
  EXPECT_EQ(view.ResolveAgency("000.00.22.H41", kToday)->code(), "000.00.25.H41");
}

TEST(DirectoryViewTest, AnAgencyNobodyMergedIntoAnswersForItselfOnly) {
  DirectoryView view(Mergers());
  EXPECT_EQ(view.AnsweredBy("000.00.26.H41", kToday), std::vector<std::string>{"000.00.26.H41"});
  EXPECT_EQ(view.AnsweredBy("000.00.99.H41", kToday), std::vector<std::string>{"000.00.99.H41"})
      << "unknown to the snapshot";
  // A merged agency answers for nothing: its successor holds its records.
  EXPECT_EQ(view.AnsweredBy("000.00.24.H41", kToday), std::vector<std::string>{"000.00.24.H41"});
}

// DOMAIN.md §0: each merged unit has an effective date. Recorded ahead of time, a merger
// changes nothing before it: the old agency still answers for itself and its successor does
// not answer for it.
TEST(DirectoryViewTest, AMergerCountsFromItsEffectiveDateNotFromWhenItWasRecorded) {
  DirectoryView view(Mergers());
  const absl::CivilDay eve(2025, 12, 31), day(2026, 1, 1), before_all(2025, 6, 30);
  EXPECT_EQ(view.ResolveAgency("000.00.24.H41", eve)->code(), "000.00.24.H41");
  EXPECT_EQ(view.ResolveAgency("000.00.24.H41", day)->code(), "000.00.25.H41");
  std::vector<std::string> chain;
  EXPECT_EQ(view.ResolveAgency("000.00.22.H41", eve, &chain)->code(), "000.00.24.H41");
  EXPECT_EQ(chain, (std::vector<std::string>{"000.00.22.H41", "000.00.24.H41"}));
  EXPECT_EQ(view.ResolveAgency("000.00.22.H41", before_all)->code(), "000.00.22.H41");

  EXPECT_EQ(view.AnsweredBy("000.00.25.H41", eve), std::vector<std::string>{"000.00.25.H41"});
  EXPECT_EQ(view.AnsweredBy("000.00.24.H41", eve),
            (std::vector<std::string>{"000.00.24.H41", "000.00.22.H41", "000.00.23.H41"}));
  EXPECT_EQ(view.AnsweredBy("000.00.25.H41", day),
            (std::vector<std::string>{"000.00.25.H41", "000.00.22.H41", "000.00.23.H41",
                                      "000.00.24.H41"}));
  EXPECT_EQ(view.AnsweredBy("000.00.24.H41", before_all),
            std::vector<std::string>{"000.00.24.H41"});
}

TEST(DirectoryViewTest, AMergerCycleAnswersForNobody) {
  lv1::DirectoryContent c;
  for (auto [code, successor] :
       {std::pair{"000.00.01.H41", "000.00.02.H41"}, std::pair{"000.00.02.H41", "000.00.01.H41"}}) {
    auto* a = c.add_agencies();
    a->set_code(code);
    a->set_status(lv1::AGENCY_STATUS_MERGED);
    a->set_successor_code(successor);
  }
  DirectoryView view(c);
  EXPECT_EQ(view.ResolveAgency("000.00.01.H41", kToday), nullptr);
  EXPECT_EQ(view.AnsweredBy("000.00.01.H41", kToday), std::vector<std::string>{"000.00.01.H41"});
}

}  // namespace
}  // namespace localgov

// Leaders' required reception days against those held (services/petition/reception_rules.h),
// hand-counted on the 2026 calendar (Tết 16–20/2; Law 136/2025 from 1/7).
#include "services/petition/reception_rules.h"
#include "common/calendar/seed.h"
#include "gtest/gtest.h"

namespace localgov::petition {
namespace {

using absl::CivilDay;
using v1::ReceptionLeaderRole;

const calendar::WorkingCalendar& Cal() {
  static const auto* cal =
      new calendar::WorkingCalendar(*calendar::WorkingCalendar::Create(calendar::SeedYears()));
  return *cal;
}

const PetitionRuleBook& Rules() {
  static const auto* book = new PetitionRuleBook(*PetitionRuleBook::Parse(""));
  return *book;
}

v1::LeaderReceptionDays Count(ReceptionLeaderRole role, const std::string& period,
                              const std::vector<HeldReceptionDay>& held) {
  auto p = ParseReportPeriod(period);
  EXPECT_TRUE(p.ok()) << p.status();
  auto out = CountReceptionDays(role, *p, held, Rules(), Cal());
  EXPECT_TRUE(out.ok()) << out.status();
  return *out;
}

TEST(ReceptionPeriod, MonthQuarterYear) {
  auto m = ParseReportPeriod("2026-02");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->first, CivilDay(2026, 2, 1));
  EXPECT_EQ(m->last, CivilDay(2026, 2, 28));
  auto q = ParseReportPeriod("2026-Q2");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->first, CivilDay(2026, 4, 1));
  EXPECT_EQ(q->last, CivilDay(2026, 6, 30));
  auto y = ParseReportPeriod("2026");
  ASSERT_TRUE(y.ok());
  EXPECT_EQ(y->last, CivilDay(2026, 12, 31));
  for (const char* bad : {"", "2026-13", "2026-Q5", "26-01", "2026-01-01", "abcd", "2026-"}) {
    EXPECT_EQ(ParseReportPeriod(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(ReceptionDays, ACommuneChairsTetWeekRequiresNoDay) {
  // February 2026: the weeks whose Thursday falls in it start Mon 2/2, 9/2, 16/2 and 23/2;
  // Mon 16 – Fri 20/2 is Tết and the weekend follows, so that week has no working day.
  auto r = Count(v1::RECEPTION_LEADER_ROLE_COMMUNE_CHAIR, "2026-02",
                 {{CivilDay(2026, 2, 3)}, {CivilDay(2026, 2, 5)}, {CivilDay(2026, 2, 24)}});
  ASSERT_EQ(r.units_size(), 4);
  EXPECT_EQ(r.units(2).first_day(), "2026-02-16");
  EXPECT_EQ(r.units(2).required(), 0);
  EXPECT_EQ(r.required_days(), 3);
  EXPECT_EQ(r.held_days(), 3);
  // Two days in the first week meet one week; the week of 9/2 is missed.
  EXPECT_EQ(r.counted_days(), 2);
  EXPECT_EQ(r.missed_units(), 1);
  EXPECT_EQ(r.units(1).first_day(), "2026-02-09");
  EXPECT_EQ(r.units(1).held(), 0);
}

TEST(ReceptionDays, AWeekAcrossTwoMonthsBelongsWhereItsThursdayFalls) {
  // Mon 29/6 – Sun 5/7/2026: Thursday 2/7, so July's. A session on Tue 30/6 meets it.
  const std::vector<HeldReceptionDay> held = {{CivilDay(2026, 6, 30)}};
  auto june = Count(v1::RECEPTION_LEADER_ROLE_COMMUNE_CHAIR, "2026-06", held);
  EXPECT_EQ(june.units_size(), 4);
  EXPECT_EQ(june.units(3).last_day(), "2026-06-28");
  EXPECT_EQ(june.held_days(), 0);
  EXPECT_EQ(june.missed_units(), 4);
  auto july = Count(v1::RECEPTION_LEADER_ROLE_COMMUNE_CHAIR, "2026-07", held);
  EXPECT_EQ(july.units(0).first_day(), "2026-06-29");
  EXPECT_EQ(july.units(0).counted(), 1);
  EXPECT_EQ(july.required_days(), 5);  // Thursdays 2, 9, 16, 23, 30/7
}

TEST(ReceptionDays, ADeputysDayCountsForTheHeadOnlyBeforeJuly2026) {
  const std::vector<HeldReceptionDay> held = {{CivilDay(2026, 6, 10), true},
                                              {CivilDay(2026, 7, 8), true}};
  auto june = Count(v1::RECEPTION_LEADER_ROLE_AGENCY_HEAD, "2026-06", held);
  EXPECT_EQ(june.required_days(), 1);
  EXPECT_EQ(june.counted_days(), 1);
  EXPECT_EQ(june.deputy_days_counted(), 1);
  auto july = Count(v1::RECEPTION_LEADER_ROLE_AGENCY_HEAD, "2026-07", held);
  EXPECT_EQ(july.counted_days(), 0);
  EXPECT_EQ(july.missed_units(), 1);
  EXPECT_EQ(july.deputy_days_not_counted(), 1);
  EXPECT_NE(july.basis().find("136/2025"), std::string::npos) << july.basis();
  // The head's own day in July counts.
  auto own = Count(v1::RECEPTION_LEADER_ROLE_AGENCY_HEAD, "2026-07",
                   {{CivilDay(2026, 7, 8), true}, {CivilDay(2026, 7, 15)}});
  EXPECT_EQ(own.counted_days(), 1);
  EXPECT_EQ(own.missed_units(), 0);
}

TEST(ReceptionDays, AProvincialChairOverAQuarterAndTheCouncilWithoutANumber) {
  auto q = Count(v1::RECEPTION_LEADER_ROLE_PROVINCIAL_CHAIR, "2026-Q2",
                 {{CivilDay(2026, 4, 15)}, {CivilDay(2026, 4, 16)}, {CivilDay(2026, 6, 2)}});
  EXPECT_EQ(q.units_size(), 3);
  EXPECT_EQ(q.required_days(), 3);
  EXPECT_EQ(q.held_days(), 3);
  EXPECT_EQ(q.counted_days(), 2);  // May has none
  EXPECT_EQ(q.missed_units(), 1);
  auto council = Count(v1::RECEPTION_LEADER_ROLE_COUNCIL_STANDING, "2026-05",
                       {{CivilDay(2026, 5, 20)}, {CivilDay(2026, 4, 20)}});
  EXPECT_EQ(council.required_days(), 0);
  EXPECT_EQ(council.held_days(), 1);
  EXPECT_EQ(council.missed_units(), 0);
}

TEST(ReceptionDays, TheNumbersAreRuleSetEntriesAConfiguredSetChanges) {
  auto book = PetitionRuleBook::Parse("2027-01-01:reception_commune_chair=2");
  ASSERT_TRUE(book.ok()) << book.status();
  EXPECT_EQ(book->InForceOn(CivilDay(2027, 3, 1)).reception_commune_chair_days_per_week, 2);
  EXPECT_EQ(book->InForceOn(CivilDay(2026, 3, 1)).reception_deputy_counts, 1);
  EXPECT_EQ(book->InForceOn(CivilDay(2026, 7, 1)).reception_deputy_counts, 0);
  EXPECT_FALSE(PetitionRuleBook::Parse("2027-01-01:reception_deputy_counts=2").ok());
}

}  // namespace
}  // namespace localgov::petition

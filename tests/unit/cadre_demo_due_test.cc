// The demo province's evaluations and discipline decisions keep the rules they illustrate.
#include <map>
#include <set>
#include <tuple>

#include "gtest/gtest.h"
#include "services/cadre/cadre_due_rules.h"
#include "services/cadre/cadre_store_due.h"
#include "services/cadre/demo_due.h"

namespace localgov::cadre {
namespace {

TEST(CadreDemoDueTest, DecisionsAndEvaluationsKeepTheRules) {
  const CadreRuleBook book = *CadreRuleBook::Parse("");
  const DemoProvince demo = GenerateDemoProvince({}, book);
  const DemoDue due = GenerateDemoDue(demo);
  ASSERT_GT(due.evaluations.size(), 1000u);
  ASSERT_GT(due.disciplines.size(), 10u);
  std::map<int64_t, const DemoPerson*> people;
  for (const auto& p : demo.people) people[p.person.id()] = &p;
  for (const auto& d : due.disciplines) {
    const auto* p = people.at(d.person_id());
    const auto conduct = *ParseDay(d.conduct_date()), started = *ParseDay(d.processing_started()),
               decided = *ParseDay(d.decision_date()), effect = *ParseDay(d.effect_from());
    const CadreRules& r = book.InForceOn(decided);
    EXPECT_LE(started, *LimitationLastDay(r, conduct, OffenceLevel::kReprimandLevel));
    EXPECT_LE(decided, ProcessingLastDay(r, started, false));
    EXPECT_EQ(DisciplineFormProblem(r, ToGroup(p->person.kind()), ToSanction(d.form()), false), "");
    // No raise recorded while it has effect.
    for (const auto& v : p->history) {
      if (v.record.kind() != v1::RECORD_KIND_RANK || v.recorded_until.has_value()) continue;
      EXPECT_LT(*ParseDay(v.record.valid_from()), effect) << d.person_id();
    }
  }
  // One evaluation per person and year, with a few "did not complete" and "excellent" well
  // under the share.
  std::set<std::pair<int64_t, int>> seen;
  int excellent = 0, not_completed = 0;
  for (const auto& e : due.evaluations) {
    EXPECT_TRUE(seen.insert({e.person_id(), e.year()}).second);
    excellent += e.level() == v1::EVALUATION_LEVEL_EXCELLENT;
    not_completed += e.level() == v1::EVALUATION_LEVEL_NOT_COMPLETED;
  }
  EXPECT_GT(not_completed, 0);
  EXPECT_LT(excellent * 100,
            static_cast<int>(due.evaluations.size()) *
                book.InForceOn(absl::CivilDay(2025, 12, 10)).evaluation_excellent_share_percent);
}

}  // namespace
}  // namespace localgov::cadre

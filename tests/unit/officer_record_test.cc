// The one-stop record of each officer for a year (issue 24, item 4): steps, results by outcome,
// late without apology — from a dossier's own events and outcome.
#include "services/dossier/officer_record.h"

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"

namespace localgov::dossier {
namespace {

constexpr const char* kAgency = "000.00.31.H41";

// An event at `utc` (a civil time in UTC) by `actor` in `role` of `agency`.
void Event(v1::Dossier& d, absl::CivilSecond utc, const std::string& actor, const std::string& role,
           v1::DossierState to, const std::string& agency = kAgency) {
  auto* e = d.add_events();
  e->set_sequence(d.events_size());
  *e->mutable_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(absl::FromCivil(utc, absl::UTCTimeZone())));
  e->set_actor(actor);
  e->set_role(role);
  e->set_agency(agency);
  e->set_to_state(to);
}

// Received by officer-1, started and processed by officer-2, in 2026, with `outcome`.
v1::Dossier Handled(v1::OutcomeClass outcome) {
  v1::Dossier d;
  Event(d, absl::CivilSecond(2026, 3, 2, 2, 0, 0), "officer-1", "officer",
        v1::DOSSIER_STATE_ACCEPTED);
  Event(d, absl::CivilSecond(2026, 3, 2, 3, 0, 0), "officer-2", "officer",
        v1::DOSSIER_STATE_IN_PROGRESS);
  Event(d, absl::CivilSecond(2026, 3, 9, 8, 0, 0), "officer-2", "officer",
        v1::DOSSIER_STATE_PROCESSED);
  d.set_outcome(outcome);
  return d;
}

TEST(OfficerRecordTest, StepsCountForWhoeverActedAndTheResultForWhoRecordedIt) {
  std::map<std::string, OfficerTally> t;
  AddToOfficerTallies(Handled(v1::OUTCOME_CLASS_EARLY), 2026, {kAgency}, t);
  AddToOfficerTallies(Handled(v1::OUTCOME_CLASS_ON_TIME), 2026, {kAgency}, t);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t["officer-1"].steps_handled, 2);
  EXPECT_EQ(t["officer-1"].results, 0);
  EXPECT_EQ(t["officer-2"].steps_handled, 4);
  EXPECT_EQ(t["officer-2"].results, 2);
  EXPECT_EQ(t["officer-2"].early, 1);
  EXPECT_EQ(t["officer-2"].on_time, 1);
  EXPECT_EQ(t["officer-2"].late, 0);
}

TEST(OfficerRecordTest, ALateResultWithoutAnApologyIsFlagged) {
  std::map<std::string, OfficerTally> t;
  AddToOfficerTallies(Handled(v1::OUTCOME_CLASS_LATE), 2026, {kAgency}, t);
  auto apologised = Handled(v1::OUTCOME_CLASS_LATE);
  apologised.mutable_apology()->set_reason("Chờ ý kiến cơ quan phối hợp");
  AddToOfficerTallies(apologised, 2026, {kAgency}, t);
  EXPECT_EQ(t["officer-2"].late, 2);
  EXPECT_EQ(t["officer-2"].late_without_apology, 1);
}

TEST(OfficerRecordTest, TheYearIsVietnamsCalendarYear) {
  // 2026-12-31 17:30 UTC is 2027-01-01 00:30 in Vietnam (UTC+7): a step of 2027, not 2026.
  v1::Dossier d;
  Event(d, absl::CivilSecond(2026, 12, 31, 16, 59, 59), "officer-1", "officer",
        v1::DOSSIER_STATE_ACCEPTED);
  Event(d, absl::CivilSecond(2026, 12, 31, 17, 30, 0), "officer-1", "officer",
        v1::DOSSIER_STATE_PROCESSED);
  d.set_outcome(v1::OUTCOME_CLASS_EARLY);
  std::map<std::string, OfficerTally> y2026, y2027;
  AddToOfficerTallies(d, 2026, {kAgency}, y2026);
  AddToOfficerTallies(d, 2027, {kAgency}, y2027);
  EXPECT_EQ(y2026["officer-1"].steps_handled, 1);
  EXPECT_EQ(y2026["officer-1"].results, 0);
  EXPECT_EQ(y2027["officer-1"].steps_handled, 1);
  EXPECT_EQ(y2027["officer-1"].early, 1);
}

TEST(OfficerRecordTest, CitizensTheSystemAndOtherAgenciesAreNobodysRecord) {
  v1::Dossier d;
  Event(d, absl::CivilSecond(2026, 3, 2, 2, 0, 0), "056090001234", "citizen",
        v1::DOSSIER_STATE_SUBMITTED);
  Event(d, absl::CivilSecond(2026, 3, 2, 3, 0, 0), "portal", "system", v1::DOSSIER_STATE_ACCEPTED);
  Event(d, absl::CivilSecond(2026, 3, 3, 3, 0, 0), "officer-9", "officer",
        v1::DOSSIER_STATE_IN_PROGRESS, "000.00.10.G01");
  Event(d, absl::CivilSecond(2026, 3, 4, 3, 0, 0), "leader-1", "leader",
        v1::DOSSIER_STATE_PROCESSED);
  d.set_outcome(v1::OUTCOME_CLASS_ON_TIME);
  std::map<std::string, OfficerTally> t;
  AddToOfficerTallies(d, 2026, {kAgency}, t);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t["leader-1"].steps_handled, 1);
  EXPECT_EQ(t["leader-1"].on_time, 1);
}

TEST(OfficerRecordTest, AResultRecordedAgainCountsOnceForTheLastToRecordIt) {
  auto d = Handled(v1::OUTCOME_CLASS_ON_TIME);
  Event(d, absl::CivilSecond(2026, 3, 9, 9, 0, 0), "officer-3", "officer",
        v1::DOSSIER_STATE_IN_PROGRESS);
  Event(d, absl::CivilSecond(2026, 3, 10, 9, 0, 0), "officer-3", "officer",
        v1::DOSSIER_STATE_PROCESSED);
  std::map<std::string, OfficerTally> t;
  AddToOfficerTallies(d, 2026, {kAgency}, t);
  EXPECT_EQ(t["officer-2"].results, 0);
  EXPECT_EQ(t["officer-3"].results, 1);
  EXPECT_EQ(t["officer-3"].on_time, 1);
}

TEST(OfficerRecordTest, AnUnfinishedDossierIsStepsOnly) {
  auto d = Handled(v1::OUTCOME_CLASS_UNSPECIFIED);
  std::map<std::string, OfficerTally> t;
  AddToOfficerTallies(d, 2026, {kAgency}, t);
  EXPECT_EQ(t["officer-2"].steps_handled, 2);
  EXPECT_EQ(t["officer-2"].results, 0);
}

TEST(OfficerRecordTest, StepsRecordedUnderAMergedUnitsOldCodeCountForItsSuccessor) {
  // A commune merged into 000.00.31.H41: its officer's steps before the merger carry the old
  // code, and count in the successor's record; another agency's steps still do not.
  v1::Dossier d;
  Event(d, absl::CivilSecond(2026, 3, 2, 2, 0, 0), "officer-1", "officer",
        v1::DOSSIER_STATE_ACCEPTED, "000.00.32.H41");
  Event(d, absl::CivilSecond(2026, 3, 3, 2, 0, 0), "officer-9", "officer",
        v1::DOSSIER_STATE_IN_PROGRESS, "000.00.10.G01");
  Event(d, absl::CivilSecond(2026, 7, 3, 2, 0, 0), "officer-1", "officer",
        v1::DOSSIER_STATE_PROCESSED);
  d.set_outcome(v1::OUTCOME_CLASS_LATE);
  std::map<std::string, OfficerTally> t;
  AddToOfficerTallies(d, 2026, {kAgency, "000.00.32.H41"}, t);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t["officer-1"].steps_handled, 2);
  EXPECT_EQ(t["officer-1"].late, 1);
  EXPECT_EQ(t["officer-1"].late_without_apology, 1);
}

}  // namespace
}  // namespace localgov::dossier

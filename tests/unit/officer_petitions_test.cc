// Each officer's petitions resolved in a year (issue 24, item 4): counted for the officer
// assigned, on time or late as the resolution recorded, in Vietnam's calendar year.
#include "services/petition/officer_petitions.h"

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"

namespace localgov::petition {
namespace {

constexpr const char* kAgency = "000.00.31.H41";

// A petition of `agency` assigned to `officer`, decided at `utc` (a civil time in UTC).
v1::Petition Decided(const std::string& officer, absl::CivilSecond utc, bool on_time,
                     const std::string& agency = kAgency) {
  v1::Petition p;
  p.set_agency_code(agency);
  p.set_officer(officer);
  p.set_state(v1::PETITION_STATE_RESOLVED);
  auto* r = p.mutable_resolution();
  *r->mutable_decide_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(absl::FromCivil(utc, absl::UTCTimeZone())));
  r->set_on_time(on_time);
  return p;
}

TEST(OfficerPetitionsTest, ResolvedPetitionsCountForTheAssignedOfficerOnTimeOrLate) {
  std::map<std::string, OfficerPetitionTally> t;
  AddToOfficerPetitionTallies(Decided("officer-1", absl::CivilSecond(2026, 4, 1, 3, 0, 0), true),
                              2026, {kAgency}, t);
  AddToOfficerPetitionTallies(Decided("officer-1", absl::CivilSecond(2026, 5, 1, 3, 0, 0), false),
                              2026, {kAgency}, t);
  AddToOfficerPetitionTallies(Decided("officer-2", absl::CivilSecond(2026, 6, 1, 3, 0, 0), true),
                              2026, {kAgency}, t);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t["officer-1"].resolved, 2);
  EXPECT_EQ(t["officer-1"].on_time, 1);
  EXPECT_EQ(t["officer-1"].late, 1);
  EXPECT_EQ(t["officer-2"].resolved, 1);
  EXPECT_EQ(t["officer-2"].on_time, 1);
}

TEST(OfficerPetitionsTest, TheYearIsVietnamsCalendarYear) {
  // 31/12/2026 18:00 UTC is 1/1/2027 01:00 in Vietnam: a 2027 decision.
  const auto p = Decided("officer-1", absl::CivilSecond(2026, 12, 31, 18, 0, 0), true);
  std::map<std::string, OfficerPetitionTally> y2026, y2027;
  AddToOfficerPetitionTallies(p, 2026, {kAgency}, y2026);
  AddToOfficerPetitionTallies(p, 2027, {kAgency}, y2027);
  EXPECT_TRUE(y2026.empty());
  EXPECT_EQ(y2027["officer-1"].resolved, 1);
}

TEST(OfficerPetitionsTest, OpenUnassignedAndForwardedPetitionsAreNobodysRecord) {
  std::map<std::string, OfficerPetitionTally> t;
  v1::Petition open;
  open.set_agency_code(kAgency);
  open.set_officer("officer-1");
  open.set_state(v1::PETITION_STATE_ACCEPTED);
  AddToOfficerPetitionTallies(open, 2026, {kAgency}, t);
  AddToOfficerPetitionTallies(Decided("", absl::CivilSecond(2026, 4, 1, 3, 0, 0), true), 2026,
                              {kAgency}, t);
  auto answered = Decided("officer-1", absl::CivilSecond(2026, 4, 1, 3, 0, 0), true);
  answered.mutable_resolution()->set_answered_by_agency_code("000.00.10.G01");
  AddToOfficerPetitionTallies(answered, 2026, {kAgency}, t);
  AddToOfficerPetitionTallies(
      Decided("officer-1", absl::CivilSecond(2026, 4, 1, 3, 0, 0), true, "000.00.10.G01"), 2026,
      {kAgency}, t);
  EXPECT_TRUE(t.empty());
}

TEST(OfficerPetitionsTest, APetitionOfAUnitMergedIntoTheAgencyCounts) {
  std::map<std::string, OfficerPetitionTally> t;
  AddToOfficerPetitionTallies(
      Decided("officer-1", absl::CivilSecond(2026, 4, 1, 3, 0, 0), false, "000.00.32.H41"), 2026,
      {kAgency, "000.00.32.H41"}, t);
  EXPECT_EQ(t["officer-1"].late, 1);
}

}  // namespace
}  // namespace localgov::petition

// Merger plans (cadre_rules_merger.h): units folded by name or created with clashes resolved,
// positions folded and their holders added up, quotas summed, people moved, and each blocker.
#include <string>

#include "gtest/gtest.h"
#include "services/cadre/cadre_rules_merger.h"

namespace localgov::cadre {
namespace {

using absl::CivilDay;

constexpr const char* kOld = "000.01.31.H41";
constexpr const char* kOld2 = "000.02.31.H41";
constexpr const char* kNew = "000.00.31.H41";

v1::Unit U(const std::string& code, const std::string& agency, const std::string& name) {
  v1::Unit u;
  u.set_code(code);
  u.set_agency_code(agency);
  u.set_name(name);
  return u;
}

v1::Position P(const std::string& code, const std::string& unit, const std::string& name,
               bool leadership, int max_holders) {
  v1::Position p;
  p.set_code(code);
  p.set_unit_code(unit);
  p.set_name(name);
  p.set_required_rank(v1::RANK_CHUYEN_VIEN);
  p.set_leadership(leadership);
  p.set_max_holders(max_holders);
  return p;
}

v1::Quota Q(const std::string& unit, int year, int quota) {
  v1::Quota q;
  q.set_unit_code(unit);
  q.set_year(year);
  q.set_quota(quota);
  q.set_version(1);
  return q;
}

MergerAssignment A(int64_t person, int64_t record, const std::string& position,
                   const std::string& unit, const std::string& from) {
  MergerAssignment a;
  a.person_id = person;
  a.person_version = 3;
  a.full_name = "Nguyễn Văn A";
  a.record_id = record;
  a.position_code = position;
  a.unit_code = unit;
  a.valid_from = from;
  a.movement = v1::MOVEMENT_ASSIGNMENT;
  return a;
}

// Two communes merged into a third on 2025-07-01: the successor has an office "Văn phòng HĐND
// và UBND" with a culture officer post (2 holders) and a unit whose code the first proposal
// would take.
MergerInput Communes() {
  MergerInput in;
  in.sources = {{kOld, kNew, CivilDay(2025, 7, 1)}, {kOld2, kNew, CivilDay(2025, 7, 1)}};
  in.successor = kNew;
  in.successor_registered = true;
  in.on = CivilDay(2025, 7, 1);
  in.today = CivilDay(2025, 7, 10);
  in.successor_units = {U("000.00.31.H41-VP", kNew, "Văn phòng HĐND và UBND"),
                        U("000.00.31.H41-UB", kNew, "Ban Tiếp công dân")};
  in.successor_positions = {
      P("000.00.31.H41-VP-VH", "000.00.31.H41-VP", "Công chức Văn hóa - Xã hội", false, 2)};
  in.successor_quotas = {Q("000.00.31.H41-VP", 2025, 10)};
  in.taken_unit_codes = {"000.00.31.H41-VP", "000.00.31.H41-UB"};
  in.taken_position_codes = {"000.00.31.H41-VP-VH"};
  // Commune 1: its office (same name, accents and case aside) and a People's Committee unit.
  in.source_units = {U("000.01.31.H41-VP", kOld, "VĂN PHÒNG HĐND  và UBND"),
                     U("000.01.31.H41-UB", kOld, "Ủy ban nhân dân"),
                     U("000.02.31.H41-UB", kOld2, "Ủy ban nhân dân")};
  in.source_positions = {
      P("000.01.31.H41-VP-VH", "000.01.31.H41-VP", "Công chức Văn hóa - Xã hội", false, 1),
      P("000.01.31.H41-UB-CT", "000.01.31.H41-UB", "Chủ tịch UBND", true, 1),
      P("000.01.31.H41-UB-TP", "000.01.31.H41-UB", "Công chức Tư pháp", false, 2),
      P("000.02.31.H41-UB-CT", "000.02.31.H41-UB", "Chủ tịch UBND", true, 1),
      P("000.02.31.H41-UB-TP", "000.02.31.H41-UB", "Công chức Tư pháp", false, 1)};
  in.source_quotas = {Q("000.01.31.H41-VP", 2025, 3), Q("000.01.31.H41-UB", 2025, 5),
                      Q("000.02.31.H41-UB", 2025, 4), Q("000.02.31.H41-UB", 2026, 4)};
  in.in_force = {A(12, 120, "000.01.31.H41-UB-CT", "000.01.31.H41-UB", "2021-06-01"),
                 A(11, 110, "000.01.31.H41-VP-VH", "000.01.31.H41-VP", "2019-01-01"),
                 A(13, 130, "000.02.31.H41-UB-CT", "000.02.31.H41-UB", "2020-01-01")};
  return in;
}

TEST(CadreMergerRulesTest, UnitsFoldByNameOrAreCreatedWithClashesResolved) {
  const auto plan = PlanMerger(Communes());
  EXPECT_EQ(plan.blockers_size(), 0) << plan.DebugString();
  ASSERT_EQ(plan.units_size(), 3);
  // In code order. "000.00.31.H41-UB" is taken by another unit: the new one is "-UB-2",
  // shown as a clash.
  EXPECT_EQ(plan.units(0).from_unit_code(), "000.01.31.H41-UB");
  EXPECT_EQ(plan.units(0).to_unit_code(), "000.00.31.H41-UB-2");
  EXPECT_TRUE(plan.units(0).creates_unit());
  EXPECT_EQ(plan.units(0).clashed_code(), "000.00.31.H41-UB");
  // The office folds into the successor's office (the name compared without case/accents).
  EXPECT_EQ(plan.units(1).from_unit_code(), "000.01.31.H41-VP");
  EXPECT_EQ(plan.units(1).to_unit_code(), "000.00.31.H41-VP");
  EXPECT_FALSE(plan.units(1).creates_unit());
  EXPECT_EQ(plan.units(1).clashed_code(), "");
  // The second commune's committee folds into the unit created for the first one's.
  EXPECT_EQ(plan.units(2).to_unit_code(), "000.00.31.H41-UB-2");
  EXPECT_FALSE(plan.units(2).creates_unit());
}

TEST(CadreMergerRulesTest, PositionsFoldExceptLeadershipAndQuotasAreSummed) {
  const auto plan = PlanMerger(Communes());
  ASSERT_EQ(plan.positions_size(), 5);
  std::map<std::string, v1::MergerPositionMove> by;
  for (const auto& p : plan.positions()) by[p.from_position_code()] = p;
  // The culture post folds into the successor's: 2 + 1 holders.
  EXPECT_EQ(by["000.01.31.H41-VP-VH"].to_position_code(), "000.00.31.H41-VP-VH");
  EXPECT_FALSE(by["000.01.31.H41-VP-VH"].creates_position());
  EXPECT_EQ(by["000.01.31.H41-VP-VH"].max_holders(), 3);
  // Two chairmen: leadership posts never fold, the second code gets a suffix.
  EXPECT_EQ(by["000.01.31.H41-UB-CT"].to_position_code(), "000.00.31.H41-UB-2-CT");
  EXPECT_EQ(by["000.02.31.H41-UB-CT"].to_position_code(), "000.00.31.H41-UB-2-CT-2");
  EXPECT_EQ(by["000.02.31.H41-UB-CT"].clashed_code(), "000.00.31.H41-UB-2-CT");
  EXPECT_TRUE(by["000.02.31.H41-UB-CT"].creates_position());
  // The justice posts fold into one new post of 2 + 1 holders.
  EXPECT_EQ(by["000.01.31.H41-UB-TP"].to_position_code(), "000.00.31.H41-UB-2-TP");
  EXPECT_TRUE(by["000.01.31.H41-UB-TP"].creates_position());
  EXPECT_EQ(by["000.02.31.H41-UB-TP"].to_position_code(), "000.00.31.H41-UB-2-TP");
  EXPECT_FALSE(by["000.02.31.H41-UB-TP"].creates_position());
  EXPECT_EQ(by["000.01.31.H41-UB-TP"].max_holders(), 3);
  EXPECT_EQ(by["000.02.31.H41-UB-TP"].max_holders(), 3);
  // Quotas: the office 10 + 3 = 13 in 2025; the new unit 5 + 4 in 2025 and 4 in 2026.
  ASSERT_EQ(plan.quotas_size(), 3);
  EXPECT_EQ(plan.quotas(0).unit_code(), "000.00.31.H41-UB-2");
  EXPECT_EQ(plan.quotas(0).year(), 2025);
  EXPECT_EQ(plan.quotas(0).quota_before(), 0);
  EXPECT_EQ(plan.quotas(0).quota_after(), 9);
  EXPECT_EQ(plan.quotas(1).year(), 2026);
  EXPECT_EQ(plan.quotas(1).quota_after(), 4);
  EXPECT_EQ(plan.quotas(2).unit_code(), "000.00.31.H41-VP");
  EXPECT_EQ(plan.quotas(2).quota_before(), 10);
  EXPECT_EQ(plan.quotas(2).quota_after(), 13);
}

TEST(CadreMergerRulesTest, PeopleMoveInIdOrderToTheirNewPositions) {
  const auto plan = PlanMerger(Communes());
  ASSERT_EQ(plan.people_size(), 3);
  EXPECT_EQ(plan.people(0).person_id(), 11);
  EXPECT_EQ(plan.people(0).to_position_code(), "000.00.31.H41-VP-VH");
  EXPECT_EQ(plan.people(0).to_unit_code(), "000.00.31.H41-VP");
  EXPECT_EQ(plan.people(1).person_id(), 12);
  EXPECT_EQ(plan.people(1).to_position_code(), "000.00.31.H41-UB-2-CT");
  EXPECT_EQ(plan.people(2).to_position_code(), "000.00.31.H41-UB-2-CT-2");
  EXPECT_EQ(plan.people(2).movement(), "MOVEMENT_ASSIGNMENT");
}

TEST(CadreMergerRulesTest, FingerprintFollowsThePlan) {
  const auto a = PlanMerger(Communes());
  EXPECT_EQ(a.fingerprint().size(), 64u);
  EXPECT_EQ(a.fingerprint(), PlanMerger(Communes()).fingerprint()) << "deterministic";
  EXPECT_EQ(a.fingerprint(), MergerFingerprint(a));
  auto in = Communes();
  in.in_force[0].person_version = 4;  // someone's record changed since
  EXPECT_NE(PlanMerger(in).fingerprint(), a.fingerprint());
  in = Communes();
  in.source_quotas[0].set_quota(4);
  EXPECT_NE(PlanMerger(in).fingerprint(), a.fingerprint());
}

std::vector<std::string> Codes(const v1::MergerPlan& plan) {
  std::vector<std::string> out;
  for (const auto& b : plan.blockers()) out.push_back(b.code());
  return out;
}

TEST(CadreMergerRulesTest, Blockers) {
  auto in = Communes();
  in.successor_registered = false;
  EXPECT_EQ(Codes(PlanMerger(in)), std::vector<std::string>{"SUCCESSOR_NOT_REGISTERED"});
  in = Communes();
  in.sources[1].merged_on.reset();
  EXPECT_EQ(Codes(PlanMerger(in)), std::vector<std::string>{"DATE_MISSING"});
  in = Communes();
  in.sources[0].merged_on = CivilDay(2025, 8, 1);
  EXPECT_EQ(Codes(PlanMerger(in)), std::vector<std::string>{"DATE_MISMATCH"});
  in = Communes();
  in.sources[0].successor = "";
  in.sources[1].successor = "000.00.32.H41";
  EXPECT_EQ(Codes(PlanMerger(in)), (std::vector<std::string>{"NOT_MERGED", "NOT_MERGED"}));
  in = Communes();
  in.sources.clear();
  in.source_units.clear();
  EXPECT_EQ(Codes(PlanMerger(in)), std::vector<std::string>{"NOT_MERGED"});
  // At most 31 days ahead: 2025-07-01 may be applied from 2025-05-31.
  in = Communes();
  in.today = CivilDay(2025, 5, 31);
  EXPECT_TRUE(Codes(PlanMerger(in)).empty());
  in.today = CivilDay(2025, 5, 30);
  EXPECT_EQ(Codes(PlanMerger(in)), std::vector<std::string>{"DATE_TOO_FAR_AHEAD"});
  // A unit already moved: blocked, and its positions and people are not planned again.
  in = Communes();
  in.moved["000.01.31.H41-UB"] = "000.00.31.H41-UB-2";
  const auto moved = PlanMerger(in);
  EXPECT_EQ(Codes(moved), std::vector<std::string>{"UNIT_ALREADY_MOVED"});
  EXPECT_EQ(moved.positions_size(), 3);
  EXPECT_EQ(moved.people_size(), 2);
  // Records from the merger's day, and after it.
  in = Communes();
  in.in_force[0].valid_from = "2025-07-01";
  in.later = {A(14, 140, "000.01.31.H41-UB-TP", "000.01.31.H41-UB", "2025-09-01")};
  EXPECT_EQ(Codes(PlanMerger(in)),
            (std::vector<std::string>{"RECORD_FROM_MERGER_DAY", "RECORD_AFTER_MERGER_DAY"}));
  // A code past 64 characters.
  in = Communes();
  in.source_units[1].set_code(std::string(60, 'X'));
  in.source_units[1].set_name("Tổ công tác");
  in.source_positions.clear();
  in.in_force.clear();
  EXPECT_EQ(Codes(PlanMerger(in)), std::vector<std::string>{"CODE_TOO_LONG"});
}

}  // namespace
}  // namespace localgov::cadre

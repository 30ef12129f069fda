// Agencies come from the liaison service's signed directory: the cadre service knows an agency,
// its name and its merger only from there, and adds who supervises whom (issue 21).
#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "tests/integration/cadre_fixture.h"

namespace localgov::cadre {
namespace {

constexpr const char* kNewCommune = "000.00.41.H41";

class CadreDirectoryTest : public CadreTest {
 protected:
  grpc::Status RegisterAs(const std::string& request_id, const std::string& code,
                          const std::string& name, std::vector<std::string> supervisors) {
    v1::RegisterAgencyRequest req;
    req.set_request_id(request_id);
    req.mutable_agency()->set_code(code);
    req.mutable_agency()->set_name(name);
    for (auto& s : supervisors) req.mutable_agency()->add_supervisor_codes(s);
    v1::RegisterAgencyResponse resp;
    return Call(&v1::CadreService::Stub::RegisterAgency, req, &resp, Role::kAdmin, "000.00.00.H99",
                "admin");
  }
  grpc::Status NewUnit(const std::string& code, const std::string& agency, Role role,
                       const std::string& as_agency) {
    v1::CreateUnitRequest req;
    req.set_request_id("unit-" + code);
    req.mutable_unit()->set_code(code);
    req.mutable_unit()->set_agency_code(agency);
    req.mutable_unit()->set_name("Văn phòng HĐND và UBND");
    v1::CreateUnitResponse resp;
    return Call(&v1::CadreService::Stub::CreateUnit, req, &resp, role, as_agency, "officer");
  }
  // Until `pred` holds (the directory is refreshed every few seconds), at most 20 s.
  template <typename Pred>
  static bool Eventually(Pred pred) {
    for (int i = 0; i < 200 && !pred(); ++i) absl::SleepFor(absl::Milliseconds(100));
    return pred();
  }
};

TEST_F(CadreDirectoryTest, AnAgencyOutsideTheDirectoryIsNotFound) {
  auto st = RegisterAs("r-unknown", "000.00.99.H41", "", {kProvince});
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(absl::StrContains(st.error_message(), "not in the liaison directory"))
      << st.error_message();
  st = NewUnit("X99-VP", "000.00.99.H41", Role::kOfficer, "000.00.99.H41");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND) << st.error_message();
}

TEST_F(CadreDirectoryTest, NameAndMergerAreTheDirectorysAndSupervisionIsRegisteredOnce) {
  DirectoryAgency(kNewCommune, "Ủy ban nhân dân xã Cam Lâm");
  // A name that is not the directory's is refused, naming the field.
  auto st = RegisterAs("r-typo", kNewCommune, "Ủy ban nhân dân xã Cam Lam", {kProvince});
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(st), std::vector<std::string>{"agency.name"});
  // The directory's name, or none, is fine; the supervisors must be agencies of the directory.
  st = RegisterAs("r-bad-sup", kNewCommune, "", {"000.00.98.H41"});
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND) << st.error_message();
  st = RegisterAs("r-ok", kNewCommune, "Ủy ban nhân dân xã Cam Lâm", {kProvince, kHomeAffairs});
  ASSERT_TRUE(st.ok()) << st.error_message();
  st = RegisterAs("r-again", kNewCommune, "", {kProvince});
  EXPECT_EQ(st.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  // The same request again is the same answer.
  EXPECT_TRUE(
      RegisterAs("r-ok", kNewCommune, "Ủy ban nhân dân xã Cam Lâm", {kProvince, kHomeAffairs})
          .ok());
  // Now the Department of Home Affairs manages the new commune's staff.
  EXPECT_TRUE(NewUnit("C41-VP", kNewCommune, Role::kOfficer, kHomeAffairs).ok());
}

TEST_F(CadreDirectoryTest, AnAgencyJustCreatedAtTheLiaisonIsUsableAtOnceByItsOwnOffice) {
  DirectoryAgency(kNewCommune, "Ủy ban nhân dân xã Cam Lâm");
  // No RegisterAgency: its own office may work; no one supervises it yet.
  EXPECT_TRUE(NewUnit("C41-VP", kNewCommune, Role::kOfficer, kNewCommune).ok());
  EXPECT_EQ(NewUnit("C41-KT", kNewCommune, Role::kOfficer, kHomeAffairs).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ListUnitsRequest req;
  req.set_agency_code(kNewCommune);
  v1::ListUnitsResponse resp;
  ASSERT_TRUE(
      Call(&v1::CadreService::Stub::ListUnits, req, &resp, Role::kOfficer, kNewCommune, "officer")
          .ok());
  ASSERT_EQ(resp.units_size(), 1);
}

TEST_F(CadreDirectoryTest, AMergerRecordedAtTheLiaisonMovesTheStaffUnderTheSuccessorFromItsDay) {
  // A commune with one civil servant, merged into the other commune from 2026-04-01
  // (recorded ahead, on 2026-03-02).
  Agency(kNewCommune, "Ủy ban nhân dân xã Cam Lâm", {kProvince, kHomeAffairs}, "", "");
  const v1::Person p = NewPerson("056090000123", "1990-05-04", v1::GENDER_MALE, kNewCommune);
  ASSERT_GT(p.id(), 0);
  liaison::v1::MergeAgencyRequest m;
  m.set_code(kNewCommune);
  m.set_successor_code(kOtherCommune);
  m.set_effective_date("2026-04-01");
  liaison::v1::MergeAgencyResponse mr;
  ASSERT_TRUE(Liaison(&liaison::v1::LiaisonService::Stub::MergeAgency, m, &mr).ok());

  auto read_as_successor = [&] {
    v1::GetPersonRequest req;
    req.set_person_id(p.id());
    v1::GetPersonResponse resp;
    return Call(&v1::CadreService::Stub::GetPerson, req, &resp, Role::kOfficer, kOtherCommune,
                "officer-32")
        .error_code();
  };
  auto successor_lists = [&] {
    v1::ListPeopleRequest req;
    req.set_agency_code(kOtherCommune);
    v1::ListPeopleResponse resp;
    if (!Call(&v1::CadreService::Stub::ListPeople, req, &resp, Role::kOfficer, kOtherCommune,
              "officer-32")
             .ok()) {
      return false;
    }
    for (const auto& q : resp.people()) {
      if (q.id() == p.id()) return true;
    }
    return false;
  };
  // On the day it takes effect (once the directory has reached the service), the successor's
  // office reads and lists the merged commune's staff ...
  clock_.Set(testing::VnTime(2026, 4, 1, 8, 0));
  ASSERT_TRUE(Eventually(successor_lists)) << "the merger never reached the cadre service";
  EXPECT_EQ(read_as_successor(), grpc::StatusCode::OK);
  // ... and not the day before: a merger counts from its effective date.
  clock_.Set(testing::VnTime(2026, 3, 31, 16, 0));
  EXPECT_EQ(read_as_successor(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_FALSE(successor_lists());
}

}  // namespace
}  // namespace localgov::cadre

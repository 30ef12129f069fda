// The cadre service in-process against real PostgreSQL and Redis, with a small province
// registered as it is in production: the agencies, their names and the merger in the real
// liaison service's directory (the cadre service takes them from its signed snapshot), and
// who supervises whom with the cadre service's RegisterAgency. The province: the provincial
// People's Committee, its Department of Home Affairs, two communes supervised by both, and a
// ward merged into the first commune on 2025-07-01.
#ifndef LOCALGOV_TESTS_INTEGRATION_CADRE_FIXTURE_H_
#define LOCALGOV_TESTS_INTEGRATION_CADRE_FIXTURE_H_

#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "localgov/cadre/v1/cadre_service.grpc.pb.h"
#include "localgov/liaison/v1/liaison_service.grpc.pb.h"
#include "services/cadre/cadre_spec.h"
#include "services/liaison/liaison_spec.h"
#include "tests/harness/dates.h"
#include "tests/harness/service_fixture.h"

namespace localgov::cadre {

inline constexpr const char* kProvince = "000.00.00.H41";
inline constexpr const char* kHomeAffairs = "000.00.08.H41";
inline constexpr const char* kCommune = "000.00.31.H41";
inline constexpr const char* kOtherCommune = "000.00.32.H41";
inline constexpr const char* kMergedWard = "000.00.21.H41";

class CadreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto liaison = testing::ServiceUnderTest::Start(liaison::Spec(), {}, &clock_);
    ASSERT_TRUE(liaison.ok()) << liaison.status();
    liaison_ = std::move(*liaison);
    liaison_stub_ = liaison::v1::LiaisonService::NewStub(liaison_->channel());
    auto sut = testing::ServiceUnderTest::Start(
        Spec(),
        [&](ServiceConfig& c) {
          c.peer_addrs["liaison"] = absl::StrCat("127.0.0.1:", liaison_->service().port());
        },
        &clock_);
    ASSERT_TRUE(sut.ok()) << sut.status();
    sut_ = std::move(*sut);
    stub_ = v1::CadreService::NewStub(sut_->channel());
    Agency(kProvince, "Ủy ban nhân dân tỉnh Khánh Hòa", {}, "", "");
    Agency(kHomeAffairs, "Sở Nội vụ tỉnh Khánh Hòa", {kProvince}, "", "");
    Agency(kCommune, "Ủy ban nhân dân phường Nha Trang", {kProvince, kHomeAffairs}, "", "");
    Agency(kOtherCommune, "Ủy ban nhân dân xã Diên Khánh", {kProvince, kHomeAffairs}, "", "");
    Agency(kMergedWard, "Ủy ban nhân dân phường Lộc Thọ", {kProvince, kHomeAffairs}, kCommune,
           "2025-07-01");
    Unit("C31-VP", kCommune, "Văn phòng HĐND và UBND");
    Unit("C32-VP", kOtherCommune, "Văn phòng HĐND và UBND");
    Unit("C21-VP", kMergedWard, "Văn phòng UBND phường Lộc Thọ");
    Position("C31-CT", "C31-VP", "Chủ tịch UBND", v1::RANK_CHUYEN_VIEN_CHINH, true, 1);
    Position("C31-TP", "C31-VP", "Công chức Tư pháp - Hộ tịch", v1::RANK_CHUYEN_VIEN, false, 1);
    Position("C31-VH", "C31-VP", "Công chức Văn hóa - Xã hội", v1::RANK_CHUYEN_VIEN, false, 3);
    Position("C32-VH", "C32-VP", "Công chức Văn hóa - Xã hội", v1::RANK_CHUYEN_VIEN, false, 3);
    Position("C21-VH", "C21-VP", "Công chức Văn hóa - Xã hội", v1::RANK_CHUYEN_VIEN, false, 3);
  }

  // One RPC as `role` at `agency` with `subject`.
  template <typename Req, typename Resp>
  grpc::Status Call(grpc::Status (v1::CadreService::Stub::*method)(grpc::ClientContext*, const Req&,
                                                                   Resp*),
                    const Req& req, Resp* resp, Role role = Role::kOfficer,
                    const std::string& agency = kCommune,
                    const std::string& subject = "officer-31") {
    grpc::ClientContext ctx;
    testing::ServiceUnderTest::Authorize(ctx, role, agency, subject,
                                         role == Role::kCitizen ? "" : office_);
    return (stub_.get()->*method)(&ctx, req, resp);
  }

  static std::vector<std::string> Fields(const grpc::Status& st) {
    std::vector<std::string> out;
    for (const auto& v : FieldViolationsOf(FromGrpcStatus(st))) out.push_back(v.field);
    return out;
  }

  // One liaison RPC as the directory's administrator.
  template <typename Req, typename Resp>
  grpc::Status Liaison(grpc::Status (liaison::v1::LiaisonService::Stub::*method)(
                           grpc::ClientContext*, const Req&, Resp*),
                       const Req& req, Resp* resp) {
    grpc::ClientContext ctx;
    testing::ServiceUnderTest::Authorize(ctx, Role::kAdmin, "000.00.00.H99", "admin");
    return (liaison_stub_.get()->*method)(&ctx, req, resp);
  }

  // The agency in the liaison directory (with its merger), then its supervisors here.
  void DirectoryAgency(const std::string& code, const std::string& name,
                       const std::string& successor = "", const std::string& merged_on = "") {
    liaison::v1::CreateAgencyRequest c;
    c.set_request_id("create-" + code);
    c.mutable_agency()->set_code(code);
    c.mutable_agency()->set_name(name);
    c.mutable_agency()->set_kind(
        code == kProvince      ? liaison::v1::AGENCY_KIND_PROVINCIAL_PEOPLES_COMMITTEE
        : code == kHomeAffairs ? liaison::v1::AGENCY_KIND_PROVINCIAL_DEPARTMENT
                               : liaison::v1::AGENCY_KIND_COMMUNE_PEOPLES_COMMITTEE);
    liaison::v1::CreateAgencyResponse cr;
    auto st = Liaison(&liaison::v1::LiaisonService::Stub::CreateAgency, c, &cr);
    ASSERT_TRUE(st.ok()) << st.error_message();
    if (!successor.empty()) {
      liaison::v1::MergeAgencyRequest m;
      m.set_code(code);
      m.set_successor_code(successor);
      m.set_effective_date(merged_on);
      liaison::v1::MergeAgencyResponse mr;
      st = Liaison(&liaison::v1::LiaisonService::Stub::MergeAgency, m, &mr);
      ASSERT_TRUE(st.ok()) << st.error_message();
    }
  }

  void Agency(const std::string& code, const std::string& name,
              std::vector<std::string> supervisors, const std::string& successor,
              const std::string& merged_on) {
    DirectoryAgency(code, name, successor, merged_on);
    v1::RegisterAgencyRequest req;
    req.set_request_id("agency-" + code);
    req.mutable_agency()->set_code(code);
    for (auto& s : supervisors) req.mutable_agency()->add_supervisor_codes(s);
    v1::RegisterAgencyResponse resp;
    auto st = Call(&v1::CadreService::Stub::RegisterAgency, req, &resp, Role::kAdmin,
                   "000.00.00.H99", "admin");
    ASSERT_TRUE(st.ok()) << st.error_message();
  }

  void Unit(const std::string& code, const std::string& agency, const std::string& name) {
    v1::CreateUnitRequest req;
    req.set_request_id("unit-" + code);
    req.mutable_unit()->set_code(code);
    req.mutable_unit()->set_agency_code(agency);
    req.mutable_unit()->set_name(name);
    v1::CreateUnitResponse resp;
    auto st = Call(&v1::CadreService::Stub::CreateUnit, req, &resp, Role::kOfficer, kHomeAffairs,
                   "doha-officer");
    ASSERT_TRUE(st.ok()) << st.error_message();
  }

  void Position(const std::string& code, const std::string& unit, const std::string& name,
                v1::Rank rank, bool leadership, int max_holders) {
    v1::CreatePositionRequest req;
    req.set_request_id("position-" + code);
    auto* p = req.mutable_position();
    p->set_code(code);
    p->set_unit_code(unit);
    p->set_name(name);
    p->set_required_rank(rank);
    p->set_required_professional_level(v1::PROFESSIONAL_LEVEL_UNIVERSITY);
    p->set_leadership(leadership);
    p->set_max_holders(max_holders);
    v1::CreatePositionResponse resp;
    auto st = Call(&v1::CadreService::Stub::CreatePosition, req, &resp, Role::kOfficer,
                   kHomeAffairs, "doha-officer");
    ASSERT_TRUE(st.ok()) << st.error_message();
  }

  // A person of `agency`: citizen IDs 056 (Khánh Hòa) + century/gender + year + serial.
  v1::Person NewPerson(const std::string& citizen_id, const std::string& birth, v1::Gender gender,
                       const std::string& agency = kCommune,
                       v1::PersonKind kind = v1::PERSON_KIND_CIVIL_SERVANT) {
    v1::CreatePersonRequest req;
    req.set_request_id("person-" + citizen_id);
    auto* p = req.mutable_person();
    p->set_kind(kind);
    p->set_citizen_id(citizen_id);
    p->set_full_name("Nguyễn Thị Lan");
    p->set_birth_date(birth);
    p->set_gender(gender);
    p->set_ethnicity("Kinh");
    p->set_agency_code(agency);
    v1::CreatePersonResponse resp;
    auto st = Call(&v1::CadreService::Stub::CreatePerson, req, &resp, Role::kOfficer, kProvince,
                   "province-officer");
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.person();
  }

  grpc::Status Assign(int64_t person, int64_t version, const std::string& position,
                      v1::Movement movement, const std::string& from, const std::string& until,
                      v1::RecordAssignmentResponse* resp, const std::string& agency = kCommune) {
    v1::RecordAssignmentRequest req;
    req.set_person_id(person);
    req.set_expected_version(version);
    req.set_position_code(position);
    req.set_movement(movement);
    req.set_valid_from(from);
    req.set_valid_until(until);
    req.set_reason("Quyết định số 12/QĐ-UBND");
    return Call(&v1::CadreService::Stub::RecordAssignment, req, resp, Role::kOfficer, agency);
  }

  static v1::RecordRankRequest RankRequest(int64_t person, int64_t version, int step,
                                           int coefficient, const std::string& from) {
    v1::RecordRankRequest req;
    req.set_person_id(person);
    req.set_expected_version(version);
    req.set_rank(v1::RANK_CHUYEN_VIEN);
    req.set_grade_code("01.003");
    req.set_step(step);
    req.set_coefficient_x100(coefficient);
    req.set_valid_from(from);
    return req;
  }

  grpc::Status Rank(int64_t person, int64_t version, int step, int coefficient,
                    const std::string& from, v1::RecordRankResponse* resp) {
    return Call(&v1::CadreService::Stub::RecordRank,
                RankRequest(person, version, step, coefficient, from), resp);
  }

  v1::Person Get(int64_t person, const std::string& as_of,
                 std::optional<absl::Time> known_at = std::nullopt) {
    v1::GetPersonRequest req;
    req.set_person_id(person);
    req.set_as_of(as_of);
    if (known_at.has_value()) {
      *req.mutable_known_at() =
          google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(*known_at));
    }
    v1::GetPersonResponse resp;
    auto st = Call(&v1::CadreService::Stub::GetPerson, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.person();
  }

  FakeClock clock_{testing::VnTime(2026, 3, 2, 9, 0)};
  // The office the staff tokens of Call name (the personnel office unless a test changes it).
  std::string office_ = "personnel";
  std::unique_ptr<testing::ServiceUnderTest> liaison_;
  std::unique_ptr<liaison::v1::LiaisonService::Stub> liaison_stub_;
  std::unique_ptr<testing::ServiceUnderTest> sut_;
  std::unique_ptr<v1::CadreService::Stub> stub_;
};

}  // namespace localgov::cadre

#endif  // LOCALGOV_TESTS_INTEGRATION_CADRE_FIXTURE_H_

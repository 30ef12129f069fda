// The cadre service: bad input, access by agency and to one's own record, idempotent creates
// and concurrent changes, against real PostgreSQL.
#include <atomic>
#include <thread>

#include "pqxx/pqxx"
#include "spdlog/sinks/ringbuffer_sink.h"
#include "spdlog/spdlog.h"
#include "tests/integration/cadre_fixture.h"

namespace localgov::cadre {
namespace {

int64_t Count(const std::string& url, const std::string& sql) {
  pqxx::connection conn(url);
  pqxx::work tx(conn);
  return tx.exec(sql)[0][0].as<int64_t>();
}

TEST_F(CadreTest, BadInputIsInvalidArgumentNamingEveryFieldAndWritesNothing) {
  v1::CreatePersonRequest req;
  req.set_request_id("bad-1");
  auto* p = req.mutable_person();
  p->set_kind(v1::PERSON_KIND_CIVIL_SERVANT);
  p->set_citizen_id("05618500001");  // 11 digits
  p->set_full_name("Trần Văn Bình");
  p->set_birth_date("1985-02-30");
  p->set_gender(v1::GENDER_MALE);
  p->set_agency_code(kCommune);
  v1::CreatePersonResponse resp;
  auto st = Call(&v1::CadreService::Stub::CreatePerson, req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"person.birth_date", "person.citizen_id"}));
  EXPECT_EQ(st.error_message().find("05618500001"), std::string::npos) << "never quoted";
  // A citizen ID that disagrees with the birth year and the gender; an unknown province.
  p->set_birth_date("1985-02-28");
  p->set_citizen_id("056190000001");
  st = Call(&v1::CadreService::Stub::CreatePerson, req, &resp);
  EXPECT_EQ(Fields(st), std::vector<std::string>{"person.citizen_id"});
  p->set_citizen_id("003085000001");
  st = Call(&v1::CadreService::Stub::CreatePerson, req, &resp);
  EXPECT_EQ(Fields(st), std::vector<std::string>{"person.citizen_id"});
  p->set_citizen_id("05608500000x");
  st = Call(&v1::CadreService::Stub::CreatePerson, req, &resp);
  EXPECT_EQ(Fields(st), std::vector<std::string>{"person.citizen_id"});
  EXPECT_EQ(Count(sut_->config().database_url, "SELECT count(*) FROM cadre_people"), 0);

  auto person = NewPerson("056085000061", "1985-02-28", v1::GENDER_MALE);
  v1::RecordAssignmentResponse ar;
  st = Assign(person.id(), 1, "C31-TP", v1::MOVEMENT_ASSIGNMENT, "2026-05-01", "2026-04-01", &ar);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(st), std::vector<std::string>{"valid_until"});
  st = Assign(person.id(), 0, "", v1::MOVEMENT_UNSPECIFIED, "2026-13-01", "", &ar);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"expected_version", "position_code", "movement",
                                                  "valid_from"}));
  v1::RecordRankRequest rank;
  rank.set_person_id(person.id());
  rank.set_expected_version(1);
  rank.set_step(0);
  rank.set_coefficient_x100(50);
  rank.set_valid_from("yesterday");
  v1::RecordRankResponse rr;
  st = Call(&v1::CadreService::Stub::RecordRank, rank, &rr);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"rank", "grade_code", "step", "coefficient_x100",
                                                  "valid_from"}));
  v1::AddQualificationRequest q;
  q.set_person_id(person.id());
  q.set_expected_version(1);
  q.mutable_qualification()->set_category(v1::QUALIFICATION_CATEGORY_PROFESSIONAL);
  q.mutable_qualification()->set_level(9);
  q.mutable_qualification()->set_awarded_date("2099-01-01");
  v1::AddQualificationResponse qr;
  st = Call(&v1::CadreService::Stub::AddQualification, q, &qr);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(st),
            (std::vector<std::string>{"qualification.level", "qualification.awarded_date"}));
  v1::CorrectHistoryRequest c;
  c.set_person_id(person.id());
  c.set_expected_version(1);
  v1::CorrectHistoryResponse cr;
  st = Call(&v1::CadreService::Stub::CorrectHistory, c, &cr);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"record_id", "reason", "corrected"}));
  v1::GetRosterRequest roster;
  roster.set_as_of("2020-1-1");
  v1::GetRosterResponse rosr;
  st = Call(&v1::CadreService::Stub::GetRoster, roster, &rosr);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"unit_code", "as_of"}));
  // Nothing of it was written: the person is where they were.
  EXPECT_EQ(Get(person.id(), "2026-03-02").version(), 1);
  EXPECT_EQ(Count(sut_->config().database_url, "SELECT count(*) FROM cadre_history"), 0);
  EXPECT_EQ(Count(sut_->config().database_url, "SELECT count(*) FROM cadre_qualifications"), 0);
}

TEST_F(CadreTest, BadSetupInputIsInvalidArgumentForEveryWrite) {
  v1::RegisterAgencyRequest agency;
  agency.mutable_agency()->add_supervisor_codes("");
  agency.mutable_agency()->set_successor_code(kCommune);
  v1::RegisterAgencyResponse ar;
  auto st = Call(&v1::CadreService::Stub::RegisterAgency, agency, &ar, Role::kAdmin,
                 "000.00.00.H99", "admin");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(st),
            (std::vector<std::string>{"request_id", "agency.code", "agency.supervisor_codes[0]",
                                      "agency.merged_on"}));
  v1::CreateUnitRequest unit;
  unit.set_request_id("u-bad");
  unit.mutable_unit()->set_code("C31-X");
  v1::CreateUnitResponse ur;
  st = Call(&v1::CadreService::Stub::CreateUnit, unit, &ur);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"unit.agency_code", "unit.name"}));
  v1::CreatePositionRequest pos;
  pos.set_request_id("p-bad");
  pos.mutable_position()->set_code("C31-VP-X");
  pos.mutable_position()->set_unit_code("C31-VP");
  pos.mutable_position()->set_leadership(true);
  pos.mutable_position()->set_max_holders(2);
  v1::CreatePositionResponse pr;
  st = Call(&v1::CadreService::Stub::CreatePosition, pos, &pr);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"position.name", "position.required_rank",
                                                  "position.max_holders"}));
  v1::SetQuotaRequest quota;
  quota.set_unit_code("C31-VP");
  quota.set_year(1999);
  quota.set_quota(100001);
  v1::SetQuotaResponse qr;
  st = Call(&v1::CadreService::Stub::SetQuota, quota, &qr);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"year", "quota"}));
  // A unit of another agency as parent; a position in an unknown unit.
  unit.mutable_unit()->set_agency_code(kCommune);
  unit.mutable_unit()->set_name("Tổ công tác");
  unit.mutable_unit()->set_parent_code("C32-VP");
  st = Call(&v1::CadreService::Stub::CreateUnit, unit, &ur);
  EXPECT_EQ(Fields(st), std::vector<std::string>{"unit.parent_code"});
  pos.mutable_position()->set_name("Phó Chủ tịch");
  pos.mutable_position()->set_required_rank(v1::RANK_CHUYEN_VIEN);
  pos.mutable_position()->set_max_holders(1);
  pos.mutable_position()->set_unit_code("NO-SUCH-UNIT");
  st = Call(&v1::CadreService::Stub::CreatePosition, pos, &pr);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(
      Count(sut_->config().database_url, "SELECT count(*) FROM cadre_units WHERE code = 'C31-X'"),
      0);
}

TEST_F(CadreTest, AnotherAgencysPersonnelOfficeIsDeniedAndSupervisorsAreNot) {
  auto p = NewPerson("056185000071", "1985-01-01", v1::GENDER_FEMALE);
  v1::GetPersonRequest get;
  get.set_person_id(p.id());
  v1::GetPersonResponse resp;
  // The other commune's officer: denied, to read and to write.
  auto st = Call(&v1::CadreService::Stub::GetPerson, get, &resp, Role::kOfficer, kOtherCommune,
                 "officer-32");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::RecordRankRequest rank;
  rank.set_person_id(p.id());
  rank.set_expected_version(1);
  rank.set_rank(v1::RANK_CHUYEN_VIEN);
  rank.set_grade_code("01.003");
  rank.set_step(1);
  rank.set_coefficient_x100(234);
  rank.set_valid_from("2024-01-01");
  v1::RecordRankResponse rr;
  st = Call(&v1::CadreService::Stub::RecordRank, rank, &rr, Role::kOfficer, kOtherCommune);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::ListPeopleRequest list;
  list.set_agency_code(kCommune);
  v1::ListPeopleResponse lr;
  st = Call(&v1::CadreService::Stub::ListPeople, list, &lr, Role::kLeader, kOtherCommune);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // An admin and an inspector are not personnel offices.
  st = Call(&v1::CadreService::Stub::GetPerson, get, &resp, Role::kAdmin, kProvince);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  st = Call(&v1::CadreService::Stub::ListPeople, list, &lr, Role::kInspector, kCommune);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // Another office of the commune itself (the one-stop counter), or a token naming no office,
  // is not its personnel office: denied, to read and to write.
  for (const std::string office : {"one-stop", ""}) {
    office_ = office;
    st = Call(&v1::CadreService::Stub::GetPerson, get, &resp, Role::kOfficer, kCommune);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << office;
    st = Call(&v1::CadreService::Stub::RecordRank, rank, &rr, Role::kLeader, kCommune);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << office;
  }
  office_ = "personnel";
  // The commune's own office, the Department of Home Affairs and the province may.
  for (const char* agency : {kCommune, kHomeAffairs, kProvince}) {
    st = Call(&v1::CadreService::Stub::GetPerson, get, &resp, Role::kOfficer, agency);
    EXPECT_TRUE(st.ok()) << agency << ": " << st.error_message();
    EXPECT_EQ(resp.person().citizen_id(), "056185000071");
  }
  st = Call(&v1::CadreService::Stub::ListPeople, list, &lr, Role::kOfficer, kHomeAffairs);
  ASSERT_TRUE(st.ok());
  ASSERT_EQ(lr.people_size(), 1);
  EXPECT_EQ(lr.people(0).citizen_id(), "********0071");
  // A commune does not manage the province's staff.
  auto boss = NewPerson("056070000072", "1970-01-01", v1::GENDER_MALE, kProvince);
  get.set_person_id(boss.id());
  st = Call(&v1::CadreService::Stub::GetPerson, get, &resp, Role::kOfficer, kCommune);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(CadreTest, APersonReadsTheirOwnRecordAndNoOneElses) {
  auto me = NewPerson("056185000081", "1985-01-01", v1::GENDER_FEMALE);
  auto other = NewPerson("056090000082", "1990-01-01", v1::GENDER_MALE);
  v1::GetPersonRequest get;
  get.set_self(true);
  v1::GetPersonResponse resp;
  auto st =
      Call(&v1::CadreService::Stub::GetPerson, get, &resp, Role::kCitizen, "", "056185000081");
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(resp.person().id(), me.id());
  get.set_self(false);
  get.set_person_id(me.id());
  st = Call(&v1::CadreService::Stub::GetPerson, get, &resp, Role::kCitizen, "", "056185000081");
  EXPECT_TRUE(st.ok()) << st.error_message();
  v1::GetPersonHistoryRequest h;
  h.set_person_id(me.id());
  v1::GetPersonHistoryResponse hr;
  st = Call(&v1::CadreService::Stub::GetPersonHistory, h, &hr, Role::kCitizen, "", "056185000081");
  EXPECT_TRUE(st.ok()) << st.error_message();
  // Someone else's record does not exist for a citizen.
  get.set_person_id(other.id());
  st = Call(&v1::CadreService::Stub::GetPerson, get, &resp, Role::kCitizen, "", "056185000081");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  // A citizen cannot write, not even their own record.
  v1::RecordRankRequest rank;
  rank.set_person_id(me.id());
  rank.set_expected_version(1);
  v1::RecordRankResponse rr;
  st = Call(&v1::CadreService::Stub::RecordRank, rank, &rr, Role::kCitizen, "", "056185000081");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(CadreTest, CreatesAreIdempotentByRequestId) {
  v1::CreatePersonRequest req;
  req.set_request_id("create-once");
  auto* p = req.mutable_person();
  p->set_kind(v1::PERSON_KIND_CIVIL_SERVANT);
  p->set_citizen_id("056185000091");
  p->set_full_name("Lê Thị Hoa");
  p->set_birth_date("1985-03-03");
  p->set_gender(v1::GENDER_FEMALE);
  p->set_agency_code(kCommune);
  v1::CreatePersonResponse first, again;
  ASSERT_TRUE(Call(&v1::CadreService::Stub::CreatePerson, req, &first).ok());
  ASSERT_TRUE(Call(&v1::CadreService::Stub::CreatePerson, req, &again).ok());
  EXPECT_EQ(first.person().id(), again.person().id());
  p->set_full_name("Lê Thị Hoà");
  auto st = Call(&v1::CadreService::Stub::CreatePerson, req, &again);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  req.set_request_id("create-twice");
  st = Call(&v1::CadreService::Stub::CreatePerson, req, &again);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::ALREADY_EXISTS) << "one record per citizen ID";
}

TEST_F(CadreTest, TwoOfficersChangingOnePersonTheStaleOneIsAborted) {
  auto p = NewPerson("056185000101", "1985-01-01", v1::GENDER_FEMALE);
  v1::RecordRankResponse r;
  ASSERT_TRUE(Rank(p.id(), 1, 1, 234, "2020-01-01", &r).ok());
  // Both read version 2; the first writes, the second is told to read again.
  ASSERT_TRUE(Rank(p.id(), 2, 2, 267, "2023-01-01", &r).ok());
  auto st = Rank(p.id(), 2, 3, 300, "2026-01-01", &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::ABORTED) << st.error_message();
  // At the same moment: exactly one of several writers at one version wins.
  std::atomic<int> ok{0}, aborted{0};
  std::vector<std::thread> writers;
  for (int i = 0; i < 4; ++i) {
    writers.emplace_back([&, i] {
      v1::RecordAssignmentResponse ar;
      auto s = Assign(p.id(), 3, "C31-VH", v1::MOVEMENT_ASSIGNMENT,
                      absl::StrCat("2024-0", i + 1, "-01"), "", &ar);
      if (s.ok()) ++ok;
      if (s.error_code() == grpc::StatusCode::ABORTED) ++aborted;
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(aborted.load(), 3);
  EXPECT_EQ(Count(sut_->config().database_url, "SELECT count(*) FROM cadre_history WHERE kind = 1"),
            1);
}

TEST_F(CadreTest, LogsNeverCarryACitizenIdOrAName) {
  auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(10000);
  auto logger = spdlog::default_logger();
  logger->sinks().push_back(sink);
  const auto level = logger->level();
  logger->set_level(spdlog::level::trace);
  auto p = NewPerson("056185000111", "1985-01-01", v1::GENDER_FEMALE);
  v1::CreatePersonRequest bad;
  bad.set_request_id("bad-log");
  bad.mutable_person()->set_citizen_id("056185999999x");
  bad.mutable_person()->set_full_name("Nguyễn Thị Lan");
  v1::CreatePersonResponse resp;
  EXPECT_FALSE(Call(&v1::CadreService::Stub::CreatePerson, bad, &resp).ok());
  v1::GetPersonRequest get;
  get.set_self(true);
  v1::GetPersonResponse got;
  EXPECT_TRUE(
      Call(&v1::CadreService::Stub::GetPerson, get, &got, Role::kCitizen, "", "056185000111").ok());
  EXPECT_FALSE(
      Call(&v1::CadreService::Stub::GetPerson, get, &got, Role::kCitizen, "", "056185000112").ok());
  logger->set_level(level);
  logger->sinks().pop_back();
  const auto lines = sink->last_formatted();
  EXPECT_FALSE(lines.empty()) << "the calls were logged";
  for (const auto& line : lines) {
    EXPECT_EQ(line.find("05618500011"), std::string::npos) << line;
    EXPECT_EQ(line.find("056185999999"), std::string::npos) << line;
    EXPECT_EQ(line.find("Nguyễn Thị Lan"), std::string::npos) << line;
  }
}

}  // namespace
}  // namespace localgov::cadre

namespace localgov::cadre {
namespace {

TEST_F(CadreTest, ListUnitsPagesAnAgencysUnitsWithItsMergedWardsAndDeniesOthers) {
  v1::ListUnitsRequest req;
  req.set_agency_code(kCommune);
  req.set_page_size(1);
  std::vector<std::string> codes;
  for (int page = 0; page < 5; ++page) {
    v1::ListUnitsResponse resp;
    auto st = Call(&v1::CadreService::Stub::ListUnits, req, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    for (const auto& u : resp.units()) codes.push_back(u.code());
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  // The commune's own unit and the unit of the ward merged into it, in code order.
  EXPECT_EQ(codes, (std::vector<std::string>{"C21-VP", "C31-VP"}));

  v1::ListUnitsRequest bad;
  bad.set_page_size(5000);
  bad.set_page_token("not-a-token");
  v1::ListUnitsResponse resp;
  auto st = Call(&v1::CadreService::Stub::ListUnits, bad, &resp);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields;
  for (const auto& v : FieldViolationsOf(FromGrpcStatus(st))) fields.push_back(v.field);
  for (const char* f : {"agency_code", "page_size", "page_token"}) {
    EXPECT_NE(std::find(fields.begin(), fields.end(), f), fields.end()) << f;
  }

  v1::ListUnitsRequest other;
  other.set_agency_code(kCommune);
  EXPECT_EQ(Call(&v1::CadreService::Stub::ListUnits, other, &resp, Role::kOfficer, kOtherCommune)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(
      Call(&v1::CadreService::Stub::ListUnits, other, &resp, Role::kOfficer, kHomeAffairs).ok());
}

}  // namespace
}  // namespace localgov::cadre

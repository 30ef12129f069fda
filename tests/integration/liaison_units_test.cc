// The exchange directory beyond agencies: administrative units and their succession (the
// 2025-07-01 reorganisation), agency listing, and the signed snapshot other services cache.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/calendar/calendar.h"
#include "common/crypto.h"
#include "common/directory_snapshot.h"
#include "common/redis/redis.h"
#include "common/status.h"
#include "gtest/gtest.h"
#include "localgov/liaison/v1/liaison_service.grpc.pb.h"
#include "pqxx/pqxx"
#include "services/liaison/liaison_spec.h"
#include "tests/harness/servers.h"
#include "tests/harness/service_fixture.h"

namespace localgov::liaison {
namespace {

using testing::ServiceUnderTest;
using testing::TestIssuer;

class UnitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sut = ServiceUnderTest::Start(Spec());
    ASSERT_TRUE(sut.ok()) << sut.status();
    sut_ = std::move(*sut);
    stub_ = v1::LiaisonService::NewStub(sut_->channel());
  }

  template <typename Req, typename Resp>
  grpc::Status Call(grpc::Status (v1::LiaisonService::Stub::*m)(grpc::ClientContext*, const Req&,
                                                                Resp*),
                    const Req& req, Resp* out, Role role = Role::kAdmin) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, role, "000.00.00.H99", "admin-1");
    return ((*stub_).*m)(&ctx, req, out);
  }

  grpc::Status Unit(const std::string& code, const std::string& name, v1::UnitLevel level,
                    const std::string& parent, const std::string& from,
                    const std::string& until = "") {
    v1::CreateAdministrativeUnitRequest req;
    req.set_request_id("unit-" + code);
    auto* u = req.mutable_unit();
    u->set_code(code);
    u->set_name(name);
    u->set_level(level);
    u->set_parent_code(parent);
    u->set_valid_from(from);
    u->set_valid_until(until);
    v1::CreateAdministrativeUnitResponse resp;
    return Call(&v1::LiaisonService::Stub::CreateAdministrativeUnit, req, &resp);
  }

  grpc::Status Succession(v1::SuccessionKind kind, std::vector<std::string> from,
                          std::vector<std::string> to, const std::string& day,
                          v1::RecordUnitSuccessionResponse* out = nullptr,
                          Role role = Role::kAdmin) {
    v1::RecordUnitSuccessionRequest req;
    req.set_kind(kind);
    for (const auto& c : from) req.add_predecessor_codes(c);
    for (const auto& c : to) req.add_successor_codes(c);
    req.set_effective_date(day);
    v1::RecordUnitSuccessionResponse resp;
    auto st = Call(&v1::LiaisonService::Stub::RecordUnitSuccession, req, &resp, role);
    if (out != nullptr) *out = resp;
    return st;
  }

  std::vector<std::string> Codes(const v1::ListAdministrativeUnitsRequest& req) {
    v1::ListAdministrativeUnitsResponse resp;
    auto st = Call(&v1::LiaisonService::Stub::ListAdministrativeUnits, req, &resp, Role::kOfficer);
    EXPECT_TRUE(st.ok()) << st.error_message();
    std::vector<std::string> out;
    for (const auto& u : resp.units()) out.push_back(u.code());
    return out;
  }

  // Khánh Hòa before and after 2025-07-01: the district of Nha Trang ends, three of its wards
  // merge into the new ward of Nha Trang, which belongs to the province directly.
  void SeedNhaTrang() {
    ASSERT_TRUE(Unit("56", "Tỉnh Khánh Hòa", v1::UNIT_LEVEL_PROVINCE, "", "1989-07-01").ok());
    ASSERT_TRUE(Unit("568", "Thành phố Nha Trang", v1::UNIT_LEVEL_DISTRICT, "56", "1989-07-01",
                     "2025-07-01")
                    .ok());
    for (const auto& [code, name] :
         std::vector<std::pair<std::string, std::string>>{{"22330", "Phường Lộc Thọ"},
                                                          {"22336", "Phường Phước Tiến"},
                                                          {"22339", "Phường Tân Lập"}}) {
      ASSERT_TRUE(Unit(code, name, v1::UNIT_LEVEL_COMMUNE, "568", "1989-07-01").ok());
    }
    ASSERT_TRUE(Unit("22333", "Phường Nha Trang", v1::UNIT_LEVEL_COMMUNE, "56", "2025-07-01").ok());
    auto st = Succession(v1::SUCCESSION_KIND_MERGED_INTO, {"22330", "22336", "22339"}, {"22333"},
                         "2025-07-01");
    ASSERT_TRUE(st.ok()) << st.error_message();
  }

  // ResolveAdministrativeUnit, as an officer.
  grpc::Status Resolve(const std::string& code, v1::ResolveAdministrativeUnitResponse* r) {
    v1::ResolveAdministrativeUnitRequest resolve;
    resolve.set_code(code);
    return Call(&v1::LiaisonService::Stub::ResolveAdministrativeUnit, resolve, r, Role::kOfficer);
  }

  int64_t Count(const std::string& sql) {
    pqxx::connection conn(sut_->config().database_url);
    pqxx::nontransaction tx(conn);
    return tx.exec(sql)[0][0].as<int64_t>();
  }

  std::unique_ptr<ServiceUnderTest> sut_;
  std::unique_ptr<v1::LiaisonService::Stub> stub_;
};

TEST_F(UnitsTest, AMergerEndsTheWardsAndTheirCodesResolveToTheNewWard) {
  SeedNhaTrang();
  v1::GetAdministrativeUnitRequest get;
  get.set_code("22330");
  v1::GetAdministrativeUnitResponse old_ward;
  ASSERT_TRUE(
      Call(&v1::LiaisonService::Stub::GetAdministrativeUnit, get, &old_ward, Role::kOfficer).ok());
  EXPECT_EQ(old_ward.unit().valid_until(), "2025-07-01");
  ASSERT_EQ(old_ward.successors_size(), 1);
  EXPECT_EQ(old_ward.successors(0).successor_code(), "22333");
  EXPECT_EQ(old_ward.successors(0).kind(), v1::SUCCESSION_KIND_MERGED_INTO);

  get.set_code("22333");
  v1::GetAdministrativeUnitResponse new_ward;
  ASSERT_TRUE(
      Call(&v1::LiaisonService::Stub::GetAdministrativeUnit, get, &new_ward, Role::kOfficer).ok());
  EXPECT_EQ(new_ward.predecessors_size(), 3);
  EXPECT_EQ(new_ward.unit().parent_code(), "56");

  v1::ResolveAdministrativeUnitResponse r;
  ASSERT_TRUE(Resolve("22336", &r).ok());
  ASSERT_EQ(r.current_size(), 1);
  EXPECT_EQ(r.current(0).code(), "22333");
  ASSERT_EQ(r.path_size(), 1);
  EXPECT_EQ(r.path(0).effective_date(), "2025-07-01");

  // The district's wards on the eve of the reform; none today; all with history.
  v1::ListAdministrativeUnitsRequest list;
  list.set_parent_code("568");
  list.set_on_date("2025-06-30");
  EXPECT_EQ(Codes(list), (std::vector<std::string>{"22330", "22336", "22339"}));
  list.clear_on_date();
  EXPECT_TRUE(Codes(list).empty());
  list.set_include_history(true);
  EXPECT_EQ(Codes(list).size(), 3u);
  v1::ListAdministrativeUnitsRequest communes;
  communes.set_level(v1::UNIT_LEVEL_COMMUNE);
  EXPECT_EQ(Codes(communes), (std::vector<std::string>{"22333"}));
  communes.set_on_date("2025-07-01");  // the first day of the new ward
  EXPECT_EQ(Codes(communes), (std::vector<std::string>{"22333"}));

  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = "
                  "'liaison.RecordUnitSuccession'"),
            1);
}

TEST_F(UnitsTest, ASplitAfterAMergerResolvesToEveryUnitInExistenceToday) {
  SeedNhaTrang();
  ASSERT_TRUE(
      Unit("22341", "Phường Nha Trang Bắc", v1::UNIT_LEVEL_COMMUNE, "56", "2026-01-01").ok());
  ASSERT_TRUE(
      Unit("22342", "Phường Nha Trang Nam", v1::UNIT_LEVEL_COMMUNE, "56", "2026-01-01").ok());
  ASSERT_TRUE(
      Succession(v1::SUCCESSION_KIND_SPLIT_INTO, {"22333"}, {"22341", "22342"}, "2026-01-01").ok());
  v1::ResolveAdministrativeUnitResponse r;
  ASSERT_TRUE(Resolve("22330", &r).ok());
  ASSERT_EQ(r.current_size(), 2);
  EXPECT_EQ(r.current(0).code(), "22341");
  EXPECT_EQ(r.current(1).code(), "22342");
  EXPECT_EQ(r.path_size(), 3);  // 22330 > 22333, 22333 > 22341, 22333 > 22342
}

// A succession recorded ahead of its date is not followed before it: today the ward still
// answers for itself.
TEST_F(UnitsTest, ASuccessionRecordedAheadOfItsDateIsNotFollowedBeforeIt) {
  SeedNhaTrang();
  const std::string tomorrow = absl::FormatCivilTime(calendar::VietnamDay(absl::Now()) + 1);
  ASSERT_TRUE(Unit("22341", "Phường Nha Trang Bắc", v1::UNIT_LEVEL_COMMUNE, "56", tomorrow).ok());
  ASSERT_TRUE(Unit("22342", "Phường Nha Trang Nam", v1::UNIT_LEVEL_COMMUNE, "56", tomorrow).ok());
  ASSERT_TRUE(
      Succession(v1::SUCCESSION_KIND_SPLIT_INTO, {"22333"}, {"22341", "22342"}, tomorrow).ok());
  v1::ResolveAdministrativeUnitResponse r;
  ASSERT_TRUE(Resolve("22330", &r).ok());
  ASSERT_EQ(r.current_size(), 1);
  EXPECT_EQ(r.current(0).code(), "22333") << "in existence today, until tomorrow";
  EXPECT_EQ(r.path_size(), 1);  // 22330 > 22333 only
}

TEST_F(UnitsTest, BadUnitsAndSuccessionsAreRefusedWithTheirReasonsAndWriteNothing) {
  SeedNhaTrang();
  const int64_t units = Count("SELECT count(*) FROM administrative_units");
  const int64_t links = Count("SELECT count(*) FROM unit_successions");

  v1::CreateAdministrativeUnitRequest bad;
  bad.set_request_id("bad-1");
  bad.mutable_unit()->set_code("223");  // a district's length for a commune
  bad.mutable_unit()->set_level(v1::UNIT_LEVEL_COMMUNE);
  bad.mutable_unit()->set_valid_from("2025-02-30");
  bad.mutable_unit()->set_valid_until("2024-1-1");
  v1::CreateAdministrativeUnitResponse out;
  auto st = FromGrpcStatus(Call(&v1::LiaisonService::Stub::CreateAdministrativeUnit, bad, &out));
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  for (const char* field :
       {"unit.code", "unit.name", "unit.parent_code", "unit.valid_from", "unit.valid_until"}) {
    EXPECT_NE(std::string(st.message()).find(field), std::string::npos) << field << ": " << st;
  }
  // A commune under a commune; an unknown parent.
  EXPECT_EQ(Unit("22400", "Xã Con", v1::UNIT_LEVEL_COMMUNE, "22333", "2025-07-01").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Unit("22401", "Xã Mồ Côi", v1::UNIT_LEVEL_COMMUNE, "99", "2025-07-01").error_code(),
            grpc::StatusCode::NOT_FOUND);
  // A ward that already ended cannot merge again; a successor must exist on the day.
  EXPECT_EQ(
      Succession(v1::SUCCESSION_KIND_MERGED_INTO, {"22330"}, {"22333"}, "2026-01-01").error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(Unit("22350", "Phường Mới", v1::UNIT_LEVEL_COMMUNE, "56", "2027-01-01").ok());
  ASSERT_TRUE(Unit("22351", "Phường Cũ", v1::UNIT_LEVEL_COMMUNE, "56", "2025-07-01").ok());
  EXPECT_EQ(
      Succession(v1::SUCCESSION_KIND_MERGED_INTO, {"22351"}, {"22350"}, "2026-01-01").error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
  // Shape: a split needs two successors; a unit listed on both sides.
  st = FromGrpcStatus(
      Succession(v1::SUCCESSION_KIND_SPLIT_INTO, {"22351"}, {"22351"}, "2026-13-01"));
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  for (const char* field : {"successor_codes", "successor_codes[0]", "effective_date"}) {
    EXPECT_NE(std::string(st.message()).find(field), std::string::npos) << field << ": " << st;
  }
  // Officers may read, not change.
  EXPECT_EQ(Succession(v1::SUCCESSION_KIND_MERGED_INTO, {"22351"}, {"22333"}, "2026-01-01", nullptr,
                       Role::kOfficer)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  EXPECT_EQ(Count("SELECT count(*) FROM administrative_units"), units + 2);
  EXPECT_EQ(Count("SELECT count(*) FROM unit_successions"), links);
  EXPECT_EQ(Count("SELECT count(*) FROM administrative_units WHERE code = '22351'"
                  " AND valid_until IS NULL"),
            1);
}

TEST_F(UnitsTest, CreatingAUnitIsIdempotentAuditedAndForAdminsOnly) {
  ASSERT_TRUE(Unit("56", "Tỉnh Khánh Hòa", v1::UNIT_LEVEL_PROVINCE, "", "1989-07-01").ok());
  // The same request again: the same unit, created once, audited once.
  ASSERT_TRUE(Unit("56", "Tỉnh Khánh Hòa", v1::UNIT_LEVEL_PROVINCE, "", "1989-07-01").ok());
  EXPECT_EQ(Count("SELECT count(*) FROM administrative_units"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action ="
                  " 'liaison.CreateAdministrativeUnit' AND entity_id = '56'"),
            1);
  // The same request id for another body.
  EXPECT_EQ(
      Unit("56", "Tỉnh Khánh Hoà khác", v1::UNIT_LEVEL_PROVINCE, "", "1989-07-01").error_code(),
      grpc::StatusCode::ALREADY_EXISTS);
  // Officers may read, not create.
  v1::CreateAdministrativeUnitRequest req;
  req.set_request_id("officer-unit");
  req.mutable_unit()->set_code("58");
  req.mutable_unit()->set_name("Tỉnh Ninh Thuận");
  req.mutable_unit()->set_level(v1::UNIT_LEVEL_PROVINCE);
  req.mutable_unit()->set_valid_from("1992-04-01");
  v1::CreateAdministrativeUnitResponse created;
  EXPECT_EQ(Call(&v1::LiaisonService::Stub::CreateAdministrativeUnit, req, &created, Role::kOfficer)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Count("SELECT count(*) FROM administrative_units"), 1);

  // Reads: an unknown unit, a malformed code, a date that is not a day.
  v1::GetAdministrativeUnitRequest get;
  v1::GetAdministrativeUnitResponse got;
  get.set_code("99");
  EXPECT_EQ(Call(&v1::LiaisonService::Stub::GetAdministrativeUnit, get, &got, Role::kOfficer)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  get.set_code("");
  auto st = FromGrpcStatus(
      Call(&v1::LiaisonService::Stub::GetAdministrativeUnit, get, &got, Role::kOfficer));
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(st.message()).find("code"), std::string::npos) << st;
  v1::ListAdministrativeUnitsRequest list;
  list.set_on_date("2025-02-30");
  list.set_page_size(1001);
  v1::ListAdministrativeUnitsResponse units;
  st = FromGrpcStatus(
      Call(&v1::LiaisonService::Stub::ListAdministrativeUnits, list, &units, Role::kOfficer));
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  for (const char* field : {"on_date", "page_size"}) {
    EXPECT_NE(std::string(st.message()).find(field), std::string::npos) << field << ": " << st;
  }
}

TEST_F(UnitsTest, AgenciesAreListedByCodeInKeysetPagesWithFilters) {
  for (int i = 0; i < 5; ++i) {
    v1::CreateAgencyRequest req;
    const std::string code = absl::StrCat("000.00.3", i, ".H41");
    req.set_request_id("a-" + code);
    req.mutable_agency()->set_code(code);
    req.mutable_agency()->set_name(absl::StrCat("UBND xã ", i));
    req.mutable_agency()->set_kind(v1::AGENCY_KIND_COMMUNE_PEOPLES_COMMITTEE);
    req.mutable_agency()->set_administrative_unit_code(i < 3 ? "22333" : "22612");
    v1::CreateAgencyResponse resp;
    ASSERT_TRUE(Call(&v1::LiaisonService::Stub::CreateAgency, req, &resp).ok());
  }
  v1::CreateAgencyRequest police;
  police.set_request_id("police");
  police.mutable_agency()->set_code("000.00.10.G01");
  police.mutable_agency()->set_name("Công an tỉnh");
  police.mutable_agency()->set_kind(v1::AGENCY_KIND_POLICE);
  v1::CreateAgencyResponse resp;
  ASSERT_TRUE(Call(&v1::LiaisonService::Stub::CreateAgency, police, &resp).ok());

  v1::ListAgenciesRequest req;
  req.set_kind(v1::AGENCY_KIND_COMMUNE_PEOPLES_COMMITTEE);
  req.set_page_size(2);
  std::vector<std::string> seen;
  for (int page = 0; page < 10; ++page) {
    v1::ListAgenciesResponse out;
    ASSERT_TRUE(Call(&v1::LiaisonService::Stub::ListAgencies, req, &out, Role::kOfficer).ok());
    for (const auto& a : out.agencies()) seen.push_back(a.code());
    if (out.next_page_token().empty()) break;
    req.set_page_token(out.next_page_token());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"000.00.30.H41", "000.00.31.H41", "000.00.32.H41",
                                            "000.00.33.H41", "000.00.34.H41"}));
  v1::ListAgenciesRequest by_unit;
  by_unit.set_administrative_unit_code("22612");
  v1::ListAgenciesResponse out;
  ASSERT_TRUE(Call(&v1::LiaisonService::Stub::ListAgencies, by_unit, &out, Role::kOfficer).ok());
  EXPECT_EQ(out.agencies_size(), 2);
  v1::ListAgenciesRequest bad;
  bad.set_page_token("%%%");
  bad.set_page_size(501);
  auto st = FromGrpcStatus(Call(&v1::LiaisonService::Stub::ListAgencies, bad, &out));
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(st.message()).find("page_size"), std::string::npos) << st;
}

TEST_F(UnitsTest, TheSnapshotIsSignedVersionedAndNotResentWhileNothingChanged) {
  SeedNhaTrang();
  auto fetch = [&](int64_t known) {
    grpc::ClientContext ctx;  // no token: the transport authenticates our services
    v1::GetDirectorySnapshotRequest req;
    req.set_known_version(known);
    v1::GetDirectorySnapshotResponse resp;
    auto st = stub_->GetDirectorySnapshot(&ctx, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp;
  };
  auto first = fetch(0);
  ASSERT_FALSE(first.not_modified());
  auto content = VerifyDirectory(first.snapshot(), TestIssuer::Get().log_public_key);
  ASSERT_TRUE(content.ok()) << content.status();
  EXPECT_EQ(content->units_size(), 6);
  EXPECT_EQ(content->successions_size(), 3);
  EXPECT_EQ(first.snapshot().signing_key_id(), "test-log");

  EXPECT_TRUE(fetch(first.snapshot().version()).not_modified());

  v1::CreateAgencyRequest req;
  req.set_request_id("agency-1");
  req.mutable_agency()->set_code("000.00.31.H41");
  req.mutable_agency()->set_name("Ủy ban nhân dân phường Nha Trang");
  req.mutable_agency()->set_kind(v1::AGENCY_KIND_COMMUNE_PEOPLES_COMMITTEE);
  req.mutable_agency()->set_administrative_unit_code("22333");
  v1::CreateAgencyResponse created;
  ASSERT_TRUE(Call(&v1::LiaisonService::Stub::CreateAgency, req, &created).ok());
  auto second = fetch(first.snapshot().version());
  ASSERT_FALSE(second.not_modified());
  EXPECT_GT(second.snapshot().version(), first.snapshot().version());
  auto later = VerifyDirectory(second.snapshot(), TestIssuer::Get().log_public_key);
  ASSERT_TRUE(later.ok());
  ASSERT_EQ(later->agencies_size(), 1);
  EXPECT_EQ(later->agencies(0).administrative_unit_code(), "22333");

  // Setting what is already set publishes no new version.
  v1::SetAgencyEndpointRequest endpoint;
  endpoint.set_code("000.00.31.H41");
  endpoint.set_receiver_endpoint("service:dossier");
  v1::SetAgencyEndpointResponse set;
  ASSERT_TRUE(Call(&v1::LiaisonService::Stub::SetAgencyEndpoint, endpoint, &set).ok());
  auto third = fetch(second.snapshot().version());
  ASSERT_FALSE(third.not_modified());
  ASSERT_TRUE(Call(&v1::LiaisonService::Stub::SetAgencyEndpoint, endpoint, &set).ok());
  EXPECT_TRUE(fetch(third.snapshot().version()).not_modified());

  // One changed byte, or another key, and it is not the liaison's.
  auto tampered = second.snapshot();
  tampered.mutable_content()->back() ^= 1;
  EXPECT_EQ(VerifyDirectory(tampered, TestIssuer::Get().log_public_key).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_FALSE(VerifyDirectory(second.snapshot(), GenerateEd25519KeyPair().public_key).ok());
}

TEST_F(UnitsTest, AServiceKeepsTheSnapshotInRedisAndARestartUsesItWithoutTheLiaison) {
  SeedNhaTrang();
  auto redis = RedisPool::Create(
      {.host = "127.0.0.1", .port = testing::TestServers::Get().redis_port(), .size = 2});
  ASSERT_TRUE(redis.ok());
  const std::string key = absl::StrCat("test:directory:", RandomId());
  DirectoryCache online({.liaison_address = absl::StrCat("127.0.0.1:", sut_->service().port()),
                         .trusted_public_key = TestIssuer::Get().log_public_key,
                         .redis_key = key,
                         .credentials = nullptr},
                        **redis);
  ASSERT_TRUE(online.RefreshOnce().ok());
  ASSERT_NE(online.Current(), nullptr);
  const int64_t version = online.Current()->version();

  // A restarted replica with the liaison unreachable.
  DirectoryCache offline({.liaison_address = "",
                          .trusted_public_key = TestIssuer::Get().log_public_key,
                          .redis_key = key,
                          .credentials = nullptr},
                         **redis);
  ASSERT_TRUE(offline.RefreshOnce().ok());
  ASSERT_NE(offline.Current(), nullptr);
  EXPECT_EQ(offline.Current()->version(), version);
  EXPECT_EQ(offline.Current()->content().units_size(), 6);

  // A newer snapshot put into Redis by someone without the liaison's key is not used.
  v1::DirectoryContent forged;
  forged.set_version(version + 100);
  const auto other = GenerateEd25519KeyPair();
  SigningKey other_key{"forger", other.secret_key, other.public_key};
  auto signed_forgery = SignDirectory(forged, other_key);
  ASSERT_TRUE((*redis)
                  ->Command({"HSET", key, "version", absl::StrCat(version + 100), "snapshot",
                             signed_forgery.SerializeAsString()})
                  .ok());
  DirectoryCache fooled({.liaison_address = "",
                         .trusted_public_key = TestIssuer::Get().log_public_key,
                         .redis_key = key,
                         .credentials = nullptr},
                        **redis);
  ASSERT_TRUE(fooled.RefreshOnce().ok());
  EXPECT_EQ(fooled.Current(), nullptr) << "a forged snapshot must not be used";
}

TEST_F(UnitsTest, WhileOneDeliveryWaitsOnASlowLiaisonTheOthersAreToldToRetryAtOnce) {
  // A "liaison" that accepts connections and never answers.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(::listen(fd, 16), 0);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  auto redis = RedisPool::Create(
      {.host = "127.0.0.1", .port = testing::TestServers::Get().redis_port(), .size = 2});
  ASSERT_TRUE(redis.ok());
  DirectoryCache cache({.liaison_address = absl::StrCat("127.0.0.1:", ntohs(addr.sin_port)),
                        .trusted_public_key = TestIssuer::Get().log_public_key,
                        .redis_key = absl::StrCat("test:directory:", RandomId()),
                        .credentials = nullptr,
                        .call_deadline = absl::Seconds(3)},
                       **redis);
  v1::Envelope e;
  e.set_sender_agency_code("000.00.10.G01");
  e.set_signing_key_id("police-1");
  std::atomic<bool> first_done{false};
  absl::Status first_status;
  std::thread first([&] {
    first_status = cache.CheckSender(e, "000.00.31.H41");
    first_done = true;
  });
  absl::SleepFor(absl::Milliseconds(500));  // the first is waiting on the liaison by now
  const absl::Status second = cache.CheckSender(e, "000.00.31.H41");
  EXPECT_FALSE(first_done.load()) << "the second check did not wait for the first's refresh";
  EXPECT_EQ(second.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(second.message().find("being refreshed"), std::string::npos) << second.message();
  first.join();
  EXPECT_EQ(first_status.code(), absl::StatusCode::kUnavailable) << "the liaison never answered";
  ::close(fd);
}

}  // namespace
}  // namespace localgov::liaison

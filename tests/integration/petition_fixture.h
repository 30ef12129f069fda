// The petition service in-process against the harness's real PostgreSQL and Redis, on a clock
// that stands where the test puts it, with the helpers its tests share.
#ifndef LOCALGOV_TESTS_INTEGRATION_PETITION_FIXTURE_H_
#define LOCALGOV_TESTS_INTEGRATION_PETITION_FIXTURE_H_

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

#include "common/clock.h"
#include "common/status.h"
#include "gtest/gtest.h"
#include "localgov/petition/v1/petition_service.grpc.pb.h"
#include "services/petition/identity_vault.h"
#include "services/petition/petition_spec.h"
#include "tests/harness/dates.h"
#include "tests/harness/servers.h"
#include "tests/harness/service_fixture.h"

namespace localgov::petition {

using testing::ServiceUnderTest;

inline constexpr const char* kCommune = "000.00.31.H41";
inline constexpr const char* kOtherCommune = "000.00.32.H41";
// The denouncer every identity test looks for, everywhere.
inline constexpr const char* kDenouncerName = "Phạm Thị Tố Cáo";
inline constexpr const char* kDenouncerId = "079187654321";
inline constexpr const char* kDenouncerAddress = "Số 9 ngõ Bí Mật, thôn Đông";

struct Who {
  Role role;
  std::string agency;
  std::string subject;
};
inline const Who kOfficer{Role::kOfficer, kCommune, "officer-1"};
inline const Who kLeader{Role::kLeader, kCommune, "leader-1"};
inline const Who kInspector{Role::kInspector, kCommune, "inspector-1"};
inline const Who kAuditor{Role::kAuditor, kCommune, "auditor-1"};
inline const Who kOtherOfficer{Role::kOfficer, kOtherCommune, "officer-9"};

inline std::vector<std::string> FieldsOf(const grpc::Status& st) {
  std::vector<std::string> fields;
  for (const auto& v : FieldViolationsOf(FromGrpcStatus(st))) fields.push_back(v.field);
  return fields;
}

class PetitionTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(); }

  void Start(const std::function<void(ServiceConfig&)>& tweak = {}) {
    auto sut = ServiceUnderTest::Start(Spec(), tweak, &clock_);
    ASSERT_TRUE(sut.ok()) << sut.status();
    sut_ = std::move(*sut);
    stub_ = v1::PetitionService::NewStub(sut_->channel());
    Started();
  }
  // After every start: a fixture's other stubs on the new channel.
  virtual void Started() {}

  // Key rotation (petition_identity_test, reception_identity_test): the identity key rings
  // k1 alone, k2 before k1, and k2 alone, as files `<name>-ring-…` in the servers' folder.
  struct Rings {
    std::string only_k1, both, only_k2;
  };
  static Rings RotatingRings(const std::string& name) {
    const std::string k1 = IdentityVault::NewKeyLine("k1");
    const std::string k2 = IdentityVault::NewKeyLine("k2");
    auto ring = [&](const std::string& which, const std::string& text) {
      const std::string path =
          absl::StrCat(testing::TestServers::Get().dir(), "/", name, "-ring-", which);
      std::ofstream(path) << text << "\n";
      return path;
    };
    return {ring("k1", k1), ring("k2-k1", k2 + "\n" + k1), ring("k2", k2)};
  }
  // Stops the service and starts it again with the key ring `ring`, on `database_url` (empty:
  // a fresh database).
  void Restart(const std::string& ring, const std::string& database_url) {
    sut_.reset();
    Start([&](ServiceConfig& c) {
      if (!database_url.empty()) c.database_url = database_url;
      c.extras[IdentityVault::kVariable] = ring;
    });
  }

  template <typename Req, typename Resp>
  grpc::Status Call(grpc::Status (v1::PetitionService::Stub::*m)(grpc::ClientContext*, const Req&,
                                                                 Resp*),
                    const Who& who, const Req& req, Resp* out) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, who.role, who.agency, who.subject);
    return ((*stub_).*m)(&ctx, req, out);
  }

  static v1::ReceivePetitionRequest Complaint(const std::string& request_id) {
    v1::ReceivePetitionRequest r;
    r.set_request_id(request_id);
    r.set_kind(v1::PETITION_KIND_COMPLAINT);
    r.set_field(v1::PETITION_FIELD_LAND);
    r.set_channel(v1::PETITION_CHANNEL_RECEPTION);
    r.set_title("Khiếu nại quyết định thu hồi đất");
    r.set_content("Tôi không đồng ý với mức bồi thường khi thu hồi 120 m² đất vườn.");
    r.mutable_act()->set_description("Quyết định thu hồi đất");
    r.mutable_act()->set_decision_number("125/QĐ-UBND");
    r.set_learned_date("2026-06-20");
    r.mutable_petitioner()->set_full_name("Nguyễn Văn Khiếu");
    r.mutable_petitioner()->set_citizen_id("079203001111");
    r.mutable_petitioner()->set_address("Thôn Tây, xã Hòa Phú");
    return r;
  }

  static v1::ReceivePetitionRequest Denunciation(const std::string& request_id) {
    v1::ReceivePetitionRequest r;
    r.set_request_id(request_id);
    r.set_kind(v1::PETITION_KIND_DENUNCIATION);
    r.set_field(v1::PETITION_FIELD_CADRE_CONDUCT);
    r.set_channel(v1::PETITION_CHANNEL_LETTER);
    r.set_title("Tố cáo cán bộ địa chính nhận tiền");
    r.set_content("Cán bộ địa chính xã nhận tiền để xác nhận hồ sơ đất.");
    r.mutable_petitioner()->set_full_name(kDenouncerName);
    r.mutable_petitioner()->set_citizen_id(kDenouncerId);
    r.mutable_petitioner()->set_address(kDenouncerAddress);
    r.mutable_petitioner()->set_phone("0912345678");
    auto* party = r.add_parties();
    party->set_name("Cán bộ địa chính xã");
    party->set_role("công chức");
    return r;
  }

  static v1::ReceivePetitionRequest Recommendation(const std::string& request_id) {
    v1::ReceivePetitionRequest r;
    r.set_request_id(request_id);
    r.set_kind(v1::PETITION_KIND_RECOMMENDATION);
    r.set_field(v1::PETITION_FIELD_CONSTRUCTION);
    r.set_channel(v1::PETITION_CHANNEL_ONLINE);
    r.set_title("Kiến nghị sửa đường liên thôn");
    r.set_content("Đường liên thôn Đông – Tây xuống cấp, đề nghị sửa trước mùa mưa.");
    r.mutable_petitioner()->set_full_name("Lê Thị Kiến");
    r.mutable_petitioner()->set_citizen_id("079203002222");
    return r;
  }

  v1::ReceivePetitionResponse Receive(const v1::ReceivePetitionRequest& r,
                                      const Who& who = kOfficer) {
    v1::ReceivePetitionResponse resp;
    auto st = Call(&v1::PetitionService::Stub::ReceivePetition, who, r, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp;
  }

  v1::Petition Get(const std::string& code, const Who& who = kOfficer) {
    v1::GetPetitionRequest g;
    g.set_code(code);
    v1::GetPetitionResponse resp;
    auto st = Call(&v1::PetitionService::Stub::GetPetition, who, g, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.petition();
  }

  // A transition: `req` with the petition's code and version set here.
  template <typename Req, typename Resp>
  grpc::Status Act(grpc::Status (v1::PetitionService::Stub::*m)(grpc::ClientContext*, const Req&,
                                                                Resp*),
                   Req req, v1::Petition& p, const Who& who = kLeader) {
    req.set_code(p.code());
    req.set_expected_version(p.version());
    Resp resp;
    auto st = Call(m, who, req, &resp);
    if (st.ok()) p = resp.petition();
    return st;
  }

  grpc::Status Accept(v1::Petition& p, v1::Complexity complexity = v1::COMPLEXITY_NORMAL) {
    v1::ClassifyPetitionRequest c;
    c.set_decision(v1::CLASSIFICATION_DECISION_ACCEPT);
    c.set_reason("Đủ điều kiện thụ lý");
    c.set_complexity(complexity);
    return Act(&v1::PetitionService::Stub::ClassifyPetition, c, p, kOfficer);
  }

  static std::string Due(const v1::Petition& p, v1::DeadlineKind kind) {
    for (const auto& d : p.deadlines()) {
      if (d.kind() == kind) return d.due_date();
    }
    return "none";
  }

  FakeClock clock_{testing::VnTime(2026, 7, 6, 9, 0)};  // Monday
  std::unique_ptr<ServiceUnderTest> sut_;
  std::unique_ptr<v1::PetitionService::Stub> stub_;
};

}  // namespace localgov::petition

#endif  // LOCALGOV_TESTS_INTEGRATION_PETITION_FIXTURE_H_

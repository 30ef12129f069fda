// The denouncer's identity (Law on Denunciation 25/2018 Art. 47; DOMAIN.md §3): sealed at rest
// under a key outside the database, read only by a leader or inspector of the handling agency
// with a reason, every reading recorded — and found nowhere else: not in the API's answers,
// the logs, a dump of the database, or Redis.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/petition/identity_vault.h"
#include "spdlog/sinks/ostream_sink.h"
#include "spdlog/spdlog.h"
#include "tests/harness/servers.h"
#include "tests/integration/petition_fixture.h"

namespace localgov::petition {
namespace {

using S = v1::PetitionService::Stub;

std::string Shell(const std::string& command) {
  std::string out;
  FILE* f = popen(command.c_str(), "r");
  if (f == nullptr) return out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  pclose(f);
  return out;
}

// Where the denouncer could leak: each form of each datum, as text and as PostgreSQL's hex of
// bytea.
std::vector<std::string> Needles() {
  std::vector<std::string> out;
  for (const std::string s : {kDenouncerName, kDenouncerId, kDenouncerAddress, "0912345678"}) {
    out.push_back(s);
    out.push_back(absl::BytesToHexString(s));
  }
  return out;
}

void ExpectNowhere(const std::string& haystack, const std::string& where) {
  for (const auto& needle : Needles()) {
    EXPECT_EQ(haystack.find(needle), std::string::npos) << "found in " << where << ": " << needle;
  }
}

class PetitionIdentityTest : public PetitionTest {
 protected:
  grpc::Status Reveal(const std::string& code, const Who& who, const std::string& reason,
                      v1::RevealDenouncerIdentityResponse* out) {
    v1::RevealDenouncerIdentityRequest r;
    r.set_code(code);
    r.set_reason(reason);
    return Call(&S::RevealDenouncerIdentity, who, r, out);
  }
};

TEST_F(PetitionIdentityTest, TheDenouncerIsReadOnlyByALeaderOrInspectorWithAReasonAndRecorded) {
  const v1::Petition p = Receive(Denunciation("d-1")).petition();
  EXPECT_TRUE(p.identity_sealed());
  EXPECT_FALSE(p.has_petitioner());
  EXPECT_FALSE(Get(p.code()).has_petitioner());
  v1::RevealDenouncerIdentityResponse resp;
  const std::string reason = "Cần liên hệ người tố cáo để bổ sung chứng cứ";
  EXPECT_EQ(Reveal(p.code(), kOfficer, reason, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Reveal(p.code(), kAuditor, reason, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const Who other_inspector{Role::kInspector, kOtherCommune, "inspector-9"};
  EXPECT_EQ(Reveal(p.code(), other_inspector, reason, &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
  auto st = Reveal(p.code(), kInspector, "", &resp);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(FieldsOf(st), std::vector<std::string>{"reason"});
  ASSERT_TRUE(Reveal(p.code(), kInspector, reason, &resp).ok());
  EXPECT_EQ(resp.denouncer().full_name(), kDenouncerName);
  EXPECT_EQ(resp.denouncer().citizen_id(), kDenouncerId);
  ASSERT_TRUE(Reveal(p.code(), kLeader, "Chủ tịch xem xét áp dụng biện pháp bảo vệ", &resp).ok());
  // A complaint holds no sealed identity.
  const v1::Petition c = Receive(Complaint("c-1")).petition();
  EXPECT_EQ(Reveal(c.code(), kInspector, reason, &resp).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  v1::ListIdentityReadingsRequest l;
  l.set_page_size(1);
  v1::ListIdentityReadingsResponse readings;
  EXPECT_EQ(Call(&S::ListIdentityReadings, kOfficer, l, &readings).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Call(&S::ListIdentityReadings, kAuditor, l, &readings).ok());
  ASSERT_EQ(readings.readings_size(), 1);
  EXPECT_EQ(readings.readings(0).reader(), "leader-1");  // newest first
  l.set_page_token(readings.next_page_token());
  ASSERT_TRUE(Call(&S::ListIdentityReadings, kAuditor, l, &readings).ok());
  ASSERT_EQ(readings.readings_size(), 1);
  EXPECT_EQ(readings.readings(0).reader(), "inspector-1");
  EXPECT_EQ(readings.readings(0).reason(), reason);
  EXPECT_TRUE(readings.next_page_token().empty());
}

TEST_F(PetitionIdentityTest, TheIdentityIsNowhereElseNotInLogsADumpOrRedis) {
  std::ostringstream logs;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(logs);
  auto logger = spdlog::default_logger();
  logger->sinks().push_back(sink);
  const auto level = logger->level();
  logger->set_level(spdlog::level::trace);

  v1::Petition p = Receive(Denunciation("d-leak")).petition();
  Receive(Denunciation("d-leak"));  // a retry
  auto bad = Denunciation("d-leak-bad");
  bad.mutable_petitioner()->set_citizen_id(std::string(kDenouncerId) + "9");  // 13 digits
  v1::ReceivePetitionResponse refused;
  auto st = Call(&S::ReceivePetition, kOfficer, bad, &refused);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ExpectNowhere(st.error_message(), "an error message");
  ExpectNowhere(Get(p.code()).DebugString(), "GetPetition");
  v1::ListPetitionsResponse listed;
  ASSERT_TRUE(Call(&S::ListPetitions, kOfficer, v1::ListPetitionsRequest(), &listed).ok());
  ExpectNowhere(listed.DebugString(), "ListPetitions");
  ASSERT_TRUE(Accept(p, v1::COMPLEXITY_COMPLEX).ok());
  v1::RecordVerificationRequest vr;
  vr.set_note("Đã xác minh tại thôn Đông");
  ASSERT_TRUE(Act(&S::RecordVerification, vr, p, kOfficer).ok());
  v1::RevealDenouncerIdentityResponse revealed;
  v1::RevealDenouncerIdentityRequest rr;
  rr.set_code(p.code());
  rr.set_reason("Cần bảo vệ người tố cáo");
  ASSERT_TRUE(Call(&S::RevealDenouncerIdentity, kInspector, rr, &revealed).ok());
  v1::DecidePetitionRequest dc;
  dc.set_outcome(v1::OUTCOME_DENUNCIATION_FOUNDED);
  dc.set_decision_number("7/KL-UBND");
  dc.set_summary("Tố cáo đúng; kiến nghị xử lý kỷ luật");
  ASSERT_TRUE(Act(&S::DecidePetition, dc, p).ok());
  ExpectNowhere(p.DebugString(), "DecidePetition's answer");

  logger->flush();
  logger->set_level(level);
  logger->sinks().pop_back();
  EXPECT_NE(logs.str().find("RevealDenouncerIdentity"), std::string::npos)
      << "the capture saw no log lines at all";
  ExpectNowhere(logs.str(), "the logs");

  const std::string dump = Shell("pg_dump --data-only '" + sut_->config().database_url + "' 2>&1");
  ASSERT_NE(dump.find("petition_identities"), std::string::npos) << dump.substr(0, 500);
  ExpectNowhere(dump, "a dump of the petition database");
  const int port = testing::TestServers::Get().redis_port();
  const std::string redis = Shell(absl::StrCat(
      "redis-cli -p ", port, " --scan | xargs -r -n1 redis-cli -p ", port, " --raw DUMP 2>&1"));
  ExpectNowhere(redis, "Redis");
}

TEST_F(PetitionIdentityTest, KeysRotateTheResealerMovesEveryIdentityToTheNewKey) {
  const Rings rings = RotatingRings("petition");
  Restart(rings.only_k1, "");
  const std::string url = sut_->config().database_url;
  const std::string code = Receive(Denunciation("d-rotate")).petition().code();
  auto key_of = [&] {
    pqxx::connection conn(url);
    pqxx::nontransaction tx(conn);
    return tx
        .exec_params("SELECT key_id FROM petition_identities WHERE petition_code = $1", code)[0][0]
        .as<std::string>();
  };
  EXPECT_EQ(key_of(), "k1");

  Restart(rings.both, url);
  for (int i = 0; i < 100 && key_of() != "k2"; ++i) absl::SleepFor(absl::Milliseconds(100));
  EXPECT_EQ(key_of(), "k2");

  Restart(rings.only_k2, url);  // k1 retired: everything still opens
  v1::RevealDenouncerIdentityRequest rr;
  rr.set_code(code);
  rr.set_reason("Kiểm tra sau khi đổi khóa niêm phong");
  v1::RevealDenouncerIdentityResponse resp;
  auto st = Call(&S::RevealDenouncerIdentity, kInspector, rr, &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(resp.denouncer().full_name(), kDenouncerName);
}

TEST_F(PetitionIdentityTest, WithoutASealingKeyADenouncerIsRefusedNeverStoredInClear) {
  sut_.reset();
  Start([](ServiceConfig& c) { c.extras.erase(IdentityVault::kVariable); });
  v1::ReceivePetitionResponse resp;
  EXPECT_EQ(Call(&S::ReceivePetition, kOfficer, Denunciation("d-nokey"), &resp).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  // An anonymous denunciation names nobody, and is taken.
  auto anonymous = Denunciation("d-anon");
  anonymous.clear_petitioner();
  anonymous.set_anonymous(true);
  ASSERT_TRUE(Call(&S::ReceivePetition, kOfficer, anonymous, &resp).ok());
  EXPECT_FALSE(resp.petition().identity_sealed());
}

}  // namespace
}  // namespace localgov::petition

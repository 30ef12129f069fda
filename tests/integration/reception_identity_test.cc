// A denunciation visit's sealed visitors (DOMAIN.md §3; Law on Denunciation 25/2018 Art. 47):
// read through RevealVisitors by the same rule as a denouncer (a leader or inspector of the
// agency, with a reason, recorded and audited), nowhere in clear otherwise — not in the
// register's reads and lists, the logs or the audit log — and moved to a new sealing key by the
// resealer so an old key can leave the ring.
#include <sstream>

#include "absl/strings/escaping.h"
#include "pqxx/pqxx"
#include "spdlog/sinks/ostream_sink.h"
#include "spdlog/spdlog.h"
#include "tests/integration/reception_fixture.h"

namespace localgov::petition {
namespace {

using S = v1::PetitionService::Stub;

void ExpectNowhere(const std::string& haystack, const std::string& where) {
  for (const std::string s : {kDenouncerName, kDenouncerId, kDenouncerAddress}) {
    EXPECT_EQ(haystack.find(s), std::string::npos) << "found in " << where << ": " << s;
    EXPECT_EQ(haystack.find(absl::BytesToHexString(s)), std::string::npos)
        << "found in " << where << " (hex): " << s;
  }
}

class ReceptionIdentityTest : public ReceptionTest {
 protected:
  // A visit at today's session by the denouncer, bringing a denunciation: sealed.
  v1::ReceptionVisit SealedVisit(const std::string& request_id) {
    const auto s = Session("s-" + request_id, "2026-07-06", "chair-1",
                           v1::RECEPTION_LEADER_ROLE_COMMUNE_CHAIR);
    auto r = Visit(request_id, s.id());
    r.mutable_visitor()->set_full_name(kDenouncerName);
    r.mutable_visitor()->set_citizen_id(kDenouncerId);
    r.mutable_visitor()->set_address(kDenouncerAddress);
    *r.add_petitions() = Matter(Denunciation(""));
    v1::RecordVisitResponse out;
    auto st = Rpc(&R::RecordVisit, kOfficer, r, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    EXPECT_TRUE(out.visit().identity_sealed());
    return out.visit();
  }
  grpc::Status Reveal(const std::string& number, const Who& who, const std::string& reason,
                      v1::RevealVisitorsResponse* out) {
    v1::RevealVisitorsRequest r;
    r.set_register_number(number);
    r.set_reason(reason);
    return Rpc(&R::RevealVisitors, who, r, out);
  }
  std::string Sql(const std::string& query) {
    pqxx::connection conn(sut_->config().database_url);
    pqxx::nontransaction tx(conn);
    std::string out;
    for (const auto& row : tx.exec(query)) {
      for (const auto& f : row) absl::StrAppend(&out, f.is_null() ? "" : f.c_str(), "|");
      out += "\n";
    }
    return out;
  }
};

TEST_F(ReceptionIdentityTest, SealedVisitorsAreReadOnlyByALeaderOrInspectorWithAReasonAndAudited) {
  const auto visit = SealedVisit("v-sealed");
  const std::string number = visit.register_number();
  const std::string reason = "Cần liên hệ người tố cáo để bổ sung chứng cứ";
  v1::RevealVisitorsResponse resp;
  EXPECT_EQ(Reveal(number, kOfficer, reason, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Reveal(number, kAuditor, reason, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Reveal(number, kCitizen, reason, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const Who other_inspector{Role::kInspector, kOtherCommune, "inspector-9"};
  EXPECT_EQ(Reveal(number, other_inspector, reason, &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Reveal(number, kOtherLeader, reason, &resp).error_code(), grpc::StatusCode::NOT_FOUND);
  auto st = Reveal("", kInspector, "ngắn", &resp);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(FieldsOf(st), (std::vector<std::string>{"register_number", "reason"}));
  EXPECT_EQ(Sql("SELECT count(*) FROM identity_readings"), "0|\n") << "a refusal is no reading";

  st = Reveal(number, kInspector, reason, &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(resp.visitor().full_name(), kDenouncerName);
  EXPECT_EQ(resp.visitor().citizen_id(), kDenouncerId);
  EXPECT_EQ(resp.visitor().address(), kDenouncerAddress);
  EXPECT_FALSE(resp.has_delegation());
  EXPECT_EQ(resp.reading().register_number(), number);
  EXPECT_EQ(resp.reading().reader(), "inspector-1");
  ASSERT_TRUE(Reveal(number, kLeader, "Chủ tịch xem xét áp dụng biện pháp bảo vệ", &resp).ok());

  // A visit without a denunciation holds nothing sealed.
  const auto s =
      Session("s-open", "2026-07-06", "chair-1", v1::RECEPTION_LEADER_ROLE_COMMUNE_CHAIR);
  auto open = Visit("v-open", s.id());
  open.set_handling(v1::VISIT_HANDLING_EXPLAINED);
  v1::RecordVisitResponse recorded;
  ASSERT_TRUE(Rpc(&R::RecordVisit, kOfficer, open, &recorded).ok());
  EXPECT_EQ(Reveal(recorded.visit().register_number(), kInspector, reason, &resp).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // Each reading listed with the denouncers' readings, and audited like them.
  v1::ListIdentityReadingsRequest l;
  v1::ListIdentityReadingsResponse readings;
  ASSERT_TRUE(Call(&S::ListIdentityReadings, kAuditor, l, &readings).ok());
  ASSERT_EQ(readings.readings_size(), 2);
  EXPECT_EQ(readings.readings(0).reader(), "leader-1");  // newest first
  EXPECT_EQ(readings.readings(1).register_number(), number);
  EXPECT_TRUE(readings.readings(1).petition_code().empty());
  EXPECT_EQ(readings.readings(1).reason(), reason);
  EXPECT_EQ(Sql("SELECT actor, role, entity_type, entity_id FROM audit_log"
                " WHERE action = 'petition.RevealVisitors' ORDER BY position"),
            absl::StrCat("inspector-1|inspector|reception_visit|", number, "|\n",
                         "leader-1|leader|reception_visit|", number, "|\n"));

  // A crowd case's representatives, sealed and read the same way.
  auto crowd = Visit("v-crowd", s.id());
  crowd.clear_visitor();
  crowd.mutable_delegation()->set_size(9);
  crowd.mutable_delegation()->add_representatives()->set_full_name(kDenouncerName);
  *crowd.add_petitions() = Matter(Denunciation(""));
  ASSERT_TRUE(Rpc(&R::RecordVisit, kOfficer, crowd, &recorded).ok());
  EXPECT_TRUE(recorded.visit().identity_sealed());
  EXPECT_EQ(recorded.visit().delegation().size(), 9);
  EXPECT_EQ(recorded.visit().delegation().representatives_size(), 0);
  ASSERT_TRUE(Reveal(recorded.visit().register_number(), kInspector, reason, &resp).ok());
  EXPECT_FALSE(resp.has_visitor());
  EXPECT_EQ(resp.delegation().size(), 9);
  ASSERT_EQ(resp.delegation().representatives_size(), 1);
  EXPECT_EQ(resp.delegation().representatives(0).full_name(), kDenouncerName);
}

TEST_F(ReceptionIdentityTest, SealedVisitorsAreNowhereInClearNotInListsLogsOrTheAuditLog) {
  std::ostringstream logs;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(logs);
  auto logger = spdlog::default_logger();
  logger->sinks().push_back(sink);
  const auto level = logger->level();
  logger->set_level(spdlog::level::trace);

  const auto visit = SealedVisit("v-leak");
  ExpectNowhere(visit.DebugString(), "RecordVisit's answer");
  v1::GetVisitRequest g;
  g.set_register_number(visit.register_number());
  v1::GetVisitResponse got;
  ASSERT_TRUE(Rpc(&R::GetVisit, kInspector, g, &got).ok());
  ExpectNowhere(got.DebugString(), "GetVisit");
  v1::ListVisitsRequest q;
  q.set_from_date("2026-07-01");
  q.set_to_date("2026-07-06");
  v1::ListVisitsResponse listed;
  ASSERT_TRUE(Rpc(&R::ListVisits, kAuditor, q, &listed).ok());
  ASSERT_EQ(listed.visits_size(), 1);
  ExpectNowhere(listed.DebugString(), "ListVisits");
  v1::ListPetitionsResponse petitions;
  ASSERT_TRUE(Call(&S::ListPetitions, kOfficer, v1::ListPetitionsRequest(), &petitions).ok());
  ExpectNowhere(petitions.DebugString(), "ListPetitions");
  v1::RevealVisitorsResponse revealed;
  v1::RevealVisitorsRequest rr;
  rr.set_register_number(visit.register_number());
  rr.set_reason("Cần bảo vệ người tố cáo");
  ASSERT_TRUE(Rpc(&R::RevealVisitors, kInspector, rr, &revealed).ok());
  v1::ListIdentityReadingsResponse readings;
  ASSERT_TRUE(
      Call(&S::ListIdentityReadings, kAuditor, v1::ListIdentityReadingsRequest(), &readings).ok());
  ExpectNowhere(readings.DebugString(), "ListIdentityReadings");

  logger->flush();
  logger->set_level(level);
  logger->sinks().pop_back();
  EXPECT_NE(logs.str().find("RevealVisitors"), std::string::npos)
      << "the capture saw no log lines at all";
  ExpectNowhere(logs.str(), "the logs");
  ExpectNowhere(Sql("SELECT * FROM audit_log"), "the audit log");
  ExpectNowhere(Sql("SELECT * FROM reception_visits"), "the register's table");
  ExpectNowhere(Sql("SELECT encode(sealed, 'escape') FROM reception_visit_identities"),
                "the sealed table");
}

TEST_F(ReceptionIdentityTest, KeysRotateTheResealerMovesSealedVisitorsSoTheOldKeyCanLeave) {
  const Rings rings = RotatingRings("visit");
  Restart(rings.only_k1, "");
  const std::string url = sut_->config().database_url;
  const std::string number = SealedVisit("v-rotate").register_number();
  const std::string keys_query =
      "SELECT key_id FROM reception_visit_identities UNION ALL "
      "SELECT key_id FROM petition_identities";
  EXPECT_EQ(Sql(keys_query), "k1|\nk1|\n");  // the visitors and the denouncer

  Restart(rings.both, url);
  for (int i = 0; i < 100 && Sql(keys_query) != "k2|\nk2|\n"; ++i) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_EQ(Sql(keys_query), "k2|\nk2|\n");

  Restart(rings.only_k2, url);  // k1 retired: the visitors still open
  v1::RevealVisitorsResponse resp;
  auto st = Reveal(number, kInspector, "Kiểm tra sau khi đổi khóa niêm phong", &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(resp.visitor().full_name(), kDenouncerName);
}

}  // namespace
}  // namespace localgov::petition

// Forwarding (chuyển đơn) through the real liaison service: a recommendation outside the
// commune's jurisdiction goes to the competent agency as a signed referral and its answer comes
// back; a denunciation goes with its denouncer sealed to the receiving agency's key only; a
// redelivered referral is taken once. Two agencies served by one petition service, one liaison
// between them, real PostgreSQL and Redis.
#include <cstdio>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/envelope.h"
#include "localgov/liaison/v1/exchange.grpc.pb.h"
#include "localgov/liaison/v1/liaison_service.grpc.pb.h"
#include "services/liaison/liaison_spec.h"
#include "tests/harness/servers.h"
#include "tests/integration/petition_fixture.h"

namespace localgov::petition {
namespace {

using S = v1::PetitionService::Stub;
namespace lv1 = liaison::v1;

const Who kOfficerB{Role::kOfficer, kOtherCommune, "officer-b"};
const Who kLeaderB{Role::kLeader, kOtherCommune, "leader-b"};
const Who kInspectorB{Role::kInspector, kOtherCommune, "inspector-b"};

class PetitionExchangeTest : public PetitionTest {
 protected:
  void SetUp() override {
    const int petition_port = testing::FreePort();
    auto liaison = ServiceUnderTest::Start(liaison::Spec(), [&](ServiceConfig& c) {
      c.peer_addrs["petition"] = absl::StrCat("127.0.0.1:", petition_port);
    });
    ASSERT_TRUE(liaison.ok()) << liaison.status();
    liaison_ = std::move(*liaison);
    liaison_stub_ = lv1::LiaisonService::NewStub(liaison_->channel());
    // The commune's endpoint names the dossier service: a referral still reaches the petition
    // service (the envelope's type picks it).
    for (const auto& [code, endpoint] : std::vector<std::pair<std::string, std::string>>{
             {kCommune, "service:dossier"}, {kOtherCommune, "service:petition"}}) {
      lv1::CreateAgencyRequest c;
      c.set_request_id("create-" + code);
      c.mutable_agency()->set_code(code);
      c.mutable_agency()->set_name("UBND xã " + code);
      c.mutable_agency()->set_kind(lv1::AGENCY_KIND_COMMUNE_PEOPLES_COMMITTEE);
      lv1::CreateAgencyResponse cr;
      ASSERT_TRUE(Admin(&lv1::LiaisonService::Stub::CreateAgency, c, &cr).ok());
      lv1::SetAgencyEndpointRequest e;
      e.set_code(code);
      e.set_receiver_endpoint(endpoint);
      lv1::SetAgencyEndpointResponse er;
      ASSERT_TRUE(Admin(&lv1::LiaisonService::Stub::SetAgencyEndpoint, e, &er).ok());
      // Both agencies' exchange key is the one the test service signs with.
      lv1::AddAgencyKeyRequest k;
      k.set_agency_code(code);
      k.set_key_id("test-log");
      k.set_public_key(testing::TestIssuer::Get().log_public_key);
      k.mutable_valid_from()->set_seconds(0);
      lv1::AddAgencyKeyResponse kr;
      ASSERT_TRUE(Admin(&lv1::LiaisonService::Stub::AddAgencyKey, k, &kr).ok());
    }
    for (const auto& [from, type, to] :
         std::vector<std::tuple<std::string, lv1::EnvelopeType, std::string>>{
             {kCommune, lv1::ENVELOPE_TYPE_PETITION_REFERRAL, kOtherCommune},
             {kOtherCommune, lv1::ENVELOPE_TYPE_REFERRAL_RESULT, kCommune}}) {
      lv1::GrantAccessRequest g;
      g.set_sender_agency_code(from);
      g.set_type(type);
      g.set_receiver_agency_code(to);
      lv1::GrantAccessResponse gr;
      ASSERT_TRUE(Admin(&lv1::LiaisonService::Stub::GrantAccess, g, &gr).ok());
    }
    Start([&](ServiceConfig& c) {
      c.listen = absl::StrCat("127.0.0.1:", petition_port);
      c.peer_addrs["liaison"] = absl::StrCat("127.0.0.1:", liaison_->service().port());
      c.outbox_poll_ms = 100;
    });
  }

  template <typename Method, typename Req, typename Resp>
  grpc::Status Admin(Method m, const Req& req, Resp* resp) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kAdmin, "000.00.00.H99", "admin");
    return ((*liaison_stub_).*m)(&ctx, req, resp);
  }

  template <typename Pred>
  static bool Wait(Pred pred) {
    for (int i = 0; i < 200 && !pred(); ++i) absl::SleepFor(absl::Milliseconds(100));
    return pred();
  }

  // The agency's petitions that another agency forwarded to it.
  std::vector<v1::Petition> ForwardedTo(const Who& who) {
    v1::ListPetitionsRequest l;
    l.set_channel(v1::PETITION_CHANNEL_FORWARDED);
    v1::ListPetitionsResponse resp;
    if (!Call(&S::ListPetitions, who, l, &resp).ok()) return {};
    return {resp.petitions().begin(), resp.petitions().end()};
  }

  grpc::Status Forward(v1::Petition& p) {
    v1::ClassifyPetitionRequest c;
    c.set_decision(v1::CLASSIFICATION_DECISION_FORWARD);
    c.set_reason("Thuộc thẩm quyền của UBND xã bên cạnh");
    c.set_competent_agency_code(kOtherCommune);
    return Act(&S::ClassifyPetition, c, p, kOfficer);
  }

  std::unique_ptr<ServiceUnderTest> liaison_;
  std::unique_ptr<lv1::LiaisonService::Stub> liaison_stub_;
};

TEST_F(PetitionExchangeTest, ARecommendationForwardedAndItsAnswerComesBack) {
  v1::Petition p = Receive(Recommendation("r-fwd")).petition();
  ASSERT_TRUE(Forward(p).ok());
  EXPECT_EQ(p.state(), v1::PETITION_STATE_FORWARDED);
  EXPECT_EQ(p.forward().envelope_id(), p.code() + ":referral");

  ASSERT_TRUE(Wait([&] { return ForwardedTo(kOfficerB).size() == 1; }));
  v1::Petition at_b = Get(ForwardedTo(kOfficerB)[0].code(), kOfficerB);
  EXPECT_EQ(at_b.agency_code(), kOtherCommune);
  EXPECT_EQ(at_b.forwarded_from().agency_code(), kCommune);
  EXPECT_EQ(at_b.forwarded_from().petition_code(), p.code());
  EXPECT_EQ(at_b.title(), p.title());
  EXPECT_EQ(at_b.petitioner().full_name(), "Lê Thị Kiến");
  EXPECT_EQ(at_b.state(), v1::PETITION_STATE_RECEIVED);
  EXPECT_EQ(at_b.next_deadline().kind(), v1::DEADLINE_KIND_CLASSIFICATION);

  v1::ClassifyPetitionRequest accept;
  accept.set_decision(v1::CLASSIFICATION_DECISION_ACCEPT);
  accept.set_reason("Thuộc thẩm quyền");
  ASSERT_TRUE(Act(&S::ClassifyPetition, accept, at_b, kOfficerB).ok());
  v1::DecidePetitionRequest answer;
  answer.set_outcome(v1::OUTCOME_ANSWERED);
  answer.set_summary("Đã đưa tuyến đường vào kế hoạch sửa chữa quý III/2026.");
  ASSERT_TRUE(Act(&S::DecidePetition, answer, at_b, kLeaderB).ok());

  ASSERT_TRUE(Wait([&] { return Get(p.code()).state() == v1::PETITION_STATE_RESOLVED; }))
      << Get(p.code()).DebugString();
  p = Get(p.code());
  EXPECT_EQ(p.forward().answer(), answer.summary());
  EXPECT_EQ(p.resolution().outcome(), v1::OUTCOME_ANSWERED);
  EXPECT_EQ(p.resolution().answered_by_agency_code(), kOtherCommune);
  EXPECT_EQ(p.events(p.events_size() - 1).note().substr(0, 11), "answered by");
  // Both envelopes acknowledged at the liaison.
  grpc::ClientContext ctx;
  ServiceUnderTest::Authorize(ctx, Role::kAuditor, "000.00.00.H99", "auditor");
  lv1::GetEnvelopeRequest g;
  g.set_id(at_b.code() + ":result");
  lv1::GetEnvelopeResponse env;
  ASSERT_TRUE(liaison_stub_->GetEnvelope(&ctx, g, &env).ok());
  EXPECT_EQ(env.record().state(), lv1::DELIVERY_STATE_ACKNOWLEDGED);
  EXPECT_EQ(env.record().envelope().in_reply_to(), p.forward().envelope_id());
}

TEST_F(PetitionExchangeTest, ADenunciationTravelsWithItsDenouncerSealedToTheReceiverOnly) {
  v1::Petition p = Receive(Denunciation("d-fwd")).petition();
  ASSERT_TRUE(Forward(p).ok());
  ASSERT_TRUE(Wait([&] { return ForwardedTo(kOfficerB).size() == 1; }));
  const std::string code_b = ForwardedTo(kOfficerB)[0].code();
  EXPECT_TRUE(Get(code_b, kOfficerB).identity_sealed());
  EXPECT_FALSE(Get(code_b, kOfficerB).has_petitioner());

  // The envelope as the liaison keeps it: the denouncer is not in it.
  grpc::ClientContext ctx;
  ServiceUnderTest::Authorize(ctx, Role::kAuditor, "000.00.00.H99", "auditor");
  lv1::GetEnvelopeRequest g;
  g.set_id(p.code() + ":referral");
  lv1::GetEnvelopeResponse env;
  ASSERT_TRUE(liaison_stub_->GetEnvelope(&ctx, g, &env).ok());
  const std::string& payload = env.record().envelope().payload();
  EXPECT_NE(payload.find("sealed_identity"), std::string::npos);
  for (const std::string s : {kDenouncerName, kDenouncerId, kDenouncerAddress}) {
    EXPECT_EQ(payload.find(s), std::string::npos) << s;
  }
  // Nor anywhere in the liaison's database.
  std::string dump;
  if (FILE* f =
          popen(("pg_dump --data-only '" + liaison_->config().database_url + "'").c_str(), "r")) {
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) dump.append(buf, n);
    pclose(f);
  }
  ASSERT_NE(dump.find(p.code()), std::string::npos);
  for (const std::string s : {kDenouncerName, kDenouncerId, kDenouncerAddress}) {
    EXPECT_EQ(dump.find(s), std::string::npos) << s;
    EXPECT_EQ(dump.find(absl::BytesToHexString(s)), std::string::npos) << s;
  }

  // The receiving agency's inspector reads it, with a reason.
  v1::RevealDenouncerIdentityRequest rr;
  rr.set_code(code_b);
  rr.set_reason("Xác minh nội dung tố cáo được chuyển đến");
  v1::RevealDenouncerIdentityResponse resp;
  ASSERT_TRUE(Call(&S::RevealDenouncerIdentity, kInspectorB, rr, &resp).ok());
  EXPECT_EQ(resp.denouncer().full_name(), kDenouncerName);
  EXPECT_EQ(resp.denouncer().citizen_id(), kDenouncerId);
}

TEST_F(PetitionExchangeTest, ARedeliveredReferralIsTakenOnceAndAForgedOneRefused) {
  auto receiver = lv1::ReceiverService::NewStub(sut_->channel());
  lv1::Envelope e;
  e.set_id("000.00.31.H41-KNG-260706-0099:referral");
  e.set_type(lv1::ENVELOPE_TYPE_PETITION_REFERRAL);
  e.set_sender_agency_code(kCommune);
  e.set_receiver_agency_code(kOtherCommune);
  e.set_correlation_id("000.00.31.H41-KNG-260706-0099");
  e.set_payload(
      R"({"petition":{"code":"000.00.31.H41-KNG-260706-0099","kind":"PETITION_KIND_REFLECTION",)"
      R"("field":"PETITION_FIELD_ENVIRONMENT","title":"Phản ánh khói lò gạch",)"
      R"("content":"Lò gạch thôn Bắc xả khói ban đêm"},"reason":"Thuộc địa bàn xã bên"})");
  e.set_content_type("application/json");
  e.mutable_create_time()->set_seconds(absl::ToUnixSeconds(absl::Now()));
  SignEnvelope(e, "test-log", [] {
    auto key = ReadSigningKeyFile(testing::TestIssuer::Get().log_key_file);
    return key.ok() ? key->secret_key : std::string();
  }());
  std::string reference;
  for (int i = 0; i < 2; ++i) {
    grpc::ClientContext ctx;
    lv1::DeliverRequest req;
    *req.mutable_envelope() = e;
    req.set_delivered_to_agency_code(kOtherCommune);
    lv1::DeliverResponse resp;
    auto st = receiver->Deliver(&ctx, req, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    EXPECT_EQ(resp.code(), lv1::ACK_CODE_REGISTERED);
    if (i == 0) reference = resp.receiver_reference();
    EXPECT_EQ(resp.receiver_reference(), reference);
  }
  EXPECT_EQ(ForwardedTo(kOfficerB).size(), 1u);
  // Altered after signing: refused, and nothing is created.
  e.set_id("000.00.31.H41-KNG-260706-0098:referral");
  grpc::ClientContext ctx;
  lv1::DeliverRequest req;
  *req.mutable_envelope() = e;
  req.set_delivered_to_agency_code(kOtherCommune);
  lv1::DeliverResponse resp;
  ASSERT_TRUE(receiver->Deliver(&ctx, req, &resp).ok());
  EXPECT_EQ(resp.code(), lv1::ACK_CODE_REFUSED);
  EXPECT_EQ(ForwardedTo(kOfficerB).size(), 1u);
}

}  // namespace
}  // namespace localgov::petition

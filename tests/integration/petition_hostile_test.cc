// Hostile input to the petition service found by the RPC fuzzer (tests/fuzz): a delivery that
// a trusted sender signed but whose payload a petition received here could never carry.
#include <functional>
#include <tuple>
#include <vector>

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
// A third commune, trusted by the exchange to send answers to the commune.
constexpr const char* kThirdCommune = "000.00.33.H41";

// The petition service behind a real liaison: the commune may refer petitions to the other
// commune, both sign with the test issuer's key.
class PetitionHostileTest : public PetitionTest {
 protected:
  void SetUp() override {
    auto liaison = ServiceUnderTest::Start(liaison::Spec());
    ASSERT_TRUE(liaison.ok()) << liaison.status();
    liaison_ = std::move(*liaison);
    auto stub = lv1::LiaisonService::NewStub(liaison_->channel());
    auto admin = [&](auto m, const auto& req, auto* resp) {
      grpc::ClientContext ctx;
      ServiceUnderTest::Authorize(ctx, Role::kAdmin, "000.00.00.H99", "admin");
      return ((*stub).*m)(&ctx, req, resp);
    };
    for (const std::string code : {kCommune, kOtherCommune, kThirdCommune}) {
      lv1::CreateAgencyRequest c;
      c.set_request_id("create-" + code);
      c.mutable_agency()->set_code(code);
      c.mutable_agency()->set_name("UBND xã " + code);
      c.mutable_agency()->set_kind(lv1::AGENCY_KIND_COMMUNE_PEOPLES_COMMITTEE);
      lv1::CreateAgencyResponse cr;
      ASSERT_TRUE(admin(&lv1::LiaisonService::Stub::CreateAgency, c, &cr).ok());
      lv1::AddAgencyKeyRequest k;
      k.set_agency_code(code);
      k.set_key_id("test-log");
      k.set_public_key(testing::TestIssuer::Get().log_public_key);
      k.mutable_valid_from()->set_seconds(0);
      lv1::AddAgencyKeyResponse kr;
      ASSERT_TRUE(admin(&lv1::LiaisonService::Stub::AddAgencyKey, k, &kr).ok());
    }
    for (const auto& [from, type, to] :
         std::vector<std::tuple<std::string, lv1::EnvelopeType, std::string>>{
             {kCommune, lv1::ENVELOPE_TYPE_PETITION_REFERRAL, kOtherCommune},
             {kOtherCommune, lv1::ENVELOPE_TYPE_REFERRAL_RESULT, kCommune},
             {kThirdCommune, lv1::ENVELOPE_TYPE_REFERRAL_RESULT, kCommune}}) {
      lv1::GrantAccessRequest g;
      g.set_sender_agency_code(from);
      g.set_type(type);
      g.set_receiver_agency_code(to);
      lv1::GrantAccessResponse gr;
      ASSERT_TRUE(admin(&lv1::LiaisonService::Stub::GrantAccess, g, &gr).ok());
    }
    Start([&](ServiceConfig& c) {
      c.peer_addrs["liaison"] = absl::StrCat("127.0.0.1:", liaison_->service().port());
    });
    receiver_ = lv1::ReceiverService::NewStub(sut_->channel());
  }

  // A referral from the commune to the other commune, signed, with this petition JSON.
  grpc::Status Refer(const std::string& id, const std::string& petition_json,
                     lv1::DeliverResponse* resp) {
    lv1::Envelope e;
    e.set_id(id);
    e.set_type(lv1::ENVELOPE_TYPE_PETITION_REFERRAL);
    e.set_sender_agency_code(kCommune);
    e.set_receiver_agency_code(kOtherCommune);
    e.set_correlation_id("000.00.31.H41-KN-261201-0001");
    e.set_payload(absl::StrCat(R"({"petition":)", petition_json, R"(,"reason":"Chuyển đơn"})"));
    return Deliver(e, resp);
  }

  // The envelope, signed with the test issuer's key, delivered to its receiver.
  grpc::Status Deliver(lv1::Envelope envelope, lv1::DeliverResponse* resp) {
    lv1::DeliverRequest req;
    auto* e = req.mutable_envelope();
    *e = std::move(envelope);
    e->set_content_type("application/json");
    e->mutable_create_time()->set_seconds(absl::ToUnixSeconds(absl::Now()));
    auto key = ReadSigningKeyFile(testing::TestIssuer::Get().log_key_file);
    if (!key.ok()) return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "no key");
    SignEnvelope(*e, "test-log", key->secret_key);
    req.set_delivered_to_agency_code(e->receiver_agency_code());
    grpc::ClientContext ctx;
    return receiver_->Deliver(&ctx, req, resp);
  }

  std::unique_ptr<ServiceUnderTest> liaison_;
  std::unique_ptr<lv1::ReceiverService::Stub> receiver_;
};

// A referral carrying the sender's handling (acceptance, an extension of 2^31-1 days) overflowed
// the resolution period in ComputeClocks (signed integer overflow: UBSan aborts; without the
// sanitizer the period wrapped negative and the delivery failed with INVALID_ARGUMENT, retried
// by the exchange for ever). Only what a referral carries is taken: it starts afresh here.
TEST_F(PetitionHostileTest, AReferralCarryingTheSendersHandlingStartsAfresh) {
  lv1::DeliverResponse resp;
  auto st = Refer("000.00.31.H41-KN-261201-0001:referral",
                  R"({"code":"000.00.31.H41-KN-261201-0001","kind":"PETITION_KIND_DENUNCIATION",)"
                  R"("field":"PETITION_FIELD_LAND","title":"Tố cáo","content":"Nội dung",)"
                  R"("state":"PETITION_STATE_RESOLVED","version":"99","officer":"someone",)"
                  R"("acceptDate":"2026-07-06","complexity":"COMPLEXITY_COMPLEX",)"
                  R"("extensions":[{"days":2147483647}],"suspensions":[{"daysStopped":5}],)"
                  R"("events":[{"note":"forged"}]})",
                  &resp);
  ASSERT_TRUE(st.ok()) << st.error_code() << " " << st.error_message();
  ASSERT_EQ(resp.code(), lv1::ACK_CODE_REGISTERED) << resp.reason();
  const v1::Petition p = Get(resp.receiver_reference(), kOfficerB);
  EXPECT_EQ(p.state(), v1::PETITION_STATE_RECEIVED);
  EXPECT_EQ(p.version(), 1);
  EXPECT_TRUE(p.accept_date().empty());
  EXPECT_EQ(p.extensions_size(), 0);
  EXPECT_EQ(p.suspensions_size(), 0);
  EXPECT_TRUE(p.officer().empty());
  ASSERT_EQ(p.events_size(), 1);
  EXPECT_EQ(p.events(0).from_state(), v1::PETITION_STATE_UNSPECIFIED);
  EXPECT_EQ(p.forwarded_from().petition_code(), "000.00.31.H41-KN-261201-0001");
}

// A referral is held to the input policy of a petition received here. It was taken as it came:
// a NUL in the decision number or the citizen ID (stored in the petition, and cut at the NUL in
// the columns the database driver was given), an undeclared kind. Now it is refused (and that
// answer kept for a redelivery).
TEST_F(PetitionHostileTest, AReferralBreakingTheInputPolicyIsRefused) {
  for (const std::string json : {
           R"({"code":"c","kind":"PETITION_KIND_COMPLAINT","title":"t","content":"c",)"
           R"("act":{"decisionNumber":"12\u0000/QĐ"}})",
           R"({"code":"c","kind":"PETITION_KIND_RECOMMENDATION","title":"t","content":"c",)"
           R"("petitioner":{"fullName":"A","citizenId":"0792\u00000111111"}})",
           R"({"code":"c","kind":99,"title":"t","content":"c"})",
       }) {
    SCOPED_TRACE(json);
    lv1::DeliverResponse resp;
    const std::string id = absl::StrCat("hostile-", std::hash<std::string>()(json), ":referral");
    for (int i = 0; i < 2; ++i) {
      auto st = Refer(id, json, &resp);
      ASSERT_TRUE(st.ok()) << st.error_code() << " " << st.error_message();
      EXPECT_EQ(resp.code(), lv1::ACK_CODE_REFUSED) << resp.reason();
    }
  }
  v1::ListPetitionsRequest l;
  v1::ListPetitionsResponse listed;
  ASSERT_TRUE(Call(&S::ListPetitions, kOfficerB, l, &listed).ok());
  EXPECT_EQ(listed.petitions_size(), 0);
}

// A petition forwarded to one agency was answered by any agency the exchange lets send answers
// to the commune that knew the referral's envelope id: now only the agency it was forwarded to
// (or its successor) answers it.
TEST_F(PetitionHostileTest, OnlyTheAgencyAPetitionWasForwardedToAnswersIt) {
  v1::Petition p = Receive(Recommendation("r-answered-by-whom")).petition();
  v1::ClassifyPetitionRequest c;
  c.set_decision(v1::CLASSIFICATION_DECISION_FORWARD);
  c.set_reason("Thuộc thẩm quyền của xã bên cạnh");
  c.set_competent_agency_code(kOtherCommune);
  ASSERT_TRUE(Act(&S::ClassifyPetition, c, p, kOfficer).ok());
  auto answer = [&](const std::string& from, const std::string& id) {
    lv1::Envelope e;
    e.set_id(id);
    e.set_type(lv1::ENVELOPE_TYPE_REFERRAL_RESULT);
    e.set_sender_agency_code(from);
    e.set_receiver_agency_code(kCommune);
    e.set_correlation_id(p.code());
    e.set_in_reply_to(p.forward().envelope_id());
    e.set_payload(R"({"answer":"Đã giải quyết"})");
    lv1::DeliverResponse resp;
    auto st = Deliver(e, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp;
  };
  const auto forged = answer(kThirdCommune, "third:result");
  EXPECT_EQ(forged.code(), lv1::ACK_CODE_REFUSED) << forged.reason();
  EXPECT_EQ(Get(p.code()).state(), v1::PETITION_STATE_FORWARDED);
  const auto real = answer(kOtherCommune, "other:result");
  EXPECT_EQ(real.code(), lv1::ACK_CODE_COMPLETED) << real.reason();
  const v1::Petition after = Get(p.code());
  EXPECT_EQ(after.state(), v1::PETITION_STATE_RESOLVED);
  EXPECT_EQ(after.resolution().answered_by_agency_code(), kOtherCommune);
}

}  // namespace
}  // namespace localgov::petition

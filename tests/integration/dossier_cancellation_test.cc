// Ending a dossier ends its steps, and the agencies they were handed to are told (Decree
// 61/2018, Decree 63/2024: the holder answers for the whole liên thông chain) — against real
// PostgreSQL, a real liaison service and real receivers of other agencies.
#include <string>

#include "common/calendar/calendar.h"
#include "gtest/gtest.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"
#include "pqxx/pqxx"
#include "services/dossier/dossier_spec.h"
#include "tests/harness/service_fixture.h"
#include "tests/integration/exchange_fixture.h"

namespace localgov::liaison {
namespace {

namespace dv1 = dossier::v1;

// An LT-01 dossier whose commune step is done, so that both other agencies' steps are handed
// off; social insurance is down when they leave.
class CancellationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_.Start();
    ASSERT_FALSE(HasFatalFailure());
    d_ = stack_.Receive("lt-cancel-1");
    ASSERT_EQ(d_.steps_size(), 3);
    stack_.insurance.Stop();
    d_ = stack_.Act(&dv1::DossierService::Stub::StartProcessing, dv1::StartProcessingRequest{}, d_);
    dv1::CompleteStepRequest cs;
    cs.set_step_index(0);
    cs.set_note("Đã đăng ký khai sinh");
    d_ = stack_.Act(&dv1::DossierService::Stub::CompleteStep, cs, d_);
    ASSERT_EQ(d_.steps(1).state(), dv1::STEP_STATE_HANDED_OFF);
    ASSERT_EQ(d_.steps(2).state(), dv1::STEP_STATE_HANDED_OFF);
    ASSERT_TRUE(LienThongStack::Wait([&] {
      return stack_.police.deliveries_of(d_.steps(1).envelope_id()) == 1;
    })) << "the police took its handoff (and acknowledged it)";
  }

  v1::EnvelopeRecord Envelope(const std::string& id) { return GetEnvelope(*stack_.liaison, id); }

  int64_t Count(const std::string& sql) {
    pqxx::connection conn(stack_.dossier_service().config().database_url);
    pqxx::nontransaction tx(conn);
    return tx.exec(sql)[0][0].as<int64_t>();
  }

  LienThongStack stack_;
  dv1::Dossier d_;
};

TEST_F(CancellationTest, AWithdrawalCancelsEveryHandedOffStepAndTellsEachAgencyOnce) {
  dv1::WithdrawDossierRequest w;
  w.set_reason("Gia đình chuyển nơi cư trú");
  const dv1::Dossier ended = stack_.Act(&dv1::DossierService::Stub::WithdrawDossier, w, d_);
  EXPECT_EQ(ended.state(), dv1::DOSSIER_STATE_WITHDRAWN);
  EXPECT_EQ(ended.steps(0).state(), dv1::STEP_STATE_COMPLETED) << "done work stays done";
  for (int i : {1, 2}) {
    const auto& s = ended.steps(i);
    EXPECT_EQ(s.state(), dv1::STEP_STATE_CANCELLED) << i;
    EXPECT_EQ(s.cancel_reason(), "withdrawn by the applicant: Gia đình chuyển nơi cư trú");
    EXPECT_TRUE(s.has_cancel_time());
    EXPECT_EQ(s.cancellation_envelope_id(), s.envelope_id() + ":cancel");
  }
  const std::string police_cancel = ended.steps(1).cancellation_envelope_id();
  const std::string insurance_cancel = ended.steps(2).cancellation_envelope_id();
  // The police (up) is told at once.
  ASSERT_TRUE(
      LienThongStack::Wait([&] { return stack_.police.deliveries_of(police_cancel) == 1; }));
  auto record = Envelope(police_cancel);
  EXPECT_EQ(record.envelope().type(), v1::ENVELOPE_TYPE_STEP_CANCELLATION);
  EXPECT_EQ(record.envelope().in_reply_to(), ended.steps(1).envelope_id());
  EXPECT_TRUE(LienThongStack::Wait(
      [&] { return Envelope(police_cancel).state() == v1::DELIVERY_STATE_ACKNOWLEDGED; }));
  // Social insurance, down meanwhile, gets both the handoff and its cancellation when it
  // comes back.
  stack_.insurance.Start();
  ASSERT_TRUE(LienThongStack::Wait([&] {
    return stack_.insurance.deliveries_of(insurance_cancel) == 1;
  })) << "a cancellation delivered after the receiver was down";
  EXPECT_TRUE(LienThongStack::Wait(
      [&] { return Envelope(insurance_cancel).state() == v1::DELIVERY_STATE_ACKNOWLEDGED; }));
  // Nothing twice: the outbox and the exchange deliver each cancellation once.
  absl::SleepFor(absl::Seconds(1));
  EXPECT_EQ(stack_.police.deliveries_of(police_cancel), 1);
  EXPECT_EQ(stack_.insurance.deliveries_of(insurance_cancel), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE delivered_at IS NULL"), 0);
  // The per-step figures: neither step was late when called off, so neither is scored.
  EXPECT_EQ(Count("SELECT count(*) FROM dossier_step_outcomes WHERE step_index > 0"), 0);
  // The history says so, and so does the portal's feed.
  EXPECT_NE(ended.events(ended.events_size() - 1).note().find("withdrawn"), std::string::npos);
}

TEST_F(CancellationTest, AResultAfterTheCancellationIsRecordedAndReopensNothing) {
  dv1::StopProcessingRequest stop;
  stop.add_reasons("Giấy chứng sinh không hợp lệ");
  const dv1::Dossier ended = stack_.Act(&dv1::DossierService::Stub::StopProcessing, stop, d_);
  EXPECT_EQ(ended.state(), dv1::DOSSIER_STATE_STOPPED);
  ASSERT_EQ(ended.steps(1).state(), dv1::STEP_STATE_CANCELLED);
  // The police had finished already and sends its result anyway.
  ASSERT_TRUE(stack_
                  .Answer(kPolice, "police-1", stack_.police_keys.secret_key,
                          ended.steps(1).envelope_id(), ended.code())
                  .ok());
  ASSERT_TRUE(LienThongStack::Wait([&] {
    return Envelope(ended.steps(1).envelope_id() + ":result").state() ==
           v1::DELIVERY_STATE_ACKNOWLEDGED;
  }));
  const dv1::Dossier after = stack_.Get(ended.code());
  EXPECT_EQ(after.state(), dv1::DOSSIER_STATE_STOPPED);
  EXPECT_EQ(after.steps(1).state(), dv1::STEP_STATE_CANCELLED) << "nothing reopens";
  EXPECT_NE(after.events(after.events_size() - 1).note().find("arrived after the cancellation"),
            std::string::npos);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'dossier.LateStepResult'"), 1);
}

// A DD-01 dossier stopped while the commune's own first step is under way: no step is left
// open, nothing is sent (nothing was handed off), and it leaves the worklist.
TEST(OwnStepsCancellationTest, StoppingADossierInProgressLeavesNoStepOpen) {
  auto sut = testing::ServiceUnderTest::Start(dossier::Spec());
  ASSERT_TRUE(sut.ok()) << sut.status();
  auto stub = dv1::DossierService::NewStub((*sut)->channel());
  auto officer = [](grpc::ClientContext& ctx) {
    testing::ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-1");
  };
  dv1::ReceiveDossierRequest r;
  r.set_request_id("dd-1");
  r.set_procedure_code("DD-01");
  r.set_channel(dv1::CHANNEL_COUNTER);
  r.mutable_applicant()->set_full_name("Trần Văn Bình");
  r.mutable_applicant()->set_citizen_id("001203004567");
  dv1::GetProcedureRequest gp;
  gp.set_code("DD-01");
  dv1::GetProcedureResponse procedure;
  {
    grpc::ClientContext ctx;
    officer(ctx);
    ASSERT_TRUE(stub->GetProcedure(&ctx, gp, &procedure).ok());
  }
  for (const auto& doc : procedure.procedure().required_documents()) {
    if (doc.mandatory()) r.add_documents()->set_document_code(doc.code());
  }
  dv1::Dossier d;
  {
    grpc::ClientContext ctx;
    officer(ctx);
    dv1::ReceiveDossierResponse resp;
    auto st = stub->ReceiveDossier(&ctx, r, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    d = resp.dossier();
  }
  ASSERT_EQ(d.state(), dv1::DOSSIER_STATE_ACCEPTED);
  {
    grpc::ClientContext ctx;
    officer(ctx);
    dv1::StartProcessingRequest sp;
    sp.set_code(d.code());
    sp.set_expected_version(d.version());
    dv1::StartProcessingResponse resp;
    ASSERT_TRUE(stub->StartProcessing(&ctx, sp, &resp).ok());
    d = resp.dossier();
  }
  ASSERT_GE(d.steps_size(), 2);
  EXPECT_EQ(d.steps(0).state(), dv1::STEP_STATE_IN_PROGRESS);
  {
    grpc::ClientContext ctx;
    officer(ctx);
    dv1::StopProcessingRequest stop;
    stop.set_code(d.code());
    stop.set_expected_version(d.version());
    stop.add_reasons("Đất đang có tranh chấp");
    dv1::StopProcessingResponse resp;
    ASSERT_TRUE(stub->StopProcessing(&ctx, stop, &resp).ok());
    d = resp.dossier();
  }
  for (const auto& s : d.steps()) {
    EXPECT_EQ(s.state(), dv1::STEP_STATE_CANCELLED) << s.index();
    EXPECT_TRUE(s.cancellation_envelope_id().empty()) << "nothing was handed off";
  }
  {
    grpc::ClientContext ctx;
    officer(ctx);
    dv1::ListDossiersRequest list;
    list.set_due_within_working_days(60);
    dv1::ListDossiersResponse resp;
    ASSERT_TRUE(stub->ListDossiers(&ctx, list, &resp).ok());
    EXPECT_EQ(resp.dossiers_size(), 0) << "an ended dossier is in no worklist";
  }
  pqxx::connection conn((*sut)->config().database_url);
  pqxx::nontransaction tx(conn);
  // No envelope for the liaison: nothing was handed off (the petition service is told of the
  // stop on a topic of its own).
  EXPECT_EQ(tx.exec("SELECT count(*) FROM outbox WHERE topic = 'liaison.send'")[0][0].as<int64_t>(),
            0);
  EXPECT_EQ(tx.exec("SELECT count(*) FROM outbox WHERE topic = 'petition.dossier_case'")[0][0]
                .as<int64_t>(),
            1);
}

// A dossier refused at intake (NOT_ACCEPTED, form 03): none of its steps will ever start.
TEST(OwnStepsCancellationTest, ARefusalAtIntakeLeavesNoStepOpen) {
  auto sut = testing::ServiceUnderTest::Start(dossier::Spec());
  ASSERT_TRUE(sut.ok()) << sut.status();
  auto stub = dv1::DossierService::NewStub((*sut)->channel());
  dv1::ReceiveDossierRequest r;
  r.set_request_id("lt-refused");
  r.set_procedure_code("LT-01");
  r.set_channel(dv1::CHANNEL_COUNTER);
  r.mutable_applicant()->set_full_name("Phạm Văn Dũng");
  r.mutable_applicant()->set_citizen_id("001203004567");
  r.add_refusal_reasons("Trẻ đã được đăng ký khai sinh tại nơi khác");
  grpc::ClientContext ctx;
  testing::ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-1");
  dv1::ReceiveDossierResponse resp;
  auto st = stub->ReceiveDossier(&ctx, r, &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(resp.dossier().state(), dv1::DOSSIER_STATE_NOT_ACCEPTED);
  ASSERT_EQ(resp.dossier().steps_size(), 3);
  for (const auto& s : resp.dossier().steps()) {
    EXPECT_EQ(s.state(), dv1::STEP_STATE_CANCELLED) << s.index();
    EXPECT_NE(s.cancel_reason().find("refused"), std::string::npos) << s.cancel_reason();
  }
}

// The exchange checks a cancellation against the handoff it names.
TEST_F(ExchangeTest, ACancellationMustNameAHandoffItsSenderSentToItsReceiver) {
  Grant(kPolice);
  ASSERT_TRUE(Send(Envelope("env-h", kPolice)).ok());
  auto cancellation = [&](const std::string& id, const std::string& in_reply_to) {
    v1::Envelope c = Envelope(id, kPolice);
    c.set_type(v1::ENVELOPE_TYPE_STEP_CANCELLATION);
    c.set_in_reply_to(in_reply_to);
    SignEnvelope(c, "commune-2026", keys_.secret_key);
    return c;
  };
  EXPECT_EQ(Send(cancellation("env-c0", "")).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Send(cancellation("env-c1", "env-nothing")).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  const v1::Envelope c2 = cancellation("env-c2", "env-h");
  ASSERT_TRUE(Send(c2).ok()) << "on the handoff's access right";
  EXPECT_EQ(AwaitAnswer("env-c2").state(), v1::DELIVERY_STATE_ACKNOWLEDGED);
  EXPECT_TRUE(Send(c2).ok()) << "a retried cancellation is idempotent";
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(police_.deliveries_of("env-c2"), 1);
}

// The agency a step was handed to merged before the dossier ended: the cancellation,
// addressed to the old code, goes to the successor and is accepted (DOMAIN.md §0).
TEST_F(ExchangeTest, ACancellationAfterTheReceiverMergedGoesToItsSuccessor) {
  Grant(kOldCommune);
  Grant(kNewCommune);
  ASSERT_TRUE(Send(Envelope("env-h-old", kOldCommune)).ok());
  ASSERT_EQ(AwaitAnswer("env-h-old").state(), v1::DELIVERY_STATE_ACKNOWLEDGED);
  ASSERT_TRUE(MergeOldCommune(absl::FormatCivilTime(calendar::VietnamDay(absl::Now()))).ok());
  v1::Envelope c = Envelope("env-h-old:cancel", kOldCommune);
  c.set_type(v1::ENVELOPE_TYPE_STEP_CANCELLATION);
  c.set_in_reply_to("env-h-old");
  SignEnvelope(c, "commune-2026", keys_.secret_key);
  v1::SendResponse sent;
  const auto st = Send(c, &sent);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(sent.delivered_to_agency_code(), kNewCommune);
  EXPECT_EQ(AwaitAnswer("env-h-old:cancel").state(), v1::DELIVERY_STATE_ACKNOWLEDGED);
}

}  // namespace
}  // namespace localgov::liaison

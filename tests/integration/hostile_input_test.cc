// Hostile input through the real gRPC servers (issue: one bad envelope stopped every handoff):
// every class of bad input gets INVALID_ARGUMENT naming the field, with nothing stored; a
// record a worker cannot process is set aside with its reason while the rest flows on.
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "gtest/gtest.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"
#include "pqxx/pqxx"
#include "services/dossier/dossier_spec.h"
#include "services/liaison/exchange_store.h"
#include "tests/harness/service_fixture.h"
#include "tests/integration/exchange_fixture.h"

namespace localgov {
namespace {

using testing::ServiceUnderTest;

// The field names an INVALID_ARGUMENT status carries.
std::vector<std::string> Fields(const grpc::Status& st) {
  std::vector<std::string> out;
  for (const auto& v : FieldViolationsOf(FromGrpcStatus(st))) out.push_back(v.field);
  return out;
}

::testing::AssertionResult RefusedNaming(const grpc::Status& st, const std::string& field) {
  if (st.error_code() != grpc::StatusCode::INVALID_ARGUMENT) {
    return ::testing::AssertionFailure()
           << "expected INVALID_ARGUMENT, got " << st.error_code() << ": " << st.error_message();
  }
  for (const auto& f : Fields(st)) {
    if (f == field) return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "no violation of " << field << " in " << st.error_message();
}

const std::string kNul("abc\0def", 7);

// ---- The dossier service -------------------------------------------------------------------

class DossierHostileInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sut = ServiceUnderTest::Start(dossier::Spec());
    ASSERT_TRUE(sut.ok()) << sut.status();
    sut_ = std::move(*sut);
    stub_ = dossier::v1::DossierService::NewStub(sut_->channel());
  }

  static dossier::v1::ReceiveDossierRequest Good(const std::string& request_id) {
    dossier::v1::ReceiveDossierRequest r;
    r.set_request_id(request_id);
    r.set_procedure_code("HT-05");
    r.set_channel(dossier::v1::CHANNEL_COUNTER);
    r.mutable_applicant()->set_full_name("Nguyễn Văn An");
    r.mutable_applicant()->set_citizen_id("001203004567");
    r.add_documents()->set_document_code("to-khai");
    return r;
  }

  grpc::Status Receive(const dossier::v1::ReceiveDossierRequest& r,
                       dossier::v1::ReceiveDossierResponse* out = nullptr) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, "000.00.31.H41", "officer-1");
    dossier::v1::ReceiveDossierResponse resp;
    auto st = stub_->ReceiveDossier(&ctx, r, &resp);
    if (out != nullptr) *out = resp;
    return st;
  }

  int64_t Dossiers() {
    pqxx::connection conn(sut_->config().database_url);
    pqxx::nontransaction tx(conn);
    return tx.exec("SELECT count(*) FROM dossiers")[0][0].as<int64_t>();
  }

  std::unique_ptr<ServiceUnderTest> sut_;
  std::unique_ptr<dossier::v1::DossierService::Stub> stub_;
};

TEST_F(DossierHostileInputTest, ANulByteInAnyTextFieldIsRefusedNamingTheFieldAndNothingIsStored) {
  auto name = Good("nul-1");
  name.mutable_applicant()->set_full_name(kNul);
  EXPECT_TRUE(RefusedNaming(Receive(name), "applicant.full_name"));
  auto address = Good("nul-2");
  address.mutable_applicant()->set_address(kNul);
  EXPECT_TRUE(RefusedNaming(Receive(address), "applicant.address"));
  auto file = Good("nul-3");
  file.mutable_documents(0)->set_file_name(kNul);
  EXPECT_TRUE(RefusedNaming(Receive(file), "documents[0].file_name"));
  auto reason = Good("nul-4");
  reason.add_refusal_reasons("line one\nline two");  // line breaks are fine in a reason
  reason.add_refusal_reasons(std::string("bell\a"));
  EXPECT_TRUE(RefusedNaming(Receive(reason), "refusal_reasons[1]"));
  auto broken = Good("nul-5");
  broken.mutable_applicant()->set_full_name("\xC3\x28");  // not UTF-8: refused by protobuf or us
  EXPECT_NE(Receive(broken).error_code(), grpc::StatusCode::OK);
  EXPECT_EQ(Dossiers(), 0);
}

TEST_F(DossierHostileInputTest, OversizedValuesAreRefusedAndTheErrorDoesNotEchoThem) {
  auto big = Good("big-1");
  big.mutable_applicant()->set_full_name(std::string(1 << 20, 'a'));
  big.mutable_documents(0)->set_storage_uri(std::string(1 << 20, 'u'));
  const auto st = Receive(big);
  EXPECT_TRUE(RefusedNaming(st, "applicant.full_name"));
  EXPECT_TRUE(RefusedNaming(st, "documents[0].storage_uri"));
  EXPECT_LT(st.error_message().size(), 2000u) << "a short message, never the value";
  auto negative = Good("big-2");
  negative.mutable_documents(0)->set_size_bytes(-1);
  EXPECT_TRUE(RefusedNaming(Receive(negative), "documents[0].size_bytes"));
  auto huge = Good("big-3");
  huge.mutable_documents(0)->set_size_bytes(INT64_MAX);
  EXPECT_TRUE(RefusedNaming(Receive(huge), "documents[0].size_bytes"));
  EXPECT_EQ(Dossiers(), 0);
}

TEST_F(DossierHostileInputTest, UndeclaredEnumValuesAreRefusedInWritesAndFilters) {
  auto channel = Good("enum-1");
  channel.set_channel(static_cast<dossier::v1::Channel>(99));
  EXPECT_TRUE(RefusedNaming(Receive(channel), "channel"));
  {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, "000.00.31.H41", "officer-1");
    dossier::v1::ListDossiersRequest req;
    req.add_states(static_cast<dossier::v1::DossierState>(32768));
    dossier::v1::ListDossiersResponse resp;
    EXPECT_TRUE(RefusedNaming(stub_->ListDossiers(&ctx, req, &resp), "states[0]"));
  }
  {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kCitizen, "", "001203004567");
    dossier::v1::RateDossierRequest req;
    req.set_code("000.00.31.H41-260302-0001");
    req.set_level(static_cast<dossier::v1::SatisfactionLevel>(99));
    dossier::v1::RateDossierResponse resp;
    EXPECT_TRUE(RefusedNaming(stub_->RateDossier(&ctx, req, &resp), "level"));
  }
  EXPECT_EQ(Dossiers(), 0);
}

TEST_F(DossierHostileInputTest, TimestampsOutsideTheWindowAreRefused) {
  auto future = Good("time-1");
  future.mutable_received_time()->set_seconds(253402300799);  // 9999-12-31
  EXPECT_TRUE(RefusedNaming(Receive(future), "received_time"));
  auto nanos = Good("time-2");
  nanos.mutable_received_time()->set_seconds(1767225600);
  nanos.mutable_received_time()->set_nanos(-5);
  EXPECT_TRUE(RefusedNaming(Receive(nanos), "received_time"));
  EXPECT_EQ(Dossiers(), 0);
}

TEST_F(DossierHostileInputTest, VietnameseTextIsStoredInNfc) {
  auto r = Good("nfc-1");
  // "Nguyễn" written with combining marks (NFD): e + U+0302 + U+0303.
  r.mutable_applicant()->set_full_name("Nguye\xCC\x82\xCC\x83n Va\xCC\x86n An");
  dossier::v1::ReceiveDossierResponse resp;
  ASSERT_TRUE(Receive(r, &resp).ok());
  EXPECT_EQ(resp.dossier().applicant().full_name(), "Nguyễn Văn An");
}

// ---- The liaison service -------------------------------------------------------------------

using liaison::ExchangeTest;
using liaison::kCommune;
using liaison::kPolice;
namespace lv1 = liaison::v1;

class LiaisonHostileInputTest : public ExchangeTest {
 protected:
  // An envelope row as a stack poisoned before the input policy could hold it: `bytes` as the
  // stored envelope, not yet logged.
  void InsertRaw(const std::string& id, const std::string& bytes) {
    pqxx::connection conn(sut_->config().database_url);
    pqxx::work tx(conn);
    tx.exec_params(
        "INSERT INTO envelopes (id, type, sender, addressed_to, delivered_to, redirect_chain,"
        " correlation_id, in_reply_to, envelope, digest, state, next_attempt_at, accepted_at)"
        " VALUES ($1, 1, $2, $3, $3, '', 'abc', '', $4, 'x', 1, now(), now() - interval '1 s')",
        id, kCommune, kPolice, pqxx::binarystring(bytes));
    tx.commit();
  }

  std::vector<lv1::EnvelopeRecord> DeadLetters() {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kAuditor, "000.00.00.H99", "auditor");
    lv1::ListEnvelopesRequest req;
    req.add_states(lv1::DELIVERY_STATE_DEAD_LETTER);
    lv1::ListEnvelopesResponse resp;
    EXPECT_TRUE(stub_->ListEnvelopes(&ctx, req, &resp).ok());
    return {resp.records().begin(), resp.records().end()};
  }

  // Sends `n` good envelopes and waits until each is acknowledged.
  void SendAndAwaitAcknowledged(const std::string& prefix, int n) {
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(Send(Envelope(absl::StrCat(prefix, i), kPolice)).ok());
    }
    for (int i = 0; i < n; ++i) {
      EXPECT_EQ(AwaitAnswer(absl::StrCat(prefix, i)).state(), lv1::DELIVERY_STATE_ACKNOWLEDGED)
          << prefix << i;
    }
  }
};

TEST_F(LiaisonHostileInputTest, APoisonedEnvelopeIsRefusedNamingTheFieldAndNothingIsKept) {
  Grant(kPolice);
  auto nul = Envelope("env-nul", kPolice);
  nul.set_correlation_id(kNul);
  SignEnvelope(nul, "commune-2026", keys_.secret_key);  // correctly signed
  EXPECT_TRUE(RefusedNaming(Send(nul), "envelope.correlation_id"));
  auto type = Envelope("env-type", kPolice);
  type.set_content_type("application/json" + kNul);
  SignEnvelope(type, "commune-2026", keys_.secret_key);
  EXPECT_TRUE(RefusedNaming(Send(type), "envelope.content_type"));
  auto key = Envelope("env-key", kPolice);
  SignEnvelope(key, std::string(1 << 20, 'k'), keys_.secret_key);
  const auto st = Send(key);
  EXPECT_TRUE(RefusedNaming(st, "envelope.signing_key_id"));
  EXPECT_LT(st.error_message().size(), 2000u);
  auto year = Envelope("env-year", kPolice);
  year.mutable_create_time()->set_seconds(253402300799);
  SignEnvelope(year, "commune-2026", keys_.secret_key);
  EXPECT_TRUE(RefusedNaming(Send(year), "envelope.create_time"));
  {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kAuditor, "000.00.00.H99", "auditor");
    lv1::ListEnvelopesRequest req;
    req.set_type(static_cast<lv1::EnvelopeType>(32768));
    lv1::ListEnvelopesResponse resp;
    EXPECT_TRUE(RefusedNaming(stub_->ListEnvelopes(&ctx, req, &resp), "type"));
  }
  // A crafted page token whose body is not UTF-8 (found by the fuzzer: it reached PostgreSQL).
  for (const std::string token : {"220", "AA=="}) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-1");
    lv1::ListAgenciesRequest req;
    req.set_page_token(token);
    lv1::ListAgenciesResponse resp;
    EXPECT_TRUE(RefusedNaming(stub_->ListAgencies(&ctx, req, &resp), "page_token")) << token;
  }
  EXPECT_EQ(Verify().checked(), 0) << "nothing was logged";
  // The connection still works after a refused 1 MiB value.
  SendAndAwaitAcknowledged("after-", 1);
}

TEST_F(LiaisonHostileInputTest, AnUnreadableEnvelopeIsSetAsideAndTheNextHundredAreDelivered) {
  Grant(kPolice);
  InsertRaw("env-garbage", std::string("\xff\xff\xff\xff", 4));  // not a protobuf message
  // A stack poisoned before this release: a NUL in a stored envelope's correlation id.
  lv1::Envelope poisoned = Envelope("env-poisoned", kPolice);
  poisoned.set_correlation_id(kNul);
  InsertRaw("env-poisoned", poisoned.SerializeAsString());
  SendAndAwaitAcknowledged("flow-", 100);
  const auto dead = DeadLetters();
  ASSERT_EQ(dead.size(), 2u);
  for (const auto& r : dead) {
    EXPECT_EQ(r.log_sequence(), 0) << "never logged";
    EXPECT_FALSE(r.ack_reason().empty()) << "set aside with its reason";
    EXPECT_EQ(r.ack_reason().find('\0'), std::string::npos);
  }
  auto check = Verify();
  EXPECT_TRUE(check.ok()) << check.problem();
}

TEST_F(LiaisonHostileInputTest, AnEnvelopeTheLogRefusesIsSetAsideWhileOthersFlowAndCanBeRequeued) {
  Grant(kPolice);
  {
    // Some other fault than a NUL: the database refuses this one envelope's log entry.
    pqxx::connection conn(sut_->config().database_url);
    pqxx::work tx(conn);
    tx.exec(
        "CREATE FUNCTION cursed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        " IF NEW.envelope_id = 'env-cursed' AND NEW.event = 'accepted' THEN"
        " RAISE EXCEPTION 'this one cannot be logged'; END IF; RETURN NEW; END $$;"
        " CREATE TRIGGER cursed BEFORE INSERT ON message_log FOR EACH ROW"
        " EXECUTE FUNCTION cursed()");
    tx.commit();
  }
  ASSERT_TRUE(Send(Envelope("env-cursed", kPolice)).ok());
  SendAndAwaitAcknowledged("behind-", 20);
  auto cursed = AwaitAnswer("env-cursed");
  EXPECT_EQ(cursed.state(), lv1::DELIVERY_STATE_DEAD_LETTER);
  EXPECT_NE(cursed.ack_reason().find("could not be logged"), std::string::npos)
      << cursed.ack_reason();
  {
    pqxx::connection conn(sut_->config().database_url);
    pqxx::work tx(conn);
    tx.exec("DROP TRIGGER cursed ON message_log");
    tx.commit();
  }
  lv1::RequeueRequest rq;
  rq.set_id("env-cursed");
  ASSERT_TRUE(Admin(&lv1::LiaisonService::Stub::Requeue, rq).ok());
  EXPECT_EQ(AwaitAnswer("env-cursed").state(), lv1::DELIVERY_STATE_ACKNOWLEDGED);
  auto check = Verify();
  EXPECT_TRUE(check.ok()) << check.problem();
}

// A lone envelope the log refuses (nothing else in its batches to show the fault is its own)
// is set aside after FailuresAlone::kLimit passes rather than retried for ever.
TEST_F(LiaisonHostileInputTest, ALoneEnvelopeTheLogRefusesIsSetAsideAfterRepeatedFailures) {
  Grant(kPolice);
  {
    pqxx::connection conn(sut_->config().database_url);
    pqxx::work tx(conn);
    tx.exec(
        "CREATE FUNCTION cursed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        " IF NEW.envelope_id = 'env-alone' AND NEW.event = 'accepted' THEN"
        " RAISE EXCEPTION 'this one cannot be logged'; END IF; RETURN NEW; END $$;"
        " CREATE TRIGGER cursed BEFORE INSERT ON message_log FOR EACH ROW"
        " EXECUTE FUNCTION cursed()");
    tx.commit();
  }
  ASSERT_TRUE(Send(Envelope("env-alone", kPolice)).ok());
  const auto r = AwaitAnswer("env-alone", absl::Seconds(30));
  EXPECT_EQ(r.state(), lv1::DELIVERY_STATE_DEAD_LETTER);
  EXPECT_NE(r.ack_reason().find("could not be logged"), std::string::npos) << r.ack_reason();
}

// An agency code named in a write must exist in the exchange directory (the dossier service
// reads the liaison's signed snapshot).
TEST(DirectoryBackedInputTest, AnIntakeForAnAgencyTheDirectoryDoesNotKnowIsRefused) {
  liaison::LienThongStack stack;
  stack.Start();
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  int attempt = 0;
  auto intake = [&](const std::string& agency) {
    dossier::v1::ReceiveDossierRequest r;
    r.set_request_id(absl::StrCat("portal-", agency, "-", ++attempt));
    r.set_procedure_code("HT-05");
    r.set_receiving_agency_code(agency);
    r.set_channel(dossier::v1::CHANNEL_ONLINE);
    r.mutable_applicant()->set_full_name("Nguyễn Văn An");
    r.mutable_applicant()->set_citizen_id("001203004567");
    r.add_documents()->set_document_code("to-khai");
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kSystem, "000.00.00.H41", "portal");
    dossier::v1::ReceiveDossierResponse resp;
    return stack.dossiers->ReceiveDossier(&ctx, r, &resp);
  };
  // Until the dossier service has read the directory (a refresh, 5 s) it has nothing to check
  // against; from then on the unknown code is refused and the known one still received.
  grpc::Status last;
  ASSERT_TRUE(liaison::LienThongStack::Wait([&] {
    last = intake("000.00.99.H41");
    return last.error_code() == grpc::StatusCode::INVALID_ARGUMENT;
  })) << last.error_message();
  EXPECT_TRUE(RefusedNaming(last, "receiving_agency_code"));
  EXPECT_TRUE(intake(liaison::kCommune).ok());
}

}  // namespace
}  // namespace localgov

// The exchange test fixture: a liaison service and a dossier service in-process against real
// PostgreSQL, real gRPC receivers of other agencies (one that refuses), a signing key, and the
// helpers to send and await envelopes. Shared by the exchange's integration test files.
#ifndef LOCALGOV_TESTS_INTEGRATION_EXCHANGE_FIXTURE_H_
#define LOCALGOV_TESTS_INTEGRATION_EXCHANGE_FIXTURE_H_

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/crypto.h"
#include "common/envelope.h"
#include "gtest/gtest.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"
#include "localgov/liaison/v1/exchange.grpc.pb.h"
#include "localgov/liaison/v1/liaison_service.grpc.pb.h"
#include "services/dossier/dossier_spec.h"
#include "services/liaison/liaison_spec.h"
#include "tests/harness/servers.h"
#include "tests/harness/service_fixture.h"

namespace localgov::liaison {

using testing::ServiceUnderTest;

inline constexpr const char* kCommune = "000.00.31.H41";
inline constexpr const char* kPolice = "000.00.10.G01";
inline constexpr const char* kInsurance = "000.00.11.G02";
inline constexpr const char* kOldCommune = "000.00.33.H41";
inline constexpr const char* kNewCommune = "000.00.32.H41";

// A receiver system of another agency: a real gRPC server that records what it takes, can
// refuse, and can be stopped and started again on the same port.
class ExternalReceiver final : public v1::ReceiverService::CallbackService {
 public:
  explicit ExternalReceiver(bool refuse = false) : refuse_(refuse), port_(testing::FreePort()) {
    Start();
  }
  ~ExternalReceiver() override { Stop(); }
  void Start() {
    grpc::ServerBuilder b;
    b.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    b.AddListeningPort(absl::StrCat("127.0.0.1:", port_), grpc::InsecureServerCredentials());
    b.RegisterService(this);
    server_ = b.BuildAndStart();
  }
  void Stop() {
    if (server_) server_->Shutdown(std::chrono::system_clock::now());
    server_.reset();
  }
  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }
  void set_refusal_reason(std::string reason) {
    std::lock_guard lock(mu_);
    reason_ = std::move(reason);
  }
  grpc::ServerUnaryReactor* Deliver(grpc::CallbackServerContext* context,
                                    const v1::DeliverRequest* request,
                                    v1::DeliverResponse* response) override {
    {
      std::lock_guard lock(mu_);
      ++deliveries_;
      ids_.insert(request->envelope().id());
      ++deliveries_of_[request->envelope().id()];
      delivered_to_[request->envelope().id()] = request->delivered_to_agency_code();
    }
    if (refuse_) {
      response->set_code(v1::ACK_CODE_REFUSED);
      std::lock_guard lock(mu_);
      response->set_reason(reason_);
    } else {
      response->set_code(v1::ACK_CODE_ARRIVED);
      response->set_receiver_reference("ref-" + request->envelope().id());
    }
    auto* r = context->DefaultReactor();
    r->Finish(grpc::Status::OK);
    return r;
  }
  int deliveries() {
    std::lock_guard lock(mu_);
    return deliveries_;
  }
  std::set<std::string> ids() {
    std::lock_guard lock(mu_);
    return ids_;
  }
  // How many times envelope `id` was delivered here (the exchange delivers each once).
  int deliveries_of(const std::string& id) {
    std::lock_guard lock(mu_);
    return deliveries_of_[id];
  }
  std::string delivered_to(const std::string& id) {
    std::lock_guard lock(mu_);
    return delivered_to_[id];
  }

 private:
  const bool refuse_;
  const int port_;
  std::unique_ptr<grpc::Server> server_;
  std::mutex mu_;
  int deliveries_ = 0;
  std::set<std::string> ids_;
  std::map<std::string, int> deliveries_of_;
  std::map<std::string, std::string> delivered_to_;
  std::string reason_ = "không thuộc thẩm quyền";
};

// GetEnvelope as an auditor.
inline v1::EnvelopeRecord GetEnvelope(v1::LiaisonService::Stub& stub, const std::string& id) {
  grpc::ClientContext ctx;
  ServiceUnderTest::Authorize(ctx, Role::kAuditor, "000.00.00.H99", "auditor");
  v1::GetEnvelopeRequest req;
  req.set_id(id);
  v1::GetEnvelopeResponse resp;
  EXPECT_TRUE(stub.GetEnvelope(&ctx, req, &resp).ok()) << id;
  return resp.record();
}

class ExchangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Each needs the other's address: the liaison delivers to the dossier service, which
    // fetches the directory snapshot from the liaison to check what it is delivered.
    const int liaison_port = testing::FreePort();
    auto dossier = ServiceUnderTest::Start(dossier::Spec(), [&](ServiceConfig& c) {
      c.peer_addrs["liaison"] = absl::StrCat("127.0.0.1:", liaison_port);
    });
    ASSERT_TRUE(dossier.ok()) << dossier.status();
    dossier_ = std::move(*dossier);
    const int dossier_port = dossier_->service().port();
    auto sut = ServiceUnderTest::Start(Spec(), [&](ServiceConfig& c) {
      c.listen = absl::StrCat("127.0.0.1:", liaison_port);
      c.peer_addrs["dossier"] = absl::StrCat("127.0.0.1:", dossier_port);
    });
    ASSERT_TRUE(sut.ok()) << sut.status();
    sut_ = std::move(*sut);
    stub_ = v1::LiaisonService::NewStub(sut_->channel());
    keys_ = GenerateEd25519KeyPair();
    Agency(kCommune, v1::AGENCY_KIND_COMMUNE_PEOPLES_COMMITTEE, "service:dossier");
    Agency(kPolice, v1::AGENCY_KIND_POLICE, police_.address());
    Agency(kInsurance, v1::AGENCY_KIND_SOCIAL_INSURANCE, refusing_.address());
    Agency(kOldCommune, v1::AGENCY_KIND_COMMUNE_PEOPLES_COMMITTEE, police_.address());
    Agency(kNewCommune, v1::AGENCY_KIND_COMMUNE_PEOPLES_COMMITTEE, police_.address());
    v1::AddAgencyKeyRequest key;
    key.set_agency_code(kCommune);
    key.set_key_id("commune-2026");
    key.set_public_key(keys_.public_key);
    key.mutable_valid_from()->set_seconds(0);
    ASSERT_TRUE(Admin(&v1::LiaisonService::Stub::AddAgencyKey, key).ok());
  }

  template <typename Req, typename Resp>
  grpc::Status Admin(grpc::Status (v1::LiaisonService::Stub::*m)(grpc::ClientContext*, const Req&,
                                                                 Resp*),
                     const Req& req, Resp* out = nullptr) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kAdmin, "000.00.00.H99", "admin");
    Resp resp;
    auto st = ((*stub_).*m)(&ctx, req, &resp);
    if (out != nullptr) *out = resp;
    return st;
  }

  void Agency(const std::string& code, v1::AgencyKind kind, const std::string& endpoint) {
    v1::CreateAgencyRequest c;
    c.set_request_id("create-" + code);
    c.mutable_agency()->set_code(code);
    c.mutable_agency()->set_name("Cơ quan " + code);
    c.mutable_agency()->set_kind(kind);
    ASSERT_TRUE(Admin(&v1::LiaisonService::Stub::CreateAgency, c).ok());
    v1::SetAgencyEndpointRequest e;
    e.set_code(code);
    e.set_receiver_endpoint(endpoint);
    ASSERT_TRUE(Admin(&v1::LiaisonService::Stub::SetAgencyEndpoint, e).ok());
  }

  // The old commune merges into the new one from `effective` (YYYY-MM-DD).
  grpc::Status MergeOldCommune(const std::string& effective) {
    v1::MergeAgencyRequest m;
    m.set_code(kOldCommune);
    m.set_successor_code(kNewCommune);
    m.set_effective_date(effective);
    return Admin(&v1::LiaisonService::Stub::MergeAgency, m);
  }
  grpc::Status ResolveOldCommune(v1::ResolveAgencyResponse* resolved) {
    v1::ResolveAgencyRequest rq;
    rq.set_code(kOldCommune);
    return Admin(&v1::LiaisonService::Stub::ResolveAgency, rq, resolved);
  }

  void Grant(const std::string& receiver, v1::EnvelopeType type = v1::ENVELOPE_TYPE_STEP_HANDOFF) {
    v1::GrantAccessRequest g;
    g.set_sender_agency_code(kCommune);
    g.set_type(type);
    g.set_receiver_agency_code(receiver);
    ASSERT_TRUE(Admin(&v1::LiaisonService::Stub::GrantAccess, g).ok());
  }

  v1::Envelope Envelope(const std::string& id, const std::string& receiver) {
    v1::Envelope e;
    e.set_id(id);
    e.set_type(v1::ENVELOPE_TYPE_STEP_HANDOFF);
    e.set_sender_agency_code(kCommune);
    e.set_receiver_agency_code(receiver);
    e.set_correlation_id("000.00.31.H41-260302-0001");
    e.set_payload(R"({"buoc":"dang-ky-thuong-tru"})");
    e.set_content_type("application/json");
    e.mutable_create_time()->set_seconds(absl::ToUnixSeconds(absl::Now()));
    SignEnvelope(e, "commune-2026", keys_.secret_key);
    return e;
  }

  grpc::Status Send(const v1::Envelope& e, v1::SendResponse* out = nullptr,
                    absl::Time acknowledge_by = absl::InfiniteFuture()) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-1");
    v1::SendRequest req;
    *req.mutable_envelope() = e;
    if (acknowledge_by != absl::InfiniteFuture()) {
      req.mutable_acknowledge_by()->set_seconds(absl::ToUnixSeconds(acknowledge_by));
    }
    v1::SendResponse resp;
    auto st = stub_->Send(&ctx, req, &resp);
    if (out != nullptr) *out = resp;
    return st;
  }

  v1::EnvelopeRecord Get(const std::string& id) { return GetEnvelope(*stub_, id); }

  // Waits (bounded) until the envelope leaves PENDING.
  v1::EnvelopeRecord AwaitAnswer(const std::string& id, absl::Duration limit = absl::Seconds(20)) {
    const absl::Time until = absl::Now() + limit;
    v1::EnvelopeRecord r;
    do {
      r = Get(id);
      if (r.state() != v1::DELIVERY_STATE_PENDING) return r;
      absl::SleepFor(absl::Milliseconds(100));
    } while (absl::Now() < until);
    return r;
  }

  // Another liaison replica on the same database, delivering to the same receivers.
  absl::StatusOr<std::unique_ptr<ServiceUnderTest>> StartSecondReplica() {
    return ServiceUnderTest::Start(Spec(), [&](ServiceConfig& c) {
      c.database_url = sut_->config().database_url;
      c.peer_addrs = sut_->config().peer_addrs;
    });
  }

  v1::VerifyLogResponse Verify() {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kAuditor, "000.00.00.H99", "auditor");
    v1::VerifyLogResponse resp;
    EXPECT_TRUE(stub_->VerifyLog(&ctx, {}, &resp).ok());
    return resp;
  }

  ExternalReceiver police_;
  ExternalReceiver refusing_{/*refuse=*/true};
  std::unique_ptr<ServiceUnderTest> dossier_;
  std::unique_ptr<ServiceUnderTest> sut_;
  std::unique_ptr<v1::LiaisonService::Stub> stub_;
  Ed25519KeyPair keys_;
};

// Decree 63/2024 (LT-01) across three agencies: the commune (a dossier service), the police
// and social insurance (real gRPC receivers with their own signing keys), one liaison service
// between them, and the access rights a liên thông procedure needs.
class LienThongStack final {
 public:
  // Starts everything; a failure is a test failure (check HasFatalFailure after).
  void Start() {
    const int liaison_port = testing::FreePort();
    auto dossier_sut = ServiceUnderTest::Start(dossier::Spec(), [&](ServiceConfig& c) {
      c.peer_addrs["liaison"] = absl::StrCat("127.0.0.1:", liaison_port);
      c.outbox_poll_ms = 100;
    });
    ASSERT_TRUE(dossier_sut.ok()) << dossier_sut.status();
    dossier_sut_ = std::move(*dossier_sut);
    const int dossier_port = dossier_sut_->service().port();
    auto liaison_sut = ServiceUnderTest::Start(Spec(), [&](ServiceConfig& c) {
      c.listen = absl::StrCat("127.0.0.1:", liaison_port);
      c.peer_addrs["dossier"] = absl::StrCat("127.0.0.1:", dossier_port);
    });
    ASSERT_TRUE(liaison_sut.ok()) << liaison_sut.status();
    liaison_sut_ = std::move(*liaison_sut);
    liaison = v1::LiaisonService::NewStub(liaison_sut_->channel());
    dossiers = dossier::v1::DossierService::NewStub(dossier_sut_->channel());
    police_keys = GenerateEd25519KeyPair();
    insurance_keys = GenerateEd25519KeyPair();
    struct Setup {
      const char* code;
      v1::AgencyKind kind;
      std::string endpoint, key_id, public_key;
    };
    for (const auto& a :
         std::vector<Setup>{{kCommune, v1::AGENCY_KIND_COMMUNE_PEOPLES_COMMITTEE, "service:dossier",
                             "test-log", testing::TestIssuer::Get().log_public_key},
                            {kPolice, v1::AGENCY_KIND_POLICE, police.address(), "police-1",
                             police_keys.public_key},
                            {kInsurance, v1::AGENCY_KIND_SOCIAL_INSURANCE, insurance.address(),
                             "bhxh-1", insurance_keys.public_key}}) {
      v1::CreateAgencyRequest c;
      c.set_request_id(absl::StrCat("create-", a.code));
      c.mutable_agency()->set_code(a.code);
      c.mutable_agency()->set_name(absl::StrCat("Cơ quan ", a.code));
      c.mutable_agency()->set_kind(a.kind);
      v1::CreateAgencyResponse cr;
      ASSERT_TRUE(Admin(&v1::LiaisonService::Stub::CreateAgency, c, &cr).ok());
      v1::SetAgencyEndpointRequest e;
      e.set_code(a.code);
      e.set_receiver_endpoint(a.endpoint);
      v1::SetAgencyEndpointResponse er;
      ASSERT_TRUE(Admin(&v1::LiaisonService::Stub::SetAgencyEndpoint, e, &er).ok());
      v1::AddAgencyKeyRequest k;
      k.set_agency_code(a.code);
      k.set_key_id(a.key_id);
      k.set_public_key(a.public_key);
      k.mutable_valid_from()->set_seconds(0);
      v1::AddAgencyKeyResponse kr;
      ASSERT_TRUE(Admin(&v1::LiaisonService::Stub::AddAgencyKey, k, &kr).ok());
    }
    for (const auto& [from, type, to] :
         std::vector<std::tuple<std::string, v1::EnvelopeType, std::string>>{
             {kCommune, v1::ENVELOPE_TYPE_STEP_HANDOFF, kPolice},
             {kCommune, v1::ENVELOPE_TYPE_STEP_HANDOFF, kInsurance},
             {kPolice, v1::ENVELOPE_TYPE_STEP_RESULT, kCommune},
             {kInsurance, v1::ENVELOPE_TYPE_STEP_RESULT, kCommune}}) {
      v1::GrantAccessRequest g;
      g.set_sender_agency_code(from);
      g.set_type(type);
      g.set_receiver_agency_code(to);
      v1::GrantAccessResponse gr;
      ASSERT_TRUE(Admin(&v1::LiaisonService::Stub::GrantAccess, g, &gr).ok());
    }
  }

  template <typename Method, typename Req, typename Resp>
  grpc::Status Admin(Method m, const Req& req, Resp* resp) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kAdmin, "000.00.00.H99", "admin");
    return ((*liaison).*m)(&ctx, req, resp);
  }

  // A complete LT-01 dossier received online at the commune.
  dossier::v1::Dossier Receive(const std::string& request_id) {
    dossier::v1::ReceiveDossierRequest r;
    r.set_request_id(request_id);
    r.set_procedure_code("LT-01");
    r.set_channel(dossier::v1::CHANNEL_ONLINE);
    r.mutable_applicant()->set_full_name("Nguyễn Thị Hoa");
    r.mutable_applicant()->set_citizen_id("079203001234");
    r.add_documents()->set_document_code("to-khai-lien-thong");
    r.add_documents()->set_document_code("giay-chung-sinh");
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-1");
    dossier::v1::ReceiveDossierResponse resp;
    auto st = dossiers->ReceiveDossier(&ctx, r, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.dossier();
  }

  // A transition as the commune's officer: `m` with `req` (code and version set here).
  template <typename Req, typename Resp>
  dossier::v1::Dossier Act(
      grpc::Status (dossier::v1::DossierService::Stub::*m)(grpc::ClientContext*, const Req&, Resp*),
      Req req, const dossier::v1::Dossier& d) {
    req.set_code(d.code());
    req.set_expected_version(d.version());
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-1");
    Resp resp;
    auto st = ((*dossiers).*m)(&ctx, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.dossier();
  }

  dossier::v1::Dossier Get(const std::string& code) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-1");
    dossier::v1::GetDossierRequest g;
    g.set_code(code);
    dossier::v1::GetDossierResponse resp;
    EXPECT_TRUE(dossiers->GetDossier(&ctx, g, &resp).ok());
    return resp.dossier();
  }

  // An external agency's result for the step handed off in `in_reply_to` (no token: the
  // signature authenticates).
  grpc::Status Answer(const std::string& from, const std::string& key_id, const std::string& secret,
                      const std::string& in_reply_to, const std::string& dossier_code) {
    v1::Envelope e;
    e.set_id(in_reply_to + ":result");
    e.set_type(v1::ENVELOPE_TYPE_STEP_RESULT);
    e.set_sender_agency_code(from);
    e.set_receiver_agency_code(kCommune);
    e.set_correlation_id(dossier_code);
    e.set_in_reply_to(in_reply_to);
    e.set_payload(R"({"ket_qua":"hoan-thanh"})");
    e.set_content_type("application/json");
    e.mutable_create_time()->set_seconds(absl::ToUnixSeconds(absl::Now()));
    SignEnvelope(e, key_id, secret);
    grpc::ClientContext ctx;
    v1::SendRequest req;
    *req.mutable_envelope() = e;
    v1::SendResponse resp;
    return liaison->Send(&ctx, req, &resp);
  }

  // Waits (at most 20 s) until `pred` holds; returns whether it does.
  template <typename Pred>
  static bool Wait(Pred pred) {
    for (int i = 0; i < 200 && !pred(); ++i) absl::SleepFor(absl::Milliseconds(100));
    return pred();
  }

  ExternalReceiver police;
  ExternalReceiver insurance;
  Ed25519KeyPair police_keys, insurance_keys;
  std::unique_ptr<v1::LiaisonService::Stub> liaison;
  std::unique_ptr<dossier::v1::DossierService::Stub> dossiers;
  ServiceUnderTest& dossier_service() { return *dossier_sut_; }
  ServiceUnderTest& liaison_service() { return *liaison_sut_; }

 private:
  std::unique_ptr<ServiceUnderTest> dossier_sut_;
  std::unique_ptr<ServiceUnderTest> liaison_sut_;
};

}  // namespace localgov::liaison

#endif  // LOCALGOV_TESTS_INTEGRATION_EXCHANGE_FIXTURE_H_

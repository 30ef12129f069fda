// The dossier and petition services in-process together on real PostgreSQL and Redis, the
// petition service calling the dossier service over gRPC with its own token and each relaying
// its outbox to the other: the fixture of the joins across services (issue 24).
#ifndef LOCALGOV_TESTS_INTEGRATION_PETITION_DOSSIER_FIXTURE_H_
#define LOCALGOV_TESTS_INTEGRATION_PETITION_DOSSIER_FIXTURE_H_

#include <chrono>
#include <functional>
#include <thread>

#include "common/status.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"
#include "services/dossier/dossier_spec.h"
#include "tests/integration/petition_fixture.h"

namespace localgov::petition {

constexpr const char* kApplicantId = "001203004567";

namespace dv1 = localgov::dossier::v1;

class PetitionAboutDossierTest : public PetitionTest {
 protected:
  void SetUp() override {
    // Each service names the other: the petition service's port is chosen first.
    petition_addr_ = absl::StrCat("127.0.0.1:", testing::FreePort());
    auto dossier = ServiceUnderTest::Start(
        dossier::Spec(),
        [&](ServiceConfig& c) {
          c.service_token_file = ServiceUnderTest::ServiceTokenFile("dossier");
          c.outbox_poll_ms = 50;
          c.peer_addrs["petition"] = petition_addr_;
        },
        &clock_);
    ASSERT_TRUE(dossier.ok()) << dossier.status();
    dossier_ = std::move(*dossier);
    dossier_stub_ = dv1::DossierService::NewStub(dossier_->channel());
    dossier_addr_ = absl::StrCat("127.0.0.1:", dossier_->service().port());
    Start([&](ServiceConfig& c) {
      c.listen = petition_addr_;
      c.peer_addrs["dossier"] = dossier_addr_;
      c.service_token_file = ServiceUnderTest::ServiceTokenFile("petition");
      c.outbox_poll_ms = 50;
    });
  }

  // A dossier of the applicant received at the counter; refused with `refusals` when given.
  dv1::Dossier ReceiveDossier(const std::vector<std::string>& refusals = {}) {
    dv1::ReceiveDossierRequest r;
    for (const auto& reason : refusals) r.add_refusal_reasons(reason);
    r.set_request_id(absl::StrCat("dossier-", ++n_));
    r.set_procedure_code("HKD-01");
    r.set_channel(dv1::CHANNEL_COUNTER);
    r.mutable_applicant()->set_full_name("Nguyễn Văn An");
    r.mutable_applicant()->set_citizen_id(kApplicantId);
    r.mutable_applicant()->set_address("Thôn Đông, xã Hòa Phú");
    r.add_documents()->set_document_code("bien-ban-hop");
    r.add_documents()->set_document_code("giay-de-nghi");
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-1");
    dv1::ReceiveDossierResponse resp;
    auto st = dossier_stub_->ReceiveDossier(&ctx, r, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.dossier();
  }

  grpc::Status GetDossier(const std::string& code, Role role, const std::string& subject,
                          dv1::GetDossierResponse* out) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, role, kCommune, subject);
    dv1::GetDossierRequest r;
    r.set_code(code);
    return dossier_stub_->GetDossier(&ctx, r, out);
  }

  // GetDossier as an officer until `done` holds of it (the outbox relays within a second).
  dv1::GetDossierResponse AwaitDossier(
      const std::string& code, const std::function<bool(const dv1::GetDossierResponse&)>& done) {
    dv1::GetDossierResponse resp;
    for (int i = 0; i < 200; ++i) {
      resp.Clear();
      auto st = GetDossier(code, Role::kOfficer, "officer-1", &resp);
      EXPECT_TRUE(st.ok()) << st.error_message();
      if (done(resp)) return resp;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "GetDossier never showed what was expected: " << resp.ShortDebugString();
    return resp;
  }

  v1::ReceivePetitionRequest ComplaintAbout(const std::string& dossier_code) {
    auto r = Complaint(absl::StrCat("complaint-", ++n_));
    r.mutable_act()->set_dossier_code(dossier_code);
    return r;
  }

  int64_t PetitionCount() {
    pqxx::connection conn(sut_->config().database_url);
    pqxx::nontransaction tx(conn);
    return tx.exec("SELECT count(*) FROM petitions")[0][0].as<int64_t>();
  }

  grpc::Status Record(const dv1::RecordDossierPetitionRequest& r, Role role,
                      dv1::RecordDossierPetitionResponse* out) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, role, kCommune, "service:petition");
    return dossier_stub_->RecordDossierPetition(&ctx, r, out);
  }

  std::unique_ptr<ServiceUnderTest> dossier_;
  std::unique_ptr<dv1::DossierService::Stub> dossier_stub_;
  std::string dossier_addr_;
  std::string petition_addr_;
  int n_ = 0;
};

}  // namespace localgov::petition

#endif  // LOCALGOV_TESTS_INTEGRATION_PETITION_DOSSIER_FIXTURE_H_

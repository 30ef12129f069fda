// Related cases across services (issue 24, item 2): a dossier refused, stopped or late is
// reported by the dossier service's outbox to the petition service, which shows it on a later
// petition of the same person or naming it, with the reason it matched — the applicant crossing
// only as matching keys, and a denouncer never matched by their person.
#include <chrono>
#include <thread>

#include "tests/integration/petition_dossier_fixture.h"

namespace localgov::petition {
namespace {

// The dossier service, as its token calls the petition service.
const Who kSystem{Role::kSystem, "000.00.00.H41", "service:dossier"};

class DossierCaseTest : public PetitionAboutDossierTest {
 protected:
  int64_t CasesKept() {
    pqxx::connection conn(sut_->config().database_url);
    pqxx::nontransaction tx(conn);
    return tx.exec("SELECT count(*) FROM dossier_cases")[0][0].as<int64_t>();
  }
  // Waits for the dossier service's outbox to have delivered `n` reports.
  void AwaitCases(int64_t n) {
    for (int i = 0; i < 200 && CasesKept() < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_EQ(CasesKept(), n) << "the dossier service's reports did not arrive";
  }
  v1::GetPetitionResponse GetWithRelated(const std::string& code) {
    v1::GetPetitionRequest g;
    g.set_code(code);
    v1::GetPetitionResponse resp;
    auto st = Call(&v1::PetitionService::Stub::GetPetition, kOfficer, g, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp;
  }
  static std::vector<std::string> Reasons(const v1::RelatedDossier& d) {
    return {d.reasons().begin(), d.reasons().end()};
  }
};

TEST_F(DossierCaseTest, ARefusedDossierIsRelatedToTheSamePersonsLaterComplaint) {
  const auto refused = ReceiveDossier({"Thiếu giấy tờ chứng minh quyền sử dụng đất"});
  ASSERT_EQ(refused.state(), dv1::DOSSIER_STATE_NOT_ACCEPTED);
  ReceiveDossier();  // accepted: nothing went wrong, nothing reported
  AwaitCases(1);

  // The applicant complains, without naming the dossier: found by their citizen ID.
  auto complaint = Complaint("complaint-after-refusal");
  complaint.mutable_petitioner()->set_citizen_id(kApplicantId);
  const auto p = Receive(complaint);
  ASSERT_EQ(p.related_dossiers_size(), 1) << p.ShortDebugString();
  const auto& related = p.related_dossiers(0);
  EXPECT_EQ(related.dossier_code(), refused.code());
  EXPECT_EQ(related.kind(), v1::DOSSIER_CASE_KIND_REFUSED);
  EXPECT_EQ(related.state(), "DOSSIER_STATE_NOT_ACCEPTED");
  EXPECT_EQ(related.procedure_code(), "HKD-01");
  EXPECT_EQ(Reasons(related), std::vector<std::string>{"same citizen ID"});
  EXPECT_EQ(GetWithRelated(p.petition().code()).related_dossiers_size(), 1) << "GetPetition too";

  // Without an ID, by name and address written without diacritics.
  auto reflection = Recommendation("reflection-by-name");
  reflection.set_kind(v1::PETITION_KIND_REFLECTION);
  reflection.mutable_petitioner()->set_citizen_id("");
  reflection.mutable_petitioner()->set_full_name("Nguyen Van An");
  reflection.mutable_petitioner()->set_address("Thon Dong, xa Hoa Phu");
  const auto r = Receive(reflection);
  ASSERT_EQ(r.related_dossiers_size(), 1) << r.ShortDebugString();
  EXPECT_EQ(Reasons(r.related_dossiers(0)),
            std::vector<std::string>{"same name and address (without diacritics)"});

  // The same name and address with another citizen ID is someone else.
  auto namesake = reflection;
  namesake.set_request_id("namesake");
  namesake.mutable_petitioner()->set_citizen_id("001203009999");
  EXPECT_EQ(Receive(namesake).related_dossiers_size(), 0);
}

TEST_F(DossierCaseTest, ADenouncerIsNeverMatchedByTheirPersonOnlyByTheDossierNamed) {
  const auto refused = ReceiveDossier({"Hồ sơ không đúng thẩm quyền"});
  AwaitCases(1);
  auto denunciation = Denunciation("denounce-refused");
  denunciation.mutable_petitioner()->set_citizen_id(kApplicantId);
  denunciation.mutable_petitioner()->set_full_name("Nguyễn Văn An");
  denunciation.mutable_petitioner()->set_address("Thôn Đông, xã Hòa Phú");
  EXPECT_EQ(Receive(denunciation).related_dossiers_size(), 0);

  auto naming = Denunciation("denounce-naming");
  naming.mutable_act()->set_dossier_code(refused.code());
  const auto p = Receive(naming);
  ASSERT_EQ(p.related_dossiers_size(), 1);
  EXPECT_EQ(Reasons(p.related_dossiers(0)), std::vector<std::string>{"named in act.dossier_code"});
}

TEST_F(DossierCaseTest, AReportIsKeptOnceAndNeverOverwrittenByAnOlderOne) {
  v1::RecordDossierCaseRequest r;
  auto* c = r.mutable_dossier_case();
  c->set_dossier_code("000.00.31.H41-261201-0007");
  c->set_agency_code(kCommune);
  c->set_procedure_code("HT-05");
  c->set_state("DOSSIER_STATE_STOPPED");
  c->set_kind(v1::DOSSIER_CASE_KIND_STOPPED);
  c->mutable_time()->set_seconds(1796000000);
  c->set_person_id_key(std::string("h:") + std::string(64, 'a'));
  c->set_version(4);
  v1::RecordDossierCaseResponse out;
  ASSERT_TRUE(Call(&v1::PetitionService::Stub::RecordDossierCase, kSystem, r, &out).ok());
  EXPECT_TRUE(out.applied());
  ASSERT_TRUE(Call(&v1::PetitionService::Stub::RecordDossierCase, kSystem, r, &out).ok());
  EXPECT_FALSE(out.applied()) << "a repeat";
  auto older = r;
  older.mutable_dossier_case()->set_version(2);
  older.mutable_dossier_case()->set_kind(v1::DOSSIER_CASE_KIND_LATE);
  ASSERT_TRUE(Call(&v1::PetitionService::Stub::RecordDossierCase, kSystem, older, &out).ok());
  EXPECT_FALSE(out.applied()) << "an older report";
  EXPECT_EQ(CasesKept(), 1);

  EXPECT_EQ(Call(&v1::PetitionService::Stub::RecordDossierCase, kOfficer, r, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::RecordDossierCaseRequest bad;
  bad.mutable_dossier_case()->set_person_name_key("Nguyễn Văn An");  // a name, not a key
  auto st = Call(&v1::PetitionService::Stub::RecordDossierCase, kSystem, bad, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(FieldsOf(st),
            (std::vector<std::string>{"dossier_case.dossier_code", "dossier_case.agency_code",
                                      "dossier_case.procedure_code", "dossier_case.state",
                                      "dossier_case.kind", "dossier_case.time",
                                      "dossier_case.person_name_key", "dossier_case.version"}));
}

}  // namespace
}  // namespace localgov::petition

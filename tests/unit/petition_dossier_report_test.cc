// What the dossier service is told of a petition naming a dossier (Petitions::DossierReport):
// where the petition stands, never who filed it or what it says.
#include "gtest/gtest.h"
#include "services/petition/petitions.h"

namespace localgov::petition {
namespace {

v1::Petition ADenunciationAboutADossier() {
  v1::Petition p;
  p.set_code("000.00.31.H41-TC-261207-0003");
  p.set_agency_code("000.00.31.H41");
  p.set_kind(v1::PETITION_KIND_DENUNCIATION);
  p.set_state(v1::PETITION_STATE_ACCEPTED);
  p.set_title("Tố cáo cán bộ địa chính nhận tiền");
  p.set_content("Ông Lê Văn X nhận tiền để xác nhận hồ sơ");
  p.mutable_act()->set_dossier_code("000.00.31.H41-261201-0007");
  p.mutable_petitioner()->set_full_name("Phạm Thị Tố Cáo");
  p.mutable_petitioner()->set_citizen_id("079187654321");
  p.mutable_received_time()->set_seconds(1796000000);
  p.mutable_next_deadline()->set_due_date("2027-01-15");
  auto* e = p.add_events();
  e->mutable_time()->set_seconds(1796100000);
  return p;
}

TEST(PetitionDossierReport, CarriesWhereThePetitionStandsAndTheFeedSequence) {
  const auto r = Petitions::DossierReport(ADenunciationAboutADossier(), 42);
  EXPECT_EQ(r.dossier_code(), "000.00.31.H41-261201-0007");
  EXPECT_EQ(r.sequence(), 42);
  EXPECT_EQ(r.petition().petition_code(), "000.00.31.H41-TC-261207-0003");
  EXPECT_EQ(r.petition().agency_code(), "000.00.31.H41");
  EXPECT_EQ(r.petition().kind(), v1::PETITION_KIND_DENUNCIATION);
  EXPECT_EQ(r.petition().state(), v1::PETITION_STATE_ACCEPTED);
  EXPECT_EQ(r.petition().next_deadline(), "2027-01-15");
  EXPECT_EQ(r.petition().received_time().seconds(), 1796000000);
  EXPECT_EQ(r.petition().update_time().seconds(), 1796100000) << "the latest event's time";
}

TEST(PetitionDossierReport, NeverCarriesThePetitionerOrTheContent) {
  const std::string bytes =
      Petitions::DossierReport(ADenunciationAboutADossier(), 1).SerializeAsString();
  for (const char* secret : {"Phạm Thị Tố Cáo", "079187654321", "Lê Văn X", "nhận tiền"}) {
    EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
  }
}

TEST(PetitionDossierReport, ADecidedPetitionHasNoNextDeadline) {
  auto p = ADenunciationAboutADossier();
  p.set_state(v1::PETITION_STATE_RESOLVED);
  p.clear_next_deadline();
  EXPECT_EQ(Petitions::DossierReport(p, 2).petition().next_deadline(), "");
}

}  // namespace
}  // namespace localgov::petition

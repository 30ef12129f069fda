#include "services/dossier/intake.h"

#include "gtest/gtest.h"

namespace localgov::dossier {
namespace {

TEST(DossierCodeTest, FollowsCircular01Article19) {
  EXPECT_EQ(DossierCode("000.00.31.H41", absl::CivilDay(2026, 3, 2), 7),
            "000.00.31.H41-260302-0007");
  EXPECT_EQ(DossierCode("000.00.31.H41", absl::CivilDay(2026, 12, 31), 9999),
            "000.00.31.H41-261231-9999");
}

TEST(DossierCodeTest, KeepsCountingPast9999WithoutWrapping) {
  EXPECT_EQ(DossierCode("000.00.31.H41", absl::CivilDay(2026, 3, 2), 10000),
            "000.00.31.H41-260302-10000");
}

TEST(CitizenIdTest, TwelveDigitsOnly) {
  EXPECT_TRUE(IsValidCitizenId("001203004567"));
  EXPECT_FALSE(IsValidCitizenId("00120300456"));
  EXPECT_FALSE(IsValidCitizenId("0012030045678"));
  EXPECT_FALSE(IsValidCitizenId("00120300456a"));
  EXPECT_EQ(MaskCitizenId("001203004567"), "********4567");
}

v1::Procedure Birth() {
  v1::Procedure p;
  p.set_code("HT-01");
  auto* a = p.add_required_documents();
  a->set_code("to-khai");
  a->set_name("Tờ khai");
  a->set_mandatory(true);
  auto* b = p.add_required_documents();
  b->set_code("giay-chung-sinh");
  b->set_name("Giấy chứng sinh");
  b->set_mandatory(true);
  auto* c = p.add_required_documents();
  c->set_code("optional");
  c->set_name("Optional");
  c->set_mandatory(false);
  return p;
}

TEST(DecideIntakeTest, CompleteIsAccepted) {
  google::protobuf::RepeatedPtrField<v1::HandedDocument> handed;
  handed.Add()->set_document_code("to-khai");
  handed.Add()->set_document_code("giay-chung-sinh");
  const auto out = DecideIntake(Birth(), handed, {});
  EXPECT_EQ(out.state, v1::DOSSIER_STATE_ACCEPTED);
  EXPECT_TRUE(out.missing.empty());
}

TEST(DecideIntakeTest, EveryMissingMandatoryDocumentIsListedAtOnce) {
  google::protobuf::RepeatedPtrField<v1::HandedDocument> none;
  const auto out = DecideIntake(Birth(), none, {});
  EXPECT_EQ(out.state, v1::DOSSIER_STATE_SUPPLEMENT_REQUESTED);
  ASSERT_EQ(out.missing.size(), 2u);
  EXPECT_EQ(out.missing[0].code(), "to-khai");
  EXPECT_EQ(out.missing[1].code(), "giay-chung-sinh");
}

TEST(DecideIntakeTest, RefusalReasonsRefuse) {
  google::protobuf::RepeatedPtrField<std::string> reasons;
  reasons.Add("Không thuộc thẩm quyền");
  const auto out = DecideIntake(Birth(), {}, reasons);
  EXPECT_EQ(out.state, v1::DOSSIER_STATE_NOT_ACCEPTED);
}

}  // namespace
}  // namespace localgov::dossier

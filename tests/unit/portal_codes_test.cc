// The portal's status codes (DOMAIN.md §1, Circular 22/2019 annex as used by provincial
// portals, unverified): the defaults, and a province's own table as configuration.
#include "services/dossier/portal_codes.h"

#include "gtest/gtest.h"

namespace localgov::dossier {
namespace {

TEST(PortalCodesTest, TheDefaultsAreTheAnnexCodesOneToTen) {
  auto codes = PortalCodes::Parse("");
  ASSERT_TRUE(codes.ok()) << codes.status();
  EXPECT_EQ(codes->Of(v1::DOSSIER_STATE_SUBMITTED), 1);
  EXPECT_EQ(codes->Of(v1::DOSSIER_STATE_ACCEPTED), 2);
  EXPECT_EQ(codes->Of(v1::DOSSIER_STATE_NOT_ACCEPTED), 3);
  EXPECT_EQ(codes->Of(v1::DOSSIER_STATE_IN_PROGRESS), 4);
  EXPECT_EQ(codes->Of(v1::DOSSIER_STATE_SUPPLEMENT_REQUESTED), 5);
  EXPECT_EQ(codes->Of(v1::DOSSIER_STATE_PAYMENT_REQUESTED), 6);
  EXPECT_EQ(codes->Of(v1::DOSSIER_STATE_WITHDRAWN), 7);
  EXPECT_EQ(codes->Of(v1::DOSSIER_STATE_STOPPED), 8);
  EXPECT_EQ(codes->Of(v1::DOSSIER_STATE_PROCESSED), 9);
  EXPECT_EQ(codes->Of(v1::DOSSIER_STATE_RETURNED), 10);
  EXPECT_EQ(codes->Of(v1::DOSSIER_STATE_UNSPECIFIED), 0);
}

TEST(PortalCodesTest, AProvinceMayRenumberSomeStatesAndKeepTheRest) {
  // A portal without a payment status reports it as in progress.
  auto codes = PortalCodes::Parse("PAYMENT_REQUESTED=4, RETURNED=11");
  ASSERT_TRUE(codes.ok()) << codes.status();
  EXPECT_EQ(codes->Of(v1::DOSSIER_STATE_PAYMENT_REQUESTED), 4);
  EXPECT_EQ(codes->Of(v1::DOSSIER_STATE_RETURNED), 11);
  EXPECT_EQ(codes->Of(v1::DOSSIER_STATE_ACCEPTED), 2);
}

TEST(PortalCodesTest, ABadTableSaysWhatIsWrong) {
  const std::pair<const char*, const char*> cases[] = {
      {"ACCEPTED", "STATE=code"},
      {"ACCEPTED=0", "1–99"},
      {"ACCEPTED=100", "1–99"},
      {"ACCEPTED=two", "1–99"},
      {"DONE=9", "unknown state \"DONE\""},
      {"UNSPECIFIED=1", "unknown state"},
      {"ACCEPTED=2,ACCEPTED=3", "ACCEPTED given twice"},
  };
  for (const auto& [setting, expected] : cases) {
    auto codes = PortalCodes::Parse(setting);
    ASSERT_FALSE(codes.ok()) << setting;
    EXPECT_EQ(codes.status().code(), absl::StatusCode::kInvalidArgument) << setting;
    EXPECT_NE(codes.status().message().find(expected), std::string::npos)
        << setting << ": " << codes.status().message();
  }
}

TEST(PortalCodesTest, EveryDossierShapeGetsItsCode) {
  auto codes = PortalCodes::Parse("ACCEPTED=12");
  ASSERT_TRUE(codes.ok());
  v1::Dossier d;
  d.set_state(v1::DOSSIER_STATE_ACCEPTED);
  d.set_portal_status_code(2);
  codes->Apply(d);
  EXPECT_EQ(d.portal_status_code(), 12);
  v1::PublicDossierView view;
  view.set_state(v1::DOSSIER_STATE_ACCEPTED);
  codes->Apply(view);
  EXPECT_EQ(view.portal_status_code(), 12);
  v1::WatchDossiersResponse change;
  change.set_to_state(v1::DOSSIER_STATE_ACCEPTED);
  codes->Apply(change);
  EXPECT_EQ(change.portal_status_code(), 12);
}

}  // namespace
}  // namespace localgov::dossier

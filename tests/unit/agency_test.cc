#include "services/liaison/agency.h"

#include "gtest/gtest.h"

namespace localgov::liaison {
namespace {

TEST(AgencyCodeTest, AcceptsNationalAgencyCodes) {
  EXPECT_TRUE(IsValidAgencyCode("000.00.00.G22"));
  EXPECT_TRUE(IsValidAgencyCode("000.00.00.H41"));
  EXPECT_TRUE(IsValidAgencyCode("000.31.25.H41"));
}

TEST(AgencyCodeTest, RefusesOtherShapes) {
  for (const char* bad : {"", "000.00.00.g22", "000.00.00.G2", "000.00.00.G222", "00.000.00.G22",
                          "000-00-00-G22", "000.00.00.222", "000.00.0A.G22"}) {
    EXPECT_FALSE(IsValidAgencyCode(bad)) << bad;
  }
}

TEST(AgencyValidationTest, ReportsEveryMissingField) {
  Validator v;
  ValidateNewAgency(Agency{}, v, "agency");
  const auto violations = FieldViolationsOf(v.status());
  ASSERT_EQ(violations.size(), 3u);
  EXPECT_EQ(violations[0].field, "agency.code");
  EXPECT_EQ(violations[1].field, "agency.name");
  EXPECT_EQ(violations[2].field, "agency.kind");
}

}  // namespace
}  // namespace localgov::liaison

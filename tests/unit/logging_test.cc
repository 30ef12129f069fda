#include "common/logging.h"

#include "gtest/gtest.h"

namespace localgov {
namespace {

TEST(RedactTest, CitizenIdNumbersNeverReachTheLog) {
  EXPECT_EQ(Redact("applicant 001203004567 submitted"), "applicant [id] submitted");
  EXPECT_EQ(Redact("old id=123456789;"), "old id=[id];");
  EXPECT_EQ(Redact("phone 0912345678"), "phone [id]");
}

TEST(RedactTest, OrdinaryNumbersStay) {
  EXPECT_EQ(Redact("port 50051, 3 working days, year 2026"),
            "port 50051, 3 working days, year 2026");
  EXPECT_EQ(Redact("dossier 000.00.00.G22-260105-0001"), "dossier 000.00.00.G22-260105-0001");
}

TEST(RedactTest, TokensNeverReachTheLog) {
  EXPECT_EQ(Redact("authorization: Bearer abc.def.ghi"), "authorization: Bearer [token]");
  EXPECT_EQ(Redact("got eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln here"), "got [token] here");
}

TEST(ScopedRequestIdTest, NestsAndRestores) {
  EXPECT_EQ(CurrentRequestId(), "");
  {
    ScopedRequestId outer("a");
    {
      ScopedRequestId inner("b");
      EXPECT_EQ(CurrentRequestId(), "b");
    }
    EXPECT_EQ(CurrentRequestId(), "a");
  }
  EXPECT_EQ(CurrentRequestId(), "");
}

}  // namespace
}  // namespace localgov

#include "common/status.h"

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace localgov {
namespace {

TEST(StatusTest, ValidatorReportsEveryViolationAtOnce) {
  Validator v;
  v.Check(false, "agency.code", "required");
  v.Check(true, "agency.kind", "never reported");
  v.Add("agency.name", "required");
  const auto status = v.status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  const auto violations = FieldViolationsOf(status);
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].field, "agency.code");
  EXPECT_EQ(violations[1].field, "agency.name");
}

TEST(StatusTest, FieldViolationsTravelAsGoogleRpcBadRequest) {
  const auto grpc_status =
      ToGrpcStatus(InvalidArgumentWithViolations({{"request_id", "required"}}));
  EXPECT_EQ(grpc_status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(grpc_status.error_details()));
  ASSERT_EQ(rpc.details_size(), 1);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(rpc.details(0).UnpackTo(&bad));
  ASSERT_EQ(bad.field_violations_size(), 1);
  EXPECT_EQ(bad.field_violations(0).field(), "request_id");
  // And back again, as a client would.
  EXPECT_EQ(FieldViolationsOf(FromGrpcStatus(grpc_status)).size(), 1u);
}

TEST(StatusTest, CodesMapOneToOne) {
  EXPECT_EQ(ToGrpcStatus(absl::UnavailableError("db")).error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(ToGrpcStatus(absl::AbortedError("x")).error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(ToGrpcStatus(absl::UnauthenticatedError("x")).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

TEST(StatusTest, InternalDetailsAreNotShownToCallers) {
  const auto s = ToGrpcStatus(absl::InternalError("database error 42P01: relation secret_table"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_EQ(s.error_message().find("secret_table"), std::string::npos);
}

}  // namespace
}  // namespace localgov

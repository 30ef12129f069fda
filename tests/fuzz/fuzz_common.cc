#include "tests/fuzz/fuzz_common.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/harness/service_fixture.h"

namespace localgov::fuzz {

bool verbose = false;

namespace {
std::string tokens[8][4];
absl::Time minted;
}  // namespace

std::string SubjectOf(Role role) {
  for (int r = 0; r < 7; ++r) {
    if (kRoles[r] == role) return role == Role::kCitizen ? kCitizenId : absl::StrCat("fuzz-", r);
  }
  return "fuzz";
}

void MintTokens() {
  for (int r = 0; r < 7; ++r) {
    for (int a = 0; a < 4; ++a) {
      tokens[r][a] =
          testing::ServiceUnderTest::Token(kRoles[r], kAgencies[a], SubjectOf(kRoles[r]));
    }
  }
  minted = absl::Now();
}

void Authorize(grpc::ClientContext& ctx, uint8_t caller) {
  const int r = caller & 7;
  const int a = (caller >> 3) & 3;
  if (r == kNoToken) return;
  if (absl::Now() - minted > absl::Hours(1)) MintTokens();
  ctx.AddMetadata("authorization", "Bearer " + tokens[r][a]);
}

void SetDeadline(grpc::ClientContext& ctx) {
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
}

void Die(const std::string& what) {
  std::fprintf(stderr, "rpc_fuzz: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

void Check(const char* rpc, const grpc::Status& st) {
  if (st.error_code() == grpc::StatusCode::INTERNAL ||
      st.error_code() == grpc::StatusCode::UNKNOWN) {
    Die(absl::StrCat(rpc, " answered ",
                     st.error_code() == grpc::StatusCode::INTERNAL ? "INTERNAL" : "UNKNOWN", ": ",
                     st.error_message()));
  }
  if (st.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    std::fprintf(stderr, "rpc_fuzz: %s took longer than 20 s\n", rpc);
  }
}

}  // namespace localgov::fuzz

// main() of every integration test binary: real PostgreSQL and Redis around all tests.
// If a server cannot start, the binary runs one test, TestServers.Start, that fails with the
// reason: integration tests never pass or skip silently without their servers.
#include <string>

#include "gtest/gtest.h"
#include "tests/harness/servers.h"

namespace {

class ServersDidNotStart final : public ::testing::Test {
 public:
  explicit ServersDidNotStart(std::string why) : why_(std::move(why)) {}
  void TestBody() override { FAIL() << "test servers could not start:\n" << why_; }

 private:
  std::string why_;
};

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  auto& servers = localgov::testing::TestServers::Get();
  const auto started = servers.Start();
  if (!started.ok()) {
    servers.Stop();
    const std::string why(started.message());
    ::testing::RegisterTest("TestServers", "Start", nullptr, nullptr, __FILE__, __LINE__,
                            [why]() -> ::testing::Test* { return new ServersDidNotStart(why); });
    ::testing::GTEST_FLAG(filter) = "TestServers.Start";
    const int failed = RUN_ALL_TESTS();
    return failed != 0 ? failed : 1;
  }
  const int rc = RUN_ALL_TESTS();
  servers.Stop();
  return rc;
}

// main() of every integration test binary: real servers around all tests.
#include "gtest/gtest.h"
#include "tests/harness/servers.h"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new localgov::testing::ServersEnvironment());
  return RUN_ALL_TESTS();
}

#ifndef LOCALGOV_TESTS_HARNESS_SERVERS_H_
#define LOCALGOV_TESTS_HARNESS_SERVERS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"

namespace localgov::testing {

// Real PostgreSQL 15 and Redis 7 servers on loopback, on free ports, with their data in a
// temporary folder; started once per test binary by ServersEnvironment. PostgreSQL runs as
// `nobody` when the tests run as root (it refuses to run as root).
class TestServers final {
 public:
  static TestServers& Get();

  absl::Status Start();
  void Stop();

  int pg_port() const { return pg_port_; }
  int redis_port() const { return redis_port_; }
  // A connection URI for the `postgres` superuser's database.
  std::string AdminUrl() const;
  // Creates a new, empty database for one test and returns its URI.
  absl::StatusOr<std::string> CreateDatabase();

  // Fault injection for tests of recovery.
  absl::Status StopPostgres();
  absl::Status StartPostgres();
  absl::Status StopRedis();
  absl::Status StartRedis();

  const std::string& dir() const { return dir_; }

 private:
  absl::Status InitPostgres();
  void StartReaper();
  std::string AsPgUser(const std::string& command) const;

  std::string dir_;
  std::string pg_bin_;
  int pg_port_ = 0;
  int redis_port_ = 0;
  int db_counter_ = 0;
  bool pg_running_ = false;
  bool redis_running_ = false;
};

// A free TCP port on 127.0.0.1 (bound and released).
int FreePort();

// Runs a shell command; returns its exit status and, on failure, its output.
absl::Status Run(const std::string& command);

}  // namespace localgov::testing

#endif  // LOCALGOV_TESTS_HARNESS_SERVERS_H_

#include "tests/harness/servers.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "pqxx/pqxx"

namespace localgov::testing {
namespace {

std::string Tail(const std::string& path, int lines = 30) {
  std::ifstream in(path);
  std::vector<std::string> all;
  std::string line;
  while (std::getline(in, line)) all.push_back(line);
  std::string out;
  for (size_t i = all.size() > static_cast<size_t>(lines) ? all.size() - lines : 0; i < all.size();
       ++i) {
    out += all[i] + "\n";
  }
  return out;
}

}  // namespace

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

absl::Status Run(const std::string& command) {
  const std::string full = command + " 2>&1";
  FILE* pipe = popen(full.c_str(), "r");
  if (pipe == nullptr) return absl::InternalError(absl::StrCat("cannot run: ", command));
  std::string output;
  char buf[4096];
  while (fgets(buf, sizeof(buf), pipe) != nullptr) output += buf;
  const int rc = pclose(pipe);
  if (rc != 0) {
    return absl::InternalError(absl::StrCat("command failed (", rc, "): ", command, "\n", output));
  }
  return absl::OkStatus();
}

TestServers& TestServers::Get() {
  static TestServers* servers = new TestServers();
  return *servers;
}

std::string TestServers::AsPgUser(const std::string& command) const {
  if (geteuid() == 0) return absl::StrCat("runuser -u nobody -- ", command);
  return command;
}

std::string TestServers::AdminUrl() const {
  return absl::StrCat("postgresql://postgres@127.0.0.1:", pg_port_, "/postgres");
}

absl::Status TestServers::Start() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = absl::StrCat(base != nullptr ? base : "/tmp", "/localgov-test-XXXXXX");
  if (mkdtemp(tmpl.data()) == nullptr) return absl::InternalError("mkdtemp failed");
  dir_ = tmpl;
  const char* bin = std::getenv("LOCALGOV_PG_BINDIR");
  pg_bin_ = bin != nullptr ? bin : "/usr/lib/postgresql/15/bin";
  if (access((pg_bin_ + "/initdb").c_str(), X_OK) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("PostgreSQL 15 not found in ", pg_bin_,
                     " (run scripts/install-deps.sh, or set LOCALGOV_PG_BINDIR)"));
  }
  if (auto st = InitPostgres(); !st.ok()) return st;
  if (auto st = StartPostgres(); !st.ok()) return st;
  redis_port_ = FreePort();
  if (auto st = StartRedis(); !st.ok()) return st;
  StartReaper();
  return absl::OkStatus();
}

// PostgreSQL and Redis run as daemons: if the test binary dies without TearDown (a crash, a
// kill), a detached watcher stops them and removes the folder once this process is gone.
void TestServers::StartReaper() {
  const std::string stop_pg =
      AsPgUser(absl::StrCat(pg_bin_, "/pg_ctl -D ", dir_, "/pg -m immediate -w -t 30 stop"));
  const std::string script = absl::StrCat(
      "while kill -0 ", getpid(), " 2>/dev/null; do sleep 1; done; ", stop_pg, "; redis-cli -p ",
      redis_port_, " shutdown nosave; ",
      std::getenv("LOCALGOV_KEEP_TEST_DIR") == nullptr ? "rm -rf " + dir_ : std::string("true"));
  (void)std::system(
      absl::StrCat("setsid sh -c '", script, "' >/dev/null 2>&1 < /dev/null &").c_str());
}

absl::Status TestServers::InitPostgres() {
  const std::string data = dir_ + "/pg";
  if (auto st = Run(absl::StrCat("mkdir -p ", data, " && chmod 755 ", dir_)); !st.ok()) return st;
  if (geteuid() == 0) {
    if (auto st = Run(absl::StrCat("chown nobody ", data)); !st.ok()) return st;
  }
  if (auto st = Run(AsPgUser(absl::StrCat(pg_bin_, "/initdb -D ", data,
                                          " -U postgres --auth=trust -E UTF8 --no-locale")));
      !st.ok()) {
    return absl::FailedPreconditionError(absl::StrCat("initdb failed: ", st.message()));
  }
  pg_port_ = FreePort();
  std::ofstream conf(data + "/postgresql.conf", std::ios::app);
  conf << "listen_addresses = '127.0.0.1'\n"
       << "port = " << pg_port_ << "\n"
       << "unix_socket_directories = ''\n"
       << "max_connections = 300\n"
       << "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
       << "log_min_messages = warning\n";
  return absl::OkStatus();
}

absl::Status TestServers::StartPostgres() {
  const std::string data = dir_ + "/pg";
  auto st = Run(AsPgUser(
      absl::StrCat(pg_bin_, "/pg_ctl -D ", data, " -l ", data, "/server.log -w -t 60 start")));
  if (!st.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("PostgreSQL did not start: ", st.message(), "\n", Tail(data + "/server.log")));
  }
  pg_running_ = true;
  return absl::OkStatus();
}

absl::Status TestServers::StopPostgres() {
  if (!pg_running_) return absl::OkStatus();
  pg_running_ = false;
  return Run(AsPgUser(absl::StrCat(pg_bin_, "/pg_ctl -D ", dir_, "/pg -m fast -w -t 60 stop")));
}

absl::Status TestServers::StartRedis() {
  const std::string log = dir_ + "/redis.log";
  auto st = Run(absl::StrCat("redis-server --port ", redis_port_,
                             " --bind 127.0.0.1 --save '' --appendonly no --daemonize yes",
                             " --dir ", dir_, " --pidfile ", dir_, "/redis.pid --logfile ", log));
  if (!st.ok()) return absl::FailedPreconditionError(absl::StrCat("redis-server: ", st.message()));
  for (int i = 0; i < 100; ++i) {
    if (Run(absl::StrCat("redis-cli -p ", redis_port_, " ping | grep -q PONG")).ok()) {
      redis_running_ = true;
      return absl::OkStatus();
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::FailedPreconditionError(absl::StrCat("Redis did not answer PING:\n", Tail(log)));
}

absl::Status TestServers::StopRedis() {
  if (!redis_running_) return absl::OkStatus();
  redis_running_ = false;
  return Run(absl::StrCat("redis-cli -p ", redis_port_, " shutdown nosave || true"));
}

absl::StatusOr<std::string> TestServers::CreateDatabase() {
  const std::string name = absl::StrCat("t", getpid(), "_", ++db_counter_);
  try {
    pqxx::connection conn(AdminUrl());
    pqxx::nontransaction tx(conn);
    tx.exec("CREATE DATABASE " + name);
  } catch (const std::exception& e) {
    return absl::UnavailableError(absl::StrCat("CREATE DATABASE failed: ", e.what()));
  }
  return absl::StrCat("postgresql://postgres@127.0.0.1:", pg_port_, "/", name);
}

void TestServers::Stop() {
  (void)StopRedis();
  (void)StopPostgres();
  if (!dir_.empty() && std::getenv("LOCALGOV_KEEP_TEST_DIR") == nullptr) {
    (void)Run("rm -rf " + dir_);
  }
}

}  // namespace localgov::testing

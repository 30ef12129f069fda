#include "tests/harness/pki.h"

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>

#include "tests/harness/servers.h"

namespace localgov::testing {

TestPki::TestPki() {
  static std::atomic<int> n{0};
  dir_ = std::filesystem::temp_directory_path() /
         ("localgov-pki-" + std::to_string(getpid()) + "-" + std::to_string(n++));
  std::filesystem::create_directories(dir_);
  const std::string d = dir_.string();
  auto run = [&](const std::string& cmd) {
    auto st = Run(cmd + " >/dev/null 2>&1");
    ok_ = ok_ && st.ok();
  };
  run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "
      "/CN=localgov-test-ca -keyout " +
      d + "/ca.key -out " + d + "/ca.crt");
  for (const std::string name : {"server", "client", "service"}) {
    run("openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=" + name +
        " -keyout " + d + "/" + name + ".key -out " + d + "/" + name + ".csr");
    const char* usage = name == "server"   ? "serverAuth"
                        : name == "client" ? "clientAuth"
                                           : "serverAuth,clientAuth";
    std::ofstream(d + "/" + name + ".ext")
        << "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=" << usage << "\n";
    run("openssl x509 -req -days 2 -in " + d + "/" + name + ".csr -CA " + d + "/ca.crt -CAkey " +
        d + "/ca.key -CAcreateserial -extfile " + d + "/" + name + ".ext -out " + d + "/" + name +
        ".crt");
  }
}

TestPki::~TestPki() { std::filesystem::remove_all(dir_); }

std::string TestPki::Read(const std::string& name) const {
  std::ifstream in(Path(name));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace localgov::testing

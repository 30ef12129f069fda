#ifndef LOCALGOV_TESTS_HARNESS_PKI_H_
#define LOCALGOV_TESTS_HARNESS_PKI_H_

#include <filesystem>
#include <string>

namespace localgov::testing {

// A throwaway CA and certificates for 127.0.0.1, made with the openssl CLI in a temporary
// folder: "server" (server auth), "client" (client auth) and "service" (both, like the
// production services' cert-manager certificates). Files: <name>.crt, <name>.key, ca.crt.
class TestPki {
 public:
  TestPki();
  ~TestPki();
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;
  bool ok() const { return ok_; }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  std::string Read(const std::string& name) const;

 private:
  std::filesystem::path dir_;
  bool ok_ = true;
};

}  // namespace localgov::testing

#endif  // LOCALGOV_TESTS_HARNESS_PKI_H_

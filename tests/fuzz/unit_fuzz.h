// What the in-process fuzz targets share (tests/fuzz/*_fuzz.cc other than rpc_fuzz): no
// database, no network, thousands of executions a second, so each can be run to 10M
// executions (scripts/fuzz.sh --long). A property that breaks aborts through Fail(), which
// libFuzzer records as a crash with the input that broke it.
//
// Each target also writes its own seed corpus: LOCALGOV_FUZZ_WRITE_SEEDS=DIR makes it write a
// few valid inputs (real tokens, rule sets, envelopes) into DIR and exit; the committed corpus
// in tests/fuzz/corpus/<target>/ was made that way.
#ifndef LOCALGOV_TESTS_FUZZ_UNIT_FUZZ_H_
#define LOCALGOV_TESTS_FUZZ_UNIT_FUZZ_H_

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/envelope.h"
#include "google/protobuf/message.h"
#include "google/protobuf/stubs/logging.h"
#include "sodium.h"

namespace localgov::fuzz {

[[noreturn]] inline void Fail(std::string_view property) {
  std::fprintf(stderr, "fuzz: property broken: %.*s\n", static_cast<int>(property.size()),
               property.data());
  std::abort();
}

// A fixed Ed25519 key (from a fixed seed), so that the committed seeds' signatures verify.
inline SigningKey FixedEd25519Key(std::string key_id, uint8_t seed_byte) {
  unsigned char seed[crypto_sign_SEEDBYTES];
  for (auto& b : seed) b = seed_byte;
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(pk, sk, seed);
  return {std::move(key_id), std::string(reinterpret_cast<char*>(sk), sizeof(sk)),
          std::string(reinterpret_cast<char*>(pk), sizeof(pk))};
}

// The seeds a target writes: each an input of its own.
class SeedWriter final {
 public:
  explicit SeedWriter(std::string dir) : dir_(std::move(dir)) {}
  // `selector` is byte 0 of the input (the part of the target it goes to).
  void Add(uint8_t selector, std::string_view body) {
    std::string bytes(1, static_cast<char>(selector));
    bytes.append(body);
    std::ofstream out(dir_ + "/seed-" + std::to_string(selector) + "-" + std::to_string(n_++),
                      std::ios::binary);
    out << bytes;
  }
  void Add(uint8_t selector, const google::protobuf::Message& m) {
    Add(selector, m.SerializeAsString());
  }

 private:
  std::string dir_;
  int n_ = 0;
};

// A target's start: protobuf's parse errors are not logged (a fuzzer makes millions), and when
// LOCALGOV_FUZZ_WRITE_SEEDS names a folder, `write` writes the seeds there and the target exits.
template <typename F>
void InitTarget(F write) {
  google::protobuf::SetLogHandler(nullptr);
  if (const char* dir = std::getenv("LOCALGOV_FUZZ_WRITE_SEEDS")) {
    SeedWriter w(dir);
    write(w);
    std::exit(0);
  }
}

}  // namespace localgov::fuzz

#endif  // LOCALGOV_TESTS_FUZZ_UNIT_FUZZ_H_

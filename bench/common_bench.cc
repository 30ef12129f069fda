// Micro-benchmarks of the per-call costs in common/ (Google Benchmark):
//   build/bench/common_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <jwt.h>

#include "absl/synchronization/mutex.h"
#include "benchmark/benchmark.h"
#include "common/auth/auth.h"
#include "common/crypto.h"
#include "common/input_policy.h"
#include "common/logging.h"
#include "common/status.h"
#include "localgov/dossier/v1/dossier_service.pb.h"

namespace localgov {
namespace {

struct Keys {
  KeyPair pair;
  std::string token;
  std::unique_ptr<TokenVerifier> verifier;
  Keys() {
    pair = *GenerateEs256KeyPair();
    TokenClaims claims;
    claims.subject = "bench";
    claims.agency = "000.00.31.H41";
    token = *MintToken(pair.private_pem, claims, SystemClock::Get());
    verifier = std::move(
        *TokenVerifier::Create(pair.public_pem, "localgov-dev", "localgov", SystemClock::Get()));
  }
};

const Keys& TheKeys() {
  static const Keys* keys = new Keys();
  return *keys;
}

// A token seen for the first time: signature check with libjwt + OpenSSL.
void BM_VerifyNewToken(benchmark::State& state) {
  const auto& k = TheKeys();
  auto fresh =
      TokenVerifier::Create(k.pair.public_pem, "localgov-dev", "localgov", SystemClock::Get());
  for (auto _ : state) {
    state.PauseTiming();
    fresh =
        TokenVerifier::Create(k.pair.public_pem, "localgov-dev", "localgov", SystemClock::Get());
    state.ResumeTiming();
    benchmark::DoNotOptimize((*fresh)->Verify(k.token));
  }
}
BENCHMARK(BM_VerifyNewToken);

// The same token again, as a client sends it on every call.
void BM_VerifyKnownToken(benchmark::State& state) {
  const auto& k = TheKeys();
  (void)k.verifier->Verify(k.token);
  for (auto _ : state) benchmark::DoNotOptimize(k.verifier->Verify(k.token));
}
BENCHMARK(BM_VerifyKnownToken);

// A forged token (its signature changed): what every call of an attacker costs, since a failed
// verification is never remembered. The ES256 check with the key decoded once refuses it.
std::string Forged(const std::string& token) {
  std::string forged = token;
  const size_t at = forged.rfind('.') + 10;
  forged[at] = forged[at] == 'A' ? 'B' : 'A';
  return forged;
}

void BM_VerifyForgedToken(benchmark::State& state) {
  const auto& k = TheKeys();
  const std::string forged = Forged(k.token);
  for (auto _ : state) benchmark::DoNotOptimize(k.verifier->Verify(forged));
}
BENCHMARK(BM_VerifyForgedToken);

// The baseline in the same run: the same forged token through libjwt alone, which decodes the
// PEM key on every call (what TokenVerifier did before the check in front of it).
void BM_VerifyForgedTokenLibjwtOnly(benchmark::State& state) {
  const auto& k = TheKeys();
  const std::string forged = Forged(k.token);
  for (auto _ : state) {
    jwt_t* jwt = nullptr;
    const int rc = jwt_decode(&jwt, forged.c_str(),
                              reinterpret_cast<const unsigned char*>(k.pair.public_pem.data()),
                              static_cast<int>(k.pair.public_pem.size()));
    benchmark::DoNotOptimize(rc);
    if (jwt != nullptr) jwt_free(jwt);
  }
}
BENCHMARK(BM_VerifyForgedTokenLibjwtOnly);

void BM_Redact(benchmark::State& state) {
  const std::string line =
      "GetAgency UNAVAILABLE for applicant 001203004567: connection to server at 127.0.0.1 failed";
  for (auto _ : state) benchmark::DoNotOptimize(Redact(line));
}
BENCHMARK(BM_Redact);

void BM_Sha256(benchmark::State& state) {
  const std::string data(256, 'x');
  for (auto _ : state) benchmark::DoNotOptimize(Sha256Hex(data));
}
BENCHMARK(BM_Sha256);

void BM_BadRequestToGrpc(benchmark::State& state) {
  for (auto _ : state) {
    Validator v;
    v.Add("agency.code", "required");
    v.Add("agency.name", "required");
    benchmark::DoNotOptimize(ToGrpcStatus(v.status()));
  }
}
BENCHMARK(BM_BadRequestToGrpc);

// Two nested absl::Mutex locks, as gRPC nests its own: with Abseil's deadlock detection on
// (argument 1: the default of Debian's Abseil, built without NDEBUG) and off (0: what
// ServiceMain and the load generator set).
void BM_NestedAbslMutex(benchmark::State& state) {
  absl::SetMutexDeadlockDetectionMode(state.range(0) != 0 ? absl::OnDeadlockCycle::kAbort
                                                          : absl::OnDeadlockCycle::kIgnore);
  static absl::Mutex outer;
  static absl::Mutex inner;
  for (auto _ : state) {
    absl::MutexLock a(&outer);
    absl::MutexLock b(&inner);
    benchmark::DoNotOptimize(&inner);
  }
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}
BENCHMARK(BM_NestedAbslMutex)->Arg(1)->Arg(0);

// The input policy on a typical intake (applicant, three documents, reasons), already in NFC:
// what every ReceiveDossier pays before its handler runs.
dossier::v1::ReceiveDossierRequest TypicalIntake() {
  dossier::v1::ReceiveDossierRequest r;
  r.set_request_id("bench-request-0001");
  r.set_procedure_code("HT-05");
  r.set_channel(dossier::v1::CHANNEL_COUNTER);
  r.mutable_applicant()->set_full_name("Nguyễn Văn An");
  r.mutable_applicant()->set_citizen_id("001203004567");
  r.mutable_applicant()->set_address("Số 12, đường Lê Lợi, phường Bến Thành");
  for (const char* code : {"to-khai", "giay-chung-sinh", "cccd"}) {
    auto* d = r.add_documents();
    d->set_document_code(code);
    d->set_file_name(std::string(code) + ".pdf");
    d->set_storage_uri(std::string("s3://localgov/ho-so/") + code);
    d->set_size_bytes(123456);
  }
  r.mutable_received_time()->set_seconds(1767225600);
  return r;
}

void BM_InputPolicyIntake(benchmark::State& state) {
  const auto r = TypicalIntake();
  for (auto _ : state) {
    auto copy = r;
    benchmark::DoNotOptimize(CheckInputPolicy(copy, true));
  }
}
BENCHMARK(BM_InputPolicyIntake);

// The baseline of the one above: the copy alone.
void BM_CopyIntake(benchmark::State& state) {
  const auto r = TypicalIntake();
  for (auto _ : state) {
    auto copy = r;
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_CopyIntake);

}  // namespace
}  // namespace localgov

BENCHMARK_MAIN();

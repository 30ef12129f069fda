// What the parts of the RPC fuzz target share (tests/fuzz/rpc_fuzz.cc is the target; its header
// comment describes the input): the callers of byte 1 and their tokens, the property every
// answer keeps, the RPC table's rows and the seeds.
#ifndef LOCALGOV_TESTS_FUZZ_FUZZ_COMMON_H_
#define LOCALGOV_TESTS_FUZZ_FUZZ_COMMON_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/auth/auth.h"
#include "google/protobuf/message.h"
#include "grpcpp/grpcpp.h"

namespace localgov::fuzz {

inline constexpr const char* kCommune = "000.00.31.H41";  // served by the dossier and petition
inline constexpr const char* kPolice = "000.00.10.G01";   // an external receiver
inline constexpr const char* kCentral = "000.00.00.H99";
inline constexpr const char* kUnknownAgency = "000.00.31.H42";
inline constexpr const char* kCitizenId = "001203004567";  // the applicant of every fresh dossier

// Byte 1 of the input: the caller (low 3 bits the role, the next 2 bits the agency).
inline constexpr Role kRoles[8] = {Role::kAdmin,     Role::kSystem,  Role::kOfficer, Role::kLeader,
                                   Role::kInspector, Role::kAuditor, Role::kCitizen, Role::kAdmin};
inline constexpr const char* kAgencies[4] = {kCommune, kPolice, kCentral, kUnknownAgency};
inline constexpr uint8_t kNoToken = 7;  // role bits 7: no token at all

constexpr uint8_t Caller(Role role, int agency = 0) {
  for (uint8_t i = 0; i < 7; ++i) {
    if (kRoles[i] == role) return static_cast<uint8_t>(i | (agency << 3));
  }
  return kNoToken;
}
// The token subject of a caller's role (officers are "fuzz-2").
std::string SubjectOf(Role role);

// LOCALGOV_FUZZ_VERBOSE=1: each call's RPC and answer on stderr.
extern bool verbose;

// Mints the callers' tokens (8 h lifetime; minted again after an hour).
void MintTokens();
void Authorize(grpc::ClientContext& ctx, uint8_t caller);
void SetDeadline(grpc::ClientContext& ctx);
[[noreturn]] void Die(const std::string& what);
// The property every answer keeps: never INTERNAL or UNKNOWN (aborts).
void Check(const char* rpc, const grpc::Status& st);

// A setup call of the harness itself: it must succeed.
template <typename S, typename Req, typename Resp>
Resp MustOn(S& stub, grpc::Status (S::*m)(grpc::ClientContext*, const Req&, Resp*), const Req& req,
            uint8_t caller, const char* what) {
  grpc::ClientContext ctx;
  SetDeadline(ctx);
  Authorize(ctx, caller);
  Resp resp;
  const auto st = (stub.*m)(&ctx, req, &resp);
  Check(what, st);
  if (!st.ok()) Die(std::string("setup ") + what + " failed: " + st.error_message());
  return resp;
}

// One row of the RPC table.
struct Rpc {
  const char* name;
  const google::protobuf::Message* prototype;
  grpc::Status (*call)(grpc::ClientContext*, const google::protobuf::Message&);
};

template <typename T>
struct MethodTraits;
template <typename S, typename Req, typename Resp>
struct MethodTraits<grpc::Status (S::*)(grpc::ClientContext*, const Req&, Resp*)> {
  using Stub = S;
  using Request = Req;
  using Response = Resp;
};

// The row of method M called on the stub that Get() returns.
template <auto M, auto Get>
Rpc MakeRpc(const char* name) {
  using T = MethodTraits<decltype(M)>;
  return {name, &T::Request::default_instance(),
          [](grpc::ClientContext* ctx, const google::protobuf::Message& req) {
            typename T::Response resp;
            return (Get().*M)(ctx, static_cast<const typename T::Request&>(req), &resp);
          }};
}

// One seed input: the RPC by name, the caller, the request.
struct Seed {
  std::string rpc;
  uint8_t caller;
  std::string request;
};

template <typename Req>
void Add(std::vector<Seed>& out, const std::string& rpc, uint8_t caller, const Req& req) {
  out.push_back({rpc, caller, req.SerializeAsString()});
}

}  // namespace localgov::fuzz

#endif  // LOCALGOV_TESTS_FUZZ_FUZZ_COMMON_H_

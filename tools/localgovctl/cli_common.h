// What every command group of localgovctl shares: the global options (the development token's
// key file, issuer and audience), the services' addresses, a channel and a bearer token to call
// them with, JSON output, and gRPC errors (with their google.rpc.BadRequest field violations)
// printed readably with an exit code.
//
// A command group is a pair of files (e.g. dossier_commands.h/.cc) with one entry point,
//   void AddXxxCommands(CLI::App& app, Shared& shared);
// that adds its subcommands to `app` and registers what each one runs with `shared.On(...)`.
// main.cc calls the entry points in the order the groups appear in `--help`.
//
// Exit codes (docs/operations.md, "localgovctl exit codes"): 0 done; 1 a check found a
// problem (or a failure that is not a refused call); 2 a usage error or a local file that
// cannot be read; 10 + the gRPC status code when a call was refused (15 NOT_FOUND,
// 17 PERMISSION_DENIED, 13 INVALID_ARGUMENT, 24 UNAVAILABLE, ...): PrintError records the code
// and Shared::Run turns a command's 1 into it.
//
// Output (--output table|json|csv, global): a read command prints the response message as JSON
// (MessageToJsonString) when JsonOutput(), its table otherwise; a report prints CSV (RFC 4180,
// a header row) when CsvOutput() (other commands print their table).
#ifndef LOCALGOV_TOOLS_LOCALGOVCTL_CLI_COMMON_H_
#define LOCALGOV_TOOLS_LOCALGOVCTL_CLI_COMMON_H_

#include <algorithm>
#include <chrono>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "CLI/CLI.hpp"
#include "common/auth/auth.h"
#include "google/protobuf/message.h"
#include "grpcpp/grpcpp.h"
#include "localgov/liaison/v1/liaison_service.grpc.pb.h"

namespace localgovctl {

using localgov::Role;
namespace lv1 = localgov::liaison::v1;

// One service localgovctl talks to: its name, the variable that overrides its address, its
// local port and its gRPC service name (for grpc.health.v1).
struct Target {
  std::string name;
  std::string env;
  int default_port;
  std::string grpc_service;
};

// dossier, petition, cadre and liaison, in that order.
const std::vector<Target>& Targets();
// The target's address: its variable if set, else 127.0.0.1 and its local port.
std::string Address(const Target& t);
std::shared_ptr<grpc::Channel> Channel(const Target& t);
// nullptr for an unknown name.
const Target* FindTarget(const std::string& name);

// A file's content; "" when it cannot be read.
std::string ReadFile(const std::string& path);
// Writes a printed paper (or any bytes) to `path` and says where, with its size, on stdout.
// Returns the exit code: 0, or 2 (with a message) when it cannot be written.
int SaveFile(const std::string& path, const std::string& bytes);

// LOCALGOV_DEV_KEY_FILE, else .local/keys/issuer.key.
std::string DefaultKeyFile();

// The global options: what development tokens are minted with.
struct TokenOptions {
  std::string key_file = DefaultKeyFile();
  std::string issuer = "localgov-dev";
  std::string audience = "localgov";
};

// A development token from the local issuer key; exits with a message when there is none.
std::string DevToken(const TokenOptions& o, Role role, const std::string& agency,
                     const std::string& subject, const std::string& office = "");
// "Bearer " and a development token of `role` for agency 000.00.00.H99, subject localgovctl.
std::string Bearer(const TokenOptions& token, Role role);

// Prints "what: CODE message" and the status's field violations (google.rpc.BadRequest), one a
// line, to stderr. Returns 1, the exit code of a failed call.
int PrintError(const std::string& what, const grpc::Status& st);

// A message as indented JSON with the proto field names.
std::string Json(const google::protobuf::Message& m);

// True when --output json was given.
bool JsonOutput();
// True when --output table was given (info prints JSON unless asked for a table).
bool TableOutput();
// True when --output csv was given.
bool CsvOutput();
// One CSV record (RFC 4180: a field with a comma, quote or line break is quoted, quotes
// doubled), ending in CRLF.
std::string CsvRow(const std::vector<std::string>& fields);
// With --output json: prints `m` as JSON and returns true; otherwise returns false (the
// caller prints its table).
bool PrintJsonIfAsked(const google::protobuf::Message& m);

// The exit code of a call refused with `code`: 10 + the gRPC status code (0 for OK).
int ExitCodeOf(grpc::StatusCode code);

// Progress of a long operation on stderr ("what: done/total"): a line that rewrites itself on
// a terminal, a line every 10% otherwise.
class Progress {
 public:
  Progress(std::string what, int64_t total);
  void Step(int64_t n = 1);
  void Done();

 private:
  std::string what_;
  int64_t total_, done_ = 0, last_decile_ = -1;
  bool tty_;
};

// An enum value's name without its prefix (AGENCY_KIND_POLICE, AGENCY_KIND_ -> POLICE), for a
// table's column.
std::string Short(const std::string& enum_name, const std::string& prefix);

// An envelope type from its short name (step-handoff, ...); prints what is allowed and returns
// nullopt when it is not one.
std::optional<lv1::EnvelopeType> ParseEnvelopeType(const std::string& name);

// One liaison RPC with a token of `role`; prints the error and returns false on failure. A
// code in `tolerated` counts as success, quietly (seeding again: already there).
template <typename Req, typename Resp>
bool LiaisonCall(const TokenOptions& token, Role role, const std::string& what,
                 grpc::Status (lv1::LiaisonService::Stub::*method)(grpc::ClientContext*, const Req&,
                                                                   Resp*),
                 const Req& req, Resp* resp, const std::string& agency = "000.00.00.H99",
                 std::initializer_list<grpc::StatusCode> tolerated = {}) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + DevToken(token, role, agency, "localgovctl"));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  auto stub = lv1::LiaisonService::NewStub(Channel(*FindTarget("liaison")));
  auto st = ((*stub).*method)(&ctx, req, resp);
  if (st.ok() ||
      std::find(tolerated.begin(), tolerated.end(), st.error_code()) != tolerated.end()) {
    return true;
  }
  PrintError(what, st);
  return false;
}

// What the command groups share: the global options, and the command each parsed subcommand
// runs.
class Shared {
 public:
  // Adds the global options to the top-level `app`.
  void AddGlobalOptions(CLI::App& app);

  const TokenOptions& token() const { return token_; }

  // `command` runs when `sub` is the subcommand given; it returns the exit code.
  void On(CLI::App* sub, std::function<int()> command);

  // `hook` runs before the command when --output json was given (a group with its own JSON
  // switch sets it).
  void OnJsonOutput(std::function<void()> hook);

  // After parsing: runs the command of the subcommand given (2 when there is none); a
  // command's 1 after a refused call becomes that call's exit code (ExitCodeOf).
  int Run() const;

 private:
  TokenOptions token_;
  std::vector<std::function<void()>> json_hooks_;
  std::vector<std::pair<CLI::App*, std::function<int()>>> commands_;
};

}  // namespace localgovctl

#endif  // LOCALGOV_TOOLS_LOCALGOVCTL_CLI_COMMON_H_

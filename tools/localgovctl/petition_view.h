// What the `localgovctl petition` commands share (petition_commands.cc, petition_seed.cc): who
// a command calls as, the client, enum words, times, and how a petition is printed.
#ifndef LOCALGOV_TOOLS_LOCALGOVCTL_PETITION_VIEW_H_
#define LOCALGOV_TOOLS_LOCALGOVCTL_PETITION_VIEW_H_

#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_join.h"
#include "grpcpp/grpcpp.h"
#include "localgov/petition/v1/petition_service.grpc.pb.h"
#include "tools/localgovctl/cli_common.h"

namespace localgovctl::petition_cli {

namespace pv1 = localgov::petition::v1;
using Stub = pv1::PetitionService::Stub;

// Who a command calls as.
struct Who {
  std::string role, agency = "000.00.31.H41", subject;
};

void AddWho(CLI::App* sub, Who& w, const std::string& role, const std::string& subject);

// A petition service client with the token of `who`.
class Client {
 public:
  Client(const TokenOptions& token, const Who& who) : token_(token), who_(who) {}

  // False (and a message) when the role is not one.
  bool Ready() {
    auto role = localgov::ParseRole(who_.role);
    if (!role.has_value()) {
      std::cerr << "localgovctl: --role is citizen, officer, leader, inspector, auditor, admin or "
                   "system\n";
      return false;
    }
    bearer_ = "Bearer " + DevToken(token_, *role, who_.agency, who_.subject);
    stub_ = pv1::PetitionService::NewStub(Channel(*FindTarget("petition")));
    return true;
  }

  template <typename Req, typename Resp>
  grpc::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
                    const Req& req, Resp* resp) {
    grpc::ClientContext ctx;
    Prepare(ctx);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(15));
    return ((*stub_).*method)(&ctx, req, resp);
  }

  void Prepare(grpc::ClientContext& ctx) const { ctx.AddMetadata("authorization", bearer_); }
  Stub& stub() { return *stub_; }

 private:
  const TokenOptions& token_;
  Who who_;
  std::string bearer_;
  std::unique_ptr<Stub> stub_;
};

// "complaint" for PETITION_KIND_COMPLAINT (prefix PETITION_KIND_): lower case, '-' for '_'.
std::string Word(const std::string& enum_name, const std::string& prefix);

// An enum value from its word (complaint, not-process, ...); prints the words allowed and
// returns nullopt when it is not one.
template <typename E>
std::optional<E> ParseWord(const std::string& option, const std::string& prefix,
                           const std::string& text) {
  const auto* d = google::protobuf::GetEnumDescriptor<E>();
  std::string upper = prefix + text;
  for (auto& c : upper) c = c == '-' ? '_' : static_cast<char>(std::toupper(c));
  if (const auto* v = d->FindValueByName(upper); v != nullptr && v->number() != 0) {
    return static_cast<E>(v->number());
  }
  std::vector<std::string> words;
  for (int i = 0; i < d->value_count(); ++i) {
    if (d->value(i)->number() != 0) words.push_back(Word(d->value(i)->name(), prefix));
  }
  std::cerr << "localgovctl: " << option << " is " << absl::StrJoin(words, ", ") << "\n";
  return std::nullopt;
}

// The dossiers related to a petition (refused, stopped, late; same person or named), one a line.
void PrintRelatedDossiers(const google::protobuf::RepeatedPtrField<pv1::RelatedDossier>& related);
std::string KindWord(pv1::PetitionKind k);
std::string StateWord(pv1::PetitionState s);
// A time as "YYYY-MM-DD HH:MM" in Vietnam time ("-" when unset).
std::string When(const google::protobuf::Timestamp& t);
// "YYYY-MM-DD HH:MM" or "YYYY-MM-DD" in Vietnam time.
bool ParseWhen(const std::string& text, google::protobuf::Timestamp* out);
// At most `n` characters of UTF-8 text (whole code points), "…" when cut.
std::string Clip(const std::string& s, size_t n);
// Pads UTF-8 text to `n` characters (printf counts bytes).
std::string Pad(const std::string& s, size_t n);
void PrintPerson(const std::string& label, const pv1::Person& p);
// Every part of a petition an officer reads: clocks, handling, history.
void PrintPetition(const pv1::Petition& p);

}  // namespace localgovctl::petition_cli

#endif  // LOCALGOV_TOOLS_LOCALGOVCTL_PETITION_VIEW_H_

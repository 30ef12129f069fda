// localgovctl exchange, envelopes and log: signing keys, test envelopes, a demo receiver of
// another agency, the liaison's envelopes and its signed message log.
#include "tools/localgovctl/exchange_commands.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/crypto.h"
#include "common/envelope.h"
#include "common/server.h"
#include "common/signed_log.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/grpcpp.h"
#include "localgov/liaison/v1/exchange.grpc.pb.h"
#include "localgov/liaison/v1/liaison_service.grpc.pb.h"
#include "nlohmann/json.hpp"

namespace localgovctl {
namespace {

int ExchangeKeygen(const std::string& key_id, const std::string& out) {
  const auto keys = localgov::GenerateEd25519KeyPair();
  if (auto st = localgov::WriteSigningKeyFile(out, key_id, keys.secret_key); !st.ok()) {
    std::cerr << "localgovctl: " << st.message() << "\n";
    return 1;
  }
  std::cout << "wrote " << out << " (key id " << key_id
            << ")\npublic key (base64): " << absl::Base64Escape(keys.public_key) << "\n";
  return 0;
}

struct SendOptions {
  std::string from, to, type = "step-handoff", correlation, payload = "{}", key_file, id,
                        in_reply_to;
};

int ExchangeSend(const TokenOptions& token, const SendOptions& o) {
  auto key = localgov::ReadSigningKeyFile(o.key_file);
  if (!key.ok()) {
    std::cerr << "localgovctl: " << key.status().message() << "\n";
    return 2;
  }
  auto type = ParseEnvelopeType(o.type);
  if (!type) return 2;
  lv1::Envelope e;
  e.set_id(o.id.empty() ? "env-" + localgov::RandomId() : o.id);
  e.set_type(*type);
  e.set_sender_agency_code(o.from);
  e.set_receiver_agency_code(o.to);
  e.set_correlation_id(o.correlation);
  e.set_in_reply_to(o.in_reply_to);
  e.set_payload(o.payload);
  e.set_content_type("application/json");
  // TimeUtil::GetCurrentTime() has whole seconds only here: take the time from Abseil.
  *e.mutable_create_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now()));
  localgov::SignEnvelope(e, key->key_id, key->secret_key);
  lv1::SendRequest req;
  *req.mutable_envelope() = e;
  lv1::SendResponse resp;
  if (!LiaisonCall(token, Role::kSystem, "send", &lv1::LiaisonService::Stub::Send, req, &resp,
                   o.from)) {
    return 1;
  }
  std::cout << Json(resp);
  return 0;
}

int Envelopes(const TokenOptions& token, const std::string& action, const std::string& id,
              const std::string& sender, const std::string& receiver, const std::string& state) {
  if (action == "show" || action == "requeue") {
    lv1::EnvelopeRecord record;
    if (action == "show") {
      lv1::GetEnvelopeRequest req;
      req.set_id(id);
      lv1::GetEnvelopeResponse resp;
      if (!LiaisonCall(token, Role::kAuditor, "envelope", &lv1::LiaisonService::Stub::GetEnvelope,
                       req, &resp)) {
        return 1;
      }
      record = resp.record();
    } else {
      lv1::RequeueRequest req;
      req.set_id(id);
      lv1::RequeueResponse resp;
      if (!LiaisonCall(token, Role::kAdmin, "requeue", &lv1::LiaisonService::Stub::Requeue, req,
                       &resp)) {
        return 1;
      }
      record = resp.record();
    }
    record.mutable_envelope()->clear_signature();
    std::cout << Json(record);
    return 0;
  }
  lv1::ListEnvelopesRequest req;
  req.set_sender_agency_code(sender);
  req.set_receiver_agency_code(receiver);
  if (!state.empty()) {
    std::string name = "DELIVERY_STATE_" + state;
    std::replace(name.begin(), name.end(), '-', '_');
    std::transform(name.begin(), name.end(), name.begin(), ::toupper);
    lv1::DeliveryState parsed;
    if (lv1::DeliveryState_Parse(name, &parsed)) req.add_states(parsed);
  }
  req.set_page_size(50);
  lv1::ListEnvelopesResponse resp;
  if (!LiaisonCall(token, Role::kAuditor, "envelopes", &lv1::LiaisonService::Stub::ListEnvelopes,
                   req, &resp)) {
    return 1;
  }
  std::cout << absl::StrFormat("%-36s %-14s %-14s %-14s %-12s %s\n", "ID", "TYPE", "FROM", "TO",
                               "STATE", "ACK");
  for (const auto& r : resp.records()) {
    std::cout << absl::StrFormat("%-36s %-14s %-14s %-14s %-12s %s %s\n", r.envelope().id(),
                                 lv1::EnvelopeType_Name(r.envelope().type()).substr(14),
                                 r.envelope().sender_agency_code(), r.delivered_to_agency_code(),
                                 lv1::DeliveryState_Name(r.state()).substr(15),
                                 lv1::AckCode_Name(r.ack_code()).substr(9), r.ack_reason());
  }
  return 0;
}

int LogCommand(const TokenOptions& token, const std::string& action, int64_t from, int64_t to,
               const std::string& file, const std::string& trust_key) {
  if (action == "verify") {
    lv1::VerifyLogRequest req;
    req.set_from_sequence(from);
    req.set_to_sequence(to);
    lv1::VerifyLogResponse resp;
    if (!LiaisonCall(token, Role::kAuditor, "verify", &lv1::LiaisonService::Stub::VerifyLog, req,
                     &resp)) {
      return 1;
    }
    if (resp.ok()) {
      std::cout << "message log OK: " << resp.checked() << " entries verified\n";
      return 0;
    }
    std::cout << "message log BROKEN at entry " << resp.first_bad_sequence() << ": "
              << resp.problem() << " (" << resp.checked() << " entries verified before it)\n";
    return 1;
  }
  if (action == "export") {
    // Page by page (5,000 entries each), one header: the pages continue one chain.
    lv1::ExportLogRequest req;
    req.set_from_sequence(from);
    req.set_to_sequence(to);
    bool first_page = true;
    while (true) {
      lv1::ExportLogResponse resp;
      if (!LiaisonCall(token, Role::kAuditor, "export", &lv1::LiaisonService::Stub::ExportLog, req,
                       &resp)) {
        return 1;
      }
      std::string_view bundle = resp.bundle();
      if (!first_page) bundle.remove_prefix(std::min(bundle.size(), bundle.find('\n') + 1));
      std::cout << bundle;
      first_page = false;
      if (resp.next_from_sequence() == 0) break;
      // Progress of a long export on stderr (the bundle is on stdout).
      std::cerr << "log export: entries up to " << resp.next_from_sequence() - 1 << " written\n";
      req.set_from_sequence(resp.next_from_sequence());
    }
    return 0;
  }
  // verify-bundle: offline, no service.
  const std::string text = ReadFile(file);
  if (text.empty()) {
    std::cerr << "localgovctl: cannot read " << file << "\n";
    return 2;
  }
  auto bundle = localgov::ParseBundle(text);
  if (!bundle.ok()) {
    std::cerr << "localgovctl: " << bundle.status().message() << "\n";
    return 1;
  }
  auto keys = bundle->public_keys;
  if (!trust_key.empty()) {
    // Trust only the key the auditor got from the liaison's operator, not the bundle's.
    std::string pub;
    if (!absl::Base64Unescape(trust_key, &pub)) {
      std::cerr << "localgovctl: --trust-key is not base64\n";
      return 2;
    }
    for (auto& [id, key] : keys) {
      if (key != pub) key.clear();
    }
  }
  for (const auto& [id, key] : bundle->public_keys) {
    std::cout << "key " << id << " sha256 " << localgov::Sha256Hex(key).substr(0, 16)
              << (keys[id].empty() ? " (NOT trusted)" : "") << "\n";
  }
  const bool from_start = !bundle->entries.empty() && bundle->entries.front().sequence == 1;
  auto check = localgov::VerifyLogEntries(bundle->entries, keys,
                                          from_start ? localgov::kLogGenesisHash : "");
  if (check.ok) {
    std::cout << "bundle OK: " << check.checked << " entries verified offline\n";
    return 0;
  }
  std::cout << "bundle BROKEN at entry " << check.first_bad_sequence << ": " << check.problem
            << "\n";
  return 1;
}

// A stand-in for another agency's system: a ReceiverService that keeps each envelope it takes
// in a JSON-lines file (so a restart does not apply anything twice), acknowledges it and,
// for a step handoff, sends the step's result back through the liaison service after a delay.
class DemoReceiver final : public lv1::ReceiverService::CallbackService {
 public:
  DemoReceiver(std::string agency, localgov::SigningKey key, std::string state_file,
               int complete_after_s)
      : agency_(std::move(agency)),
        key_(std::move(key)),
        state_file_(std::move(state_file)),
        complete_after_s_(complete_after_s) {
    std::ifstream in(state_file_);
    std::string line;
    constexpr std::string_view kCancelled = "cancelled ";
    while (std::getline(in, line)) {
      if (line.starts_with(kCancelled)) {
        cancelled_.insert(line.substr(kCancelled.size()));
      } else if (!line.empty()) {
        seen_.insert(line);
      }
    }
  }
  ~DemoReceiver() override {
    for (auto& t : pending_) t.join();
  }
  grpc::ServerUnaryReactor* Deliver(grpc::CallbackServerContext* context,
                                    const lv1::DeliverRequest* request,
                                    lv1::DeliverResponse* response) override {
    const auto& e = request->envelope();
    bool fresh = false;
    {
      std::lock_guard lock(mu_);
      if (seen_.insert(e.id()).second) {
        std::ofstream(state_file_, std::ios::app) << e.id() << "\n";  // durable first
        fresh = true;
      }
    }
    std::cout << (fresh ? "took " : "again ") << lv1::EnvelopeType_Name(e.type()) << " " << e.id()
              << " from " << e.sender_agency_code() << " re " << e.correlation_id() << std::endl;
    if (fresh && e.type() == lv1::ENVELOPE_TYPE_STEP_CANCELLATION) {
      // The sender's dossier ended: stop work on the handoff, send no result. Durable like
      // any envelope (the handoff may even come after it).
      const auto payload = nlohmann::json::parse(e.payload(), nullptr, false);
      const std::string reason = payload.is_object() ? payload.value("reason", "") : "";
      std::lock_guard lock(mu_);
      if (cancelled_.insert(e.in_reply_to()).second) {
        std::ofstream(state_file_, std::ios::app) << "cancelled " << e.in_reply_to() << "\n";
      }
      std::cout << "cancelled " << e.in_reply_to() << " (" << reason
                << "): stopped, no result will be sent" << std::endl;
    }
    if (fresh && e.type() == lv1::ENVELOPE_TYPE_STEP_HANDOFF) {
      std::lock_guard lock(mu_);
      if (cancelled_.contains(e.id())) {
        std::cout << "handoff " << e.id() << " was cancelled before it came: not started"
                  << std::endl;
      } else {
        pending_.emplace_back([this, e] { SendResult(e); });
      }
    }
    response->set_code(lv1::ACK_CODE_ARRIVED);
    response->set_receiver_reference(agency_ + ":" + e.id());
    auto* r = context->DefaultReactor();
    r->Finish(grpc::Status::OK);
    return r;
  }

 private:
  void SendResult(const lv1::Envelope& handoff) {
    std::this_thread::sleep_for(std::chrono::seconds(complete_after_s_));
    {
      std::lock_guard lock(mu_);
      if (cancelled_.contains(handoff.id())) {
        std::cout << "step " << handoff.id() << " was cancelled: result not sent" << std::endl;
        return;
      }
    }
    lv1::Envelope e;
    e.set_id(handoff.id() + ":result");
    e.set_type(lv1::ENVELOPE_TYPE_STEP_RESULT);
    e.set_sender_agency_code(agency_);
    e.set_receiver_agency_code(handoff.sender_agency_code());
    e.set_correlation_id(handoff.correlation_id());
    e.set_in_reply_to(handoff.id());
    e.set_payload(R"({"ket_qua":"hoan-thanh"})");
    e.set_content_type("application/json");
    *e.mutable_create_time() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now()));
    localgov::SignEnvelope(e, key_.key_id, key_.secret_key);
    for (int attempt = 1; attempt <= 30; ++attempt) {
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      lv1::SendRequest req;
      *req.mutable_envelope() = e;
      lv1::SendResponse resp;
      auto st =
          lv1::LiaisonService::NewStub(Channel(*FindTarget("liaison")))->Send(&ctx, req, &resp);
      if (st.ok() || st.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
        std::cout << "sent result " << e.id() << std::endl;
        return;
      }
      std::cerr << "result " << e.id() << ": " << st.error_message() << " (retrying)\n";
      std::this_thread::sleep_for(std::chrono::seconds(2));
    }
  }

  const std::string agency_;
  const localgov::SigningKey key_;
  const std::string state_file_;
  const int complete_after_s_;
  std::mutex mu_;
  std::set<std::string> seen_;
  std::set<std::string> cancelled_;  // handoffs their sender called off
  std::vector<std::thread> pending_;
};

int ServeReceiver(const std::string& agency, const std::string& listen, const std::string& key_file,
                  const std::string& state_file, int complete_after_s) {
  auto key = localgov::ReadSigningKeyFile(key_file);
  if (!key.ok()) {
    std::cerr << "localgovctl: " << key.status().message() << "\n";
    return 2;
  }
  localgov::BlockShutdownSignals();
  DemoReceiver receiver(agency, *key, state_file.empty() ? agency + ".received" : state_file,
                        complete_after_s);
  grpc::ServerBuilder b;
  b.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  b.AddListeningPort(listen, grpc::InsecureServerCredentials());
  b.RegisterService(&receiver);
  auto server = b.BuildAndStart();
  if (!server) {
    std::cerr << "localgovctl: cannot listen on " << listen << "\n";
    return 1;
  }
  std::cout << "receiver of " << agency << " on " << listen << " (Ctrl-C stops)" << std::endl;
  localgov::WaitForShutdownSignal();
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  return 0;
}

struct EnvelopesOptions {
  std::string action, id, sender, receiver, state;
};

struct LogOptions {
  std::string action, file, trust_key;
  int64_t from = 0, to = 0;
};

struct ReceiverOptions {
  std::string agency, listen, key, state;
  int after = 3;
};

}  // namespace

void AddExchangeCommands(CLI::App& app, Shared& shared) {
  const TokenOptions& token = shared.token();

  auto* exch = app.add_subcommand("exchange", "the inter-agency exchange (liaison)");
  exch->require_subcommand(1);
  auto key_id = std::make_shared<std::string>("liaison-1");
  auto key_out = std::make_shared<std::string>("liaison-log.key");
  auto* exch_keygen = exch->add_subcommand("keygen", "make an Ed25519 signing key file");
  auto* exch_pub =
      exch->add_subcommand("public-key", "print a signing key file's public key (base64)");
  exch_pub->add_option("file", *key_out, "the key file")->required();
  shared.On(exch_pub, [key_out] {
    auto key = localgov::ReadSigningKeyFile(*key_out);
    if (!key.ok()) {
      std::cerr << "localgovctl: " << key.status().message() << "\n";
      return 2;
    }
    std::cout << absl::Base64Escape(key->public_key) << "\n";
    return 0;
  });
  exch_keygen->add_option("--key-id", *key_id, "the key's id");
  exch_keygen->add_option("--out", *key_out, "where to write it");
  shared.On(exch_keygen, [key_id, key_out] { return ExchangeKeygen(*key_id, *key_out); });
  auto so = std::make_shared<SendOptions>();
  auto* exch_send = exch->add_subcommand("send", "sign and send a test envelope");
  exch_send->add_option("--from", so->from, "sending agency")->required();
  exch_send->add_option("--to", so->to, "receiving agency")->required();
  exch_send->add_option("--type", so->type, "step-handoff (default), step-result, ...");
  exch_send->add_option("--correlation", so->correlation, "dossier code or petition id")
      ->required();
  exch_send->add_option("--payload", so->payload, "JSON payload (default {})");
  exch_send->add_option("--key", so->key_file, "the sender's signing key file")->required();
  exch_send->add_option("--id", so->id, "envelope id (default random)");
  exch_send->add_option("--in-reply-to", so->in_reply_to, "for results: the envelope answered");
  shared.On(exch_send, [so, &token] { return ExchangeSend(token, *so); });
  auto ro = std::make_shared<ReceiverOptions>();
  auto* exch_recv = exch->add_subcommand(
      "serve-receiver", "run a demo receiver of another agency (acks; returns step results)");
  exch_recv->add_option("--agency", ro->agency, "the agency it stands for")->required();
  exch_recv->add_option("--listen", ro->listen, "host:port (its endpoint in the directory)")
      ->required();
  exch_recv->add_option("--key", ro->key, "the agency's signing key file")->required();
  exch_recv->add_option("--state", ro->state,
                        "file of envelope ids taken (default AGENCY.received)");
  exch_recv->add_option("--complete-after", ro->after, "seconds before the result goes back");
  shared.On(exch_recv,
            [ro] { return ServeReceiver(ro->agency, ro->listen, ro->key, ro->state, ro->after); });

  auto eo = std::make_shared<EnvelopesOptions>();
  auto* envs = app.add_subcommand("envelopes", "list, show or requeue envelopes");
  envs->add_option("action", eo->action, "list | show | requeue")->required();
  envs->add_option("id", eo->id, "envelope id (show, requeue)");
  envs->add_option("--sender", eo->sender, "only from this agency");
  envs->add_option("--receiver", eo->receiver, "only to this agency");
  envs->add_option("--state", eo->state, "only in this state")
      ->check(CLI::IsMember({"pending", "acknowledged", "refused", "dead-letter"}));
  shared.On(envs, [eo, &token] {
    return Envelopes(token, eo->action, eo->id, eo->sender, eo->receiver, eo->state);
  });

  auto lo = std::make_shared<LogOptions>();
  auto* logc = app.add_subcommand("log", "the liaison's signed message log");
  logc->add_option("action", lo->action, "verify | export | verify-bundle")->required();
  logc->add_option("file", lo->file, "the bundle (verify-bundle)");
  logc->add_option("--from", lo->from, "first entry");
  logc->add_option("--to", lo->to, "last entry");
  logc->add_option("--trust-key", lo->trust_key,
                   "verify-bundle: the liaison's public key (base64) you got from its operator");
  shared.On(logc, [lo, &token] {
    return LogCommand(token, lo->action, lo->from, lo->to, lo->file, lo->trust_key);
  });
}

}  // namespace localgovctl

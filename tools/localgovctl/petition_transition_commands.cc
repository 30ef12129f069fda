// localgovctl petition classify|assign|verify|dialogue|extend|suspend|resume|close|decide|
// publish: the petition's transitions, each with the role its RPC needs by default (officer;
// leader for assign, extend, suspend, resume, decide). Each reads the current version first
// unless --version is given, and prints the petition after.
#include <cstdint>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/crypto.h"
#include "tools/localgovctl/petition_commands.h"
#include "tools/localgovctl/petition_view.h"

namespace localgovctl {
namespace {

using namespace petition_cli;  // NOLINT: the group's shared vocabulary

// ---- transitions ----

struct ActOptions {
  Who who;
  std::string code;
  int64_t version = 0;
  std::string decision, reason, to, not_processed, complexity, excuse;  // classify
  std::string officer;                                                  // assign
  std::string note;                                                     // verify, resume, close
  std::vector<std::string> participants;                                // dialogue
  std::string held, minutes;                                            // dialogue
  int days = 0;                                                         // extend
  std::string decision_number;                                          // extend, decide
  std::string awaiting;                                                 // suspend
  std::string close_reason;                                             // close
  std::string outcome, summary;                                         // decide
  std::string publication;                                              // publish
  std::string request_id;                                               // default random
};

// One transition: reads the version unless given, builds the request with `fill` (false: a
// usage error, already printed), calls `method` and prints the petition after.
template <typename Req, typename Resp>
int Act(const TokenOptions& token, const ActOptions& o, const std::string& what,
        grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
        const std::function<bool(Req&)>& fill) {
  Req req;
  if (!fill(req)) return 2;
  Client c(token, o.who);
  if (!c.Ready()) return 2;
  int64_t version = o.version;
  if (version == 0) {  // act on the version just read
    pv1::GetPetitionRequest get;
    get.set_code(o.code);
    pv1::GetPetitionResponse got;
    auto st = c.Call(&Stub::GetPetition, get, &got);
    if (!st.ok()) return PrintError("petition " + o.code, st);
    version = got.petition().version();
  }
  req.set_code(o.code);
  req.set_expected_version(version);
  // Every transition carries a request id, so that a retry of one whose answer was lost (same
  // --request-id, same --version) gets the first answer instead of ABORTED.
  req.set_request_id(o.request_id.empty() ? "localgovctl-" + localgov::RandomId() : o.request_id);
  Resp resp;
  auto st = c.Call(method, req, &resp);
  if (!st.ok()) {
    const int rc = PrintError(what + " " + o.code, st);
    if (st.error_code() == grpc::StatusCode::UNAVAILABLE ||
        st.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
      std::cerr << "localgovctl: the answer was lost; to retry safely: --version " << version
                << " --request-id " << req.request_id() << "\n";
    }
    return rc;
  }
  PrintPetition(resp.petition());
  return 0;
}

std::optional<pv1::Complexity> ComplexityOf(const std::string& text) {
  if (text.empty()) return pv1::COMPLEXITY_UNSPECIFIED;
  return ParseWord<pv1::Complexity>("--complexity", "COMPLEXITY_", text);
}

}  // namespace

void AddPetitionTransitionCommands(CLI::App* pet, Shared& shared) {
  const TokenOptions& token = shared.token();
  auto act = [&](const std::string& name, const std::string& help, const std::string& role) {
    auto o = std::make_shared<ActOptions>();
    auto* sub = pet->add_subcommand(name, help);
    AddWho(sub, o->who, role, role == "leader" ? "commune-chair" : "reception-officer");
    sub->add_option("code", o->code, "petition code")->required();
    sub->add_option("--version", o->version, "expected version (default: the current one)");
    sub->add_option("--request-id", o->request_id,
                    "idempotency key (default random); the same key and --version retry a "
                    "transition whose answer was lost");
    return std::make_pair(sub, o);
  };

  {
    auto [sub, o] = act("classify", "accept, forward, guide or not process", "officer");
    sub->add_option("--decision", o->decision, "accept, forward, guide or not-process")->required();
    sub->add_option("--reason", o->reason, "why (told to the citizen)")->required();
    sub->add_option("--to", o->to, "forward, guide: the competent agency code");
    sub->add_option("--not-processed", o->not_processed,
                    "not-process: copy-to-competent-body, unsigned-or-anonymous, "
                    "duplicate-answered, already-settled, out-of-time, withdrawn-before");
    sub->add_option("--complexity", o->complexity, "accept: normal, complex or especially-complex");
    sub->add_option("--excuse", o->excuse, "accept out of time: why the limitation is excused");
    shared.On(sub, [o = o, &token] {
      return Act<pv1::ClassifyPetitionRequest, pv1::ClassifyPetitionResponse>(
          token, *o, "classify", &Stub::ClassifyPetition, [&](pv1::ClassifyPetitionRequest& r) {
            auto d = ParseWord<pv1::ClassificationDecision>(
                "--decision", "CLASSIFICATION_DECISION_", o->decision);
            auto cx = ComplexityOf(o->complexity);
            if (!d || !cx) return false;
            r.set_decision(*d);
            r.set_reason(o->reason);
            r.set_competent_agency_code(o->to);
            if (!o->not_processed.empty()) {
              auto n = ParseWord<pv1::NotProcessedReason>(
                  "--not-processed", "NOT_PROCESSED_REASON_", o->not_processed);
              if (!n) return false;
              r.set_not_processed_reason(*n);
            }
            r.set_complexity(*cx);
            r.set_excuse(o->excuse);
            return true;
          });
    });
  }
  {
    auto [sub, o] = act("assign", "assign the handling officer (leader)", "leader");
    sub->add_option("--officer", o->officer, "the officer (token subject)")->required();
    shared.On(sub, [o = o, &token] {
      return Act<pv1::AssignPetitionRequest, pv1::AssignPetitionResponse>(
          token, *o, "assign", &Stub::AssignPetition, [&](pv1::AssignPetitionRequest& r) {
            r.set_officer(o->officer);
            return true;
          });
    });
  }
  {
    auto [sub, o] = act("verify", "record a verification", "officer");
    sub->add_option("--note", o->note, "what was checked and found")->required();
    shared.On(sub, [o = o, &token] {
      return Act<pv1::RecordVerificationRequest, pv1::RecordVerificationResponse>(
          token, *o, "verify", &Stub::RecordVerification, [&](pv1::RecordVerificationRequest& r) {
            r.set_note(o->note);
            return true;
          });
    });
  }
  {
    auto [sub, o] = act("dialogue", "record a dialogue meeting of a complaint", "officer");
    sub->add_option("--participant", o->participants, "who took part (repeat)")->required();
    sub->add_option("--minutes", o->minutes, "the minutes")->required();
    sub->add_option("--held", o->held, "\"YYYY-MM-DD HH:MM\" (default now)");
    shared.On(sub, [o = o, &token] {
      return Act<pv1::RecordDialogueRequest, pv1::RecordDialogueResponse>(
          token, *o, "dialogue", &Stub::RecordDialogue, [&](pv1::RecordDialogueRequest& r) {
            if (!o->held.empty() && !ParseWhen(o->held, r.mutable_held_time())) return false;
            for (const auto& p : o->participants) r.add_participants(p);
            r.set_minutes(o->minutes);
            return true;
          });
    });
  }
  {
    auto [sub, o] = act("extend", "extend a denunciation's resolution period (leader)", "leader");
    sub->add_option("--days", o->days, "days added (at most 30)")->required();
    sub->add_option("--reason", o->reason, "why")->required();
    sub->add_option("--decision-number", o->decision_number, "the extension decision's number");
    sub->add_option("--complexity", o->complexity,
                    "the complexity it rests on: complex or especially-complex");
    shared.On(sub, [o = o, &token] {
      return Act<pv1::ExtendPetitionRequest, pv1::ExtendPetitionResponse>(
          token, *o, "extend", &Stub::ExtendPetition, [&](pv1::ExtendPetitionRequest& r) {
            auto cx = ComplexityOf(o->complexity);
            if (!cx) return false;
            r.set_days(o->days);
            r.set_reason(o->reason);
            r.set_decision_number(o->decision_number);
            r.set_complexity(*cx);
            return true;
          });
    });
  }
  {
    auto [sub, o] = act("suspend", "suspend handling awaiting a related matter (leader)", "leader");
    sub->add_option("--reason", o->reason, "why")->required();
    sub->add_option("--awaiting", o->awaiting, "the related matter awaited")->required();
    shared.On(sub, [o = o, &token] {
      return Act<pv1::SuspendPetitionRequest, pv1::SuspendPetitionResponse>(
          token, *o, "suspend", &Stub::SuspendPetition, [&](pv1::SuspendPetitionRequest& r) {
            r.set_reason(o->reason);
            r.set_awaiting(o->awaiting);
            return true;
          });
    });
  }
  {
    auto [sub, o] = act("resume", "resume a suspended petition (leader)", "leader");
    sub->add_option("--note", o->note, "what came of the matter awaited");
    shared.On(sub, [o = o, &token] {
      return Act<pv1::ResumePetitionRequest, pv1::ResumePetitionResponse>(
          token, *o, "resume", &Stub::ResumePetition, [&](pv1::ResumePetitionRequest& r) {
            r.set_note(o->note);
            return true;
          });
    });
  }
  {
    auto [sub, o] = act("close", "end handling without a decision", "officer");
    sub->add_option("--reason", o->close_reason, "withdrawn or no-longer-in-jurisdiction")
        ->required();
    sub->add_option("--note", o->note, "in words")->required();
    shared.On(sub, [o = o, &token] {
      return Act<pv1::ClosePetitionRequest, pv1::ClosePetitionResponse>(
          token, *o, "close", &Stub::ClosePetition, [&](pv1::ClosePetitionRequest& r) {
            auto why = ParseWord<pv1::CloseReason>("--reason", "CLOSE_REASON_", o->close_reason);
            if (!why) return false;
            r.set_reason(*why);
            r.set_note(o->note);
            return true;
          });
    });
  }
  {
    auto [sub, o] = act("decide", "record the resolution (leader)", "leader");
    sub->add_option("--outcome", o->outcome,
                    "complaint-right, complaint-partly-right, complaint-wrong, "
                    "denunciation-founded, denunciation-partly-founded, denunciation-unfounded, "
                    "answered")
        ->required();
    sub->add_option("--summary", o->summary, "what was decided")->required();
    sub->add_option("--decision-number", o->decision_number,
                    "the decision's number (complaints, denunciations)");
    shared.On(sub, [o = o, &token] {
      return Act<pv1::DecidePetitionRequest, pv1::DecidePetitionResponse>(
          token, *o, "decide", &Stub::DecidePetition, [&](pv1::DecidePetitionRequest& r) {
            auto out = ParseWord<pv1::Outcome>("--outcome", "OUTCOME_", o->outcome);
            if (!out) return false;
            r.set_outcome(*out);
            r.set_summary(o->summary);
            r.set_decision_number(o->decision_number);
            return true;
          });
    });
  }
  {
    auto [sub, o] = act("publish", "record the decision's publication", "officer");
    sub->add_option("--publication", o->publication, "where it was published")->required();
    shared.On(sub, [o = o, &token] {
      return Act<pv1::PublishDecisionRequest, pv1::PublishDecisionResponse>(
          token, *o, "publish", &Stub::PublishDecision, [&](pv1::PublishDecisionRequest& r) {
            r.set_publication(o->publication);
            return true;
          });
    });
  }
}

}  // namespace localgovctl

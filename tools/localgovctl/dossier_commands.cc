// localgovctl dossier, stats and officers: a counter officer's dossiers (receive, show, print,
// act, list, watch, rate), an agency's service-quality figures and its officers' records.
#include "tools/localgovctl/dossier_commands.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "common/crypto.h"
#include "grpcpp/grpcpp.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"
#include "localgov/petition/v1/petition_service.grpc.pb.h"

namespace localgovctl {
namespace {

struct ReceiveOptions {
  std::string procedure, name, citizen_id, phone, agency, channel = "counter", request_id;
  std::vector<std::string> docs, refusals;
  bool verification = false;
};

void PrintDossier(const localgov::dossier::v1::Dossier& d) {
  std::cout << "dossier  " << d.code() << "\nstate    "
            << localgov::dossier::v1::DossierState_Name(d.state()) << " (portal status "
            << d.portal_status_code() << ")\nprocedure " << d.procedure_code() << " v"
            << d.procedure_version() << "\nreceived "
            << absl::FormatTime("%Y-%m-%d %H:%M",
                                absl::FromUnixSeconds(d.received_time().seconds()),
                                absl::FixedTimeZone(7 * 3600))
            << " (clock starts after " << d.clock_start_date() << ")\n";
  if (!d.due_date().empty()) std::cout << "appointment " << d.due_date() << "\n";
  for (const auto& m : d.missing_documents()) std::cout << "missing  " << m.name() << "\n";
  for (const auto& r : d.refusal_reasons()) std::cout << "refused  " << r << "\n";
  for (const auto& s : d.steps()) {
    std::cout << "step " << s.index() << "   " << (s.own() ? "own " : "") << s.agency_code() << " "
              << localgov::dossier::v1::StepState_Name(s.state())
              << (s.due_date().empty() ? "" : " due " + s.due_date())
              << (s.has_acknowledge_by()
                      ? " acknowledge by " +
                            absl::FormatTime("%Y-%m-%d %H:%M",
                                             absl::FromUnixSeconds(s.acknowledge_by().seconds()),
                                             absl::FixedTimeZone(7 * 3600))
                      : "")
              << (s.outcome() == localgov::dossier::v1::OUTCOME_CLASS_UNSPECIFIED
                      ? ""
                      : " " + localgov::dossier::v1::OutcomeClass_Name(s.outcome()))
              << ": " << s.name() << "\n";
    if (s.state() == localgov::dossier::v1::STEP_STATE_CANCELLED) {
      std::cout << "         cancelled "
                << absl::FormatTime("%Y-%m-%d %H:%M",
                                    absl::FromUnixSeconds(s.cancel_time().seconds()),
                                    absl::FixedTimeZone(7 * 3600))
                << ": " << s.cancel_reason()
                << (s.cancellation_envelope_id().empty()
                        ? ""
                        : " (told " + s.agency_code() + ": " + s.cancellation_envelope_id() + ")")
                << "\n";
    }
  }
  for (const auto& e : d.events()) {
    std::cout << "  #" << e.sequence() << " " << e.actor() << " (" << e.role() << ") "
              << localgov::dossier::v1::DossierState_Name(e.to_state()) << ": " << e.note() << "\n";
  }
}

int DossierReceive(const TokenOptions& token, const ReceiveOptions& o) {
  localgov::dossier::v1::ReceiveDossierRequest req;
  req.set_request_id(o.request_id.empty() ? "localgovctl-" + localgov::RandomId() : o.request_id);
  req.set_procedure_code(o.procedure);
  req.set_receiving_agency_code(o.agency);
  req.set_channel(o.channel == "online" ? localgov::dossier::v1::CHANNEL_ONLINE
                  : o.channel == "post" ? localgov::dossier::v1::CHANNEL_POST
                                        : localgov::dossier::v1::CHANNEL_COUNTER);
  req.mutable_applicant()->set_full_name(o.name);
  req.mutable_applicant()->set_citizen_id(o.citizen_id);
  req.mutable_applicant()->set_phone(o.phone);
  for (const auto& d : o.docs) req.add_documents()->set_document_code(d);
  for (const auto& r : o.refusals) req.add_refusal_reasons(r);
  req.set_with_verification(o.verification);
  grpc::ClientContext ctx;
  ctx.AddMetadata(
      "authorization",
      "Bearer " + DevToken(token, Role::kOfficer, o.agency.empty() ? "000.00.31.H41" : o.agency,
                           "counter-officer"));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  localgov::dossier::v1::ReceiveDossierResponse resp;
  auto st = localgov::dossier::v1::DossierService::NewStub(Channel(*FindTarget("dossier")))
                ->ReceiveDossier(&ctx, req, &resp);
  if (!st.ok()) {
    PrintError("receive", st);
    return 1;
  }
  PrintDossier(resp.dossier());
  return 0;
}

int DossierShow(const TokenOptions& token, const std::string& code, const std::string& agency) {
  localgov::dossier::v1::GetDossierRequest req;
  req.set_code(code);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization",
                  "Bearer " + DevToken(token, Role::kOfficer, agency, "counter-officer"));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  localgov::dossier::v1::GetDossierResponse resp;
  auto st = localgov::dossier::v1::DossierService::NewStub(Channel(*FindTarget("dossier")))
                ->GetDossier(&ctx, req, &resp);
  if (!st.ok()) {
    PrintError("dossier " + code, st);
    return 1;
  }
  if (PrintJsonIfAsked(resp.dossier())) return 0;
  PrintDossier(resp.dossier());
  // The petitions about it, as the petition service last reported them (no petitioner).
  for (const auto& p : resp.petitions()) {
    std::cout << "petition " << p.petition_code() << "  "
              << localgov::petition::v1::PetitionKind_Name(p.kind()).substr(14) << ", "
              << localgov::petition::v1::PetitionState_Name(p.state()).substr(15)
              << (p.next_deadline().empty() ? "" : ", next deadline " + p.next_deadline()) << "  ("
              << p.agency_code() << ")\n";
  }
  return 0;
}

struct ActOptions {
  std::string action, agency = "000.00.31.H41", new_date, note, reference, request_id;
  int64_t amount = 0;
  int step = -1;
  std::vector<std::string> docs, reasons;
  int64_t version = 0;
};

int DossierAct(const TokenOptions& token, const std::string& code, const ActOptions& o) {
  namespace dv1 = localgov::dossier::v1;
  auto stub = dv1::DossierService::NewStub(Channel(*FindTarget("dossier")));
  const std::string bearer =
      "Bearer " + DevToken(token, Role::kOfficer, o.agency, "counter-officer");
  auto context = [&](grpc::ClientContext& ctx) {
    ctx.AddMetadata("authorization", bearer);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  };
  int64_t version = o.version;
  if (version == 0) {  // convenience: act on the version just read
    grpc::ClientContext ctx;
    context(ctx);
    dv1::GetDossierRequest req;
    req.set_code(code);
    dv1::GetDossierResponse resp;
    auto st = stub->GetDossier(&ctx, req, &resp);
    if (!st.ok()) {
      PrintError("dossier " + code, st);
      return 1;
    }
    version = resp.dossier().version();
  }
  grpc::ClientContext ctx;
  context(ctx);
  grpc::Status st;
  dv1::Dossier out;
  // Every transition carries a request id, so that a retry of one whose answer was lost (same
  // --request-id, same --version) gets the first answer instead of ABORTED.
  const std::string request_id =
      o.request_id.empty() ? "localgovctl-" + localgov::RandomId() : o.request_id;
  auto finish = [&](auto& req, auto& resp, auto method) {
    req.set_code(code);
    req.set_expected_version(version);
    req.set_request_id(request_id);
    st = ((*stub).*method)(&ctx, req, &resp);
    if (st.ok()) out = resp.dossier();
  };
  const std::string reason = o.reasons.empty() ? "" : o.reasons.front();
  if (o.action == "start") {
    dv1::StartProcessingRequest req;
    dv1::StartProcessingResponse resp;
    finish(req, resp, &dv1::DossierService::Stub::StartProcessing);
  } else if (o.action == "supplement") {
    dv1::RequestSupplementRequest req;
    for (const auto& d : o.docs) req.add_missing_document_codes(d);
    dv1::RequestSupplementResponse resp;
    finish(req, resp, &dv1::DossierService::Stub::RequestSupplement);
  } else if (o.action == "complete") {
    dv1::CompleteSupplementRequest req;
    for (const auto& d : o.docs) req.add_documents()->set_document_code(d);
    dv1::CompleteSupplementResponse resp;
    finish(req, resp, &dv1::DossierService::Stub::CompleteSupplement);
  } else if (o.action == "apologize") {
    dv1::ApologizeRequest req;
    req.set_reason(reason);
    req.set_new_due_date(o.new_date);
    dv1::ApologizeResponse resp;
    finish(req, resp, &dv1::DossierService::Stub::Apologize);
  } else if (o.action == "result") {
    dv1::RecordResultRequest req;
    req.set_note(reason);
    dv1::RecordResultResponse resp;
    finish(req, resp, &dv1::DossierService::Stub::RecordResult);
  } else if (o.action == "return") {
    dv1::ReturnResultRequest req;
    dv1::ReturnResultResponse resp;
    finish(req, resp, &dv1::DossierService::Stub::ReturnResult);
  } else if (o.action == "withdraw") {
    dv1::WithdrawDossierRequest req;
    req.set_reason(reason);
    dv1::WithdrawDossierResponse resp;
    finish(req, resp, &dv1::DossierService::Stub::WithdrawDossier);
  } else if (o.action == "stop") {
    dv1::StopProcessingRequest req;
    for (const auto& r : o.reasons) req.add_reasons(r);
    dv1::StopProcessingResponse resp;
    finish(req, resp, &dv1::DossierService::Stub::StopProcessing);
  } else if (o.action == "pay-request") {
    dv1::RequestPaymentRequest req;
    req.set_amount_vnd(o.amount);
    req.set_reason(reason);
    dv1::RequestPaymentResponse resp;
    finish(req, resp, &dv1::DossierService::Stub::RequestPayment);
  } else if (o.action == "pay-confirm") {
    dv1::ConfirmPaymentRequest req;
    req.set_payment_reference(o.reference);
    dv1::ConfirmPaymentResponse resp;
    finish(req, resp, &dv1::DossierService::Stub::ConfirmPayment);
  } else if (o.action == "step-done") {
    dv1::CompleteStepRequest req;
    req.set_step_index(o.step);
    req.set_note(reason);
    dv1::CompleteStepResponse resp;
    finish(req, resp, &dv1::DossierService::Stub::CompleteStep);
  } else {
    std::cerr << "localgovctl: --action is start, supplement, complete, apologize, result, "
                 "return, withdraw, stop, pay-request, pay-confirm or step-done\n";
    return 2;
  }
  if (!st.ok()) {
    PrintError(o.action + " " + code, st);
    if (st.error_code() == grpc::StatusCode::UNAVAILABLE ||
        st.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
      std::cerr << "localgovctl: the answer was lost; to retry safely: --version " << version
                << " --request-id " << request_id << "\n";
    }
    return 1;
  }
  PrintDossier(out);
  return 0;
}

struct ListOptions {
  std::string agency = "000.00.31.H41";
  int due_within = -1;
  bool late = false, late_no_apology = false, transfer_overdue = false;
  std::string applicant, procedure;
  int limit = 20;
};

// An officer's worklist: open dossiers by due date.
int DossierList(const TokenOptions& token, const ListOptions& o) {
  namespace dv1 = localgov::dossier::v1;
  auto stub = dv1::DossierService::NewStub(Channel(*FindTarget("dossier")));
  dv1::ListDossiersRequest req;
  req.set_agency_code(o.agency);
  if (o.due_within >= 0) req.set_due_within_working_days(o.due_within);
  req.set_late_only(o.late);
  req.set_late_without_apology_only(o.late_no_apology);
  req.set_transfer_overdue_only(o.transfer_overdue);
  req.set_applicant_citizen_id(o.applicant);
  req.set_procedure_code(o.procedure);
  req.set_page_size(std::min(o.limit, 100));
  const std::string bearer =
      "Bearer " + DevToken(token, Role::kOfficer, o.agency, "counter-officer");
  int shown = 0;
  dv1::ListDossiersResponse all;  // --output json: the dossiers listed, as one response
  if (!JsonOutput()) {
    std::cout << absl::StrFormat("%-28s %-10s %-22s %-11s %s\n", "CODE", "PROCEDURE", "STATE",
                                 "DUE", "APPLICANT");
  }
  while (shown < o.limit) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", bearer);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    dv1::ListDossiersResponse resp;
    auto st = stub->ListDossiers(&ctx, req, &resp);
    if (!st.ok()) {
      PrintError("list", st);
      return 1;
    }
    for (const auto& d : resp.dossiers()) {
      if (shown++ >= o.limit) break;
      if (JsonOutput()) {
        *all.add_dossiers() = d;
        continue;
      }
      const std::string state = dv1::DossierState_Name(d.state()).substr(14);  // DOSSIER_STATE_
      std::cout << absl::StrFormat(
          "%-28s %-10s %-22s %-11s %s %s%s\n", d.code(), d.procedure_code(), state,
          d.due_date().empty() ? "-" : d.due_date(), d.applicant().full_name(),
          d.applicant().citizen_id(), d.has_apology() ? " (apologized)" : "");
    }
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  PrintJsonIfAsked(all);
  return 0;
}

// Follows WatchDossiers and prints each change; stops after `count` changes (0: never).
int DossierWatch(const TokenOptions& token, const std::string& agency, const std::string& code,
                 int64_t after, int count) {
  namespace dv1 = localgov::dossier::v1;
  auto stub = dv1::DossierService::NewStub(Channel(*FindTarget("dossier")));
  dv1::WatchDossiersRequest req;
  if (code.empty()) {
    req.set_agency_code(agency);
  } else {
    req.set_dossier_code(code);
  }
  req.set_after_sequence(after);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + DevToken(token, Role::kSystem, agency, "portal"));
  auto reader = stub->WatchDossiers(&ctx, req);
  dv1::WatchDossiersResponse c;
  int seen = 0;
  while (reader->Read(&c)) {
    std::cout << absl::StrFormat("#%d %s %s %s -> %s (portal %d) v%d due %s", c.sequence(),
                                 c.dossier_code(),
                                 absl::FormatTime("%Y-%m-%d %H:%M:%S",
                                                  absl::FromUnixSeconds(c.time().seconds()),
                                                  absl::FixedTimeZone(7 * 3600)),
                                 dv1::DossierState_Name(c.from_state()),
                                 dv1::DossierState_Name(c.to_state()), c.portal_status_code(),
                                 c.dossier_version(), c.due_date().empty() ? "-" : c.due_date())
              << std::endl;
    if (count > 0 && ++seen >= count) {
      ctx.TryCancel();
      while (reader->Read(&c)) {
      }
      reader->Finish().IgnoreError();
      return 0;
    }
  }
  auto st = reader->Finish();
  if (!st.ok()) {
    PrintError("watch", st);
    return 1;
  }
  return 0;
}

// The applicant rates a returned dossier (a citizen token for --citizen-id).
int DossierRate(const TokenOptions& token, const std::string& code, const std::string& citizen_id,
                const std::string& level, const std::string& comment) {
  namespace dv1 = localgov::dossier::v1;
  dv1::RateDossierRequest req;
  req.set_code(code);
  req.set_level(level == "very-satisfied"  ? dv1::SATISFACTION_LEVEL_VERY_SATISFIED
                : level == "satisfied"     ? dv1::SATISFACTION_LEVEL_SATISFIED
                : level == "not-satisfied" ? dv1::SATISFACTION_LEVEL_NOT_SATISFIED
                                           : dv1::SATISFACTION_LEVEL_UNSPECIFIED);
  req.set_comment(comment);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + DevToken(token, Role::kCitizen, "", citizen_id));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  dv1::RateDossierResponse resp;
  auto st =
      dv1::DossierService::NewStub(Channel(*FindTarget("dossier")))->RateDossier(&ctx, req, &resp);
  if (!st.ok()) {
    PrintError("rate " + code, st);
    return 1;
  }
  std::cout << "rated " << code << ": " << dv1::SatisfactionLevel_Name(resp.rating().level())
            << "\n";
  return 0;
}

// An agency's service-quality figures for a period.
int Stats(const TokenOptions& token, const std::string& agency, const std::string& from,
          const std::string& to) {
  namespace dv1 = localgov::dossier::v1;
  dv1::GetAgencyStatisticsRequest req;
  req.set_agency_code(agency);
  req.set_from_date(from);
  req.set_to_date(to);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + DevToken(token, Role::kLeader, agency, "leader"));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  dv1::GetAgencyStatisticsResponse resp;
  auto st = dv1::DossierService::NewStub(Channel(*FindTarget("dossier")))
                ->GetAgencyStatistics(&ctx, req, &resp);
  if (!st.ok()) {
    PrintError("stats", st);
    return 1;
  }
  std::cout << Json(resp.statistics()) << "\n";
  return 0;
}

// Each officer's record at an agency for a year, as a table: the one-stop record from the
// dossier service (ListOfficerRecords) and the petitions resolved from the petition service
// (ListOfficerPetitionRecords), by token subject. A service that does not answer leaves its
// columns as "-" and says so; the command then exits 1.
int OfficerRecords(const TokenOptions& token, const std::string& agency, int year) {
  namespace dv1 = localgov::dossier::v1;
  namespace pv1 = localgov::petition::v1;
  const std::string bearer = "Bearer " + DevToken(token, Role::kLeader, agency, "leader");
  auto deadline = std::chrono::system_clock::now() + std::chrono::seconds(10);
  dv1::ListOfficerRecordsRequest dreq;
  dreq.set_agency_code(agency);
  dreq.set_year(year);
  dv1::ListOfficerRecordsResponse dossiers;
  grpc::ClientContext dctx;
  dctx.AddMetadata("authorization", bearer);
  dctx.set_deadline(deadline);
  const auto dst = dv1::DossierService::NewStub(Channel(*FindTarget("dossier")))
                       ->ListOfficerRecords(&dctx, dreq, &dossiers);
  pv1::ListOfficerPetitionRecordsRequest preq;
  preq.set_agency_code(agency);
  preq.set_year(year);
  pv1::ListOfficerPetitionRecordsResponse petitions;
  grpc::ClientContext pctx;
  pctx.AddMetadata("authorization", bearer);
  pctx.set_deadline(deadline);
  const auto pst = pv1::PetitionService::NewStub(Channel(*FindTarget("petition")))
                       ->ListOfficerPetitionRecords(&pctx, preq, &petitions);
  if (!dst.ok() && !pst.ok()) {
    PrintError("officers (dossier)", dst);
    PrintError("officers (petition)", pst);
    return 1;
  }
  std::map<std::string, std::pair<const dv1::OfficerRecord*, const pv1::OfficerPetitionRecord*>>
      rows;
  for (const auto& r : dossiers.records()) rows[r.subject()].first = &r;
  for (const auto& r : petitions.records()) rows[r.subject()].second = &r;
  if (rows.empty()) {
    std::cout << "no officer of " << agency << " has a record in " << year << "\n";
  } else {
    std::cout << absl::StrFormat("%-24s %6s %8s %6s %8s %5s %17s %10s %8s %5s\n", "OFFICER",
                                 "STEPS", "RESULTS", "EARLY", "ON TIME", "LATE", "LATE, NO APOLOGY",
                                 "PETITIONS", "ON TIME", "LATE");
  }
  auto n = [](bool ok, const auto* r, auto get) {
    return !ok ? std::string("-") : std::to_string(r == nullptr ? 0 : get(*r));
  };
  for (const auto& [subject, r] : rows) {
    const auto* d = r.first;
    const auto* p = r.second;
    const bool dok = dst.ok(), pok = pst.ok();
    std::cout << absl::StrFormat("%-24s %6s %8s %6s %8s %5s %17s %10s %8s %5s\n", subject,
                                 n(dok, d, [](const auto& x) { return x.steps_handled(); }),
                                 n(dok, d, [](const auto& x) { return x.results(); }),
                                 n(dok, d, [](const auto& x) { return x.early(); }),
                                 n(dok, d, [](const auto& x) { return x.on_time(); }),
                                 n(dok, d, [](const auto& x) { return x.late(); }),
                                 n(dok, d, [](const auto& x) { return x.late_without_apology(); }),
                                 n(pok, p, [](const auto& x) { return x.resolved(); }),
                                 n(pok, p, [](const auto& x) { return x.on_time(); }),
                                 n(pok, p, [](const auto& x) { return x.late(); }));
  }
  if (!dst.ok()) return PrintError("officers: one-stop records (dossier service)", dst);
  if (!pst.ok()) return PrintError("officers: petitions (petition service)", pst);
  return 0;
}

struct ShowOptions {
  std::string code, agency = "000.00.31.H41";
};

struct PrintOptions {
  std::string code, agency = "000.00.31.H41", paper = "receipt", output;
};

// PrintDossierPaper, saved to -o (default: the file name the service suggests).
int DossierPrint(const TokenOptions& token, const PrintOptions& o) {
  namespace dv1 = localgov::dossier::v1;
  dv1::PrintDossierPaperRequest req;
  req.set_code(o.code);
  req.set_paper(o.paper == "receipt"      ? dv1::DOSSIER_PAPER_FORM_01_RECEIPT
                : o.paper == "completion" ? dv1::DOSSIER_PAPER_FORM_02_COMPLETION_REQUEST
                : o.paper == "refusal"    ? dv1::DOSSIER_PAPER_FORM_03_REFUSAL
                : o.paper == "apology"    ? dv1::DOSSIER_PAPER_FORM_04_APOLOGY
                                          : dv1::DOSSIER_PAPER_UNSPECIFIED);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization",
                  "Bearer " + DevToken(token, Role::kOfficer, o.agency, "counter-officer"));
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  dv1::PrintDossierPaperResponse resp;
  auto st = dv1::DossierService::NewStub(Channel(*FindTarget("dossier")))
                ->PrintDossierPaper(&ctx, req, &resp);
  if (!st.ok()) return PrintError("print " + o.code, st);
  return SaveFile(o.output.empty() ? resp.file_name() : o.output, resp.pdf());
}

struct WatchOptions {
  std::string agency = "000.00.31.H41", code;
  int64_t after = 0;
  int count = 0;
};

struct RateOptions {
  std::string code, citizen, level = "satisfied", comment;
};

struct StatsOptions {
  std::string agency = "000.00.31.H41", from, to;
};

struct OfficersOptions {
  std::string agency = "000.00.31.H41";
  int year = 0;
};

}  // namespace

void AddDossierCommands(CLI::App& app, Shared& shared) {
  const TokenOptions& token = shared.token();

  auto* dos = app.add_subcommand("dossier", "a counter officer's dossiers");
  dos->require_subcommand(1);
  auto ro = std::make_shared<ReceiveOptions>();
  auto* dos_receive = dos->add_subcommand("receive", "receive a dossier (officer of --agency)");
  dos_receive->add_option("--procedure", ro->procedure, "procedure code")->required();
  dos_receive->add_option("--name", ro->name, "applicant's full name")->required();
  dos_receive->add_option("--citizen-id", ro->citizen_id, "12-digit citizen ID")->required();
  dos_receive->add_option("--phone", ro->phone, "applicant's phone");
  dos_receive->add_option("--agency", ro->agency, "receiving agency (default 000.00.31.H41)");
  dos_receive->add_option("--channel", ro->channel, "counter, post or online");
  dos_receive->add_option("--doc", ro->docs, "a document code handed in (repeat)");
  dos_receive->add_option("--refuse", ro->refusals, "refuse with this reason (repeat)");
  dos_receive->add_flag("--verification", ro->verification, "the longer limit applies");
  dos_receive->add_option("--request-id", ro->request_id, "idempotency key (default random)");
  shared.On(dos_receive, [ro, &token] { return DossierReceive(token, *ro); });

  auto so = std::make_shared<ShowOptions>();
  auto* dos_show = dos->add_subcommand("show", "a dossier and its history");
  dos_show->add_option("code", so->code, "dossier code")->required();
  dos_show->add_option("--agency", so->agency, "the officer's agency");
  shared.On(dos_show, [so, &token] { return DossierShow(token, so->code, so->agency); });

  auto po = std::make_shared<PrintOptions>();
  auto* dos_print =
      dos->add_subcommand("print",
                          "the citizen's paper as a PDF (Circular 01/2018 forms 01–04), e.g. "
                          "`dossier print CODE --paper receipt -o giay-hen.pdf`");
  dos_print->add_option("code", po->code, "dossier code")->required();
  dos_print
      ->add_option("--paper", po->paper,
                   "receipt (form 01), completion (02), refusal (03) or apology (04)")
      ->check(CLI::IsMember({"receipt", "completion", "refusal", "apology"}));
  dos_print->add_option("-o,--output", po->output, "the PDF file (default: <code>-mau-0N.pdf)");
  dos_print->add_option("--agency", po->agency, "the officer's agency");
  shared.On(dos_print, [po, &token] { return DossierPrint(token, *po); });

  auto act_code = std::make_shared<std::string>();
  auto ao = std::make_shared<ActOptions>();
  auto* dos_act = dos->add_subcommand("act", "move a dossier on (officer of --agency)");
  dos_act->add_option("code", *act_code, "dossier code")->required();
  dos_act
      ->add_option(
          "--action", ao->action,
          "start, supplement, complete, apologize, result, return, withdraw, stop, pay-request, "
          "pay-confirm, step-done")
      ->required();
  dos_act->add_option("--step", ao->step, "the agency's own route step done (step-done)");
  dos_act->add_option("--version", ao->version, "expected version (default: the current one)");
  dos_act->add_option("--agency", ao->agency, "the officer's agency");
  dos_act->add_option("--doc", ao->docs, "document code (supplement, complete; repeat)");
  dos_act->add_option("--reason", ao->reasons,
                      "reason (apologize, withdraw, stop; repeat); note (result, step-done)");
  dos_act->add_option("--new-date", ao->new_date, "new due date YYYY-MM-DD (apologize)");
  dos_act->add_option("--amount", ao->amount, "đồng (pay-request; --reason says what for)");
  dos_act->add_option("--reference", ao->reference, "receipt reference (pay-confirm)");
  dos_act->add_option("--request-id", ao->request_id,
                      "idempotency key (default random); a retry with the same key and "
                      "--version gets the first answer");
  shared.On(dos_act, [act_code, ao, &token] { return DossierAct(token, *act_code, *ao); });

  auto lo = std::make_shared<ListOptions>();
  auto* dos_list = dos->add_subcommand("list", "the worklist, by due date (officer of --agency)");
  dos_list->add_option("--agency", lo->agency, "the officer's agency");
  dos_list->add_option("--due-within", lo->due_within,
                       "open dossiers due within N working days (0: today or overdue)");
  dos_list->add_flag("--late", lo->late, "open dossiers past their due date");
  dos_list->add_flag("--late-no-apology", lo->late_no_apology, "late, with no apology issued");
  dos_list->add_flag("--transfer-overdue", lo->transfer_overdue,
                     "accepted, still not handed to processing after their day of receipt");
  dos_list->add_option("--applicant", lo->applicant, "the applicant's citizen ID");
  dos_list->add_option("--procedure", lo->procedure, "procedure code");
  dos_list->add_option("--limit", lo->limit, "at most this many (default 20)");
  shared.On(dos_list, [lo, &token] { return DossierList(token, *lo); });

  auto wo = std::make_shared<WatchOptions>();
  auto* dos_watch = dos->add_subcommand("watch", "follow changes as the portal does");
  dos_watch->add_option("--agency", wo->agency, "the receiving agency");
  dos_watch->add_option("--code", wo->code, "one dossier instead of an agency");
  dos_watch->add_option("--after", wo->after, "resume after this feed sequence");
  dos_watch->add_option("--count", wo->count, "stop after N changes (default: follow)");
  shared.On(dos_watch, [wo, &token] {
    return DossierWatch(token, wo->agency, wo->code, wo->after, wo->count);
  });

  auto rt = std::make_shared<RateOptions>();
  auto* dos_rate = dos->add_subcommand("rate", "the applicant rates a returned dossier");
  dos_rate->add_option("code", rt->code, "dossier code")->required();
  dos_rate->add_option("--citizen-id", rt->citizen, "the applicant's citizen ID")->required();
  dos_rate->add_option("--level", rt->level, "very-satisfied, satisfied or not-satisfied");
  dos_rate->add_option("--comment", rt->comment, "what the applicant said");
  shared.On(dos_rate, [rt, &token] {
    return DossierRate(token, rt->code, rt->citizen, rt->level, rt->comment);
  });

  auto st = std::make_shared<StatsOptions>();
  auto* stats = app.add_subcommand("stats", "an agency's service-quality figures");
  stats->add_option("--agency", st->agency, "the agency (default 000.00.31.H41)");
  stats->add_option("--from", st->from, "first day YYYY-MM-DD")->required();
  stats->add_option("--to", st->to, "last day YYYY-MM-DD")->required();
  shared.On(stats, [st, &token] { return Stats(token, st->agency, st->from, st->to); });

  auto of = std::make_shared<OfficersOptions>();
  auto* officers = app.add_subcommand(
      "officers", "each officer's one-stop record and petitions resolved for a year");
  officers->add_option("--agency", of->agency, "the agency (default 000.00.31.H41)");
  officers->add_option("--year", of->year, "the year")->required();
  shared.On(officers, [of, &token] { return OfficerRecords(token, of->agency, of->year); });
}

}  // namespace localgovctl

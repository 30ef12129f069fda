// libFuzzer target over every unary RPC of the dossier, liaison and petition services (issue 16
// item 4). The petition part (its service, rows, placeholders, seeds) is in
// petition_fuzz_world.cc; what the parts share in fuzz_common.h.
//
// Input: byte 0 picks the RPC (modulo the table below), byte 1 the caller (its low 3 bits the
// role, the next 2 bits the agency), the rest is parsed as that RPC's request; bytes that do not
// parse are skipped. The request then goes through a real gRPC channel to the services started
// once in LLVMFuzzerInitialize, in-process against the harness's real PostgreSQL and Redis: the
// input policy, the handler's validation and the store path all run.
//
// The property: every call returns, nothing crashes, no sanitizer reports, and no answer is
// INTERNAL or UNKNOWN (those abort, so libFuzzer saves the input as crash-<sha1>).
//
// So that the deep paths are reached without guessing codes, versions or signatures, the
// harness fills in these placeholders before the call (deterministically, per input):
//   - a request's top-level string field `code` of "@R", "@P", "@S", "@D", "@F" or "@L" becomes
//     the code of a dossier received for this input (HKD-01 "@R" received, "@P" in progress,
//     "@S" waiting for a supplement, "@D" result recorded, "@F" returned; "@L" the liên thông
//     LT-01, in progress with steps at the police); the
//     request's `expected_version`, if it has one, is added to that dossier's version (0: the
//     right version);
//   - an envelope (Send, Deliver) whose signing_key_id is "@sign" is signed with the fuzz key of
//     its sender (the commune's, or the police's for any other sender); an envelope id of "@"
//     becomes a fresh id;
//   - a petition code "@KN", "@KA", "@TC", "@TA", "@KNG", ... : see petition_fuzz_world.h.
// LOCALGOV_FUZZ_WRITE_SEEDS=DIR: writes the seed corpus (a few valid requests of each RPC) into
// DIR and exits without starting anything (scripts/fuzz.sh).
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/crypto.h"
#include "common/envelope.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/stubs/logging.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"
#include "localgov/liaison/v1/exchange.grpc.pb.h"
#include "localgov/liaison/v1/liaison_service.grpc.pb.h"
#include "services/dossier/dossier_spec.h"
#include "services/liaison/liaison_spec.h"
#include "spdlog/spdlog.h"
#include "tests/fuzz/fuzz_common.h"
#include "tests/fuzz/petition_fuzz_world.h"
#include "tests/harness/servers.h"
#include "tests/harness/service_fixture.h"
#include "tests/integration/exchange_fixture.h"

namespace localgov::fuzz {
namespace {

namespace dv1 = dossier::v1;
namespace lv1 = liaison::v1;
using google::protobuf::Message;
using testing::ServiceUnderTest;

// ---- The services under test -----------------------------------------------------------------

struct World {
  liaison::ExternalReceiver police;
  std::unique_ptr<ServiceUnderTest> dossier_sut;
  std::unique_ptr<ServiceUnderTest> liaison_sut;
  std::unique_ptr<dv1::DossierService::Stub> dossier;
  std::unique_ptr<lv1::ReceiverService::Stub> receiver;
  std::unique_ptr<lv1::LiaisonService::Stub> liaison;
  Ed25519KeyPair commune_key;
  Ed25519KeyPair police_key;
  std::atomic<int64_t> counter{0};
};

World* world = nullptr;

template <typename S>
S& StubOf();
template <>
dv1::DossierService::Stub& StubOf() {
  return *world->dossier;
}
template <>
lv1::ReceiverService::Stub& StubOf() {
  return *world->receiver;
}
template <>
lv1::LiaisonService::Stub& StubOf() {
  return *world->liaison;
}

// A setup call of the harness itself: it must succeed.
template <typename S, typename Req, typename Resp>
Resp Must(grpc::Status (S::*m)(grpc::ClientContext*, const Req&, Resp*), const Req& req,
          uint8_t caller, const char* what) {
  return MustOn(StubOf<S>(), m, req, caller, what);
}

// ---- Placeholders --------------------------------------------------------------------------

template <typename Req, typename Resp>
dv1::Dossier Act(grpc::Status (dv1::DossierService::Stub::*m)(grpc::ClientContext*, const Req&,
                                                              Resp*),
                 Req req, const dv1::Dossier& d, const char* what) {
  req.set_code(d.code());
  req.set_expected_version(d.version());
  return Must(m, req, Caller(Role::kOfficer), what).dossier();
}

// A dossier received now for this input (HKD-01): 'R' received, 'P' in progress, 'S' waiting
// for a supplement, 'D' result recorded, 'F' finished and returned; 'L' an LT-01 in progress
// (its steps handed to the police).
dv1::Dossier FreshDossier(char kind) {
  dv1::ReceiveDossierRequest r;
  r.set_request_id(absl::StrCat("fuzz-", getpid(), "-", ++world->counter));
  r.set_channel(dv1::CHANNEL_COUNTER);
  r.mutable_applicant()->set_full_name("Nguyễn Văn An");
  r.mutable_applicant()->set_citizen_id(kCitizenId);
  if (kind == 'L') {
    r.set_procedure_code("LT-01");
    r.add_documents()->set_document_code("to-khai-lien-thong");
    r.add_documents()->set_document_code("giay-chung-sinh");
  } else {
    r.set_procedure_code("HKD-01");
    r.add_documents()->set_document_code("bien-ban-hop");
    r.add_documents()->set_document_code("giay-de-nghi");
  }
  dv1::Dossier d = Must(&dv1::DossierService::Stub::ReceiveDossier, r, Caller(Role::kOfficer),
                        "fresh ReceiveDossier")
                       .dossier();
  if (kind == 'R') return d;
  d = Act(&dv1::DossierService::Stub::StartProcessing, dv1::StartProcessingRequest(), d,
          "fresh StartProcessing");
  if (kind == 'S') {
    dv1::RequestSupplementRequest ask;
    ask.add_missing_document_codes("giay-de-nghi");
    return Act(&dv1::DossierService::Stub::RequestSupplement, ask, d, "fresh RequestSupplement");
  }
  if (kind != 'F' && kind != 'D') return d;
  dv1::RecordResultRequest result;
  result.set_note("Đã giải quyết");
  d = Act(&dv1::DossierService::Stub::RecordResult, result, d, "fresh RecordResult");
  if (kind == 'D') return d;
  return Act(&dv1::DossierService::Stub::ReturnResult, dv1::ReturnResultRequest(), d,
             "fresh ReturnResult");
}

void FillDossierCode(Message& m) {
  const auto* desc = m.GetDescriptor();
  const auto* refl = m.GetReflection();
  const auto* code = desc->FindFieldByName("code");
  if (code == nullptr || code->type() != google::protobuf::FieldDescriptor::TYPE_STRING ||
      code->is_repeated()) {
    return;
  }
  const std::string value = refl->GetString(m, code);
  if (value.size() != 2 || value[0] != '@' ||
      std::string_view("RPSDFL").find(value[1]) == std::string_view::npos) {
    return;
  }
  const dv1::Dossier d = FreshDossier(value[1]);
  refl->SetString(&m, code, d.code());
  const auto* version = desc->FindFieldByName("expected_version");
  if (version != nullptr && version->type() == google::protobuf::FieldDescriptor::TYPE_INT64) {
    refl->SetInt64(&m, version,
                   static_cast<int64_t>(static_cast<uint64_t>(d.version()) +
                                        static_cast<uint64_t>(refl->GetInt64(m, version))));
  }
}

void FillEnvelope(lv1::Envelope& e) {
  if (e.id() == "@") e.set_id(absl::StrCat("fuzz-envelope-", getpid(), "-", ++world->counter));
  if (e.signing_key_id() == "@sign") {
    if (e.sender_agency_code() == kCommune) {
      SignEnvelope(e, "fuzz-commune", world->commune_key.secret_key);
    } else {
      SignEnvelope(e, "fuzz-police", world->police_key.secret_key);
    }
  }
}

void FillPlaceholders(Message& m) {
  FillDossierCode(m);
  petition_part::FillPlaceholders(m);
  if (auto* send = dynamic_cast<lv1::SendRequest*>(&m)) FillEnvelope(*send->mutable_envelope());
  if (auto* deliver = dynamic_cast<lv1::DeliverRequest*>(&m)) {
    FillEnvelope(*deliver->mutable_envelope());
  }
}

// ---- Known findings ------------------------------------------------------------------------
// None open: a finding's reproducer stays in tests/fuzz/findings/ (README.md there) as a
// regression input once fixed. While one is open, skip inputs of its shape here so that a
// short run keeps finding new ones, and send them anyway under LOCALGOV_FUZZ_KNOWN=1.

// ---- The RPC table -------------------------------------------------------------------------

template <auto M>
Rpc Make(const char* name) {
  return MakeRpc<M, &StubOf<typename MethodTraits<decltype(M)>::Stub>>(name);
}

using D = dv1::DossierService::Stub;
using L = lv1::LiaisonService::Stub;
using R = lv1::ReceiverService::Stub;

// The order is the input format: append, never reorder (saved corpora and findings name RPCs
// by their index).
const std::vector<Rpc>& Rpcs() {
  static const std::vector<Rpc> rpcs = {
      Make<&D::GetServiceInfo>("dossier.GetServiceInfo"),
      Make<&D::GetCalendarYear>("dossier.GetCalendarYear"),
      Make<&D::SetCalendarYear>("dossier.SetCalendarYear"),
      Make<&D::ApplyCalendarNotice>("dossier.ApplyCalendarNotice"),
      Make<&D::ComputeDueDate>("dossier.ComputeDueDate"),
      Make<&D::ListProcedures>("dossier.ListProcedures"),
      Make<&D::GetProcedure>("dossier.GetProcedure"),
      Make<&D::ReceiveDossier>("dossier.ReceiveDossier"),
      Make<&D::GetDossier>("dossier.GetDossier"),
      Make<&D::ListDossiers>("dossier.ListDossiers"),
      Make<&D::LookupDossier>("dossier.LookupDossier"),
      Make<&D::RateDossier>("dossier.RateDossier"),
      Make<&D::GetAgencyStatistics>("dossier.GetAgencyStatistics"),
      Make<&D::StartProcessing>("dossier.StartProcessing"),
      Make<&D::RequestSupplement>("dossier.RequestSupplement"),
      Make<&D::CompleteSupplement>("dossier.CompleteSupplement"),
      Make<&D::Apologize>("dossier.Apologize"),
      Make<&D::RecordResult>("dossier.RecordResult"),
      Make<&D::ReturnResult>("dossier.ReturnResult"),
      Make<&D::WithdrawDossier>("dossier.WithdrawDossier"),
      Make<&D::StopProcessing>("dossier.StopProcessing"),
      Make<&D::RequestPayment>("dossier.RequestPayment"),
      Make<&D::ConfirmPayment>("dossier.ConfirmPayment"),
      Make<&D::CompleteStep>("dossier.CompleteStep"),
      Make<&R::Deliver>("dossier.Receiver.Deliver"),
      Make<&L::GetServiceInfo>("liaison.GetServiceInfo"),
      Make<&L::CreateAgency>("liaison.CreateAgency"),
      Make<&L::GetAgency>("liaison.GetAgency"),
      Make<&L::ResolveAgency>("liaison.ResolveAgency"),
      Make<&L::MergeAgency>("liaison.MergeAgency"),
      Make<&L::SetAgencyEndpoint>("liaison.SetAgencyEndpoint"),
      Make<&L::AddAgencyKey>("liaison.AddAgencyKey"),
      Make<&L::GrantAccess>("liaison.GrantAccess"),
      Make<&L::Send>("liaison.Send"),
      Make<&L::GetEnvelope>("liaison.GetEnvelope"),
      Make<&L::ListEnvelopes>("liaison.ListEnvelopes"),
      Make<&L::Requeue>("liaison.Requeue"),
      Make<&L::VerifyLog>("liaison.VerifyLog"),
      Make<&L::ExportLog>("liaison.ExportLog"),
      Make<&L::ListAgencies>("liaison.ListAgencies"),
      Make<&L::CreateAdministrativeUnit>("liaison.CreateAdministrativeUnit"),
      Make<&L::GetAdministrativeUnit>("liaison.GetAdministrativeUnit"),
      Make<&L::ListAdministrativeUnits>("liaison.ListAdministrativeUnits"),
      Make<&L::RecordUnitSuccession>("liaison.RecordUnitSuccession"),
      Make<&L::ResolveAdministrativeUnit>("liaison.ResolveAdministrativeUnit"),
      Make<&L::GetDirectorySnapshot>("liaison.GetDirectorySnapshot"),
  };
  static const std::vector<Rpc> all = [] {
    std::vector<Rpc> out = rpcs;
    for (const Rpc& r : petition_part::Rpcs())
      out.push_back(r);  // tests/fuzz/petition_fuzz_world.h
    // Added after the petition part (appended, so earlier indices keep their RPCs).
    out.push_back(Make<&D::PrintDossierPaper>("dossier.PrintDossierPaper"));
    out.push_back(Make<&D::ListOfficerRecords>("dossier.ListOfficerRecords"));
    return out;
  }();
  return all;
}

// ---- Seeds ---------------------------------------------------------------------------------

dv1::HandedDocument Document(const std::string& code) {
  dv1::HandedDocument d;
  d.set_document_code(code);
  d.set_file_name(code + ".pdf");
  d.set_media_type("application/pdf");
  d.set_size_bytes(12345);
  return d;
}

lv1::Envelope SeedEnvelope(lv1::EnvelopeType type, const std::string& from, const std::string& to) {
  lv1::Envelope e;
  e.set_id("@");
  e.set_type(type);
  e.set_sender_agency_code(from);
  e.set_receiver_agency_code(to);
  e.set_correlation_id("000.00.31.H41-260302-0001");
  e.set_payload(R"({"buoc":"dang-ky-thuong-tru"})");
  e.set_content_type("application/json");
  e.mutable_create_time()->set_seconds(1772420400);  // 2026-03-02
  e.set_signing_key_id("@sign");
  return e;
}

std::vector<Seed> Seeds() {
  std::vector<Seed> s;
  const uint8_t officer = Caller(Role::kOfficer);
  const uint8_t admin = Caller(Role::kAdmin, 2);
  const uint8_t citizen = Caller(Role::kCitizen);
  const uint8_t leader = Caller(Role::kLeader);
  const uint8_t auditor = Caller(Role::kAuditor, 2);
  const uint8_t system = Caller(Role::kSystem);

  Add(s, "dossier.GetServiceInfo", officer, dv1::GetServiceInfoRequest());
  {
    dv1::GetCalendarYearRequest r;
    r.set_year(2026);
    Add(s, "dossier.GetCalendarYear", officer, r);
    r.set_year(2031);
    Add(s, "dossier.GetCalendarYear", citizen, r);
  }
  {
    dv1::CalendarYear c;
    c.set_year(2030);
    auto* h = c.add_holidays();
    h->set_date("2030-01-01");
    h->set_name("Tết Dương lịch");
    auto* sw = c.add_swapped_days_off();
    sw->set_date("2030-04-29");
    sw->set_name("Nghỉ bù");
    auto* mk = c.add_make_up_working_days();
    mk->set_date("2030-05-04");
    mk->set_name("Làm bù");
    c.set_source("Thông báo 1/TB-BNV");
    auto* src = c.add_sources();
    src->set_reference("1/TB-BNV");
    src->set_issued_date("2029-11-01");
    src->set_summary("Lịch nghỉ năm 2030");
    dv1::SetCalendarYearRequest set;
    *set.mutable_calendar() = c;
    Add(s, "dossier.SetCalendarYear", admin, set);
    dv1::ApplyCalendarNoticeRequest notice;
    *notice.mutable_calendar() = c;
    notice.set_expected_version(1);
    Add(s, "dossier.ApplyCalendarNotice", admin, notice);
  }
  {
    dv1::ComputeDueDateRequest r;
    r.mutable_received_time()->set_seconds(1772420400);
    r.set_unit(dv1::LIMIT_UNIT_WORKING_DAYS);
    r.set_amount(3);
    Add(s, "dossier.ComputeDueDate", officer, r);
    r.set_unit(dv1::LIMIT_UNIT_WORKING_HOURS);
    r.set_amount(8);
    Add(s, "dossier.ComputeDueDate", citizen, r);
  }
  {
    dv1::ListProceduresRequest r;
    r.set_query("hộ kinh doanh");
    r.set_page_size(5);
    Add(s, "dossier.ListProcedures", citizen, r);
    dv1::GetProcedureRequest g;
    g.set_code("HKD-01");
    g.set_as_of("2026-03-02");
    Add(s, "dossier.GetProcedure", officer, g);
    g.set_code("LT-01");
    g.clear_as_of();
    Add(s, "dossier.GetProcedure", citizen, g);
  }
  {
    dv1::ReceiveDossierRequest r;
    r.set_request_id("seed-1");
    r.set_procedure_code("HKD-01");
    r.set_channel(dv1::CHANNEL_COUNTER);
    r.mutable_applicant()->set_full_name("Nguyễn Văn An");
    r.mutable_applicant()->set_citizen_id(kCitizenId);
    r.mutable_applicant()->set_phone("0912345678");
    r.mutable_applicant()->set_address("Số 1, phường Hoàn Kiếm");
    *r.add_documents() = Document("bien-ban-hop");
    *r.add_documents() = Document("giay-de-nghi");
    Add(s, "dossier.ReceiveDossier", officer, r);
    r.set_request_id("seed-2");
    r.set_procedure_code("LT-01");
    r.set_channel(dv1::CHANNEL_ONLINE);
    r.clear_documents();
    *r.add_documents() = Document("to-khai-lien-thong");
    *r.add_documents() = Document("giay-chung-sinh");
    r.set_with_verification(true);
    Add(s, "dossier.ReceiveDossier", officer, r);
    r.set_request_id("seed-3");
    r.set_procedure_code("HT-05");
    r.clear_documents();
    *r.add_documents() = Document("to-khai");
    r.add_refusal_reasons("Thiếu giấy tờ");
    r.mutable_received_time()->set_seconds(1772420400);
    Add(s, "dossier.ReceiveDossier", system, r);
  }
  for (const char* code : {"@R", "@F"}) {
    dv1::GetDossierRequest g;
    g.set_code(code);
    Add(s, "dossier.GetDossier", officer, g);
  }
  for (const char* code : {"@R", "@S"}) {
    dv1::PrintDossierPaperRequest p;
    p.set_code(code);
    p.set_paper(code[1] == 'R' ? dv1::DOSSIER_PAPER_FORM_01_RECEIPT
                               : dv1::DOSSIER_PAPER_FORM_02_COMPLETION_REQUEST);
    Add(s, "dossier.PrintDossierPaper", officer, p);
  }
  {
    dv1::ListDossiersRequest r;
    r.set_agency_code(kCommune);
    r.add_states(dv1::DOSSIER_STATE_IN_PROGRESS);
    r.add_channels(dv1::CHANNEL_COUNTER);
    r.set_procedure_code("HKD-01");
    r.set_due_before("2026-12-31");
    r.set_page_size(10);
    Add(s, "dossier.ListDossiers", officer, r);
    dv1::ListDossiersRequest late;
    late.set_late_only(true);
    late.set_due_within_working_days(3);
    late.set_applicant_citizen_id(kCitizenId);
    Add(s, "dossier.ListDossiers", leader, late);
    Add(s, "dossier.ListDossiers", citizen, dv1::ListDossiersRequest());
  }
  {
    dv1::LookupDossierRequest r;
    r.set_code("@R");
    r.set_second_factor("4567");
    Add(s, "dossier.LookupDossier", citizen, r);
    dv1::RateDossierRequest rate;
    rate.set_code("@F");
    rate.set_level(dv1::SATISFACTION_LEVEL_SATISFIED);
    rate.set_comment("Cán bộ nhiệt tình");
    Add(s, "dossier.RateDossier", citizen, rate);
    dv1::GetAgencyStatisticsRequest st;
    st.set_agency_code(kCommune);
    st.set_from_date("2026-01-01");
    st.set_to_date("2026-12-31");
    Add(s, "dossier.GetAgencyStatistics", leader, st);
    dv1::ListOfficerRecordsRequest officers;
    officers.set_agency_code(kCommune);
    officers.set_year(2026);
    Add(s, "dossier.ListOfficerRecords", leader, officers);
  }
  {
    dv1::StartProcessingRequest r;
    r.set_code("@R");
    Add(s, "dossier.StartProcessing", officer, r);
    dv1::RequestSupplementRequest sup;
    sup.set_code("@P");
    sup.add_missing_document_codes("giay-de-nghi");
    Add(s, "dossier.RequestSupplement", officer, sup);
    dv1::CompleteSupplementRequest done;
    done.set_code("@S");
    *done.add_documents() = Document("giay-de-nghi");
    Add(s, "dossier.CompleteSupplement", officer, done);
    dv1::ApologizeRequest ap;
    ap.set_code("@P");
    ap.set_reason("Chờ Công an xác minh nơi cư trú");
    ap.set_new_due_date("2026-12-30");
    Add(s, "dossier.Apologize", officer, ap);
    dv1::RecordResultRequest res;
    res.set_code("@P");
    res.set_note("Đã cấp giấy chứng nhận");
    Add(s, "dossier.RecordResult", officer, res);
    dv1::ReturnResultRequest ret;
    ret.set_code("@D");
    Add(s, "dossier.ReturnResult", officer, ret);
    dv1::WithdrawDossierRequest w;
    w.set_code("@R");
    w.set_reason("Công dân rút hồ sơ");
    Add(s, "dossier.WithdrawDossier", officer, w);
    dv1::StopProcessingRequest stop;
    stop.set_code("@P");
    stop.add_reasons("Không đủ điều kiện");
    Add(s, "dossier.StopProcessing", leader, stop);
    dv1::RequestPaymentRequest pay;
    pay.set_code("@P");
    pay.set_amount_vnd(100000);
    pay.set_reason("Lệ phí");
    Add(s, "dossier.RequestPayment", officer, pay);
    dv1::ConfirmPaymentRequest paid;
    paid.set_code("@P");  // refused: no payment asked; the fuzzer finds the rest
    paid.set_payment_reference("PAY-2026-0001");
    Add(s, "dossier.ConfirmPayment", officer, paid);
    dv1::CompleteStepRequest step;
    step.set_code("@L");
    step.set_step_index(1);
    step.set_note("Xong bước");
    Add(s, "dossier.CompleteStep", officer, step);
    step.set_step_index(0);
    Add(s, "dossier.CompleteStep", system, step);
  }
  {
    lv1::DeliverRequest d;
    *d.mutable_envelope() =
        SeedEnvelope(lv1::ENVELOPE_TYPE_STEP_RESULT, kPolice, kCommune);  // police -> commune
    d.set_delivered_to_agency_code(kCommune);
    Add(s, "dossier.Receiver.Deliver", kNoToken, d);
  }
  Add(s, "liaison.GetServiceInfo", auditor, lv1::GetServiceInfoRequest());
  {
    lv1::CreateAgencyRequest c;
    c.set_request_id("seed-agency-1");
    c.mutable_agency()->set_code("000.00.12.G03");
    c.mutable_agency()->set_name("Cục Thuế");
    c.mutable_agency()->set_kind(lv1::AGENCY_KIND_TAX);
    Add(s, "liaison.CreateAgency", admin, c);
    lv1::GetAgencyRequest g;
    g.set_code(kPolice);
    Add(s, "liaison.GetAgency", officer, g);
    lv1::ResolveAgencyRequest rs;
    rs.set_code(kCommune);
    Add(s, "liaison.ResolveAgency", officer, rs);
    lv1::MergeAgencyRequest m;
    m.set_code("000.00.12.G03");
    m.set_successor_code(kPolice);
    m.set_effective_date("2026-07-01");
    Add(s, "liaison.MergeAgency", admin, m);
    lv1::SetAgencyEndpointRequest e;
    e.set_code(kPolice);
    e.set_receiver_endpoint("127.0.0.1:1");
    Add(s, "liaison.SetAgencyEndpoint", admin, e);
    lv1::AddAgencyKeyRequest k;
    k.set_agency_code(kPolice);
    k.set_key_id("police-2027");
    k.set_public_key(std::string(32, '\x07'));
    k.mutable_valid_from()->set_seconds(1767225600);
    k.mutable_valid_until()->set_seconds(1798761600);
    Add(s, "liaison.AddAgencyKey", admin, k);
    lv1::GrantAccessRequest g2;
    g2.set_sender_agency_code(kCommune);
    g2.set_type(lv1::ENVELOPE_TYPE_OFFICIAL_DOCUMENT);
    g2.set_receiver_agency_code(kPolice);
    Add(s, "liaison.GrantAccess", admin, g2);
  }
  {
    lv1::SendRequest r;
    *r.mutable_envelope() = SeedEnvelope(lv1::ENVELOPE_TYPE_STEP_HANDOFF, kCommune, kPolice);
    Add(s, "liaison.Send", officer, r);
    r.mutable_acknowledge_by()->set_seconds(1893456000);
    *r.mutable_envelope() = SeedEnvelope(lv1::ENVELOPE_TYPE_STEP_RESULT, kPolice, kCommune);
    Add(s, "liaison.Send", kNoToken, r);
    lv1::GetEnvelopeRequest g;
    g.set_id("fuzz-envelope-1");
    Add(s, "liaison.GetEnvelope", auditor, g);
    lv1::ListEnvelopesRequest l;
    l.set_sender_agency_code(kCommune);
    l.add_states(lv1::DELIVERY_STATE_PENDING);
    l.set_type(lv1::ENVELOPE_TYPE_STEP_HANDOFF);
    l.mutable_accepted_after()->set_seconds(1767225600);
    l.set_page_size(20);
    Add(s, "liaison.ListEnvelopes", auditor, l);
    lv1::RequeueRequest rq;
    rq.set_id("fuzz-envelope-1");
    Add(s, "liaison.Requeue", admin, rq);
    lv1::VerifyLogRequest v;
    v.set_from_sequence(1);
    Add(s, "liaison.VerifyLog", auditor, v);
    lv1::ExportLogRequest x;
    x.set_from_sequence(1);
    x.set_to_sequence(100);
    Add(s, "liaison.ExportLog", auditor, x);
    lv1::ListAgenciesRequest la;
    la.set_kind(lv1::AGENCY_KIND_POLICE);
    la.set_status(lv1::AGENCY_STATUS_ACTIVE);
    la.set_page_size(10);
    Add(s, "liaison.ListAgencies", officer, la);
  }
  {
    lv1::CreateAdministrativeUnitRequest c;
    c.set_request_id("seed-unit-1");
    c.mutable_unit()->set_code("00001");
    c.mutable_unit()->set_name("Phường Hoàn Kiếm");
    c.mutable_unit()->set_level(lv1::UNIT_LEVEL_COMMUNE);
    c.mutable_unit()->set_parent_code("01");
    c.mutable_unit()->set_valid_from("2025-07-01");
    Add(s, "liaison.CreateAdministrativeUnit", admin, c);
    c.set_request_id("seed-unit-2");
    c.mutable_unit()->set_code("01");
    c.mutable_unit()->set_name("Thành phố Hà Nội");
    c.mutable_unit()->set_level(lv1::UNIT_LEVEL_PROVINCE);
    c.mutable_unit()->clear_parent_code();
    Add(s, "liaison.CreateAdministrativeUnit", admin, c);
    lv1::GetAdministrativeUnitRequest g;
    g.set_code("00001");
    Add(s, "liaison.GetAdministrativeUnit", officer, g);
    lv1::ListAdministrativeUnitsRequest l;
    l.set_parent_code("01");
    l.set_level(lv1::UNIT_LEVEL_COMMUNE);
    l.set_on_date("2026-03-02");
    l.set_include_history(true);
    Add(s, "liaison.ListAdministrativeUnits", citizen, l);
    lv1::RecordUnitSuccessionRequest su;
    su.set_kind(lv1::SUCCESSION_KIND_MERGED_INTO);
    su.add_predecessor_codes("00001");
    su.add_predecessor_codes("00004");
    su.add_successor_codes("00007");
    su.set_effective_date("2025-07-01");
    Add(s, "liaison.RecordUnitSuccession", admin, su);
    lv1::ResolveAdministrativeUnitRequest rs;
    rs.set_code("00001");
    Add(s, "liaison.ResolveAdministrativeUnit", officer, rs);
    lv1::GetDirectorySnapshotRequest snap;
    snap.set_known_version(0);
    Add(s, "liaison.GetDirectorySnapshot", kNoToken, snap);
    snap.set_known_version(1);
    Add(s, "liaison.GetDirectorySnapshot", system, snap);
  }
  for (auto& seed : petition_part::Seeds()) s.push_back(std::move(seed));
  return s;
}

void WriteSeeds(const std::string& dir) {
  const auto& rpcs = Rpcs();
  int written = 0;
  for (const auto& seed : Seeds()) {
    size_t index = rpcs.size();
    for (size_t i = 0; i < rpcs.size(); ++i) {
      if (seed.rpc == rpcs[i].name) index = i;
    }
    if (index == rpcs.size()) Die("seed of an unknown RPC: " + seed.rpc);
    std::string bytes;
    bytes.push_back(static_cast<char>(index));
    bytes.push_back(static_cast<char>(seed.caller));
    bytes += seed.request;
    std::ofstream(absl::StrCat(dir, "/", seed.rpc, "-", ++written), std::ios::binary) << bytes;
  }
  std::printf("rpc_fuzz: %d seeds of %zu RPCs written to %s\n", written, rpcs.size(), dir.c_str());
}

// ---- Start-up ------------------------------------------------------------------------------

void StartWorld() {
  auto& servers = testing::TestServers::Get();
  if (auto st = servers.Start(); !st.ok()) {
    Die(absl::StrCat("test servers could not start: ", st.message()));
  }
  world = new World();
  // Each needs the other's address: the liaison delivers to the dossier service, which fetches
  // the signed directory from the liaison and hands its route steps to it.
  const int liaison_port = testing::FreePort();
  const int petition_port = testing::FreePort();
  auto quiet = [](ServiceConfig& c) {
    c.log_level = "error";
    c.outbox_poll_ms = 200;
  };
  auto dossier = ServiceUnderTest::Start(dossier::Spec(), [&](ServiceConfig& c) {
    quiet(c);
    c.peer_addrs["liaison"] = absl::StrCat("127.0.0.1:", liaison_port);
  });
  if (!dossier.ok()) Die(absl::StrCat("dossier service: ", dossier.status().message()));
  world->dossier_sut = std::move(*dossier);
  const int dossier_port = world->dossier_sut->service().port();
  auto liaison = ServiceUnderTest::Start(liaison::Spec(), [&](ServiceConfig& c) {
    quiet(c);
    c.listen = absl::StrCat("127.0.0.1:", liaison_port);
    c.peer_addrs["dossier"] = absl::StrCat("127.0.0.1:", dossier_port);
    c.peer_addrs["petition"] = absl::StrCat("127.0.0.1:", petition_port);
  });
  if (!liaison.ok()) Die(absl::StrCat("liaison service: ", liaison.status().message()));
  world->liaison_sut = std::move(*liaison);
  world->dossier = dv1::DossierService::NewStub(world->dossier_sut->channel());
  world->receiver = lv1::ReceiverService::NewStub(world->dossier_sut->channel());
  world->liaison = lv1::LiaisonService::NewStub(world->liaison_sut->channel());
  MintTokens();

  // The directory of the liên thông procedures (as tests/integration's LienThongStack): the
  // commune served by the dossier service, the police as an external receiver; keys and rights.
  world->commune_key = GenerateEd25519KeyPair();
  world->police_key = GenerateEd25519KeyPair();
  const uint8_t admin = Caller(Role::kAdmin, 2);
  struct Setup {
    const char* code;
    lv1::AgencyKind kind;
    std::string endpoint;
    std::vector<std::pair<std::string, std::string>> keys;
  };
  for (const auto& a : std::vector<Setup>{{kCommune,
                                           lv1::AGENCY_KIND_COMMUNE_PEOPLES_COMMITTEE,
                                           "service:dossier",
                                           {{"test-log", testing::TestIssuer::Get().log_public_key},
                                            {"fuzz-commune", world->commune_key.public_key}}},
                                          {kPolice,
                                           lv1::AGENCY_KIND_POLICE,
                                           world->police.address(),
                                           {{"fuzz-police", world->police_key.public_key}}}}) {
    lv1::CreateAgencyRequest c;
    c.set_request_id(absl::StrCat("create-", a.code));
    c.mutable_agency()->set_code(a.code);
    c.mutable_agency()->set_name(absl::StrCat("Cơ quan ", a.code));
    c.mutable_agency()->set_kind(a.kind);
    Must(&L::CreateAgency, c, admin, "CreateAgency");
    lv1::SetAgencyEndpointRequest e;
    e.set_code(a.code);
    e.set_receiver_endpoint(a.endpoint);
    Must(&L::SetAgencyEndpoint, e, admin, "SetAgencyEndpoint");
    for (const auto& [id, key] : a.keys) {
      lv1::AddAgencyKeyRequest k;
      k.set_agency_code(a.code);
      k.set_key_id(id);
      k.set_public_key(key);
      k.mutable_valid_from()->set_seconds(0);
      Must(&L::AddAgencyKey, k, admin, "AddAgencyKey");
    }
  }
  for (const auto& [from, type, to] :
       std::vector<std::tuple<std::string, lv1::EnvelopeType, std::string>>{
           {kCommune, lv1::ENVELOPE_TYPE_STEP_HANDOFF, kPolice},
           {kPolice, lv1::ENVELOPE_TYPE_STEP_RESULT, kCommune},
           // The petition exchange: the commune forwards to the police, which answers and
           // forwards to the commune.
           {kCommune, lv1::ENVELOPE_TYPE_PETITION_REFERRAL, kPolice},
           {kPolice, lv1::ENVELOPE_TYPE_REFERRAL_RESULT, kCommune},
           {kPolice, lv1::ENVELOPE_TYPE_PETITION_REFERRAL, kCommune}}) {
    lv1::GrantAccessRequest g;
    g.set_sender_agency_code(from);
    g.set_type(type);
    g.set_receiver_agency_code(to);
    Must(&L::GrantAccess, g, admin, "GrantAccess");
  }
  // The petition service: its directory (and the senders of deliveries) from the liaison, its
  // calendar from the dossier service.
  petition_part::Start(petition_port, liaison_port, dossier_port);
  // The services' own warnings about refused input would flood the run's log.
  spdlog::set_level(spdlog::level::err);
  std::fprintf(stderr, "rpc_fuzz: %zu RPCs; dossier on :%d, liaison on :%d, PostgreSQL on :%d\n",
               Rpcs().size(), dossier_port, liaison_port, servers.pg_port());
}

// At exit: the services stop before the servers under them; then the process ends without
// running static destructors under threads that gRPC may still have.
void StopWorld() {
  if (world != nullptr) {
    world->dossier.reset();
    world->receiver.reset();
    world->liaison.reset();
    petition_part::Stop();
    world->liaison_sut.reset();
    world->dossier_sut.reset();
    world->police.Stop();
  }
  testing::TestServers::Get().Stop();
  std::fflush(stdout);
  std::fflush(stderr);
}

}  // namespace
}  // namespace localgov::fuzz

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  using namespace localgov::fuzz;
  // Protobuf's complaints about invalid UTF-8 in fuzzed strings would flood the log.
  google::protobuf::SetLogHandler(nullptr);
  if (const char* dir = std::getenv("LOCALGOV_FUZZ_WRITE_SEEDS")) {
    WriteSeeds(dir);
    std::exit(0);
  }
  verbose = std::getenv("LOCALGOV_FUZZ_VERBOSE") != nullptr;
  StartWorld();
  std::atexit(StopWorld);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace localgov::fuzz;
  if (size < 2) return 0;
  const auto& rpcs = Rpcs();
  const Rpc& rpc = rpcs[data[0] % rpcs.size()];
  const uint8_t caller = data[1];
  std::unique_ptr<Message> request(rpc.prototype->New());
  if (!request->ParseFromArray(data + 2, static_cast<int>(size - 2))) return 0;
  FillPlaceholders(*request);
  grpc::ClientContext ctx;
  SetDeadline(ctx);
  Authorize(ctx, caller);
  const grpc::Status st = rpc.call(&ctx, *request);
  if (verbose) {
    std::fprintf(stderr, "rpc_fuzz: %s -> %d %s\n", rpc.name, static_cast<int>(st.error_code()),
                 st.error_message().substr(0, 200).c_str());
  }
  Check(rpc.name, st);
  return 0;
}

// Fuzz targets: the request validators of one service (built once per service:
// dossier_request_fuzz, liaison_request_fuzz, petition_request_fuzz, cadre_request_fuzz).
// Byte 0 chooses one of the service's RPCs (every method of every gRPC service the binary
// serves, in descriptor order); the rest is parsed as that RPC's request message, and the
// request goes through what checks it before any handler reaches a database:
//  - the input policy (common/input_policy), as RpcRunner applies it to every request:
//    a refusal is INVALID_ARGUMENT; normalising is idempotent (a request that passed comes out
//    of a second pass unchanged and still passing); a peer's signed message (Send, Deliver) is
//    never rewritten;
//  - the field checks the handlers share, by field name, on a request that passed the policy:
//    request ids, agency codes, citizen IDs, dates, page tokens;
//  - the service's own validators that need no database (ValidateIntake and DecideIntake of
//    the one-stop counter, ValidateNewAgency, ValidateNewUnit and ValidateSuccession of the
//    directory, the cadre citizen-ID and day checks).
// The handlers' checks that come after a database read are fuzzed by rpc_fuzz.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/match.h"
#include "common/agency_code.h"
#include "common/calendar/calendar.h"
#include "common/idempotency.h"
#include "common/input_policy.h"
#include "common/page_token.h"
#include "common/status.h"
#include "common/text.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/message.h"
#include "tests/fuzz/unit_fuzz.h"

#include "localgov/audit/v1/audit_service.pb.h"
#if defined(LOCALGOV_FUZZ_DOSSIER)
#include "localgov/dossier/v1/dossier_service.pb.h"
#include "localgov/liaison/v1/exchange.pb.h"
#include "services/dossier/catalogue.h"
#include "services/dossier/intake.h"
#elif defined(LOCALGOV_FUZZ_LIAISON)
#include "localgov/liaison/v1/liaison_service.pb.h"
#include "services/liaison/agency.h"
#include "services/liaison/convert.h"
#include "services/liaison/units.h"
#elif defined(LOCALGOV_FUZZ_PETITION)
#include "localgov/liaison/v1/exchange.pb.h"
#include "localgov/petition/v1/petition_service.pb.h"
#include "localgov/petition/v1/reception_service.pb.h"
#include "services/petition/reception_rules.h"
#elif defined(LOCALGOV_FUZZ_CADRE)
#include "localgov/cadre/v1/cadre_service.pb.h"
#include "services/cadre/cadre_rules.h"
#else
#error "define LOCALGOV_FUZZ_<SERVICE>"
#endif

namespace localgov::fuzz {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The files of the gRPC services the binary serves (its *_spec.cc), the audit service included,
// each by one of its messages (which also links the file in, so its descriptors are known).
const google::protobuf::FileDescriptor* const* ServiceFiles(size_t* n) {
  static const google::protobuf::FileDescriptor* files[] = {
#if defined(LOCALGOV_FUZZ_DOSSIER)
    dossier::v1::ReceiveDossierRequest::descriptor()->file(),
    liaison::v1::DeliverRequest::descriptor()->file(),
#elif defined(LOCALGOV_FUZZ_LIAISON)
    liaison::v1::ListAgenciesRequest::descriptor()->file(),
#elif defined(LOCALGOV_FUZZ_PETITION)
    petition::v1::GetServiceInfoRequest::descriptor()->file(),
    petition::v1::CreateReceptionSessionRequest::descriptor()->file(),
    liaison::v1::DeliverRequest::descriptor()->file(),
#elif defined(LOCALGOV_FUZZ_CADRE)
    cadre::v1::GetServiceInfoRequest::descriptor()->file(),
#endif
    audit::v1::VerifyAuditChainRequest::descriptor()->file(),
  };
  *n = sizeof(files) / sizeof(files[0]);
  return files;
}

struct Rpc {
  std::string name;
  const Message* prototype;
  bool signed_by_peer;  // Send, Deliver: checked, never rewritten
};

const std::vector<Rpc>& Rpcs() {
  static const std::vector<Rpc>* rpcs = [] {
    auto* out = new std::vector<Rpc>;
    size_t n = 0;
    const auto* const* files = ServiceFiles(&n);
    for (size_t f = 0; f < n; ++f) {
      if (files[f]->service_count() == 0) Fail("no service in " + files[f]->name());
      for (int sv = 0; sv < files[f]->service_count(); ++sv) {
        const auto* service = files[f]->service(sv);
        for (int i = 0; i < service->method_count(); ++i) {
          const auto* method = service->method(i);
          const Message* prototype =
              google::protobuf::MessageFactory::generated_factory()->GetPrototype(
                  method->input_type());
          if (prototype == nullptr) Fail("no prototype for " + method->full_name());
          out->push_back({method->full_name(), prototype,
                          method->name() == "Send" || method->name() == "Deliver"});
        }
      }
    }
    return out;
  }();
  return *rpcs;
}

// The checks the handlers make of a field, by its name (as they are spelt in the protos).
void CheckField(const FieldDescriptor* f, const std::string& value) {
  const std::string& name = f->name();
  Validator v;
  if (name == "request_id") ValidateOptionalRequestId(v, name, value);
  if (absl::EndsWith(name, "agency_code")) (void)IsValidAgencyCode(value);
  if (absl::StrContains(name, "citizen_id")) {
    (void)IsValidCitizenId(value);
    (void)MaskCitizenId(value);
  }
  if (absl::EndsWith(name, "_date") || name == "as_of" || absl::EndsWith(name, "_before") ||
      absl::EndsWith(name, "_after") || name == "day") {
    absl::CivilDay day;
    (void)calendar::ParseDate(value, &day);
  }
  if (name == "page_token") {
    for (std::string_view prefix : {"dos1:", "proc1:", "cd1:", "env1:", "anchors:", ""}) {
      (void)DecodePageToken(value, prefix);
    }
  }
  (void)FoldVietnamese(value);
#if defined(LOCALGOV_FUZZ_CADRE)
  if (absl::StrContains(name, "citizen_id")) (void)cadre::CitizenIdProblem(value, {}, {});
  if (absl::EndsWith(name, "_date") || name == "as_of") {
    if (auto day = cadre::ParseDay(value); day.has_value()) (void)cadre::FormatDay(*day);
  }
#elif defined(LOCALGOV_FUZZ_PETITION)
  if (name == "period") (void)petition::ParseReportPeriod(value);
#endif
}

void CheckFields(const Message& m, int depth) {
  if (depth > 8) return;
  const Reflection* r = m.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const auto* f : fields) {
    if (f->type() == FieldDescriptor::TYPE_STRING) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(m, f); ++i) CheckField(f, r->GetRepeatedString(m, f, i));
      } else {
        CheckField(f, r->GetString(m, f));
      }
    } else if (f->type() == FieldDescriptor::TYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(m, f); ++i) {
          CheckFields(r->GetRepeatedMessage(m, f, i), depth + 1);
        }
      } else {
        CheckFields(r->GetMessage(m, f), depth + 1);
      }
    }
  }
}

#if defined(LOCALGOV_FUZZ_DOSSIER)
void ServiceValidators(const Message& m) {
  const auto* intake = dynamic_cast<const dossier::v1::ReceiveDossierRequest*>(&m);
  if (intake == nullptr) return;
  static const std::vector<dossier::v1::Procedure>* procedures =
      new std::vector<dossier::v1::Procedure>(dossier::SeedProcedures());
  // The procedure the request names, or else the first: its documents, channels and applicant.
  const dossier::v1::Procedure* procedure = &procedures->front();
  for (const auto& p : *procedures) {
    if (p.code() == intake->procedure_code()) procedure = &p;
  }
  Validator v;
  dossier::ValidateIntake(*intake, *procedure, v);
  if (!v.ok() && v.status().code() != absl::StatusCode::kInvalidArgument) {
    Fail("ValidateIntake's refusal is not INVALID_ARGUMENT");
  }
  const auto outcome =
      dossier::DecideIntake(*procedure, intake->documents(), intake->refusal_reasons());
  for (const auto& missing : outcome.missing) {
    bool known = false;
    for (const auto& d : procedure->required_documents()) known |= d.code() == missing.code();
    if (!known) Fail("DecideIntake names a missing document the procedure does not require");
  }
}
#elif defined(LOCALGOV_FUZZ_LIAISON)
void ServiceValidators(const Message& m) {
  Validator v;
  if (const auto* r = dynamic_cast<const liaison::v1::CreateAgencyRequest*>(&m)) {
    liaison::Agency a;
    a.code = r->agency().code();
    a.name = r->agency().name();
    a.kind = r->agency().kind();
    a.administrative_unit_code = r->agency().administrative_unit_code();
    liaison::ValidateNewAgency(a, v, "agency");
    (void)liaison::IsValidReceiverEndpoint(r->agency().receiver_endpoint());
  } else if (const auto* r =
                 dynamic_cast<const liaison::v1::CreateAdministrativeUnitRequest*>(&m)) {
    const liaison::AdministrativeUnit u = liaison::FromProto(r->unit());
    liaison::ValidateNewUnit(u, v, "unit");
    for (int level = 0; level < 4; ++level) (void)liaison::ParentLevelAllowed(u.level, level);
  } else if (const auto* r = dynamic_cast<const liaison::v1::RecordUnitSuccessionRequest*>(&m)) {
    liaison::ValidateSuccession(
        r->kind(), {r->predecessor_codes().begin(), r->predecessor_codes().end()},
        {r->successor_codes().begin(), r->successor_codes().end()}, r->effective_date(), v);
  } else if (const auto* r = dynamic_cast<const liaison::v1::SetAgencyEndpointRequest*>(&m)) {
    (void)liaison::IsValidReceiverEndpoint(r->receiver_endpoint());
  }
  if (!v.ok() && v.status().code() != absl::StatusCode::kInvalidArgument) {
    Fail("a directory validator's refusal is not INVALID_ARGUMENT");
  }
}
#else
void ServiceValidators(const Message&) {}
#endif

void Run(uint8_t selector, std::string_view bytes) {
  const auto& rpcs = Rpcs();
  const Rpc& rpc = rpcs[selector % rpcs.size()];
  std::unique_ptr<Message> request(rpc.prototype->New());
  if (!request->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return;
  const std::string wire = request->SerializeAsString();

  // As RpcRunner runs it.
  Validator first;
  ApplyInputPolicy(*request, !rpc.signed_by_peer, first);
  if (!first.ok() && first.status().code() != absl::StatusCode::kInvalidArgument) {
    Fail("an input policy refusal is not INVALID_ARGUMENT");
  }
  if (rpc.signed_by_peer && request->SerializeAsString() != wire) {
    Fail("the input policy rewrote a peer's signed message");
  }
  if (!first.ok()) return;
  const std::string normalised = request->SerializeAsString();
  Validator second;
  ApplyInputPolicy(*request, !rpc.signed_by_peer, second);
  if (!second.ok()) Fail("a request that passed the input policy fails it the second time");
  if (request->SerializeAsString() != normalised) Fail("normalising twice changes a request");

  CheckFields(*request, 0);
  ServiceValidators(*request);
}

void WriteSeeds(SeedWriter& w) {
  const auto& rpcs = Rpcs();
  for (size_t i = 0; i < rpcs.size() && i < 256; ++i) {
    std::unique_ptr<Message> empty(rpcs[i].prototype->New());
    w.Add(static_cast<uint8_t>(i), *empty);
  }
#if defined(LOCALGOV_FUZZ_DOSSIER)
  for (size_t i = 0; i < rpcs.size(); ++i) {
    if (rpcs[i].name != "localgov.dossier.v1.DossierService.ReceiveDossier") continue;
    const auto procedures = dossier::SeedProcedures();
    dossier::v1::ReceiveDossierRequest r;
    r.set_request_id("req-1");
    r.set_procedure_code(procedures.front().code());
    r.set_receiving_agency_code("000.00.31.H41");
    r.set_channel(dossier::v1::CHANNEL_COUNTER);
    r.mutable_applicant()->set_full_name("Nguyễn Văn An");
    r.mutable_applicant()->set_citizen_id("001203004567");
    r.mutable_applicant()->set_address("Số 1 Tràng Tiền, Hoàn Kiếm, Hà Nội");
    r.mutable_applicant()->set_phone("0912345678");
    for (const auto& d : procedures.front().required_documents()) {
      auto* h = r.add_documents();
      h->set_document_code(d.code());
      h->set_file_name(d.code() + ".pdf");
      h->set_media_type("application/pdf");
    }
    w.Add(static_cast<uint8_t>(i), r);
  }
#elif defined(LOCALGOV_FUZZ_LIAISON)
  for (size_t i = 0; i < rpcs.size(); ++i) {
    if (rpcs[i].name == "localgov.liaison.v1.LiaisonService.CreateAgency") {
      liaison::v1::CreateAgencyRequest r;
      r.set_request_id("req-1");
      r.mutable_agency()->set_code("000.00.31.H45");
      r.mutable_agency()->set_name("Ủy ban nhân dân phường Hoàn Kiếm");
      r.mutable_agency()->set_kind(liaison::v1::AGENCY_KIND_COMMUNE_PEOPLES_COMMITTEE);
      r.mutable_agency()->set_administrative_unit_code("00070");
      w.Add(static_cast<uint8_t>(i), r);
    }
    if (rpcs[i].name == "localgov.liaison.v1.LiaisonService.RecordUnitSuccession") {
      liaison::v1::RecordUnitSuccessionRequest r;
      r.set_kind(liaison::v1::SuccessionKind(1));
      r.add_predecessor_codes("00070");
      r.add_predecessor_codes("00073");
      r.add_successor_codes("00071");
      r.set_effective_date("2025-07-01");
      w.Add(static_cast<uint8_t>(i), r);
    }
  }
#endif
}

}  // namespace
}  // namespace localgov::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  localgov::fuzz::InitTarget(localgov::fuzz::WriteSeeds);
  (void)localgov::fuzz::Rpcs();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  localgov::fuzz::Run(data[0], std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  return 0;
}

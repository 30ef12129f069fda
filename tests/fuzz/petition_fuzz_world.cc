#include "tests/fuzz/petition_fuzz_world.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <optional>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "localgov/liaison/v1/exchange.grpc.pb.h"
#include "localgov/petition/v1/petition_service.grpc.pb.h"
#include "services/petition/petition_spec.h"
#include "tests/harness/service_fixture.h"

namespace localgov::fuzz::petition_part {
namespace {

namespace pv1 = petition::v1;
namespace lv1 = liaison::v1;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using testing::ServiceUnderTest;
using P = pv1::PetitionService::Stub;
using R = lv1::ReceiverService::Stub;

struct Part {
  std::unique_ptr<ServiceUnderTest> sut;
  std::unique_ptr<P> petition;
  std::unique_ptr<R> receiver;
  std::atomic<int64_t> counter{0};
};
Part* part = nullptr;

P& PetitionStub() { return *part->petition; }
R& ReceiverStub() { return *part->receiver; }

// A day a few days back (Vietnam), YYYY-MM-DD: a complaint's learned_date within its time.
std::string DaysAgo(int days) {
  static const absl::TimeZone vn = absl::FixedTimeZone(7 * 3600);
  return absl::FormatTime("%Y-%m-%d", absl::Now() - absl::Hours(24 * days), vn);
}

pv1::ReceivePetitionRequest Complaint() {
  pv1::ReceivePetitionRequest r;
  r.set_kind(pv1::PETITION_KIND_COMPLAINT);
  r.set_field(pv1::PETITION_FIELD_LAND);
  r.set_channel(pv1::PETITION_CHANNEL_RECEPTION);
  r.set_title("Khiếu nại quyết định thu hồi đất");
  r.set_content("Tôi không đồng ý với mức bồi thường khi thu hồi 120 m² đất vườn.");
  r.mutable_act()->set_description("Quyết định thu hồi đất");
  r.mutable_act()->set_decision_number("125/QĐ-UBND");
  r.set_learned_date(DaysAgo(5));
  r.mutable_petitioner()->set_full_name("Nguyễn Văn Khiếu");
  r.mutable_petitioner()->set_citizen_id(kCitizenId);
  r.mutable_petitioner()->set_address("Thôn Tây, xã Hòa Phú");
  return r;
}

pv1::ReceivePetitionRequest Denunciation() {
  pv1::ReceivePetitionRequest r;
  r.set_kind(pv1::PETITION_KIND_DENUNCIATION);
  r.set_field(pv1::PETITION_FIELD_CADRE_CONDUCT);
  r.set_channel(pv1::PETITION_CHANNEL_LETTER);
  r.set_title("Tố cáo cán bộ địa chính nhận tiền");
  r.set_content("Cán bộ địa chính xã nhận tiền để xác nhận hồ sơ đất.");
  r.mutable_petitioner()->set_full_name("Phạm Thị Tố Cáo");
  r.mutable_petitioner()->set_citizen_id("079187654321");
  r.mutable_petitioner()->set_phone("0912345678");
  auto* party = r.add_parties();
  party->set_name("Cán bộ địa chính xã");
  party->set_role("công chức");
  return r;
}

pv1::ReceivePetitionRequest Recommendation() {
  pv1::ReceivePetitionRequest r;
  r.set_kind(pv1::PETITION_KIND_RECOMMENDATION);
  r.set_field(pv1::PETITION_FIELD_CONSTRUCTION);
  r.set_channel(pv1::PETITION_CHANNEL_ONLINE);
  r.set_title("Kiến nghị sửa đường liên thôn");
  r.set_content("Đường liên thôn Đông – Tây xuống cấp, đề nghị sửa trước mùa mưa.");
  r.mutable_petitioner()->set_full_name("Lê Thị Kiến");
  r.mutable_petitioner()->set_citizen_id(kCitizenId);
  return r;
}

// A setup step on the petition: the petition after it, or as it was when the step is refused
// (the fuzzer may have merged agencies, withdrawn the matter, ...: the input goes on with what
// it has; an INTERNAL or UNKNOWN answer is still a finding).
template <typename Req, typename Resp>
pv1::Petition Act(grpc::Status (P::*m)(grpc::ClientContext*, const Req&, Resp*), Req req,
                  const pv1::Petition& p, Role role, const char* what) {
  req.set_code(p.code());
  req.set_expected_version(p.version());
  grpc::ClientContext ctx;
  SetDeadline(ctx);
  Authorize(ctx, Caller(role));
  Resp resp;
  const auto st = (PetitionStub().*m)(&ctx, req, &resp);
  Check(what, st);
  if (!st.ok()) {
    if (verbose)
      std::fprintf(stderr, "rpc_fuzz: setup %s refused: %s\n", what, st.error_message().c_str());
    return p;
  }
  return resp.petition();
}

pv1::Petition Accept(const pv1::Petition& p, pv1::Complexity complexity) {
  pv1::ClassifyPetitionRequest c;
  c.set_decision(pv1::CLASSIFICATION_DECISION_ACCEPT);
  c.set_reason("Đủ điều kiện thụ lý");
  c.set_complexity(complexity);
  return Act(&P::ClassifyPetition, c, p, Role::kOfficer, "fresh accept");
}

// A petition for this input, as the placeholder names it.
std::optional<pv1::Petition> FreshPetition(std::string_view kind) {
  pv1::ReceivePetitionRequest r = kind == "@KNG" || kind == "@KF" ? Recommendation()
                                  : kind[1] == 'T'                ? Denunciation()
                                                                  : Complaint();
  const int64_t n = ++part->counter;
  r.set_request_id(absl::StrCat("fuzz-petition-", getpid(), "-", n));
  // A matter of its own: a withdrawn complaint about the same decision is not accepted again.
  if (r.kind() == pv1::PETITION_KIND_COMPLAINT) {
    r.mutable_act()->set_decision_number(absl::StrCat(n, "-", getpid(), "/QĐ-UBND"));
  }
  pv1::ReceivePetitionResponse received;
  {
    grpc::ClientContext ctx;
    SetDeadline(ctx);
    Authorize(ctx, Caller(Role::kOfficer));
    const auto st = PetitionStub().ReceivePetition(&ctx, r, &received);
    Check("fresh ReceivePetition", st);
    if (!st.ok()) {
      if (verbose)
        std::fprintf(stderr, "rpc_fuzz: setup ReceivePetition refused: %s\n",
                     st.error_message().c_str());
      return std::nullopt;
    }
  }
  pv1::Petition p = received.petition();
  if (kind == "@KN" || kind == "@TC" || kind == "@KNG") return p;
  if (kind == "@KF") {
    pv1::ClassifyPetitionRequest c;
    c.set_decision(pv1::CLASSIFICATION_DECISION_FORWARD);
    c.set_reason("Thuộc thẩm quyền của Công an");
    c.set_competent_agency_code(kPolice);
    return Act(&P::ClassifyPetition, c, p, Role::kOfficer, "fresh forward");
  }
  p = Accept(p, kind[1] == 'T' ? pv1::COMPLEXITY_COMPLEX : pv1::COMPLEXITY_NORMAL);
  if (kind == "@TS") {
    pv1::SuspendPetitionRequest s;
    s.set_reason("Chờ kết quả giám định");
    s.set_awaiting("Kết luận giám định của Công an huyện");
    return Act(&P::SuspendPetition, s, p, Role::kLeader, "fresh suspend");
  }
  if (kind == "@KD") {
    pv1::DecidePetitionRequest d;
    d.set_outcome(pv1::OUTCOME_COMPLAINT_RIGHT);
    d.set_decision_number("12/QĐ-UBND");
    d.set_summary("Khiếu nại đúng: bồi thường lại theo giá đất cụ thể.");
    return Act(&P::DecidePetition, d, p, Role::kLeader, "fresh decide");
  }
  return p;
}

bool IsPlaceholder(const std::string& v) {
  for (const char* k : {"@KN", "@KA", "@KD", "@KF", "@TC", "@TA", "@TS", "@KNG"}) {
    if (v == k) return true;
  }
  return false;
}

}  // namespace

void Start(int port, int liaison_port, int dossier_port) {
  part = new Part();
  auto sut = ServiceUnderTest::Start(petition::Spec(), [&](ServiceConfig& c) {
    c.log_level = "error";
    c.outbox_poll_ms = 200;
    c.listen = absl::StrCat("127.0.0.1:", port);
    c.peer_addrs["liaison"] = absl::StrCat("127.0.0.1:", liaison_port);
    c.peer_addrs["dossier"] = absl::StrCat("127.0.0.1:", dossier_port);
  });
  if (!sut.ok()) Die(absl::StrCat("petition service: ", sut.status().message()));
  part->sut = std::move(*sut);
  part->petition = pv1::PetitionService::NewStub(part->sut->channel());
  part->receiver = lv1::ReceiverService::NewStub(part->sut->channel());
  // Its calendar comes from the dossier service: wait until a petition can be received.
  for (int i = 0;; ++i) {
    pv1::ReceivePetitionRequest r = Recommendation();
    r.set_request_id(absl::StrCat("fuzz-petition-ready-", getpid()));
    grpc::ClientContext ctx;
    SetDeadline(ctx);
    Authorize(ctx, Caller(Role::kOfficer));
    pv1::ReceivePetitionResponse resp;
    const auto st = part->petition->ReceivePetition(&ctx, r, &resp);
    Check("petition start-up ReceivePetition", st);
    if (st.ok()) break;
    if (i == 100) Die(absl::StrCat("the petition service is not ready: ", st.error_message()));
    absl::SleepFor(absl::Milliseconds(200));
  }
  std::fprintf(stderr, "rpc_fuzz: petition on :%d\n", part->sut->service().port());
}

void Stop() {
  if (part == nullptr) return;
  part->petition.reset();
  part->receiver.reset();
  part->sut.reset();
}

std::vector<Rpc> Rpcs() {
  return {
      MakeRpc<&P::GetServiceInfo, &PetitionStub>("petition.GetServiceInfo"),
      MakeRpc<&P::ReceivePetition, &PetitionStub>("petition.ReceivePetition"),
      MakeRpc<&P::GetPetition, &PetitionStub>("petition.GetPetition"),
      MakeRpc<&P::ListPetitions, &PetitionStub>("petition.ListPetitions"),
      MakeRpc<&P::LookupPetition, &PetitionStub>("petition.LookupPetition"),
      MakeRpc<&P::ClassifyPetition, &PetitionStub>("petition.ClassifyPetition"),
      MakeRpc<&P::AssignPetition, &PetitionStub>("petition.AssignPetition"),
      MakeRpc<&P::RecordVerification, &PetitionStub>("petition.RecordVerification"),
      MakeRpc<&P::RecordDialogue, &PetitionStub>("petition.RecordDialogue"),
      MakeRpc<&P::ExtendPetition, &PetitionStub>("petition.ExtendPetition"),
      MakeRpc<&P::SuspendPetition, &PetitionStub>("petition.SuspendPetition"),
      MakeRpc<&P::ResumePetition, &PetitionStub>("petition.ResumePetition"),
      MakeRpc<&P::ClosePetition, &PetitionStub>("petition.ClosePetition"),
      MakeRpc<&P::DecidePetition, &PetitionStub>("petition.DecidePetition"),
      MakeRpc<&P::PublishDecision, &PetitionStub>("petition.PublishDecision"),
      MakeRpc<&P::RevealDenouncerIdentity, &PetitionStub>("petition.RevealDenouncerIdentity"),
      MakeRpc<&P::ListIdentityReadings, &PetitionStub>("petition.ListIdentityReadings"),
      MakeRpc<&R::Deliver, &ReceiverStub>("petition.Receiver.Deliver"),
      MakeRpc<&P::PrintPetitionReceipt, &PetitionStub>("petition.PrintPetitionReceipt"),
      MakeRpc<&P::ListOfficerPetitionRecords, &PetitionStub>("petition.ListOfficerPetitionRecords"),
  };
}

void FillPlaceholders(Message& m) {
  if (auto* deliver = dynamic_cast<lv1::DeliverRequest*>(&m)) {
    auto* e = deliver->mutable_envelope();
    if (e->in_reply_to() == "@KF") {
      if (auto p = FreshPetition("@KF"); p.has_value())
        e->set_in_reply_to(p->forward().envelope_id());
    }
  }
  const auto* desc = m.GetDescriptor();
  const auto* refl = m.GetReflection();
  for (const char* name : {"code", "petition_code", "first_petition_code"}) {
    const auto* field = desc->FindFieldByName(name);
    if (field == nullptr || field->type() != FieldDescriptor::TYPE_STRING || field->is_repeated()) {
      continue;
    }
    const std::string value = refl->GetString(m, field);
    if (!IsPlaceholder(value)) continue;
    const auto fresh = FreshPetition(value);
    if (!fresh.has_value()) continue;
    const pv1::Petition& p = *fresh;
    refl->SetString(&m, field, p.code());
    const auto* version = desc->FindFieldByName("expected_version");
    if (std::string_view(name) == "code" && version != nullptr &&
        version->type() == FieldDescriptor::TYPE_INT64) {
      refl->SetInt64(&m, version,
                     static_cast<int64_t>(static_cast<uint64_t>(p.version()) +
                                          static_cast<uint64_t>(refl->GetInt64(m, version))));
    }
  }
}

std::vector<Seed> Seeds() {
  std::vector<Seed> s;
  const uint8_t officer = Caller(Role::kOfficer);
  const uint8_t leader = Caller(Role::kLeader);
  const uint8_t inspector = Caller(Role::kInspector);
  const uint8_t auditor = Caller(Role::kAuditor);
  const uint8_t system = Caller(Role::kSystem);
  const uint8_t citizen = Caller(Role::kCitizen);

  Add(s, "petition.GetServiceInfo", auditor, pv1::GetServiceInfoRequest());
  {
    pv1::ListOfficerPetitionRecordsRequest r;
    r.set_agency_code(kCommune);
    r.set_year(2026);
    Add(s, "petition.ListOfficerPetitionRecords", leader, r);
  }
  {
    auto r = Complaint();
    r.set_request_id("seed-petition-1");
    Add(s, "petition.ReceivePetition", officer, r);
    r = Denunciation();
    r.set_request_id("seed-petition-2");
    Add(s, "petition.ReceivePetition", leader, r);
    r = Recommendation();
    r.set_request_id("seed-petition-3");
    r.set_agency_code(kCommune);
    Add(s, "petition.ReceivePetition", system, r);
    r = Complaint();
    r.set_request_id("seed-petition-4");
    r.set_complaint_round(2);
    r.set_first_petition_code("@KD");
    Add(s, "petition.ReceivePetition", officer, r);
    r = Denunciation();
    r.set_request_id("seed-petition-5");
    r.clear_petitioner();
    r.set_anonymous(true);
    r.set_several_places(true);
    Add(s, "petition.ReceivePetition", officer, r);
  }
  for (const char* code : {"@KN", "@TA"}) {
    pv1::GetPetitionRequest g;
    g.set_code(code);
    Add(s, "petition.GetPetition", officer, g);
  }
  {
    pv1::GetPetitionRequest g;
    g.set_code("@KA");
    Add(s, "petition.GetPetition", citizen, g);
    pv1::ListPetitionsRequest l;
    l.set_agency_code(kCommune);
    l.set_kind(pv1::PETITION_KIND_COMPLAINT);
    l.add_states(pv1::PETITION_STATE_ACCEPTED);
    l.set_due_before(DaysAgo(-60));
    l.set_page_size(5);
    Add(s, "petition.ListPetitions", inspector, l);
    pv1::ListPetitionsRequest late;
    late.set_overdue_only(true);
    late.set_channel(pv1::PETITION_CHANNEL_FORWARDED);
    late.set_officer(SubjectOf(Role::kOfficer));
    Add(s, "petition.ListPetitions", auditor, late);
    pv1::LookupPetitionRequest look;
    look.set_code("@KNG");
    look.set_second_factor("ABCD-EFGH");
    Add(s, "petition.LookupPetition", citizen, look);
  }
  for (const char* code : {"@KN", "@TA"}) {
    pv1::PrintPetitionReceiptRequest r;
    r.set_code(code);
    Add(s, "petition.PrintPetitionReceipt", officer, r);
  }
  {
    pv1::ClassifyPetitionRequest c;
    c.set_code("@KN");
    c.set_decision(pv1::CLASSIFICATION_DECISION_ACCEPT);
    c.set_reason("Đủ điều kiện thụ lý");
    c.set_complexity(pv1::COMPLEXITY_COMPLEX);
    Add(s, "petition.ClassifyPetition", officer, c);
    c.set_code("@KNG");
    c.set_decision(pv1::CLASSIFICATION_DECISION_FORWARD);
    c.set_competent_agency_code(kPolice);
    c.clear_complexity();
    Add(s, "petition.ClassifyPetition", leader, c);
    c.set_code("@TC");
    c.set_decision(pv1::CLASSIFICATION_DECISION_NOT_PROCESS);
    c.set_not_processed_reason(pv1::NOT_PROCESSED_REASON_UNSIGNED_OR_ANONYMOUS);
    c.clear_competent_agency_code();
    Add(s, "petition.ClassifyPetition", officer, c);
    c.set_code("@KN");
    c.set_decision(pv1::CLASSIFICATION_DECISION_GUIDE);
    c.set_competent_agency_code(kPolice);
    Add(s, "petition.ClassifyPetition", officer, c);
  }
  {
    pv1::AssignPetitionRequest a;
    a.set_code("@KA");
    a.set_officer(SubjectOf(Role::kOfficer));
    Add(s, "petition.AssignPetition", leader, a);
    pv1::RecordVerificationRequest v;
    v.set_code("@TA");
    v.set_note("Đã làm việc với người bị tố cáo");
    Add(s, "petition.RecordVerification", officer, v);
    pv1::RecordDialogueRequest d;
    d.set_code("@KA");
    d.mutable_held_time()->set_seconds(absl::ToUnixSeconds(absl::Now()) - 3600);
    d.add_participants("Nguyễn Văn Khiếu");
    d.add_participants(SubjectOf(Role::kOfficer));
    d.set_minutes("Hai bên trình bày ý kiến");
    Add(s, "petition.RecordDialogue", officer, d);
    pv1::ExtendPetitionRequest e;
    e.set_code("@TA");
    e.set_days(30);
    e.set_reason("Vụ việc phức tạp");
    e.set_decision_number("5/QĐ-GH");
    Add(s, "petition.ExtendPetition", leader, e);
    e.set_complexity(pv1::COMPLEXITY_ESPECIALLY_COMPLEX);
    e.set_days(15);
    Add(s, "petition.ExtendPetition", leader, e);
    pv1::SuspendPetitionRequest su;
    su.set_code("@TA");
    su.set_reason("Chờ kết quả giám định");
    su.set_awaiting("Kết luận giám định");
    Add(s, "petition.SuspendPetition", leader, su);
    pv1::ResumePetitionRequest re;
    re.set_code("@TS");
    re.set_note("Đã có kết luận giám định");
    Add(s, "petition.ResumePetition", leader, re);
    pv1::ClosePetitionRequest cl;
    cl.set_code("@KA");
    cl.set_reason(pv1::CLOSE_REASON_WITHDRAWN);
    cl.set_note("Người khiếu nại rút đơn");
    Add(s, "petition.ClosePetition", citizen, cl);
    cl.set_code("@TA");
    cl.set_reason(pv1::CLOSE_REASON_NO_LONGER_IN_JURISDICTION);
    Add(s, "petition.ClosePetition", officer, cl);
    pv1::DecidePetitionRequest de;
    de.set_code("@KA");
    de.set_outcome(pv1::OUTCOME_COMPLAINT_PARTLY_RIGHT);
    de.set_decision_number("15/QĐ-UBND");
    de.set_summary("Khiếu nại đúng một phần");
    Add(s, "petition.DecidePetition", leader, de);
    de.set_code("@TA");
    de.set_outcome(pv1::OUTCOME_DENUNCIATION_UNFOUNDED);
    Add(s, "petition.DecidePetition", leader, de);
    pv1::PublishDecisionRequest pu;
    pu.set_code("@KD");
    pu.set_publication("Niêm yết tại trụ sở UBND xã");
    Add(s, "petition.PublishDecision", officer, pu);
    pv1::RevealDenouncerIdentityRequest rv;
    rv.set_code("@TC");
    rv.set_reason("Xác minh nội dung tố cáo");
    Add(s, "petition.RevealDenouncerIdentity", inspector, rv);
    pv1::ListIdentityReadingsRequest li;
    li.set_petition_code("@TC");
    li.set_page_size(10);
    Add(s, "petition.ListIdentityReadings", auditor, li);
  }
  {
    // A referral from the police (signed with its fuzz key) and an answer to a forward.
    lv1::DeliverRequest d;
    auto* e = d.mutable_envelope();
    e->set_id("@");
    e->set_type(lv1::ENVELOPE_TYPE_PETITION_REFERRAL);
    e->set_sender_agency_code(kPolice);
    e->set_receiver_agency_code(kCommune);
    e->set_correlation_id("000.00.10.G01-KNG-261201-0001");
    e->set_payload(
        R"({"petition":{"code":"000.00.10.G01-KNG-261201-0001","kind":"PETITION_KIND_REFLECTION",)"
        R"("field":"PETITION_FIELD_ENVIRONMENT","title":"Phản ánh khói lò gạch",)"
        R"("content":"Lò gạch thôn Bắc xả khói ban đêm"},"reason":"Thuộc địa bàn xã"})");
    e->set_content_type("application/json");
    e->mutable_create_time()->set_seconds(absl::ToUnixSeconds(absl::Now()) - 60);
    e->set_signing_key_id("@sign");
    d.set_delivered_to_agency_code(kCommune);
    Add(s, "petition.Receiver.Deliver", kNoToken, d);
    // A referred complaint carrying more than a referral should (its history, clocks).
    e->set_payload(
        R"({"petition":{"code":"000.00.10.G01-KN-261201-0002","kind":"PETITION_KIND_COMPLAINT",)"
        R"("field":"PETITION_FIELD_LAND","title":"Khiếu nại","content":"Khiếu nại bồi thường",)"
        R"("acceptDate":"2026-12-01","complexity":"COMPLEXITY_COMPLEX","complaintRound":2,)"
        R"("firstDecisionDate":"2026-11-20","learnedDate":"2026-11-01","remoteArea":true,)"
        R"("extensions":[{"days":30}],"suspensions":[{"daysStopped":3,)"
        R"("suspendTime":"2026-12-02T01:00:00Z","resumeTime":"2026-12-05T01:00:00Z"}],)"
        R"("resolution":{"decideTime":"2026-12-03T01:00:00Z"},)"
        R"("petitioner":{"fullName":"Nguyễn Văn Khiếu","citizenId":"001203004567"}}})");
    Add(s, "petition.Receiver.Deliver", kNoToken, d);
    e->set_type(lv1::ENVELOPE_TYPE_REFERRAL_RESULT);
    e->set_in_reply_to("@KF");
    e->set_payload(R"({"answer":"Đã xử lý"})");
    Add(s, "petition.Receiver.Deliver", kNoToken, d);
  }
  return s;
}

}  // namespace localgov::fuzz::petition_part

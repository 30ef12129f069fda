// The input policy every RPC applies (common/input_policy.h), on real request messages.
#include "common/input_policy.h"

#include <string>
#include <vector>

#include "common/logging.h"
#include "common/set_aside.h"
#include "common/status.h"
#include "gtest/gtest.h"
#include "localgov/dossier/v1/dossier_service.pb.h"
#include "localgov/liaison/v1/exchange.pb.h"
#include "localgov/liaison/v1/liaison_service.pb.h"

namespace localgov {
namespace {

namespace dv1 = dossier::v1;

std::vector<std::string> Fields(const absl::Status& st) {
  std::vector<std::string> out;
  for (const auto& v : FieldViolationsOf(st)) out.push_back(v.field);
  return out;
}

dv1::ReceiveDossierRequest Good() {
  dv1::ReceiveDossierRequest r;
  r.set_request_id("r-1");
  r.set_procedure_code("HT-05");
  r.mutable_applicant()->set_full_name("Nguyễn Văn An");
  r.add_documents()->set_document_code("to-khai");
  r.add_refusal_reasons("Thiếu giấy tờ;\nxem lại\tmục 2");
  r.mutable_received_time()->set_seconds(1767225600);
  return r;
}

TEST(InputPolicyTest, AGoodRequestPassesUnchanged) {
  auto r = Good();
  const std::string before = r.SerializeAsString();
  EXPECT_TRUE(CheckInputPolicy(r, true).ok());
  EXPECT_EQ(r.SerializeAsString(), before);
}

TEST(InputPolicyTest, EveryOffendingFieldIsNamedAtOnce) {
  auto r = Good();
  r.mutable_applicant()->set_full_name(std::string("a\0b", 3));
  r.mutable_applicant()->set_citizen_id("12\n34");  // line breaks only in multi-line kinds
  r.mutable_documents(0)->set_file_name(std::string(257, 'x'));
  r.add_refusal_reasons(std::string("\x1b[31m"));  // an escape sequence even in a reason
  r.set_channel(static_cast<dv1::Channel>(40000));
  r.mutable_received_time()->set_nanos(1'000'000'000);
  const auto st = CheckInputPolicy(r, true);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"channel", "applicant.full_name",
                                                  "applicant.citizen_id", "documents[0].file_name",
                                                  "received_time", "refusal_reasons[1]"}));
  EXPECT_EQ(std::string(st.message()).find("xxxx"), std::string::npos) << "never the value";
}

TEST(InputPolicyTest, LengthsCountCharactersNotBytes) {
  const TextRule name = TextRuleFor("full_name");
  EXPECT_EQ(name.max_chars, 256u);
  std::string vietnamese;
  for (int i = 0; i < 256; ++i) vietnamese += "ễ";  // 3 bytes each
  EXPECT_EQ(TextViolation(vietnamese, name, nullptr), "");
  EXPECT_NE(TextViolation(vietnamese + "a", name, nullptr), "");
}

TEST(InputPolicyTest, FieldKindsComeFromTheNameTable) {
  EXPECT_EQ(TextRuleFor("receiving_agency_code").kind, "code");
  EXPECT_EQ(TextRuleFor("successor_codes").kind, "code");
  EXPECT_EQ(TextRuleFor("correlation_id").kind, "id");
  EXPECT_EQ(TextRuleFor("storage_uri").kind, "uri");
  EXPECT_EQ(TextRuleFor("payload_sha256").kind, "hash");
  EXPECT_EQ(TextRuleFor("address").kind, "address");
  EXPECT_TRUE(TextRuleFor("reason").multiline);
  EXPECT_TRUE(TextRuleFor("note").multiline);
  EXPECT_FALSE(TextRuleFor("full_name").multiline);
  EXPECT_EQ(TextRuleFor("something_new").kind, "text");
}

TEST(InputPolicyTest, TextIsNormalisedToNfcOnlyWhenAsked) {
  const std::string nfd = "Nguye\xCC\x82\xCC\x83n";  // e + combining circumflex + tilde
  auto r = Good();
  r.mutable_applicant()->set_full_name(nfd);
  ASSERT_TRUE(CheckInputPolicy(r, false).ok());
  EXPECT_EQ(r.applicant().full_name(), nfd) << "a signed envelope's bytes are kept";
  ASSERT_TRUE(CheckInputPolicy(r, true).ok());
  EXPECT_EQ(r.applicant().full_name(), "Nguyễn");
}

TEST(InputPolicyTest, EnumFiltersNumbersAndTimestampsHaveTheirRanges) {
  dv1::ListDossiersRequest list;
  list.add_states(dv1::DOSSIER_STATE_ACCEPTED);
  list.add_states(static_cast<dv1::DossierState>(32768));
  list.set_page_size(-1);
  EXPECT_EQ(Fields(CheckInputPolicy(list, true)),
            (std::vector<std::string>{"states[1]", "page_size"}));
  liaison::v1::SendRequest send;
  send.mutable_envelope()->mutable_create_time()->set_seconds(253402300799);  // year 9999
  send.mutable_envelope()->set_payload(std::string((1 << 20) + 1, 'p'));
  EXPECT_EQ(Fields(CheckInputPolicy(send, false)),
            (std::vector<std::string>{"envelope.payload", "envelope.create_time"}));
  liaison::v1::SendRequest epoch;
  epoch.mutable_envelope()->mutable_create_time()->set_seconds(-62135596800);  // year 1
  EXPECT_EQ(Fields(CheckInputPolicy(epoch, false)),
            (std::vector<std::string>{"envelope.create_time"}));
}

TEST(InputPolicyTest, APeersSignedMessageMayCarryAnEnumValueItsHandlerJudges) {
  liaison::v1::DeliverRequest deliver;
  deliver.mutable_envelope()->set_type(static_cast<liaison::v1::EnvelopeType>(99));
  EXPECT_TRUE(CheckInputPolicy(deliver, false).ok()) << "a newer peer's type: REFUSED later";
  EXPECT_EQ(Fields(CheckInputPolicy(deliver, true)), (std::vector<std::string>{"envelope.type"}));
}

TEST(InputPolicyTest, ARepeatedFieldHasAtMostAThousandItems) {
  dv1::ListDossiersRequest list;
  for (int i = 0; i < kMaxRepeated + 1; ++i) list.add_states(dv1::DOSSIER_STATE_ACCEPTED);
  EXPECT_EQ(Fields(CheckInputPolicy(list, true)), (std::vector<std::string>{"states"}));
}

TEST(InputPolicyTest, QuotePrefixCutsOnACharacterAndHidesControls) {
  EXPECT_EQ(QuotePrefix("abc"), "abc");
  EXPECT_EQ(QuotePrefix(std::string(100, 'a'), 4), "aaaa…");
  EXPECT_EQ(QuotePrefix("ễễễ", 2), "ễễ…");
  EXPECT_EQ(QuotePrefix(std::string("a\0b\n", 4)), "a?b?");
}

TEST(InputPolicyTest, AGrpcStatusNeverCarriesALongValue) {
  const auto st = ToGrpcStatus(absl::NotFoundError("no key " + std::string(1 << 20, 'k')));
  EXPECT_LT(st.error_message().size(), 1100u);
  Validator v;
  v.Add("field", std::string(1 << 20, 'd'));
  const auto bad = ToGrpcStatus(v.status());
  EXPECT_LT(bad.error_message().size(), 1100u);
  EXPECT_LT(bad.error_details().size(), 1100u);
}

TEST(DbErrorTextTest, KeepsTheFirstLineAndIdentifiersButNoValues) {
  EXPECT_EQ(DbErrorText("ERROR:  duplicate key value violates unique constraint \"dossiers_pkey\"\n"
                        "DETAIL:  Key (code)=(Nguyễn Văn An) already exists."),
            "ERROR:  duplicate key value violates unique constraint \"dossiers_pkey\"");
  EXPECT_EQ(DbErrorText("ERROR:  invalid input syntax for type integer: \"Nguyễn Văn\""),
            "ERROR:  invalid input syntax for type integer: \"[value]\"");
}

// ProcessOrSetAside: one record that fails alone is set aside; the others are processed.
TEST(SetAsideTest, OneBadRecordIsSetAsideAndTheRestAreProcessed) {
  std::vector<int> items = {1, 2, 3, 4};
  std::vector<int> done, aside;
  auto n = ProcessOrSetAside<int>(
      items, [](std::vector<int>&) { return absl::InternalError("batch failed"); },
      [&](int& i) {
        if (i == 3) return absl::InternalError("bad record");
        done.push_back(i);
        return absl::OkStatus();
      },
      [&](int& i, const absl::Status&) {
        aside.push_back(i);
        return absl::OkStatus();
      });
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 3u);
  EXPECT_EQ(done, (std::vector<int>{1, 2, 4}));
  EXPECT_EQ(aside, (std::vector<int>{3}));
}

TEST(SetAsideTest, NothingIsSetAsideWhenNoRecordGoesThroughOrTheFaultIsTransient) {
  std::vector<int> items = {1, 2};
  int aside = 0;
  auto set_aside = [&](int&, const absl::Status&) {
    ++aside;
    return absl::OkStatus();
  };
  auto broken = ProcessOrSetAside<int>(
      items, [](std::vector<int>&) { return absl::InternalError("table broken"); },
      [](int&) { return absl::InternalError("table broken"); }, set_aside);
  EXPECT_FALSE(broken.ok()) << "the worker's fault, not the records'";
  auto down = ProcessOrSetAside<int>(
      items, [](std::vector<int>&) { return absl::UnavailableError("database down"); },
      [](int&) { return absl::OkStatus(); }, set_aside);
  EXPECT_EQ(down.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(aside, 0);
}

}  // namespace
}  // namespace localgov

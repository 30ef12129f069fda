// The reception office's receipt of a petition (PrintPetitionReceipt) against real PostgreSQL,
// read back as a citizen would (pdftotext, pdftoppm + zbarimg) — and a denunciation's receipt
// never shows the denouncer.
#include "common/print/paper.h"
#include "services/petition/receipt.h"
#include "tests/harness/pdf_tools.h"
#include "tests/integration/petition_fixture.h"

namespace localgov::petition {
namespace {

using S = v1::PetitionService::Stub;

constexpr const char* kLookup = "https://dvc.tinh.example.gov.vn/tra-cuu-don?ma={code}";

class PetitionReceiptTest : public PetitionTest {
 protected:
  void SetUp() override {
    Start([](ServiceConfig& c) { c.extras[print::kPortalLookupUrlVariable] = kLookup; });
  }

  grpc::Status Print(const std::string& code, const Who& who,
                     v1::PrintPetitionReceiptResponse* out) {
    v1::PrintPetitionReceiptRequest r;
    r.set_code(code);
    return Call(&S::PrintPetitionReceipt, who, r, out);
  }

  // The receipt printed by `who`, read back; its text flattened.
  std::string PrintAndRead(const v1::Petition& p, const Who& who = kOfficer) {
    v1::PrintPetitionReceiptResponse resp;
    auto st = Print(p.code(), who, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    EXPECT_EQ(resp.content_type(), "application/pdf");
    EXPECT_EQ(resp.file_name(), p.code() + "-bien-nhan.pdf");
    auto read = testing::ReadPdf(resp.pdf(), resp.file_name());
    EXPECT_EQ(read.error, "");
    EXPECT_EQ(read.qr, "https://dvc.tinh.example.gov.vn/tra-cuu-don?ma=" + p.code());
    const std::string text = read.text;
    EXPECT_NE(text.find("Giấy biên nhận đơn"), std::string::npos) << text;
    EXPECT_NE(text.find(p.code()), std::string::npos) << text;
    EXPECT_NE(text.find("09 giờ 00 phút, ngày 06/07/2026"), std::string::npos) << text;
    EXPECT_NE(text.find(p.title()), std::string::npos) << text;
    EXPECT_NE(text.find("officer-1"), std::string::npos) << "the receiving officer: " << text;
    return text;
  }
};

TEST_F(PetitionReceiptTest, AComplaintsReceiptNamesThePetitionerAndTheDeadline) {
  const v1::Petition p = Receive(Complaint("receipt-1")).petition();
  const std::string text = PrintAndRead(p);
  EXPECT_NE(text.find("Nguyễn Văn Khiếu"), std::string::npos) << text;
  EXPECT_NE(text.find("Đơn khiếu nại"), std::string::npos) << text;
  const std::string due = Due(p, v1::DEADLINE_KIND_CLASSIFICATION);
  ASSERT_NE(due, "none");
  EXPECT_NE(text.find("ngày " + print::FormatIsoDate(due)), std::string::npos)
      << due << ": " << text;
  EXPECT_EQ(text.find("079203001111"), std::string::npos) << "no citizen ID on the receipt";
}

TEST_F(PetitionReceiptTest, ADenunciationsReceiptNeverShowsTheDenouncer) {
  const v1::Petition p = Receive(Denunciation("receipt-2")).petition();
  ASSERT_TRUE(p.identity_sealed());
  // Printed by the officer, and by a leader (who may read the identity with a reason).
  for (const Who& who : {kOfficer, kLeader}) {
    const std::string text = PrintAndRead(p, who);
    EXPECT_NE(text.find("Đơn tố cáo"), std::string::npos) << text;
    EXPECT_NE(text.find("được giữ bí mật"), std::string::npos) << text;
    for (const std::string needle :
         {kDenouncerName, kDenouncerId, kDenouncerAddress, "0912345678", "Phạm Thị"}) {
      EXPECT_EQ(text.find(needle), std::string::npos) << "the denouncer on the receipt: " << needle;
    }
  }
}

TEST_F(PetitionReceiptTest, BadRequestsAndOtherCallers) {
  v1::PrintPetitionReceiptResponse resp;
  auto st = Print("", kOfficer, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(FieldsOf(st), std::vector<std::string>{"code"});
  EXPECT_EQ(Print("000.00.31.H41-KN-260706-9999", kOfficer, &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
  const v1::Petition p = Receive(Recommendation("receipt-3")).petition();
  EXPECT_EQ(Print(p.code(), kOtherOfficer, &resp).error_code(), grpc::StatusCode::NOT_FOUND)
      << "another agency's officer, as GetPetition";
  EXPECT_TRUE(Print(p.code(), Who{Role::kCitizen, "", "079203002222"}, &resp).ok())
      << "the citizen their own recommendation";
}

}  // namespace
}  // namespace localgov::petition

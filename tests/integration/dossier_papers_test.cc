// The citizen's printed papers (PrintDossierPaper, forms 01–04) against real PostgreSQL,
// read back as a citizen would: pdftotext for the Vietnamese text, pdftoppm + zbarimg for the
// QR code's look-up address.
#include "common/clock.h"
#include "common/status.h"
#include "gtest/gtest.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"
#include "services/dossier/dossier_spec.h"
#include "services/dossier/papers.h"
#include "tests/harness/dates.h"
#include "tests/harness/pdf_tools.h"
#include "tests/harness/service_fixture.h"

namespace localgov::dossier {
namespace {

using testing::ServiceUnderTest;

constexpr const char* kCommune = "000.00.31.H41";
constexpr const char* kCitizenId = "001203004567";
constexpr const char* kName = "Nguyễn Thị Ánh Tuyết";
constexpr const char* kLookup = "https://dvc.tinh.example.gov.vn/tra-cuu-ho-so?ma={code}&nguon=qr";

class PapersRpcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sut = ServiceUnderTest::Start(
        Spec(), [](ServiceConfig& c) { c.extras[print::kPortalLookupUrlVariable] = kLookup; },
        &clock_);
    ASSERT_TRUE(sut.ok()) << sut.status();
    sut_ = std::move(*sut);
    stub_ = v1::DossierService::NewStub(sut_->channel());
  }

  // HKD-01 received at the counter; without "giay-de-nghi" it is incomplete (form 02).
  v1::Dossier Receive(const std::string& request_id, bool complete = true,
                      const std::string& refusal = "") {
    v1::ReceiveDossierRequest r;
    r.set_request_id(request_id);
    r.set_procedure_code("HKD-01");
    r.set_channel(v1::CHANNEL_COUNTER);
    r.mutable_applicant()->set_full_name(kName);
    r.mutable_applicant()->set_citizen_id(kCitizenId);
    r.mutable_applicant()->set_address("Số 5 ngõ Hòa Bình, phường Hà Đông");
    r.add_documents()->set_document_code("bien-ban-hop");
    if (complete) r.add_documents()->set_document_code("giay-de-nghi");
    if (!refusal.empty()) r.add_refusal_reasons(refusal);
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-1");
    v1::ReceiveDossierResponse resp;
    auto st = stub_->ReceiveDossier(&ctx, r, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.dossier();
  }

  grpc::Status Print(const std::string& code, v1::DossierPaper paper,
                     v1::PrintDossierPaperResponse* out, Role role = Role::kOfficer,
                     const std::string& agency = kCommune,
                     const std::string& subject = "officer-1") {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, role, agency, subject);
    v1::PrintDossierPaperRequest req;
    req.set_code(code);
    req.set_paper(paper);
    return stub_->PrintDossierPaper(&ctx, req, out);
  }

  // The paper printed, written and read back; its text flattened.
  std::string PrintAndRead(const v1::Dossier& d, v1::DossierPaper paper) {
    v1::PrintDossierPaperResponse resp;
    auto st = Print(d.code(), paper, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    EXPECT_EQ(resp.content_type(), "application/pdf");
    EXPECT_EQ(resp.file_name(), DossierPaperFileName(d.code(), paper));
    EXPECT_EQ(resp.pdf().substr(0, 5), "%PDF-");
    auto read = testing::ReadPdf(resp.pdf(), resp.file_name());
    EXPECT_EQ(read.error, "");
    EXPECT_EQ(read.qr, "https://dvc.tinh.example.gov.vn/tra-cuu-ho-so?ma=" + d.code() + "&nguon=qr")
        << "the QR code carries the portal's look-up address for the code";
    const std::string text = read.text;
    EXPECT_NE(text.find(d.code()), std::string::npos) << text;
    EXPECT_NE(text.find(kName), std::string::npos) << "the applicant's name with its diacritics";
    EXPECT_NE(text.find("Đăng ký thành lập hộ kinh doanh"), std::string::npos) << text;
    EXPECT_NE(text.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), std::string::npos) << text;
    return text;
  }

  grpc::StatusCode CodeOf(const std::string& code, v1::DossierPaper paper) {
    v1::PrintDossierPaperResponse resp;
    return Print(code, paper, &resp).error_code();
  }

  FakeClock clock_{testing::VnTime(2026, 3, 2, 9, 5)};  // Monday
  std::unique_ptr<ServiceUnderTest> sut_;
  std::unique_ptr<v1::DossierService::Stub> stub_;
};

TEST_F(PapersRpcTest, ReceiptReadsInVietnameseAndItsQrCodeIsTheLookUpAddress) {
  const v1::Dossier d = Receive("paper-01");
  ASSERT_EQ(d.due_date(), "2026-03-05");
  const std::string text = PrintAndRead(d, v1::DOSSIER_PAPER_FORM_01_RECEIPT);
  EXPECT_NE(text.find("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"), std::string::npos) << text;
  EXPECT_NE(text.find("Mẫu số 01"), std::string::npos) << text;
  EXPECT_NE(text.find("09 giờ 05 phút, ngày 02/03/2026"), std::string::npos) << text;
  EXPECT_NE(text.find("Thời gian trả kết quả giải quyết hồ sơ: ngày 05/03/2026"), std::string::npos)
      << text;
  EXPECT_NE(text.find("Giấy đề nghị đăng ký hộ kinh doanh"), std::string::npos) << text;
  EXPECT_NE(text.find("Số 5 ngõ Hòa Bình, phường Hà Đông"), std::string::npos) << text;
  EXPECT_NE(text.find("officer-1"), std::string::npos) << "the officer who received it";
  EXPECT_EQ(text.find(kCitizenId), std::string::npos) << "no citizen ID on the paper";

  // The papers it does not have.
  EXPECT_EQ(CodeOf(d.code(), v1::DOSSIER_PAPER_FORM_02_COMPLETION_REQUEST),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(CodeOf(d.code(), v1::DOSSIER_PAPER_FORM_03_REFUSAL),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(CodeOf(d.code(), v1::DOSSIER_PAPER_FORM_04_APOLOGY),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(PapersRpcTest, CompletionRequestListsTheMissingDocuments) {
  const v1::Dossier d = Receive("paper-02", /*complete=*/false);
  ASSERT_EQ(d.state(), v1::DOSSIER_STATE_SUPPLEMENT_REQUESTED);
  const std::string text = PrintAndRead(d, v1::DOSSIER_PAPER_FORM_02_COMPLETION_REQUEST);
  EXPECT_NE(text.find("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"), std::string::npos) << text;
  EXPECT_NE(text.find("Ngày 02/03/2026"), std::string::npos) << text;
  EXPECT_NE(text.find("- Giấy đề nghị đăng ký hộ kinh doanh"), std::string::npos) << text;
  EXPECT_EQ(CodeOf(d.code(), v1::DOSSIER_PAPER_FORM_01_RECEIPT),
            grpc::StatusCode::FAILED_PRECONDITION)
      << "no appointment before the dossier is complete";
}

TEST_F(PapersRpcTest, RefusalGivesTheReasons) {
  const v1::Dossier d = Receive("paper-03", true, "Hồ sơ không thuộc thẩm quyền của xã");
  ASSERT_EQ(d.state(), v1::DOSSIER_STATE_NOT_ACCEPTED);
  const std::string text = PrintAndRead(d, v1::DOSSIER_PAPER_FORM_03_REFUSAL);
  EXPECT_NE(text.find("Phiếu từ chối tiếp nhận giải quyết hồ sơ"), std::string::npos) << text;
  EXPECT_NE(text.find("- Hồ sơ không thuộc thẩm quyền của xã"), std::string::npos) << text;
  EXPECT_NE(text.find("ngày 02/03/2026"), std::string::npos) << text;
  EXPECT_EQ(CodeOf(d.code(), v1::DOSSIER_PAPER_FORM_01_RECEIPT),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(PapersRpcTest, ApologyGivesTheReasonAndTheNewDate) {
  v1::Dossier d = Receive("paper-04");
  clock_.Set(testing::VnTime(2026, 3, 4, 10, 0));  // Wed: the working day before Thu 5/3
  {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-2");
    v1::ApologizeRequest ap;
    ap.set_code(d.code());
    ap.set_expected_version(d.version());
    ap.set_reason("Chờ Công an xác minh nơi cư trú");
    ap.set_new_due_date("2026-03-09");
    v1::ApologizeResponse resp;
    auto st = stub_->Apologize(&ctx, ap, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    d = resp.dossier();
  }
  const std::string text = PrintAndRead(d, v1::DOSSIER_PAPER_FORM_04_APOLOGY);
  EXPECT_NE(text.find("Phiếu xin lỗi và hẹn lại ngày trả kết quả"), std::string::npos) << text;
  EXPECT_NE(text.find("Chờ Công an xác minh nơi cư trú"), std::string::npos) << text;
  EXPECT_NE(text.find("ngày 05/03/2026"), std::string::npos) << "the first date: " << text;
  EXPECT_NE(text.find("vào ngày 09/03/2026"), std::string::npos) << "the new date: " << text;
  EXPECT_NE(text.find("Ngày 04 tháng 03 năm 2026"), std::string::npos) << text;
  EXPECT_NE(text.find("officer-2"), std::string::npos) << text;
  // The receipt still shows the appointment given at intake.
  const std::string receipt = PrintAndRead(d, v1::DOSSIER_PAPER_FORM_01_RECEIPT);
  EXPECT_NE(receipt.find("ngày 05/03/2026"), std::string::npos) << receipt;
}

TEST_F(PapersRpcTest, BadRequestsAndOtherCallers) {
  v1::PrintDossierPaperResponse resp;
  auto st = Print("", v1::DOSSIER_PAPER_UNSPECIFIED, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields;
  for (const auto& v : FieldViolationsOf(FromGrpcStatus(st))) fields.push_back(v.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"code", "paper"}));
  EXPECT_EQ(CodeOf("000.00.31.H41-260302-9999", v1::DOSSIER_PAPER_FORM_01_RECEIPT),
            grpc::StatusCode::NOT_FOUND);

  const v1::Dossier d = Receive("paper-05");
  // Another agency's officer: NOT_FOUND, as GetDossier (the dossier is not disclosed).
  EXPECT_EQ(Print(d.code(), v1::DOSSIER_PAPER_FORM_01_RECEIPT, &resp, Role::kOfficer,
                  "000.00.31.H42", "officer-9")
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  // The citizen their own dossier; not another citizen's.
  EXPECT_TRUE(
      Print(d.code(), v1::DOSSIER_PAPER_FORM_01_RECEIPT, &resp, Role::kCitizen, "", kCitizenId)
          .ok());
  EXPECT_EQ(
      Print(d.code(), v1::DOSSIER_PAPER_FORM_01_RECEIPT, &resp, Role::kCitizen, "", "001203009999")
          .error_code(),
      grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace localgov::dossier

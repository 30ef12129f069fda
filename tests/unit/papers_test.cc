// The printed papers' pure parts: the look-up address, the Vietnamese dates, which papers a
// dossier has and what they say, and a denunciation's receipt without the denouncer.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include "common/print/paper.h"

#include <cstdlib>

#include "gtest/gtest.h"
#include "services/dossier/papers.h"
#include "services/petition/receipt.h"

namespace localgov {
namespace {

namespace dv1 = dossier::v1;
namespace pv1 = petition::v1;

// Every text of a paper, joined (labels and values).
std::string AllText(const print::Paper& p) {
  std::string out = p.issuer_parent + "\n" + p.issuer + "\n" + p.signer_name + "\n";
  for (const auto& b : p.body) out += b.label + ": " + b.text + "\n";
  return out;
}

TEST(LookupUrlTest, ReplacesEveryCodePercentEncoded) {
  EXPECT_EQ(
      print::LookupUrl("https://dvc.example.vn/tra-cuu?ma={code}", "000.00.31.H41-261207-0001"),
      "https://dvc.example.vn/tra-cuu?ma=000.00.31.H41-261207-0001");
  EXPECT_EQ(print::LookupUrl("https://x.vn/{code}?again={code}", "a b/&c"),
            "https://x.vn/a%20b%2F%26c?again=a%20b%2F%26c");
}

TEST(LookupUrlTest, TemplatesAreChecked) {
  EXPECT_TRUE(print::CheckLookupUrlTemplate(print::kDefaultPortalLookupUrl).ok());
  EXPECT_TRUE(print::CheckLookupUrlTemplate("http://10.0.0.1/ho-so/{code}").ok());
  EXPECT_FALSE(print::CheckLookupUrlTemplate("https://dvc.example.vn/tra-cuu").ok()) << "no {code}";
  EXPECT_FALSE(print::CheckLookupUrlTemplate("ftp://dvc.example.vn/{code}").ok());
  EXPECT_FALSE(print::CheckLookupUrlTemplate("https://dvc.example.vn/tra cứu/{code}").ok());
}

TEST(DatesTest, VietnameseFormats) {
  EXPECT_EQ(print::FormatDate(absl::CivilDay(2026, 3, 5)), "05/03/2026");
  EXPECT_EQ(print::FormatIsoDate("2026-12-31"), "31/12/2026");
  EXPECT_EQ(print::FormatIsoDate("not a date"), "not a date");
  EXPECT_EQ(print::LongDate(absl::CivilDay(2026, 7, 6)), "ngày 06 tháng 07 năm 2026");
  // 2026-03-01 17:05 UTC is 00:05 on 2 March in Vietnam (UTC+7).
  EXPECT_EQ(print::FormatDateTime(
                absl::FromCivil(absl::CivilSecond(2026, 3, 1, 17, 5, 0), absl::UTCTimeZone())),
            "00 giờ 05 phút, ngày 02/03/2026");
}

dv1::Dossier Accepted() {
  dv1::Dossier d;
  d.set_code("000.00.31.H41-260302-0001");
  d.set_receiving_agency_code("000.00.31.H41");
  d.set_state(dv1::DOSSIER_STATE_ACCEPTED);
  d.mutable_applicant()->set_full_name("Nguyễn Thị Ánh Tuyết");
  d.mutable_applicant()->set_citizen_id("001203004567");
  d.mutable_received_time()->set_seconds(1772417100);  // 2026-03-02 09:05 in Vietnam
  d.set_due_date("2026-03-05");
  d.add_documents()->set_document_code("giay-de-nghi");
  auto* e = d.add_events();
  e->set_actor("officer-1");
  e->set_to_state(dv1::DOSSIER_STATE_ACCEPTED);
  *e->mutable_time() = d.received_time();
  return d;
}

dossier::PaperContext Context() {
  dossier::PaperContext c;
  c.agency_name = "Ủy ban nhân dân phường Nha Trang";
  c.procedure_name = "Đăng ký thành lập hộ kinh doanh";
  c.document_names["giay-de-nghi"] = "Giấy đề nghị đăng ký hộ kinh doanh";
  return c;
}

TEST(DossierPapersTest, AnAcceptedDossierHasAReceiptOnly) {
  const auto d = Accepted();
  auto receipt = dossier::DossierPaperContent(d, dv1::DOSSIER_PAPER_FORM_01_RECEIPT, Context());
  ASSERT_TRUE(receipt.ok()) << receipt.status();
  const std::string text = AllText(*receipt);
  EXPECT_NE(text.find("Nguyễn Thị Ánh Tuyết"), std::string::npos);
  EXPECT_NE(text.find("Giấy đề nghị đăng ký hộ kinh doanh"), std::string::npos);
  EXPECT_NE(text.find("ngày 05/03/2026"), std::string::npos);
  EXPECT_NE(text.find("09 giờ 05 phút, ngày 02/03/2026"), std::string::npos);
  EXPECT_EQ(text.find("001203004567"), std::string::npos) << "no citizen ID";
  EXPECT_EQ(receipt->signer_name, "officer-1");
  EXPECT_EQ(receipt->qr_text, "https://dichvucong.example.gov.vn/tra-cuu?ma=" + d.code());
  for (auto paper : {dv1::DOSSIER_PAPER_FORM_02_COMPLETION_REQUEST,
                     dv1::DOSSIER_PAPER_FORM_03_REFUSAL, dv1::DOSSIER_PAPER_FORM_04_APOLOGY}) {
    EXPECT_EQ(dossier::DossierPaperContent(d, paper, Context()).status().code(),
              absl::StatusCode::kFailedPrecondition)
        << dv1::DossierPaper_Name(paper);
  }
  EXPECT_EQ(dossier::DossierPaperFileName(d.code(), dv1::DOSSIER_PAPER_FORM_04_APOLOGY),
            d.code() + "-mau-04.pdf");
}

TEST(DossierPapersTest, ACompletionRequestIsReprintedFromTheHistoryAfterCompletion) {
  auto d = Accepted();
  auto* asked = d.add_events();
  asked->set_actor("officer-2");
  asked->set_to_state(dv1::DOSSIER_STATE_SUPPLEMENT_REQUESTED);
  asked->set_note(
      "requested at once: Giấy đề nghị đăng ký hộ kinh doanh; Bản sao giấy tờ pháp lý; the "
      "clock restarts when complete");
  auto* done = d.add_events();
  done->set_to_state(dv1::DOSSIER_STATE_ACCEPTED);  // completed since: no missing documents now
  auto paper =
      dossier::DossierPaperContent(d, dv1::DOSSIER_PAPER_FORM_02_COMPLETION_REQUEST, Context());
  ASSERT_TRUE(paper.ok()) << paper.status();
  std::vector<std::string> bullets;
  for (const auto& b : paper->body) {
    if (b.kind == print::Block::Kind::kBullet) bullets.push_back(b.text);
  }
  EXPECT_EQ(bullets, (std::vector<std::string>{"Giấy đề nghị đăng ký hộ kinh doanh",
                                               "Bản sao giấy tờ pháp lý"}));
  EXPECT_EQ(paper->signer_name, "officer-2");
}

TEST(DossierPapersTest, AnApologyKeepsTheFirstDateOnTheReceipt) {
  auto d = Accepted();
  d.mutable_apology()->set_reason("Chờ xác minh");
  d.mutable_apology()->set_previous_due_date("2026-03-05");
  d.mutable_apology()->set_new_due_date("2026-03-09");
  d.set_due_date("2026-03-09");
  d.add_events()->set_note("apology issued; new date 2026-03-09: Chờ xác minh");
  auto receipt = dossier::DossierPaperContent(d, dv1::DOSSIER_PAPER_FORM_01_RECEIPT, Context());
  ASSERT_TRUE(receipt.ok());
  EXPECT_NE(AllText(*receipt).find("ngày 05/03/2026"), std::string::npos);
  EXPECT_EQ(AllText(*receipt).find("09/03/2026"), std::string::npos);
  auto apology = dossier::DossierPaperContent(d, dv1::DOSSIER_PAPER_FORM_04_APOLOGY, Context());
  ASSERT_TRUE(apology.ok());
  EXPECT_NE(AllText(*apology).find("vào ngày 09/03/2026"), std::string::npos);
  EXPECT_NE(AllText(*apology).find("Chờ xác minh"), std::string::npos);
}

TEST(PetitionReceiptContentTest, ADenunciationNeverShowsTheDenouncerEvenIfGivenOne) {
  pv1::Petition p;
  p.set_code("000.00.31.H41-TC-260706-0001");
  p.set_kind(pv1::PETITION_KIND_DENUNCIATION);
  p.set_title("Tố cáo cán bộ");
  p.mutable_received_time()->set_seconds(1783303200);
  // A caller that could read the name must still not print it.
  p.mutable_petitioner()->set_full_name("Phạm Thị Tố Cáo");
  p.mutable_petitioner()->set_address("Số 9 ngõ Bí Mật");
  const std::string text = AllText(petition::PetitionReceiptContent(p, {}));
  EXPECT_EQ(text.find("Phạm Thị"), std::string::npos) << text;
  EXPECT_EQ(text.find("Bí Mật"), std::string::npos) << text;
  EXPECT_NE(text.find("được giữ bí mật"), std::string::npos) << text;
  p.set_kind(pv1::PETITION_KIND_COMPLAINT);
  EXPECT_NE(AllText(petition::PetitionReceiptContent(p, {})).find("Phạm Thị Tố Cáo"),
            std::string::npos);
}

TEST(RenderPdfTest, APdfWithTheFontEmbeddedOrAClearErrorWithoutIt) {
  print::Paper p;
  p.Heading("Giấy tiếp nhận hồ sơ và hẹn trả kết quả");
  for (int i = 0; i < 80; ++i)
    p.Bullet("Một dòng rất dài để trang thứ hai được tạo ra khi nội dung dài hơn một trang A4");
  p.qr_text = "https://dichvucong.example.gov.vn/tra-cuu?ma=X";
  auto pdf = print::RenderPdf(p);
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
  const size_t count = pdf->find("/Count ");
  ASSERT_NE(count, std::string::npos);
  EXPECT_GT(std::atoi(pdf->c_str() + count + 7), 1) << "the long body runs onto more pages";
  EXPECT_NE(pdf->find("DejaVuSans"), std::string::npos) << "the font is embedded";
  auto missing = print::RenderPdf(p, {.font_directory = "/nonexistent"});
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(missing.status().message().find("fonts-dejavu-core"), std::string::npos);
}

// The page as pdftoppm draws it (poppler-utils), in grey levels: what a citizen reads.
std::string Raster(const std::string& pdf) {
  const std::string dir = ::testing::TempDir();
  const std::string in = dir + "/raster.pdf", out = dir + "/raster";
  std::FILE* f = std::fopen(in.c_str(), "wb");
  std::fwrite(pdf.data(), 1, pdf.size(), f);
  std::fclose(f);
  const std::string cmd = "pdftoppm -gray -r 100 -singlefile '" + in + "' '" + out + "'";
  if (std::system(cmd.c_str()) != 0) return "";
  std::ifstream png(out + ".pgm", std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(png), {});
}

TEST(RenderPdfTest, LettersWithTwoDiacriticsAreDrawnWithBoth) {
  // libharu 2.3.0 left out a composite glyph's components' components: on a real receipt
  // "Nguyễn" was drawn "Nguyên" (the text layer said "Nguyễn"). The same receipt for
  // "Nguyễn ..." and "Nguyên ..." must look different.
  ASSERT_EQ(std::system("command -v pdftoppm >/dev/null"), 0)
      << "pdftoppm is not installed: apt-get install poppler-utils (scripts/install-deps.sh)";
  for (const auto& [two_marks, one_mark] :
       std::vector<std::pair<std::string, std::string>>{{"Nguyễn Thị Hồ", "Nguyên Thị Hô"},
                                                        {"Trần Thị Ấp", "Trần Thị Âp"},
                                                        {"Lê Thị Gồm", "Lê Thị Gôm"}}) {
    auto page = [&](const std::string& name) {
      auto d = Accepted();
      d.mutable_applicant()->set_full_name(name);
      auto paper = dossier::DossierPaperContent(d, dv1::DOSSIER_PAPER_FORM_01_RECEIPT, Context());
      return print::RenderPdf(*paper);
    };
    auto two = page(two_marks);
    auto one = page(one_mark);
    ASSERT_TRUE(two.ok() && one.ok());
    const std::string a = Raster(*two), b = Raster(*one);
    ASSERT_FALSE(a.empty());
    ASSERT_EQ(a.size(), b.size());
    EXPECT_NE(a, b) << "\"" << two_marks << "\" is drawn as \"" << one_mark << "\"";
  }
}

}  // namespace
}  // namespace localgov

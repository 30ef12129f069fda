#ifndef LOCALGOV_COMMON_PRINT_PAPER_H_
#define LOCALGOV_COMMON_PRINT_PAPER_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

// The citizen's printed papers (the one-stop counter's forms of Circular 01/2018/TT-VPCP, the
// reception office's petition receipt): a paper as data in, an A4 PDF in Vietnamese out.
// Pure: no gRPC, no SQL, no clock. Rendered with libharu, the text in an embedded TrueType
// font with every Vietnamese glyph (DejaVu Sans), a QR code (libqrencode) with the province
// portal's look-up address.
namespace localgov::print {

// Where Debian's fonts-dejavu-core puts the fonts (the service images install it too).
inline constexpr const char* kDefaultFontDirectory = "/usr/share/fonts/truetype/dejavu";

// LOCALGOV_PORTAL_LOOKUP_URL, a setting of each service that prints papers: the province
// portal's look-up address of a record, "{code}" replaced by its code; the papers' QR code
// carries it.
inline constexpr const char* kPortalLookupUrlVariable = "LOCALGOV_PORTAL_LOOKUP_URL";
inline constexpr const char* kDefaultPortalLookupUrl =
    "https://dichvucong.example.gov.vn/tra-cuu?ma={code}";

// One line of the body.
struct Block {
  enum class Kind {
    kHeading,   // centred, bold, larger: the paper's title
    kCentered,  // centred, normal
    kText,      // a paragraph, wrapped
    kField,     // "label: value", the label bold, the value wrapped under it
    kBullet,    // "- text", wrapped and indented
    kSpace,     // a blank line
  };
  Kind kind = Kind::kText;
  std::string text;   // the paragraph, or the field's value
  std::string label;  // kField only
};

// A paper: the two-column header of an administrative document, the body, the signature
// block and the QR code.
struct Paper {
  std::string issuer_parent;  // header left, first line (e.g. "UBND TỈNH ...")
  std::string issuer;         // header left, second line: the agency
  std::string form_number;    // e.g. "Mẫu số 01"
  std::string place_date;     // right, above the body: "..., ngày 07 tháng 12 năm 2026"
  std::vector<Block> body;
  std::string signer_title;  // right, under the body, e.g. "NGƯỜI TIẾP NHẬN"
  std::string signer_name;   // under the title
  std::string qr_text;       // encoded in the QR code; none when empty
  std::string qr_caption;    // under the QR code

  // Appending to the body.
  void Add(Block::Kind kind, std::string text, std::string label = "") {
    body.push_back(Block{kind, std::move(text), std::move(label)});
  }
  void Heading(std::string text) { Add(Block::Kind::kHeading, std::move(text)); }
  void Centered(std::string text) { Add(Block::Kind::kCentered, std::move(text)); }
  void Text(std::string text) { Add(Block::Kind::kText, std::move(text)); }
  void Field(std::string label, std::string value) {
    Add(Block::Kind::kField, std::move(value), std::move(label));
  }
  void Bullet(std::string text) { Add(Block::Kind::kBullet, std::move(text)); }
  void Space() { Add(Block::Kind::kSpace, ""); }
};

struct Options {
  std::string font_directory = kDefaultFontDirectory;  // DejaVuSans.ttf, DejaVuSans-Bold.ttf
};

// The PDF's bytes. FAILED_PRECONDITION when a font cannot be read; INTERNAL for a libharu or
// libqrencode failure.
absl::StatusOr<std::string> RenderPdf(const Paper& paper, const Options& options = {});

// Helpers for filling papers in.
// dd/mm/yyyy.
std::string FormatDate(absl::CivilDay day);
// "YYYY-MM-DD" as dd/mm/yyyy; the text itself when it is not such a date.
std::string FormatIsoDate(absl::string_view iso);
// hh giờ mm phút, ngày dd/mm/yyyy (Vietnam time).
std::string FormatDateTime(absl::Time t);
// "ngày dd tháng mm năm yyyy".
std::string LongDate(absl::CivilDay day);
// The look-up address for a code: `url_template` with every "{code}" replaced by the code,
// percent-encoded as a URL query value.
std::string LookupUrl(absl::string_view url_template, absl::string_view code);
// Checks a look-up address template: http(s)://..., with "{code}" at least once.
absl::Status CheckLookupUrlTemplate(absl::string_view url_template);
// The template when it passes the check (for UseSetting).
absl::StatusOr<std::string> ParseLookupUrlTemplate(absl::string_view url_template);

}  // namespace localgov::print

#endif  // LOCALGOV_COMMON_PRINT_PAPER_H_

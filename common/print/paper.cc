#include "common/print/paper.h"

#include <hpdf.h>
#include <qrencode.h>

#include <memory>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"

namespace localgov::print {
namespace {

constexpr float kPageWidth = 595.28f;  // A4 in points
constexpr float kPageHeight = 841.89f;
constexpr float kMargin = 56.0f;
constexpr float kBodySize = 12.0f;
constexpr float kLeading = 1.45f;  // line height / font size
constexpr float kQrSize = 110.0f;  // points, quiet zone included

// libharu reports errors through a handler; the first one is kept and checked at the end.
struct HaruError {
  HPDF_STATUS code = HPDF_OK;
  HPDF_STATUS detail = 0;
};
void OnHaruError(HPDF_STATUS code, HPDF_STATUS detail, void* data) {
  auto* e = static_cast<HaruError*>(data);
  if (e->code == HPDF_OK) {
    e->code = code;
    e->detail = detail;
  }
}

// The length in bytes of the UTF-8 sequence starting with `lead`.
size_t Utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

class Writer {
 public:
  Writer(HPDF_Doc pdf, HPDF_Font regular, HPDF_Font bold)
      : pdf_(pdf), regular_(regular), bold_(bold) {
    NewPage();
    PrimeSubsets();
  }

  float Width(HPDF_Font font, float size, const std::string& text) {
    HPDF_Page_SetFontAndSize(page_, font, size);
    return HPDF_Page_TextWidth(page_, text.c_str());
  }

  // Splits `text` into lines no wider than `width`: at spaces, and inside a word too long for
  // a line at character boundaries.
  std::vector<std::string> Wrap(HPDF_Font font, float size, const std::string& text, float width) {
    std::vector<std::string> lines;
    for (absl::string_view paragraph : absl::StrSplit(text, '\n')) {
      std::string line;
      for (absl::string_view word : absl::StrSplit(paragraph, ' ', absl::SkipEmpty())) {
        std::string candidate = line.empty() ? std::string(word) : absl::StrCat(line, " ", word);
        if (Width(font, size, candidate) <= width) {
          line = std::move(candidate);
          continue;
        }
        if (!line.empty()) lines.push_back(std::exchange(line, ""));
        std::string piece;
        for (size_t i = 0; i < word.size();) {
          const size_t n =
              std::min(Utf8Length(static_cast<unsigned char>(word[i])), word.size() - i);
          std::string longer = absl::StrCat(piece, word.substr(i, n));
          if (!piece.empty() && Width(font, size, longer) > width) {
            lines.push_back(std::exchange(piece, std::string(word.substr(i, n))));
          } else {
            piece = std::move(longer);
          }
          i += n;
        }
        line = std::move(piece);
      }
      lines.push_back(std::move(line));
    }
    return lines;
  }

  // Writes one line at the cursor: x from the left margin, or centred in [left, right] when
  // `align` is 'c', right-aligned to `right` when 'r'.
  // A new page unless one more line of `size` fits on this one.
  void KeepRoom(float size) {
    if (y_ - size * kLeading < kMargin) NewPage();
  }

  void Line(HPDF_Font font, float size, const std::string& text, char align = 'l',
            float left = kMargin, float right = kPageWidth - kMargin) {
    KeepRoom(size);
    y_ -= size * kLeading;
    if (text.empty()) return;
    float x = left;
    if (align != 'l') {
      const float w = Width(font, size, text);
      x = align == 'c' ? left + (right - left - w) / 2 : right - w;
    }
    HPDF_Page_BeginText(page_);
    HPDF_Page_SetFontAndSize(page_, font, size);
    HPDF_Page_TextOut(page_, x, y_, text.c_str());
    HPDF_Page_EndText(page_);
  }

  void Lines(HPDF_Font font, float size, const std::string& text, char align, float left,
             float right) {
    for (const auto& l : Wrap(font, size, text, right - left))
      Line(font, size, l, align, left, right);
  }

  void Header(const Paper& p) {
    const float split = kMargin + 200;
    if (!p.form_number.empty()) {
      Line(regular_, 9, p.form_number, 'r');
    }
    const float start = y_;
    Lines(regular_, 11, p.issuer_parent, 'c', kMargin - 20, split);
    Lines(bold_, 11, p.issuer, 'c', kMargin - 20, split);
    const float left_end = y_;
    y_ = start;
    Line(bold_, 10.5f, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 'c', split, kPageWidth - kMargin + 20);
    Line(bold_, 11, "Độc lập - Tự do - Hạnh phúc", 'c', split, kPageWidth - kMargin + 20);
    y_ = std::min(y_, left_end);
    Line(regular_, 11, "");
    if (!p.place_date.empty()) Line(regular_, 11, p.place_date, 'r');
    Line(regular_, 11, "");
  }

  void Body(const std::vector<Block>& body) {
    const float left = kMargin;
    const float right = kPageWidth - kMargin;
    for (const auto& b : body) {
      switch (b.kind) {
        case Block::Kind::kHeading:
          Lines(bold_, 14, b.text, 'c', left, right);
          break;
        case Block::Kind::kCentered:
          Lines(regular_, kBodySize, b.text, 'c', left, right);
          break;
        case Block::Kind::kText:
          Lines(regular_, kBodySize, b.text, 'l', left, right);
          break;
        case Block::Kind::kField: {
          // The label in bold, then the value on the same line when it fits, else under it.
          const std::string label = b.label + ": ";
          const float lw = Width(bold_, kBodySize, label);
          auto lines = Wrap(regular_, kBodySize, b.text, right - left - lw);
          KeepRoom(kBodySize);  // the label and the value's first line on the same page
          Line(bold_, kBodySize, label, 'l', left, right);
          y_ += kBodySize * kLeading;  // the first value line shares the label's line
          for (const auto& l : lines) Line(regular_, kBodySize, l, 'l', left + lw, right);
          break;
        }
        case Block::Kind::kBullet: {
          auto lines = Wrap(regular_, kBodySize, b.text, right - left - 18);
          for (size_t i = 0; i < lines.size(); ++i) {
            if (i == 0) {
              KeepRoom(kBodySize);
              Line(regular_, kBodySize, "-", 'l', left + 6, right);
              y_ += kBodySize * kLeading;
            }
            Line(regular_, kBodySize, lines[i], 'l', left + 18, right);
          }
          break;
        }
        case Block::Kind::kSpace:
          Line(regular_, kBodySize, "");
          break;
      }
    }
  }

  absl::Status Footer(const Paper& p) {
    const float block = kQrSize + 40;
    if (y_ - block < kMargin) NewPage();
    Line(regular_, kBodySize, "");
    const float top = y_;
    const float sign_left = kPageWidth / 2;
    Lines(bold_, kBodySize, p.signer_title, 'c', sign_left, kPageWidth - kMargin);
    Line(regular_, 10, "(Ký và ghi rõ họ tên)", 'c', sign_left, kPageWidth - kMargin);
    Line(regular_, kBodySize, "");
    Line(regular_, kBodySize, "");
    Lines(bold_, kBodySize, p.signer_name, 'c', sign_left, kPageWidth - kMargin);
    const float sign_end = y_;
    if (!p.qr_text.empty()) {
      if (auto st = Qr(p.qr_text, kMargin, top - kQrSize); !st.ok()) return st;
      y_ = top - kQrSize;
      Lines(regular_, 8, p.qr_caption, 'l', kMargin, sign_left - 10);
    }
    y_ = std::min(y_, sign_end);
    return absl::OkStatus();
  }

 private:
  // libharu 2.3.0 (Debian 12) embeds a TrueType subset holding the glyphs drawn and their
  // components, but not their components' components (libharu issues #79 and #54): in DejaVu
  // Sans a letter with two diacritics ("ấ", "ồ", "ễ") is built from a letter with one, itself
  // built from a base and a mark, and that mark went missing unless the page used it some
  // other way — "Ấp" was drawn "Âp" while the text layer said "Ấp". Drawing, invisibly, every
  // letter with one diacritic and every mark once puts their components in the subset.
  void PrimeSubsets() {
    static constexpr const char* kPrimer =
        "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯẠẢẸẺẼỈỊỌỎỤỦỲỴỶỸàáâãèéêìíòóôõùúýăđĩũơưạảẹẻẽỉịọỏụủỳỵỷỹ"
        "\u0300\u0301\u0302\u0303\u0306\u0309\u031B\u0323`´^~˘ˆ˜";
    HPDF_Page_BeginText(page_);
    HPDF_Page_SetTextRenderingMode(page_, HPDF_INVISIBLE);
    for (HPDF_Font font : {regular_, bold_}) {
      HPDF_Page_SetFontAndSize(page_, font, 1);
      HPDF_Page_TextOut(page_, kMargin, kMargin, kPrimer);
    }
    HPDF_Page_SetTextRenderingMode(page_, HPDF_FILL);
    HPDF_Page_EndText(page_);
  }

  void NewPage() {
    page_ = HPDF_AddPage(pdf_);
    HPDF_Page_SetSize(page_, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    y_ = kPageHeight - kMargin;
  }

  // The QR code of `text` as filled squares, its lower-left corner at (x, y), kQrSize wide
  // with the standard quiet zone of 4 modules.
  absl::Status Qr(const std::string& text, float x, float y) {
    std::unique_ptr<QRcode, void (*)(QRcode*)> code(
        QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
    if (code == nullptr) return absl::InternalError("the QR code could not be encoded");
    const int n = code->width;
    const float module = kQrSize / static_cast<float>(n + 8);
    HPDF_Page_SetRGBFill(page_, 0, 0, 0);
    for (int row = 0; row < n; ++row) {
      for (int col = 0; col < n; ++col) {
        if ((code->data[row * n + col] & 1) == 0) continue;
        HPDF_Page_Rectangle(page_, x + (col + 4) * module, y + (n - 1 - row + 4) * module, module,
                            module);
      }
    }
    HPDF_Page_Fill(page_);
    return absl::OkStatus();
  }

  HPDF_Doc pdf_;
  HPDF_Font regular_;
  HPDF_Font bold_;
  HPDF_Page page_ = nullptr;
  float y_ = 0;
};

}  // namespace

absl::StatusOr<std::string> RenderPdf(const Paper& paper, const Options& options) {
  HaruError error;
  std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, void (*)(HPDF_Doc)> pdf(
      HPDF_New(OnHaruError, &error), HPDF_Free);
  if (pdf == nullptr) return absl::InternalError("libharu: cannot create a document");
  HPDF_SetCompressionMode(pdf.get(), HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(pdf.get());
  HPDF_SetCurrentEncoder(pdf.get(), "UTF-8");
  HPDF_Font fonts[2] = {nullptr, nullptr};
  const char* files[2] = {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf"};
  for (int i = 0; i < 2; ++i) {
    const std::string path = absl::StrCat(options.font_directory, "/", files[i]);
    const char* name = HPDF_LoadTTFontFromFile(pdf.get(), path.c_str(), HPDF_TRUE);
    if (name == nullptr) {
      return absl::FailedPreconditionError(
          absl::StrCat("the font ", path, " cannot be read (Debian package fonts-dejavu-core)"));
    }
    fonts[i] = HPDF_GetFont(pdf.get(), name, "UTF-8");
    if (fonts[i] == nullptr) {
      return absl::InternalError(absl::StrCat("libharu: the font ", path, " cannot be used"));
    }
  }
  Writer w(pdf.get(), fonts[0], fonts[1]);
  w.Header(paper);
  w.Body(paper.body);
  if (auto st = w.Footer(paper); !st.ok()) return st;
  if (error.code != HPDF_OK) {
    return absl::InternalError(
        absl::StrFormat("libharu error 0x%04X (detail %u)", error.code, error.detail));
  }
  if (HPDF_SaveToStream(pdf.get()) != HPDF_OK) {
    return absl::InternalError("libharu: the document cannot be written");
  }
  HPDF_UINT32 size = HPDF_GetStreamSize(pdf.get());
  std::string out(size, '\0');
  if (HPDF_ReadFromStream(pdf.get(), reinterpret_cast<HPDF_BYTE*>(out.data()), &size) != HPDF_OK &&
      error.code != HPDF_STREAM_EOF) {
    return absl::InternalError("libharu: the document cannot be read back");
  }
  out.resize(size);
  return out;
}

std::string FormatDate(absl::CivilDay day) {
  return absl::StrFormat("%02d/%02d/%04d", day.day(), day.month(), day.year());
}

std::string FormatIsoDate(absl::string_view iso) {
  absl::CivilDay day;
  if (iso.size() == 10 && absl::ParseCivilTime(iso, &day)) return FormatDate(day);
  return std::string(iso);
}

std::string FormatDateTime(absl::Time t) {
  const auto c = absl::ToCivilSecond(t, absl::FixedTimeZone(7 * 3600));  // Vietnam: UTC+7
  return absl::StrFormat("%02d giờ %02d phút, ngày %s", c.hour(), c.minute(),
                         FormatDate(absl::CivilDay(c)));
}

std::string LongDate(absl::CivilDay day) {
  return absl::StrFormat("ngày %02d tháng %02d năm %04d", day.day(), day.month(), day.year());
}

std::string LookupUrl(absl::string_view url_template, absl::string_view code) {
  std::string encoded;
  for (unsigned char c : code) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      encoded.push_back(static_cast<char>(c));
    } else {
      absl::StrAppendFormat(&encoded, "%%%02X", c);
    }
  }
  return absl::StrReplaceAll(url_template, {{"{code}", encoded}});
}

absl::Status CheckLookupUrlTemplate(absl::string_view url_template) {
  if (!(absl::StartsWith(url_template, "https://") || absl::StartsWith(url_template, "http://"))) {
    return absl::InvalidArgumentError("the look-up address must start with https:// or http://");
  }
  if (!absl::StrContains(url_template, "{code}")) {
    return absl::InvalidArgumentError("the look-up address must contain {code}");
  }
  for (char c : url_template) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7F) {
      return absl::InvalidArgumentError("the look-up address must be ASCII without spaces");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ParseLookupUrlTemplate(absl::string_view url_template) {
  if (auto st = CheckLookupUrlTemplate(url_template); !st.ok()) return st;
  return std::string(url_template);
}

}  // namespace localgov::print

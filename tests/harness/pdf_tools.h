#ifndef LOCALGOV_TESTS_HARNESS_PDF_TOOLS_H_
#define LOCALGOV_TESTS_HARNESS_PDF_TOOLS_H_

#include <string>

// The real tools a reader of a printed paper would use, for tests: poppler-utils' pdftotext
// and pdftoppm, zbar-tools' zbarimg (scripts/install-deps.sh installs them). A missing tool
// fails the test with the package to install; it never skips.
namespace localgov::testing {

struct PdfReading {
  std::string error;  // empty when every tool ran
  std::string text;   // pdftotext's text (UTF-8), every run of white space as one space
                      // (pdftotext breaks wrapped lines and pages)
  std::string qr;     // zbarimg --raw of the first page at 150 dpi
};

// Writes `pdf` to a fresh temporary folder as `file_name`, and reads it back with the tools.
PdfReading ReadPdf(const std::string& pdf, const std::string& file_name);

}  // namespace localgov::testing

#endif  // LOCALGOV_TESTS_HARNESS_PDF_TOOLS_H_

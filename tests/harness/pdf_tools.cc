#include "tests/harness/pdf_tools.h"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace localgov::testing {
namespace {

// Runs `command` with sh; its standard output, and whether it exited 0.
bool Run(const std::string& command, std::string* out) {
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return false;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out->append(buf.data(), n);
  const int status = pclose(p);
  return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::string Missing(const char* tool, const char* package) {
  std::string ignored;
  if (Run(absl::StrCat("command -v ", tool, " >/dev/null 2>&1"), &ignored)) return "";
  return absl::StrCat(tool, " is not installed: apt-get install ", package,
                      " (scripts/install-deps.sh installs it)");
}

}  // namespace

PdfReading ReadPdf(const std::string& pdf, const std::string& file_name) {
  PdfReading r;
  for (auto [tool, package] :
       {std::pair{"pdftotext", "poppler-utils"}, std::pair{"pdftoppm", "poppler-utils"},
        std::pair{"zbarimg", "zbar-tools"}}) {
    if (r.error = Missing(tool, package); !r.error.empty()) return r;
  }
  std::string dir_template =
      (std::filesystem::temp_directory_path() / "localgov-pdf-XXXXXX").string();
  if (mkdtemp(dir_template.data()) == nullptr) {
    r.error = "mkdtemp failed";
    return r;
  }
  const std::filesystem::path dir = dir_template;
  const std::string path = (dir / file_name).string();
  {
    std::ofstream f(path, std::ios::binary);
    f.write(pdf.data(), static_cast<std::streamsize>(pdf.size()));
  }
  if (!Run(absl::StrCat("pdftotext -enc UTF-8 '", path, "' - 2>/dev/null"), &r.text)) {
    r.error = absl::StrCat("pdftotext failed on ", path);
    return r;
  }
  r.text =
      absl::StrJoin(absl::StrSplit(r.text, absl::ByAnyChar(" \n\f\t"), absl::SkipEmpty()), " ");
  std::string ignored;
  const std::string png = (dir / "page").string();
  if (!Run(absl::StrCat("pdftoppm -png -r 150 -f 1 -l 1 -singlefile '", path, "' '", png, "'"),
           &ignored)) {
    r.error = absl::StrCat("pdftoppm failed on ", path);
    return r;
  }
  if (!Run(absl::StrCat("zbarimg --raw -q '", png, ".png'"), &r.qr)) {
    r.error = absl::StrCat("zbarimg found no code in ", png, ".png");
    return r;
  }
  r.qr = std::string(absl::StripTrailingAsciiWhitespace(r.qr));
  std::filesystem::remove_all(dir);
  return r;
}

}  // namespace localgov::testing

#include "services/dossier/papers.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/calendar/calendar.h"
#include "services/dossier/convert.h"

namespace localgov::dossier {
namespace {

// The last event that brought the dossier into `state`; nullptr when none did.
const v1::DossierEvent* LastInto(const v1::Dossier& d, v1::DossierState state) {
  const v1::DossierEvent* found = nullptr;
  for (const auto& e : d.events()) {
    if (e.to_state() == state) found = &e;
  }
  return found;
}

const v1::DossierEvent* LastApology(const v1::Dossier& d) {
  const v1::DossierEvent* found = nullptr;
  for (const auto& e : d.events()) {
    if (absl::StartsWith(e.note(), "apology issued")) found = &e;
  }
  return found;
}

absl::CivilDay DayOf(const google::protobuf::Timestamp& t) {
  return calendar::VietnamDay(FromProto(t));
}

// The header, the applicant and the closing shared by every form.
print::Paper Frame(const v1::Dossier& d, const PaperContext& c, const std::string& form,
                   const std::string& title, const v1::DossierEvent* event) {
  print::Paper p;
  p.issuer_parent = "CƠ QUAN TIẾP NHẬN HỒ SƠ";
  p.issuer = c.agency_name.empty() ? d.receiving_agency_code() : c.agency_name;
  p.form_number = absl::StrCat("Mẫu số ", form, " — Thông tư 01/2018/TT-VPCP");
  const absl::CivilDay day = event != nullptr ? DayOf(event->time()) : DayOf(d.received_time());
  p.place_date = absl::StrCat(print::LongDate(day).replace(0, 1, "N"));
  p.Heading(title);
  p.Centered(absl::StrCat("Mã hồ sơ: ", d.code()));
  p.Space();
  p.signer_title = "NGƯỜI TIẾP NHẬN";
  p.signer_name = event != nullptr ? event->actor() : "";
  p.qr_text = print::LookupUrl(c.lookup_url_template, d.code());
  p.qr_caption = absl::StrCat("Tra cứu tình trạng hồ sơ: quét mã QR hoặc vào ", p.qr_text);
  return p;
}

// How every form begins: `intro`, the applicant (never the citizen ID), the procedure.
void Opening(print::Paper& p, const v1::Dossier& d, const std::string& intro,
             const std::string& procedure_label, const std::string& procedure) {
  p.Text(intro);
  p.Field("Ông/Bà", d.applicant().full_name());
  if (!d.applicant().address().empty()) p.Field("Địa chỉ", d.applicant().address());
  if (!d.applicant().phone().empty()) p.Field("Số điện thoại", d.applicant().phone());
  if (!d.applicant().email().empty()) p.Field("Thư điện tử", d.applicant().email());
  p.Field(procedure_label, procedure);
}

// "Ngày dd/mm/yyyy, " of the dossier's receipt.
std::string OnTheDayOfReceipt(const v1::Dossier& d) {
  return absl::StrCat("Ngày ", print::FormatDate(DayOf(d.received_time())), ", ");
}

std::string ReceivedAt(const v1::Dossier& d) {
  return print::FormatDateTime(FromProto(d.received_time()));
}

// The documents asked for by the last request: the dossier's missing documents while it
// waits for them, afterwards the names the request's history entry recorded.
std::vector<std::string> Requested(const v1::Dossier& d, const v1::DossierEvent& e) {
  std::vector<std::string> out;
  if (d.state() == v1::DOSSIER_STATE_SUPPLEMENT_REQUESTED) {
    for (const auto& m : d.missing_documents()) out.push_back(m.name());
    if (!out.empty()) return out;
  }
  absl::string_view note = e.note();
  if (const size_t at = note.find("requested at once: "); at != absl::string_view::npos) {
    note.remove_prefix(at + std::string_view("requested at once: ").size());
    if (const size_t end = note.find("; the clock restarts"); end != absl::string_view::npos) {
      note = note.substr(0, end);
    }
    for (absl::string_view name : absl::StrSplit(note, "; ", absl::SkipEmpty())) {
      out.emplace_back(name);
    }
  }
  if (out.empty()) out.emplace_back(e.note());
  return out;
}

absl::Status NoPaper(const v1::Dossier& d, const std::string& what) {
  return absl::FailedPreconditionError(absl::StrCat("dossier ", d.code(), " has no ", what));
}

}  // namespace

absl::StatusOr<print::Paper> DossierPaperContent(const v1::Dossier& d, v1::DossierPaper paper,
                                                 const PaperContext& c) {
  const std::string agency = c.agency_name.empty() ? d.receiving_agency_code() : c.agency_name;
  switch (paper) {
    case v1::DOSSIER_PAPER_FORM_01_RECEIPT: {
      // The appointment given at acceptance: the first due date when an apology moved it.
      const std::string due =
          d.has_apology() ? d.apology().previous_due_date() : std::string(d.due_date());
      const v1::DossierEvent* accepted = LastInto(d, v1::DOSSIER_STATE_ACCEPTED);
      if (due.empty() || accepted == nullptr) {
        return NoPaper(d, "receipt and appointment slip: it has not been accepted complete");
      }
      auto p = Frame(d, c, "01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", accepted);
      Opening(p, d, absl::StrCat(agency, " tiếp nhận hồ sơ của:"), "Nội dung yêu cầu giải quyết",
              c.procedure_name);
      p.Text("Thành phần hồ sơ nộp gồm:");
      for (const auto& doc : d.documents()) {
        auto name = c.document_names.find(doc.document_code());
        p.Bullet(name != c.document_names.end()
                     ? name->second
                     : absl::StrCat(doc.document_code(), " (", doc.file_name(), ")"));
      }
      if (d.documents().empty()) p.Bullet("(không có)");
      p.Field("Thời gian nhận hồ sơ", ReceivedAt(d));
      p.Field("Thời gian trả kết quả giải quyết hồ sơ",
              absl::StrCat("ngày ", print::FormatIsoDate(due)));
      p.Space();
      p.Text(
          "Ông/Bà mang theo Giấy này khi đến nhận kết quả. Mọi thay đổi về thời "
          "hạn trả kết quả sẽ được thông báo bằng Phiếu xin lỗi và hẹn lại ngày "
          "trả kết quả.");
      return p;
    }
    case v1::DOSSIER_PAPER_FORM_02_COMPLETION_REQUEST: {
      const v1::DossierEvent* requested = LastInto(d, v1::DOSSIER_STATE_SUPPLEMENT_REQUESTED);
      if (requested == nullptr) {
        return NoPaper(d, "request to complete the dossier: no documents were requested");
      }
      auto p = Frame(d, c, "02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", requested);
      Opening(p, d, absl::StrCat(OnTheDayOfReceipt(d), agency, " tiếp nhận hồ sơ của:"),
              "Nội dung yêu cầu giải quyết", c.procedure_name);
      p.Text("Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:");
      for (const auto& name : Requested(d, *requested)) p.Bullet(name);
      p.Space();
      p.Text(
          "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, ông/bà liên hệ với "
          "người tiếp nhận hồ sơ để được hướng dẫn.");
      return p;
    }
    case v1::DOSSIER_PAPER_FORM_03_REFUSAL: {
      const v1::DossierEvent* refused = LastInto(d, v1::DOSSIER_STATE_NOT_ACCEPTED);
      if (refused == nullptr || d.refusal_reasons().empty()) {
        return NoPaper(d, "refusal: it was not refused");
      }
      auto p = Frame(d, c, "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", refused);
      Opening(p, d, absl::StrCat(agency, " tiếp nhận hồ sơ của:"), "Đề nghị giải quyết",
              c.procedure_name);
      p.Field("Thời gian nhận hồ sơ", ReceivedAt(d));
      p.Text(
          "Sau khi xem xét, đối chiếu với các quy định hiện hành, cơ quan tiếp "
          "nhận hồ sơ thông báo không tiếp nhận, giải quyết hồ sơ này với lý do "
          "cụ thể như sau:");
      for (const auto& reason : d.refusal_reasons()) p.Bullet(reason);
      p.Space();
      p.Text("Xin thông báo để ông/bà được biết và thực hiện.");
      return p;
    }
    case v1::DOSSIER_PAPER_FORM_04_APOLOGY: {
      const v1::DossierEvent* apology = LastApology(d);
      if (!d.has_apology() || apology == nullptr) {
        return NoPaper(d, "apology: none was issued");
      }
      auto p = Frame(d, c, "04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả", apology);
      Opening(p, d, absl::StrCat(OnTheDayOfReceipt(d), agency, " tiếp nhận giải quyết hồ sơ của:"),
              "Nội dung yêu cầu giải quyết", c.procedure_name);
      p.Field("Thời hẹn trả kết quả giải quyết hồ sơ",
              absl::StrCat("ngày ", print::FormatIsoDate(d.apology().previous_due_date())));
      p.Text(absl::StrCat(
          "Tuy nhiên đến nay, ", agency,
          " chưa trả kết quả giải quyết hồ sơ cho ông/bà. Lý do: ", d.apology().reason()));
      p.Text(absl::StrCat("Sự chậm trễ này đã gây phiền hà, tốn kém chi phí đi lại của ông/bà. ",
                          agency,
                          " xin lỗi ông/bà và hẹn lại thời gian trả kết quả giải quyết hồ "
                          "sơ vào ngày ",
                          print::FormatIsoDate(d.apology().new_due_date()), "."));
      p.Field("Ngày hẹn trả kết quả mới", print::FormatIsoDate(d.apology().new_due_date()));
      p.Text("Rất mong nhận được sự thông cảm của ông/bà.");
      return p;
    }
    default:
      return absl::InvalidArgumentError("unknown paper");
  }
}

std::string DossierPaperFileName(const std::string& code, v1::DossierPaper paper) {
  return absl::StrCat(code, "-mau-0", static_cast<int>(paper), ".pdf");
}

}  // namespace localgov::dossier

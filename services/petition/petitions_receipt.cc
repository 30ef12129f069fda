// Petitions::PrintReceipt: the reception office's receipt of a petition (giấy biên nhận đơn).
#include "common/status.h"
#include "services/petition/petitions.h"
#include "services/petition/receipt.h"

namespace localgov::petition {

absl::StatusOr<v1::PrintPetitionReceiptResponse> Petitions::PrintReceipt(
    const CallContext& call, const v1::PrintPetitionReceiptRequest& request) {
  Validator v;
  v.Check(!request.code().empty() && request.code().size() <= 64, "code",
          "required, at most 64 characters");
  if (!v.ok()) return v.status();
  auto p = Get(call, request.code());  // the same access rule as GetPetition
  if (!p.ok()) return p.status();
  ReceiptContext context;
  if (!lookup_url_template_.empty()) context.lookup_url_template = lookup_url_template_;
  if (agency_namer_) context.agency_name = agency_namer_(p->agency_code());
  auto pdf = print::RenderPdf(PetitionReceiptContent(*p, context));
  if (!pdf.ok()) return pdf.status();
  v1::PrintPetitionReceiptResponse out;
  out.set_pdf(std::move(*pdf));
  out.set_content_type("application/pdf");
  out.set_file_name(PetitionReceiptFileName(p->code()));
  return out;
}

}  // namespace localgov::petition

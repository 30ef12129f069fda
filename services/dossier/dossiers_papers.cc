// Dossiers::PrintPaper: the citizen's printed papers (Circular 01/2018/TT-VPCP forms 01–04).
#include "absl/strings/str_cat.h"
#include "common/calendar/calendar.h"
#include "services/dossier/convert.h"
#include "services/dossier/dossiers.h"
#include "services/dossier/papers.h"

namespace localgov::dossier {

absl::StatusOr<v1::PrintDossierPaperResponse> Dossiers::PrintPaper(
    const CallContext& call, const v1::PrintDossierPaperRequest& request) {
  Validator v;
  v.Check(!request.code().empty() && request.code().size() <= 64, "code",
          "required, at most 64 characters");
  v.Check(
      request.paper() != v1::DOSSIER_PAPER_UNSPECIFIED && v1::DossierPaper_IsValid(request.paper()),
      "paper",
      "required: FORM_01_RECEIPT, FORM_02_COMPLETION_REQUEST, FORM_03_REFUSAL or "
      "FORM_04_APOLOGY");
  if (!v.ok()) return v.status();
  auto d = Get(call, request.code());  // the same access rule as GetDossier
  if (!d.ok()) return d.status();

  PaperContext context;
  context.lookup_url_template =
      lookup_url_template_.empty() ? print::kDefaultPortalLookupUrl : lookup_url_template_;
  context.agency_name = agency_namer_ ? agency_namer_(d->receiving_agency_code()) : "";
  if (context.agency_name.empty()) context.agency_name = d->receiving_agency_code();
  // The procedure version in force on the day of receipt, as the dossier follows it.
  auto procedure =
      catalogue_.Get(d->procedure_code(),
                     absl::FormatCivilTime(calendar::VietnamDay(FromProto(d->received_time()))));
  if (procedure.ok()) {
    context.procedure_name = procedure->name();
    for (const auto& r : procedure->required_documents()) {
      context.document_names[r.code()] = r.name();
    }
  } else if (absl::IsNotFound(procedure.status())) {
    context.procedure_name = d->procedure_code();
  } else {
    return procedure.status();
  }

  auto content = DossierPaperContent(*d, request.paper(), context);
  if (!content.ok()) return content.status();
  auto pdf = print::RenderPdf(*content);
  if (!pdf.ok()) return pdf.status();
  v1::PrintDossierPaperResponse out;
  out.set_pdf(std::move(*pdf));
  out.set_content_type("application/pdf");
  out.set_file_name(DossierPaperFileName(d->code(), request.paper()));
  return out;
}

}  // namespace localgov::dossier

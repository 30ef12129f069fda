#include "services/dossier/intake.h"

#include <cctype>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/text.h"

namespace localgov::dossier {

std::string DossierCode(std::string_view agency, absl::CivilDay day, int sequence) {
  return absl::StrFormat("%s-%02d%02d%02d-%04d", std::string(agency), day.year() % 100, day.month(),
                         day.day(), sequence);
}

IntakeOutcome DecideIntake(const v1::Procedure& procedure,
                           const google::protobuf::RepeatedPtrField<v1::HandedDocument>& handed,
                           const google::protobuf::RepeatedPtrField<std::string>& refusal_reasons) {
  IntakeOutcome out;
  if (!refusal_reasons.empty()) {
    out.state = v1::DOSSIER_STATE_NOT_ACCEPTED;
    return out;
  }
  std::set<std::string> have;
  for (const auto& d : handed) have.insert(d.document_code());
  for (const auto& r : procedure.required_documents()) {
    if (r.mandatory() && !have.contains(r.code())) out.missing.push_back(r);
  }
  out.state =
      out.missing.empty() ? v1::DOSSIER_STATE_ACCEPTED : v1::DOSSIER_STATE_SUPPLEMENT_REQUESTED;
  return out;
}

void ValidateIntake(const v1::ReceiveDossierRequest& r, const v1::Procedure& p, Validator& v) {
  bool channel_ok = false;
  for (int c : p.channels()) channel_ok |= c == r.channel();
  if (r.channel() == v1::CHANNEL_UNSPECIFIED) {
    v.Add("channel", "required: counter, post or online");
  } else if (!channel_ok) {
    v.Add("channel", absl::StrCat("procedure ", p.code(), " cannot be submitted this way"));
  }
  const auto& a = r.applicant();
  v.Check(!a.full_name().empty() && a.full_name().size() <= 200 && IsValidUtf8(a.full_name()),
          "applicant.full_name", "required, at most 200 bytes of UTF-8");
  v.Check(IsValidCitizenId(a.citizen_id()), "applicant.citizen_id", "must be 12 digits");
  v.Check(a.phone().size() <= 20, "applicant.phone", "at most 20 characters");
  v.Check(a.address().size() <= 500, "applicant.address", "at most 500 bytes");
  v.Check(a.email().size() <= 200, "applicant.email", "at most 200 bytes");
  std::set<std::string> known;
  for (const auto& d : p.required_documents()) known.insert(d.code());
  for (int i = 0; i < r.documents_size(); ++i) {
    const auto& d = r.documents(i);
    const std::string path = absl::StrCat("documents[", i, "]");
    v.Check(known.contains(d.document_code()), path + ".document_code",
            absl::StrCat("not a document of procedure ", p.code()));
    if (!d.sha256().empty()) {
      bool hex = d.sha256().size() == 64;
      for (char c : d.sha256()) hex &= std::isxdigit(static_cast<unsigned char>(c)) != 0;
      v.Check(hex, path + ".sha256", "64 hex digits");
    }
    v.Check(d.size_bytes() >= 0, path + ".size_bytes", "must not be negative");
  }
  if (r.with_verification()) {
    v.Check(p.limit_with_verification().amount() > 0, "with_verification",
            absl::StrCat("procedure ", p.code(), " has no longer limit for verification"));
  }
  for (int i = 0; i < r.refusal_reasons_size(); ++i) {
    v.Check(!r.refusal_reasons(i).empty(), absl::StrCat("refusal_reasons[", i, "]"),
            "must say why");
  }
}

}  // namespace localgov::dossier

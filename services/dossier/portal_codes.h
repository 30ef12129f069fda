#ifndef LOCALGOV_SERVICES_DOSSIER_PORTAL_CODES_H_
#define LOCALGOV_SERVICES_DOSSIER_PORTAL_CODES_H_

#include <array>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "localgov/dossier/v1/dossier.pb.h"
#include "localgov/dossier/v1/dossier_service.pb.h"

namespace localgov::dossier {

// The portal's status code of each dossier state. Circular 22/2019/TT-BTTTT annex, as provincial
// portals use it (DOMAIN.md §1, *unverified*): 1 submitted, 2 accepted, 3 not accepted, 4 in
// progress, 5 documents requested, 6 payment requested, 7 withdrawn by the applicant, 8
// processing stopped, 9 processed, 10 result returned. Being unverified, it is configuration:
// LOCALGOV_PORTAL_STATUS_CODES renumbers states for a province whose portal differs. Codes are
// given out as responses are written, so a new table applies to every dossier at once.
class PortalCodes final {
 public:
  static constexpr const char* kVariable = "LOCALGOV_PORTAL_STATUS_CODES";

  // The annex's codes, then `setting`: "STATE=code,..." with state names as in DossierState
  // without the prefix (e.g. PAYMENT_REQUESTED=4), codes 1–99. INVALID_ARGUMENT naming what is
  // wrong.
  static absl::StatusOr<PortalCodes> Parse(absl::string_view setting);

  // 0 for UNSPECIFIED.
  int Of(v1::DossierState state) const;
  // Sets portal_status_code from the state.
  void Apply(v1::Dossier& d) const { d.set_portal_status_code(Of(d.state())); }
  void Apply(v1::PublicDossierView& v) const { v.set_portal_status_code(Of(v.state())); }
  void Apply(v1::WatchDossiersResponse& c) const { c.set_portal_status_code(Of(c.to_state())); }

 private:
  std::array<int, v1::DossierState_ARRAYSIZE> codes_{};
};

}  // namespace localgov::dossier

#endif  // LOCALGOV_SERVICES_DOSSIER_PORTAL_CODES_H_

// What the petition service is told of a dossier that went wrong (services/dossier/dossier_cases)
// and that both services key a person the same way (common/person_key).
#include "services/dossier/dossier_cases.h"
#include "common/person_key.h"
#include "gtest/gtest.h"
#include "services/petition/matching.h"

namespace localgov::dossier {
namespace {

namespace pv1 = petition::v1;

v1::Dossier InProgress() {
  v1::Dossier d;
  d.set_code("000.00.31.H41-261201-0007");
  d.set_receiving_agency_code("000.00.31.H41");
  d.set_procedure_code("HT-05");
  d.set_state(v1::DOSSIER_STATE_IN_PROGRESS);
  d.set_version(3);
  d.mutable_applicant()->set_full_name("Nguyễn Văn An");
  d.mutable_applicant()->set_citizen_id("001203004567");
  d.mutable_applicant()->set_address("Thôn Đông, xã Hòa Phú");
  return d;
}

TEST(DossierCases, RefusedAtIntakeStoppedAndLateAreReportedNothingElse) {
  auto refused = InProgress();
  refused.set_state(v1::DOSSIER_STATE_NOT_ACCEPTED);
  EXPECT_EQ(CaseOf(nullptr, refused), pv1::DOSSIER_CASE_KIND_REFUSED);
  EXPECT_EQ(CaseOf(nullptr, InProgress()), std::nullopt) << "accepted at intake";

  const auto before = InProgress();
  auto stopped = before;
  stopped.set_state(v1::DOSSIER_STATE_STOPPED);
  EXPECT_EQ(CaseOf(&before, stopped), pv1::DOSSIER_CASE_KIND_STOPPED);
  EXPECT_EQ(CaseOf(&stopped, stopped), std::nullopt) << "already stopped";

  auto apologised = before;
  apologised.mutable_apology()->set_new_due_date("2026-12-20");
  EXPECT_EQ(CaseOf(&before, apologised), pv1::DOSSIER_CASE_KIND_LATE);

  auto late = before;
  late.set_state(v1::DOSSIER_STATE_PROCESSED);
  late.set_outcome(v1::OUTCOME_CLASS_LATE);
  EXPECT_EQ(CaseOf(&before, late), pv1::DOSSIER_CASE_KIND_LATE);
  auto returned = late;
  returned.set_state(v1::DOSSIER_STATE_RETURNED);
  EXPECT_EQ(CaseOf(&late, returned), std::nullopt) << "already reported late";

  auto on_time = before;
  on_time.set_state(v1::DOSSIER_STATE_PROCESSED);
  on_time.set_outcome(v1::OUTCOME_CLASS_ON_TIME);
  EXPECT_EQ(CaseOf(&before, on_time), std::nullopt);
}

TEST(DossierCases, TheReportCarriesKeysNeverTheApplicant) {
  const auto r =
      CaseReport(InProgress(), pv1::DOSSIER_CASE_KIND_LATE, absl::FromUnixSeconds(1796000000));
  EXPECT_EQ(r.dossier_case().dossier_code(), "000.00.31.H41-261201-0007");
  EXPECT_EQ(r.dossier_case().version(), 3);
  EXPECT_EQ(r.dossier_case().time().seconds(), 1796000000);
  const std::string bytes = r.SerializeAsString();
  for (const char* secret : {"001203004567", "Nguyễn Văn An", "Thôn Đông", "Nguyen Van An"}) {
    EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
  }
}

TEST(DossierCases, BothServicesKeyAPersonAlike) {
  const auto r = CaseReport(InProgress(), pv1::DOSSIER_CASE_KIND_REFUSED, absl::Now());
  pv1::Person person;
  person.set_citizen_id("001203004567");
  person.set_full_name("Nguyen Van An");  // written without diacritics at the reception
  person.set_address("thon dong, xa hoa phu");
  const auto keys = petition::MatchKeysOf(pv1::PETITION_KIND_COMPLAINT, person, "", "", {}, {});
  EXPECT_EQ(r.dossier_case().person_id_key(), keys.person_id_key);
  EXPECT_EQ(r.dossier_case().person_name_key(), keys.person_name_key);
  EXPECT_EQ(keys.person_id_key.substr(0, 2), "h:");
  EXPECT_EQ(keys.person_id_key.size(), 66u);
  // A denouncer is keyed by the petition service's blind index, never like this.
  const auto denouncer = petition::MatchKeysOf(pv1::PETITION_KIND_DENUNCIATION, person, "", "", {},
                                               [](const std::string&) { return "blind"; });
  EXPECT_NE(denouncer.person_id_key, r.dossier_case().person_id_key());
}

}  // namespace
}  // namespace localgov::dossier

// A petition about a dossier (issue 24, item 1): the petition service checks the dossier code
// with the dossier service at intake, and GetDossier shows the petitions about it, kept current
// by the petition service's outbox — both services in-process on real PostgreSQL and Redis,
// talking over gRPC with the petition service's own token.
#include <map>

#include "tests/integration/petition_dossier_fixture.h"

namespace localgov::petition {
namespace {

TEST_F(PetitionAboutDossierTest, APetitionNamingNoDossierIsRefusedNamingTheField) {
  v1::ReceivePetitionResponse resp;
  auto st = Call(&v1::PetitionService::Stub::ReceivePetition, kOfficer,
                 ComplaintAbout("000.00.31.H41-260706-9999"), &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_EQ(FieldsOf(st), std::vector<std::string>{"act.dossier_code"});
  EXPECT_EQ(PetitionCount(), 0);
}

TEST_F(PetitionAboutDossierTest, APetitionAboutAnotherAgencysDossierIsRefusedNamingTheField) {
  const auto d = ReceiveDossier();
  auto r = ComplaintAbout(d.code());
  v1::ReceivePetitionResponse resp;
  auto st = Call(&v1::PetitionService::Stub::ReceivePetition, kOtherOfficer, r, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_EQ(FieldsOf(st), std::vector<std::string>{"act.dossier_code"});
  EXPECT_EQ(PetitionCount(), 0);
}

TEST_F(PetitionAboutDossierTest, GetDossierShowsThePetitionsAboutItAndFollowsTheirChanges) {
  const auto d = ReceiveDossier();
  auto complaint = Receive(ComplaintAbout(d.code())).petition();
  ASSERT_FALSE(complaint.code().empty());
  auto shown = AwaitDossier(d.code(), [](const auto& r) { return r.petitions_size() == 1; });
  ASSERT_EQ(shown.petitions_size(), 1);
  EXPECT_EQ(shown.petitions(0).petition_code(), complaint.code());
  EXPECT_EQ(shown.petitions(0).agency_code(), kCommune);
  EXPECT_EQ(shown.petitions(0).kind(), v1::PETITION_KIND_COMPLAINT);
  EXPECT_EQ(shown.petitions(0).state(), v1::PETITION_STATE_RECEIVED);
  EXPECT_EQ(shown.petitions(0).next_deadline(), complaint.next_deadline().due_date());

  // The complaint is accepted: the dossier's copy follows, with the new deadline.
  ASSERT_TRUE(Accept(complaint).ok());
  ASSERT_EQ(complaint.state(), v1::PETITION_STATE_ACCEPTED);
  shown = AwaitDossier(d.code(), [](const auto& r) {
    return r.petitions_size() == 1 && r.petitions(0).state() == v1::PETITION_STATE_ACCEPTED;
  });
  EXPECT_EQ(shown.petitions(0).next_deadline(), complaint.next_deadline().due_date());

  // A denunciation about the same dossier: shown by kind and state, its denouncer nowhere.
  auto denunciation = Denunciation("denounce-1");
  denunciation.mutable_act()->set_dossier_code(d.code());
  const auto denounced = Receive(denunciation).petition();
  shown = AwaitDossier(d.code(), [](const auto& r) { return r.petitions_size() == 2; });
  ASSERT_EQ(shown.petitions_size(), 2);
  EXPECT_EQ(shown.petitions(1).petition_code(), denounced.code());
  EXPECT_EQ(shown.petitions(1).kind(), v1::PETITION_KIND_DENUNCIATION);
  const std::string bytes = shown.SerializeAsString();
  EXPECT_EQ(bytes.find(kDenouncerName), std::string::npos);
  EXPECT_EQ(bytes.find(kDenouncerId), std::string::npos);
  EXPECT_EQ(bytes.find(kDenouncerAddress), std::string::npos);

  // The applicant sees their dossier, not the petitions about it.
  dv1::GetDossierResponse own;
  ASSERT_TRUE(GetDossier(d.code(), Role::kCitizen, kApplicantId, &own).ok());
  EXPECT_EQ(own.dossier().code(), d.code());
  EXPECT_EQ(own.petitions_size(), 0);
}

TEST_F(PetitionAboutDossierTest, WithTheDossierServiceDownIntakeIsUnavailableAndRecordsNothing) {
  const auto d = ReceiveDossier();
  dossier_.reset();
  v1::ReceivePetitionResponse resp;
  auto st =
      Call(&v1::PetitionService::Stub::ReceivePetition, kOfficer, ComplaintAbout(d.code()), &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE) << st.error_message();
  EXPECT_NE(st.error_message().find("act.dossier_code"), std::string::npos) << st.error_message();
  EXPECT_EQ(PetitionCount(), 0);
}

TEST_F(PetitionAboutDossierTest, ARetryWhileTheDossierServiceIsDownGetsTheFirstAnswer) {
  const auto d = ReceiveDossier();
  const auto request = ComplaintAbout(d.code());
  const auto first = Receive(request);
  ASSERT_FALSE(first.petition().code().empty());
  dossier_.reset();
  // The client lost the answer and sends the same request again: the petition was received,
  // so the answer is the first one, not UNAVAILABLE for a check that already passed.
  v1::ReceivePetitionResponse again;
  auto st = Call(&v1::PetitionService::Stub::ReceivePetition, kOfficer, request, &again);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(again.petition().code(), first.petition().code());
  EXPECT_EQ(again.follow_secret(), first.follow_secret());
  // A new petition naming the dossier still cannot be checked, and nothing of it is kept: its
  // request id stays free for the retry once the dossier service is back.
  const auto fresh = ComplaintAbout(d.code());
  v1::ReceivePetitionResponse refused;
  st = Call(&v1::PetitionService::Stub::ReceivePetition, kOfficer, fresh, &refused);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE) << st.error_message();
  EXPECT_EQ(PetitionCount(), 1);
  pqxx::connection conn(sut_->config().database_url);
  pqxx::nontransaction tx(conn);
  EXPECT_EQ(tx.exec_params("SELECT count(*) FROM idempotency_keys WHERE request_id = $1",
                           fresh.request_id())[0][0]
                .as<int64_t>(),
            0);
}

TEST_F(PetitionAboutDossierTest, ALateReportNeverOverwritesANewerOne) {
  const auto d = ReceiveDossier();
  dv1::RecordDossierPetitionRequest r;
  r.set_dossier_code(d.code());
  auto* p = r.mutable_petition();
  p->set_petition_code("000.00.31.H41-KN-260706-0001");
  p->set_agency_code(kCommune);
  p->set_kind(v1::PETITION_KIND_COMPLAINT);
  p->set_state(v1::PETITION_STATE_ACCEPTED);
  p->set_next_deadline("2026-08-17");
  p->mutable_received_time()->set_seconds(1783300000);
  p->mutable_update_time()->set_seconds(1783400000);
  r.set_sequence(5);
  dv1::RecordDossierPetitionResponse out;
  ASSERT_TRUE(Record(r, Role::kSystem, &out).ok());
  EXPECT_TRUE(out.applied());
  ASSERT_TRUE(Record(r, Role::kSystem, &out).ok()) << "a repeat answers as the first did";
  EXPECT_FALSE(out.applied());

  auto late = r;
  late.set_sequence(3);
  late.mutable_petition()->set_state(v1::PETITION_STATE_RECEIVED);
  ASSERT_TRUE(Record(late, Role::kSystem, &out).ok());
  EXPECT_FALSE(out.applied());
  dv1::GetDossierResponse shown;
  ASSERT_TRUE(GetDossier(d.code(), Role::kOfficer, "officer-1", &shown).ok());
  ASSERT_EQ(shown.petitions_size(), 1);
  EXPECT_EQ(shown.petitions(0).state(), v1::PETITION_STATE_ACCEPTED);

  // Only the system may report; bad reports name their fields.
  EXPECT_EQ(Record(r, Role::kOfficer, &out).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  dv1::RecordDossierPetitionRequest bad;
  bad.mutable_petition()->set_next_deadline("17/08/2026");
  auto st = Record(bad, Role::kSystem, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(FieldsOf(st), (std::vector<std::string>{
                              "dossier_code", "petition.petition_code", "petition.agency_code",
                              "petition.kind", "petition.state", "petition.next_deadline",
                              "petition.received_time", "petition.update_time", "sequence"}));
}

grpc::Status Timeline(v1::PetitionService::Stub& stub, const std::string& citizen,
                      v1::GetCitizenTimelineResponse* out, bool open_only = false) {
  grpc::ClientContext ctx;
  ServiceUnderTest::Authorize(ctx, Role::kCitizen, "", citizen);
  v1::GetCitizenTimelineRequest r;
  r.set_open_only(open_only);
  return stub.GetCitizenTimeline(&ctx, r, out);
}

TEST_F(PetitionAboutDossierTest, ACitizensTimelineHoldsTheirDossiersAndPetitionsOpenFirst) {
  const auto d = ReceiveDossier();
  auto complaint = ComplaintAbout(d.code());
  complaint.mutable_petitioner()->set_citizen_id(kApplicantId);
  const auto filed = Receive(complaint).petition();
  // Someone else's petition, and a denunciation by the applicant (sealed: never listed).
  Receive(Recommendation("someone-else"));
  auto denunciation = Denunciation("denounce-own");
  denunciation.mutable_petitioner()->set_citizen_id(kApplicantId);
  Receive(denunciation);

  v1::GetCitizenTimelineResponse t;
  auto st = Timeline(*stub_, kApplicantId, &t);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_FALSE(t.partial());
  EXPECT_EQ(t.gaps_size(), 0);
  ASSERT_EQ(t.items_size(), 2) << t.ShortDebugString();
  // Both open: by next deadline — the complaint's classification deadline (10 days) comes
  // before the dossier's due date (HKD-01: 3 working days would come first; compare them).
  std::map<std::string, v1::TimelineItem> by_code;
  for (const auto& i : t.items()) by_code[i.code()] = i;
  ASSERT_TRUE(by_code.contains(d.code()));
  ASSERT_TRUE(by_code.contains(filed.code()));
  const auto& di = by_code[d.code()];
  EXPECT_EQ(di.source(), v1::TIMELINE_SOURCE_DOSSIER);
  EXPECT_EQ(di.state(), dv1::DossierState_Name(d.state()));
  EXPECT_TRUE(di.open());
  EXPECT_EQ(di.next_deadline(), d.due_date());
  EXPECT_EQ(di.subject(), "HKD-01");
  const auto& pi = by_code[filed.code()];
  EXPECT_EQ(pi.source(), v1::TIMELINE_SOURCE_PETITION);
  EXPECT_EQ(pi.state(), "PETITION_STATE_RECEIVED");
  EXPECT_EQ(pi.next_deadline(), filed.next_deadline().due_date());
  EXPECT_LE(t.items(0).next_deadline(), t.items(1).next_deadline());

  // Another citizen sees none of it; staff may not ask.
  v1::GetCitizenTimelineResponse other;
  ASSERT_TRUE(Timeline(*stub_, "056190007731", &other).ok());
  EXPECT_EQ(other.items_size(), 0);
  v1::GetCitizenTimelineResponse denied;
  EXPECT_EQ(Call(&v1::PetitionService::Stub::GetCitizenTimeline, kOfficer,
                 v1::GetCitizenTimelineRequest(), &denied)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(PetitionAboutDossierTest, WithTheDossierServiceDownTheTimelineIsPartialNotAnError) {
  auto complaint = Complaint("own-complaint");
  complaint.mutable_petitioner()->set_citizen_id(kApplicantId);
  const auto filed = Receive(complaint).petition();
  ReceiveDossier();
  dossier_.reset();
  v1::GetCitizenTimelineResponse t;
  auto st = Timeline(*stub_, kApplicantId, &t);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(t.partial());
  ASSERT_EQ(t.gaps_size(), 1);
  EXPECT_EQ(t.gaps(0).source(), v1::TIMELINE_SOURCE_DOSSIER);
  EXPECT_FALSE(t.gaps(0).reason().empty());
  ASSERT_EQ(t.items_size(), 1);
  EXPECT_EQ(t.items(0).code(), filed.code());
}

}  // namespace
}  // namespace localgov::petition

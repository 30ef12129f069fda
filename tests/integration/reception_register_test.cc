// The reception register through the real gRPC server against real PostgreSQL and Redis:
// sessions, visits with their petitions in one transaction, a crowd case, a letter split into
// three petitions, a denouncer's visit sealed, the leaders' days over a month with Tết in it,
// bad input, access and idempotency.
#include <set>

#include "absl/strings/match.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/integration/reception_fixture.h"

namespace localgov::petition {
namespace {

using S = v1::PetitionService::Stub;

TEST_F(ReceptionTest, ThePetitionBinaryServesReceptionServiceWithItsHealth) {
  auto health = grpc::health::v1::Health::NewStub(sut_->channel());
  grpc::ClientContext ctx;
  grpc::health::v1::HealthCheckRequest req;
  req.set_service("localgov.petition.v1.ReceptionService");
  grpc::health::v1::HealthCheckResponse resp;
  ASSERT_TRUE(health->Check(&ctx, req, &resp).ok());
  EXPECT_EQ(resp.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(ReceptionTest, AVisitYieldsTwoPetitionsWithGaplessRegisterNumbers) {
  const auto s = Session("s-1", "2026-07-06", "chair-1", v1::RECEPTION_LEADER_ROLE_COMMUNE_CHAIR);
  EXPECT_TRUE(absl::StartsWith(s.id(), "000.00.31.H41-PTD-20260706-")) << s.id();
  auto r = Visit("v-1", s.id());
  *r.add_petitions() = Matter(Complaint(""));
  *r.add_petitions() = Matter(Recommendation(""));
  v1::RecordVisitResponse out;
  ASSERT_TRUE(Rpc(&R::RecordVisit, kOfficer, r, &out).ok());
  EXPECT_EQ(out.visit().register_number(), "000.00.31.H41-TCD-2026-00001");
  EXPECT_EQ(out.visit().written_by(), "officer-1");
  EXPECT_TRUE(out.visit().citizen_signed());
  ASSERT_EQ(out.petitions_size(), 2);
  ASSERT_EQ(out.visit().petition_codes_size(), 2);
  for (int i = 0; i < 2; ++i) {
    const auto p = Get(out.visit().petition_codes(i));
    EXPECT_EQ(p.channel(), v1::PETITION_CHANNEL_RECEPTION);
    EXPECT_EQ(p.petitioner().full_name(), "Nguyễn Văn Khiếu");
    EXPECT_EQ(p.receipt_date(), "2026-07-06");
    EXPECT_FALSE(out.petitions(i).follow_secret().empty());
  }
  // A bad second matter: nothing written, the number not taken.
  auto bad = Visit("v-2", s.id());
  *bad.add_petitions() = Matter(Complaint(""));
  auto broken = Matter(Recommendation(""));
  broken.clear_title();
  *bad.add_petitions() = broken;
  v1::RecordVisitResponse ignored;
  auto st = Rpc(&R::RecordVisit, kOfficer, bad, &ignored);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const auto fields = FieldsOf(st);
  EXPECT_NE(std::find(fields.begin(), fields.end(), "petitions[1].title"), fields.end());
  v1::ListPetitionsResponse listed;
  ASSERT_TRUE(Call(&S::ListPetitions, kOfficer, v1::ListPetitionsRequest(), &listed).ok());
  EXPECT_EQ(listed.petitions_size(), 2);
  auto next = Visit("v-3", s.id());
  next.set_handling(v1::VISIT_HANDLING_EXPLAINED);
  ASSERT_TRUE(Rpc(&R::RecordVisit, kOfficer, next, &out).ok());
  EXPECT_EQ(out.visit().register_number(), "000.00.31.H41-TCD-2026-00002");
}

TEST_F(ReceptionTest, ADelegationIsACrowdCaseWithItsRepresentatives) {
  const auto s = Session("s-d", "2026-07-06", "chair-1", v1::RECEPTION_LEADER_ROLE_COMMUNE_CHAIR,
                         v1::RECEPTION_SESSION_KIND_EXTRA);
  auto r = Visit("v-d", s.id());
  r.clear_visitor();
  r.mutable_delegation()->set_size(23);
  auto* a = r.mutable_delegation()->add_representatives();
  a->set_full_name("Trần Văn Đại");
  a->set_citizen_id("079203004444");
  r.mutable_delegation()->add_representatives()->set_full_name("Lê Thị Diện");
  *r.add_petitions() = Matter(Complaint(""));
  v1::RecordVisitResponse out;
  ASSERT_TRUE(Rpc(&R::RecordVisit, kLeader, r, &out).ok());
  v1::GetVisitRequest g;
  g.set_register_number(out.visit().register_number());
  v1::GetVisitResponse got;
  ASSERT_TRUE(Rpc(&R::GetVisit, kInspector, g, &got).ok());
  EXPECT_TRUE(got.visit().crowd_case());
  EXPECT_EQ(got.visit().delegation().size(), 23);
  ASSERT_EQ(got.visit().delegation().representatives_size(), 2);
  EXPECT_EQ(got.visit().delegation().representatives(1).full_name(), "Lê Thị Diện");
  // The first representative files the petition.
  EXPECT_EQ(Get(got.visit().petition_codes(0)).petitioner().full_name(), "Trần Văn Đại");
  // The office's figures count the visit, the delegation and its 23 persons, and one more
  // person for a visitor on their own.
  auto one = Visit("v-one", s.id());
  *one.add_petitions() = Matter(Complaint(""));
  auto st1 = Rpc(&R::RecordVisit, kLeader, one, &out);
  ASSERT_TRUE(st1.ok()) << st1.error_message();
  v1::GetPetitionStatisticsRequest sr;
  sr.set_from_date("2026-07-01");
  sr.set_to_date("2026-07-31");
  v1::GetPetitionStatisticsResponse figures;
  ASSERT_TRUE(Call(&v1::PetitionService::Stub::GetPetitionStatistics, kOfficer, sr, &figures).ok());
  EXPECT_EQ(figures.visits(), 2);
  EXPECT_EQ(figures.delegations(), 1);
  EXPECT_EQ(figures.persons(), 24);
  // A delegation of one, or without representatives, is no delegation.
  r.set_request_id("v-d2");
  r.mutable_delegation()->set_size(1);
  r.mutable_delegation()->clear_representatives();
  auto st = Rpc(&R::RecordVisit, kLeader, r, &out);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const auto fields = FieldsOf(st);
  for (const char* f : {"delegation.size", "delegation.representatives"}) {
    EXPECT_NE(std::find(fields.begin(), fields.end(), f), fields.end()) << f;
  }
}

TEST_F(ReceptionTest, ALetterMixingThreeMattersIsSplitIntoThreePetitions) {
  v1::RecordVisitRequest r = Visit("l-1", "");
  r.set_form(v1::VISIT_FORM_LETTER);
  r.set_written_down(false);
  r.set_citizen_signed(true);
  *r.add_petitions() = Matter(Complaint(""));
  *r.add_petitions() = Matter(Recommendation(""));
  auto reflection = Matter(Recommendation(""));
  reflection.set_kind(v1::PETITION_KIND_REFLECTION);
  reflection.set_title("Phản ánh đèn đường hỏng");
  *r.add_petitions() = reflection;
  v1::RecordVisitResponse out;
  auto st = Rpc(&R::RecordVisit, kOfficer, r, &out);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(out.visit().form(), v1::VISIT_FORM_LETTER);
  ASSERT_EQ(out.visit().petition_codes_size(), 3);
  std::set<int> kinds;
  for (const auto& code : out.visit().petition_codes()) {
    const auto p = Get(code);
    EXPECT_EQ(p.channel(), v1::PETITION_CHANNEL_LETTER);
    kinds.insert(p.kind());
  }
  EXPECT_EQ(kinds.size(), 3u);
  // A letter is not "written down" by the officer.
  r.set_request_id("l-2");
  r.set_written_down(true);
  st = Rpc(&R::RecordVisit, kOfficer, r, &out);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(FieldsOf(st), std::vector<std::string>{"written_down"});
}

TEST_F(ReceptionTest, ADenouncersVisitIsSealedLikeTheDenunciation) {
  const auto s = Session("s-t", "2026-07-06", "chair-1", v1::RECEPTION_LEADER_ROLE_COMMUNE_CHAIR);
  auto r = Visit("v-t", s.id());
  r.mutable_visitor()->set_full_name(kDenouncerName);
  r.mutable_visitor()->set_citizen_id(kDenouncerId);
  r.mutable_visitor()->set_address(kDenouncerAddress);
  *r.add_petitions() = Matter(Denunciation(""));
  v1::RecordVisitResponse out;
  auto st = Rpc(&R::RecordVisit, kOfficer, r, &out);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(out.visit().identity_sealed());
  v1::GetVisitRequest g;
  g.set_register_number(out.visit().register_number());
  v1::GetVisitResponse got;
  ASSERT_TRUE(Rpc(&R::GetVisit, kLeader, g, &got).ok());
  const std::string all = got.DebugString() + out.DebugString();
  for (const char* secret : {kDenouncerName, kDenouncerId, kDenouncerAddress}) {
    EXPECT_FALSE(absl::StrContains(all, secret)) << secret;
  }
  EXPECT_TRUE(Get(out.visit().petition_codes(0)).identity_sealed());
}

TEST_F(ReceptionTest, TheChairsDaysOverAMonthWithTetInIt) {
  // February 2026: weeks from Mon 2, 9, 16 and 23/2; 16–20/2 is Tết, so 3 days are required.
  Session("f-1", "2026-02-03", "chair-1", v1::RECEPTION_LEADER_ROLE_COMMUNE_CHAIR);
  Session("f-2", "2026-02-10", "chair-1", v1::RECEPTION_LEADER_ROLE_COMMUNE_CHAIR);
  Session("f-3", "2026-02-12", "chair-1", v1::RECEPTION_LEADER_ROLE_COMMUNE_CHAIR,
          v1::RECEPTION_SESSION_KIND_EXTRA);  // an extra session does not count
  Session("f-4", "2026-02-26", "deputy-1", v1::RECEPTION_LEADER_ROLE_DEPUTY,
          v1::RECEPTION_SESSION_KIND_REGULAR, "chair-1");  // before 1/7/2026: counts
  // July: a deputy's day no longer counts (Law 136/2025); the chair's own on 30/6 does.
  Session("j-1", "2026-06-30", "chair-1", v1::RECEPTION_LEADER_ROLE_COMMUNE_CHAIR);
  Session("j-2", "2026-07-06", "deputy-1", v1::RECEPTION_LEADER_ROLE_DEPUTY,
          v1::RECEPTION_SESSION_KIND_REGULAR, "chair-1");
  v1::GetReceptionDaysRequest q;
  q.set_period("2026-02");
  q.set_leader_id("chair-1");
  v1::GetReceptionDaysResponse resp;
  ASSERT_TRUE(Rpc(&R::GetReceptionDays, kAuditor, q, &resp).ok());
  ASSERT_EQ(resp.leaders_size(), 1);
  const auto& feb = resp.leaders(0);
  EXPECT_EQ(feb.leader().role(), v1::RECEPTION_LEADER_ROLE_COMMUNE_CHAIR);
  EXPECT_EQ(feb.required_days(), 3);
  EXPECT_EQ(feb.held_days(), 3);
  EXPECT_EQ(feb.counted_days(), 3);
  EXPECT_EQ(feb.deputy_days_counted(), 1);
  EXPECT_EQ(feb.missed_units(), 0);
  ASSERT_EQ(feb.units_size(), 4);
  EXPECT_EQ(feb.units(2).required(), 0);
  q.set_period("2026-07");
  ASSERT_TRUE(Rpc(&R::GetReceptionDays, kOfficer, q, &resp).ok());
  const auto& jul = resp.leaders(0);
  EXPECT_EQ(jul.units(0).counted(), 1);  // Tue 30/6 in the week of Thu 2/7
  EXPECT_EQ(jul.deputy_days_not_counted(), 1);
  EXPECT_EQ(jul.required_days(), 5);
  EXPECT_EQ(jul.counted_days(), 1);
  // Every leader of the period: the chair and the deputy (no number).
  q.clear_leader_id();
  ASSERT_TRUE(Rpc(&R::GetReceptionDays, kOfficer, q, &resp).ok());
  EXPECT_EQ(resp.leaders_size(), 2);
}

TEST_F(ReceptionTest, BadInputNamesEveryField) {
  v1::CreateReceptionSessionRequest s;
  s.set_date("6/7/2026");
  s.mutable_leader()->set_role(v1::RECEPTION_LEADER_ROLE_DEPUTY);
  v1::CreateReceptionSessionResponse sr;
  auto st = Rpc(&R::CreateReceptionSession, kOfficer, s, &sr);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  auto fields = FieldsOf(st);
  for (const char* f : {"request_id", "kind", "date", "stands_in_for.id", "stands_in_for.role"}) {
    EXPECT_NE(std::find(fields.begin(), fields.end(), f), fields.end()) << f;
  }
  v1::RecordVisitRequest v;
  v.set_handling(v1::VISIT_HANDLING_GUIDED);
  v.set_written_down(true);
  v1::RecordVisitResponse vr;
  st = Rpc(&R::RecordVisit, kOfficer, v, &vr);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  fields = FieldsOf(st);
  for (const char* f :
       {"request_id", "session_id", "visitor", "content", "referred_to", "citizen_signed"}) {
    EXPECT_NE(std::find(fields.begin(), fields.end(), f), fields.end()) << f;
  }
  v1::GetReceptionDaysRequest d;
  d.set_period("2026-13");
  v1::GetReceptionDaysResponse dr;
  st = Rpc(&R::GetReceptionDays, kOfficer, d, &dr);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(FieldsOf(st), std::vector<std::string>{"period"});
}

TEST_F(ReceptionTest, OnlyTheAgencysStaffKeepAndReadItsRegister) {
  const auto s = Session("s-a", "2026-07-06", "chair-1", v1::RECEPTION_LEADER_ROLE_COMMUNE_CHAIR);
  auto r = Visit("v-a", s.id());
  r.set_handling(v1::VISIT_HANDLING_EXPLAINED);
  r.set_agency_code(kCommune);
  v1::RecordVisitResponse out;
  EXPECT_EQ(Rpc(&R::RecordVisit, kCitizen, r, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Rpc(&R::RecordVisit, kOtherOfficer, r, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  r.set_agency_code(kOtherCommune);  // their own agency, our session
  auto st = Rpc(&R::RecordVisit, kOtherOfficer, r, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  r.set_agency_code(kCommune);
  ASSERT_TRUE(Rpc(&R::RecordVisit, kOfficer, r, &out).ok());
  v1::GetVisitRequest g;
  g.set_register_number(out.visit().register_number());
  v1::GetVisitResponse got;
  EXPECT_EQ(Rpc(&R::GetVisit, kOtherLeader, g, &got).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Rpc(&R::GetVisit, kCitizen, g, &got).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::GetReceptionDaysRequest d;
  d.set_period("2026-07");
  d.set_agency_code(kCommune);
  v1::GetReceptionDaysResponse dr;
  EXPECT_EQ(Rpc(&R::GetReceptionDays, kOtherOfficer, d, &dr).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ReceptionTest, ARetriedVisitIsRecordedOnce) {
  const auto s = Session("s-i", "2026-07-06", "chair-1", v1::RECEPTION_LEADER_ROLE_COMMUNE_CHAIR);
  EXPECT_EQ(Session("s-i", "2026-07-06", "chair-1", v1::RECEPTION_LEADER_ROLE_COMMUNE_CHAIR).id(),
            s.id());
  auto r = Visit("v-i", s.id());
  *r.add_petitions() = Matter(Complaint(""));
  v1::RecordVisitResponse first, again;
  ASSERT_TRUE(Rpc(&R::RecordVisit, kOfficer, r, &first).ok());
  ASSERT_TRUE(Rpc(&R::RecordVisit, kOfficer, r, &again).ok());
  EXPECT_EQ(first.visit().register_number(), again.visit().register_number());
  EXPECT_EQ(first.petitions(0).follow_secret(), again.petitions(0).follow_secret());
  r.set_content("Một nội dung khác");
  EXPECT_EQ(Rpc(&R::RecordVisit, kOfficer, r, &again).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  v1::ListPetitionsResponse listed;
  ASSERT_TRUE(Call(&S::ListPetitions, kOfficer, v1::ListPetitionsRequest(), &listed).ok());
  EXPECT_EQ(listed.petitions_size(), 1);
}

}  // namespace
}  // namespace localgov::petition

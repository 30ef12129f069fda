// ListVisits: the register by period through the real gRPC server against real PostgreSQL:
// the filters (session, leader, crowd cases), keyset pages, bad input, access, and no sealed
// visitor in a list.
#include <algorithm>

#include "absl/strings/match.h"
#include "tests/integration/reception_fixture.h"

namespace localgov::petition {
namespace {

class ReceptionListTest : public ReceptionTest {
 protected:
  std::vector<std::string> Numbers(const v1::ListVisitsResponse& r) {
    std::vector<std::string> out;
    for (const auto& v : r.visits()) out.push_back(v.register_number());
    return out;
  }
  std::string Record(v1::RecordVisitRequest r, const Who& who = kOfficer) {
    v1::RecordVisitResponse out;
    auto st = Rpc(&R::RecordVisit, who, r, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out.visit().register_number();
  }
  v1::ListVisitsResponse List(v1::ListVisitsRequest r, const Who& who = kOfficer) {
    if (r.from_date().empty()) r.set_from_date("2026-07-01");
    if (r.to_date().empty()) r.set_to_date("2026-07-06");
    v1::ListVisitsResponse out;
    auto st = Rpc(&R::ListVisits, who, r, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  }
};

TEST_F(ReceptionListTest, TheRegisterByPeriodWithItsFiltersAndPages) {
  const auto chair =
      Session("s-c", "2026-07-06", "chair-1", v1::RECEPTION_LEADER_ROLE_COMMUNE_CHAIR);
  const auto deputy = Session("s-p", "2026-07-06", "deputy-1", v1::RECEPTION_LEADER_ROLE_DEPUTY,
                              v1::RECEPTION_SESSION_KIND_REGULAR, "chair-1");
  auto one = Visit("v-one", chair.id());
  *one.add_petitions() = Matter(Complaint(""));
  const std::string a = Record(one);
  auto crowd = Visit("v-crowd", chair.id());
  crowd.clear_visitor();
  crowd.mutable_delegation()->set_size(12);
  auto* rep = crowd.mutable_delegation()->add_representatives();
  rep->set_full_name("Trần Văn Đại");
  rep->set_citizen_id("079203004444");
  rep->set_address("Thôn Nam, xã Hòa Phú");
  *crowd.add_petitions() = Matter(Complaint(""));
  const std::string b = Record(crowd);
  auto sealed = Visit("v-sealed", deputy.id());
  sealed.mutable_visitor()->set_full_name(kDenouncerName);
  sealed.mutable_visitor()->set_citizen_id(kDenouncerId);
  sealed.mutable_visitor()->set_address(kDenouncerAddress);
  *sealed.add_petitions() = Matter(Denunciation(""));
  const std::string c = Record(sealed);
  const std::string d = Record(Letter("l-july", 2026, 7, 1));
  const std::string e = Record(Letter("l-june", 2026, 6, 30));

  // By day, then register number: the 1 July letter first; 30 June is outside.
  v1::ListVisitsRequest q;
  q.set_page_size(2);
  auto page = List(q);
  EXPECT_EQ(Numbers(page), (std::vector<std::string>{d, a}));
  ASSERT_FALSE(page.next_page_token().empty());
  q.set_page_token(page.next_page_token());
  page = List(q);
  EXPECT_EQ(Numbers(page), (std::vector<std::string>{b, c}));
  EXPECT_TRUE(page.next_page_token().empty());

  v1::ListVisitsRequest all;
  all.set_from_date("2026-06-01");
  EXPECT_EQ(Numbers(List(all, kAuditor)), (std::vector<std::string>{e, d, a, b, c}));

  v1::ListVisitsRequest by_session;
  by_session.set_session_id(deputy.id());
  EXPECT_EQ(Numbers(List(by_session)), std::vector<std::string>{c});
  v1::ListVisitsRequest by_leader;
  by_leader.set_leader_id("chair-1");
  EXPECT_EQ(Numbers(List(by_leader, kInspector)), (std::vector<std::string>{a, b}));
  v1::ListVisitsRequest crowds;
  crowds.set_crowd_cases_only(true);
  const auto crowd_page = List(crowds);
  ASSERT_EQ(Numbers(crowd_page), std::vector<std::string>{b});
  EXPECT_EQ(crowd_page.visits(0).delegation().size(), 12);

  // A list shows a visitor by name and masked ID; a sealed visit shows nobody.
  const auto listed = List(v1::ListVisitsRequest());
  const std::string text = listed.DebugString();
  for (const char* secret : {kDenouncerName, kDenouncerId, kDenouncerAddress}) {
    EXPECT_FALSE(absl::StrContains(text, secret)) << secret;
  }
  for (const char* full : {"079203001111", "079203004444", "Thôn Tây", "Thôn Nam"}) {
    EXPECT_FALSE(absl::StrContains(text, full)) << full;
  }
  const auto& first_visitor = listed.visits(1);
  EXPECT_EQ(first_visitor.visitor().full_name(), "Nguyễn Văn Khiếu");
  EXPECT_FALSE(first_visitor.visitor().citizen_id().empty());
  EXPECT_TRUE(listed.visits(3).identity_sealed());
  EXPECT_FALSE(listed.visits(3).has_visitor());
}

TEST_F(ReceptionListTest, BadInputAndOtherAgenciesAreRefused) {
  v1::ListVisitsRequest q;
  q.set_page_size(501);
  q.set_page_token("not-a-token");
  v1::ListVisitsResponse out;
  auto st = Rpc(&R::ListVisits, kOfficer, q, &out);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  auto fields = FieldsOf(st);
  std::sort(fields.begin(), fields.end());
  EXPECT_EQ(fields, (std::vector<std::string>{"from_date", "page_size", "page_token", "to_date"}));
  q.Clear();
  q.set_from_date("2026-07-06");
  q.set_to_date("2026-07-01");
  st = Rpc(&R::ListVisits, kOfficer, q, &out);
  EXPECT_EQ(FieldsOf(st), std::vector<std::string>{"to_date"});
  q.set_from_date("2025-01-01");
  q.set_to_date("2026-07-01");
  st = Rpc(&R::ListVisits, kOfficer, q, &out);
  EXPECT_EQ(FieldsOf(st), std::vector<std::string>{"to_date"});
  // Another agency's register, and a citizen.
  q.set_from_date("2026-07-01");
  q.set_agency_code(kCommune);
  EXPECT_EQ(Rpc(&R::ListVisits, kOtherOfficer, q, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Rpc(&R::ListVisits, kCitizen, q, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace localgov::petition

// ReceptionService (served by the petition binary) against the harness's real PostgreSQL and
// Redis, on the petition fixture's clock (Mon 6/7/2026 unless a test moves it).
#ifndef LOCALGOV_TESTS_INTEGRATION_RECEPTION_FIXTURE_H_
#define LOCALGOV_TESTS_INTEGRATION_RECEPTION_FIXTURE_H_

#include <memory>
#include <string>

#include "localgov/petition/v1/reception_service.grpc.pb.h"
#include "tests/integration/petition_fixture.h"

namespace localgov::petition {

inline const Who kCitizen{Role::kCitizen, "", "079203001111"};
inline const Who kOtherLeader{Role::kLeader, kOtherCommune, "leader-9"};

class ReceptionTest : public PetitionTest {
 protected:
  using R = v1::ReceptionService::Stub;

  void Started() override { reception_ = v1::ReceptionService::NewStub(sut_->channel()); }

  template <typename Req, typename Resp>
  grpc::Status Rpc(grpc::Status (R::*m)(grpc::ClientContext*, const Req&, Resp*), const Who& who,
                   const Req& req, Resp* out) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, who.role, who.agency, who.subject);
    return ((*reception_).*m)(&ctx, req, out);
  }

  // A regular (or other) session held on `date` by `leader` in `role`.
  v1::ReceptionSession Session(const std::string& request_id, const std::string& date,
                               const std::string& leader, v1::ReceptionLeaderRole role,
                               v1::ReceptionSessionKind kind = v1::RECEPTION_SESSION_KIND_REGULAR,
                               const std::string& stands_in_for = "") {
    v1::CreateReceptionSessionRequest r;
    r.set_request_id(request_id);
    r.set_kind(kind);
    r.set_date(date);
    r.mutable_leader()->set_id(leader);
    r.mutable_leader()->set_name("Chủ tịch UBND xã");
    r.mutable_leader()->set_role(role);
    if (!stands_in_for.empty()) {
      r.mutable_stands_in_for()->set_id(stands_in_for);
      r.mutable_stands_in_for()->set_role(v1::RECEPTION_LEADER_ROLE_COMMUNE_CHAIR);
    }
    r.set_place("Trụ sở tiếp công dân xã");
    v1::CreateReceptionSessionResponse resp;
    auto st = Rpc(&R::CreateReceptionSession, kOfficer, r, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.session();
  }

  // A visit at `session` by one person with `matters` petitions received.
  static v1::RecordVisitRequest Visit(const std::string& request_id, const std::string& session) {
    v1::RecordVisitRequest r;
    r.set_request_id(request_id);
    r.set_session_id(session);
    r.set_form(v1::VISIT_FORM_IN_PERSON);
    r.mutable_visitor()->set_full_name("Nguyễn Văn Khiếu");
    r.mutable_visitor()->set_citizen_id("079203001111");
    r.mutable_visitor()->set_address("Thôn Tây, xã Hòa Phú");
    r.set_content("Khiếu nại mức bồi thường thu hồi đất");
    r.set_history("Đã gửi đơn tới UBND xã tháng 5/2026, chưa được trả lời");
    r.set_request("Xem xét lại mức bồi thường");
    r.set_handling(v1::VISIT_HANDLING_PETITIONS_RECEIVED);
    r.set_written_down(true);
    r.set_citizen_signed(true);
    return r;
  }

  // A petition as one matter of a visit: its petitioner and channel are the visit's.
  static v1::ReceivePetitionRequest Matter(v1::ReceivePetitionRequest r) {
    r.set_request_id("");
    r.clear_petitioner();
    r.clear_channel();
    return r;
  }

  // A letter registered at 9:00 on a day (no session), explained without petitions.
  static v1::RecordVisitRequest Letter(const std::string& request_id, int y, int m, int d) {
    v1::RecordVisitRequest r = Visit(request_id, "");
    r.set_form(v1::VISIT_FORM_LETTER);
    r.set_written_down(false);
    r.set_handling(v1::VISIT_HANDLING_EXPLAINED);
    r.mutable_visit_time()->set_seconds(absl::ToUnixSeconds(testing::VnTime(y, m, d, 9, 0)));
    return r;
  }

  std::unique_ptr<R> reception_;
};

}  // namespace localgov::petition

#endif  // LOCALGOV_TESTS_INTEGRATION_RECEPTION_FIXTURE_H_

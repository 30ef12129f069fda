// The working-day calendar through the dossier service's RPCs, against real PostgreSQL.
#include <atomic>
#include <thread>

#include "common/calendar/seed.h"
#include "common/status.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"
#include "services/dossier/calendar_service.h"
#include "services/dossier/convert.h"
#include "services/dossier/dossier_spec.h"
#include "tests/harness/dates.h"
#include "tests/harness/service_fixture.h"

namespace localgov::dossier {
namespace {

using google::protobuf::util::TimeUtil;
using testing::ServiceUnderTest;

std::vector<std::string> Fields(const grpc::Status& st) {
  std::vector<std::string> out;
  for (const auto& v : FieldViolationsOf(FromGrpcStatus(st))) out.push_back(v.field);
  return out;
}

class CalendarRpcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sut = ServiceUnderTest::Start(Spec());
    ASSERT_TRUE(sut.ok()) << sut.status();
    sut_ = std::move(*sut);
    stub_ = v1::DossierService::NewStub(sut_->channel());
  }

  grpc::Status Due(const v1::ComputeDueDateRequest& req, v1::ComputeDueDateResponse* resp,
                   Role role = Role::kCitizen) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, role, "000.00.31.H41", "citizen-1");
    return stub_->ComputeDueDate(&ctx, req, resp);
  }

  grpc::Status Get(int year, v1::GetCalendarYearResponse* resp) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer);
    v1::GetCalendarYearRequest req;
    req.set_year(year);
    return stub_->GetCalendarYear(&ctx, req, resp);
  }

  grpc::Status Set(const v1::CalendarYear& year, int64_t expected,
                   v1::SetCalendarYearResponse* resp, Role role = Role::kAdmin) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, role, "000.00.00.H41", "admin-1");
    v1::SetCalendarYearRequest req;
    *req.mutable_calendar() = year;
    req.set_expected_version(expected);
    return stub_->SetCalendarYear(&ctx, req, resp);
  }

  // 2028: Lunar New Year on Wednesday 26/1 (taken here as 25–29/1).
  static v1::CalendarYear Year2028() {
    v1::CalendarYear y;
    y.set_year(2028);
    y.set_source("test data for 2028");
    y.set_provisional(true);
    for (const char* d :
         {"2028-01-01", "2028-01-25", "2028-01-26", "2028-01-27", "2028-01-28", "2028-01-29",
          "2028-04-04", "2028-04-30", "2028-05-01", "2028-09-01", "2028-09-02"}) {
      auto* h = y.add_holidays();
      h->set_date(d);
      h->set_name("holiday");
    }
    return y;
  }

  std::unique_ptr<ServiceUnderTest> sut_;
  std::unique_ptr<v1::DossierService::Stub> stub_;
};

TEST_F(CalendarRpcTest, AfterThreeOnMondayFiveWorkingDaysEndNextTuesday) {
  v1::ComputeDueDateRequest req;
  *req.mutable_received_time() = ToProto(testing::VnTime(2025, 3, 10, 15, 30));
  req.set_unit(v1::LIMIT_UNIT_WORKING_DAYS);
  req.set_amount(5);
  v1::ComputeDueDateResponse resp;
  auto st = Due(req, &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(resp.clock_start_date(), "2025-03-11");
  EXPECT_EQ(resp.due_date(), "2025-03-18");
  ASSERT_EQ(resp.days_off_size(), 2);
  EXPECT_EQ(resp.days_off(0).date(), "2025-03-15");
  EXPECT_EQ(resp.days_off(0).name(), "Saturday");
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(resp.deadline()),
            TimeUtil::TimestampToMicroseconds(ToProto(testing::VnTime(2025, 3, 19, 0, 0))));
}

TEST_F(CalendarRpcTest, TetDaysAreListedWithTheirNames) {
  v1::ComputeDueDateRequest req;
  *req.mutable_received_time() = ToProto(testing::VnTime(2026, 2, 12, 10, 0));
  req.set_unit(v1::LIMIT_UNIT_WORKING_DAYS);
  req.set_amount(5);
  v1::ComputeDueDateResponse resp;
  ASSERT_TRUE(Due(req, &resp).ok());
  EXPECT_EQ(resp.due_date(), "2026-02-26");
  int tet = 0;
  for (const auto& d : resp.days_off()) tet += d.name().find("Tết Nguyên đán") != std::string::npos;
  EXPECT_EQ(tet, 5);
}

TEST_F(CalendarRpcTest, BadRequestsNameEveryField) {
  v1::ComputeDueDateRequest req;
  req.set_amount(-1);  // refused by the input policy (never negative), before the RPC's checks
  v1::ComputeDueDateResponse resp;
  auto st = Due(req, &resp);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"amount"}));
  req.set_amount(3651);  // past the RPC's own bound: every field of the RPC's checks at once
  st = Due(req, &resp);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"received_time", "unit", "amount"}));
  req.set_unit(v1::LIMIT_UNIT_ON_THE_SPOT);
  req.set_amount(3);
  *req.mutable_received_time() = ToProto(testing::VnTime(2025, 3, 10, 9, 0));
  st = Due(req, &resp);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"amount"}));
}

// The calendar derives any year to 2200 (its own limit is unit-tested in calendar_test); a
// request reaches it only with a received time inside the input policy's window, before 2100.
TEST_F(CalendarRpcTest, AReceivedTimePastTheInputWindowIsRefusedNamingTheField) {
  v1::ComputeDueDateRequest req;
  *req.mutable_received_time() = ToProto(testing::VnTime(2201, 3, 10, 9, 0));
  req.set_unit(v1::LIMIT_UNIT_WORKING_DAYS);
  req.set_amount(5);
  v1::ComputeDueDateResponse resp;
  const auto st = Due(req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"received_time"}));
  *req.mutable_received_time() = ToProto(testing::VnTime(2099, 12, 28, 9, 0));
  ASSERT_TRUE(Due(req, &resp).ok()) << "across into 2100: derived from the Labour Code";
  EXPECT_TRUE(resp.provisional());
}

TEST_F(CalendarRpcTest, SeededYearsAreReadableWithDerivedCompensatoryDays) {
  v1::GetCalendarYearResponse resp;
  ASSERT_TRUE(Get(2026, &resp).ok());
  EXPECT_EQ(resp.calendar().holidays_size(), 11);
  EXPECT_EQ(resp.calendar().version(), 1);
  ASSERT_EQ(resp.calendar().compensatory_days_off_size(), 1);
  EXPECT_EQ(resp.calendar().compensatory_days_off(0).date(), "2026-04-27");
  EXPECT_TRUE(resp.calendar().compensatory_days_fixed());
  EXPECT_FALSE(resp.calendar().provisional());
  ASSERT_EQ(resp.calendar().sources_size(), 2);
  EXPECT_EQ(resp.calendar().sources(0).reference(), "Notice 9441/TB-BNV");
  EXPECT_EQ(resp.calendar().sources(0).issued_date(), "2025-10-16");
  EXPECT_EQ(resp.calendar().sources(1).reference(), "Government Office letter 12729/VPCP-KGVX");
  EXPECT_EQ(resp.calendar().swapped_days_off_size(), 2);
  EXPECT_EQ(resp.calendar().make_up_working_days_size(), 2);
  EXPECT_EQ(Get(1999, &resp).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(CalendarRpcTest, AYearWithoutDataIsDerivedProvisionalAndUnstored) {
  v1::GetCalendarYearResponse resp;
  ASSERT_TRUE(Get(2031, &resp).ok());
  EXPECT_TRUE(resp.calendar().derived());
  EXPECT_TRUE(resp.calendar().provisional());
  EXPECT_EQ(resp.calendar().version(), 0);
  EXPECT_EQ(resp.calendar().holidays_size(), 11);
  ASSERT_TRUE(Get(2027, &resp).ok());
  EXPECT_FALSE(resp.calendar().derived()) << "seeded";
  EXPECT_TRUE(resp.calendar().provisional());
  bool hung = false;
  for (const auto& h : resp.calendar().holidays()) hung = hung || h.date() == "2027-04-16";
  EXPECT_TRUE(hung) << "Hùng Kings' day 2027 is Friday 16/4 in Vietnam time";
}

TEST_F(CalendarRpcTest, IssueNineteenDueDates) {
  auto due = [&](absl::Time at, int days) {
    v1::ComputeDueDateRequest req;
    *req.mutable_received_time() = ToProto(at);
    req.set_unit(v1::LIMIT_UNIT_WORKING_DAYS);
    req.set_amount(days);
    v1::ComputeDueDateResponse resp;
    auto st = Due(req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp;
  };
  auto r = due(testing::VnTime(2025, 12, 31, 10, 0), 3);
  EXPECT_EQ(r.due_date(), "2026-01-07");
  EXPECT_FALSE(r.provisional());
  EXPECT_EQ(due(testing::VnTime(2026, 8, 22, 10, 0), 5).due_date(), "2026-08-28");
  r = due(testing::VnTime(2027, 12, 20, 10, 0), 15);
  EXPECT_EQ(r.due_date(), "2028-01-11");
  EXPECT_TRUE(r.provisional());
}

TEST_F(CalendarRpcTest, WorkingHoursCountFromReceipt) {
  v1::ComputeDueDateRequest req;
  *req.mutable_received_time() = ToProto(testing::VnTime(2026, 3, 2, 16, 0));  // Monday
  req.set_unit(v1::LIMIT_UNIT_WORKING_HOURS);
  req.set_amount(2);
  v1::ComputeDueDateResponse resp;
  ASSERT_TRUE(Due(req, &resp).ok());
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(resp.deadline()),
            TimeUtil::TimestampToMicroseconds(ToProto(testing::VnTime(2026, 3, 3, 8, 30))));
}

TEST_F(CalendarRpcTest, ApplyingANoticeKeepsGivenDatesAndReportsAppointmentsOnNewDaysOff) {
  // A dossier of LT-01 (3 working days) received Mon 2/3/2026 10:00: due Thu 5/3/2026.
  v1::ReceiveDossierRequest r;
  r.set_request_id("notice-1");
  r.set_procedure_code("LT-01");
  r.set_channel(v1::CHANNEL_COUNTER);
  r.mutable_applicant()->set_full_name("Nguyễn Văn An");
  r.mutable_applicant()->set_citizen_id("001203004567");
  r.add_documents()->set_document_code("to-khai-lien-thong");
  r.add_documents()->set_document_code("giay-chung-sinh");
  *r.mutable_received_time() = ToProto(testing::VnTime(2026, 3, 2, 10, 0));
  v1::ReceiveDossierResponse received;
  {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, "000.00.31.H41", "officer-1");
    auto st = stub_->ReceiveDossier(&ctx, r, &received);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }
  ASSERT_EQ(received.dossier().due_date(), "2026-03-05");

  // A (hypothetical) amending notice: Thu 5/3 off, worked back on Sat 14/3.
  v1::GetCalendarYearResponse got;
  ASSERT_TRUE(Get(2026, &got).ok());
  v1::CalendarYear notice = got.calendar();
  auto* off = notice.add_swapped_days_off();
  off->set_date("2026-03-05");
  off->set_name("swapped with Saturday 14/3/2026 (test notice)");
  auto* on = notice.add_make_up_working_days();
  on->set_date("2026-03-14");
  on->set_name("make-up for Thursday 5/3/2026 (test notice)");
  auto* src = notice.add_sources();
  src->set_reference("Notice 1/TB-TEST");
  src->set_issued_date("2026-02-27");

  auto apply = [&](const v1::CalendarYear& y, int64_t version, v1::ApplyCalendarNoticeResponse* out,
                   Role role = Role::kAdmin) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, role, "000.00.00.H41", "admin-1");
    v1::ApplyCalendarNoticeRequest req;
    *req.mutable_calendar() = y;
    req.set_expected_version(version);
    return stub_->ApplyCalendarNotice(&ctx, req, out);
  };
  v1::ApplyCalendarNoticeResponse resp;
  EXPECT_EQ(apply(notice, 1, &resp, Role::kOfficer).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  auto provisional = notice;
  provisional.set_provisional(true);
  provisional.clear_sources();
  auto st = apply(provisional, 1, &resp);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"calendar.provisional", "calendar.sources"}));
  EXPECT_EQ(apply(notice, 0, &resp).error_code(), grpc::StatusCode::ABORTED) << "stale version";

  st = apply(notice, 1, &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(resp.calendar().version(), 2);
  ASSERT_EQ(resp.new_days_off_size(), 1);
  EXPECT_EQ(resp.new_days_off(0).date(), "2026-03-05");
  ASSERT_EQ(resp.new_working_dates_size(), 1);
  EXPECT_EQ(resp.new_working_dates(0), "2026-03-14");
  ASSERT_EQ(resp.affected_appointments_size(), 1);
  EXPECT_EQ(resp.affected_appointments(0).code(), received.dossier().code());
  EXPECT_EQ(resp.affected_appointments(0).due_date(), "2026-03-05");

  // The date given to the citizen stays; new computations use the notice.
  {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, "000.00.31.H41", "officer-1");
    v1::GetDossierRequest req;
    req.set_code(received.dossier().code());
    v1::GetDossierResponse d;
    ASSERT_TRUE(stub_->GetDossier(&ctx, req, &d).ok());
    EXPECT_EQ(d.dossier().due_date(), "2026-03-05");
  }
  v1::ComputeDueDateRequest req;
  *req.mutable_received_time() = ToProto(testing::VnTime(2026, 3, 2, 10, 0));
  req.set_unit(v1::LIMIT_UNIT_WORKING_DAYS);
  req.set_amount(3);
  v1::ComputeDueDateResponse due;
  ASSERT_TRUE(Due(req, &due).ok());
  EXPECT_EQ(due.due_date(), "2026-03-06");

  pqxx::connection conn(sut_->config().database_url);
  pqxx::nontransaction tx(conn);
  EXPECT_EQ(tx.exec("SELECT count(*) FROM audit_log WHERE action = 'dossier.ApplyCalendarNotice'"
                    " AND entity_id = '2026'")[0][0]
                .as<int>(),
            1);
}

TEST_F(CalendarRpcTest, ANoticeForADerivedYearIsAppliedFromVersionZero) {
  v1::GetCalendarYearResponse got;
  ASSERT_TRUE(Get(2029, &got).ok());
  ASSERT_TRUE(got.calendar().derived());
  v1::CalendarYear notice = got.calendar();
  notice.set_provisional(false);
  notice.set_source("official notice for 2029 (test)");
  auto* src = notice.add_sources();
  src->set_reference("Notice 2/TB-TEST");
  src->set_issued_date("2028-10-01");
  grpc::ClientContext ctx;
  ServiceUnderTest::Authorize(ctx, Role::kAdmin, "000.00.00.H41", "admin-1");
  v1::ApplyCalendarNoticeRequest req;
  *req.mutable_calendar() = notice;
  req.set_expected_version(0);
  v1::ApplyCalendarNoticeResponse resp;
  auto st = stub_->ApplyCalendarNotice(&ctx, req, &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(resp.new_days_off_size(), 0) << "same days as derived";
  ASSERT_TRUE(Get(2029, &got).ok());
  EXPECT_FALSE(got.calendar().derived());
  EXPECT_FALSE(got.calendar().provisional());
  EXPECT_EQ(got.calendar().version(), 1);
}

TEST_F(CalendarRpcTest, AnAdminAddsAYearAndDueDatesUseItAtOnce) {
  v1::SetCalendarYearResponse set;
  auto st = Set(Year2028(), 0, &set);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(set.calendar().version(), 1);
  // Mon 24/1/2028 10:00, 2 working days: Tết 25–29 (the 29th a Saturday), Sun 30, Mon 31
  // compensatory for the 29th; Tue 1/2 (1), Wed 2/2 (2).
  v1::ComputeDueDateRequest req;
  *req.mutable_received_time() = ToProto(testing::VnTime(2028, 1, 24, 10, 0));
  req.set_unit(v1::LIMIT_UNIT_WORKING_DAYS);
  req.set_amount(2);
  v1::ComputeDueDateResponse resp;
  ASSERT_TRUE(Due(req, &resp).ok());
  EXPECT_EQ(resp.due_date(), "2028-02-02");
}

TEST_F(CalendarRpcTest, AStaleVersionIsAbortedAndOnlyOneOfTwoConcurrentEditsWins) {
  v1::SetCalendarYearResponse set;
  ASSERT_TRUE(Set(Year2028(), 0, &set).ok());
  auto edited = Year2028();
  edited.set_source("confirmed by decision");
  EXPECT_EQ(Set(edited, 0, &set).error_code(), grpc::StatusCode::ABORTED) << "year exists";
  std::atomic<int> ok{0}, aborted{0};
  std::vector<std::thread> admins;
  for (int i = 0; i < 4; ++i) {
    admins.emplace_back([&] {
      v1::SetCalendarYearResponse r;
      const auto s = Set(edited, 1, &r);
      if (s.ok()) ++ok;
      if (s.error_code() == grpc::StatusCode::ABORTED) ++aborted;
    });
  }
  for (auto& t : admins) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(aborted.load(), 3);
  v1::GetCalendarYearResponse got;
  ASSERT_TRUE(Get(2028, &got).ok());
  EXPECT_EQ(got.calendar().version(), 2);
  EXPECT_EQ(got.calendar().source(), "confirmed by decision");
}

TEST_F(CalendarRpcTest, BadCalendarDataIsRefusedWithFieldViolations) {
  auto y = Year2028();
  y.mutable_holidays(0)->set_date("2028-13-01");
  v1::SetCalendarYearResponse set;
  auto st = Set(y, 0, &set);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"calendar.holidays[0].date"}));
  y = Year2028();
  y.mutable_holidays()->RemoveLast();
  st = Set(y, 0, &set);
  EXPECT_EQ(Fields(st), (std::vector<std::string>{"calendar"})) << "10 holidays, the law gives 11";
  v1::GetCalendarYearResponse got;
  ASSERT_TRUE(Get(2028, &got).ok());
  EXPECT_TRUE(got.calendar().derived()) << "nothing half-written: still the derived year";
}

TEST_F(CalendarRpcTest, OnlyAdminsEditTheCalendarAndEditsAreAudited) {
  v1::SetCalendarYearResponse set;
  EXPECT_EQ(Set(Year2028(), 0, &set, Role::kOfficer).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Set(Year2028(), 0, &set, Role::kAdmin).ok());
  pqxx::connection conn(sut_->config().database_url);
  pqxx::nontransaction tx(conn);
  EXPECT_EQ(tx.exec("SELECT count(*) FROM audit_log WHERE action = 'dossier.SetCalendarYear'"
                    " AND entity_id = '2028'")[0][0]
                .as<int>(),
            1);
}

TEST_F(CalendarRpcTest, SeedingNeverOverwritesAnEditedYear) {
  v1::GetCalendarYearResponse got;
  ASSERT_TRUE(Get(2027, &got).ok());
  auto edited = got.calendar();
  edited.set_provisional(false);
  edited.set_source("decision published");
  v1::SetCalendarYearResponse set;
  ASSERT_TRUE(Set(edited, 1, &set).ok());
  CalendarService again(sut_->service().context().db, SystemClock::Get());
  ASSERT_TRUE(again.SeedMissingYears(calendar::SeedYears()).ok());
  ASSERT_TRUE(Get(2027, &got).ok());
  EXPECT_EQ(got.calendar().version(), 2);
  EXPECT_FALSE(got.calendar().provisional());
}

}  // namespace
}  // namespace localgov::dossier

// GetPetitionStatistics equals a hand count (issue 22 item 4).
#include <pqxx/pqxx>
#include "absl/strings/str_cat.h"

#include "gmock/gmock.h"
#include "services/petition/matching.h"
#include "tests/integration/petition_fixture.h"

namespace localgov::petition {
namespace {

using S = v1::PetitionService::Stub;

class PetitionStatisticsTest : public PetitionTest {
 protected:
  v1::GetPetitionStatisticsResponse Stats(const std::string& from, const std::string& to,
                                          const Who& who = kOfficer) {
    v1::GetPetitionStatisticsRequest r;
    r.set_from_date(from);
    r.set_to_date(to);
    v1::GetPetitionStatisticsResponse out;
    auto st = Call(&S::GetPetitionStatistics, who, r, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  }
  static int64_t CountOf(const google::protobuf::RepeatedPtrField<v1::StatisticsCount>& counts,
                         const std::string& key) {
    for (const auto& c : counts) {
      if (c.key() == key) return c.count();
    }
    return 0;
  }
};

TEST_F(PetitionStatisticsTest, FiguresEqualAHandCount) {
  // July: 2 complaints (one decided on time, one repeat not processed... no: both different
  // people), 1 denunciation by letter, 2 recommendations online, 1 reflection by letter.
  auto c1 = Receive(Complaint("s-c1")).petition();  // reception, land
  auto c2req = Complaint("s-c2");
  c2req.mutable_petitioner()->set_citizen_id("079203003333");
  c2req.mutable_petitioner()->set_full_name("Võ Văn Hai");
  c2req.set_channel(v1::PETITION_CHANNEL_LETTER);
  auto c2 = Receive(c2req).petition();
  Receive(Denunciation("s-d1"));
  Receive(Recommendation("s-r1"));
  auto r2req = Recommendation("s-r2");
  r2req.mutable_petitioner()->set_citizen_id("079203004444");
  r2req.set_content("Đề nghị lắp đèn đường thôn Bắc.");
  auto r2 = Receive(r2req).petition();
  auto f1req = Recommendation("s-f1");
  f1req.set_kind(v1::PETITION_KIND_REFLECTION);
  f1req.set_channel(v1::PETITION_CHANNEL_LETTER);
  f1req.set_field(v1::PETITION_FIELD_ENVIRONMENT);
  f1req.mutable_petitioner()->set_citizen_id("079203005555");
  f1req.set_content("Bãi rác tự phát cạnh trường học.");
  Receive(f1req);

  // c1 accepted and decided on time; c2 accepted and decided late; r2 not processed (copy).
  ASSERT_TRUE(Accept(c1).ok());
  v1::DecidePetitionRequest dc;
  dc.set_outcome(v1::OUTCOME_COMPLAINT_PARTLY_RIGHT);
  dc.set_decision_number("45/QĐ-UBND");
  dc.set_summary("Điều chỉnh một phần.");
  clock_.Set(testing::VnTime(2026, 7, 20, 9, 0));
  ASSERT_TRUE(Act(&S::DecidePetition, dc, c1).ok());
  ASSERT_TRUE(Accept(c2).ok());
  clock_.Set(testing::VnTime(2026, 10, 20, 9, 0));  // past 30 days from acceptance
  dc.set_outcome(v1::OUTCOME_COMPLAINT_WRONG);
  dc.set_decision_number("46/QĐ-UBND");
  ASSERT_TRUE(Act(&S::DecidePetition, dc, c2).ok());
  ASSERT_FALSE(c2.resolution().on_time());
  v1::ClassifyPetitionRequest np;
  np.set_decision(v1::CLASSIFICATION_DECISION_NOT_PROCESS);
  np.set_not_processed_reason(v1::NOT_PROCESSED_REASON_COPY_TO_COMPETENT_BODY);
  np.set_reason("Đơn gửi đồng thời nhiều nơi");
  ASSERT_TRUE(Act(&S::ClassifyPetition, np, r2, kOfficer).ok());
  // Received in October: outside July.
  Receive(Recommendation("s-oct"));

  const auto s = Stats("2026-07-01", "2026-07-31");
  EXPECT_EQ(s.agency_code(), kCommune);
  EXPECT_EQ(s.petitions(), 6);
  EXPECT_EQ(CountOf(s.by_kind(), "PETITION_KIND_COMPLAINT"), 2);
  EXPECT_EQ(CountOf(s.by_kind(), "PETITION_KIND_DENUNCIATION"), 1);
  EXPECT_EQ(CountOf(s.by_kind(), "PETITION_KIND_RECOMMENDATION"), 2);
  EXPECT_EQ(CountOf(s.by_kind(), "PETITION_KIND_REFLECTION"), 1);
  EXPECT_EQ(CountOf(s.by_channel(), "PETITION_CHANNEL_RECEPTION"), 1);
  EXPECT_EQ(CountOf(s.by_channel(), "PETITION_CHANNEL_LETTER"), 3);
  EXPECT_EQ(CountOf(s.by_channel(), "PETITION_CHANNEL_ONLINE"), 2);
  EXPECT_EQ(CountOf(s.by_field(), "PETITION_FIELD_LAND"), 2);
  EXPECT_EQ(CountOf(s.by_field(), "PETITION_FIELD_ENVIRONMENT"), 1);
  EXPECT_EQ(CountOf(s.by_classification(), "CLASSIFICATION_DECISION_ACCEPT"), 2);
  EXPECT_EQ(CountOf(s.by_classification(), "CLASSIFICATION_DECISION_NOT_PROCESS"), 1);
  EXPECT_EQ(CountOf(s.by_classification(), "CLASSIFICATION_DECISION_UNSPECIFIED"), 3);
  EXPECT_EQ(CountOf(s.by_not_processed_reason(), "NOT_PROCESSED_REASON_COPY_TO_COMPETENT_BODY"), 1);
  EXPECT_EQ(s.resolved_on_time(), 1);
  EXPECT_EQ(s.resolved_late(), 1);
  EXPECT_EQ(CountOf(s.by_outcome(), "OUTCOME_COMPLAINT_PARTLY_RIGHT"), 1);
  EXPECT_EQ(CountOf(s.by_outcome(), "OUTCOME_COMPLAINT_WRONG"), 1);
  EXPECT_EQ(s.open(), 3);     // the denunciation, r1 and the reflection
  EXPECT_EQ(s.overdue(), 3);  // their classification periods passed by 20 October
  EXPECT_EQ(s.duplicates(), 0);
  // The whole year counts October's too; a merged-away agency's code is refused to others.
  EXPECT_EQ(Stats("2026-01-01", "2026-12-31").petitions(), 7);
  EXPECT_EQ(Stats("2026-07-01", "2026-07-31", kAuditor).petitions(), 6);
}

// Long-running counts each petition once, and only the period's: a matter filed five times
// (twice in June, three times in July) and a reflection open since January (more than 180
// days before today, 10 August) that belongs to no long-running matter.
TEST_F(PetitionStatisticsTest, LongRunningCountsEachPetitionOnceWithinThePeriod) {
  clock_.Set(testing::VnTime(2026, 1, 12, 9, 0));
  auto old = Recommendation("lr-old");
  old.set_kind(v1::PETITION_KIND_REFLECTION);
  old.mutable_petitioner()->set_citizen_id("079203006666");
  old.set_content("Cống thoát nước thôn Tây bị tắc kéo dài.");
  Receive(old);
  for (int i = 1; i <= 5; ++i) {
    clock_.Set(i <= 2 ? testing::VnTime(2026, 6, 8 + i, 9, 0)
                      : testing::VnTime(2026, 7, 6 + i, 9, 0));
    auto filing = Complaint(absl::StrCat("lr-", i));
    filing.set_learned_date("2026-06-01");
    Receive(filing);
  }
  clock_.Set(testing::VnTime(2026, 8, 10, 9, 0));
  EXPECT_EQ(Stats("2026-07-01", "2026-07-31").long_running(), 3);  // the matter's July filings
  EXPECT_EQ(Stats("2026-06-01", "2026-07-31").long_running(), 5);  // the whole matter
  EXPECT_EQ(Stats("2026-01-01", "2026-01-31").long_running(), 1);  // open since January
  const auto year = Stats("2026-01-01", "2026-12-31");
  EXPECT_EQ(year.long_running(), 6);
  EXPECT_EQ(year.petitions(), 6);
  EXPECT_EQ(year.duplicates(), 4);
  EXPECT_EQ(Stats("2026-02-01", "2026-05-31").long_running(), 0);
}

// The per-day counts the database keeps are the petitions' own figures after every kind of
// write: intake, acceptance, decision, a move to another agency, a bulk insert and a deletion.
TEST_F(PetitionStatisticsTest, DailyCountsFollowEveryWrite) {
  auto a = Receive(Complaint("dc-1")).petition();
  auto b = Receive(Recommendation("dc-2")).petition();
  ASSERT_TRUE(Accept(a).ok());
  v1::DecidePetitionRequest dc;
  dc.set_outcome(v1::OUTCOME_COMPLAINT_RIGHT);
  dc.set_decision_number("47/QĐ-UBND");
  dc.set_summary("Chấp nhận.");
  ASSERT_TRUE(Act(&S::DecidePetition, dc, a).ok());
  pqxx::connection db(sut_->config().database_url);
  pqxx::work tx(db);
  const auto recount = [&tx] {
    // Every combination whose kept count differs from a count of the petitions themselves.
    return tx
        .exec(
            "WITH kept AS (SELECT agency, day, channel, kind, field, state, decision,"
            " not_processed_reason, outcome, on_time, duplicate, petitions AS n FROM"
            " petition_statistics_daily WHERE petitions <> 0), counted AS (SELECT agency,"
            " (received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day, channel, kind, field,"
            " state, decision, not_processed_reason, outcome, CASE WHEN on_time IS NULL THEN -1"
            " WHEN on_time THEN 1 ELSE 0 END AS on_time, duplicate_of <> '' AS duplicate,"
            " count(*) AS n FROM petitions GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)"
            " SELECT count(*) FROM ((TABLE kept EXCEPT TABLE counted) UNION ALL"
            " (TABLE counted EXCEPT TABLE kept)) AS d")[0][0]
        .as<int>();
  };
  EXPECT_EQ(tx.exec("SELECT sum(petitions) FROM petition_statistics_daily")[0][0].as<int>(), 2);
  EXPECT_EQ(recount(), 0);
  tx.exec_params("UPDATE petitions SET agency = $1 WHERE code = $2", kOtherCommune, b.code());
  EXPECT_EQ(recount(), 0);
  // A bulk copy (one statement, many rows) and its deletion.
  tx.exec_params(
      "INSERT INTO petitions SELECT p.code || '-' || g, p.agency, p.kind, p.field, p.channel,"
      " p.state, p.officer, p.petitioner_citizen_id, p.matter, p.received_at - g * interval '1"
      " day', p.next_due, p.follow_hash, p.details, p.version, NULL, NULL, p.created_at,"
      " p.updated_at, p.matter_group, p.duplicate_of, p.decision, p.not_processed_reason,"
      " p.outcome, p.on_time, p.derived FROM petitions p, generate_series(1, 40) g"
      " WHERE p.code = $1",
      a.code());
  EXPECT_EQ(recount(), 0);
  EXPECT_EQ(tx.exec("SELECT sum(petitions) FROM petition_statistics_daily")[0][0].as<int>(), 42);
  tx.exec_params("DELETE FROM petitions WHERE code LIKE $1 || '-%'", a.code());
  EXPECT_EQ(recount(), 0);
  EXPECT_EQ(tx.exec("SELECT sum(petitions) FROM petition_statistics_daily")[0][0].as<int>(), 2);
  // Emptied combinations are removed, not kept as zeros.
  EXPECT_EQ(
      tx.exec("SELECT count(*) FROM petition_statistics_daily WHERE petitions = 0")[0][0].as<int>(),
      0);
  tx.abort();
}

TEST_F(PetitionStatisticsTest, EachOfficersResolvedPetitionsAreCountedOnTimeOrLate) {
  // c1 (officer-1) decided on time, c2 (officer-2) decided late, c3 decided unassigned.
  auto c1 = Receive(Complaint("o-c1")).petition();
  auto c2req = Complaint("o-c2");
  c2req.mutable_petitioner()->set_citizen_id("079203003333");
  auto c2 = Receive(c2req).petition();
  auto c3req = Complaint("o-c3");
  c3req.mutable_petitioner()->set_citizen_id("079203004444");
  auto c3 = Receive(c3req).petition();
  v1::AssignPetitionRequest as;
  as.set_officer("officer-1");
  ASSERT_TRUE(Act(&S::AssignPetition, as, c1).ok());
  as.set_officer("officer-2");
  ASSERT_TRUE(Act(&S::AssignPetition, as, c2).ok());
  for (auto* p : {&c1, &c2, &c3}) ASSERT_TRUE(Accept(*p).ok());
  v1::DecidePetitionRequest dc;
  dc.set_outcome(v1::OUTCOME_COMPLAINT_WRONG);
  dc.set_decision_number("47/QĐ-UBND");
  dc.set_summary("Giữ nguyên quyết định.");
  clock_.Set(testing::VnTime(2026, 7, 20, 9, 0));
  ASSERT_TRUE(Act(&S::DecidePetition, dc, c1).ok());
  ASSERT_TRUE(Act(&S::DecidePetition, dc, c3).ok());
  clock_.Set(testing::VnTime(2026, 10, 20, 9, 0));  // past 30 days from acceptance
  ASSERT_TRUE(Act(&S::DecidePetition, dc, c2).ok());

  auto records = [&](const Who& who, int year, v1::ListOfficerPetitionRecordsResponse* out) {
    v1::ListOfficerPetitionRecordsRequest r;
    r.set_year(year);
    r.set_agency_code(kCommune);
    return Call(&S::ListOfficerPetitionRecords, who, r, out).error_code();
  };
  v1::ListOfficerPetitionRecordsResponse out;
  ASSERT_EQ(records(kLeader, 2026, &out), grpc::StatusCode::OK);
  ASSERT_EQ(out.records_size(), 2);
  EXPECT_EQ(out.records(0).subject(), "officer-1");
  EXPECT_EQ(out.records(0).resolved(), 1);
  EXPECT_EQ(out.records(0).on_time(), 1);
  EXPECT_EQ(out.records(1).subject(), "officer-2");
  EXPECT_EQ(out.records(1).resolved(), 1);
  EXPECT_EQ(out.records(1).late(), 1);
  ASSERT_EQ(records(kLeader, 2027, &out), grpc::StatusCode::OK);
  EXPECT_EQ(out.records_size(), 0);
  EXPECT_EQ(records(kInspector, 2026, &out), grpc::StatusCode::OK);
  EXPECT_EQ(records(kOfficer, 2026, &out), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(records(Who{Role::kLeader, kOtherCommune, "leader-9"}, 2026, &out),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(records(kLeader, 1999, &out), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(PetitionStatisticsTest, RefusesBadPeriodsAndOtherAgencies) {
  v1::GetPetitionStatisticsRequest r;
  v1::GetPetitionStatisticsResponse out;
  auto st = Call(&S::GetPetitionStatistics, kOfficer, r, &out);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(st), ::testing::IsSupersetOf({"from_date", "to_date"}));
  r.set_from_date("2026-07-31");
  r.set_to_date("2026-07-01");
  EXPECT_THAT(FieldsOf(Call(&S::GetPetitionStatistics, kOfficer, r, &out)),
              ::testing::Contains("to_date"));
  r.set_from_date("2010-01-01");
  r.set_to_date("2026-01-01");
  EXPECT_THAT(FieldsOf(Call(&S::GetPetitionStatistics, kOfficer, r, &out)),
              ::testing::Contains("to_date"));
  r.set_from_date("2026-01-01");
  r.set_to_date("2026-12-31");
  r.set_agency_code(kCommune);
  EXPECT_EQ(Call(&S::GetPetitionStatistics, kOtherOfficer, r, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace localgov::petition

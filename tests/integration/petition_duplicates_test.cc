// Duplicates and long-running matters (issue 22 item 2) through the real gRPC server, against
// the harness's PostgreSQL (pg_trgm) and Redis.
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "services/petition/matching.h"
#include "tests/integration/petition_fixture.h"

namespace localgov::petition {
namespace {

using S = v1::PetitionService::Stub;

class PetitionDuplicatesTest : public PetitionTest {
 protected:
  // Accepts and decides `p` (a complaint) with the answer the repeat must be told.
  void Answer(v1::Petition& p) {
    ASSERT_TRUE(Accept(p).ok());
    v1::DecidePetitionRequest dc;
    dc.set_outcome(v1::OUTCOME_COMPLAINT_WRONG);
    dc.set_decision_number("45/QĐ-UBND");
    dc.set_summary("Giữ nguyên mức bồi thường theo Quyết định 125/QĐ-UBND.");
    ASSERT_TRUE(Act(&S::DecidePetition, dc, p).ok());
    ASSERT_EQ(p.state(), v1::PETITION_STATE_RESOLVED);
  }

  v1::FindDuplicatesResponse Find(const v1::FindDuplicatesRequest& r, const Who& who = kOfficer) {
    v1::FindDuplicatesResponse out;
    auto st = Call(&S::FindDuplicates, who, r, &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  }
};

// The same complaint typed again without diacritics and in other case, by the same citizen
// ID, after the first was answered: recorded, not processed, the earlier answer told.
TEST_F(PetitionDuplicatesTest, AnsweredComplaintFiledAgainWithoutDiacriticsIsNotProcessed) {
  auto first = Receive(Complaint("dup-1")).petition();
  Answer(first);
  clock_.Set(testing::VnTime(2026, 8, 3, 9, 0));
  auto again = Complaint("dup-2");
  again.set_title("KHIEU NAI quyet dinh thu hoi dat");
  again.set_content("Toi khong dong y voi muc boi thuong khi thu hoi 120 m2 dat vuon.");
  again.mutable_act()->set_decision_number("125/QD-UBND");
  again.set_learned_date("2026-07-25");
  const auto resp = Receive(again);
  ASSERT_EQ(resp.duplicates_size(), 1);
  const auto& d = resp.duplicates(0);
  EXPECT_EQ(d.code(), first.code());
  EXPECT_TRUE(d.answered());
  EXPECT_EQ(d.decision_number(), "45/QĐ-UBND");
  EXPECT_EQ(d.answer(), "Giữ nguyên mức bồi thường theo Quyết định 125/QĐ-UBND.");
  EXPECT_DOUBLE_EQ(d.score(), 1.0);  // the same act concerned
  EXPECT_THAT(d.reasons(), ::testing::Contains("same citizen ID"));
  EXPECT_THAT(d.reasons(), ::testing::Contains("same act concerned: 125/QĐ-UBND"));
  const auto& p = resp.petition();
  EXPECT_EQ(p.state(), v1::PETITION_STATE_NOT_PROCESSED);
  EXPECT_EQ(p.classification().not_processed_reason(), v1::NOT_PROCESSED_REASON_DUPLICATE_ANSWERED);
  EXPECT_NE(p.classification().reason().find(first.code()), std::string::npos);
  EXPECT_NE(p.classification().reason().find("Giữ nguyên mức bồi thường"), std::string::npos);
  EXPECT_EQ(p.duplicate_of(), first.code());
  EXPECT_EQ(p.matter_group(), first.code());
  EXPECT_EQ(p.matter_filings(), 2);
  // The history says so, and a retry of the same request gets the same answer.
  const auto read = Get(p.code());
  ASSERT_EQ(read.events_size(), 2);
  EXPECT_EQ(read.events(1).to_state(), v1::PETITION_STATE_NOT_PROCESSED);
  const auto retried = Receive(again);
  EXPECT_EQ(retried.petition().code(), p.code());
  EXPECT_EQ(retried.duplicates_size(), 1);
  // Filed a third time, closest to the refused repeat: the citizen is told the answer itself
  // (the decision and its summary, once), not a refusal quoting a refusal.
  auto third = again;
  third.set_request_id("dup-3");
  clock_.Set(testing::VnTime(2026, 8, 10, 9, 0));
  const auto thrice = Receive(third).petition();
  ASSERT_EQ(thrice.state(), v1::PETITION_STATE_NOT_PROCESSED);
  const std::string& told = thrice.classification().reason();
  EXPECT_NE(told.find("45/QĐ-UBND"), std::string::npos) << told;
  EXPECT_NE(told.find("Giữ nguyên mức bồi thường"), std::string::npos) << told;
  EXPECT_EQ(told.find("Đơn trùng nội dung", 5), std::string::npos) << told;
}

// A letter received before the earlier petition was answered (registered late, backdated) is
// not a repeat of that answer: it is received and handled, still linked to its matter.
TEST_F(PetitionDuplicatesTest, ALetterReceivedBeforeTheAnswerIsNotRefused) {
  auto first = Receive(Complaint("early-1")).petition();
  clock_.Set(testing::VnTime(2026, 7, 9, 9, 0));
  Answer(first);
  auto letter = Complaint("early-2");
  letter.set_channel(v1::PETITION_CHANNEL_LETTER);
  letter.mutable_received_time()->set_seconds(
      absl::ToUnixSeconds(testing::VnTime(2026, 7, 8, 15, 0)));  // the day before the answer
  const auto resp = Receive(letter);
  ASSERT_EQ(resp.duplicates_size(), 1);
  EXPECT_TRUE(resp.duplicates(0).answered());
  EXPECT_EQ(resp.petition().state(), v1::PETITION_STATE_RECEIVED);
  EXPECT_EQ(resp.petition().duplicate_of(), first.code());
}

// The officer judged the repeat new: it is received and handled, still linked to its matter.
TEST_F(PetitionDuplicatesTest, OfficerMayProcessARepeatAsNew) {
  auto first = Receive(Complaint("new-1")).petition();
  Answer(first);
  auto again = Complaint("new-2");
  again.set_process_even_if_duplicate(true);
  const auto resp = Receive(again);
  EXPECT_EQ(resp.petition().state(), v1::PETITION_STATE_RECEIVED);
  EXPECT_EQ(resp.petition().duplicate_of(), first.code());
  EXPECT_EQ(resp.duplicates_size(), 1);
}

// A typo in the content and no act named: matched on the similar content by name and address
// folded without diacritics; not answered yet, so it is only shown, not refused.
TEST_F(PetitionDuplicatesTest, TypoAndNoIdStillMatchOnNameAddressAndSimilarContent) {
  auto first_req = Complaint("typo-1");
  first_req.mutable_petitioner()->clear_citizen_id();
  const auto first = Receive(first_req).petition();
  auto again = first_req;
  again.set_request_id("typo-2");
  again.mutable_act()->clear_decision_number();
  again.set_content("Tôi không đồng ý với mức bồi thườn khi thu hồi 120 m² đất vườn nhà tôi.");
  again.mutable_petitioner()->set_full_name("NGUYEN VAN KHIEU");
  again.mutable_petitioner()->set_address("thon Tay - xa Hoa Phu");
  const auto resp = Receive(again);
  ASSERT_EQ(resp.duplicates_size(), 1);
  EXPECT_EQ(resp.duplicates(0).code(), first.code());
  EXPECT_FALSE(resp.duplicates(0).answered());
  EXPECT_GT(resp.duplicates(0).score(), 0.6);
  EXPECT_LT(resp.duplicates(0).score(), 1.0);
  EXPECT_THAT(resp.duplicates(0).reasons(),
              ::testing::Contains("same name and address (without diacritics)"));
  EXPECT_EQ(resp.petition().state(), v1::PETITION_STATE_RECEIVED);
}

// The same act concerned, another person: not a duplicate.
TEST_F(PetitionDuplicatesTest, SameActAnotherPersonIsNotADuplicate) {
  auto first = Receive(Complaint("other-1")).petition();
  Answer(first);
  auto neighbour = Complaint("other-2");
  neighbour.mutable_petitioner()->set_full_name("Trần Thị Hàng Xóm");
  neighbour.mutable_petitioner()->set_citizen_id("079203009999");
  neighbour.mutable_petitioner()->set_address("Thôn Đông, xã Hòa Phú");
  const auto resp = Receive(neighbour);
  EXPECT_EQ(resp.duplicates_size(), 0);
  EXPECT_EQ(resp.petition().state(), v1::PETITION_STATE_RECEIVED);
  EXPECT_EQ(resp.petition().duplicate_of(), "");
  EXPECT_EQ(resp.petition().matter_group(), resp.petition().code());
}

// A denouncer is matched through the blind index: the second denunciation (name typed without
// diacritics, no ID) finds the first; nothing about the denouncer appears in the answer.
TEST_F(PetitionDuplicatesTest, DenouncerMatchedByBlindIndexNeverRevealed) {
  const auto first = Receive(Denunciation("den-1")).petition();
  auto again = Denunciation("den-2");
  again.mutable_petitioner()->clear_citizen_id();
  again.mutable_petitioner()->set_full_name("Pham Thi To Cao");
  again.mutable_petitioner()->set_address("so 9 ngo bi mat thon dong");
  const auto resp = Receive(again);
  ASSERT_EQ(resp.duplicates_size(), 1);
  EXPECT_EQ(resp.duplicates(0).code(), first.code());
  const std::string wire = resp.SerializeAsString();
  for (const char* secret : {kDenouncerName, kDenouncerId, "Pham Thi To Cao", "bi mat"}) {
    EXPECT_EQ(wire.find(secret), std::string::npos) << secret;
  }
  // A complaint by the same person is another kind: never matched with the denunciation.
  auto complaint = Complaint("den-3");
  complaint.mutable_petitioner()->set_full_name(kDenouncerName);
  complaint.mutable_petitioner()->set_citizen_id(kDenouncerId);
  complaint.mutable_petitioner()->set_address(kDenouncerAddress);
  complaint.set_title("Tố cáo cán bộ địa chính nhận tiền");
  complaint.set_content("Cán bộ địa chính xã nhận tiền để xác nhận hồ sơ đất.");
  EXPECT_EQ(Receive(complaint).duplicates_size(), 0);
  // FindDuplicates by the later code uses the stored blind keys.
  v1::FindDuplicatesRequest by_code;
  by_code.set_code(resp.petition().code());
  const auto found = Find(by_code, kInspector);
  ASSERT_EQ(found.candidates_size(), 1);
  EXPECT_EQ(found.candidates(0).code(), first.code());
}

// The fifth filing of a matter flags it long-running (LOCALGOV_PETITION_MATCHING
// long_running_filings=5 by default); the fourth does not.
TEST_F(PetitionDuplicatesTest, MatterFiledFiveTimesIsLongRunning) {
  std::vector<std::string> codes;
  for (int i = 1; i <= 5; ++i) {
    clock_.Set(testing::VnTime(2026, 7, 6 + i, 9, 0));
    const auto resp = Receive(Complaint(absl::StrCat("lr-", i)));
    codes.push_back(resp.petition().code());
    EXPECT_EQ(resp.petition().matter_filings(), i);
    EXPECT_EQ(resp.petition().long_running(), i >= 5) << i;
    if (i == 4) {
      EXPECT_FALSE(Get(codes[0]).long_running());
    }
  }
  const auto first = Get(codes[0]);
  EXPECT_TRUE(first.long_running());
  EXPECT_EQ(first.matter_filings(), 5);
  // An unrelated petition is not.
  const auto other = Receive(Recommendation("lr-other")).petition();
  EXPECT_FALSE(Get(other.code()).long_running());

  v1::ListPetitionsRequest lr;
  lr.set_long_running_only(true);
  v1::ListPetitionsResponse page;
  ASSERT_TRUE(Call(&S::ListPetitions, kOfficer, lr, &page).ok());
  ASSERT_EQ(page.petitions_size(), 5);
  for (const auto& p : page.petitions()) EXPECT_TRUE(p.long_running());
  v1::ListPetitionsRequest dups;
  dups.set_duplicates_only(true);
  ASSERT_TRUE(Call(&S::ListPetitions, kOfficer, dups, &page).ok());
  EXPECT_EQ(page.petitions_size(), 4);  // all but the first
}

// Open longer than long_running_open_days (a setting) is long-running too.
TEST_F(PetitionDuplicatesTest, OpenTooLongIsLongRunning) {
  sut_.reset();
  Start([](ServiceConfig& c) {
    c.extras[MatchingSettings::kVariable] = "long_running_open_days=30";
  });
  const auto p = Receive(Recommendation("old-1")).petition();
  clock_.Set(testing::VnTime(2026, 8, 5, 9, 0));  // 30 days after 6 July
  EXPECT_FALSE(Get(p.code()).long_running());
  clock_.Set(testing::VnTime(2026, 8, 6, 9, 0));  // 31 days
  EXPECT_TRUE(Get(p.code()).long_running());
}

// A petition stored before the matching existed (migration 0004: derived = 0, no matching
// row, no matter) is derived by the backfill worker when the service starts: its matter, the
// earlier petition it repeats, its matching keys and its statistics columns, counted once.
TEST_F(PetitionDuplicatesTest, BackfillDerivesPetitionsStoredBeforeMatching) {
  const auto first = Receive(Complaint("bf-1")).petition();
  clock_.Set(testing::VnTime(2026, 7, 9, 9, 0));
  const auto later = Receive(Complaint("bf-2")).petition();
  ASSERT_EQ(later.duplicate_of(), first.code());
  const std::string url = sut_->config().database_url;
  {
    pqxx::connection db(url);
    pqxx::work tx(db);
    tx.exec_params("DELETE FROM petition_matching WHERE code = $1", later.code());
    tx.exec_params("UPDATE petition_matters SET filings = filings - 1 WHERE matter_group = $1",
                   first.code());
    tx.exec_params(
        "UPDATE petitions SET matter_group = '', duplicate_of = '', decision = 0, outcome = 0,"
        " on_time = NULL, derived = 0 WHERE code = $1",
        later.code());
    tx.commit();
  }
  sut_.reset();
  Start([&url](ServiceConfig& c) { c.database_url = url; });
  pqxx::connection db(url);
  std::string derived;
  for (int i = 0; i < 100 && derived.empty(); ++i) {
    pqxx::work tx(db);
    const auto r = tx.exec_params(
        "SELECT p.matter_group || '|' || p.duplicate_of || '|' || g.filings || '|' ||"
        " m.matter_group FROM petitions p JOIN petition_matching m ON m.code = p.code"
        " JOIN petition_matters g ON g.matter_group = p.matter_group"
        " WHERE p.code = $1 AND p.derived = 1",
        later.code());
    if (!r.empty()) derived = r[0][0].as<std::string>();
    tx.commit();
    if (derived.empty()) absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_EQ(derived, absl::StrCat(first.code(), "|", first.code(), "|2|", first.code()));
  EXPECT_EQ(Get(later.code()).matter_filings(), 2);
  pqxx::work tx(db);
  EXPECT_EQ(tx.exec("SELECT sum(petitions) FROM petition_statistics_daily WHERE duplicate")[0][0]
                .as<int>(),
            1);
}

TEST_F(PetitionDuplicatesTest, FindDuplicatesRefusesBadInputAndOtherAgencies) {
  v1::FindDuplicatesRequest empty;
  v1::FindDuplicatesResponse out;
  auto st = Call(&S::FindDuplicates, kOfficer, empty, &out);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(FieldsOf(st), ::testing::IsSupersetOf({"kind", "content", "petitioner"}));
  v1::FindDuplicatesRequest both;
  both.set_code("x");
  both.set_kind(v1::PETITION_KIND_COMPLAINT);
  both.set_limit(51);
  st = Call(&S::FindDuplicates, kOfficer, both, &out);
  EXPECT_THAT(FieldsOf(st), ::testing::IsSupersetOf({"code", "limit"}));

  const auto p = Receive(Complaint("acc-1")).petition();
  v1::FindDuplicatesRequest by_code;
  by_code.set_code(p.code());
  EXPECT_EQ(Call(&S::FindDuplicates, kOtherOfficer, by_code, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Call(&S::FindDuplicates, kAuditor, by_code, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::FindDuplicatesRequest draft;
  draft.set_kind(v1::PETITION_KIND_COMPLAINT);
  draft.set_content("Khiếu nại mức bồi thường");
  draft.mutable_petitioner()->set_citizen_id("079203001111");
  draft.set_agency_code(kCommune);
  EXPECT_EQ(Call(&S::FindDuplicates, kOtherOfficer, draft, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // The draft before intake finds the complaint.
  draft.mutable_act()->set_decision_number("125/QĐ-UBND");
  const auto found = Find(draft);
  ASSERT_EQ(found.candidates_size(), 1);
  EXPECT_EQ(found.candidates(0).code(), p.code());
  EXPECT_DOUBLE_EQ(found.min_score(), 0.4);
}

}  // namespace
}  // namespace localgov::petition

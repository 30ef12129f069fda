// The citizen's timeline (services/petition/timeline): which matters are open, what deadline
// each shows, and the order they are listed in.
#include "gtest/gtest.h"
#include "services/petition/timeline.h"

namespace localgov::petition {
namespace {

namespace dv1 = dossier::v1;

v1::TimelineItem Item(const std::string& code, bool open, const std::string& deadline,
                      int64_t received) {
  v1::TimelineItem i;
  i.set_code(code);
  i.set_open(open);
  i.set_next_deadline(deadline);
  i.mutable_received_time()->set_seconds(received);
  return i;
}

std::vector<std::string> Codes(const std::vector<v1::TimelineItem>& items) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(i.code());
  return out;
}

TEST(CitizenTimeline, OpenMattersComeFirstByDeadlineThenClosedOnesNewestFirst) {
  std::vector<v1::TimelineItem> items = {
      Item("closed-old", false, "", 100),         Item("open-no-deadline", true, "", 50),
      Item("open-late", true, "2026-12-20", 10),  Item("closed-new", false, "", 900),
      Item("open-soon", true, "2026-12-08", 300),
  };
  SortTimeline(items);
  EXPECT_EQ(Codes(items), (std::vector<std::string>{"open-soon", "open-late", "open-no-deadline",
                                                    "closed-new", "closed-old"}));
}

TEST(CitizenTimeline, ADossierIsOpenUntilReturnedRefusedWithdrawnOrStopped) {
  for (auto s : {dv1::DOSSIER_STATE_SUBMITTED, dv1::DOSSIER_STATE_ACCEPTED,
                 dv1::DOSSIER_STATE_IN_PROGRESS, dv1::DOSSIER_STATE_SUPPLEMENT_REQUESTED,
                 dv1::DOSSIER_STATE_PAYMENT_REQUESTED, dv1::DOSSIER_STATE_PROCESSED}) {
    EXPECT_TRUE(DossierOpen(s)) << dv1::DossierState_Name(s);
  }
  for (auto s : {dv1::DOSSIER_STATE_NOT_ACCEPTED, dv1::DOSSIER_STATE_WITHDRAWN,
                 dv1::DOSSIER_STATE_STOPPED, dv1::DOSSIER_STATE_RETURNED}) {
    EXPECT_FALSE(DossierOpen(s)) << dv1::DossierState_Name(s);
  }
  EXPECT_EQ(OpenDossierStates().size(), 6u);
}

TEST(CitizenTimeline, AClosedMatterShowsNoDeadline) {
  dv1::Dossier d;
  d.set_code("000.00.31.H41-261201-0001");
  d.set_state(dv1::DOSSIER_STATE_RETURNED);
  d.set_due_date("2026-12-04");
  d.set_procedure_code("HT-05");
  const auto returned = TimelineItemOf(d);
  EXPECT_FALSE(returned.open());
  EXPECT_EQ(returned.next_deadline(), "");
  EXPECT_EQ(returned.state(), "DOSSIER_STATE_RETURNED");
  d.set_state(dv1::DOSSIER_STATE_IN_PROGRESS);
  EXPECT_EQ(TimelineItemOf(d).next_deadline(), "2026-12-04");

  v1::Petition p;
  p.set_state(v1::PETITION_STATE_RESOLVED);
  p.mutable_next_deadline()->set_due_date("2027-01-10");  // a publication deadline, say
  EXPECT_FALSE(TimelineItemOf(p).open());
  EXPECT_EQ(TimelineItemOf(p).next_deadline(), "");
  p.set_state(v1::PETITION_STATE_ACCEPTED);
  EXPECT_EQ(TimelineItemOf(p).next_deadline(), "2027-01-10");
}

}  // namespace
}  // namespace localgov::petition

// localgovctl seed petitions, the repeats: a citizen's complaint answered and then filed again
// without diacritics (recorded, not processed, told the earlier answer), and a reflection
// filed five times over the year (a long-running matter). Idempotent like the rest of the
// seed: the same request ids every run, and a step applied only when the petition is still at
// the version before it.
#include <chrono>
#include <iostream>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "tools/localgovctl/petition_commands.h"
#include "tools/localgovctl/petition_view.h"

namespace localgovctl {
namespace {

using namespace petition_cli;  // NOLINT: the petition commands' shared vocabulary

void At(absl::CivilDay day, pv1::ReceivePetitionRequest& r) {
  const absl::Time t = absl::FromCivil(absl::CivilMinute(day.year(), day.month(), day.day(), 8, 30),
                                       absl::FixedTimeZone(7 * 3600));
  r.mutable_received_time()->set_seconds(absl::ToUnixSeconds(t));
}

pv1::ReceivePetitionRequest LandComplaint(const std::string& id, absl::CivilDay day) {
  pv1::ReceivePetitionRequest r;
  r.set_request_id(id);
  r.set_kind(pv1::PETITION_KIND_COMPLAINT);
  r.set_field(pv1::PETITION_FIELD_LAND);
  r.set_channel(pv1::PETITION_CHANNEL_RECEPTION);
  r.set_title("Khiếu nại mức bồi thường khi thu hồi đất vườn");
  r.set_content(
      "Tôi không đồng ý với mức bồi thường 120 m² đất vườn tại thửa số 45, tờ bản đồ 12 theo "
      "Quyết định 125/QĐ-UBND; đề nghị tính lại theo giá đất ở.");
  r.mutable_act()->set_description("Quyết định thu hồi đất và bồi thường");
  r.mutable_act()->set_decision_number("125/QĐ-UBND");
  r.set_learned_date(absl::FormatCivilTime(day - 10));
  r.mutable_petitioner()->set_full_name("Nguyễn Văn Lặp");
  r.mutable_petitioner()->set_citizen_id("056081001234");
  r.mutable_petitioner()->set_address("số 12 đường Lê Thánh Tôn, tổ dân phố 3, phường Nha Trang");
  At(day, r);
  return r;
}

pv1::ReceivePetitionRequest NoiseReflection(const std::string& id, absl::CivilDay day) {
  pv1::ReceivePetitionRequest r;
  r.set_request_id(id);
  r.set_kind(pv1::PETITION_KIND_REFLECTION);
  r.set_field(pv1::PETITION_FIELD_ENVIRONMENT);
  r.set_channel(pv1::PETITION_CHANNEL_LETTER);
  r.set_title("Phản ánh tiếng ồn và bụi của xưởng gỗ trong khu dân cư");
  r.set_content(
      "Xưởng gỗ ở tổ dân phố 7 chạy máy cưa từ 5 giờ sáng đến 22 giờ, bụi gỗ bay vào nhà dân; "
      "đề nghị kiểm tra và buộc di dời.");
  r.mutable_petitioner()->set_full_name("Trần Thị Nhắc");
  r.mutable_petitioner()->set_citizen_id("056185004321");
  r.mutable_petitioner()->set_address("số 8 đường Hoàng Văn Thụ, tổ dân phố 7, phường Nha Trang");
  At(day, r);
  return r;
}

// Receives `r`, retrying while the service warms up; "" on failure (printed).
std::string Receive(Client& c, const pv1::ReceivePetitionRequest& r, pv1::Petition* out) {
  grpc::Status st;
  pv1::ReceivePetitionResponse resp;
  for (int attempt = 0; attempt < 60; ++attempt) {
    st = c.Call(&Stub::ReceivePetition, r, &resp);
    if (st.error_code() != grpc::StatusCode::UNAVAILABLE) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  if (!st.ok()) {
    PrintError("seed repeat " + r.request_id(), st);
    return "";
  }
  pv1::GetPetitionRequest get;
  get.set_code(resp.petition().code());
  pv1::GetPetitionResponse got;
  if (!c.Call(&Stub::GetPetition, get, &got).ok()) return "";
  *out = got.petition();
  return out->code();
}

}  // namespace

int SeedRepeats(const TokenOptions& token, const std::string& agency,
                const std::string& anchor_text) {
  absl::CivilDay anchor;
  if (!absl::ParseCivilTime(anchor_text, &anchor)) return 2;
  Client c(token, Who{"leader", agency, "seed-petitions"});
  if (!c.Ready()) return 2;
  const std::string id = absl::StrCat("seed-repeats-", anchor_text, "-");
  int failed = 0;
  // The complaint: received 200 days ago, accepted, decided.
  pv1::Petition first;
  if (Receive(c, LandComplaint(id + "complaint", anchor - 200), &first).empty()) return 1;
  if (first.version() == 1) {
    pv1::ClassifyPetitionRequest accept;
    accept.set_code(first.code());
    accept.set_expected_version(1);
    accept.set_decision(pv1::CLASSIFICATION_DECISION_ACCEPT);
    accept.set_reason("Đủ điều kiện thụ lý");
    accept.set_complexity(pv1::COMPLEXITY_NORMAL);
    pv1::ClassifyPetitionResponse accepted;
    auto st = c.Call(&Stub::ClassifyPetition, accept, &accepted);
    if (!st.ok()) return PrintError("seed repeat accept", st);
    first = accepted.petition();
  }
  if (first.version() == 2) {
    pv1::DecidePetitionRequest decide;
    decide.set_code(first.code());
    decide.set_expected_version(2);
    decide.set_outcome(pv1::OUTCOME_COMPLAINT_WRONG);
    decide.set_decision_number("58/QĐ-UBND");
    decide.set_summary(
        "Giữ nguyên mức bồi thường: thửa 45 là đất trồng cây lâu năm, không phải đất ở (Điều 13 "
        "Luật Đất đai 2024).");
    pv1::DecidePetitionResponse decided;
    auto st = c.Call(&Stub::DecidePetition, decide, &decided);
    if (!st.ok()) return PrintError("seed repeat decide", st);
  }
  // The same complaint typed again without diacritics, received today (after the answer, which
  // the seed records now): not processed.
  auto again = LandComplaint(id + "complaint-again", anchor - 20);
  again.clear_received_time();
  again.set_title("Khieu nai muc boi thuong khi thu hoi dat vuon");
  again.set_content(
      "Toi khong dong y voi muc boi thuong 120 m2 dat vuon tai thua so 45, to ban do 12 theo "
      "Quyet dinh 125/QD-UBND; de nghi tinh lai theo gia dat o.");
  again.mutable_act()->set_decision_number("125/QD-UBND");
  pv1::Petition repeat;
  if (Receive(c, again, &repeat).empty()) ++failed;
  // The reflection, filed five times over the year.
  pv1::Petition noise;
  for (int k = 0; k < 5; ++k) {
    if (Receive(c, NoiseReflection(absl::StrCat(id, "noise-", k), anchor - (330 - 70 * k)), &noise)
            .empty()) {
      ++failed;
    }
  }
  std::cout << "seeded the repeats: " << first.code() << " answered and filed again as "
            << repeat.code() << " (" << StateWord(repeat.state()) << "); " << noise.matter_filings()
            << " filings of matter " << noise.matter_group()
            << (noise.long_running() ? " (long-running)" : "") << "\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace localgovctl

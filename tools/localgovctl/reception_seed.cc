// localgovctl seed receptions: a year of a commune's reception register and voters' meetings
// for the demo. Every week of the 52 before today the commune chair holds a regular session
// (on its first working day from Tuesday; now and then missed, and before 2026-07-01 sometimes
// held by the vice-chair in the chair's stead), with a few visits: explained on the spot,
// guided elsewhere, or written down as a reflection; once, an extra session for a crowd case.
// Two voters' meetings of the People's Council with recommendations in groups, assigned, some
// answered. Everything comes from the day (a hash of it), and each record's request_id names
// its day, so a second run (today or later) adds nothing for the days already seeded.
#include <cstdint>
#include <iostream>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/calendar/calendar.h"
#include "common/calendar/seed.h"
#include "localgov/petition/v1/reception_service.grpc.pb.h"
#include "tools/localgovctl/reception_commands.h"

namespace localgovctl {
namespace {

namespace pv1 = localgov::petition::v1;
using RStub = pv1::ReceptionService::Stub;
using absl::CivilDay;

uint64_t Hash(CivilDay d, uint64_t salt) {
  uint64_t z = static_cast<uint64_t>(d - CivilDay(2000, 1, 1)) * 0x9E3779B97F4A7C15ULL + salt;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

constexpr const char* kNames[] = {"Nguyễn Văn Hùng", "Trần Thị Lan",   "Lê Văn Tâm",
                                  "Phạm Thị Hoa",    "Hoàng Văn Minh", "Võ Thị Thu"};
constexpr const char* kMatters[] = {"Hỏi thủ tục cấp giấy chứng nhận quyền sử dụng đất",
                                    "Tranh chấp lối đi chung với hộ liền kề",
                                    "Cống thoát nước tổ 2 bị tắc",
                                    "Hỏi chế độ trợ cấp người cao tuổi",
                                    "Tiếng ồn của xưởng mộc ban đêm",
                                    "Đèn đường thôn Đông không sáng"};

class Seeder {
 public:
  Seeder(const TokenOptions& token, std::string agency) : agency_(std::move(agency)) {
    stub_ = pv1::ReceptionService::NewStub(Channel(*FindTarget("petition")));
    bearer_ = "Bearer " + DevToken(token, Role::kOfficer, agency_, "seed-reception");
    leader_ = "Bearer " + DevToken(token, Role::kLeader, agency_, "seed-reception-leader");
  }

  template <typename Req, typename Resp>
  bool Call(grpc::Status (RStub::*m)(grpc::ClientContext*, const Req&, Resp*), const Req& req,
            Resp* resp, bool as_leader = false) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", as_leader ? leader_ : bearer_);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    auto st = ((*stub_).*m)(&ctx, req, resp);
    if (!st.ok()) {
      // Already done on an earlier run (a transition's version moved on): nothing to add.
      if (st.error_code() == grpc::StatusCode::ABORTED ||
          st.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
        return false;
      }
      PrintError("seed receptions", st);
      failed_ = true;
      return false;
    }
    return true;
  }

  std::string Session(CivilDay d, pv1::ReceptionSessionKind kind, bool deputy) {
    pv1::CreateReceptionSessionRequest r;
    r.set_request_id(absl::StrCat("seed-reception-session-", absl::FormatCivilTime(d), "-",
                                  static_cast<int>(kind)));
    r.set_agency_code(agency_);
    r.set_kind(kind);
    r.set_date(absl::FormatCivilTime(d));
    auto* l = r.mutable_leader();
    if (deputy) {
      l->set_id("pho-chu-tich-xa");
      l->set_name("Phó Chủ tịch UBND xã");
      l->set_role(pv1::RECEPTION_LEADER_ROLE_DEPUTY);
      r.mutable_stands_in_for()->set_id("chu-tich-xa");
      r.mutable_stands_in_for()->set_role(pv1::RECEPTION_LEADER_ROLE_COMMUNE_CHAIR);
    } else {
      l->set_id("chu-tich-xa");
      l->set_name("Chủ tịch UBND xã");
      l->set_role(pv1::RECEPTION_LEADER_ROLE_COMMUNE_CHAIR);
    }
    r.set_place("Trụ sở tiếp công dân xã");
    pv1::CreateReceptionSessionResponse resp;
    if (!Call(&RStub::CreateReceptionSession, r, &resp)) return "";
    ++sessions_;
    return resp.session().id();
  }

  void Visit(CivilDay d, const std::string& session, int i, bool crowd) {
    const uint64_t h = Hash(d, 100 + i);
    pv1::RecordVisitRequest r;
    r.set_request_id(absl::StrCat("seed-reception-visit-", absl::FormatCivilTime(d), "-", i));
    r.set_agency_code(agency_);
    r.set_session_id(session);
    r.mutable_visit_time()->set_seconds(absl::ToUnixSeconds(
        absl::FromCivil(absl::CivilSecond(d.year(), d.month(), d.day(), 8, 30 + 10 * (i % 3), 0),
                        localgov::calendar::VietnamTime())));
    const std::string matter = kMatters[h % 6];
    if (crowd) {
      r.mutable_delegation()->set_size(32);
      for (int k = 0; k < 3; ++k) {
        auto* p = r.mutable_delegation()->add_representatives();
        p->set_full_name(kNames[(h + k) % 6]);
        p->set_address("Thôn Đông");
      }
      r.set_content("Hộ dân thôn Đông phản đối mức bồi thường dự án đường liên xã");
      r.set_history("Đã họp dân hai lần; chưa thống nhất");
      r.set_request("Xem xét lại đơn giá bồi thường");
    } else {
      r.mutable_visitor()->set_full_name(kNames[h % 6]);
      r.mutable_visitor()->set_address(absl::StrCat("Tổ ", 1 + h % 7, ", xã Hòa Phú"));
      r.set_content(matter);
      r.set_request("Đề nghị xã xem xét, giải quyết");
    }
    switch (crowd ? 0 : (h >> 8) % 3) {
      case 0: {
        r.set_handling(pv1::VISIT_HANDLING_PETITIONS_RECEIVED);
        r.set_written_down(true);
        r.set_citizen_signed(true);
        auto* p = r.add_petitions();
        p->set_kind(crowd ? pv1::PETITION_KIND_RECOMMENDATION : pv1::PETITION_KIND_REFLECTION);
        p->set_field(pv1::PETITION_FIELD_OTHER);
        p->set_title(crowd ? "Kiến nghị đơn giá bồi thường đường liên xã" : matter);
        p->set_content(r.content());
        break;
      }
      case 1:
        r.set_handling(pv1::VISIT_HANDLING_GUIDED);
        r.set_referred_to("000.00.00.H41");
        r.set_handling_note("Hướng dẫn gửi đơn đến cơ quan có thẩm quyền");
        break;
      default:
        r.set_handling(pv1::VISIT_HANDLING_EXPLAINED);
        r.set_handling_note("Giải thích, hướng dẫn tại chỗ");
    }
    pv1::RecordVisitResponse resp;
    if (Call(&RStub::RecordVisit, r, &resp)) ++visits_;
  }

  void Voters(CivilDay held, CivilDay meeting, int n) {
    pv1::CreateVoterSessionRequest s;
    s.set_request_id(absl::StrCat("seed-voters-", absl::FormatCivilTime(held)));
    s.set_agency_code(agency_);
    s.set_council("HĐND xã Hòa Phú");
    s.set_term(2026);
    s.set_meeting_date(absl::FormatCivilTime(meeting));
    s.set_held_date(absl::FormatCivilTime(held));
    s.set_place("Nhà văn hóa thôn Đông");
    pv1::CreateVoterSessionResponse session;
    if (!Call(&RStub::CreateVoterSession, s, &session)) return;
    constexpr const char* kGroups[] = {"Giao thông", "Môi trường", "Y tế, giáo dục"};
    const CivilDay today = localgov::calendar::VietnamDay(absl::Now());
    for (int i = 0; i < n; ++i) {
      pv1::AddVoterRecommendationRequest a;
      a.set_request_id(absl::StrCat("seed-voters-", absl::FormatCivilTime(held), "-", i));
      a.set_session_id(session.session().id());
      a.set_group(kGroups[i % 3]);
      a.set_content(absl::StrCat(kMatters[(i + 2) % 6], " (ý kiến cử tri số ", i + 1, ")"));
      a.set_field(pv1::PETITION_FIELD_OTHER);
      a.set_voter_count(3 + i);
      pv1::AddVoterRecommendationResponse rec;
      if (!Call(&RStub::AddVoterRecommendation, a, &rec)) return;
      ++recommendations_;
      if (rec.recommendation().version() != 1) continue;  // handled on an earlier run
      pv1::AssignVoterRecommendationRequest g;
      g.set_id(rec.recommendation().id());
      g.set_expected_version(1);
      g.set_agency_code(agency_);
      // Some due before today (then answered today: late), some after (on time).
      g.set_due_date(absl::FormatCivilTime(i % 2 == 0 ? meeting + 30 : today + 30));
      pv1::AssignVoterRecommendationResponse assigned;
      if (!Call(&RStub::AssignVoterRecommendation, g, &assigned, true)) continue;
      if (i % 3 == 2) continue;  // not answered yet
      pv1::AnswerVoterRecommendationRequest w;
      w.set_id(assigned.recommendation().id());
      w.set_expected_version(2);
      w.set_answer("UBND xã đã đưa vào kế hoạch và sẽ thực hiện trong năm");
      pv1::AnswerVoterRecommendationResponse answered;
      Call(&RStub::AnswerVoterRecommendation, w, &answered);
    }
  }

  bool failed() const { return failed_; }
  void Summary() const {
    std::cout << "seed receptions: " << sessions_ << " sessions, " << visits_ << " visits, "
              << recommendations_ << " voters' recommendations for " << agency_ << "\n";
  }

 private:
  std::string agency_, bearer_, leader_;
  std::unique_ptr<RStub> stub_;
  int sessions_ = 0, visits_ = 0, recommendations_ = 0;
  bool failed_ = false;
};

}  // namespace

int SeedReceptions(const TokenOptions& token, const std::string& agency) {
  auto cal = localgov::calendar::WorkingCalendar::Create(localgov::calendar::SeedYears());
  if (!cal.ok()) {
    std::cerr << "seed receptions: " << cal.status() << "\n";
    return 1;
  }
  Seeder s(token, agency);
  const CivilDay today = localgov::calendar::VietnamDay(absl::Now());
  // Mondays of the 52 weeks before this one.
  const int since_monday = static_cast<int>(absl::GetWeekday(today));
  const CivilDay this_monday = today - since_monday;
  bool crowd_done = false;
  for (CivilDay monday = this_monday - 7 * 52; monday < this_monday; monday += 7) {
    if (Hash(monday, 1) % 12 == 0) continue;  // a missed week
    CivilDay day = monday + 1;
    while (day < monday + 5 && !cal->IsWorkingDay(day).value_or(false)) ++day;
    if (!cal->IsWorkingDay(day).value_or(false)) continue;  // Tết: no working day
    const bool deputy = day < CivilDay(2026, 7, 1) && Hash(monday, 2) % 6 == 0;
    const std::string session = s.Session(day, pv1::RECEPTION_SESSION_KIND_REGULAR, deputy);
    if (session.empty()) {
      if (s.failed()) return 1;
      continue;
    }
    const int visits = static_cast<int>(Hash(monday, 3) % 4);
    for (int i = 0; i < visits; ++i) s.Visit(day, session, i, false);
    if (!crowd_done && monday >= this_monday - 7 * 20) {
      // The crowd case: an extra session two days later (or the same day).
      CivilDay extra = day + 2;
      if (!cal->IsWorkingDay(extra).value_or(false) || extra >= today) extra = day;
      const std::string x = s.Session(extra, pv1::RECEPTION_SESSION_KIND_EXTRA, false);
      if (!x.empty()) s.Visit(extra, x, 9, true);
      crowd_done = true;
    }
    if (s.failed()) return 1;
  }
  s.Voters(this_monday - 7 * 30, this_monday - 7 * 27, 6);
  s.Voters(this_monday - 7 * 8, this_monday - 7 * 6, 6);
  if (s.failed()) return 1;
  s.Summary();
  return 0;
}

}  // namespace localgovctl

// localgovctl seed petitions: the plan of petition i (petition_seed_plan.h) — word lists,
// topics, people, and each petition's fate and steps.
#include "tools/localgovctl/petition_seed_plan.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"

namespace localgovctl::petition_seed {
namespace {

const char* const kFamily[] = {"Nguyễn", "Trần", "Lê",  "Phạm", "Hoàng", "Huỳnh", "Phan",  "Vũ",
                               "Võ",     "Đặng", "Bùi", "Đỗ",   "Hồ",    "Ngô",   "Dương", "Lý"};
const char* const kMiddleMale[] = {"Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Xuân"};
const char* const kMiddleFemale[] = {"Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ", "Bích", "Hồng"};
const char* const kGivenMale[] = {"An",   "Bình", "Cường", "Dũng",  "Hải", "Hùng",  "Khánh",
                                  "Long", "Nam",  "Phúc",  "Quang", "Sơn", "Thành", "Trung",
                                  "Tuấn", "Vinh", "Hiếu",  "Lộc",   "Tài", "Đạt"};
const char* const kGivenFemale[] = {"Hà",    "Hạnh",   "Hoa",  "Hương", "Lan",   "Linh", "Mai",
                                    "Nga",   "Phương", "Tâm",  "Thảo",  "Trang", "Vân",  "Yến",
                                    "Nhung", "Oanh",   "Thủy", "Diệu",  "Loan",  "Hằng"};
const char* const kStreets[] = {
    "Trần Phú",   "Lê Thánh Tôn",       "Yersin",          "Thống Nhất",
    "Hùng Vương", "Nguyễn Thiện Thuật", "Lý Tự Trọng",     "Phước Long",
    "Ngô Gia Tự", "Bạch Đằng",          "Tô Hiến Thành",   "Lê Hồng Phong",
    "Hoàng Diệu", "Võ Thị Sáu",         "Trần Quang Khải", "Nguyễn Trãi"};
const char* const kCadreRoles[] = {
    "công chức địa chính - xây dựng", "công chức tư pháp - hộ tịch", "công chức bộ phận một cửa",
    "công chức văn hóa - xã hội",     "cán bộ quản lý chợ",          "tổ trưởng tổ dân phố"};

struct Topic {
  pv1::PetitionField field;
  const char* topic;    // "về ..." : what the petition is about
  const char* act;      // the act or decision concerned
  const char* problem;  // what is wrong, in the petitioner's words
  const char* request;  // what they ask
};

const Topic kTopics[] = {
    {pv1::PETITION_FIELD_LAND, "việc cấp giấy chứng nhận quyền sử dụng đất thửa số %d",
     "Quyết định từ chối cấp giấy chứng nhận quyền sử dụng đất",
     "gia đình đã sử dụng ổn định từ năm 1994, không có tranh chấp",
     "xem xét cấp giấy chứng nhận cho gia đình"},
    {pv1::PETITION_FIELD_LAND, "việc thu hồi đất mở rộng hẻm %d đường %s",
     "Quyết định thu hồi đất để mở rộng hẻm",
     "mức bồi thường thấp hơn giá thị trường, chưa tính phần công trình trên đất",
     "tính lại tiền bồi thường, hỗ trợ"},
    {pv1::PETITION_FIELD_LAND, "tranh chấp ranh giới thửa đất số %d với hộ liền kề",
     "Biên bản hòa giải tranh chấp ranh giới đất", "hộ liền kề xây tường rào lấn sang khoảng 0,8 m",
     "tổ chức đo đạc lại và hòa giải"},
    {pv1::PETITION_FIELD_SOCIAL_POLICY, "chế độ trợ cấp xã hội hằng tháng của mẹ tôi",
     "Thông báo dừng chi trả trợ cấp xã hội hằng tháng",
     "mẹ tôi 82 tuổi, sống một mình, vẫn đủ điều kiện hưởng", "khôi phục và truy lĩnh trợ cấp"},
    {pv1::PETITION_FIELD_SOCIAL_POLICY, "kết quả bình xét hộ cận nghèo năm 2026 tại tổ dân phố %d",
     "Danh sách hộ cận nghèo được công nhận năm 2026",
     "việc bình xét không công khai, có hộ khá giả vẫn được đưa vào danh sách",
     "rà soát lại danh sách và công khai kết quả"},
    {pv1::PETITION_FIELD_SOCIAL_POLICY, "việc chi hỗ trợ khắc phục thiệt hại sau bão",
     "Danh sách hộ được hỗ trợ sửa chữa nhà ở sau bão",
     "nhà tôi bị tốc mái nhưng không có tên trong danh sách", "bổ sung gia đình vào danh sách"},
    {pv1::PETITION_FIELD_JUSTICE_CIVIL_STATUS, "việc cải chính ngày sinh trong giấy khai sinh",
     "Văn bản từ chối cải chính hộ tịch", "giấy tờ gốc ghi đúng ngày sinh nhưng sổ hộ tịch ghi sai",
     "cho cải chính theo giấy tờ gốc"},
    {pv1::PETITION_FIELD_JUSTICE_CIVIL_STATUS, "việc chứng thực hợp đồng chuyển nhượng nhà ở",
     "Việc từ chối chứng thực hợp đồng", "đã nộp đủ giấy tờ theo hướng dẫn",
     "chứng thực hợp đồng theo quy định"},
    {pv1::PETITION_FIELD_ADMINISTRATIVE_PROCEDURE, "việc trả kết quả hồ sơ trễ hẹn",
     "Việc giải quyết hồ sơ thủ tục hành chính quá hạn",
     "hồ sơ hẹn trả đã quá 10 ngày mà không có văn bản xin lỗi",
     "trả kết quả và giải thích lý do chậm trễ"},
    {pv1::PETITION_FIELD_ADMINISTRATIVE_PROCEDURE, "việc yêu cầu bổ sung hồ sơ nhiều lần",
     "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
     "mỗi lần đến bộ phận một cửa lại được yêu cầu thêm giấy tờ khác",
     "hướng dẫn một lần đầy đủ theo quy định"},
    {pv1::PETITION_FIELD_CONSTRUCTION, "công trình xây dựng không phép tại số %d đường %s",
     "Việc không xử lý công trình xây dựng sai phép",
     "công trình xây vượt tầng, lấn ra hẻm chung, ảnh hưởng nhà liền kề",
     "kiểm tra, xử lý dứt điểm"},
    {pv1::PETITION_FIELD_CONSTRUCTION, "tình trạng lấn chiếm vỉa hè trên đường %s",
     "Việc quản lý trật tự đô thị",
     "các quán ăn bày bàn ghế kín vỉa hè, người đi bộ phải xuống lòng đường",
     "ra quân lập lại trật tự vỉa hè"},
    {pv1::PETITION_FIELD_ENVIRONMENT, "nước thải của cơ sở chế biến hải sản gần tổ dân phố %d",
     "Việc cấp phép và kiểm tra cơ sở chế biến",
     "nước thải chảy ra cống chung bốc mùi hôi nồng nặc", "kiểm tra, buộc cơ sở xử lý nước thải"},
    {pv1::PETITION_FIELD_ENVIRONMENT, "tiếng ồn của quán karaoke trên đường %s sau 22 giờ",
     "Việc quản lý hoạt động kinh doanh karaoke",
     "quán hát đến 1-2 giờ sáng, người già và trẻ nhỏ mất ngủ",
     "kiểm tra, xử lý vi phạm về tiếng ồn"},
    {pv1::PETITION_FIELD_ENVIRONMENT, "rác thải tồn đọng tại hẻm %d đường %s",
     "Việc thu gom rác thải sinh hoạt", "rác không được thu gom nhiều ngày, gây ô nhiễm",
     "bố trí thu gom đúng lịch"},
    {pv1::PETITION_FIELD_CADRE_CONDUCT, "thái độ của công chức tại bộ phận một cửa",
     "Hành vi của công chức khi tiếp nhận hồ sơ", "công chức có lời lẽ thiếu tôn trọng người dân",
     "xem xét, nhắc nhở và xin lỗi người dân"},
    {pv1::PETITION_FIELD_CADRE_CONDUCT, "hành vi gây khó khăn khi giải quyết hồ sơ đất đai",
     "Hành vi của công chức địa chính", "công chức gợi ý phải \"bồi dưỡng\" thì hồ sơ mới nhanh",
     "xác minh, xử lý nghiêm theo quy định"},
    {pv1::PETITION_FIELD_ECONOMY_FINANCE,
     "các khoản vận động đóng góp xây dựng nhà văn hóa tổ dân phố %d",
     "Việc thu các khoản đóng góp tự nguyện",
     "các hộ bị ép đóng theo mức cố định, không công khai chi",
     "công khai thu chi, trả lại khoản thu sai"},
    {pv1::PETITION_FIELD_ECONOMY_FINANCE, "việc quản lý, thu phí tại chợ %s", "Việc thu phí chợ",
     "mức phí thu cao hơn mức niêm yết, không có biên lai",
     "kiểm tra việc thu phí và niêm yết công khai"},
    {pv1::PETITION_FIELD_HEALTH_EDUCATION, "các khoản thu đầu năm học tại trường tiểu học",
     "Việc thu các khoản đầu năm học",
     "nhiều khoản thu ngoài quy định, phụ huynh không được bàn bạc",
     "rà soát, bãi bỏ các khoản thu sai"},
    {pv1::PETITION_FIELD_HEALTH_EDUCATION, "việc khám chữa bệnh bảo hiểm y tế tại trạm y tế phường",
     "Việc khám chữa bệnh bảo hiểm y tế", "người bệnh phải tự mua thuốc dù thuốc có trong danh mục",
     "bảo đảm cấp thuốc theo chế độ bảo hiểm"},
    {pv1::PETITION_FIELD_OTHER, "hệ thống chiếu sáng công cộng tại hẻm %d đường %s",
     "Việc duy tu hệ thống chiếu sáng",
     "đèn đường hỏng nhiều tháng, buổi tối rất tối và mất an toàn", "sửa chữa, thay đèn"},
    {pv1::PETITION_FIELD_OTHER, "tình hình an ninh trật tự tại khu dân cư tổ %d",
     "Việc bảo đảm an ninh trật tự", "thanh niên tụ tập đua xe, gây mất trật tự về đêm",
     "tăng cường tuần tra, xử lý"},
};

const char* const kOfficers[] = {"can-bo-tiep-dan-1", "can-bo-tiep-dan-2", "can-bo-tiep-dan-3"};

// A topic's pattern with its number (%d) and street (%s) filled in.
std::string Fill(const std::string& pattern, Rng& rng) {
  return absl::StrReplaceAll(
      pattern, {{"%d", absl::StrCat(1 + rng.Below(120))}, {"%s", std::string(rng.Pick(kStreets))}});
}

pv1::Person NewPerson(Rng& rng, bool online) {
  const bool female = rng.Chance(50);
  pv1::Person p;
  p.set_full_name(absl::StrCat(rng.Pick(kFamily), " ",
                               female ? rng.Pick(kMiddleFemale) : rng.Pick(kMiddleMale), " ",
                               female ? rng.Pick(kGivenFemale) : rng.Pick(kGivenMale)));
  // 056: Khánh Hòa; then the sex and century digit, the year of birth, six digits.
  p.set_citizen_id(
      absl::StrFormat("056%d%02d%06d", female ? 1 : 0, 45 + rng.Below(55), rng.Below(1000000)));
  p.set_address(absl::StrFormat("số %d đường %s, tổ dân phố %d, phường Nha Trang, tỉnh Khánh Hòa",
                                1 + rng.Below(200), rng.Pick(kStreets), 1 + rng.Below(40)));
  p.set_phone(absl::StrFormat("09%08d", rng.Below(100000000)));
  if (online) p.set_email(absl::StrFormat("nguoidan%04d@example.vn", rng.Below(10000)));
  return p;
}

const char* KindPrefix(pv1::PetitionKind k) {
  switch (k) {
    case pv1::PETITION_KIND_COMPLAINT:
      return "Khiếu nại ";
    case pv1::PETITION_KIND_DENUNCIATION:
      return "Tố cáo ";
    case pv1::PETITION_KIND_RECOMMENDATION:
      return "Kiến nghị ";
    default:
      return "Phản ánh ";
  }
}

}  // namespace

Planned Plan(int i, int n, absl::CivilDay anchor, const std::string& anchor_text) {
  Rng rng(static_cast<uint64_t>(i) + 0x5EED);
  Planned out;
  auto& r = out.request;
  r.set_request_id(absl::StrCat("seed-petitions-", anchor_text, "-", i));
  r.set_agency_code("000.00.31.H41");
  // Oldest first: petition 0 about a year ago, the last one yesterday.
  absl::CivilDay day = anchor - (1 + static_cast<int64_t>(n - 1 - i) * 364 / n);
  const int roll = rng.Below(100);
  const auto kind = roll < 30   ? pv1::PETITION_KIND_COMPLAINT
                    : roll < 42 ? pv1::PETITION_KIND_DENUNCIATION
                    : roll < 70 ? pv1::PETITION_KIND_RECOMMENDATION
                                : pv1::PETITION_KIND_REFLECTION;
  r.set_kind(kind);
  const int ch = rng.Below(100);
  auto channel = ch < 40   ? pv1::PETITION_CHANNEL_RECEPTION
                 : ch < 70 ? pv1::PETITION_CHANNEL_LETTER
                           : pv1::PETITION_CHANNEL_ONLINE;
  if (kind == pv1::PETITION_KIND_RECOMMENDATION && rng.Chance(30)) {
    channel = pv1::PETITION_CHANNEL_VOTER_MEETING;
  }
  r.set_channel(channel);
  // Reception and letters on working days (Saturday and Sunday move to Friday).
  const absl::Weekday weekday = absl::GetWeekday(day);
  if (channel != pv1::PETITION_CHANNEL_ONLINE) {
    if (weekday == absl::Weekday::saturday) day -= 1;
    if (weekday == absl::Weekday::sunday) day -= 2;
  }
  const absl::Time received =
      absl::FromCivil(absl::CivilMinute(day.year(), day.month(), day.day(), 7, 30 + rng.Below(540)),
                      absl::FixedTimeZone(7 * 3600));
  r.mutable_received_time()->set_seconds(absl::ToUnixSeconds(received));

  // A topic that suits the kind: denunciations are about conduct, money, building, pollution.
  const Topic* t = &rng.Pick(kTopics);
  while (kind == pv1::PETITION_KIND_DENUNCIATION && t->field != pv1::PETITION_FIELD_CADRE_CONDUCT &&
         t->field != pv1::PETITION_FIELD_ECONOMY_FINANCE &&
         t->field != pv1::PETITION_FIELD_CONSTRUCTION && t->field != pv1::PETITION_FIELD_LAND) {
    t = &rng.Pick(kTopics);
  }
  r.set_field(t->field);
  const std::string topic = Fill(t->topic, rng);
  out.topic = topic;
  // "Khiếu nại việc …", "Tố cáo hành vi …"; "Kiến nghị về việc …", "Phản ánh về …".
  const bool bare =
      (kind == pv1::PETITION_KIND_COMPLAINT || kind == pv1::PETITION_KIND_DENUNCIATION) &&
      (topic.rfind("việc ", 0) == 0 || topic.rfind("hành vi ", 0) == 0);
  r.set_title(absl::StrCat(KindPrefix(kind), bare ? "" : "về ", topic));

  const bool anonymous = (kind == pv1::PETITION_KIND_DENUNCIATION && rng.Chance(15)) ||
                         (kind == pv1::PETITION_KIND_REFLECTION && rng.Chance(8));
  r.set_anonymous(anonymous);
  if (!anonymous) *r.mutable_petitioner() = NewPerson(rng, channel == pv1::PETITION_CHANNEL_ONLINE);

  const std::string dday = absl::FormatCivilTime(day);
  bool out_of_time = false;
  std::string content;
  switch (kind) {
    case pv1::PETITION_KIND_COMPLAINT: {
      auto* act = r.mutable_act();
      act->set_description(t->act);
      act->set_decision_number(absl::StrCat(100 + i, "/QĐ-UBND"));
      act->set_issuing_agency_code("000.00.31.H41");
      auto* party = r.add_parties();
      party->set_name("Ủy ban nhân dân phường Nha Trang");
      party->set_role("cơ quan ban hành quyết định");
      party->set_agency_code("000.00.31.H41");
      out_of_time = rng.Chance(5);
      const absl::CivilDay learned = day - (out_of_time ? 100 + rng.Below(50) : 3 + rng.Below(55));
      act->set_decision_date(absl::FormatCivilTime(learned - rng.Below(5)));
      if (!out_of_time && rng.Chance(8)) {
        r.set_complaint_round(2);
        r.set_first_decision_date(absl::FormatCivilTime(day - (5 + rng.Below(20))));
        auto* a = r.add_attachments();
        a->set_file_name("quyet-dinh-giai-quyet-lan-dau.pdf");
        a->set_media_type("application/pdf");
        a->set_description("quyết định giải quyết khiếu nại lần đầu");
        a->set_storage_uri(absl::StrCat(kUriPrefix, anchor_text, "/", i, "/lan-dau.pdf"));
      } else {
        r.set_learned_date(absl::FormatCivilTime(learned));
      }
      r.set_remote_area(rng.Chance(5));
      content = absl::StrCat("Ngày ", absl::FormatCivilTime(learned), " tôi nhận được ", t->act,
                             " số ", act->decision_number(), ". Tôi không đồng ý vì ", t->problem,
                             ". Đề nghị Ủy ban nhân dân phường ", t->request, ".");
      break;
    }
    case pv1::PETITION_KIND_DENUNCIATION: {
      auto* party = r.add_parties();
      const bool female = rng.Chance(40);
      party->set_name(absl::StrCat(female ? "Bà " : "Ông ", rng.Pick(kFamily), " ",
                                   female ? rng.Pick(kMiddleFemale) : rng.Pick(kMiddleMale), " ",
                                   female ? rng.Pick(kGivenFemale) : rng.Pick(kGivenMale)));
      party->set_role(rng.Pick(kCadreRoles));
      r.set_several_places(rng.Chance(20));
      content = absl::StrCat("Tôi tố cáo ", party->name(), ", ", party->role(), ", về ", topic,
                             ": ", t->problem, ". Đề nghị cơ quan có thẩm quyền ", t->request,
                             " và giữ bí mật thông tin người tố cáo.");
      break;
    }
    default:
      content = absl::StrCat(channel == pv1::PETITION_CHANNEL_VOTER_MEETING
                                 ? "Tại hội nghị tiếp xúc cử tri, cử tri phản ánh: "
                                 : "Tôi xin trình bày: ",
                             t->problem, " (", topic, "). Đề nghị ", t->request, ".");
  }
  r.set_content(content);
  auto* letter = r.add_attachments();
  letter->set_file_name(absl::StrCat("don-", i, ".pdf"));
  letter->set_media_type("application/pdf");
  letter->set_description(channel == pv1::PETITION_CHANNEL_RECEPTION
                              ? "biên bản ghi nội dung trình bày"
                              : "đơn (bản quét)");
  letter->set_storage_uri(absl::StrCat(kUriPrefix, anchor_text, "/", i, "/don.pdf"));

  // Its fate: the newest few dozen open, a few old ones forgotten (overdue), the rest final.
  const bool complaint = kind == pv1::PETITION_KIND_COMPLAINT;
  const bool denunciation = kind == pv1::PETITION_KIND_DENUNCIATION;
  const bool new_law = dday >= "2026-07-01";  // suspension exists from Law 136/2025
  Fate fate;
  const int f = rng.Below(100);
  if (i >= n - 30 || i % 41 == 7) {
    fate = i < n - 30 || f < 35 ? Fate::kOpenReceived
           : f < 80             ? Fate::kOpenAccepted
                                : Fate::kOpenSuspended;
    if (fate == Fate::kOpenSuspended && !new_law) fate = Fate::kOpenAccepted;
    if (fate == Fate::kOpenAccepted && denunciation && !anonymous && rng.Chance(50)) {
      fate = Fate::kOpenExtended;
    }
    if (anonymous) fate = Fate::kOpenReceived;
  } else if (anonymous) {
    fate = Fate::kNotProcessed;
    out.not_processed = pv1::NOT_PROCESSED_REASON_UNSIGNED_OR_ANONYMOUS;
  } else if (out_of_time) {
    fate = Fate::kNotProcessed;
    out.not_processed = pv1::NOT_PROCESSED_REASON_OUT_OF_TIME;
  } else if (f < 10) {
    fate = complaint || denunciation ? Fate::kGuided : Fate::kNotProcessed;
    out.not_processed = pv1::NOT_PROCESSED_REASON_COPY_TO_COMPETENT_BODY;
  } else if (f < 18) {
    fate = Fate::kNotProcessed;
    out.not_processed = f < 13   ? pv1::NOT_PROCESSED_REASON_DUPLICATE_ANSWERED
                        : f < 16 ? pv1::NOT_PROCESSED_REASON_COPY_TO_COMPETENT_BODY
                                 : pv1::NOT_PROCESSED_REASON_ALREADY_SETTLED;
  } else if (f < 26) {
    fate = Fate::kWithdrawn;
  } else if (f < 28) {
    fate = Fate::kClosed;
  } else {
    fate = Fate::kResolved;
  }
  out.fate = fate;
  out.officer = rng.Pick(kOfficers);
  out.seed = static_cast<int>(rng.Below(1 << 30));
  auto& s = out.steps;
  const bool complex = denunciation && rng.Chance(30);
  switch (fate) {
    case Fate::kOpenReceived:
      if (rng.Chance(50) && !anonymous) s = {Step::kAssign};
      break;
    case Fate::kOpenAccepted:
      s = {Step::kAccept, Step::kAssign};
      if (rng.Chance(50)) s.push_back(Step::kVerify);
      if (complaint && rng.Chance(50)) s.push_back(Step::kDialogue);
      break;
    case Fate::kOpenSuspended:
      s = {Step::kAccept, Step::kAssign, Step::kSuspend};
      break;
    case Fate::kOpenExtended:
      s = {Step::kAcceptComplex, Step::kAssign, Step::kVerify, Step::kExtend};
      break;
    case Fate::kResolved:
      if (complaint) {
        s = {Step::kAccept, Step::kAssign, Step::kVerify, Step::kDialogue, Step::kDecide};
        if (rng.Chance(70)) s.push_back(Step::kPublish);
      } else if (denunciation) {
        s = {complex ? Step::kAcceptComplex : Step::kAccept, Step::kAssign, Step::kVerify};
        if (complex) s.push_back(Step::kExtend);
        s.push_back(Step::kDecide);
        if (rng.Chance(50)) s.push_back(Step::kPublish);
      } else {
        s = {Step::kAccept, Step::kAssign};
        if (rng.Chance(50)) s.push_back(Step::kVerify);
        s.push_back(Step::kDecide);
      }
      break;
    case Fate::kGuided:
      s = {Step::kGuide};
      break;
    case Fate::kNotProcessed:
      s = {Step::kNotProcess};
      break;
    case Fate::kWithdrawn:
      s = rng.Chance(50) ? std::vector<Step>{Step::kAccept, Step::kAssign, Step::kWithdraw}
                         : std::vector<Step>{Step::kWithdraw};
      break;
    case Fate::kClosed:
      s = {Step::kAccept, Step::kCloseJurisdiction};
      break;
  }
  return out;
}

}  // namespace localgovctl::petition_seed

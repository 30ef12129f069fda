#include "services/cadre/demo_data.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/calendar/calendar.h"
#include "services/cadre/demo_merger.h"

namespace localgov::cadre {
namespace {

constexpr const char* kProvince = "000.00.00.H41";
constexpr const char* kHomeAffairs = "000.00.08.H41";
const absl::CivilDay kStart(2016, 1, 1);
const absl::CivilDay kMerger(2025, 7, 1);

const char* const kFamily[] = {"Nguyễn", "Trần", "Lê",  "Phạm", "Hoàng", "Huỳnh", "Phan",  "Vũ",
                               "Võ",     "Đặng", "Bùi", "Đỗ",   "Hồ",    "Ngô",   "Dương", "Lý"};
const char* const kMiddleMale[] = {"Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Xuân"};
const char* const kMiddleFemale[] = {"Thị", "Ngọc", "Thu", "Minh", "Thanh", "Bích", "Kim", "Mỹ"};
const char* const kGivenMale[] = {"An",    "Bình",  "Cường", "Dũng", "Hải",  "Hiếu",  "Hùng",
                                  "Khánh", "Long",  "Minh",  "Nam",  "Phúc", "Quang", "Sơn",
                                  "Thành", "Trung", "Tuấn",  "Việt", "Vinh", "Đạt"};
const char* const kGivenFemale[] = {"Anh", "Chi",  "Dung",  "Hà",   "Hạnh",  "Hoa",  "Hương",
                                    "Lan", "Linh", "Mai",   "Ngọc", "Nhung", "Oanh", "Phương",
                                    "Tâm", "Thảo", "Trang", "Uyên", "Vy",    "Yến"};
const char* const kEthnic[] = {"Tày",  "Thái",    "Mường",   "Khmer", "Hoa",  "Nùng",
                               "Ê Đê", "Gia Rai", "Ra Glai", "Chăm",  "Cơ Ho"};
const char* const kFields[] = {"Luật",          "Kinh tế",        "Quản lý đất đai",
                               "Kế toán",       "Hành chính học", "Công nghệ thông tin",
                               "Xây dựng",      "Văn hóa học",    "Sư phạm",
                               "Y tế công cộng"};
const char* const kDepartments[] = {"Văn phòng UBND tỉnh",
                                    "Sở Tư pháp",
                                    "Sở Tài chính",
                                    "Sở Xây dựng",
                                    "Sở Y tế",
                                    "Sở Giáo dục và Đào tạo",
                                    "Sở Nông nghiệp và Môi trường",
                                    "Sở Công Thương",
                                    "Sở Văn hóa, Thể thao và Du lịch",
                                    "Sở Khoa học và Công nghệ",
                                    "Thanh tra tỉnh"};
const char* const kCommunes[] = {"Phường Nha Trang",
                                 "Xã Diên Khánh",
                                 "Phường Bắc Nha Trang",
                                 "Phường Nam Nha Trang",
                                 "Phường Tây Nha Trang",
                                 "Phường Cam Ranh",
                                 "Phường Ba Ngòi",
                                 "Xã Cam Lâm",
                                 "Xã Cam An",
                                 "Xã Suối Dầu",
                                 "Xã Diên Lạc",
                                 "Xã Diên Điền",
                                 "Xã Diên Lâm",
                                 "Xã Diên Thọ",
                                 "Xã Suối Hiệp",
                                 "Phường Ninh Hòa",
                                 "Phường Đông Ninh Hòa",
                                 "Phường Hòa Thắng",
                                 "Xã Tân Định",
                                 "Xã Vạn Ninh",
                                 "Xã Tu Bông",
                                 "Xã Đại Lãnh",
                                 "Xã Vạn Thắng",
                                 "Xã Vạn Hưng",
                                 "Xã Khánh Vĩnh",
                                 "Xã Khánh Sơn",
                                 "Xã Tô Hạp",
                                 "Đặc khu Trường Sa",
                                 "Phường Phan Rang",
                                 "Phường Đô Vinh",
                                 "Phường Bảo An",
                                 "Phường Đông Hải",
                                 "Xã Ninh Chử",
                                 "Xã Ninh Phước",
                                 "Xã Phước Dinh",
                                 "Xã Phước Hữu",
                                 "Xã Ninh Sơn",
                                 "Xã Lâm Sơn",
                                 "Xã Bác Ái",
                                 "Xã Thuận Bắc",
                                 "Xã Công Hải",
                                 "Xã Ninh Hải",
                                 "Xã Vĩnh Hải",
                                 "Xã Thuận Nam",
                                 "Xã Cà Ná",
                                 "Xã Mỹ Sơn"};
const char* const kOldCommunePrefix[] = {"Xã", "Phường", "Thị trấn"};

// Salary scale of Decree 204/2004 (coefficient ×100 of step 1, increment, steps): A2.1 for
// chuyên viên chính, A1 for chuyên viên, A0 for cán sự, B for nhân viên.
struct Scale {
  v1::Rank rank;
  const char* grade;
  int first, increment, steps;
};
const Scale kChuyenVienChinh{v1::RANK_CHUYEN_VIEN_CHINH, "01.002", 440, 34, 8};
const Scale kChuyenVien{v1::RANK_CHUYEN_VIEN, "01.003", 234, 33, 9};
const Scale kCanSu{v1::RANK_CAN_SU, "01.004", 210, 31, 10};  // A0
const Scale kNhanVien{v1::RANK_NHAN_VIEN, "01.005", 186, 20, 12};

RankLevel LevelOf(v1::Rank r) { return static_cast<RankLevel>(static_cast<int>(r)); }

absl::Time At(absl::CivilDay d) {
  return absl::FromCivil(absl::CivilSecond(d.year(), d.month(), d.day(), 9, 0, 0),
                         calendar::VietnamTime());
}

// One stint in a position.
struct Stint {
  std::string position;
  v1::Movement movement;
  absl::CivilDay from;
  std::optional<absl::CivilDay> until;  // explicit end (term, agency closed, leaving)
};

class Generator final {
 public:
  Generator(const DemoOptions& o, const CadreRuleBook& rules)
      : o_(o), rules_(rules), state_(o.seed * 0x9E3779B97F4A7C15ull + 1) {}

  DemoProvince Run();

 private:
  uint64_t Next() {  // splitmix64: the same numbers on every platform
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  int Uniform(int n) { return static_cast<int>(Next() % static_cast<uint64_t>(n)); }
  bool Chance(int percent) { return Uniform(100) < percent; }
  absl::CivilDay DayBetween(absl::CivilDay a, absl::CivilDay b) {
    if (b <= a) return a;
    return a + Uniform(static_cast<int>(b - a) + 1);
  }
  template <typename T, size_t N>
  const T& Pick(const T (&a)[N]) {
    return a[Uniform(N)];
  }

  void AddAgency(const std::string& code, const std::string& name,
                 std::vector<std::string> supervisors, const std::string& successor = "") {
    v1::Agency a;
    a.set_code(code);
    a.set_name(name);
    for (auto& s : supervisors) a.add_supervisor_codes(s);
    if (!successor.empty()) {
      a.set_successor_code(successor);
      a.set_merged_on(FormatDay(kMerger));
    }
    out_.agencies.push_back(std::move(a));
  }
  std::string AddUnit(const std::string& agency, const std::string& suffix,
                      const std::string& name) {
    v1::Unit u;
    u.set_code(absl::StrCat(agency, "-", suffix));
    u.set_agency_code(agency);
    u.set_name(name);
    out_.units.push_back(u);
    return u.code();
  }
  std::string AddPosition(const std::string& unit, const std::string& suffix,
                          const std::string& name, v1::Rank rank, bool leadership) {
    v1::Position p;
    p.set_code(absl::StrCat(unit, "-", suffix));
    p.set_unit_code(unit);
    p.set_name(name);
    p.set_required_rank(rank);
    p.set_required_professional_level(rank >= v1::RANK_CHUYEN_VIEN
                                          ? v1::PROFESSIONAL_LEVEL_UNIVERSITY
                                          : v1::PROFESSIONAL_LEVEL_INTERMEDIATE);
    p.set_required_political_theory(leadership ? v1::POLITICAL_THEORY_LEVEL_INTERMEDIATE
                                               : v1::POLITICAL_THEORY_LEVEL_UNSPECIFIED);
    p.set_requires_state_management(leadership);
    p.set_leadership(leadership);
    p.set_max_holders(1);
    positions_[p.code()] = out_.positions.size();
    out_.positions.push_back(p);
    return p.code();
  }

  // A new person of `agency` starting on `start`, with identity and qualifications.
  DemoPerson& NewPerson(const std::string& agency, v1::PersonKind kind, absl::CivilDay start,
                        bool leader, const Scale& scale);
  // The person's assignment history from their stints (each ends where the next begins
  // unless it ends explicitly), as the versions a personnel office would have recorded.
  void WriteStints(DemoPerson& p, const std::vector<Stint>& stints);
  // Ranks from `start`: the step raised every 36/24 months (CadreRules) up to the last step.
  void WriteRanks(DemoPerson& p, const Scale& scale, absl::CivilDay start);
  void Versions(DemoPerson& p, std::vector<v1::HistoryRecord> records,
                const std::vector<bool>& explicit_end, const std::vector<int>& corrected);
  // A leadership seat from `from` to `end` (exclusive; nullopt: beyond the generated years):
  // 5-year terms, re-appointment or a new holder.
  void FillSeat(const std::string& agency, const std::string& seat, absl::CivilDay from,
                std::optional<absl::CivilDay> end, const std::vector<std::string>& after_seat,
                v1::PersonKind kind);
  void Staff(const std::string& agency, const std::vector<std::string>& specialist_positions,
             int count, absl::CivilDay from, std::optional<absl::CivilDay> end);
  void Quotas();
  void HoldersAndAgencies();

  const DemoOptions& o_;
  const CadreRuleBook& rules_;
  uint64_t state_;
  DemoProvince out_;
  std::map<std::string, size_t> positions_;
  int64_t next_record_ = 1;
  // Predecessor communes' people, to transfer at the merger: (person index, stint list).
  std::map<size_t, std::vector<Stint>> careers_;
  std::set<std::string> successors_;  // communes formed on 2025-07-01
};

DemoPerson& Generator::NewPerson(const std::string& agency, v1::PersonKind kind,
                                 absl::CivilDay start, bool leader, const Scale& scale) {
  DemoPerson dp;
  v1::Person& p = dp.person;
  p.set_id(static_cast<int64_t>(out_.people.size()) + 1);
  p.set_kind(kind);
  const bool female = Chance(leader ? 30 : 55);
  p.set_gender(female ? v1::GENDER_FEMALE : v1::GENDER_MALE);
  const int age = leader ? 35 + Uniform(20) : 23 + Uniform(30);
  const absl::CivilDay birth(start.year() - age, 1 + Uniform(12), 1 + Uniform(28));
  p.set_birth_date(FormatDay(birth));
  p.set_full_name(absl::StrCat(Pick(kFamily), " ", female ? Pick(kMiddleFemale) : Pick(kMiddleMale),
                               " ", female ? Pick(kGivenFemale) : Pick(kGivenMale)));
  p.set_ethnicity(Chance(88) ? "Kinh" : Pick(kEthnic));
  const int province = Chance(80) ? 56 : (Chance(70) ? 58 : 1);
  const int century_gender = (birth.year() >= 2000 ? 2 : 0) + (female ? 1 : 0);
  p.set_citizen_id(absl::StrFormat("%03d%d%02d%06d", province, century_gender,
                                   static_cast<int>(birth.year() % 100),
                                   static_cast<int>(p.id() * 7 + 100000 + Uniform(7))));
  p.set_agency_code(agency);
  // Qualifications.
  const char* field = Pick(kFields);
  auto add = [&](v1::QualificationCategory c, int level, std::string f, absl::CivilDay d) {
    v1::Qualification q;
    q.set_id(0);
    q.set_category(c);
    q.set_level(level);
    q.set_field(std::move(f));
    q.set_awarded_date(FormatDay(std::min(d, o_.until)));
    dp.qualifications.push_back(std::move(q));
  };
  int prof = v1::PROFESSIONAL_LEVEL_UNIVERSITY;
  if (scale.rank == v1::RANK_CAN_SU)
    prof = Chance(50) ? v1::PROFESSIONAL_LEVEL_COLLEGE : v1::PROFESSIONAL_LEVEL_INTERMEDIATE;
  if (scale.rank == v1::RANK_NHAN_VIEN)
    prof = Chance(70) ? v1::PROFESSIONAL_LEVEL_INTERMEDIATE : v1::PROFESSIONAL_LEVEL_UNTRAINED;
  add(v1::QUALIFICATION_CATEGORY_PROFESSIONAL, prof,
      prof == v1::PROFESSIONAL_LEVEL_UNTRAINED ? "" : field,
      absl::CivilDay(birth.year() + 22, 6, 30));
  if (leader || Chance(70)) {
    const int level = leader ? (Chance(60) ? v1::POLITICAL_THEORY_LEVEL_ADVANCED
                                           : v1::POLITICAL_THEORY_LEVEL_INTERMEDIATE)
                             : (Chance(55) ? v1::POLITICAL_THEORY_LEVEL_INTERMEDIATE
                                           : v1::POLITICAL_THEORY_LEVEL_ELEMENTARY);
    add(v1::QUALIFICATION_CATEGORY_POLITICAL_THEORY, level, "",
        DayBetween(start - 3650, start + 1500));
  }
  if (leader || Chance(50)) {
    add(v1::QUALIFICATION_CATEGORY_STATE_MANAGEMENT, 0,
        leader ? "Bồi dưỡng quản lý nhà nước ngạch chuyên viên chính"
               : "Bồi dưỡng quản lý nhà nước ngạch chuyên viên",
        DayBetween(start, start + 1800));
  }
  if (Chance(40)) {
    add(v1::QUALIFICATION_CATEGORY_TRAINING, 0, "Bồi dưỡng kỹ năng chuyển đổi số",
        DayBetween(absl::CivilDay(2022, 1, 1), o_.until));
  }
  std::sort(dp.qualifications.begin(), dp.qualifications.end(),
            [](const auto& a, const auto& b) { return a.awarded_date() < b.awarded_date(); });
  out_.people.push_back(std::move(dp));
  WriteRanks(out_.people.back(), scale, start);
  return out_.people.back();
}

void Generator::Versions(DemoPerson& p, std::vector<v1::HistoryRecord> records,
                         const std::vector<bool>& explicit_end, const std::vector<int>& corrected) {
  for (size_t i = 0; i < records.size(); ++i) {
    v1::HistoryRecord& r = records[i];
    r.set_record_id(next_record_++);
    r.set_recorded_by("demo-seed");
    r.set_change_kind(v1::CHANGE_KIND_CHANGE);
    const absl::CivilDay from = *ParseDay(r.valid_from());
    absl::Time recorded = At(from);
    const bool fix =
        std::find(corrected.begin(), corrected.end(), static_cast<int>(i)) != corrected.end();
    const bool ended_by_next = !explicit_end[i] && i + 1 < records.size();
    v1::HistoryRecord open = r;
    if (ended_by_next) open.set_valid_until("");
    if (fix) {
      // Recorded with the previous coefficient by mistake, corrected 30 days later.
      v1::HistoryRecord wrong = open;
      wrong.set_coefficient_x100(r.coefficient_x100() - 33);
      const absl::Time fixed_at = recorded + absl::Hours(24 * 30);
      p.history.push_back({wrong, recorded, fixed_at});
      open.set_change_kind(v1::CHANGE_KIND_CORRECTION);
      open.set_reason("Đính chính hệ số lương theo quyết định nâng bậc");
      recorded = fixed_at;
    }
    if (ended_by_next) {
      const absl::Time next_at = At(*ParseDay(records[i + 1].valid_from()));
      p.history.push_back({open, recorded, next_at});
      v1::HistoryRecord ended = open;
      ended.set_valid_until(records[i + 1].valid_from());
      ended.set_change_kind(v1::CHANGE_KIND_ENDED_BY_NEXT);
      p.history.push_back({ended, next_at, std::nullopt});
    } else {
      p.history.push_back({open, recorded, std::nullopt});
    }
  }
}

void Generator::WriteRanks(DemoPerson& p, const Scale& scale, absl::CivilDay start) {
  std::vector<v1::HistoryRecord> records;
  int step = 1 + Uniform(std::min(4, scale.steps));
  absl::CivilDay day = start;
  const CadreRules& law = rules_.InForceOn(start);
  while (day <= o_.until) {
    v1::HistoryRecord r;
    r.set_kind(v1::RECORD_KIND_RANK);
    r.set_rank(scale.rank);
    r.set_grade_code(scale.grade);
    r.set_step(step);
    r.set_coefficient_x100(scale.first + scale.increment * (step - 1));
    r.set_valid_from(FormatDay(day));
    r.set_reason(step == 1 ? "Quyết định tuyển dụng" : "Quyết định nâng bậc lương thường xuyên");
    records.push_back(std::move(r));
    if (step >= scale.steps) break;
    // A year rated "did not complete" now and then extends the period by 6 months.
    const int extension = Chance(5) ? law.extension_months_moderate : 0;
    day = NextRegularRaise(rules_.InForceOn(day), LevelOf(scale.rank), day, extension);
    ++step;
  }
  std::vector<int> corrected;
  if (records.size() >= 3 && Chance(3)) corrected.push_back(1);
  const std::vector<bool> explicit_end(records.size(), false);
  Versions(p, std::move(records), explicit_end, corrected);
}

void Generator::WriteStints(DemoPerson& p, const std::vector<Stint>& stints) {
  std::vector<v1::HistoryRecord> records;
  std::vector<bool> explicit_end;
  for (const auto& s : stints) {
    const v1::Position& pos = out_.positions[positions_.at(s.position)];
    v1::HistoryRecord r;
    r.set_kind(v1::RECORD_KIND_ASSIGNMENT);
    r.set_movement(s.movement);
    r.set_position_code(s.position);
    r.set_position_name(pos.name());
    r.set_unit_code(pos.unit_code());
    r.set_agency_code(pos.unit_code().substr(0, pos.unit_code().find('-')));
    r.set_valid_from(FormatDay(s.from));
    if (s.until.has_value()) r.set_valid_until(FormatDay(*s.until));
    if (s.movement == v1::MOVEMENT_APPOINTMENT || s.movement == v1::MOVEMENT_REAPPOINTMENT) {
      r.set_term_end_date(FormatDay(LeadershipTermEnd(rules_.InForceOn(s.from), s.from)));
      r.set_reason("Quyết định bổ nhiệm");
    } else if (s.movement == v1::MOVEMENT_TRANSFER) {
      r.set_reason("Sắp xếp đơn vị hành chính cấp xã từ 2025-07-01");
    } else {
      r.set_reason("Quyết định phân công công tác");
    }
    records.push_back(std::move(r));
    explicit_end.push_back(s.until.has_value());
  }
  Versions(p, std::move(records), explicit_end, {});
}

void Generator::FillSeat(const std::string& agency, const std::string& seat, absl::CivilDay from,
                         std::optional<absl::CivilDay> end,
                         const std::vector<std::string>& after_seat, v1::PersonKind kind) {
  absl::CivilDay day = from;
  while (day <= o_.until && (!end.has_value() || day < *end)) {
    // A new holder: a specialist of the agency since `from` (or earlier), appointed on `day`.
    std::vector<Stint> career;
    const absl::CivilDay joined = std::min(from, day);
    if (day > joined)
      career.push_back(
          {after_seat[Uniform(after_seat.size())], v1::MOVEMENT_ASSIGNMENT, joined, std::nullopt});
    auto& p = NewPerson(agency, kind, joined, true, Chance(70) ? kChuyenVienChinh : kChuyenVien);
    v1::Movement m = v1::MOVEMENT_APPOINTMENT;
    for (int term = 0; term < 2; ++term) {
      absl::CivilDay term_end = LeadershipTermEnd(rules_.InForceOn(day), day);
      if (end.has_value() && term_end > *end) term_end = *end;
      career.push_back({seat, m, day, term_end});
      day = term_end;
      if (day > o_.until || (end.has_value() && day >= *end) || !Chance(60)) break;
      m = v1::MOVEMENT_REAPPOINTMENT;  // a second term for the same holder
    }
    if (day <= o_.until && (!end.has_value() || day < *end) && Chance(70)) {
      career.push_back(
          {after_seat[Uniform(after_seat.size())], v1::MOVEMENT_ASSIGNMENT, day, std::nullopt});
    }
    if (end.has_value()) {
      careers_[static_cast<size_t>(p.person.id() - 1)] = career;
    } else {
      WriteStints(p, career);
    }
  }
}

void Generator::Staff(const std::string& agency, const std::vector<std::string>& positions,
                      int count, absl::CivilDay from, std::optional<absl::CivilDay> end) {
  for (int i = 0; i < count; ++i) {
    const int r = Uniform(100);
    const Scale& scale = r < 78 ? kChuyenVien : (r < 93 ? kCanSu : kNhanVien);
    v1::PersonKind kind = v1::PERSON_KIND_CIVIL_SERVANT;
    if (!end.has_value() && Chance(10)) kind = v1::PERSON_KIND_PUBLIC_EMPLOYEE;
    if (scale.rank == v1::RANK_NHAN_VIEN && Chance(50)) kind = v1::PERSON_KIND_CONTRACTED;
    const absl::CivilDay last = end.has_value() ? *end - 400 : o_.until - 30;
    const absl::CivilDay joined = Chance(70) ? from : DayBetween(from, last);
    std::vector<Stint> career = {
        {positions[Uniform(positions.size())], v1::MOVEMENT_ASSIGNMENT, joined, std::nullopt}};
    absl::CivilDay day = joined;
    for (int move = Uniform(3); move > 0; --move) {
      const absl::CivilDay next_day = day + 365 + Uniform(900);
      if (next_day > last) break;
      day = next_day;
      const auto& next = positions[Uniform(positions.size())];
      if (next == career.back().position) continue;
      career.push_back(
          {next, Chance(15) ? v1::MOVEMENT_ROTATION : v1::MOVEMENT_ASSIGNMENT, day, std::nullopt});
      if (career.back().movement == v1::MOVEMENT_ROTATION) {
        // A rotation runs its 36 months (CadreRules), then the person is assigned again.
        const absl::CivilDay back = AddMonths(day, rules_.InForceOn(day).rotation_min_months);
        career.back().until = back;
        if (back > last) {
          career.back().movement = v1::MOVEMENT_ASSIGNMENT;
          career.back().until.reset();
          break;
        }
        day = back;
        career.push_back(
            {positions[Uniform(positions.size())], v1::MOVEMENT_ASSIGNMENT, day, std::nullopt});
      }
    }
    // A few leave the service (retirement, resignation).
    if (!end.has_value() && Chance(5)) {
      const absl::CivilDay leave = DayBetween(day + 1, o_.until);
      if (!career.back().until.has_value()) career.back().until = leave;
    }
    auto& p = NewPerson(agency, kind, joined, false, scale);
    if (end.has_value()) {
      careers_[static_cast<size_t>(p.person.id() - 1)] = career;
    } else {
      WriteStints(p, career);
    }
  }
}

DemoProvince Generator::Run() {
  AddAgency(kProvince, "Ủy ban nhân dân tỉnh Khánh Hòa", {});
  AddAgency(kHomeAffairs, "Sở Nội vụ tỉnh Khánh Hòa", {kProvince});
  std::vector<std::pair<std::string, std::string>> departments = {
      {kHomeAffairs, "Sở Nội vụ tỉnh Khánh Hòa"}};
  for (size_t i = 0; i < std::size(kDepartments); ++i) {
    const std::string code = absl::StrFormat("000.00.%02d.H41", 80 + static_cast<int>(i));
    AddAgency(code, absl::StrCat(kDepartments[i], " tỉnh Khánh Hòa"), {kProvince, kHomeAffairs});
    departments.emplace_back(code, kDepartments[i]);
  }
  // Departments: four units each, a director and two deputies, heads and deputies of units.
  for (const auto& [code, name] : departments) {
    const std::string vp = AddUnit(code, "VP", "Văn phòng");
    std::vector<std::string> specialists = {
        AddPosition(vp, "CV", "Chuyên viên tổng hợp", v1::RANK_CHUYEN_VIEN, false),
        AddPosition(vp, "KT", "Kế toán", v1::RANK_CAN_SU, false),
        AddPosition(vp, "NV", "Nhân viên văn thư", v1::RANK_NHAN_VIEN, false)};
    std::vector<std::pair<std::string, std::string>> seats = {
        {AddPosition(vp, "GD", "Giám đốc", v1::RANK_CHUYEN_VIEN_CHINH, true), ""},
        {AddPosition(vp, "PGD1", "Phó Giám đốc", v1::RANK_CHUYEN_VIEN_CHINH, true), ""},
        {AddPosition(vp, "PGD2", "Phó Giám đốc", v1::RANK_CHUYEN_VIEN_CHINH, true), ""}};
    for (const char* u : {"TCCB", "NV1", "NV2"}) {
      const std::string unit = AddUnit(
          code, u,
          std::string(u) == "TCCB" ? "Phòng Tổ chức cán bộ"
                                   : absl::StrCat("Phòng Nghiệp vụ ", std::string(u).substr(2)));
      specialists.push_back(AddPosition(unit, "CV", "Chuyên viên", v1::RANK_CHUYEN_VIEN, false));
      seats.push_back(
          {AddPosition(unit, "TP", "Trưởng phòng", v1::RANK_CHUYEN_VIEN_CHINH, true), ""});
      seats.push_back(
          {AddPosition(unit, "PTP", "Phó Trưởng phòng", v1::RANK_CHUYEN_VIEN, true), ""});
    }
    for (const auto& [seat, unused] : seats) {
      FillSeat(code, seat, kStart + Uniform(200), std::nullopt, specialists,
               v1::PERSON_KIND_CIVIL_SERVANT);
    }
    Staff(code, specialists, o_.department_staff - static_cast<int>(seats.size()), kStart,
          std::nullopt);
  }
  // Communes: each current one the successor of two merged into it on 2025-07-01.
  for (size_t i = 0; i < std::size(kCommunes); ++i) {
    const std::string code = absl::StrFormat("000.00.%02d.H41", 31 + static_cast<int>(i));
    AddAgency(code, absl::StrCat("Ủy ban nhân dân ", kCommunes[i]), {kProvince, kHomeAffairs});
    successors_.insert(code);
    const std::string vp = AddUnit(code, "VP", "Văn phòng HĐND và UBND");
    const std::string kt = AddUnit(code, "KT", "Phòng Kinh tế, Hạ tầng và Đô thị");
    const std::string vh = AddUnit(code, "VHXH", "Phòng Văn hóa - Xã hội");
    const std::string ct = AddPosition(vp, "CT", "Chủ tịch UBND", v1::RANK_CHUYEN_VIEN_CHINH, true);
    const std::string pct1 =
        AddPosition(vp, "PCT1", "Phó Chủ tịch UBND", v1::RANK_CHUYEN_VIEN, true);
    // Left vacant in the first commune: the demo appoints someone to it.
    const std::string pct2 =
        AddPosition(vp, "PCT2", "Phó Chủ tịch UBND", v1::RANK_CHUYEN_VIEN, true);
    const std::string tp_kt = AddPosition(kt, "TP", "Trưởng phòng", v1::RANK_CHUYEN_VIEN, true);
    const std::string tp_vh = AddPosition(vh, "TP", "Trưởng phòng", v1::RANK_CHUYEN_VIEN, true);
    const std::vector<std::string> after = {
        AddPosition(vp, "CV", "Chuyên viên Văn phòng - Tổng hợp", v1::RANK_CHUYEN_VIEN, false),
        AddPosition(vp, "TPHT", "Chuyên viên Tư pháp - Hộ tịch", v1::RANK_CHUYEN_VIEN, false),
        AddPosition(kt, "CV", "Chuyên viên Kinh tế - Hạ tầng", v1::RANK_CHUYEN_VIEN, false),
        AddPosition(kt, "DC", "Chuyên viên Địa chính - Môi trường", v1::RANK_CHUYEN_VIEN, false),
        AddPosition(vh, "CV", "Chuyên viên Văn hóa - Xã hội", v1::RANK_CHUYEN_VIEN, false)};
    // The two predecessors: one unit each, a chairman, a vice-chairman and civil servants.
    std::vector<std::string> old_ct, old_pct;
    std::vector<size_t> old_people;
    for (int k = 0; k < 2; ++k) {
      std::string old;
      if (i < 2 && k == 0) {
        old = i == 0 ? "000.00.21.H41" : "000.00.22.H41";
      } else {
        old = absl::StrFormat("000.%02d.%02d.H41", k + 1, 31 + static_cast<int>(i));
      }
      const std::string old_name =
          i == 0 && k == 0 ? "Phường Lộc Thọ"
          : i == 1 && k == 0
              ? "Thị trấn Diên Khánh"
              : absl::StrCat(
                    kOldCommunePrefix[Uniform(3)], " ",
                    std::string(kCommunes[i]).substr(std::string(kCommunes[i]).find(' ') + 1),
                    k == 0 ? " Bắc" : " Nam");
      AddAgency(old, absl::StrCat("Ủy ban nhân dân ", old_name), {kProvince, kHomeAffairs}, code);
      const std::string ub = AddUnit(old, "UB", "Ủy ban nhân dân");
      const std::vector<std::string> cc = {
          AddPosition(ub, "VPTK", "Công chức Văn phòng - Thống kê", v1::RANK_CHUYEN_VIEN, false),
          AddPosition(ub, "TPHT", "Công chức Tư pháp - Hộ tịch", v1::RANK_CHUYEN_VIEN, false),
          AddPosition(ub, "DCXD", "Công chức Địa chính - Xây dựng", v1::RANK_CHUYEN_VIEN, false),
          AddPosition(ub, "TCKT", "Công chức Tài chính - Kế toán", v1::RANK_CHUYEN_VIEN, false),
          AddPosition(ub, "VHXH", "Công chức Văn hóa - Xã hội", v1::RANK_CHUYEN_VIEN, false)};
      const size_t first = out_.people.size();
      const std::string old_ct_seat =
          AddPosition(ub, "CT", "Chủ tịch UBND", v1::RANK_CHUYEN_VIEN, true);
      const std::string old_pct_seat =
          AddPosition(ub, "PCT", "Phó Chủ tịch UBND", v1::RANK_CHUYEN_VIEN, true);
      FillSeat(old, old_ct_seat, kStart + Uniform(200), kMerger, cc, v1::PERSON_KIND_CADRE);
      const size_t after_ct = out_.people.size();
      FillSeat(old, old_pct_seat, kStart + Uniform(200), kMerger, cc, v1::PERSON_KIND_CADRE);
      const size_t after_pct = out_.people.size();
      Staff(old, cc, o_.commune_staff - 2, kStart, kMerger);
      // Who holds the seats on the eve of the merger.
      auto holder = [&](size_t from, size_t to, const std::string& seat) -> std::optional<size_t> {
        for (size_t j = from; j < to; ++j) {
          for (const auto& s : careers_[j]) {
            if (s.position == seat && s.from < kMerger && (!s.until || *s.until >= kMerger)) {
              return j;
            }
          }
        }
        return std::nullopt;
      };
      if (auto h = holder(first, after_ct, old_ct_seat)) old_ct.push_back(std::to_string(*h));
      if (auto h = holder(after_ct, after_pct, old_pct_seat)) old_pct.push_back(std::to_string(*h));
      for (size_t j = first; j < out_.people.size(); ++j) old_people.push_back(j);
    }
    // The merger: everyone still in service is transferred to the successor on 2025-07-01;
    // the old chairmen and vice-chairmen are appointed to its leadership seats.
    std::map<size_t, std::string> seat_of;
    if (old_ct.size() > 0) seat_of[std::stoul(old_ct[0])] = ct;
    if (old_ct.size() > 1) seat_of[std::stoul(old_ct[1])] = pct1;
    if (old_pct.size() > 0) seat_of[std::stoul(old_pct[0])] = i == 0 ? tp_kt : pct2;
    if (old_pct.size() > 1) seat_of[std::stoul(old_pct[1])] = i == 0 ? tp_vh : tp_kt;
    bool vh_head = i == 0 || old_pct.size() > 1;
    for (size_t j : old_people) {
      auto& career = careers_[j];
      DemoPerson& p = out_.people[j];
      const bool in_service =
          !career.empty() && (!career.back().until.has_value() || *career.back().until >= kMerger);
      if (in_service && !(career.back().until.has_value() && *career.back().until > kMerger)) {
        career.back().until = kMerger;
        auto it = seat_of.find(j);
        if (it != seat_of.end()) {
          career.push_back({it->second, v1::MOVEMENT_APPOINTMENT, kMerger,
                            LeadershipTermEnd(rules_.InForceOn(kMerger), kMerger)});
        } else if (!vh_head) {
          career.push_back({tp_vh, v1::MOVEMENT_APPOINTMENT, kMerger,
                            LeadershipTermEnd(rules_.InForceOn(kMerger), kMerger)});
          vh_head = true;
        } else {
          career.push_back(
              {after[Uniform(after.size())], v1::MOVEMENT_TRANSFER, kMerger, std::nullopt});
        }
        p.person.set_agency_code(code);
      }
      WriteStints(p, career);
    }
  }
  HoldersAndAgencies();
  Quotas();
  // The seeds' 90.2 %: of the people holding a commune position on the last day, the nearest
  // count to 90.2 % meets its standards (ShapeCommuneStandards): with the default options
  // 1,543 of 1,711 (90.18 %, 902 ‰), as GetStandardsReport over the 46 communes as of
  // 2026-11-30 sums them (tests/integration/cadre_demo_test.cc, tests/e2e/stack_e2e.sh).
  ShapeCommuneStandards(out_, successors_, o_.until, 902);
  for (auto& p : out_.people) p.person.set_version(1 + static_cast<int64_t>(p.history.size()));
  return std::move(out_);
}

// Specialist positions hold as many as were ever on them at once (plus one free seat);
// leadership seats hold one.
void Generator::HoldersAndAgencies() {
  std::map<std::string, std::vector<std::pair<absl::CivilDay, int>>> events;
  for (const auto& p : out_.people) {
    for (const auto& v : p.history) {
      if (v.recorded_until.has_value() || v.record.kind() != v1::RECORD_KIND_ASSIGNMENT) continue;
      auto& e = events[v.record.position_code()];
      e.emplace_back(*ParseDay(v.record.valid_from()), 1);
      if (!v.record.valid_until().empty()) e.emplace_back(*ParseDay(v.record.valid_until()), -1);
    }
  }
  for (auto& pos : out_.positions) {
    if (pos.leadership()) continue;
    auto& e = events[pos.code()];
    std::sort(e.begin(), e.end());  // ends (-1) before starts (+1) on one day
    int now = 0, peak = 0;
    for (const auto& [day, delta] : e) peak = std::max(peak, now += delta);
    pos.set_max_holders(std::max(1, peak + 1));
  }
}

// A quota for every unit and year it exists: the people on its positions on 1 July, give or
// take one.
void Generator::Quotas() {
  std::map<std::pair<std::string, int>, int> heads;
  for (const auto& p : out_.people) {
    if (p.person.kind() == v1::PERSON_KIND_CONTRACTED) continue;
    for (const auto& v : p.history) {
      if (v.recorded_until.has_value() || v.record.kind() != v1::RECORD_KIND_ASSIGNMENT) continue;
      const auto from = *ParseDay(v.record.valid_from());
      const auto until = ParseDay(v.record.valid_until());
      for (int y = kStart.year(); y <= o_.until.year(); ++y) {
        const absl::CivilDay mid(y, 7, 1);
        if (from <= mid && (!until.has_value() || *until > mid)) ++heads[{v.record.unit_code(), y}];
      }
    }
  }
  for (const auto& u : out_.units) {
    const bool old = u.code().ends_with("-UB");
    const bool successor = successors_.contains(u.agency_code());
    for (int y = kStart.year(); y <= o_.until.year(); ++y) {
      if (old && y > 2025) continue;
      if (successor && y < 2025) continue;
      v1::Quota q;
      q.set_unit_code(u.code());
      q.set_year(y);
      q.set_quota(std::max(0, heads[{u.code(), y}] + Uniform(3) - 1));
      q.set_version(1);
      out_.quotas.push_back(std::move(q));
    }
  }
}

}  // namespace

int64_t DemoProvince::history_versions() const {
  int64_t n = 0;
  for (const auto& p : people) n += static_cast<int64_t>(p.history.size());
  return n;
}

DemoProvince GenerateDemoProvince(const DemoOptions& options, const CadreRuleBook& rules) {
  DemoProvince demo = Generator(options, rules).Run();
  AddDemoMerger(demo, options.until + 1);  // applied by load-demo (demo_merger.h)
  return demo;
}

}  // namespace localgov::cadre

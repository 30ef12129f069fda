// The demo province's procedure catalogue. Names, limits and routes follow the legal texts
// cited in each legal_basis; codes are the demo catalogue's own (replace them with the
// national database's codes when importing a real province), fees are typical provincial
// levels. The route agencies are the demo directory's (localgovctl seed demo).
#include "services/dossier/catalogue.h"

namespace localgov::dossier {
namespace {

constexpr const char* kCommune = "";  // the receiving commune People's Committee
constexpr const char* kPolice = "000.00.10.G01";
constexpr const char* kSocialInsurance = "000.00.11.G02";
constexpr const char* kProvinceCentre = "000.00.01.H41";

struct Doc {
  const char* code;
  const char* name;
  bool mandatory;
};
struct Step {
  int order;
  const char* agency;
  const char* name;
  v1::LimitUnit unit;
  int amount;
  bool lead;
};

v1::Procedure Make(const char* code, const char* name, const char* field, v1::ProcedureLevel level,
                   std::initializer_list<v1::Channel> channels, v1::LimitUnit unit, int amount,
                   int amount_with_verification, std::initializer_list<Doc> docs,
                   std::initializer_list<std::pair<const char*, int64_t>> fees,
                   std::initializer_list<Step> steps, const char* legal_basis) {
  v1::Procedure p;
  p.set_code(code);
  p.set_version(1);
  p.set_name(name);
  p.set_field(field);
  p.set_level(level);
  for (auto c : channels) p.add_channels(c);
  p.mutable_limit()->set_unit(unit);
  p.mutable_limit()->set_amount(amount);
  if (amount_with_verification > 0) {
    p.mutable_limit_with_verification()->set_unit(unit);
    p.mutable_limit_with_verification()->set_amount(amount_with_verification);
  }
  for (const auto& d : docs) {
    auto* doc = p.add_required_documents();
    doc->set_code(d.code);
    doc->set_name(d.name);
    doc->set_mandatory(d.mandatory);
  }
  for (const auto& [fee, vnd] : fees) {
    auto* f = p.add_fees();
    f->set_name(fee);
    f->set_amount_vnd(vnd);
  }
  for (const auto& s : steps) {
    auto* step = p.add_steps();
    step->set_order(s.order);
    step->set_agency_code(s.agency);
    step->set_name(s.name);
    step->mutable_share()->set_unit(s.unit);
    step->mutable_share()->set_amount(s.amount);
    step->set_lead(s.lead);
  }
  p.set_legal_basis(legal_basis);
  p.set_effective_from("2025-07-01");
  return p;
}

constexpr auto kWd = v1::LIMIT_UNIT_WORKING_DAYS;
constexpr auto kDays = v1::LIMIT_UNIT_CALENDAR_DAYS;
constexpr auto kSpot = v1::LIMIT_UNIT_ON_THE_SPOT;
constexpr auto kCommuneLevel = v1::PROCEDURE_LEVEL_COMMUNE;
constexpr auto kProvinceLevel = v1::PROCEDURE_LEVEL_PROVINCE;
constexpr auto kCounter = v1::CHANNEL_COUNTER;
constexpr auto kPost = v1::CHANNEL_POST;
constexpr auto kOnline = v1::CHANNEL_ONLINE;

// Decree 63/2024/ND-CP (liên thông birth registration, permanent residence and health-insurance
// card): a receiving system acknowledges a handed-off dossier within 2 working hours.
constexpr int kDecree63AcknowledgeWorkingHours = 2;

// `p` with a limit on acknowledging its handoffs, in working hours.
v1::Procedure AcknowledgedWithin(v1::Procedure p, int working_hours) {
  p.mutable_handoff_acknowledgement()->set_unit(v1::LIMIT_UNIT_WORKING_HOURS);
  p.mutable_handoff_acknowledgement()->set_amount(working_hours);
  return p;
}

}  // namespace

std::vector<v1::Procedure> SeedProcedures() {
  return {
      Make("HT-01", "Đăng ký khai sinh", "Hộ tịch", kCommuneLevel, {kCounter, kPost, kOnline},
           kSpot, 0, 0,
           {{"to-khai", "Tờ khai đăng ký khai sinh", true},
            {"giay-chung-sinh", "Giấy chứng sinh hoặc văn bản xác nhận việc sinh", true}},
           {{"Lệ phí đăng ký khai sinh đúng hạn", 0}},
           {{1, kCommune, "Công chức tư pháp - hộ tịch đăng ký, Chủ tịch UBND xã ký", kSpot, 0,
             true}},
           "Luật Hộ tịch 2014 Điều 16; Nghị định 123/2015/NĐ-CP"),
      Make(
          "HT-02", "Đăng ký kết hôn", "Hộ tịch", kCommuneLevel, {kCounter, kOnline}, kSpot, 0, 5,
          {{"to-khai", "Tờ khai đăng ký kết hôn", true},
           {"xac-nhan-hon-nhan", "Giấy xác nhận tình trạng hôn nhân (nếu cư trú nơi khác)", false}},
          {{"Lệ phí đăng ký kết hôn", 0}},
          {{1, kCommune, "Công chức tư pháp - hộ tịch thẩm tra, Chủ tịch UBND xã ký", kSpot, 0,
            true}},
          "Luật Hộ tịch 2014 Điều 18 (xác minh: không quá 05 ngày làm việc)"),
      Make("HT-03", "Đăng ký khai tử", "Hộ tịch", kCommuneLevel, {kCounter, kPost, kOnline}, kSpot,
           0, 3,
           {{"to-khai", "Tờ khai đăng ký khai tử", true},
            {"giay-bao-tu", "Giấy báo tử hoặc giấy tờ thay giấy báo tử", true}},
           {{"Lệ phí đăng ký khai tử", 0}}, {{1, kCommune, "Đăng ký khai tử", kSpot, 0, true}},
           "Luật Hộ tịch 2014 Điều 34"),
      Make("HT-04", "Cấp bản sao trích lục hộ tịch", "Hộ tịch", kCommuneLevel,
           {kCounter, kPost, kOnline}, kSpot, 0, 0,
           {{"to-khai", "Tờ khai cấp bản sao trích lục hộ tịch", true}},
           {{"Phí cấp bản sao trích lục (mỗi bản)", 8000}},
           {{1, kCommune, "Cấp bản sao trích lục", kSpot, 0, true}},
           "Nghị định 123/2015/NĐ-CP Điều 64; Thông tư 281/2016/TT-BTC"),
      Make("HT-05", "Cấp Giấy xác nhận tình trạng hôn nhân", "Hộ tịch", kCommuneLevel,
           {kCounter, kOnline}, kWd, 3, 23,
           {{"to-khai", "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", true}}, {{"Lệ phí", 0}},
           {{1, kCommune, "Xác minh và cấp giấy xác nhận", kWd, 3, true}},
           "Nghị định 123/2015/NĐ-CP Điều 22"),
      Make("CT-01", "Chứng thực bản sao từ bản chính", "Chứng thực", kCommuneLevel, {kCounter},
           kSpot, 0, 0, {{"ban-chinh", "Bản chính giấy tờ và bản sao cần chứng thực", true}},
           {{"Phí chứng thực (mỗi trang)", 2000}},
           {{1, kCommune, "Đối chiếu và chứng thực", kSpot, 0, true}},
           "Nghị định 23/2015/NĐ-CP Điều 20 (trong ngày; tiếp nhận sau 15 giờ thì ngày làm việc "
           "tiếp theo)"),
      Make("CT-02", "Chứng thực chữ ký trong giấy tờ, văn bản", "Chứng thực", kCommuneLevel,
           {kCounter}, kSpot, 0, 0, {{"giay-to", "Giấy tờ, văn bản cần chứng thực chữ ký", true}},
           {{"Phí chứng thực chữ ký", 10000}}, {{1, kCommune, "Chứng thực chữ ký", kSpot, 0, true}},
           "Nghị định 23/2015/NĐ-CP Điều 24"),
      AcknowledgedWithin(
          Make(
              "LT-01",
              "Liên thông thủ tục đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho "
              "trẻ em dưới 6 tuổi",
              "Hộ tịch", kCommuneLevel, {kOnline, kCounter}, kWd, 3, 5,
              {{"to-khai-lien-thong", "Tờ khai điện tử liên thông", true},
               {"giay-chung-sinh", "Giấy chứng sinh (bản điện tử hoặc bản chụp)", true}},
              {{"Lệ phí", 0}},
              {{1, kCommune, "UBND xã: đăng ký khai sinh", kWd, 1, true},
               {2, kPolice, "Công an: đăng ký thường trú", kWd, 2, false},
               {2, kSocialInsurance, "Bảo hiểm xã hội: cấp thẻ bảo hiểm y tế", kWd, 2, false}},
              "Nghị định 63/2024/NĐ-CP (03 ngày làm việc; 05 ngày nếu phải xác minh)"),
          kDecree63AcknowledgeWorkingHours),
      Make("HKD-01", "Đăng ký thành lập hộ kinh doanh", "Thành lập và hoạt động của hộ kinh doanh",
           kCommuneLevel, {kCounter, kPost, kOnline}, kWd, 3, 0,
           {{"giay-de-nghi", "Giấy đề nghị đăng ký hộ kinh doanh", true},
            {"bien-ban-hop", "Biên bản họp thành viên hộ gia đình (nếu hộ gia đình đăng ký)",
             false}},
           {{"Lệ phí đăng ký hộ kinh doanh", 100000}},
           {{1, kCommune, "Thẩm định và cấp Giấy chứng nhận đăng ký hộ kinh doanh", kWd, 3, true}},
           "Nghị định 01/2021/NĐ-CP Điều 87"),
      Make("CT-03", "Đăng ký thường trú", "Đăng ký, quản lý cư trú", kCommuneLevel,
           {kCounter, kOnline}, kWd, 7, 0,
           {{"to-khai", "Tờ khai thay đổi thông tin cư trú", true},
            {"cho-o-hop-phap", "Giấy tờ chứng minh chỗ ở hợp pháp", true}},
           {{"Lệ phí đăng ký cư trú", 20000}},
           {{1, kPolice, "Công an xã thẩm định, cập nhật Cơ sở dữ liệu về cư trú", kWd, 7, true}},
           "Luật Cư trú 2020 Điều 22"),
      Make("DD-01",
           "Đăng ký đất đai, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền "
           "với đất lần đầu",
           "Đất đai", kCommuneLevel, {kCounter, kPost, kOnline}, kWd, 20, 30,
           {{"don-dang-ky", "Đơn đăng ký đất đai, tài sản gắn liền với đất", true},
            {"giay-to-nguon-goc", "Giấy tờ về quyền sử dụng đất (nếu có)", false},
            {"so-do", "Mảnh trích đo bản đồ địa chính (nếu có)", false}},
           {{"Lệ phí cấp Giấy chứng nhận", 100000}},
           {{1, kCommune, "UBND xã: xác nhận hiện trạng, niêm yết công khai", kWd, 5, true},
            {2, kProvinceCentre, "Chi nhánh Văn phòng đăng ký đất đai: kiểm tra hồ sơ, cập nhật",
             kWd, 12, false},
            {3, kCommune, "UBND xã: ký cấp Giấy chứng nhận, trả kết quả", kWd, 3, false}},
           "Luật Đất đai 2024; Nghị định 101/2024/NĐ-CP Điều 22 (vùng khó khăn: thêm 10 ngày)"),
      Make("DD-02", "Đăng ký biến động quyền sử dụng đất do chuyển nhượng", "Đất đai",
           kProvinceLevel, {kCounter, kPost, kOnline}, kWd, 10, 0,
           {{"don-dang-ky-bien-dong", "Đơn đăng ký biến động đất đai", true},
            {"hop-dong", "Hợp đồng chuyển nhượng đã công chứng hoặc chứng thực", true},
            {"giay-chung-nhan", "Giấy chứng nhận đã cấp (bản gốc)", true}},
           {{"Lệ phí đăng ký biến động", 50000}},
           {{1, kProvinceCentre, "Văn phòng đăng ký đất đai: đăng ký biến động", kWd, 10, true}},
           "Nghị định 101/2024/NĐ-CP Điều 22"),
      Make("XD-01", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "Xây dựng", kCommuneLevel,
           {kCounter, kOnline}, kDays, 15, 0,
           {{"don-de-nghi", "Đơn đề nghị cấp giấy phép xây dựng", true},
            {"giay-to-dat", "Giấy tờ hợp pháp về đất đai", true},
            {"ban-ve", "Bản vẽ thiết kế xây dựng", true}},
           {{"Lệ phí cấp giấy phép xây dựng", 75000}},
           {{1, kCommune, "Thẩm định, kiểm tra thực địa, cấp giấy phép", kDays, 15, true}},
           "Luật Xây dựng 2014 (sửa đổi 2020) Điều 102: 15 ngày"),
      Make("LLTP-01", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", "Lý lịch tư pháp",
           kProvinceLevel, {kCounter, kPost, kOnline}, kWd, 10, 15,
           {{"to-khai", "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", true}},
           {{"Phí cung cấp thông tin lý lịch tư pháp", 200000}},
           {{1, kProvinceCentre, "Tra cứu, xác minh và cấp Phiếu", kWd, 10, true}},
           "Luật Lý lịch tư pháp 2009 Điều 48"),
  };
}

}  // namespace localgov::dossier

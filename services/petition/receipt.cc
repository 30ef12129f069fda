#include "services/petition/receipt.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"

namespace localgov::petition {
namespace {

absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(google::protobuf::util::TimeUtil::TimestampToMicroseconds(t));
}

std::string KindName(v1::PetitionKind kind) {
  switch (kind) {
    case v1::PETITION_KIND_COMPLAINT:
      return "Đơn khiếu nại";
    case v1::PETITION_KIND_DENUNCIATION:
      return "Đơn tố cáo";
    case v1::PETITION_KIND_RECOMMENDATION:
      return "Đơn kiến nghị";
    case v1::PETITION_KIND_REFLECTION:
      return "Đơn phản ánh";
    default:
      return "Đơn";
  }
}

}  // namespace

print::Paper PetitionReceiptContent(const v1::Petition& p, const ReceiptContext& c) {
  const std::string agency = c.agency_name.empty() ? p.agency_code() : c.agency_name;
  print::Paper paper;
  paper.issuer_parent = "BỘ PHẬN TIẾP CÔNG DÂN";
  paper.issuer = agency;
  const auto received = absl::ToCivilDay(FromProto(p.received_time()),
                                         absl::FixedTimeZone(7 * 3600));  // Vietnam: UTC+7
  paper.place_date = absl::StrCat("N", print::LongDate(received).substr(1));
  paper.Heading("Giấy biên nhận đơn");
  paper.Centered(absl::StrCat("Mã đơn: ", p.code()));
  paper.Space();
  paper.Text(absl::StrCat(agency, " đã tiếp nhận:"));
  paper.Field("Loại đơn", KindName(p.kind()));
  // The denouncer is never printed: not even when a caller could read a name.
  if (p.kind() == v1::PETITION_KIND_DENUNCIATION || p.identity_sealed()) {
    paper.Field("Người tố cáo", "được giữ bí mật theo quy định của Luật Tố cáo");
  } else if (p.anonymous() || p.petitioner().full_name().empty()) {
    paper.Field("Người gửi đơn", "đơn không ký tên");
  } else {
    paper.Field("Người gửi đơn", p.petitioner().full_name());
  }
  paper.Field("Tiêu đề", p.title());
  paper.Field("Thời gian tiếp nhận", print::FormatDateTime(FromProto(p.received_time())));
  paper.Text("Tài liệu kèm theo:");
  for (const auto& a : p.attachments()) {
    paper.Bullet(a.description().empty() ? a.file_name()
                                         : absl::StrCat(a.description(), " (", a.file_name(), ")"));
  }
  if (p.attachments().empty()) paper.Bullet("(không có)");
  for (const auto& d : p.deadlines()) {
    if (d.kind() == v1::DEADLINE_KIND_CLASSIFICATION ||
        d.kind() == v1::DEADLINE_KIND_INITIAL_HANDLING) {
      paper.Field("Thời hạn thông báo kết quả xử lý đơn",
                  absl::StrCat("ngày ", print::FormatIsoDate(d.due_date())));
      break;
    }
  }
  paper.Space();
  paper.Text(
      "Ông/Bà theo dõi việc giải quyết đơn trên Cổng dịch vụ công bằng mã đơn và mã theo dõi "
      "được cấp khi tiếp nhận.");
  paper.signer_title = "NGƯỜI TIẾP NHẬN";
  paper.signer_name = p.events().empty() ? "" : p.events(0).actor();
  paper.qr_text = print::LookupUrl(c.lookup_url_template, p.code());
  paper.qr_caption = absl::StrCat("Tra cứu đơn: quét mã QR hoặc vào ", paper.qr_text);
  return paper;
}

std::string PetitionReceiptFileName(const std::string& code) {
  return absl::StrCat(code, "-bien-nhan.pdf");
}

}  // namespace localgov::petition

#include "services/dossier/calendar_grpc.h"

#include "absl/strings/str_cat.h"
#include "common/calendar/calendar_proto.h"
#include "common/status.h"
#include "google/protobuf/util/time_util.h"
#include "services/dossier/dossier_grpc.h"

namespace localgov::dossier {
namespace {

using google::protobuf::util::TimeUtil;

void AddDays(const std::map<absl::CivilDay, std::string>& days,
             google::protobuf::RepeatedPtrField<v1::NamedDay>* out) {
  for (const auto& [d, name] : days) {
    auto* n = out->Add();
    n->set_date(absl::FormatCivilTime(d));
    n->set_name(name);
  }
}

}  // namespace

void CalendarYearToProto(const StoredYear& s, v1::CalendarYear* out) {
  const auto& y = s.year;
  out->set_year(y.year);
  AddDays(y.holidays, out->mutable_holidays());
  AddDays(y.swapped_days_off, out->mutable_swapped_days_off());
  AddDays(y.make_up_working_days, out->mutable_make_up_working_days());
  out->set_source(y.source);
  out->set_provisional(y.provisional);
  out->set_derived(y.derived);
  out->set_compensatory_days_fixed(y.compensatory_days_fixed);
  for (const auto& src : y.sources) {
    auto* p = out->add_sources();
    p->set_reference(src.reference);
    p->set_issued_date(absl::FormatCivilTime(src.issued));
    p->set_summary(src.summary);
  }
  out->set_version(s.version);
  if (s.version > 0) {
    *out->mutable_update_time() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(s.updated_at));
  }
  // Compensatory days as the notice fixes them, or as this year's data derives them.
  if (auto cal = calendar::WorkingCalendar::CreateExact({y}); cal.ok()) {
    AddDays(cal->CompensatoryDaysOff(y.year), out->mutable_compensatory_days_off());
  }
}

absl::StatusOr<calendar::YearCalendar> CalendarYearFromProto(const v1::CalendarYear& p) {
  return calendar::YearFromProto(p);
}

void NoticeReportToProto(const CalendarService::NoticeReport& r,
                         v1::ApplyCalendarNoticeResponse* out) {
  CalendarYearToProto(r.stored, out->mutable_calendar());
  AddDays(r.new_days_off, out->mutable_new_days_off());
  for (const auto d : r.new_working_days) out->add_new_working_dates(absl::FormatCivilTime(d));
  for (const auto& a : r.affected) {
    auto* p = out->add_affected_appointments();
    p->set_code(a.code);
    p->set_receiving_agency_code(a.agency);
    p->set_due_date(absl::FormatCivilTime(a.due));
    auto it = r.new_days_off.find(a.due);
    if (it != r.new_days_off.end()) p->set_day_off_reason(it->second);
  }
}

grpc::ServerUnaryReactor* DossierGrpc::ApplyCalendarNotice(
    grpc::CallbackServerContext* context, const v1::ApplyCalendarNoticeRequest* request,
    v1::ApplyCalendarNoticeResponse* response) {
  return ctx_.rpc.Run(context, "ApplyCalendarNotice", {Role::kAdmin, Role::kSystem}, request,
                      response,
                      [this](const CallContext& call, const v1::ApplyCalendarNoticeRequest& in,
                             v1::ApplyCalendarNoticeResponse& out) -> absl::Status {
                        auto year = CalendarYearFromProto(in.calendar());
                        if (!year.ok()) return year.status();
                        auto report = calendar_.ApplyNotice(call, *year, in.expected_version());
                        if (!report.ok()) return report.status();
                        NoticeReportToProto(*report, &out);
                        return absl::OkStatus();
                      });
}

}  // namespace localgov::dossier

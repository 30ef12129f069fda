#include "common/calendar/calendar_proto.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace localgov::calendar {
namespace {

void ParseDays(const google::protobuf::RepeatedPtrField<dossier::v1::NamedDay>& in,
               const std::string& field, Validator& v, std::map<absl::CivilDay, std::string>* out) {
  for (int i = 0; i < in.size(); ++i) {
    const std::string path = absl::StrCat("calendar.", field, "[", i, "]");
    absl::CivilDay d;
    if (!ParseDate(in[i].date(), &d)) {
      v.Add(path + ".date", "must be a date YYYY-MM-DD");
      continue;
    }
    if (in[i].name().empty()) v.Add(path + ".name", "required");
    if (out->contains(d)) v.Add(path + ".date", "listed twice");
    (*out)[d] = in[i].name();
  }
}

}  // namespace

absl::StatusOr<YearCalendar> YearFromProto(const dossier::v1::CalendarYear& p) {
  Validator v;
  YearCalendar y;
  y.year = p.year();
  v.Check(p.year() >= 2000 && p.year() <= 2200, "calendar.year", "must be between 2000 and 2200");
  ParseDays(p.holidays(), "holidays", v, &y.holidays);
  ParseDays(p.swapped_days_off(), "swapped_days_off", v, &y.swapped_days_off);
  ParseDays(p.make_up_working_days(), "make_up_working_days", v, &y.make_up_working_days);
  y.compensatory_days_fixed = p.compensatory_days_fixed();
  if (y.compensatory_days_fixed) {
    ParseDays(p.compensatory_days_off(), "compensatory_days_off", v, &y.compensatory_days_off);
  }
  v.Check(!p.source().empty(), "calendar.source",
          "required: the decision or notice the data comes from");
  y.source = p.source();
  for (int i = 0; i < p.sources_size(); ++i) {
    const auto& in = p.sources(i);
    CalendarSource src;
    src.reference = in.reference();
    src.summary = in.summary();
    v.Check(ParseDate(in.issued_date(), &src.issued),
            absl::StrCat("calendar.sources[", i, "].issued_date"), "must be a date YYYY-MM-DD");
    y.sources.push_back(std::move(src));
  }
  y.provisional = p.provisional();
  if (!v.ok()) return v.status();
  return y;
}

}  // namespace localgov::calendar

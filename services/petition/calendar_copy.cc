#include "services/petition/calendar_copy.h"

#include "absl/strings/str_cat.h"
#include "common/calendar/calendar_proto.h"
#include "common/calendar/seed.h"
#include "common/server.h"
#include "common/status.h"
#include "spdlog/spdlog.h"

namespace localgov::petition {

CalendarCopy::CalendarCopy(Options options, const Clock& clock)
    : options_(std::move(options)), clock_(clock) {
  if (!options_.dossier_address.empty()) {
    stub_ = dossier::v1::DossierService::NewStub(
        PeerChannel(options_.dossier_address, options_.credentials));
  }
  auto seeded = calendar::WorkingCalendar::Create(calendar::SeedYears());
  if (seeded.ok()) {
    current_ = std::make_shared<const calendar::WorkingCalendar>(std::move(*seeded));
  }
}

void CalendarCopy::Start() {
  if (!stub_) return;
  thread_.Start([this] {
    if (auto st = RefreshOnce(); !st.ok()) {
      spdlog::warn(
          "calendar copy: the dossier service's calendar not read ({}); using the last "
          "one held",
          std::string(st.message()));
      return absl::Seconds(30);
    }
    return options_.refresh;
  });
}

std::shared_ptr<const calendar::WorkingCalendar> CalendarCopy::Current() const {
  std::lock_guard lock(mu_);
  return current_;
}

absl::Status CalendarCopy::RefreshOnce() {
  if (!stub_) return absl::OkStatus();
  const int year = static_cast<int>(calendar::VietnamDay(clock_.Now()).year());
  std::map<int, calendar::YearCalendar> fetched;
  // Last year to two years ahead: every clock of an open petition falls in them.
  for (int y = year - 1; y <= year + 2; ++y) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    if (!options_.token.empty()) ctx.AddMetadata("authorization", "Bearer " + options_.token);
    dossier::v1::GetCalendarYearRequest req;
    req.set_year(y);
    dossier::v1::GetCalendarYearResponse resp;
    auto st = stub_->GetCalendarYear(&ctx, req, &resp);
    if (!st.ok()) return FromGrpcStatus(st);
    if (resp.calendar().version() == 0) continue;  // derived there too: the seed holds it
    auto parsed = calendar::YearFromProto(resp.calendar());
    if (!parsed.ok()) return parsed.status();
    fetched[y] = std::move(*parsed);
  }
  std::vector<calendar::YearCalendar> years;
  for (auto& y : calendar::SeedYears()) {
    if (!fetched.contains(y.year)) years.push_back(std::move(y));
  }
  for (const auto& [y, cal] : fetched) years.push_back(cal);
  auto built = calendar::WorkingCalendar::Create(std::move(years));
  if (!built.ok()) return built.status();
  std::lock_guard lock(mu_);
  fetched_ = std::move(fetched);
  current_ = std::make_shared<const calendar::WorkingCalendar>(std::move(*built));
  return absl::OkStatus();
}

}  // namespace localgov::petition

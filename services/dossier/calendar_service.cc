#include "services/dossier/calendar_service.h"

#include "absl/strings/str_cat.h"
#include "common/audit.h"
#include "common/db/transaction.h"
#include "common/logging.h"
#include "common/status.h"

namespace localgov::dossier {

absl::Status CalendarService::SeedMissingYears(const std::vector<calendar::YearCalendar>& years) {
  int inserted = 0;
  auto st = RunInTransaction(db_, "seed_calendar", [&](pqxx::work& tx) -> absl::Status {
    inserted = 0;
    for (const auto& y : years) inserted += CalendarStore::InsertIfMissing(tx, y, clock_.Now());
    return absl::OkStatus();
  });
  if (st.ok() && inserted > 0) {
    spdlog::info("seeded {} calendar years", inserted);
    Invalidate();
  }
  return st;
}

absl::StatusOr<StoredYear> CalendarService::GetYear(int year) {
  if (year < 2000 || year > 2200) {
    return InvalidArgumentWithViolations({{"year", "must be between 2000 and 2200"}});
  }
  std::optional<StoredYear> found;
  auto st = RunInTransaction(
      db_, "get_calendar_year",
      [&](pqxx::work& tx) -> absl::Status {
        found = CalendarStore::Find(tx, year);
        return absl::OkStatus();
      },
      TxOptions{.read_only = true});
  if (!st.ok()) return st;
  if (!found.has_value()) {
    return absl::NotFoundError(absl::StrCat("no working-day calendar for ", year));
  }
  return *found;
}

absl::StatusOr<StoredYear> CalendarService::SetYear(const CallContext& call,
                                                    const calendar::YearCalendar& year,
                                                    int64_t expected_version) {
  Validator v;
  v.Check(expected_version >= 0, "expected_version", "must not be negative");
  if (auto st = calendar::ValidateYear(year); !st.ok())
    v.Add("calendar", std::string(st.message()));
  if (!v.ok()) return v.status();

  StoredYear stored;
  auto st = RunInTransaction(db_, "set_calendar_year", [&](pqxx::work& tx) -> absl::Status {
    // The year must fit with its neighbours (a compensatory day may cross into the next year).
    std::vector<calendar::YearCalendar> all;
    for (auto& s : CalendarStore::LoadAll(tx)) {
      if (s.year.year != year.year) all.push_back(std::move(s.year));
    }
    all.push_back(year);
    if (auto built = calendar::WorkingCalendar::Create(all, hours_); !built.ok()) {
      return InvalidArgumentWithViolations({{"calendar", std::string(built.status().message())}});
    }
    const absl::Time now = clock_.Now();
    auto version = CalendarStore::Replace(tx, year, expected_version, now);
    if (!version.ok()) return version.status();
    stored = {year, *version, now};
    return AppendAudit(
        tx,
        {call.access.subject, std::string(RoleName(call.access.role)), call.access.agency,
         "dossier.SetCalendarYear", "calendar_year", absl::StrCat(year.year), call.request_id,
         absl::StrCat(year.year, "@", *version, ":", year.source)},
        now);
  });
  if (!st.ok()) return st;
  Invalidate();
  return stored;
}

void CalendarService::Invalidate() {
  std::lock_guard<std::mutex> lock(mu_);
  cached_.reset();
}

absl::StatusOr<std::shared_ptr<const calendar::WorkingCalendar>> CalendarService::Calendar() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (cached_ != nullptr && clock_.Now() - loaded_at_ < kCacheTtl) return cached_;
  }
  std::vector<calendar::YearCalendar> years;
  auto st = RunInTransaction(
      db_, "load_calendar",
      [&](pqxx::work& tx) -> absl::Status {
        years.clear();
        for (auto& s : CalendarStore::LoadAll(tx)) years.push_back(std::move(s.year));
        return absl::OkStatus();
      },
      TxOptions{.read_only = true});
  if (!st.ok()) return st;
  auto built = calendar::WorkingCalendar::Create(std::move(years), hours_);
  if (!built.ok())
    return absl::InternalError(
        absl::StrCat("stored calendar is inconsistent: ", built.status().message()));
  auto shared = std::make_shared<const calendar::WorkingCalendar>(std::move(*built));
  std::lock_guard<std::mutex> lock(mu_);
  cached_ = shared;
  loaded_at_ = clock_.Now();
  return shared;
}

absl::StatusOr<calendar::Due> CalendarService::ComputeDue(absl::Time received,
                                                          calendar::Limit limit) {
  auto cal = Calendar();
  if (!cal.ok()) return cal.status();
  return (*cal)->ComputeDue(received, limit);
}

}  // namespace localgov::dossier

#include "services/dossier/calendar_service.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/audit.h"
#include "common/calendar/law.h"
#include "common/db/transaction.h"
#include "common/logging.h"
#include "common/status.h"

namespace localgov::dossier {

absl::Status CalendarService::SeedMissingYears(const std::vector<calendar::YearCalendar>& years,
                                               int seed_revision) {
  int inserted = 0, replaced = 0;
  auto st = RunInTransaction(db_, "seed_calendar", [&](pqxx::work& tx) -> absl::Status {
    inserted = replaced = 0;
    const absl::Time now = clock_.Now();
    for (const auto& y : years) {
      if (CalendarStore::InsertIfMissing(tx, y, seed_revision, now)) {
        ++inserted;
        continue;
      }
      auto version = CalendarStore::ReplaceOlderSeed(tx, y, seed_revision, now);
      if (!version.has_value()) continue;
      ++replaced;
      if (auto a = AppendAudit(tx,
                               {"system", "system", "", "dossier.SeedCalendarYear", "calendar_year",
                                absl::StrCat(y.year), "",
                                absl::StrCat(y.year, "@", *version, ": seed revision ",
                                             seed_revision, ": ", y.source)},
                               now);
          !a.ok()) {
        return a;
      }
    }
    return absl::OkStatus();
  });
  if (st.ok() && inserted + replaced > 0) {
    spdlog::info("seeded {} calendar years, corrected {} from an older seed", inserted, replaced);
    Invalidate();
  }
  return st;
}

absl::StatusOr<StoredYear> CalendarService::GetYear(int year) {
  if (year < 2000 || year > 2200) {
    return InvalidArgumentWithViolations({{"year", "must be between 2000 and 2200"}});
  }
  auto found =
      ReadOnly(db_, "get_calendar_year", [&](auto& tx) { return CalendarStore::Find(tx, year); });
  if (!found.ok()) return found.status();
  if (found->has_value()) return **found;
  auto derived = calendar::DeriveYear(year);
  if (!derived.ok()) return absl::NotFoundError(std::string(derived.status().message()));
  return StoredYear{.year = std::move(*derived), .version = 0, .updated_at = absl::UnixEpoch()};
}

absl::StatusOr<calendar::WorkingCalendar> CalendarService::With(
    std::vector<StoredYear> stored, const calendar::YearCalendar* year) const {
  std::vector<calendar::YearCalendar> all;
  for (auto& s : stored) {
    if (year == nullptr || s.year.year != year->year) all.push_back(std::move(s.year));
  }
  if (year != nullptr) all.push_back(*year);
  return calendar::WorkingCalendar::Create(std::move(all), hours_);
}

absl::StatusOr<CalendarService::NoticeReport> CalendarService::ApplyNotice(
    const CallContext& call, const calendar::YearCalendar& year, int64_t expected_version) {
  Validator v;
  v.Check(expected_version >= 0, "expected_version", "must not be negative");
  v.Check(!year.provisional, "calendar.provisional",
          "an official notice is not provisional; use SetCalendarYear for provisional data");
  v.Check(!year.sources.empty(), "calendar.sources",
          "required: the notice's number and date (DOMAIN.md §2: each year names its sources)");
  for (size_t i = 0; i < year.sources.size(); ++i) {
    v.Check(!year.sources[i].reference.empty(), absl::StrCat("calendar.sources[", i, "].reference"),
            "required: the notice's number, e.g. 9441/TB-BNV");
  }
  if (auto st = calendar::ValidateYear(year); !st.ok())
    v.Add("calendar", std::string(st.message()));
  if (!v.ok()) return v.status();

  NoticeReport report;
  auto st = RunInTransaction(db_, "apply_calendar_notice", [&](pqxx::work& tx) -> absl::Status {
    report = {};
    auto stored = CalendarStore::LoadAll(tx);
    auto before = With(stored, nullptr);
    if (!before.ok()) {
      return absl::InternalError(
          absl::StrCat("stored calendar is inconsistent: ", before.status().message()));
    }
    auto after = With(std::move(stored), &year);
    if (!after.ok()) {
      return InvalidArgumentWithViolations({{"calendar", std::string(after.status().message())}});
    }
    // The days the notice changes: its year, and early next year (compensatory days).
    for (absl::CivilDay d(year.year, 1, 1); d <= absl::CivilDay(year.year + 1, 1, 31); ++d) {
      auto was = before->IsWorkingDay(d);
      auto is = after->IsWorkingDay(d);
      if (!was.ok() || !is.ok()) break;  // past the derivable range
      if (*was && !*is) report.new_days_off[d] = *after->DayOffReason(d);
      if (!*was && *is) report.new_working_days.push_back(d);
    }
    const absl::Time now = clock_.Now();
    auto version = CalendarStore::Replace(tx, year, expected_version, now);
    if (!version.ok()) return version.status();
    report.stored = {year, *version, now, 0};
    std::vector<absl::CivilDay> off;
    for (const auto& [d, why] : report.new_days_off) off.push_back(d);
    report.affected = CalendarStore::OpenDossiersDueOn(tx, off);
    std::vector<std::string> refs;
    for (const auto& s : year.sources) {
      refs.push_back(absl::StrCat(s.reference, " (", absl::FormatCivilTime(s.issued), ")"));
    }
    return AppendAudit(
        tx,
        {call.access.subject, std::string(RoleName(call.access.role)), call.access.agency,
         "dossier.ApplyCalendarNotice", "calendar_year", absl::StrCat(year.year), call.request_id,
         absl::StrCat(year.year, "@", *version, ": ", absl::StrJoin(refs, "; "), "; ",
                      report.new_days_off.size(), " new days off, ", report.new_working_days.size(),
                      " new working days, ", report.affected.size(),
                      " open dossiers due on a new day off")},
        now);
  });
  if (!st.ok()) return st;
  Invalidate();
  if (!report.affected.empty()) {
    spdlog::warn("calendar notice for {}: {} open dossiers have an appointment on a new day off",
                 year.year, report.affected.size());
  }
  return report;
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
    if (auto built = With(CalendarStore::LoadAll(tx), &year); !built.ok()) {
      return InvalidArgumentWithViolations({{"calendar", std::string(built.status().message())}});
    }
    const absl::Time now = clock_.Now();
    auto version = CalendarStore::Replace(tx, year, expected_version, now);
    if (!version.ok()) return version.status();
    stored = {year, *version, now, 0};
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

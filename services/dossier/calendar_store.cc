#include "services/dossier/calendar_store.h"

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace localgov::dossier {
namespace {

using nlohmann::json;

json Days(const std::map<absl::CivilDay, std::string>& days) {
  json out = json::array();
  for (const auto& [d, name] : days)
    out.push_back({{"date", absl::FormatCivilTime(d)}, {"name", name}});
  return out;
}

std::map<absl::CivilDay, std::string> ParseDays(const json& days) {
  std::map<absl::CivilDay, std::string> out;
  for (const auto& d : days) {
    absl::CivilDay day;
    if (absl::ParseCivilTime(d.at("date").get<std::string>(), &day)) {
      out[day] = d.at("name").get<std::string>();
    }
  }
  return out;
}

std::string ToJson(const calendar::YearCalendar& y) {
  json j;
  j["holidays"] = Days(y.holidays);
  j["swapped_days_off"] = Days(y.swapped_days_off);
  j["make_up_working_days"] = Days(y.make_up_working_days);
  j["source"] = y.source;
  j["provisional"] = y.provisional;
  return j.dump();
}

StoredYear FromRow(const pqxx::row& r) {
  StoredYear s;
  s.year.year = r[0].as<int>();
  const json j = json::parse(r[1].as<std::string>());
  s.year.holidays = ParseDays(j.value("holidays", json::array()));
  s.year.swapped_days_off = ParseDays(j.value("swapped_days_off", json::array()));
  s.year.make_up_working_days = ParseDays(j.value("make_up_working_days", json::array()));
  s.year.source = j.value("source", "");
  s.year.provisional = j.value("provisional", false);
  s.version = r[2].as<int64_t>();
  s.updated_at = absl::FromUnixMicros(r[3].as<int64_t>());
  return s;
}

constexpr const char* kSelect =
    "SELECT year, data::text, version, (EXTRACT(EPOCH FROM updated_at) * 1000000)::bigint"
    " FROM calendar_years";

}  // namespace

std::vector<StoredYear> CalendarStore::LoadAll(pqxx::transaction_base& tx) {
  std::vector<StoredYear> out;
  for (const auto& r : tx.exec(absl::StrCat(kSelect, " ORDER BY year"))) out.push_back(FromRow(r));
  return out;
}

std::optional<StoredYear> CalendarStore::Find(pqxx::transaction_base& tx, int year) {
  auto rows = tx.exec_params(absl::StrCat(kSelect, " WHERE year = $1"), year);
  if (rows.empty()) return std::nullopt;
  return FromRow(rows[0]);
}

bool CalendarStore::InsertIfMissing(pqxx::work& tx, const calendar::YearCalendar& year,
                                    absl::Time now) {
  auto rows = tx.exec_params(
      "INSERT INTO calendar_years (year, data, version, updated_at)"
      " VALUES ($1, $2::jsonb, 1, timestamptz 'epoch' + $3::bigint * interval '1 microsecond')"
      " ON CONFLICT (year) DO NOTHING RETURNING year",
      year.year, ToJson(year), absl::ToUnixMicros(now));
  return !rows.empty();
}

absl::StatusOr<int64_t> CalendarStore::Replace(pqxx::work& tx, const calendar::YearCalendar& year,
                                               int64_t expected_version, absl::Time now) {
  pqxx::result rows;
  if (expected_version == 0) {
    rows = tx.exec_params(
        "INSERT INTO calendar_years (year, data, version, updated_at)"
        " VALUES ($1, $2::jsonb, 1, timestamptz 'epoch' + $3::bigint * interval '1 microsecond')"
        " ON CONFLICT (year) DO NOTHING RETURNING version",
        year.year, ToJson(year), absl::ToUnixMicros(now));
  } else {
    rows = tx.exec_params(
        "UPDATE calendar_years SET data = $2::jsonb, version = version + 1,"
        " updated_at = timestamptz 'epoch' + $3::bigint * interval '1 microsecond'"
        " WHERE year = $1 AND version = $4 RETURNING version",
        year.year, ToJson(year), absl::ToUnixMicros(now), expected_version);
  }
  if (rows.empty()) {
    return absl::AbortedError(absl::StrCat("calendar ", year.year, " changed since version ",
                                           expected_version, "; read it again and retry"));
  }
  return rows[0][0].as<int64_t>();
}

}  // namespace localgov::dossier

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

json Sources(const std::vector<calendar::CalendarSource>& sources) {
  json out = json::array();
  for (const auto& s : sources) {
    out.push_back({{"reference", s.reference},
                   {"issued", absl::FormatCivilTime(s.issued)},
                   {"summary", s.summary}});
  }
  return out;
}

std::vector<calendar::CalendarSource> ParseSources(const json& sources) {
  std::vector<calendar::CalendarSource> out;
  for (const auto& s : sources) {
    calendar::CalendarSource source;
    source.reference = s.value("reference", "");
    absl::ParseCivilTime(s.value("issued", ""), &source.issued);
    source.summary = s.value("summary", "");
    out.push_back(std::move(source));
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
  j["sources"] = Sources(y.sources);
  j["compensatory_days_fixed"] = y.compensatory_days_fixed;
  if (y.compensatory_days_fixed) j["compensatory_days_off"] = Days(y.compensatory_days_off);
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
  s.year.sources = ParseSources(j.value("sources", json::array()));
  s.year.compensatory_days_fixed = j.value("compensatory_days_fixed", false);
  s.year.compensatory_days_off = ParseDays(j.value("compensatory_days_off", json::array()));
  s.version = r[2].as<int64_t>();
  s.updated_at = absl::FromUnixMicros(r[3].as<int64_t>());
  s.seed_revision = r[4].is_null() ? 0 : r[4].as<int>();
  return s;
}

constexpr const char* kSelect =
    "SELECT year, data::text, version, (EXTRACT(EPOCH FROM updated_at) * 1000000)::bigint,"
    " seed_revision FROM calendar_years";

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
                                    int seed_revision, absl::Time now) {
  auto rows = tx.exec_params(
      "INSERT INTO calendar_years (year, data, version, updated_at, seed_revision)"
      " VALUES ($1, $2::jsonb, 1, timestamptz 'epoch' + $3::bigint * interval '1 microsecond', $4)"
      " ON CONFLICT (year) DO NOTHING RETURNING year",
      year.year, ToJson(year), absl::ToUnixMicros(now), seed_revision);
  return !rows.empty();
}

std::optional<int64_t> CalendarStore::ReplaceOlderSeed(pqxx::work& tx,
                                                       const calendar::YearCalendar& year,
                                                       int seed_revision, absl::Time now) {
  auto rows = tx.exec_params(
      "UPDATE calendar_years SET data = $2::jsonb, version = version + 1, seed_revision = $4,"
      " updated_at = timestamptz 'epoch' + $3::bigint * interval '1 microsecond'"
      " WHERE year = $1 AND seed_revision < $4 RETURNING version",
      year.year, ToJson(year), absl::ToUnixMicros(now), seed_revision);
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<int64_t>();
}

std::vector<OpenAppointment> CalendarStore::OpenDossiersDueOn(
    pqxx::transaction_base& tx, const std::vector<absl::CivilDay>& days) {
  std::vector<OpenAppointment> out;
  if (days.empty()) return out;
  // A date array literal {YYYY-MM-DD,...}: dates need no quoting.
  std::string dates = "{";
  for (const auto d : days)
    absl::StrAppend(&dates, dates.size() > 1 ? "," : "", absl::FormatCivilTime(d));
  dates += "}";
  // Open = accepted, in progress, payment requested (the states with a running due date).
  for (const auto& r : tx.exec_params("SELECT code, receiving_agency, due_date::text FROM dossiers"
                                      " WHERE state IN (2, 4, 6) AND due_date = ANY($1::date[])"
                                      " ORDER BY due_date, receiving_agency, code",
                                      dates)) {
    absl::CivilDay due;
    absl::ParseCivilTime(r[2].as<std::string>(), &due);
    out.push_back({r[0].as<std::string>(), r[1].as<std::string>(), due});
  }
  return out;
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
        "UPDATE calendar_years SET data = $2::jsonb, version = version + 1, seed_revision = NULL,"
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

#ifndef LOCALGOV_COMMON_CALENDAR_CALENDAR_H_
#define LOCALGOV_COMMON_CALENDAR_CALENDAR_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace localgov::calendar {

// Vietnam keeps UTC+7 all year (no daylight saving since 1975); a fixed zone needs no tzdata.
absl::TimeZone VietnamTime();
// The day it is in Vietnam at `t`.
absl::CivilDay VietnamDay(absl::Time t);
// "YYYY-MM-DD" (exactly that form) as a day; false when it is not one.
bool ParseDate(const std::string& text, absl::CivilDay* day);

// The 15:00 rule (Decree 61/2018/ND-CP on the one-stop mechanism, transfer of dossiers: paper
// received after 15:00 moves on the next working day; DOMAIN.md §2 "as we apply it"): a dossier
// received after 15:00 on a working day, or at any time on a non-working day, is deemed
// received at the start of the next working day. The default; the dossier service's rule sets
// (services/dossier/rules.h) may set another hour from a given day.
inline constexpr int kReceiptCutoffMinutes = 15 * 60;

// A text the year's data comes from: a notice, a letter, a decision.
struct CalendarSource {
  std::string reference;  // e.g. "Notice 9441/TB-BNV"
  absl::CivilDay issued;  // e.g. 2025-10-16
  std::string summary;    // what it fixes, e.g. "Tết 16–20/2; Mon 31/8 off, worked Sat 22/8"
  friend bool operator==(const CalendarSource&, const CalendarSource&) = default;
};

// One year of the working-day calendar. The Prime Minister fixes each year's exact Tết and
// National Day days and any swapped days, so this is data, edited per year (DOMAIN.md §2).
struct YearCalendar {
  int year = 0;
  // Public holidays (Labour Code 2019 Art. 112: 11 days a year), by date, with their names.
  std::map<absl::CivilDay, std::string> holidays;
  // Weekdays off by the Prime Minister's swap decisions (e.g. 2025-05-02).
  std::map<absl::CivilDay, std::string> swapped_days_off;
  // Weekend days that are working days in exchange (e.g. Saturday 2025-04-26). A make-up
  // working day is a working day for every purpose (DOMAIN.md §2, settled readings).
  std::map<absl::CivilDay, std::string> make_up_working_days;
  // A holiday on a Saturday or Sunday gives a compensatory day off on the next working day
  // (Art. 111). The year's official notice overrides anything derived (DOMAIN.md §2): when
  // `compensatory_days_fixed`, these are the compensatory days; otherwise they are derived and
  // this is ignored.
  bool compensatory_days_fixed = false;
  std::map<absl::CivilDay, std::string> compensatory_days_off;
  // Where the data comes from: a one-line summary and each text with its number and date.
  std::string source;
  std::vector<CalendarSource> sources;
  // Provisional: no official notice applied yet (DOMAIN.md §2: a year without one is marked
  // provisional). Derived: not stored at all, computed from the Labour Code (law.h).
  bool provisional = false;
  bool derived = false;
};

// Office hours, for limits counted in working hours (DOMAIN.md §2: configurable, default
// 07:30–11:30 and 13:30–17:00). Minutes after midnight, local time; sorted, not overlapping.
struct WorkingHours {
  std::vector<std::pair<int, int>> intervals = {{7 * 60 + 30, 11 * 60 + 30},
                                                {13 * 60 + 30, 17 * 60}};
};
// "07:30-11:30,13:30-17:00" (the setting LOCALGOV_WORKING_HOURS): increasing, not overlapping.
inline constexpr const char* kWorkingHoursVariable = "LOCALGOV_WORKING_HOURS";
absl::StatusOr<WorkingHours> ParseWorkingHours(absl::string_view text);
std::string FormatWorkingHours(const WorkingHours& hours);
// "HH:MM" as minutes after midnight, and back.
absl::StatusOr<int> ParseClockTime(absl::string_view text);
std::string FormatClockTime(int minutes);

enum class LimitUnit { kWorkingDays, kCalendarDays, kWorkingHours, kOnTheSpot };

struct Limit {
  LimitUnit unit = LimitUnit::kWorkingDays;
  int amount = 0;  // days or hours; 0 for on the spot
};

struct Due {
  absl::CivilDay clock_start;  // the deemed day of receipt (not counted)
  absl::CivilDay day;          // the last day of the period
  absl::Time deadline;         // the instant the period ends (exclusive)
  // The count crossed a year whose calendar is provisional (no official notice yet): the date
  // may move when the notice is applied (DOMAIN.md §2).
  bool provisional = false;
};

// How a limit is counted: the readings DOMAIN.md §2 settles where the texts leave room. Each is
// an entry of the one-stop rule sets (services/dossier/rules.h), listed in docs/rules.md.
struct Counting {
  // The 15:00 rule, for one-stop limits in days.
  int receipt_cutoff_minutes = kReceiptCutoffMinutes;
  // A limit in working hours counts office time from the moment of receipt (Civil Code 2015
  // Art. 147(1)), from the next opening when received outside office hours; the 15:00 rule
  // does not apply. True restores the 15:00 rule for hours.
  bool cutoff_applies_to_working_hours = false;
  // On the spot: by the end of the working day of receipt; received outside office hours (after
  // the day's last closing, or on a day off), by the end of the next working day. The 15:00
  // rule does not apply. True restores it.
  bool cutoff_applies_on_the_spot = false;
  // A period ends at 24:00 of its last day (Civil Code 2015 Art. 148), also for early / on
  // time / late, although the counter closes earlier. Minutes after midnight of the last day.
  int period_end_minutes = 24 * 60;
};

// Working days: Monday to Friday, less holidays, their compensatory days and swapped days off,
// plus make-up working days. A year without data is derived from the Labour Code (law.h) and
// marked provisional, so no year from kFirstDerivedYear to kLastDerivedYear is ever missing;
// a date outside that range is FAILED_PRECONDITION.
class WorkingCalendar final {
 public:
  // `years` is the stored data; every other year in range is derived.
  static absl::StatusOr<WorkingCalendar> Create(std::vector<YearCalendar> years,
                                                WorkingHours hours = {});
  // Only the given years, nothing derived (to show what one year's data alone gives).
  static absl::StatusOr<WorkingCalendar> CreateExact(std::vector<YearCalendar> years,
                                                     WorkingHours hours = {});

  absl::StatusOr<bool> IsWorkingDay(absl::CivilDay day) const;
  // The first working day strictly after `day`.
  absl::StatusOr<absl::CivilDay> NextWorkingDay(absl::CivilDay day) const;
  // The last working day strictly before `day`.
  absl::StatusOr<absl::CivilDay> PreviousWorkingDay(absl::CivilDay day) const;
  // Why a day is not a working day ("Saturday", "Tết Nguyên đán", "compensatory day off for
  // ..."), empty for a working day.
  absl::StatusOr<std::string> DayOffReason(absl::CivilDay day) const;

  // The deemed day of receipt under the 15:00 rule (`cutoff_minutes` after midnight; received
  // later than that, the next working day).
  absl::StatusOr<absl::CivilDay> DeemedReceiptDay(absl::Time received,
                                                  int cutoff_minutes = kReceiptCutoffMinutes) const;

  // The end of a one-stop limit counted from receipt (15:00 rule applied; the starting day not
  // counted — Civil Code 2015 Arts. 147–148):
  //  - working days: the Nth working day after the deemed receipt day, to its end;
  //  - calendar days: N days after the deemed receipt day, moved to the next working day if
  //    that is not a working day;
  //  - working hours: N hours of office time from the receipt, or from the next opening when
  //    received outside office hours (no 15:00 rule);
  //  - on the spot: the end of the working day of receipt, or of the next working day when
  //    received after closing or on a day off (no 15:00 rule).
  // `provisional` when a year the count touches has no official notice yet.
  absl::StatusOr<Due> ComputeDue(absl::Time received, Limit limit,
                                 int cutoff_minutes = kReceiptCutoffMinutes) const;
  // The same with every reading given (the int overload: the settled readings, that cutoff).
  absl::StatusOr<Due> ComputeDue(absl::Time received, Limit limit, const Counting& counting) const;

  // N working days after `start` (not counted); for statutory periods that start on a day
  // rather than an instant (petition acceptance: 10 working days from receipt).
  absl::StatusOr<absl::CivilDay> AddWorkingDays(absl::CivilDay start, int n) const;
  // N calendar days after `start` (not counted), moved to the next working day if the last
  // day is not one (Civil Code 2015 Art. 148; complaint resolution: 30 days).
  absl::StatusOr<absl::CivilDay> AddCalendarDays(absl::CivilDay start, int n) const;
  // Working days strictly after `from` up to and including `to` (0 when to <= from).
  absl::StatusOr<int> WorkingDaysBetween(absl::CivilDay from, absl::CivilDay to) const;

  // The instant a day ends (the start of the next day, local time).
  static absl::Time EndOf(absl::CivilDay day);
  static absl::Time StartOf(absl::CivilDay day);

  // Stored and derived years.
  const std::map<int, YearCalendar>& years() const { return years_; }
  // The effective compensatory days off of `year` (fixed by its data, or derived).
  std::map<absl::CivilDay, std::string> CompensatoryDaysOff(int year) const;
  bool IsProvisional(int year) const;

 private:
  struct DayInfo {
    bool working = true;
    std::string reason;
  };
  absl::StatusOr<DayInfo> Info(absl::CivilDay day) const;
  absl::StatusOr<absl::Time> AddWorkingHours(absl::Time from, int hours) const;
  static absl::StatusOr<WorkingCalendar> Build(std::vector<YearCalendar> years, WorkingHours hours,
                                               bool derive);

  std::map<int, YearCalendar> years_;
  // Derived: every non-working weekday and every working weekend day, with the reason.
  std::map<absl::CivilDay, DayInfo> exceptions_;
  std::set<absl::CivilDay> compensatory_;
  WorkingHours hours_;
};

// Checks one year's data: dates inside the year, holidays count (the Labour Code in force that
// year, law.h), no day both off and working.
absl::Status ValidateYear(const YearCalendar& year);

}  // namespace localgov::calendar

#endif  // LOCALGOV_COMMON_CALENDAR_CALENDAR_H_

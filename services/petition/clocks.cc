#include "services/petition/clocks.h"

#include <algorithm>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"

namespace localgov::petition {
namespace {

using v1::Petition;

bool IsComplaint(const Petition& p) { return p.kind() == v1::PETITION_KIND_COMPLAINT; }
bool IsDenunciation(const Petition& p) { return p.kind() == v1::PETITION_KIND_DENUNCIATION; }
bool Complex(const Petition& p) {
  return p.complexity() == v1::COMPLEXITY_COMPLEX ||
         p.complexity() == v1::COMPLEXITY_ESPECIALLY_COMPLEX;
}

void Add(Petition& p, v1::DeadlineKind kind, absl::CivilDay day, std::string basis, bool binding,
         absl::CivilDay today) {
  auto* d = p.add_deadlines();
  d->set_kind(kind);
  d->set_due_date(absl::FormatCivilTime(day));
  d->set_basis(std::move(basis));
  d->set_binding(binding);
  d->set_overdue(binding && today > day);
}

}  // namespace

int ResolutionDays(const Petition& p, const PetitionRules& r) {
  if (IsDenunciation(p)) return r.denunciation_resolution_days;
  if (!IsComplaint(p)) return 0;
  const bool second = p.complaint_round() == 2;
  const bool complex = Complex(p);
  if (p.remote_area()) {
    if (second)
      return complex ? r.second_complaint_remote_complex_days : r.second_complaint_remote_days;
    return complex ? r.first_complaint_remote_complex_days : r.first_complaint_remote_days;
  }
  if (second) return complex ? r.second_complaint_complex_days : r.second_complaint_days;
  return complex ? r.first_complaint_complex_days : r.first_complaint_days;
}

absl::StatusOr<std::optional<absl::CivilDay>> LimitationDay(const Petition& p,
                                                            const PetitionRules& r,
                                                            const calendar::WorkingCalendar& cal) {
  if (!IsComplaint(p)) return std::nullopt;
  absl::CivilDay from;
  if (p.complaint_round() == 2) {
    if (!calendar::ParseDate(p.first_decision_date(), &from)) return std::nullopt;
    auto day = cal.AddCalendarDays(from, p.remote_area() ? r.second_complaint_window_remote_days
                                                         : r.second_complaint_window_days);
    if (!day.ok()) return day.status();
    return std::optional<absl::CivilDay>(*day);
  }
  if (!calendar::ParseDate(p.learned_date(), &from)) return std::nullopt;
  auto day = cal.AddCalendarDays(from, r.complaint_limitation_days);
  if (!day.ok()) return day.status();
  return std::optional<absl::CivilDay>(*day);
}

absl::Status ComputeClocks(Petition& p, const PetitionRules& r,
                           const calendar::WorkingCalendar& cal, absl::CivilDay today) {
  p.clear_deadlines();
  p.clear_next_deadline();
  p.set_overdue(false);
  absl::CivilDay receipt;
  if (!calendar::ParseDate(p.receipt_date(), &receipt)) {
    return absl::InternalError("a petition without its day of receipt");
  }
  const bool received = p.state() == v1::PETITION_STATE_RECEIVED;
  const std::string set = absl::StrCat(" (", r.basis, ")");

  // Classification: the citizen is told within the period; for a denunciation the initial
  // handling, with the forward period when it proves outside jurisdiction.
  if (IsDenunciation(p)) {
    const int n = p.several_places() ? r.denunciation_initial_several_places_working_days
                                     : r.denunciation_initial_working_days;
    auto day = cal.AddWorkingDays(receipt, n);
    if (!day.ok()) return day.status();
    Add(p, v1::DEADLINE_KIND_INITIAL_HANDLING, *day,
        absl::StrCat("Law on Denunciation 25/2018 Art. 24: initial handling, ", n,
                     " working days from receipt", set),
        received, today);
    auto forward = cal.AddWorkingDays(receipt, r.denunciation_forward_working_days);
    if (!forward.ok()) return forward.status();
    Add(p, v1::DEADLINE_KIND_FORWARD, *forward,
        absl::StrCat("Law on Denunciation 25/2018 Art. 24: if outside jurisdiction, forwarded "
                     "within ",
                     r.denunciation_forward_working_days, " working days of receipt", set),
        false, today);
  } else {
    const int n =
        IsComplaint(p) ? r.complaint_acceptance_working_days : r.classification_working_days;
    auto day = cal.AddWorkingDays(receipt, n);
    if (!day.ok()) return day.status();
    Add(p, v1::DEADLINE_KIND_CLASSIFICATION, *day,
        IsComplaint(p)
            ? absl::StrCat("Law on Complaints 02/2011 Art. 27: acceptance, ", n,
                           " working days from receipt", set)
            : absl::StrCat("Law on Citizen Reception 42/2013 Art. 28: the citizen told within ", n,
                           " working days of receipt", set),
        received, today);
  }

  // The complainant's own limit (informational: a late complaint is refused at
  // classification unless excused).
  auto limitation = LimitationDay(p, r, cal);
  if (!limitation.ok()) return limitation.status();
  if (limitation->has_value()) {
    Add(p, v1::DEADLINE_KIND_LIMITATION, **limitation,
        p.complaint_round() == 2
            ? absl::StrCat("Law on Complaints 02/2011 Art. 33: second complaint within ",
                           p.remote_area() ? r.second_complaint_window_remote_days
                                           : r.second_complaint_window_days,
                           " days of the first decision", set)
            : absl::StrCat("Law on Complaints 02/2011 Art. 9: ", r.complaint_limitation_days,
                           " days from learning of the decision", set),
        false, today);
  }

  // Resolution from acceptance, moved by extensions and by the days handling stood still.
  absl::CivilDay accepted;
  const int base = ResolutionDays(p, r);
  std::optional<absl::CivilDay> resolution_day;
  if (base > 0 && calendar::ParseDate(p.accept_date(), &accepted)) {
    int days = base;
    for (const auto& e : p.extensions()) days += e.days();
    for (const auto& s : p.suspensions()) {
      if (s.has_resume_time()) {
        days += s.days_stopped();
      } else {
        // Still suspended: as if it resumed today (the day moves until it does).
        absl::CivilDay from;
        const auto at = absl::FromUnixSeconds(s.suspend_time().seconds());
        from = calendar::VietnamDay(at);
        days += static_cast<int>(std::max<int64_t>(0, today - from));
      }
    }
    auto day = cal.AddCalendarDays(accepted, days);
    if (!day.ok()) return day.status();
    resolution_day = *day;
    std::string basis =
        IsComplaint(p)
            ? absl::StrCat("Law on Complaints 02/2011 Art. ", p.complaint_round() == 2 ? 37 : 28,
                           ": ", base, " days from acceptance")
            : absl::StrCat("Law on Denunciation 25/2018 Art. 30: ", base, " days from acceptance");
    if (days != base)
      absl::StrAppend(&basis, ", ", days - base, " days of extension or suspension");
    absl::StrAppend(&basis, set);
    Add(p, v1::DEADLINE_KIND_RESOLUTION, *day, std::move(basis),
        p.state() == v1::PETITION_STATE_ACCEPTED, today);
  }

  // A first complaint decided, or whose period passed: the complainant's window for a second.
  if (IsComplaint(p) && p.complaint_round() != 2) {
    std::optional<absl::CivilDay> from;
    if (p.has_resolution() && p.resolution().has_decide_time()) {
      from = calendar::VietnamDay(absl::FromUnixSeconds(p.resolution().decide_time().seconds()));
    } else if (resolution_day.has_value() && today > *resolution_day) {
      from = *resolution_day;
    }
    if (from.has_value()) {
      const int window =
          p.remote_area() ? r.second_complaint_window_remote_days : r.second_complaint_window_days;
      auto day = cal.AddCalendarDays(*from, window);
      if (!day.ok()) return day.status();
      Add(p, v1::DEADLINE_KIND_SECOND_COMPLAINT, *day,
          absl::StrCat("Law on Complaints 02/2011 Art. 33: a second complaint within ", window,
                       " days", set),
          false, today);
    }
  }

  for (const auto& d : p.deadlines()) {
    if (!d.binding()) continue;
    if (!p.has_next_deadline() || d.due_date() < p.next_deadline().due_date()) {
      *p.mutable_next_deadline() = d;
    }
    if (d.overdue()) p.set_overdue(true);
  }
  return absl::OkStatus();
}

}  // namespace localgov::petition

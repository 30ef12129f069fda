#include "services/dossier/route.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "services/dossier/convert.h"
#include "services/dossier/lifecycle.h"
#include "services/dossier/quality.h"

namespace localgov::dossier {

namespace {

void Finish(v1::StepProgress& s, absl::CivilDay today, absl::CivilDay due, absl::Time now) {
  s.set_state(v1::STEP_STATE_COMPLETED);
  *s.mutable_done_time() = ToProto(now);
  s.set_outcome(Classify(today, due));
  s.set_indicator2_points(Indicator1Points(s.outcome()));  // scored like indicator 1
}

}  // namespace

void PlanSteps(v1::Dossier& d, const v1::Procedure& p) {
  d.clear_steps();
  for (int i = 0; i < p.steps_size(); ++i) {
    const auto& step = p.steps(i);
    const bool own = step.agency_code().empty() || step.agency_code() == d.receiving_agency_code();
    auto* s = d.add_steps();
    s->set_index(i);
    s->set_order(step.order());
    s->set_agency_code(own ? d.receiving_agency_code() : step.agency_code());
    s->set_name(step.name());
    s->set_state(v1::STEP_STATE_WAITING);
    s->set_own(own);
  }
}

absl::StatusOr<std::vector<int>> HandOffNext(v1::Dossier& d, const v1::Procedure& p,
                                             const calendar::WorkingCalendar& cal,
                                             absl::CivilDay today) {
  int next = std::numeric_limits<int>::max();
  for (const auto& s : d.steps()) {
    if (s.state() != v1::STEP_STATE_COMPLETED) next = std::min(next, s.order());
  }
  std::vector<int> out;
  if (next == std::numeric_limits<int>::max()) return out;
  for (const auto& s : d.steps()) {
    if (s.order() == next && s.state() != v1::STEP_STATE_WAITING &&
        s.state() != v1::STEP_STATE_COMPLETED) {
      return out;  // under way
    }
  }
  for (auto& s : *d.mutable_steps()) {
    if (s.order() != next || s.state() != v1::STEP_STATE_WAITING) continue;
    if (s.index() < 0 || s.index() >= p.steps_size()) {
      return absl::InternalError("a step outside the procedure's route");
    }
    const auto& share = p.steps(s.index()).share();
    absl::CivilDay due = today;
    if (share.unit() == v1::LIMIT_UNIT_WORKING_DAYS && share.amount() > 0) {
      auto d2 = cal.AddWorkingDays(today, share.amount());
      if (!d2.ok()) return d2.status();
      due = *d2;
    } else if (share.unit() == v1::LIMIT_UNIT_CALENDAR_DAYS && share.amount() > 0) {
      auto d2 = cal.AddCalendarDays(today, share.amount());
      if (!d2.ok()) return d2.status();
      due = *d2;
    }
    s.set_due_date(absl::FormatCivilTime(due));
    if (s.own()) {
      s.set_state(v1::STEP_STATE_IN_PROGRESS);
      continue;
    }
    s.set_state(v1::STEP_STATE_HANDED_OFF);
    s.set_envelope_id(StepEnvelopeId(d.code(), s.index()));
    out.push_back(s.index());
  }
  return out;
}

absl::StatusOr<bool> CompleteStep(v1::Dossier& d, const std::string& envelope_id,
                                  absl::CivilDay today, absl::Time now) {
  for (auto& s : *d.mutable_steps()) {
    if (s.own() || s.envelope_id() != envelope_id) continue;
    // Done already, or cancelled with the dossier: a late result reopens nothing.
    if (s.state() == v1::STEP_STATE_COMPLETED || s.state() == v1::STEP_STATE_CANCELLED) {
      return false;
    }
    absl::CivilDay due;
    if (!absl::ParseCivilTime(s.due_date(), &due)) return absl::InternalError("step without due");
    Finish(s, today, due, now);
    return true;
  }
  return absl::NotFoundError(
      absl::StrCat("no step of ", d.code(), " was handed off in ", envelope_id));
}

absl::StatusOr<const v1::StepProgress*> CompleteOwnStep(v1::Dossier& d, int index,
                                                        absl::CivilDay today, absl::Time now) {
  for (auto& s : *d.mutable_steps()) {
    if (s.index() != index) continue;
    if (!s.own()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "step ", index, " is ", s.agency_code(), "'s: its result comes through the exchange"));
    }
    if (s.state() == v1::STEP_STATE_COMPLETED) {
      return absl::FailedPreconditionError(absl::StrCat("step ", index, " is done already"));
    }
    if (s.state() == v1::STEP_STATE_CANCELLED) {
      return absl::FailedPreconditionError(absl::StrCat("step ", index, " was cancelled"));
    }
    if (s.state() != v1::STEP_STATE_IN_PROGRESS) {
      return absl::FailedPreconditionError(
          absl::StrCat("step ", index, " has not started: the steps before it come first"));
    }
    absl::CivilDay due;
    if (!absl::ParseCivilTime(s.due_date(), &due)) return absl::InternalError("step without due");
    Finish(s, today, due, now);
    return &s;
  }
  return InvalidArgumentWithViolations(
      {{"step_index", absl::StrCat("dossier ", d.code(), " has no step ", index)}});
}

void FinishOwnSteps(v1::Dossier& d, absl::CivilDay today, absl::Time now) {
  absl::CivilDay dossier_due = today;
  absl::ParseCivilTime(d.due_date(), &dossier_due);
  for (auto& s : *d.mutable_steps()) {
    if (!s.own() || s.state() == v1::STEP_STATE_COMPLETED ||
        s.state() == v1::STEP_STATE_CANCELLED) {
      continue;
    }
    absl::CivilDay due;
    if (!absl::ParseCivilTime(s.due_date(), &due)) {
      due = dossier_due;
      s.set_due_date(absl::FormatCivilTime(due));
    }
    Finish(s, today, due, now);
  }
}

std::vector<int> CancelOpenSteps(v1::Dossier& d, const std::string& reason, absl::CivilDay today,
                                 absl::Time now) {
  std::vector<int> handed_off;
  for (auto& s : *d.mutable_steps()) {
    if (s.state() == v1::STEP_STATE_COMPLETED || s.state() == v1::STEP_STATE_CANCELLED) continue;
    if (s.state() == v1::STEP_STATE_HANDED_OFF) {
      handed_off.push_back(s.index());
      s.set_cancellation_envelope_id(StepCancellationEnvelopeId(d.code(), s.index()));
    }
    s.set_state(v1::STEP_STATE_CANCELLED);
    *s.mutable_cancel_time() = ToProto(now);
    s.set_cancel_reason(reason);
    absl::CivilDay due;
    if (!s.due_date().empty() && absl::ParseCivilTime(s.due_date(), &due) && today > due) {
      s.set_outcome(v1::OUTCOME_CLASS_LATE);
      s.set_indicator2_points(0);
    }
  }
  return handed_off;
}

std::vector<v1::StepProgress> NewlyScored(const v1::Dossier& before, const v1::Dossier& after) {
  std::vector<v1::StepProgress> out = NewlyCompleted(before, after);
  for (const auto& s : after.steps()) {
    if (s.state() != v1::STEP_STATE_CANCELLED || s.outcome() != v1::OUTCOME_CLASS_LATE) continue;
    bool was = false;
    for (const auto& b : before.steps()) {
      if (b.index() == s.index()) was = b.state() == v1::STEP_STATE_CANCELLED;
    }
    if (was) continue;
    auto& scored = out.emplace_back(s);
    *scored.mutable_done_time() = s.cancel_time();
  }
  return out;
}

std::vector<v1::StepProgress> NewlyCompleted(const v1::Dossier& before, const v1::Dossier& after) {
  std::vector<v1::StepProgress> out;
  for (const auto& s : after.steps()) {
    if (s.state() != v1::STEP_STATE_COMPLETED) continue;
    bool was_done = false;
    for (const auto& b : before.steps()) {
      if (b.index() == s.index()) was_done = b.state() == v1::STEP_STATE_COMPLETED;
    }
    if (!was_done) out.push_back(s);
  }
  return out;
}

bool OtherAgenciesStepsCompleted(const v1::Dossier& d) {
  for (const auto& s : d.steps()) {
    if (!s.own() && s.state() != v1::STEP_STATE_COMPLETED) return false;
  }
  return true;
}

std::string StepEnvelopeId(const std::string& dossier_code, int index) {
  return absl::StrCat(dossier_code, ":step-", index);
}

std::string StepCancellationEnvelopeId(const std::string& dossier_code, int index) {
  return absl::StrCat(dossier_code, ":step-", index, ":cancel");
}

absl::StatusOr<absl::Time> AcknowledgeBy(const v1::Procedure& p,
                                         const calendar::WorkingCalendar& cal,
                                         absl::Time handed_off) {
  if (!p.has_handoff_acknowledgement() || p.handoff_acknowledgement().amount() <= 0) {
    return absl::InfiniteFuture();
  }
  constexpr int kNoCutoff = 24 * 60;  // any time of a working day counts from that moment
  auto due = cal.ComputeDue(handed_off, ToLimit(p.handoff_acknowledgement()), kNoCutoff);
  if (!due.ok()) return due.status();
  return due->deadline;
}

}  // namespace localgov::dossier

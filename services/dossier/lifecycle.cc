#include "services/dossier/lifecycle.h"

#include "services/dossier/quality.h"
#include "services/dossier/route.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status.h"
#include "google/protobuf/util/time_util.h"
#include "services/dossier/convert.h"

namespace localgov::dossier {
namespace {

using google::protobuf::util::TimeUtil;
using State = v1::DossierState;

absl::Status NotIn(const v1::Dossier& d, const char* what) {
  return absl::FailedPreconditionError(
      absl::StrCat("cannot ", what, " a dossier in state ", v1::DossierState_Name(d.state())));
}

bool In(State s, std::initializer_list<State> states) {
  for (State x : states) {
    if (x == s) return true;
  }
  return false;
}

void SetState(v1::Dossier& d, State s) {
  d.set_state(s);
  d.set_portal_status_code(static_cast<int>(s));
}

// "1 working day", "3 working days".
std::string WorkingDays(int n) {
  return absl::StrCat(n, n == 1 ? " working day" : " working days");
}

}  // namespace

v1::OutcomeClass Classify(absl::CivilDay finished, absl::CivilDay due) {
  if (finished < due) return v1::OUTCOME_CLASS_EARLY;
  if (finished == due) return v1::OUTCOME_CLASS_ON_TIME;
  return v1::OUTCOME_CLASS_LATE;
}

absl::StatusOr<std::string> ApplyTransition(v1::Dossier& d, const v1::Procedure& p,
                                            const calendar::WorkingCalendar& cal,
                                            const OneStopRules& rules, const TransitionInput& in) {
  const absl::CivilDay today = calendar::VietnamDay(in.now);
  switch (in.action) {
    case Action::kStartProcessing: {
      if (d.state() != v1::DOSSIER_STATE_ACCEPTED) return NotIn(d, "start processing");
      // The counter hands the dossier on by the end of its deemed day of receipt (the 15:00
      // rule already moved that day); later is recorded against the counter, not refused.
      absl::CivilDay transfer_due;
      if (!absl::ParseCivilTime(d.clock_start_date(), &transfer_due)) {
        return absl::InternalError("dossier without a clock start");
      }
      SetState(d, v1::DOSSIER_STATE_IN_PROGRESS);
      if (today <= transfer_due) return std::string("transferred for processing");
      d.mutable_quality()->set_transferred_late(true);
      return absl::StrCat("transferred for processing (late: due ", d.clock_start_date(), ")");
    }

    case Action::kRequestSupplement: {
      Validator v;
      std::set<std::string> known;
      for (const auto& r : p.required_documents()) known.insert(r.code());
      if (in.missing_document_codes.empty())
        v.Add("missing_document_codes", "list every missing document");
      for (size_t i = 0; i < in.missing_document_codes.size(); ++i) {
        v.Check(known.contains(in.missing_document_codes[i]),
                absl::StrCat("missing_document_codes[", i, "]"),
                absl::StrCat("not a document of procedure ", p.code()));
      }
      if (!v.ok()) return v.status();
      if (!In(d.state(), {v1::DOSSIER_STATE_ACCEPTED, v1::DOSSIER_STATE_IN_PROGRESS})) {
        return NotIn(d, "request documents for");
      }
      if (d.channel() == v1::CHANNEL_ONLINE &&
          d.quality().supplement_requests() >= rules.online_deficiency_notices) {
        return absl::FailedPreconditionError(
            "the deficiencies of an online dossier are notified once, and this one was already "
            "asked to complete; process the dossier or stop it with reasons");
      }
      absl::CivilDay intake;
      if (!absl::ParseCivilTime(d.clock_start_date(), &intake)) {
        return absl::InternalError("dossier without a clock start");
      }
      auto last = cal.AddWorkingDays(intake, rules.supplement_window_working_days);
      if (!last.ok()) return last.status();
      if (today > *last) {
        return absl::FailedPreconditionError(absl::StrCat(
            "documents may be requested only within ",
            WorkingDays(rules.supplement_window_working_days), " of intake (until ",
            absl::FormatCivilTime(*last), "); process the dossier or stop it with reasons"));
      }
      d.clear_missing_documents();
      for (const auto& code : in.missing_document_codes) {
        for (const auto& r : p.required_documents()) {
          if (r.code() == code) *d.add_missing_documents() = r;
        }
      }
      d.clear_due_date();
      d.clear_deadline();
      SetState(d, v1::DOSSIER_STATE_SUPPLEMENT_REQUESTED);
      d.mutable_quality()->set_supplement_requests(d.quality().supplement_requests() + 1);
      std::vector<std::string> names;
      for (const auto& m : d.missing_documents()) names.push_back(m.name());
      return absl::StrCat("requested at once: ", absl::StrJoin(names, "; "),
                          "; the clock restarts when complete");
    }

    case Action::kCompleteSupplement: {
      if (d.state() != v1::DOSSIER_STATE_SUPPLEMENT_REQUESTED) return NotIn(d, "complete");
      for (const auto& doc : in.documents) *d.add_documents() = doc;
      std::set<std::string> have;
      for (const auto& doc : d.documents()) have.insert(doc.document_code());
      std::vector<std::string> still;
      for (const auto& m : d.missing_documents()) {
        if (!have.contains(m.code())) still.push_back(m.name());
      }
      if (!still.empty()) {
        return InvalidArgumentWithViolations(
            {{"documents", absl::StrCat("still missing: ", absl::StrJoin(still, "; "))}});
      }
      const auto& limit = d.with_verification() ? p.limit_with_verification() : p.limit();
      auto due = cal.ComputeDue(in.now, ToLimit(limit), rules.counting());
      if (!due.ok()) return due.status();
      d.clear_missing_documents();
      d.set_clock_start_date(absl::FormatCivilTime(due->clock_start));
      d.set_due_date(absl::FormatCivilTime(due->day));
      *d.mutable_deadline() = ToProto(due->deadline);
      SetState(d, v1::DOSSIER_STATE_ACCEPTED);
      return absl::StrCat("completed; clock restarted; appointment ", d.due_date());
    }

    case Action::kApologize: {
      Validator v;
      v.Check(!in.reason.empty(), "reason", "required: why the dossier is late");
      absl::CivilDay new_due;
      const bool parsed =
          in.new_due_date.size() == 10 && absl::ParseCivilTime(in.new_due_date, &new_due);
      v.Check(parsed, "new_due_date", "must be a date YYYY-MM-DD");
      if (!v.ok()) return v.status();
      if (!In(d.state(), {v1::DOSSIER_STATE_ACCEPTED, v1::DOSSIER_STATE_IN_PROGRESS,
                          v1::DOSSIER_STATE_PAYMENT_REQUESTED})) {
        return NotIn(d, "apologise for");
      }
      if (d.has_apology()) {
        return absl::FailedPreconditionError("a new date may be set only once; it was set on " +
                                             d.apology().new_due_date());
      }
      absl::CivilDay due;
      if (!absl::ParseCivilTime(d.due_date(), &due)) return absl::InternalError("no due date");
      absl::StatusOr<absl::CivilDay> last = due;
      for (int i = 0; i < rules.apology_lead_working_days && last.ok(); ++i) {
        last = cal.PreviousWorkingDay(*last);
      }
      if (!last.ok()) return last.status();
      if (today > *last) {
        return absl::FailedPreconditionError(
            absl::StrCat("the apology was due no later than ", absl::FormatCivilTime(*last), ", ",
                         WorkingDays(rules.apology_lead_working_days), " before the due date ",
                         d.due_date(), " (", rules.basis, ")"));
      }
      if (new_due <= due) {
        return InvalidArgumentWithViolations(
            {{"new_due_date", absl::StrCat("must be after the due date ", d.due_date())}});
      }
      auto working = cal.IsWorkingDay(new_due);
      if (!working.ok()) return working.status();
      if (!*working) {
        return InvalidArgumentWithViolations({{"new_due_date", "must be a working day"}});
      }
      auto* a = d.mutable_apology();
      *a->mutable_time() = ToProto(in.now);
      a->set_reason(in.reason);
      a->set_previous_due_date(d.due_date());
      a->set_new_due_date(in.new_due_date);
      d.set_due_date(in.new_due_date);
      *d.mutable_deadline() = ToProto(calendar::WorkingCalendar::EndOf(new_due));
      return absl::StrCat("apology issued; new date ", in.new_due_date, ": ", in.reason);
    }

    case Action::kRecordResult: {
      const bool on_the_spot = p.limit().unit() == v1::LIMIT_UNIT_ON_THE_SPOT;
      if (!(d.state() == v1::DOSSIER_STATE_IN_PROGRESS ||
            (on_the_spot && d.state() == v1::DOSSIER_STATE_ACCEPTED))) {
        return NotIn(d, "record a result for");
      }
      if (!OtherAgenciesStepsCompleted(d)) {
        std::vector<std::string> waiting;
        bool own_under_way = false;
        for (const auto& s : d.steps()) {
          if (!s.own() && s.state() != v1::STEP_STATE_COMPLETED) {
            waiting.push_back(s.agency_code());
          }
          own_under_way = own_under_way || (s.own() && s.state() == v1::STEP_STATE_IN_PROGRESS);
        }
        return absl::FailedPreconditionError(absl::StrCat(
            "the results of other agencies' steps are awaited: ", absl::StrJoin(waiting, ", "),
            own_under_way ? " (complete this agency's own step first: CompleteStep)" : ""));
      }
      absl::CivilDay due;
      if (!absl::ParseCivilTime(d.due_date(), &due)) return absl::InternalError("no due date");
      FinishOwnSteps(d, today, in.now);
      *d.mutable_finished_time() = ToProto(in.now);
      d.set_outcome(Classify(today, due));
      ScoreFinished(d);
      SetState(d, v1::DOSSIER_STATE_PROCESSED);
      return absl::StrCat("result ready (", v1::OutcomeClass_Name(d.outcome()), ")",
                          in.note.empty() ? "" : ": " + in.note);
    }

    case Action::kCompleteStep: {
      Validator v;
      v.Check(in.step_index >= 0, "step_index", "required: the step's index in the route");
      v.Check(in.note.size() <= 2000, "note", "at most 2,000 bytes");
      if (!v.ok()) return v.status();
      if (d.state() != v1::DOSSIER_STATE_IN_PROGRESS) return NotIn(d, "complete a step of");
      auto step = CompleteOwnStep(d, in.step_index, today, in.now);
      if (!step.ok()) return step.status();
      return absl::StrCat("step ", (*step)->name(), " done (",
                          v1::OutcomeClass_Name((*step)->outcome()), ")",
                          in.note.empty() ? "" : ": " + in.note);
    }

    case Action::kReturnResult:
      if (d.state() != v1::DOSSIER_STATE_PROCESSED) return NotIn(d, "return the result of");
      SetState(d, v1::DOSSIER_STATE_RETURNED);
      return std::string("result returned to the applicant");

    case Action::kWithdraw:
      if (!In(d.state(), {v1::DOSSIER_STATE_SUBMITTED, v1::DOSSIER_STATE_ACCEPTED,
                          v1::DOSSIER_STATE_SUPPLEMENT_REQUESTED, v1::DOSSIER_STATE_IN_PROGRESS,
                          v1::DOSSIER_STATE_PAYMENT_REQUESTED})) {
        return NotIn(d, "withdraw");
      }
      SetState(d, v1::DOSSIER_STATE_WITHDRAWN);
      {
        // Ending a dossier ends its steps, in the same change (Decree 61/2018: the holder
        // answers for the whole liên thông chain).
        std::string note =
            absl::StrCat("withdrawn by the applicant", in.reason.empty() ? "" : ": " + in.reason);
        CancelOpenSteps(d, note, today, in.now);
        return note;
      }

    case Action::kStop: {
      Validator v;
      if (in.reasons.empty()) v.Add("reasons", "a refusal to resolve must give its reasons");
      for (size_t i = 0; i < in.reasons.size(); ++i) {
        v.Check(!in.reasons[i].empty(), absl::StrCat("reasons[", i, "]"), "must say why");
      }
      if (!v.ok()) return v.status();
      if (!In(d.state(), {v1::DOSSIER_STATE_ACCEPTED, v1::DOSSIER_STATE_IN_PROGRESS,
                          v1::DOSSIER_STATE_PAYMENT_REQUESTED})) {
        return NotIn(d, "stop");
      }
      for (const auto& r : in.reasons) d.add_stop_reasons(r);
      // The refusal is due within the time limit; a later one is recorded, and flagged.
      absl::CivilDay due;
      const bool late = absl::ParseCivilTime(d.due_date(), &due) && today > due;
      if (late) d.mutable_quality()->set_stopped_late(true);
      SetState(d, v1::DOSSIER_STATE_STOPPED);
      std::string note = absl::StrCat("processing stopped: ", absl::StrJoin(in.reasons, "; "));
      CancelOpenSteps(d, note, today, in.now);
      return absl::StrCat(note, late ? absl::StrCat(" (late: due ", d.due_date(), ")") : "");
    }

    case Action::kRequestPayment: {
      // Fees and charges due before the result (portal status 6). The clock keeps running: no
      // rule at hand pauses it (DOMAIN.md lists no pause for payment).
      Validator v;
      v.Check(in.amount_vnd > 0 && in.amount_vnd <= 10'000'000'000, "amount_vnd",
              "required: the amount in đồng, 1..10,000,000,000");
      v.Check(!in.reason.empty() && in.reason.size() <= 500, "reason",
              "required: what is to be paid (e.g. the fee named in the procedure)");
      if (!v.ok()) return v.status();
      if (d.state() != v1::DOSSIER_STATE_IN_PROGRESS) return NotIn(d, "request payment for");
      auto* pay = d.mutable_payment();
      pay->set_amount_vnd(in.amount_vnd);
      pay->set_reason(in.reason);
      *pay->mutable_request_time() = ToProto(in.now);
      pay->clear_reference();
      pay->clear_paid_time();
      SetState(d, v1::DOSSIER_STATE_PAYMENT_REQUESTED);
      return absl::StrCat("payment of ", in.amount_vnd, " đồng requested: ", in.reason);
    }

    case Action::kConfirmPayment: {
      Validator v;
      v.Check(!in.payment_reference.empty() && in.payment_reference.size() <= 128,
              "payment_reference", "required: the receipt or transaction reference");
      if (!v.ok()) return v.status();
      if (d.state() != v1::DOSSIER_STATE_PAYMENT_REQUESTED) return NotIn(d, "confirm payment for");
      d.mutable_payment()->set_reference(in.payment_reference);
      *d.mutable_payment()->mutable_paid_time() = ToProto(in.now);
      SetState(d, v1::DOSSIER_STATE_IN_PROGRESS);
      return absl::StrCat("payment received (", in.payment_reference, ")");
    }
  }
  return absl::InvalidArgumentError("unknown action");
}

}  // namespace localgov::dossier

#include "services/petition/lifecycle.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/time_util.h"
#include "services/petition/clocks.h"

namespace localgov::petition {
namespace {

using google::protobuf::util::TimeUtil;
using v1::Petition;
using v1::PetitionState;

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}
absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(t));
}

absl::Status Refuse(absl::string_view why) { return absl::FailedPreconditionError(why); }

std::string StateName(PetitionState s) {
  std::string n = v1::PetitionState_Name(s);
  return n.substr(std::string("PETITION_STATE_").size());
}

absl::Status InState(const Petition& p, std::initializer_list<PetitionState> allowed,
                     absl::string_view what) {
  for (auto s : allowed) {
    if (p.state() == s) return absl::OkStatus();
  }
  std::vector<std::string> names;
  for (auto s : allowed) names.push_back(StateName(s));
  return Refuse(absl::StrCat(what, " needs the petition ", absl::StrJoin(names, " or "), "; it is ",
                             StateName(p.state())));
}

bool IsComplaint(const Petition& p) { return p.kind() == v1::PETITION_KIND_COMPLAINT; }
bool IsDenunciation(const Petition& p) { return p.kind() == v1::PETITION_KIND_DENUNCIATION; }

absl::StatusOr<std::string> Classify(Petition& p, const PetitionRules& r,
                                     const calendar::WorkingCalendar& cal,
                                     const TransitionInput& in) {
  if (auto st = InState(p, {v1::PETITION_STATE_RECEIVED}, "classification"); !st.ok()) return st;
  auto* c = p.mutable_classification();
  c->set_decision(in.decision);
  c->set_reason(in.text);
  *c->mutable_decide_time() = ToProto(in.now);
  c->set_decided_by(in.actor);
  switch (in.decision) {
    case v1::CLASSIFICATION_DECISION_ACCEPT: {
      if (IsComplaint(p)) {
        auto last = LimitationDay(p, r, cal);
        if (!last.ok()) return last.status();
        absl::CivilDay receipt;
        calendar::ParseDate(p.receipt_date(), &receipt);
        if (last->has_value() && receipt > **last && in.excuse.empty()) {
          return Refuse(absl::StrCat("the complaint was received on ", p.receipt_date(),
                                     ", after its limitation ended on ",
                                     absl::FormatCivilTime(**last),
                                     ": not process it (OUT_OF_TIME), or give the excuse (illness, "
                                     "natural disaster, ...)"));
        }
      }
      if (!in.withdrawn_before.empty() && in.excuse.empty()) {
        return Refuse(absl::StrCat("the same content was withdrawn in petition ",
                                   in.withdrawn_before,
                                   " and is not considered again unless coercion is shown "
                                   "(Law 136/2025): not process it (WITHDRAWN_BEFORE), or give "
                                   "the coercion shown as the excuse"));
      }
      p.set_state(v1::PETITION_STATE_ACCEPTED);
      p.set_accept_date(absl::FormatCivilTime(calendar::VietnamDay(in.now)));
      if (in.complexity != v1::COMPLEXITY_UNSPECIFIED) p.set_complexity(in.complexity);
      if (p.complexity() == v1::COMPLEXITY_UNSPECIFIED) p.set_complexity(v1::COMPLEXITY_NORMAL);
      std::string note = absl::StrCat("accepted (thụ lý): ", in.text);
      if (!in.excuse.empty()) absl::StrAppend(&note, "; excused: ", in.excuse);
      return note;
    }
    case v1::CLASSIFICATION_DECISION_FORWARD:
      if (IsComplaint(p)) {
        return Refuse(
            "a complaint outside jurisdiction is not forwarded: guide the citizen "
            "(GUIDE) to the competent body");
      }
      c->set_competent_agency_code(in.competent_agency);
      p.set_state(v1::PETITION_STATE_FORWARDED);
      p.mutable_forward()->set_to_agency_code(in.competent_agency);
      *p.mutable_forward()->mutable_forward_time() = ToProto(in.now);
      return absl::StrCat("forwarded to ", in.competent_agency, ": ", in.text);
    case v1::CLASSIFICATION_DECISION_GUIDE:
      if (!IsComplaint(p) && !IsDenunciation(p)) {
        return Refuse(
            "a recommendation or reflection outside jurisdiction is forwarded "
            "(FORWARD) to the competent body, not guided");
      }
      c->set_competent_agency_code(in.competent_agency);
      p.set_state(v1::PETITION_STATE_GUIDED);
      return absl::StrCat("guided to ", in.competent_agency, ": ", in.text);
    case v1::CLASSIFICATION_DECISION_NOT_PROCESS:
      c->set_not_processed_reason(in.not_processed_reason);
      p.set_state(v1::PETITION_STATE_NOT_PROCESSED);
      return absl::StrCat("not processed (",
                          v1::NotProcessedReason_Name(in.not_processed_reason).substr(21),
                          "): ", in.text);
    default:
      return absl::InvalidArgumentError("decision: required");
  }
}

absl::StatusOr<std::string> Extend(Petition& p, const PetitionRules& r,
                                   const calendar::WorkingCalendar& cal,
                                   const TransitionInput& in) {
  if (!IsDenunciation(p)) {
    return Refuse(
        "only a denunciation's resolution period is extended (Law on Denunciation "
        "Art. 30); a complaint's period follows its complexity, set at acceptance");
  }
  if (auto st = InState(p, {v1::PETITION_STATE_ACCEPTED}, "an extension"); !st.ok()) return st;
  const v1::Complexity complexity =
      in.complexity != v1::COMPLEXITY_UNSPECIFIED ? in.complexity : p.complexity();
  const int allowed = complexity == v1::COMPLEXITY_ESPECIALLY_COMPLEX
                          ? r.extensions_especially_complex
                      : complexity == v1::COMPLEXITY_COMPLEX ? r.extensions_complex
                                                             : 0;
  if (allowed == 0) {
    return Refuse(
        "only a complex or especially complex denunciation is extended: give the "
        "complexity the extension rests on");
  }
  if (p.extensions_size() >= allowed) {
    return Refuse(
        absl::StrCat("a ", complexity == v1::COMPLEXITY_COMPLEX ? "complex" : "especially complex",
                     " denunciation is extended at most ", allowed,
                     allowed == 1 ? " time" : " times", "; it was extended ", p.extensions_size()));
  }
  if (in.days < 1 || in.days > r.extension_max_days) {
    return Refuse(absl::StrCat("an extension is 1 to ", r.extension_max_days, " days"));
  }
  // Decided before the period ends.
  if (auto st = ComputeClocks(p, r, cal, calendar::VietnamDay(in.now)); !st.ok()) return st;
  for (const auto& d : p.deadlines()) {
    if (d.kind() == v1::DEADLINE_KIND_RESOLUTION && d.overdue()) {
      return Refuse(absl::StrCat("the resolution period ended on ", d.due_date(),
                                 "; an extension is decided before it ends"));
    }
  }
  p.set_complexity(complexity);
  auto* e = p.add_extensions();
  e->set_number(p.extensions_size());
  e->set_days(in.days);
  e->set_reason(in.text);
  e->set_decision_number(in.decision_number);
  *e->mutable_decide_time() = ToProto(in.now);
  if (auto st = ComputeClocks(p, r, cal, calendar::VietnamDay(in.now)); !st.ok()) return st;
  for (const auto& d : p.deadlines()) {
    if (d.kind() == v1::DEADLINE_KIND_RESOLUTION) e->set_new_due_date(d.due_date());
  }
  return absl::StrCat("resolution period extended (", e->number(), ") by ", in.days, " days to ",
                      e->new_due_date(), ": ", in.text);
}

bool OutcomeSuits(const Petition& p, v1::Outcome o) {
  switch (p.kind()) {
    case v1::PETITION_KIND_COMPLAINT:
      return o == v1::OUTCOME_COMPLAINT_RIGHT || o == v1::OUTCOME_COMPLAINT_PARTLY_RIGHT ||
             o == v1::OUTCOME_COMPLAINT_WRONG;
    case v1::PETITION_KIND_DENUNCIATION:
      return o == v1::OUTCOME_DENUNCIATION_FOUNDED ||
             o == v1::OUTCOME_DENUNCIATION_PARTLY_FOUNDED ||
             o == v1::OUTCOME_DENUNCIATION_UNFOUNDED;
    default:
      return o == v1::OUTCOME_ANSWERED;
  }
}

}  // namespace

const char* ActionName(Action a) {
  switch (a) {
    case Action::kClassify:
      return "ClassifyPetition";
    case Action::kAssign:
      return "AssignPetition";
    case Action::kVerify:
      return "RecordVerification";
    case Action::kDialogue:
      return "RecordDialogue";
    case Action::kExtend:
      return "ExtendPetition";
    case Action::kSuspend:
      return "SuspendPetition";
    case Action::kResume:
      return "ResumePetition";
    case Action::kClose:
      return "ClosePetition";
    case Action::kDecide:
      return "DecidePetition";
    case Action::kPublish:
      return "PublishDecision";
    case Action::kAnswerArrived:
      return "ReferralResult";
  }
  return "Transition";
}

bool IsFinal(PetitionState s) {
  return s == v1::PETITION_STATE_GUIDED || s == v1::PETITION_STATE_NOT_PROCESSED ||
         s == v1::PETITION_STATE_RESOLVED || s == v1::PETITION_STATE_WITHDRAWN ||
         s == v1::PETITION_STATE_CLOSED;
}

absl::StatusOr<std::string> ApplyTransition(Petition& p, const PetitionRules& r,
                                            const calendar::WorkingCalendar& cal,
                                            const TransitionInput& in) {
  const absl::CivilDay today = calendar::VietnamDay(in.now);
  absl::StatusOr<std::string> note = std::string();
  switch (in.action) {
    case Action::kClassify:
      note = Classify(p, r, cal, in);
      break;
    case Action::kAssign:
      if (auto st = InState(p,
                            {v1::PETITION_STATE_RECEIVED, v1::PETITION_STATE_ACCEPTED,
                             v1::PETITION_STATE_SUSPENDED},
                            "an assignment");
          !st.ok())
        return st;
      if (p.officer() == in.officer)
        return Refuse(absl::StrCat("already assigned to ", in.officer));
      p.set_officer(in.officer);
      note = absl::StrCat("assigned to ", in.officer);
      break;
    case Action::kVerify: {
      if (auto st = InState(p, {v1::PETITION_STATE_RECEIVED, v1::PETITION_STATE_ACCEPTED},
                            "a verification");
          !st.ok())
        return st;
      auto* v = p.add_verifications();
      v->set_note(in.text);
      *v->mutable_record_time() = ToProto(in.now);
      v->set_recorded_by(in.actor);
      note = absl::StrCat("verification recorded: ", in.text);
      break;
    }
    case Action::kDialogue: {
      if (!IsComplaint(p)) return Refuse("dialogue meetings belong to complaints");
      if (auto st = InState(p, {v1::PETITION_STATE_ACCEPTED}, "a dialogue"); !st.ok()) return st;
      auto* d = p.add_dialogues();
      *d->mutable_held_time() = ToProto(in.held);
      for (const auto& who : in.participants) d->add_participants(who);
      d->set_minutes(in.text);
      d->set_recorded_by(in.actor);
      note = absl::StrCat("dialogue held on ",
                          absl::FormatTime("%Y-%m-%d", in.held, calendar::VietnamTime()), " with ",
                          in.participants.size(), " participants");
      break;
    }
    case Action::kExtend:
      note = Extend(p, r, cal, in);
      break;
    case Action::kSuspend: {
      if (r.suspension_allowed == 0) {
        return Refuse(
            absl::StrCat("suspension is not provided by the rule set of this "
                         "petition's day of receipt (",
                         r.basis, "); Law 136/2025 provides it from 2026-07-01"));
      }
      if (auto st = InState(p, {v1::PETITION_STATE_ACCEPTED}, "a suspension"); !st.ok()) return st;
      auto* s = p.add_suspensions();
      s->set_reason(in.text);
      s->set_awaiting(in.awaiting);
      *s->mutable_suspend_time() = ToProto(in.now);
      p.set_state(v1::PETITION_STATE_SUSPENDED);
      note = absl::StrCat("suspended awaiting ", in.awaiting, ": ", in.text);
      break;
    }
    case Action::kResume: {
      if (auto st = InState(p, {v1::PETITION_STATE_SUSPENDED}, "resuming"); !st.ok()) return st;
      auto* s = p.mutable_suspensions(p.suspensions_size() - 1);
      *s->mutable_resume_time() = ToProto(in.now);
      const absl::CivilDay from = calendar::VietnamDay(FromProto(s->suspend_time()));
      s->set_days_stopped(static_cast<int>(std::max<int64_t>(0, today - from)));
      p.set_state(v1::PETITION_STATE_ACCEPTED);
      note = absl::StrCat("resumed after ", s->days_stopped(), " days: ", in.text);
      break;
    }
    case Action::kClose: {
      if (auto st = InState(p,
                            {v1::PETITION_STATE_RECEIVED, v1::PETITION_STATE_ACCEPTED,
                             v1::PETITION_STATE_SUSPENDED, v1::PETITION_STATE_FORWARDED},
                            "closing");
          !st.ok())
        return st;
      auto* c = p.mutable_closing();
      c->set_reason(in.close_reason);
      c->set_note(in.text);
      *c->mutable_close_time() = ToProto(in.now);
      if (in.close_reason == v1::CLOSE_REASON_WITHDRAWN) {
        p.set_state(v1::PETITION_STATE_WITHDRAWN);
        note = absl::StrCat("withdrawn: ", in.text);
        if (r.withdrawal_final != 0) {
          absl::StrAppend(&*note, " (not considered again unless coercion is shown)");
        }
      } else {
        p.set_state(v1::PETITION_STATE_CLOSED);
        note = absl::StrCat("closed, no longer within jurisdiction: ", in.text);
      }
      break;
    }
    case Action::kDecide: {
      if (auto st = InState(p, {v1::PETITION_STATE_ACCEPTED}, "a decision"); !st.ok()) return st;
      if (!OutcomeSuits(p, in.outcome)) {
        return Refuse(absl::StrCat("outcome ", v1::Outcome_Name(in.outcome), " does not suit a ",
                                   v1::PetitionKind_Name(p.kind())));
      }
      if (auto st = ComputeClocks(p, r, cal, today); !st.ok()) return st;
      bool on_time = true;
      for (const auto& d : p.deadlines()) {
        if (d.kind() == v1::DEADLINE_KIND_RESOLUTION && d.overdue()) on_time = false;
      }
      auto* res = p.mutable_resolution();
      res->set_outcome(in.outcome);
      res->set_decision_number(in.decision_number);
      res->set_summary(in.text);
      *res->mutable_decide_time() = ToProto(in.now);
      res->set_on_time(on_time);
      p.set_state(v1::PETITION_STATE_RESOLVED);
      note =
          absl::StrCat("decided (", v1::Outcome_Name(in.outcome).substr(8), ")",
                       in.decision_number.empty() ? "" : absl::StrCat(" by ", in.decision_number),
                       on_time ? "" : ", after its period", ": ", in.text);
      break;
    }
    case Action::kPublish:
      if (auto st = InState(p, {v1::PETITION_STATE_RESOLVED}, "a publication"); !st.ok()) return st;
      if (!p.resolution().publication().empty()) {
        return Refuse(absl::StrCat("already published: ", p.resolution().publication()));
      }
      p.mutable_resolution()->set_publication(in.text);
      *p.mutable_resolution()->mutable_publish_time() = ToProto(in.now);
      note = absl::StrCat("decision published: ", in.text);
      break;
    case Action::kAnswerArrived: {
      if (auto st = InState(p, {v1::PETITION_STATE_FORWARDED}, "an answer"); !st.ok()) return st;
      p.mutable_forward()->set_answer(in.text);
      *p.mutable_forward()->mutable_answer_time() = ToProto(in.now);
      auto* res = p.mutable_resolution();
      res->set_outcome(v1::OUTCOME_ANSWERED);
      res->set_summary(in.text);
      *res->mutable_decide_time() = ToProto(in.now);
      res->set_on_time(true);
      res->set_answered_by_agency_code(in.from_agency);
      p.set_state(v1::PETITION_STATE_RESOLVED);
      note = absl::StrCat("answered by ", in.from_agency, ": ", in.text);
      break;
    }
  }
  if (!note.ok()) return note;
  if (auto st = ComputeClocks(p, r, cal, today); !st.ok()) return st;
  return note;
}

}  // namespace localgov::petition

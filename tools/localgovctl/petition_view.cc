#include "tools/localgovctl/petition_view.h"

#include <cctype>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"

namespace localgovctl::petition_cli {
namespace {

const absl::TimeZone& Vietnam() {
  static const absl::TimeZone tz = absl::FixedTimeZone(7 * 3600);
  return tz;
}

}  // namespace

void AddWho(CLI::App* sub, Who& w, const std::string& role, const std::string& subject) {
  w.role = role;
  w.subject = subject;
  sub->add_option("--role", w.role, "token role (default " + role + ")");
  sub->add_option("--agency", w.agency, "token agency (default 000.00.31.H41)");
  sub->add_option("--subject", w.subject, "token subject (default " + subject + ")");
}

std::string Word(const std::string& enum_name, const std::string& prefix) {
  std::string s = Short(enum_name, prefix);
  for (auto& c : s) c = c == '_' ? '-' : static_cast<char>(std::tolower(c));
  return s;
}

std::string KindWord(pv1::PetitionKind k) {
  return Word(pv1::PetitionKind_Name(k), "PETITION_KIND_");
}
std::string StateWord(pv1::PetitionState s) {
  return Word(pv1::PetitionState_Name(s), "PETITION_STATE_");
}

std::string When(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixSeconds(t.seconds()), Vietnam());
}

// "YYYY-MM-DD HH:MM" or "YYYY-MM-DD" in Vietnam time.
bool ParseWhen(const std::string& text, google::protobuf::Timestamp* out) {
  absl::Time t;
  std::string err;
  if (!absl::ParseTime("%Y-%m-%d %H:%M", text, Vietnam(), &t, &err) &&
      !absl::ParseTime("%Y-%m-%d", text, Vietnam(), &t, &err)) {
    std::cerr << "localgovctl: a time is \"YYYY-MM-DD HH:MM\" (Vietnam time): " << text << "\n";
    return false;
  }
  out->set_seconds(absl::ToUnixSeconds(t));
  return true;
}

// At most `n` characters of UTF-8 text (whole code points), "…" when cut.
std::string Clip(const std::string& s, size_t n) {
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && chars++ == n) {
      return s.substr(0, i) + "…";
    }
  }
  return s;
}

// Pads UTF-8 text to `n` characters (printf counts bytes).
std::string Pad(const std::string& s, size_t n) {
  size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80 ? 1 : 0;
  return chars >= n ? s : s + std::string(n - chars, ' ');
}

void PrintPerson(const std::string& label, const pv1::Person& p) {
  std::cout << label << p.full_name();
  if (!p.citizen_id().empty()) std::cout << ", CCCD " << p.citizen_id();
  if (!p.address().empty()) std::cout << ", " << p.address();
  if (!p.phone().empty()) std::cout << ", tel " << p.phone();
  if (!p.email().empty()) std::cout << ", " << p.email();
  std::cout << "\n";
}

void PrintPetition(const pv1::Petition& p) {
  std::cout << "petition   " << p.code() << " (version " << p.version() << ")\n"
            << "kind       " << KindWord(p.kind())
            << (p.complaint_round() == 2 ? " (second complaint)" : "") << ", field "
            << Word(pv1::PetitionField_Name(p.field()), "PETITION_FIELD_") << ", channel "
            << Word(pv1::PetitionChannel_Name(p.channel()), "PETITION_CHANNEL_") << "\n"
            << "state      " << StateWord(p.state()) << (p.overdue() ? "  ** OVERDUE **" : "")
            << "\n"
            << "agency     " << p.agency_code() << "\n"
            << "received   " << When(p.received_time()) << " (day of receipt " << p.receipt_date()
            << "; rule set " << p.rule_set() << ")\n"
            << "title      " << p.title() << "\n"
            << "content    " << p.content() << "\n";
  if (p.kind() == pv1::PETITION_KIND_DENUNCIATION) {
    std::cout << "denouncer  "
              << (p.identity_sealed() ? "sealed (petition reveal, leader or inspector)"
                                      : "none given")
              << "\n";
  } else if (p.anonymous()) {
    std::cout << "petitioner anonymous\n";
  } else if (p.has_petitioner()) {
    PrintPerson("petitioner ", p.petitioner());
  }
  const auto& a = p.act();
  if (!a.description().empty() || !a.decision_number().empty() || !a.dossier_code().empty()) {
    std::cout << "act        " << a.description()
              << (a.decision_number().empty() ? "" : " [" + a.decision_number() + "]")
              << (a.decision_date().empty() ? "" : " of " + a.decision_date())
              << (a.issuing_agency_code().empty() ? "" : " by " + a.issuing_agency_code())
              << (a.dossier_code().empty() ? "" : " dossier " + a.dossier_code()) << "\n";
  }
  if (!p.learned_date().empty()) std::cout << "learned    " << p.learned_date() << "\n";
  if (!p.first_petition_code().empty() || !p.first_decision_date().empty()) {
    std::cout << "first      " << p.first_petition_code() << " decided " << p.first_decision_date()
              << "\n";
  }
  for (const auto& x : p.parties()) {
    std::cout << "party      " << x.name() << (x.role().empty() ? "" : " (" + x.role() + ")")
              << (x.agency_code().empty() ? "" : " " + x.agency_code()) << "\n";
  }
  for (const auto& x : p.attachments()) {
    std::cout << "attachment " << x.file_name()
              << (x.description().empty() ? "" : ": " + x.description()) << "\n";
  }
  std::vector<std::string> flags;
  if (p.complexity() != pv1::COMPLEXITY_UNSPECIFIED) {
    flags.push_back(Word(pv1::Complexity_Name(p.complexity()), "COMPLEXITY_"));
  }
  if (p.remote_area()) flags.push_back("remote area");
  if (p.several_places()) flags.push_back("several places");
  if (!flags.empty()) std::cout << "handling   " << absl::StrJoin(flags, ", ") << "\n";
  if (!p.officer().empty()) std::cout << "officer    " << p.officer() << "\n";
  if (!p.accept_date().empty()) std::cout << "accepted   " << p.accept_date() << "\n";
  std::cout << "deadlines:\n";
  for (const auto& d : p.deadlines()) {
    std::cout << "  " << Pad(Word(pv1::DeadlineKind_Name(d.kind()), "DEADLINE_KIND_"), 17)
              << d.due_date() << "  "
              << (d.overdue()   ? "OVERDUE "
                  : d.binding() ? "binding "
                                : "info    ")
              << d.basis() << "\n";
  }
  if (p.has_classification()) {
    const auto& c = p.classification();
    std::cout << "classified "
              << Word(pv1::ClassificationDecision_Name(c.decision()), "CLASSIFICATION_DECISION_")
              << (c.competent_agency_code().empty() ? "" : " to " + c.competent_agency_code())
              << (c.not_processed_reason() == pv1::NOT_PROCESSED_REASON_UNSPECIFIED
                      ? ""
                      : " (" +
                            Word(pv1::NotProcessedReason_Name(c.not_processed_reason()),
                                 "NOT_PROCESSED_REASON_") +
                            ")")
              << " on " << When(c.decide_time()) << " by " << c.decided_by() << ": " << c.reason()
              << "\n";
  }
  for (const auto& v : p.verifications()) {
    std::cout << "verified   " << When(v.record_time()) << " by " << v.recorded_by() << ": "
              << v.note() << "\n";
  }
  for (const auto& d : p.dialogues()) {
    std::cout << "dialogue   " << When(d.held_time()) << " with "
              << absl::StrJoin(d.participants(), ", ") << ": " << d.minutes() << "\n";
  }
  for (const auto& e : p.extensions()) {
    std::cout << "extension  " << e.number() << ": +" << e.days() << " days to " << e.new_due_date()
              << (e.decision_number().empty() ? "" : " [" + e.decision_number() + "]") << " on "
              << When(e.decide_time()) << ": " << e.reason() << "\n";
  }
  for (const auto& s : p.suspensions()) {
    std::cout << "suspended  " << When(s.suspend_time()) << " awaiting " << s.awaiting() << ": "
              << s.reason();
    if (s.has_resume_time()) {
      std::cout << "; resumed " << When(s.resume_time()) << " (" << s.days_stopped()
                << " days stopped)";
    }
    std::cout << "\n";
  }
  if (p.has_forward()) {
    const auto& f = p.forward();
    std::cout << "forwarded  to " << f.to_agency_code() << " on " << When(f.forward_time())
              << (f.envelope_id().empty() ? "" : " (envelope " + f.envelope_id() + ")") << "\n";
    if (!f.answer().empty()) {
      std::cout << "answer     " << When(f.answer_time()) << ": " << f.answer() << "\n";
    }
  }
  if (p.has_forwarded_from()) {
    std::cout << "came from  " << p.forwarded_from().agency_code() << " "
              << p.forwarded_from().petition_code() << "\n";
  }
  if (p.has_resolution()) {
    const auto& r = p.resolution();
    std::cout << "resolution " << Word(pv1::Outcome_Name(r.outcome()), "OUTCOME_")
              << (r.decision_number().empty() ? "" : " [" + r.decision_number() + "]") << " on "
              << When(r.decide_time()) << (r.on_time() ? " (on time)" : " (late)")
              << (r.answered_by_agency_code().empty() ? "" : " by " + r.answered_by_agency_code())
              << ": " << r.summary() << "\n";
    if (!r.publication().empty()) {
      std::cout << "published  " << When(r.publish_time()) << ": " << r.publication() << "\n";
    }
  }
  if (p.has_closing()) {
    std::cout << "closed     " << Word(pv1::CloseReason_Name(p.closing().reason()), "CLOSE_REASON_")
              << " on " << When(p.closing().close_time()) << ": " << p.closing().note() << "\n";
  }
  if (p.events_size() > 0) std::cout << "history:\n";
  for (const auto& e : p.events()) {
    std::cout << "  #" << e.sequence() << " " << When(e.time()) << " "
              << (e.actor().empty() ? "" : e.actor() + " (" + e.role() + ") ")
              << (e.from_state() == pv1::PETITION_STATE_UNSPECIFIED
                      ? ""
                      : StateWord(e.from_state()) + " -> ")
              << StateWord(e.to_state()) << ": " << e.note() << "\n";
  }
}

void PrintRelatedDossiers(const google::protobuf::RepeatedPtrField<pv1::RelatedDossier>& related) {
  for (const auto& d : related) {
    std::cout << "dossier      " << d.dossier_code() << " ("
              << Word(pv1::DossierCaseKind_Name(d.kind()), "DOSSIER_CASE_KIND_") << ", "
              << d.procedure_code() << ": " << absl::StrJoin(d.reasons(), "; ") << ")\n";
  }
}

}  // namespace localgovctl::petition_cli

#include "services/petition/matching.h"

#include "common/person_key.h"

#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "common/calendar/calendar.h"
#include "common/crypto.h"
#include "common/text.h"

namespace localgov::petition {
namespace {

std::string PersonKey(bool denunciation, const std::string& material, const BlindIndex& blind) {
  if (denunciation) {
    if (!blind) return "";
    const std::string b = blind(material);
    return b.empty() ? "" : absl::StrCat("b:", b);
  }
  return absl::StrCat("h:", Sha256Hex(material));  // = CitizenIdKey / NameAddressKey
}

}  // namespace

absl::StatusOr<MatchingSettings> MatchingSettings::Parse(std::string_view text) {
  MatchingSettings s;
  for (absl::string_view item :
       absl::StrSplit(absl::string_view(text.data(), text.size()), ',', absl::SkipWhitespace())) {
    item = absl::StripAsciiWhitespace(item);
    const std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(item, absl::MaxSplits('=', 1));
    const std::string key(absl::StripAsciiWhitespace(kv.first));
    const absl::string_view value = absl::StripAsciiWhitespace(kv.second);
    double d = 0;
    int n = 0;
    if (key == "min_score" || key == "answered_score") {
      if (!absl::SimpleAtod(value, &d) || !(d > 0 && d <= 1)) {
        return absl::InvalidArgumentError(
            absl::StrCat(kVariable, ": ", key, " is a number in (0, 1]"));
      }
      (key == "min_score" ? s.min_score : s.answered_score) = d;
    } else if (key == "long_running_filings" || key == "long_running_open_days") {
      if (!absl::SimpleAtoi(value, &n) || n < 2 || n > 100000) {
        return absl::InvalidArgumentError(
            absl::StrCat(kVariable, ": ", key, " is a whole number from 2"));
      }
      (key == "long_running_filings" ? s.long_running_filings : s.long_running_open_days) = n;
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          kVariable, ": unknown key '", key,
          "' (min_score, answered_score, long_running_filings, long_running_open_days)"));
    }
  }
  if (s.answered_score < s.min_score) {
    return absl::InvalidArgumentError(
        absl::StrCat(kVariable, ": answered_score is below min_score"));
  }
  return s;
}

std::string MatchingSettings::Describe() const {
  return absl::StrFormat(
      "min_score=%.2f answered_score=%.2f long_running_filings=%d long_running_open_days=%d",
      min_score, answered_score, long_running_filings, long_running_open_days);
}

MatchKeys MatchKeysOf(v1::PetitionKind kind, const v1::Person& person, const std::string& title,
                      const std::string& content, const v1::ActConcerned& act,
                      const BlindIndex& blind) {
  const bool denunciation = kind == v1::PETITION_KIND_DENUNCIATION;
  MatchKeys k;
  // The same keys as the dossier service's reports (common/person_key) — except a denouncer's.
  if (!person.citizen_id().empty()) {
    k.person_id_key = PersonKey(denunciation, CitizenIdMaterial(person.citizen_id()), blind);
  }
  const std::string name_address = NameAddressMaterial(person.full_name(), person.address());
  if (!name_address.empty()) k.person_name_key = PersonKey(denunciation, name_address, blind);
  k.matter_key =
      FoldVietnamese(!act.decision_number().empty() ? act.decision_number() : act.dossier_code());
  k.content_folded = FoldVietnamese(absl::StrCat(title, " ", content));
  return k;
}

Scored ScoreCandidate(const CandidateFacts& f, const MatchingSettings& settings) {
  Scored s;
  if (f.same_id) s.reasons.push_back("same citizen ID");
  if (f.same_name) s.reasons.push_back("same name and address (without diacritics)");
  if (f.same_act) s.reasons.push_back(absl::StrCat("same act concerned: ", f.act));
  const int percent = static_cast<int>(std::lround(f.similarity * 100));
  s.reasons.push_back(absl::StrCat("content ", percent, "% similar (without diacritics)"));
  s.score = f.same_act ? 1.0 : f.similarity;
  s.matches = (f.same_id || (f.same_name && !f.other_id)) && s.score >= settings.min_score;
  return s;
}

std::vector<std::string> RelatedDossierReasons(const DossierCaseFacts& f) {
  std::vector<std::string> reasons;
  if (f.named) reasons.push_back("named in act.dossier_code");
  if (f.same_id) reasons.push_back("same citizen ID");
  if (f.same_name && !f.other_id) reasons.push_back("same name and address (without diacritics)");
  return reasons;
}

bool IsAnswered(v1::PetitionState state) {
  return state == v1::PETITION_STATE_RESOLVED || state == v1::PETITION_STATE_GUIDED ||
         state == v1::PETITION_STATE_NOT_PROCESSED;
}

EarlierAnswer AnswerOf(const v1::Petition& p) {
  EarlierAnswer a;
  const auto day = [](const google::protobuf::Timestamp& t) {
    return absl::FormatCivilTime(calendar::VietnamDay(absl::FromUnixSeconds(t.seconds())));
  };
  if (p.has_resolution()) {
    a.text = p.resolution().summary();
    a.day = day(p.resolution().decide_time());
    a.decision_number = p.resolution().decision_number();
  } else if (p.has_closing()) {
    a.text = p.closing().note();
    a.day = day(p.closing().close_time());
  } else if (p.has_classification()) {
    a.text = p.classification().reason();
    a.day = day(p.classification().decide_time());
  }
  return a;
}

bool IsLongRunning(int filings, bool open, int days_open, const MatchingSettings& settings) {
  return filings >= settings.long_running_filings ||
         (open && days_open > settings.long_running_open_days);
}

}  // namespace localgov::petition

// Fuzz target: every parser of a setting (docs/operations.md), byte 0 choosing which, the rest
// the setting's text (or, for the calendar, a CalendarYear message). No crash, no sanitizer
// report, and what a parser accepts survives its round trip where one exists (working hours,
// clock times, sealing keys).
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/calendar/calendar.h"
#include "common/calendar/calendar_proto.h"
#include "common/config.h"
#include "common/directory_snapshot.h"
#include "common/print/paper.h"
#include "localgov/dossier/v1/dossier_service.pb.h"
#include "services/cadre/cadre_rules.h"
#include "services/dossier/portal_codes.h"
#include "services/dossier/quality.h"
#include "services/dossier/rules.h"
#include "services/petition/identity_vault.h"
#include "services/petition/matching.h"
#include "services/petition/reception_rules.h"
#include "services/petition/rules.h"
#include "tests/fuzz/unit_fuzz.h"

namespace localgov::fuzz {
namespace {

enum Parser : uint8_t {
  kOneStopRules,
  kPetitionRules,
  kCadreRules,
  kPortalCodes,
  kWorkingHours,
  kClockTime,
  kQualityWeights,
  kMatching,
  kIdentityKeys,
  kReportPeriod,
  kLookupUrl,
  kDay,
  kTrustKey,
  kHostPort,
  kCalendarYear,
  kParserCount
};

// The days a rule book is asked about: before, at and after the statutory sets.
const absl::CivilDay kDays[] = {absl::CivilDay(1900, 1, 1), absl::CivilDay(2018, 6, 21),
                                absl::CivilDay(2025, 7, 1), absl::CivilDay(2026, 12, 7),
                                absl::CivilDay(2100, 1, 1)};

template <typename Book>
void AskBook(const absl::StatusOr<Book>& book) {
  if (!book.ok()) return;
  for (absl::CivilDay d : kDays) (void)book->InForceOn(d);
  (void)book->Describe();
}

void Run(uint8_t parser, absl::string_view text) {
  const std::string_view stext(text.data(), text.size());
  switch (parser % kParserCount) {
    case kOneStopRules:
      AskBook(dossier::OneStopRuleBook::Parse(text));
      break;
    case kPetitionRules:
      AskBook(petition::PetitionRuleBook::Parse(text));
      break;
    case kCadreRules:
      AskBook(cadre::CadreRuleBook::Parse(text));
      break;
    case kPortalCodes: {
      auto codes = dossier::PortalCodes::Parse(text);
      if (!codes.ok()) break;
      for (int s = dossier::v1::DossierState_MIN; s <= dossier::v1::DossierState_MAX; ++s) {
        if (!dossier::v1::DossierState_IsValid(s)) continue;
        const int code = codes->Of(static_cast<dossier::v1::DossierState>(s));
        if (code < 0 || code > 99) Fail("a portal code outside 0..99");
      }
      break;
    }
    case kWorkingHours: {
      auto hours = calendar::ParseWorkingHours(text);
      if (!hours.ok()) break;
      auto again = calendar::ParseWorkingHours(calendar::FormatWorkingHours(*hours));
      if (!again.ok() || again->intervals != hours->intervals) {
        Fail("working hours do not survive Format then Parse");
      }
      break;
    }
    case kClockTime: {
      auto minutes = calendar::ParseClockTime(text);
      if (!minutes.ok()) break;
      auto again = calendar::ParseClockTime(calendar::FormatClockTime(*minutes));
      if (!again.ok() || *again != *minutes) Fail("a clock time does not survive its round trip");
      break;
    }
    case kQualityWeights:
      (void)dossier::ParseQualityWeights(std::string(text));
      break;
    case kMatching:
      (void)petition::MatchingSettings::Parse(stext);
      break;
    case kIdentityKeys: {
      // The key file's text, then what a stored identity would be opened with.
      const size_t cut = text.find('\x01');
      auto vault = petition::IdentityVault::Parse(text.substr(0, cut));
      if (!vault.ok() || !vault->configured()) break;
      const absl::string_view rest = cut == absl::string_view::npos ? "" : text.substr(cut + 1);
      auto sealed = vault->Seal(rest, "bound");
      if (!sealed.ok()) break;
      auto opened = vault->Open(*sealed, "bound");
      if (!opened.ok() || *opened != rest) Fail("a sealed value does not open to itself");
      if (vault->Open(*sealed, "other").ok()) Fail("a sealed value opens bound to another row");
      (void)vault->Open({vault->current_key_id(), std::string(rest)}, "bound");
      (void)vault->BlindIndex(rest);
      break;
    }
    case kReportPeriod: {
      auto period = petition::ParseReportPeriod(text);
      if (period.ok() && period->first > period->last)
        Fail("a report period ends before it starts");
      break;
    }
    case kLookupUrl: {
      auto url = print::ParseLookupUrlTemplate(text);
      if (url.ok()) (void)print::LookupUrl(*url, "000.00.31.H41-261207-0001");
      break;
    }
    case kDay: {
      auto day = cadre::ParseDay(stext);
      if (day.has_value() && cadre::ParseDay(cadre::FormatDay(*day)) != day) {
        Fail("a day does not survive its round trip");
      }
      absl::CivilDay d;
      (void)calendar::ParseDate(std::string(text), &d);
      break;
    }
    case kTrustKey: {
      auto key = ParseTrustKey(std::string(text));
      if (key.ok() && key->size() != 32) Fail("a trust key that is not 32 bytes");
      break;
    }
    case kHostPort:
      (void)ValidateHostPort(std::string(text));
      break;
    case kCalendarYear: {
      dossier::v1::CalendarYear p;
      if (!p.ParseFromArray(text.data(), static_cast<int>(text.size()))) break;
      auto year = calendar::YearFromProto(p);
      if (year.ok()) (void)calendar::ValidateYear(*year);
      break;
    }
  }
}

void WriteSeeds(SeedWriter& w) {
  w.Add(kOneStopRules, "2026-07-01:supplement_window=2,receipt_cutoff=16:00");
  w.Add(kOneStopRules, "2026-07-01:online_notices=2;2027-01-01:apology_lead=3");
  w.Add(kPetitionRules, "");
  w.Add(kCadreRules, "2026-01-01:early_raise_share_percent=15");
  w.Add(kCadreRules,
        "2026-01-01:evaluation_excellent_share_percent=30;2027-01-01:round2_min_score=60");
  w.Add(kPortalCodes, "PAYMENT_REQUESTED=4,RESULT_RETURNED=10");
  w.Add(kWorkingHours, "07:30-11:30,13:30-17:00");
  w.Add(kWorkingHours, "08:00-12:00");
  w.Add(kClockTime, "16:00");
  w.Add(kQualityWeights, "on_time=20,satisfaction=18,online=12");
  w.Add(kMatching, "min_score=0.3, long_running_filings=3");
  w.Add(kIdentityKeys, petition::IdentityVault::NewKeyLine("k1") + "\n" +
                           petition::IdentityVault::NewKeyLine("index") + "\n\x01" +
                           "001203004567");
  w.Add(kReportPeriod, "2026-05");
  w.Add(kReportPeriod, "2026-Q2");
  w.Add(kReportPeriod, "2026");
  w.Add(kLookupUrl, "https://dichvucong.example.gov.vn/tra-cuu?ma={code}");
  w.Add(kDay, "2026-12-07");
  w.Add(kTrustKey, absl::Base64Escape(std::string(32, '\x07')));
  w.Add(kHostPort, "127.0.0.1:50051");
  w.Add(kHostPort, "[::1]:50054");
}

}  // namespace
}  // namespace localgov::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  localgov::fuzz::InitTarget(localgov::fuzz::WriteSeeds);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  localgov::fuzz::Run(data[0],
                      absl::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
  return 0;
}

// Fuzz target: the directory snapshot reader (common/directory_snapshot), as every receiving
// service runs it. Byte 0 chooses:
//  0 a SignedDirectory as it comes from the liaison or Redis: verified against the trust
//    anchor (the fixed key), and when it verifies, read as below;
//  1 a DirectoryContent, as if verified, read into a DirectoryView and asked what a receiver
//    asks (who answers for a code on a day, whose records it answers for, keys, rights):
//    every chain ends, starts at the code asked, never repeats a code, and every agency
//    AnsweredBy names resolves to the one asked;
//  2 an Envelope checked against a fixed snapshot (CheckSender): OK only when it verifies
//    under a key of its sender in that snapshot;
//  3 a DirectoryContent signed here: it verifies and reads back the same.
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/directory_snapshot.h"
#include "common/envelope.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "localgov/liaison/v1/exchange.pb.h"
#include "localgov/liaison/v1/liaison_service.pb.h"
#include "tests/fuzz/unit_fuzz.h"

namespace localgov::fuzz {
namespace {

namespace lv1 = liaison::v1;
using google::protobuf::util::TimeUtil;

const SigningKey& LiaisonKey() {
  static const SigningKey* key = new SigningKey(FixedEd25519Key("liaison-1", 3));
  return *key;
}
const SigningKey& CommuneKey() {
  static const SigningKey* key = new SigningKey(FixedEd25519Key("fuzz-key-1", 1));
  return *key;
}

const absl::CivilDay kDays[] = {absl::CivilDay(2025, 6, 30), absl::CivilDay(2025, 7, 1),
                                absl::CivilDay(2026, 12, 7)};

void Read(lv1::DirectoryContent content) {
  // A snapshot names at most a few thousand agencies; the reader's cost is asked of a sample.
  std::vector<std::string> codes;
  for (const auto& a : content.agencies()) {
    if (codes.size() < 64) codes.push_back(a.code());
    if (codes.size() < 64 && !a.successor_code().empty()) codes.push_back(a.successor_code());
  }
  const DirectoryView view(std::move(content));
  for (const auto& code : codes) {
    for (absl::CivilDay day : kDays) {
      std::vector<std::string> chain;
      const lv1::Agency* answering = view.ResolveAgency(code, day, &chain);
      if (answering != nullptr) {
        if (chain.empty() || chain.front() != code || chain.back() != answering->code()) {
          Fail("a resolved chain does not run from the code asked to the agency answering");
        }
        if (std::set<std::string>(chain.begin(), chain.end()).size() != chain.size()) {
          Fail("a resolved chain repeats a code");
        }
      }
      const std::vector<std::string> answered = view.AnsweredBy(code, day);
      if (answered.empty() || answered.front() != code) Fail("AnsweredBy does not start at code");
      for (size_t i = 1; i < answered.size(); ++i) {
        const lv1::Agency* via = view.ResolveAgency(answered[i], day);
        if (via == nullptr || via->code() != code) {
          Fail("AnsweredBy names an agency that does not resolve to the code asked");
        }
      }
    }
    (void)view.FindAgency(code);
  }
  for (const auto& k : view.content().keys()) {
    (void)view.KeyValidAt(k.agency_code(), k.key_id(), absl::FromUnixSeconds(1796634000));
  }
  for (const auto& r : view.content().access_rights()) {
    if (!view.Allowed(r.sender_agency_code(), r.type(), r.receiver_agency_code())) {
      Fail("a right of the snapshot is not allowed");
    }
  }
}

void Signed(std::string_view bytes) {
  lv1::SignedDirectory s;
  if (!s.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return;
  auto content = VerifyDirectory(s, LiaisonKey().public_key);
  if (!content.ok()) {
    if (content.status().code() != absl::StatusCode::kUnauthenticated) {
      Fail("a refused snapshot is not UNAUTHENTICATED");
    }
    return;
  }
  Read(*std::move(content));
}

void Content(std::string_view bytes) {
  lv1::DirectoryContent c;
  if (!c.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return;
  Read(std::move(c));
}

void SignHere(std::string_view bytes) {
  lv1::DirectoryContent c;
  if (!c.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return;
  auto back = VerifyDirectory(SignDirectory(c, LiaisonKey()), LiaisonKey().public_key);
  if (!back.ok()) Fail("a snapshot signed here does not verify");
  if (!google::protobuf::util::MessageDifferencer::Equals(*back, c)) {
    Fail("a snapshot signed here reads back different");
  }
  if (VerifyDirectory(SignDirectory(c, CommuneKey()), LiaisonKey().public_key).ok()) {
    Fail("a snapshot signed by another key verifies");
  }
}

lv1::DirectoryContent SeedContent() {
  lv1::DirectoryContent c;
  c.set_version(7);
  *c.mutable_issue_time() = TimeUtil::SecondsToTimestamp(1796634000);
  auto agency = [&](const char* code, lv1::AgencyKind kind) {
    lv1::Agency* a = c.add_agencies();
    a->set_code(code);
    a->set_name(code);
    a->set_kind(kind);
    a->set_status(lv1::AGENCY_STATUS_ACTIVE);
    a->set_receiver_endpoint("service:dossier");
    return a;
  };
  agency("000.00.31.H41", lv1::AGENCY_KIND_COMMUNE_PEOPLES_COMMITTEE);
  agency("000.00.10.G01", lv1::AGENCY_KIND_POLICE);
  agency("000.00.00.H99", lv1::AGENCY_KIND_PROVINCIAL_PEOPLES_COMMITTEE);
  lv1::Agency* merged = agency("000.00.31.H42", lv1::AGENCY_KIND_COMMUNE_PEOPLES_COMMITTEE);
  merged->set_status(lv1::AGENCY_STATUS_MERGED);
  merged->set_successor_code("000.00.31.H41");
  merged->set_status_effective_date("2025-07-01");
  lv1::Agency* older = agency("000.00.31.H43", lv1::AGENCY_KIND_COMMUNE_PEOPLES_COMMITTEE);
  older->set_status(lv1::AGENCY_STATUS_MERGED);
  older->set_successor_code("000.00.31.H42");
  older->set_status_effective_date("2020-01-01");
  lv1::AgencyKeyEntry* k = c.add_keys();
  k->set_agency_code("000.00.31.H41");
  k->set_key_id(CommuneKey().key_id);
  k->set_public_key(CommuneKey().public_key);
  *k->mutable_valid_from() = TimeUtil::SecondsToTimestamp(1767225600);
  for (int type : {1, 2, 3, 4, 5, 6}) {
    lv1::AccessRightEntry* r = c.add_access_rights();
    r->set_sender_agency_code("000.00.31.H41");
    r->set_type(type);
    r->set_receiver_agency_code("000.00.10.G01");
  }
  return c;
}

const DirectoryView& FixedView() {
  static const DirectoryView* view = new DirectoryView(SeedContent());
  return *view;
}

void Sender(std::string_view bytes) {
  lv1::Envelope e;
  if (!e.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return;
  const auto check = FixedView().CheckSender(e, "000.00.10.G01");
  if (check == DirectoryView::SenderCheck::kOk && !VerifyEnvelope(e, CommuneKey().public_key)) {
    Fail("CheckSender accepts an envelope its sender's key did not sign");
  }
}

void WriteSeeds(SeedWriter& w) {
  const lv1::DirectoryContent c = SeedContent();
  w.Add(0, SignDirectory(c, LiaisonKey()));
  w.Add(1, c);
  w.Add(3, c);
  lv1::Envelope e;
  e.set_id("env-000.00.31.H41-1");
  e.set_type(lv1::ENVELOPE_TYPE_STEP_HANDOFF);
  e.set_sender_agency_code("000.00.31.H41");
  e.set_receiver_agency_code("000.00.10.G01");
  e.set_correlation_id("000.00.31.H41-261207-0001");
  e.set_content_type("application/json");
  e.set_payload(R"({"dossier_code":"000.00.31.H41-261207-0001"})");
  *e.mutable_create_time() = TimeUtil::SecondsToTimestamp(1796634000);
  SignEnvelope(e, CommuneKey().key_id, CommuneKey().secret_key);
  w.Add(2, e);
}

}  // namespace
}  // namespace localgov::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  localgov::fuzz::InitTarget(localgov::fuzz::WriteSeeds);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      localgov::fuzz::Signed(rest);
      break;
    case 1:
      localgov::fuzz::Content(rest);
      break;
    case 2:
      localgov::fuzz::Sender(rest);
      break;
    case 3:
      localgov::fuzz::SignHere(rest);
      break;
  }
  return 0;
}

// Fuzz target: envelope canonicalisation and signature checking (common/envelope) and the
// liaison's signed message log as an auditor reads it back (common/signed_log). Byte 0 chooses:
// (byte 0 modulo 8: 0, 2, 3, 5; 1; 4, 6, 7)
//  0 an Envelope as it arrives: its canonical digest is stable, and an envelope that verifies
//    under the fixed key still verifies after a trip through its wire bytes, with the same
//    digest, and no longer verifies once a signed field changes;
//  1 an Envelope signed here with the fixed key: it verifies, its wire bytes re-verify, and a
//    signature by another key does not;
//  2 an exported log bundle (`localgovctl log verify-bundle`): parsed, then checked.
// The seed corpus holds envelopes signed with the fixed key and a real bundle.
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/crypto.h"
#include "common/envelope.h"
#include "common/signed_log.h"
#include "google/protobuf/util/time_util.h"
#include "localgov/liaison/v1/exchange.pb.h"
#include "tests/fuzz/unit_fuzz.h"

namespace localgov::fuzz {
namespace {

namespace lv1 = liaison::v1;

const SigningKey& Key() {
  static const SigningKey* key = new SigningKey(FixedEd25519Key("fuzz-key-1", 1));
  return *key;
}
const SigningKey& OtherKey() {
  static const SigningKey* key = new SigningKey(FixedEd25519Key("fuzz-key-2", 2));
  return *key;
}

// Re-reads `e` from its wire bytes: what the receiver gets.
lv1::Envelope OverTheWire(const lv1::Envelope& e) {
  lv1::Envelope back;
  if (!back.ParseFromString(e.SerializeAsString())) Fail("an envelope does not re-parse");
  return back;
}

void CheckVerifiedEnvelope(const lv1::Envelope& e) {
  const lv1::Envelope back = OverTheWire(e);
  if (EnvelopeDigest(back) != EnvelopeDigest(e)) Fail("the digest changes over the wire");
  if (!VerifyEnvelope(back, Key().public_key)) Fail("a verified envelope does not re-verify");
  // One signed field, changed, breaks the signature (which one: the signature's first byte, so
  // that every run of the target tries each; a signature check costs ~50 us).
  lv1::Envelope changed = e;
  switch (static_cast<uint8_t>(e.signature()[0]) % 5) {
    case 0:
      changed.set_id(e.id() + "x");
      break;
    case 1:
      changed.set_receiver_agency_code(e.receiver_agency_code() + "x");
      break;
    case 2:
      changed.set_payload(e.payload() + "x");
      break;
    case 3:
      changed.mutable_create_time()->set_seconds(e.create_time().seconds() ^ 1);
      break;
    case 4:
      if (VerifyEnvelope(e, OtherKey().public_key)) Fail("an envelope verifies under another key");
      return;
  }
  if (VerifyEnvelope(changed, Key().public_key)) Fail("a changed signed field still verifies");
}

void Arrived(std::string_view bytes) {
  lv1::Envelope e;
  if (!e.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return;
  const std::string digest = EnvelopeDigest(e);
  if (digest.size() != 32) Fail("a digest that is not 32 bytes");
  if (EnvelopeDigest(OverTheWire(e)) != digest) Fail("canonicalising twice is not stable");
  if (VerifyEnvelope(e, Key().public_key)) CheckVerifiedEnvelope(e);
  // A public key of the wrong size or a signature of the wrong size is refused, not trusted.
  (void)VerifyEnvelope(e, e.signature());
}

void SignedHere(std::string_view bytes) {
  lv1::Envelope e;
  if (!e.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return;
  SignEnvelope(e, Key().key_id, Key().secret_key);
  if (!VerifyEnvelope(e, Key().public_key)) Fail("an envelope signed here does not verify");
  CheckVerifiedEnvelope(e);
}

void Bundle(std::string_view text) {
  auto bundle = ParseBundle(std::string(text));
  if (!bundle.ok()) return;
  const LogCheck check = VerifyLogEntries(bundle->entries, bundle->public_keys, "");
  if (check.ok && check.checked != static_cast<int64_t>(bundle->entries.size())) {
    Fail("a log check that passes without checking every entry");
  }
  if (!check.ok) return;
  // A verified bundle written out again reads back the same and verifies again.
  std::string again = BundleHeader(bundle->public_keys) + "\n";
  for (const auto& e : bundle->entries) again += BundleLine(e) + "\n";
  auto reread = ParseBundle(again);
  if (!reread.ok() || reread->entries.size() != bundle->entries.size()) {
    Fail("a verified bundle does not survive being written again");
  }
  if (!VerifyLogEntries(reread->entries, reread->public_keys, "").ok) {
    Fail("a verified bundle written again does not verify");
  }
}

lv1::Envelope SeedEnvelope(lv1::EnvelopeType type, std::string payload) {
  lv1::Envelope e;
  e.set_id("env-000.00.31.H41-1");
  e.set_type(type);
  e.set_sender_agency_code("000.00.31.H41");
  e.set_receiver_agency_code("000.00.10.G01");
  e.set_correlation_id("000.00.31.H41-261207-0001");
  e.set_content_type("application/json");
  e.set_payload(std::move(payload));
  *e.mutable_create_time() = google::protobuf::util::TimeUtil::SecondsToTimestamp(1796634000);
  SignEnvelope(e, Key().key_id, Key().secret_key);
  return e;
}

void WriteSeeds(SeedWriter& w) {
  const lv1::Envelope handoff =
      SeedEnvelope(lv1::ENVELOPE_TYPE_STEP_HANDOFF,
                   R"({"dossier_code":"000.00.31.H41-261207-0001","step":"verify residence"})");
  w.Add(0, handoff);
  w.Add(1, handoff);
  lv1::Envelope result = SeedEnvelope(lv1::ENVELOPE_TYPE_STEP_RESULT, R"({"outcome":"done"})");
  result.set_in_reply_to(handoff.id());
  *result.mutable_due_time() = google::protobuf::util::TimeUtil::SecondsToTimestamp(1797000000);
  SignEnvelope(result, Key().key_id, Key().secret_key);
  w.Add(0, result);
  w.Add(1, result);

  std::string bundle = BundleHeader({{Key().key_id, Key().public_key}}) + "\n";
  std::string prev = kLogGenesisHash;
  const char* events[] = {"accepted", "acknowledged", "redirected"};
  for (int i = 0; i < 3; ++i) {
    LogEntry e;
    e.sequence = i + 1;
    e.at = absl::FromUnixSeconds(1796634000 + i);
    e.event = events[i];
    e.envelope_id = handoff.id();
    e.detail = i == 2 ? "to 000.00.31.H42" : "";
    SealLogEntry(e, prev, Key().key_id, Key().secret_key);
    prev = e.hash;
    bundle += BundleLine(e) + "\n";
  }
  w.Add(4, bundle);
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
  // Signing here costs the most: one input in eight.
  switch (data[0] % 8) {
    case 0:
    case 2:
    case 3:
    case 5:
      localgov::fuzz::Arrived(rest);
      break;
    case 1:
      localgov::fuzz::SignedHere(rest);
      break;
    default:
      localgov::fuzz::Bundle(rest);
      break;
  }
  return 0;
}

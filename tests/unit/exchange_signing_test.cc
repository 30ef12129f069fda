// Envelope signatures and the signed message log: tampering of any kind is detected.
#include "common/crypto.h"
#include "common/envelope.h"
#include "common/signed_log.h"
#include "gtest/gtest.h"

namespace localgov {
namespace {

liaison::v1::Envelope Sample() {
  liaison::v1::Envelope e;
  e.set_id("env-1");
  e.set_type(liaison::v1::ENVELOPE_TYPE_STEP_HANDOFF);
  e.set_sender_agency_code("000.00.31.H41");
  e.set_receiver_agency_code("000.00.10.G01");
  e.set_correlation_id("000.00.31.H41-260302-0001");
  e.set_payload(R"({"step":"thuong-tru"})");
  e.set_content_type("application/json");
  e.mutable_create_time()->set_seconds(1772420400);
  return e;
}

TEST(EnvelopeSigningTest, ASignedEnvelopeVerifiesAndAnyChangeBreaksIt) {
  const auto keys = GenerateEd25519KeyPair();
  auto e = Sample();
  SignEnvelope(e, "commune-2026", keys.secret_key);
  EXPECT_EQ(e.signature().size(), 64u);
  EXPECT_TRUE(VerifyEnvelope(e, keys.public_key));

  auto payload = e;
  payload.set_payload(R"({"step":"khai-sinh"})");
  EXPECT_FALSE(VerifyEnvelope(payload, keys.public_key)) << "payload changed";
  auto receiver = e;
  receiver.set_receiver_agency_code("000.00.11.G02");
  EXPECT_FALSE(VerifyEnvelope(receiver, keys.public_key)) << "readdressed";
  auto time = e;
  time.mutable_create_time()->set_seconds(1772420401);
  EXPECT_FALSE(VerifyEnvelope(time, keys.public_key)) << "re-dated";
  EXPECT_FALSE(VerifyEnvelope(e, GenerateEd25519KeyPair().public_key)) << "another key";
}

TEST(EnvelopeSigningTest, FieldBoundariesCannotBeShifted) {
  // "ab" + "c" and "a" + "bc" must not give the same digest.
  auto a = Sample();
  a.set_correlation_id("ab");
  a.set_in_reply_to("c");
  auto b = Sample();
  b.set_correlation_id("a");
  b.set_in_reply_to("bc");
  EXPECT_NE(EnvelopeDigest(a), EnvelopeDigest(b));
}

std::vector<LogEntry> Chain(const Ed25519KeyPair& keys, int n) {
  std::vector<LogEntry> out;
  std::string prev = kLogGenesisHash;
  for (int i = 1; i <= n; ++i) {
    LogEntry e;
    e.sequence = i;
    e.at = absl::FromUnixSeconds(1772420400 + i);
    e.event = i % 2 ? "accepted" : "acknowledged";
    e.envelope_id = "env-" + std::to_string((i + 1) / 2);
    e.detail = "000.00.31.H41 > 000.00.10.G01";
    SealLogEntry(e, prev, "liaison-1", keys.secret_key);
    prev = e.hash;
    out.push_back(e);
  }
  return out;
}

TEST(SignedLogTest, AnIntactChainVerifies) {
  const auto keys = GenerateEd25519KeyPair();
  const auto log = Chain(keys, 6);
  auto c = VerifyLogEntries(log, {{"liaison-1", keys.public_key}}, kLogGenesisHash);
  EXPECT_TRUE(c.ok) << c.problem;
  EXPECT_EQ(c.checked, 6);
}

TEST(SignedLogTest, EditedRemovedOrForgedEntriesAreFoundAtTheFirstBadOne) {
  const auto keys = GenerateEd25519KeyPair();
  const std::map<std::string, std::string> pub = {{"liaison-1", keys.public_key}};
  auto edited = Chain(keys, 6);
  edited[3].detail = "000.00.31.H41 > 000.00.11.G02";
  auto c = VerifyLogEntries(edited, pub, kLogGenesisHash);
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.first_bad_sequence, 4);
  EXPECT_NE(c.problem.find("edited"), std::string::npos);

  auto removed = Chain(keys, 6);
  removed.erase(removed.begin() + 2);
  c = VerifyLogEntries(removed, pub, kLogGenesisHash);
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.first_bad_sequence, 4) << "entry 3 is missing";

  // Rehashing an edited entry does not help without the key: the signature fails.
  auto rehashed = Chain(keys, 6);
  rehashed[1].detail = "forged";
  rehashed[1].hash = LogEntryHash(rehashed[1]);
  c = VerifyLogEntries(rehashed, pub, kLogGenesisHash);
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.first_bad_sequence, 2);

  // Re-signing the whole chain with another key is caught by the key the verifier trusts.
  const auto other = GenerateEd25519KeyPair();
  c = VerifyLogEntries(Chain(other, 3), pub, kLogGenesisHash);
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.first_bad_sequence, 1);
}

TEST(SignedLogTest, ABundleRoundTripsAndVerifiesOffline) {
  const auto keys = GenerateEd25519KeyPair();
  const auto log = Chain(keys, 4);
  std::string text = BundleHeader({{"liaison-1", keys.public_key}}) + "\n";
  for (const auto& e : log) text += BundleLine(e) + "\n";
  auto b = ParseBundle(text);
  ASSERT_TRUE(b.ok()) << b.status();
  ASSERT_EQ(b->entries.size(), 4u);
  auto c = VerifyLogEntries(b->entries, b->public_keys, kLogGenesisHash);
  EXPECT_TRUE(c.ok) << c.problem;
  EXPECT_FALSE(ParseBundle("{\"sequence\":1}\n").ok()) << "no header";
}

// Found by tests/fuzz/envelope_fuzz (tests/fuzz/findings/log-bundle-at-us-out-of-range): a
// number that is not a 64-bit integer (1.8e31, 2.5, 2^63) was converted into one, the float
// with undefined behaviour; it is refused as a line that does not parse.
TEST(SignedLogTest, ABundleLineWhoseNumbersAreNotInt64IsRefused) {
  const auto keys = GenerateEd25519KeyPair();
  const auto log = Chain(keys, 1);
  const std::string header = BundleHeader({{"liaison-1", keys.public_key}}) + "\n";
  const std::string line = BundleLine(log[0]);
  ASSERT_TRUE(ParseBundle(header + line + "\n").ok());
  const std::string at = "\"at_us\":" + std::to_string(absl::ToUnixMicros(log[0].at));
  ASSERT_NE(line.find(at), std::string::npos);
  for (const std::string bad :
       {"17966340000000000000000000000000", "1.5", "-1e300", "9223372036854775808", "\"1\""}) {
    std::string changed = line;
    changed.replace(changed.find(at), at.size(), "\"at_us\":" + bad);
    auto b = ParseBundle(header + changed + "\n");
    ASSERT_FALSE(b.ok()) << bad;
    EXPECT_EQ(b.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  std::string seq = line;
  seq.replace(seq.find("\"sequence\":1"), 12, "\"sequence\":1e400");
  EXPECT_FALSE(ParseBundle(header + seq + "\n").ok());
  std::string negative = line;
  negative.replace(negative.find(at), at.size(), "\"at_us\":-5");
  EXPECT_TRUE(ParseBundle(header + negative + "\n").ok()) << "a negative integer is an integer";
}

}  // namespace
}  // namespace localgov

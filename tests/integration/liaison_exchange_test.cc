// The exchange end to end in-process: signed envelopes, access rights, delivery to real gRPC
// receivers (one that goes down and comes back, one that refuses, the dossier service),
// mergers, and the signed message log — against real PostgreSQL.
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/calendar/calendar.h"
#include "common/crypto.h"
#include "common/envelope.h"
#include "common/signed_log.h"
#include "common/status.h"
#include "gtest/gtest.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"
#include "localgov/liaison/v1/exchange.grpc.pb.h"
#include "localgov/liaison/v1/liaison_service.grpc.pb.h"
#include "services/dossier/dossier_spec.h"
#include "services/liaison/exchange_store.h"
#include "services/liaison/liaison_spec.h"
#include "tests/harness/pki.h"
#include "tests/harness/servers.h"
#include "tests/harness/service_fixture.h"
#include "tests/integration/exchange_fixture.h"

namespace localgov::liaison {
namespace {

using testing::ServiceUnderTest;

TEST_F(ExchangeTest, ASignedEnvelopeIsDeliveredAcknowledgedAndLogged) {
  Grant(kPolice);
  v1::SendResponse sent;
  const auto first = Envelope("env-1", kPolice);
  ASSERT_TRUE(Send(first, &sent).ok());
  EXPECT_EQ(sent.state(), v1::DELIVERY_STATE_PENDING);
  EXPECT_EQ(sent.delivered_to_agency_code(), kPolice);
  auto r = AwaitAnswer("env-1");
  EXPECT_EQ(r.state(), v1::DELIVERY_STATE_ACKNOWLEDGED);
  EXPECT_GT(r.log_sequence(), 0) << "logged (by the log writer) before it was delivered";
  EXPECT_EQ(r.ack_code(), v1::ACK_CODE_ARRIVED);
  EXPECT_EQ(r.receiver_reference(), "ref-env-1");
  ASSERT_EQ(r.attempts_size(), 1);
  EXPECT_EQ(police_.deliveries(), 1);
  // Sending the same envelope again is idempotent: nothing new is delivered.
  v1::SendResponse resent;
  ASSERT_TRUE(Send(first, &resent).ok());
  auto changed = first;  // the same id for another envelope
  changed.set_correlation_id("000.00.31.H41-260302-0002");
  SignEnvelope(changed, "commune-2026", keys_.secret_key);
  EXPECT_EQ(Send(changed).error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(resent.state(), v1::DELIVERY_STATE_ACKNOWLEDGED) << "the first answer's state";
  EXPECT_EQ(resent.log_sequence(), r.log_sequence());
  absl::SleepFor(absl::Milliseconds(400));
  EXPECT_EQ(police_.deliveries(), 1);
  auto check = Verify();
  EXPECT_TRUE(check.ok()) << check.problem();
  EXPECT_EQ(check.checked(), 2) << "accepted + acknowledged";
}

TEST_F(ExchangeTest, ABadSignatureOrAnUnknownKeyIsRefusedAndNothingIsKept) {
  Grant(kPolice);
  auto forged = Envelope("env-forged", kPolice);
  forged.set_correlation_id("000.00.31.H41-260302-0099");  // changed after signing
  EXPECT_EQ(Send(forged).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  auto other_key = Envelope("env-other-key", kPolice);
  SignEnvelope(other_key, "commune-2026", GenerateEd25519KeyPair().secret_key);
  EXPECT_EQ(Send(other_key).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  auto unknown = Envelope("env-unknown-key", kPolice);
  SignEnvelope(unknown, "nobody-key", keys_.secret_key);
  EXPECT_EQ(Send(unknown).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Verify().checked(), 0) << "nothing was logged";
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_EQ(police_.deliveries(), 0);
}

// Two liaison replicas on one database: each has a log writer and a delivery worker. Sends
// to both at once: every envelope is logged exactly once, in one unbroken chain, and
// delivered once.
TEST_F(ExchangeTest, TwoReplicasLogAndDeliverEachEnvelopeExactlyOnce) {
  Grant(kPolice);
  auto second = StartSecondReplica();
  ASSERT_TRUE(second.ok()) << second.status();
  auto stub2 = v1::LiaisonService::NewStub((*second)->channel());
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  std::atomic<int> sent{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto& stub = t % 2 == 0 ? stub_ : stub2;
      for (int i = 0; i < kPerThread; ++i) {
        grpc::ClientContext ctx;
        ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-1");
        v1::SendRequest req;
        *req.mutable_envelope() = Envelope(absl::StrCat("rep-", t, "-", i), kPolice);
        v1::SendResponse resp;
        if (stub->Send(&ctx, req, &resp).ok()) ++sent;
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_EQ(sent.load(), 4 * kPerThread);
  for (int t = 0; t < 4; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      auto r = AwaitAnswer(absl::StrCat("rep-", t, "-", i));
      EXPECT_EQ(r.state(), v1::DELIVERY_STATE_ACKNOWLEDGED);
      EXPECT_GT(r.log_sequence(), 0);
    }
  }
  EXPECT_EQ(police_.ids().size(), static_cast<size_t>(4 * kPerThread));
  EXPECT_EQ(police_.deliveries(), 4 * kPerThread) << "each delivered once";
  pqxx::connection conn(sut_->config().database_url);
  pqxx::work tx(conn);
  EXPECT_EQ(tx.exec("SELECT count(*), count(DISTINCT envelope_id) FROM message_log"
                    " WHERE event = 'accepted' AND envelope_id LIKE 'rep-%'")[0][1]
                .as<int>(),
            4 * kPerThread);
  EXPECT_EQ(tx.exec("SELECT count(*) FROM message_log WHERE event = 'accepted'"
                    " AND envelope_id LIKE 'rep-%'")[0][0]
                .as<int>(),
            4 * kPerThread)
      << "logged once each";
  EXPECT_EQ(tx.exec("SELECT count(*) FROM message_log WHERE event = 'acknowledged'"
                    " AND envelope_id LIKE 'rep-%'")[0][0]
                .as<int>(),
            4 * kPerThread);
  EXPECT_TRUE(Verify().ok());
}

// Send checks against the directory in memory: a change made through another replica (a
// grant, a merger) must still count for the very next Send here.
TEST_F(ExchangeTest, ADirectoryChangeThroughAnotherReplicaCountsAtOnce) {
  Grant(kPolice);
  ASSERT_TRUE(Send(Envelope("warm-1", kPolice)).ok());  // this replica's view is now cached
  auto second = StartSecondReplica();
  ASSERT_TRUE(second.ok()) << second.status();
  auto stub2 = v1::LiaisonService::NewStub((*second)->channel());
  auto admin2 = [&](auto m, const auto& req, auto* resp) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kAdmin, "000.00.00.H99", "admin");
    return ((*stub2).*m)(&ctx, req, resp);
  };
  EXPECT_EQ(Send(Envelope("before-grant", kNewCommune)).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::GrantAccessRequest g;
  g.set_sender_agency_code(kCommune);
  g.set_type(v1::ENVELOPE_TYPE_STEP_HANDOFF);
  g.set_receiver_agency_code(kNewCommune);
  v1::GrantAccessResponse gr;
  ASSERT_TRUE(admin2(&v1::LiaisonService::Stub::GrantAccess, g, &gr).ok());
  v1::SendResponse sent;
  auto st = Send(Envelope("after-grant", kNewCommune), &sent);
  EXPECT_TRUE(st.ok()) << st.error_message();
  // The police merge into the new commune through the other replica: envelopes to the police
  // go to the successor from the next Send on.
  v1::MergeAgencyRequest m;
  m.set_code(kPolice);
  m.set_successor_code(kNewCommune);
  m.set_effective_date("2026-01-01");
  v1::MergeAgencyResponse mr;
  ASSERT_TRUE(admin2(&v1::LiaisonService::Stub::MergeAgency, m, &mr).ok());
  st = Send(Envelope("after-merge", kPolice), &sent);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(sent.delivered_to_agency_code(), kNewCommune);
}

TEST_F(ExchangeTest, AccessIsDeniedByDefault) {
  EXPECT_EQ(Send(Envelope("env-denied", kPolice)).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  Grant(kPolice);
  EXPECT_TRUE(Send(Envelope("env-denied", kPolice)).ok());
  // Another agency's officer may not send in the commune's name.
  grpc::ClientContext ctx;
  ServiceUnderTest::Authorize(ctx, Role::kOfficer, kPolice, "officer-9");
  v1::SendRequest req;
  *req.mutable_envelope() = Envelope("env-impostor", kPolice);
  v1::SendResponse resp;
  EXPECT_EQ(stub_->Send(&ctx, req, &resp).error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ExchangeTest, AReceiverDownForAWhileGetsEverythingOnceWhenItReturns) {
  Grant(kPolice);
  police_.Stop();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Send(Envelope(absl::StrCat("down-", i), kPolice)).ok());
  absl::SleepFor(absl::Milliseconds(1500));  // attempts fail meanwhile
  EXPECT_EQ(Get("down-0").state(), v1::DELIVERY_STATE_PENDING);
  EXPECT_GE(Get("down-0").attempts_size(), 1);
  EXPECT_FALSE(Get("down-0").attempts(0).error().empty());
  police_.Start();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(AwaitAnswer(absl::StrCat("down-", i)).state(), v1::DELIVERY_STATE_ACKNOWLEDGED);
  }
  EXPECT_EQ(police_.ids().size(), 5u);
  EXPECT_EQ(police_.deliveries(), 5) << "each delivered once after the receiver came back";
  EXPECT_TRUE(Verify().ok());
}

TEST_F(ExchangeTest, AReceiverBackAfterALongOutageIsReachedAtTheNextAttempt) {
  // After half a minute of refused connections, gRPC's own reconnect backoff (up to two
  // minutes by default) must not hide a receiver that is back: the worker's schedule decides.
  Grant(kPolice);
  police_.Stop();
  ASSERT_TRUE(Send(Envelope("long-outage", kPolice)).ok());
  absl::SleepFor(absl::Seconds(30));
  EXPECT_GE(Get("long-outage").attempts_size(), 4);
  police_.Start();
  absl::SleepFor(absl::Seconds(3));
  {
    pqxx::connection conn(sut_->config().database_url);
    pqxx::work tx(conn);
    tx.exec("UPDATE envelopes SET next_attempt_at = now() WHERE id = 'long-outage'");
    tx.commit();
  }
  const auto r = AwaitAnswer("long-outage", absl::Seconds(5));
  EXPECT_EQ(r.state(), v1::DELIVERY_STATE_ACKNOWLEDGED)
      << r.attempts(r.attempts_size() - 1).error();
}

TEST_F(ExchangeTest, ARefusalIsFinalAndCarriesItsReason) {
  Grant(kInsurance);
  ASSERT_TRUE(Send(Envelope("env-refused", kInsurance)).ok());
  auto r = AwaitAnswer("env-refused");
  EXPECT_EQ(r.state(), v1::DELIVERY_STATE_REFUSED);
  EXPECT_EQ(r.ack_code(), v1::ACK_CODE_REFUSED);
  EXPECT_EQ(r.ack_reason(), "không thuộc thẩm quyền");
  absl::SleepFor(absl::Milliseconds(600));
  EXPECT_EQ(refusing_.deliveries(), 1) << "a refusal is not retried";
}

// A receiver's text that is not UTF-8 (or is huge) must not wedge the delivery worker: the
// answer is recorded, readable, logged and the log still verifies.
TEST_F(ExchangeTest, ARefusalReasonThatIsNotUtf8IsRecordedReadably) {
  refusing_.set_refusal_reason("\xff\xfe\xfd");
  Grant(kInsurance);
  ASSERT_TRUE(Send(Envelope("env-bad-reason", kInsurance)).ok());
  auto r = AwaitAnswer("env-bad-reason");
  EXPECT_EQ(r.state(), v1::DELIVERY_STATE_REFUSED);
  EXPECT_EQ(r.ack_reason(), "(3 bytes, not UTF-8)");
  refusing_.set_refusal_reason(std::string(5000, 'x'));
  ASSERT_TRUE(Send(Envelope("env-long-reason", kInsurance)).ok());
  r = AwaitAnswer("env-long-reason");
  EXPECT_EQ(r.state(), v1::DELIVERY_STATE_REFUSED);
  EXPECT_LT(r.ack_reason().size(), 2010u);
  EXPECT_TRUE(Verify().ok());
}

TEST_F(ExchangeTest, AnEnvelopeToAMergedAgencyGoesToItsSuccessorAndTheLogSaysSo) {
  ASSERT_TRUE(MergeOldCommune("2025-07-01").ok());
  v1::ResolveAgencyResponse resolved;
  ASSERT_TRUE(ResolveOldCommune(&resolved).ok());
  EXPECT_EQ(resolved.agency().code(), kNewCommune);
  ASSERT_EQ(resolved.chain_size(), 2);
  Grant(kNewCommune);
  v1::SendResponse sent;
  ASSERT_TRUE(Send(Envelope("env-merged", kOldCommune), &sent).ok());
  EXPECT_EQ(sent.delivered_to_agency_code(), kNewCommune);
  auto r = AwaitAnswer("env-merged");
  EXPECT_EQ(r.state(), v1::DELIVERY_STATE_ACKNOWLEDGED);
  ASSERT_EQ(r.redirect_chain_size(), 2);
  EXPECT_EQ(police_.delivered_to("env-merged"), kNewCommune);
  grpc::ClientContext ctx;
  ServiceUnderTest::Authorize(ctx, Role::kAuditor, "000.00.00.H99", "auditor");
  v1::ExportLogResponse bundle;
  ASSERT_TRUE(stub_->ExportLog(&ctx, {}, &bundle).ok());
  EXPECT_NE(bundle.bundle().find("\"event\":\"redirected\""), std::string::npos);
  auto parsed = ParseBundle(bundle.bundle());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  auto check = VerifyLogEntries(
      parsed->entries, {{"test-log", testing::TestIssuer::Get().log_public_key}}, kLogGenesisHash);
  EXPECT_TRUE(check.ok) << check.problem << " (offline, with the key the auditor trusts)";
}

// DOMAIN.md §0: a merger takes effect on its date. Recorded a day ahead, it changes nothing
// yet: the old commune still receives its envelopes and answers for itself.
TEST_F(ExchangeTest, AMergerRecordedAheadOfItsEffectiveDateRedirectsNothingBeforeIt) {
  const absl::CivilDay tomorrow = calendar::VietnamDay(absl::Now()) + 1;
  {
    v1::MergeAgencyRequest m;  // only an admin records mergers
    m.set_code(kOldCommune);
    m.set_successor_code(kNewCommune);
    m.set_effective_date(absl::FormatCivilTime(tomorrow));
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, kNewCommune, "officer");
    v1::MergeAgencyResponse mr;
    EXPECT_EQ(stub_->MergeAgency(&ctx, m, &mr).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  }
  ASSERT_TRUE(MergeOldCommune(absl::FormatCivilTime(tomorrow)).ok());
  v1::ResolveAgencyResponse resolved;
  ASSERT_TRUE(ResolveOldCommune(&resolved).ok());
  EXPECT_EQ(resolved.agency().code(), kOldCommune);
  EXPECT_EQ(resolved.chain_size(), 1);
  Grant(kOldCommune);
  v1::SendResponse sent;
  ASSERT_TRUE(Send(Envelope("env-before-merger", kOldCommune), &sent).ok());
  EXPECT_EQ(sent.delivered_to_agency_code(), kOldCommune);
  AwaitAnswer("env-before-merger");
  EXPECT_EQ(police_.delivered_to("env-before-merger"), kOldCommune);
}

// DOMAIN.md §0: from its effective date a merged unit's work continues under its successor.
// An envelope accepted for the old commune before the merger, still waiting when it takes
// effect (the old system was down), goes to the successor at its next attempt or when requeued
// — never left retrying an agency that no longer exists. The redirection is logged.
TEST_F(ExchangeTest, AnEnvelopeStillWaitingWhenAMergerTakesEffectGoesToTheSuccessor) {
  ExternalReceiver old_system;
  old_system.Stop();
  {
    v1::SetAgencyEndpointRequest e;
    e.set_code(kOldCommune);
    e.set_receiver_endpoint(old_system.address());
    ASSERT_TRUE(Admin(&v1::LiaisonService::Stub::SetAgencyEndpoint, e).ok());
  }
  Grant(kOldCommune);
  ASSERT_TRUE(Send(Envelope("env-across-merger", kOldCommune)).ok());
  absl::SleepFor(absl::Milliseconds(1500));  // attempts at the old commune fail meanwhile
  ASSERT_GE(Get("env-across-merger").attempts_size(), 1);
  ASSERT_TRUE(MergeOldCommune(absl::FormatCivilTime(calendar::VietnamDay(absl::Now()))).ok());
  pqxx::connection conn(sut_->config().database_url);
  auto exec = [&](const std::string& sql) {
    pqxx::work tx(conn);
    tx.exec(sql);
    tx.commit();
  };
  const auto attempt_now =
      "UPDATE envelopes SET next_attempt_at = now() WHERE id = 'env-across-merger'";

  // The successor takes no step handoffs from this sender yet: the attempt says why, and the
  // old commune is not tried again.
  exec(attempt_now);
  absl::SleepFor(absl::Milliseconds(1500));
  auto r = Get("env-across-merger");
  EXPECT_EQ(r.state(), v1::DELIVERY_STATE_PENDING);
  EXPECT_EQ(r.delivered_to_agency_code(), kOldCommune);
  const std::string error = r.attempts(r.attempts_size() - 1).error();
  EXPECT_NE(error.find(absl::StrCat(kOldCommune, " has merged into ", kNewCommune)),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("no access right"), std::string::npos) << error;

  // Dead-lettered meanwhile, then the right is granted and an admin requeues it.
  exec("UPDATE envelopes SET state = 4 WHERE id = 'env-across-merger'");
  Grant(kNewCommune);
  v1::RequeueRequest rq;
  rq.set_id("env-across-merger");
  ASSERT_TRUE(Admin(&v1::LiaisonService::Stub::Requeue, rq).ok());
  r = AwaitAnswer("env-across-merger");
  EXPECT_EQ(r.state(), v1::DELIVERY_STATE_ACKNOWLEDGED);
  EXPECT_EQ(r.delivered_to_agency_code(), kNewCommune);
  ASSERT_EQ(r.redirect_chain_size(), 2);
  EXPECT_EQ(r.redirect_chain(0), kOldCommune);
  EXPECT_EQ(r.redirect_chain(1), kNewCommune);
  EXPECT_EQ(police_.delivered_to("env-across-merger"), kNewCommune);
  EXPECT_EQ(old_system.deliveries(), 0);

  grpc::ClientContext ctx;
  ServiceUnderTest::Authorize(ctx, Role::kAuditor, "000.00.00.H99", "auditor");
  v1::ExportLogResponse bundle;
  ASSERT_TRUE(stub_->ExportLog(&ctx, {}, &bundle).ok());
  auto parsed = ParseBundle(bundle.bundle());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  int redirected = 0;
  for (const auto& entry : parsed->entries) {
    if (entry.envelope_id == "env-across-merger" && entry.event == "redirected") {
      ++redirected;
      EXPECT_NE(entry.detail.find(absl::StrCat(kOldCommune, " > ", kNewCommune)), std::string::npos)
          << entry.detail;
    }
  }
  EXPECT_EQ(redirected, 1);
  EXPECT_TRUE(Verify().ok());
}

TEST_F(ExchangeTest, AnEditedLogRowIsDetected) {
  Grant(kPolice);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Send(Envelope(absl::StrCat("log-", i), kPolice)).ok());
  for (int i = 0; i < 3; ++i) AwaitAnswer(absl::StrCat("log-", i));
  ASSERT_TRUE(Verify().ok());
  {
    pqxx::connection conn(sut_->config().database_url);
    pqxx::work tx(conn);
    EXPECT_THROW(tx.exec("UPDATE message_log SET detail = 'x' WHERE sequence = 2"), pqxx::sql_error)
        << "the log is append-only";
  }
  {
    // Someone with the database owner's rights switches the guard off and edits a row.
    pqxx::connection conn(sut_->config().database_url);
    pqxx::work tx(conn);
    tx.exec("ALTER TABLE message_log DISABLE TRIGGER message_log_no_update");
    tx.exec("UPDATE message_log SET detail = '000.00.31.H41 > 000.00.99.G01' WHERE sequence = 3");
    tx.commit();
  }
  auto check = Verify();
  EXPECT_FALSE(check.ok());
  EXPECT_EQ(check.first_bad_sequence(), 3);
  EXPECT_NE(check.problem().find("edited"), std::string::npos) << check.problem();
}

// A log longer than one ExportLog answer (5,000 entries): the pages continue one chain, and
// joined they verify as one bundle.
TEST_F(ExchangeTest, ALongLogIsExportedInPagesThatJoinIntoOneVerifiableBundle) {
  auto key = ReadSigningKeyFile(testing::TestIssuer::Get().log_key_file);
  ASSERT_TRUE(key.ok());
  {
    // 5,003 sealed entries written straight into the table (Send would take minutes).
    pqxx::connection conn(sut_->config().database_url);
    pqxx::work tx(conn);
    std::string prev = kLogGenesisHash;
    std::string values;
    for (int64_t i = 1; i <= 5003; ++i) {
      LogEntry e;
      e.sequence = i;
      e.at = absl::FromUnixMicros(1767225600000000 + i);
      e.event = "accepted";
      e.envelope_id = absl::StrCat("bulk-", i);
      e.detail = "bulk";
      SealLogEntry(e, prev, key->key_id, key->secret_key);
      prev = e.hash;
      absl::StrAppend(
          &values, i == 1 ? "" : ",", "(", i, ", timestamptz 'epoch' + interval '1 microsecond' * ",
          absl::ToUnixMicros(e.at), ", 'accepted', ", tx.quote(e.envelope_id), ", 'bulk', '",
          e.prev_hash, "', '", e.hash, "', ", tx.quote(e.key_id), ", '", e.signature, "')");
    }
    tx.exec(
        absl::StrCat("INSERT INTO message_log (sequence, at, event, envelope_id, detail,"
                     " prev_hash, hash, key_id, signature) VALUES ",
                     values));
    tx.commit();
  }
  ASSERT_TRUE(Verify().ok());
  std::string joined;
  v1::ExportLogRequest req;
  int pages = 0;
  while (true) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kAuditor, "000.00.00.H99", "auditor");
    v1::ExportLogResponse resp;
    auto st = stub_->ExportLog(&ctx, req, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    std::string_view bundle = resp.bundle();
    if (pages++ > 0) bundle.remove_prefix(bundle.find('\n') + 1);
    joined.append(bundle);
    if (resp.next_from_sequence() == 0) break;
    EXPECT_EQ(resp.next_from_sequence(), 5001);
    req.set_from_sequence(resp.next_from_sequence());
  }
  EXPECT_EQ(pages, 2);
  auto parsed = ParseBundle(joined);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->entries.size(), 5003u);
  auto check = VerifyLogEntries(parsed->entries, {{key->key_id, key->public_key}}, kLogGenesisHash);
  EXPECT_TRUE(check.ok) << check.problem;
}

// The worker's batch statements join the batch (JSON) to envelopes; PostgreSQL takes JSON for
// 100 rows and, with a few thousand envelopes, read them all for every batch it recorded.
TEST_F(ExchangeTest, RecordingABatchLooksUpItsEnvelopesInsteadOfReadingThemAll) {
  pqxx::connection conn(sut_->config().database_url);
  {
    pqxx::work fill(conn);
    fill.exec(
        "INSERT INTO envelopes (id, type, sender, addressed_to, delivered_to, correlation_id,"
        " in_reply_to, envelope, digest, state, next_attempt_at, accepted_at)"
        " SELECT 'env-' || g, 1, 'a', 'b', 'b', 'c-' || g, '', '\\x00', 'd', 1, now(), now()"
        " FROM generate_series(1, 3000) g");
    fill.commit();
  }
  pqxx::nontransaction(conn).exec("ANALYZE envelopes");
  pqxx::work tx(conn);
  std::vector<ExchangeStore::Outcome> outcomes;
  std::vector<std::pair<std::string, int64_t>> sequences;
  for (int i = 1; i <= 8; ++i) {
    ExchangeStore::Outcome o;
    o.id = absl::StrCat("env-", i * 100);
    o.attempt = 1;
    o.state = 2;  // acknowledged
    o.ack_code = 1;
    outcomes.push_back(o);
    sequences.emplace_back(o.id, i);
  }
  ExchangeStore::MarkLogged(tx, sequences, absl::Seconds(30));
  ExchangeStore::RecordOutcomes(tx, outcomes, absl::Now());
  const auto r = tx.exec(
      "SELECT seq_scan, n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = 'envelopes'");
  EXPECT_EQ(r[0][0].as<int64_t>(), 0) << "sequential scans of envelopes";
  EXPECT_EQ(r[0][1].as<int64_t>(), 16) << "each of the 8 updated by both statements";
}

// The delivery gauges run every 5 s for as long as the service lives: they must not read
// every envelope ever sent.
TEST_F(ExchangeTest, TheDeliveryGaugesReadPartialIndexesNotTheWholeTable) {
  pqxx::connection conn(sut_->config().database_url);
  pqxx::work tx(conn);
  tx.exec("SET LOCAL enable_seqscan = off");
  std::string plan;
  for (const auto& r : tx.exec(std::string("EXPLAIN ") + ExchangeStore::kCountByStateSql)) {
    plan += r[0].c_str();
    plan += "\n";
  }
  EXPECT_EQ(plan.find("Seq Scan"), std::string::npos) << plan;
  EXPECT_NE(plan.find("envelopes_due"), std::string::npos) << plan;
  EXPECT_NE(plan.find("envelopes_dead"), std::string::npos) << plan;
}

TEST_F(ExchangeTest, TheDossierServiceIsAReceiverThatKeepsEachEnvelopeOnce) {
  // A step result for the commune's dossier, from the police, delivered to service:dossier.
  v1::AddAgencyKeyRequest key;
  const auto police_keys = GenerateEd25519KeyPair();
  key.set_agency_code(kPolice);
  key.set_key_id("police-2026");
  key.set_public_key(police_keys.public_key);
  key.mutable_valid_from()->set_seconds(0);
  ASSERT_TRUE(Admin(&v1::LiaisonService::Stub::AddAgencyKey, key).ok());
  Grant(kPolice);
  ASSERT_TRUE(Send(Envelope("handoff-1", kPolice)).ok());
  ASSERT_EQ(AwaitAnswer("handoff-1").state(), v1::DELIVERY_STATE_ACKNOWLEDGED);
  v1::GrantAccessRequest g;
  g.set_sender_agency_code(kPolice);
  g.set_type(v1::ENVELOPE_TYPE_STEP_RESULT);
  g.set_receiver_agency_code(kCommune);
  ASSERT_TRUE(Admin(&v1::LiaisonService::Stub::GrantAccess, g).ok());
  v1::Envelope result;
  result.set_id("result-1");
  result.set_type(v1::ENVELOPE_TYPE_STEP_RESULT);
  result.set_sender_agency_code(kPolice);
  result.set_receiver_agency_code(kCommune);
  result.set_correlation_id("000.00.31.H41-260302-0001");
  result.set_in_reply_to("handoff-1");
  result.set_payload(R"({"ket_qua":"da-dang-ky-thuong-tru"})");
  result.set_content_type("application/json");
  result.mutable_create_time()->set_seconds(absl::ToUnixSeconds(absl::Now()));
  SignEnvelope(result, "police-2026", police_keys.secret_key);
  grpc::ClientContext ctx;
  ServiceUnderTest::Authorize(ctx, Role::kSystem, kPolice, "police-system");
  v1::SendRequest req;
  *req.mutable_envelope() = result;
  v1::SendResponse resp;
  ASSERT_TRUE(stub_->Send(&ctx, req, &resp).ok());
  auto r = AwaitAnswer("result-1");
  EXPECT_EQ(r.state(), v1::DELIVERY_STATE_ACKNOWLEDGED);
  EXPECT_EQ(r.ack_code(), v1::ACK_CODE_REGISTERED);
  EXPECT_EQ(r.receiver_reference(), "000.00.31.H41-260302-0001");
  // A redelivery (the liaison lost the answer) is acknowledged but kept once.
  auto receiver = v1::ReceiverService::NewStub(dossier_->channel());
  for (int i = 0; i < 2; ++i) {
    grpc::ClientContext c;
    v1::DeliverRequest d;
    *d.mutable_envelope() = result;
    d.set_delivered_to_agency_code(kCommune);
    v1::DeliverResponse ack;
    ASSERT_TRUE(receiver->Deliver(&c, d, &ack).ok());
    EXPECT_EQ(ack.code(), v1::ACK_CODE_REGISTERED);
  }
  pqxx::connection conn(dossier_->config().database_url);
  pqxx::work tx(conn);
  EXPECT_EQ(tx.exec("SELECT count(*) FROM inbox WHERE envelope_id = 'result-1'")[0][0].as<int>(),
            1);
  // A result that answers an envelope the sender never received is refused.
  auto stray = result;
  stray.set_id("result-stray");
  stray.set_in_reply_to("env-never-sent");
  SignEnvelope(stray, "police-2026", police_keys.secret_key);
  grpc::ClientContext ctx2;
  ServiceUnderTest::Authorize(ctx2, Role::kSystem, kPolice, "police-system");
  *req.mutable_envelope() = stray;
  EXPECT_EQ(stub_->Send(&ctx2, req, &resp).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

// X-Road's receiving side checks too: a Deliver call that did not come through the exchange
// (a forged signature, an unknown key, no access right) is refused by the dossier service
// against its signed directory snapshot, and nothing of it is kept.
TEST_F(ExchangeTest, TheDossierServiceRefusesADeliveryThatDidNotComeThroughTheExchange) {
  const auto police_keys = GenerateEd25519KeyPair();
  v1::AddAgencyKeyRequest key;
  key.set_agency_code(kPolice);
  key.set_key_id("police-2026");
  key.set_public_key(police_keys.public_key);
  key.mutable_valid_from()->set_seconds(0);
  ASSERT_TRUE(Admin(&v1::LiaisonService::Stub::AddAgencyKey, key).ok());
  v1::GrantAccessRequest g;
  g.set_sender_agency_code(kPolice);
  g.set_type(v1::ENVELOPE_TYPE_STEP_RESULT);
  g.set_receiver_agency_code(kCommune);
  ASSERT_TRUE(Admin(&v1::LiaisonService::Stub::GrantAccess, g).ok());

  auto receiver = v1::ReceiverService::NewStub(dossier_->channel());
  // Delivers directly; while the receiver is refreshing its directory it says UNAVAILABLE,
  // which the exchange would retry: so does this.
  auto deliver = [&](const v1::Envelope& e) {
    v1::DeliverResponse ack;
    for (int i = 0; i < 50; ++i) {
      grpc::ClientContext c;
      v1::DeliverRequest d;
      *d.mutable_envelope() = e;
      d.set_delivered_to_agency_code(kCommune);
      ack.Clear();
      auto st = receiver->Deliver(&c, d, &ack);
      if (st.error_code() != grpc::StatusCode::UNAVAILABLE) {
        EXPECT_TRUE(st.ok()) << st.error_message();
        break;
      }
      absl::SleepFor(absl::Milliseconds(200));
    }
    return ack;
  };
  auto result = [&](const std::string& id, v1::EnvelopeType type) {
    v1::Envelope e;
    e.set_id(id);
    e.set_type(type);
    e.set_sender_agency_code(kPolice);
    e.set_receiver_agency_code(kCommune);
    e.set_correlation_id("000.00.31.H41-260302-0009");
    e.set_in_reply_to("handoff-x");
    e.set_payload(R"({"ket_qua":"x"})");
    e.set_content_type("application/json");
    e.mutable_create_time()->set_seconds(absl::ToUnixSeconds(absl::Now()));
    return e;
  };

  auto forged = result("forged-1", v1::ENVELOPE_TYPE_STEP_RESULT);
  SignEnvelope(forged, "police-2026", GenerateEd25519KeyPair().secret_key);
  auto ack = deliver(forged);
  EXPECT_EQ(ack.code(), v1::ACK_CODE_REFUSED);
  EXPECT_NE(ack.reason().find("signature"), std::string::npos) << ack.reason();

  auto unknown = result("forged-2", v1::ENVELOPE_TYPE_STEP_RESULT);
  SignEnvelope(unknown, "not-registered", GenerateEd25519KeyPair().secret_key);
  ack = deliver(unknown);
  EXPECT_EQ(ack.code(), v1::ACK_CODE_REFUSED);
  EXPECT_NE(ack.reason().find("no key not-registered"), std::string::npos) << ack.reason();

  auto tampered = result("forged-3", v1::ENVELOPE_TYPE_STEP_RESULT);
  SignEnvelope(tampered, "police-2026", police_keys.secret_key);
  tampered.set_correlation_id("000.00.31.H41-260302-0010");
  ack = deliver(tampered);
  EXPECT_EQ(ack.code(), v1::ACK_CODE_REFUSED);

  auto not_allowed = result("forged-4", v1::ENVELOPE_TYPE_OFFICIAL_DOCUMENT);
  SignEnvelope(not_allowed, "police-2026", police_keys.secret_key);
  ack = deliver(not_allowed);
  EXPECT_EQ(ack.code(), v1::ACK_CODE_REFUSED);
  EXPECT_NE(ack.reason().find("may not send"), std::string::npos) << ack.reason();

  auto genuine = result("genuine-1", v1::ENVELOPE_TYPE_STEP_RESULT);
  SignEnvelope(genuine, "police-2026", police_keys.secret_key);
  EXPECT_EQ(deliver(genuine).code(), v1::ACK_CODE_REGISTERED);

  pqxx::connection conn(dossier_->config().database_url);
  pqxx::work tx(conn);
  EXPECT_EQ(tx.exec("SELECT string_agg(envelope_id, ',') FROM inbox")[0][0].as<std::string>(""),
            "genuine-1");
}

TEST_F(ExchangeTest, ADeadLetterIsRequeuedAndDelivered) {
  Grant(kPolice);
  police_.Stop();
  ASSERT_TRUE(Send(Envelope("env-dead", kPolice)).ok());
  {
    // As if 24 hours had passed without an answer: the worker would have dead-lettered it.
    pqxx::connection conn(sut_->config().database_url);
    pqxx::work tx(conn);
    tx.exec("UPDATE envelopes SET state = 4 WHERE id = 'env-dead'");
    tx.commit();
  }
  v1::RequeueRequest rq;
  rq.set_id("env-dead");
  v1::RequeueResponse rr;
  {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-1");
    EXPECT_EQ(stub_->Requeue(&ctx, rq, &rr).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  }
  police_.Start();
  ASSERT_TRUE(Admin(&v1::LiaisonService::Stub::Requeue, rq, &rr).ok());
  EXPECT_EQ(rr.record().state(), v1::DELIVERY_STATE_PENDING);
  EXPECT_EQ(AwaitAnswer("env-dead").state(), v1::DELIVERY_STATE_ACKNOWLEDGED);
  EXPECT_EQ(Admin(&v1::LiaisonService::Stub::Requeue, rq, &rr).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION)
      << "only a dead letter is requeued";
  EXPECT_TRUE(Verify().ok());
}

TEST_F(ExchangeTest, DirectoryChangesAndTheLogAreForTheirRolesOnly) {
  grpc::ClientContext ctx;
  ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-1");
  v1::GrantAccessRequest g;
  g.set_sender_agency_code(kCommune);
  g.set_type(v1::ENVELOPE_TYPE_STEP_HANDOFF);
  g.set_receiver_agency_code(kPolice);
  v1::GrantAccessResponse gr;
  EXPECT_EQ(stub_->GrantAccess(&ctx, g, &gr).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  grpc::ClientContext ctx2;
  ServiceUnderTest::Authorize(ctx2, Role::kOfficer, kCommune, "officer-1");
  v1::VerifyLogResponse vr;
  EXPECT_EQ(stub_->VerifyLog(&ctx2, {}, &vr).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::MergeAgencyRequest m;
  m.set_code(kOldCommune);
  m.set_successor_code(kOldCommune);
  m.set_effective_date("1/7/2025");
  auto st = Admin(&v1::LiaisonService::Stub::MergeAgency, m);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields;
  for (const auto& v : FieldViolationsOf(FromGrpcStatus(st))) fields.push_back(v.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"successor_code", "effective_date"}));
  v1::GetAgencyRequest get;
  get.set_code(kOldCommune);
  v1::GetAgencyResponse got;
  ASSERT_TRUE(Admin(&v1::LiaisonService::Stub::GetAgency, get, &got).ok());
  EXPECT_EQ(got.agency().status(), v1::AGENCY_STATUS_ACTIVE) << "nothing half-written";
}

TEST_F(ExchangeTest, AReceiverRefusesADeliveryWithoutAnEnvelopeId) {
  auto receiver = v1::ReceiverService::NewStub(dossier_->channel());
  grpc::ClientContext c;
  v1::DeliverRequest d;
  v1::DeliverResponse ack;
  auto st = receiver->Deliver(&c, d, &ack);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields;
  for (const auto& v : FieldViolationsOf(FromGrpcStatus(st))) fields.push_back(v.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"envelope.id", "delivered_to_agency_code"}));
}

// Decree 63/2024: a receiving system acknowledges within 2 working hours. The sender gives the
// deadline (it holds the working calendar); the exchange flags what is not acknowledged by then
// — on the record, in a gauge (alert) and in the log entry of a late answer.
TEST_F(ExchangeTest, AHandoffNotAcknowledgedByTheSendersDeadlineIsFlagged) {
  Grant(kPolice);
  police_.Stop();
  const absl::Time now = absl::Now();
  ASSERT_TRUE(Send(Envelope("ack-overdue", kPolice), nullptr, now + absl::Seconds(2)).ok());
  ASSERT_TRUE(Send(Envelope("ack-in-time", kPolice), nullptr, now + absl::Hours(2)).ok());
  ASSERT_TRUE(Send(Envelope("ack-no-deadline", kPolice)).ok());
  {
    auto early = Get("ack-overdue");
    EXPECT_EQ(early.acknowledge_by().seconds(), absl::ToUnixSeconds(now + absl::Seconds(2)));
    EXPECT_FALSE(early.acknowledged_late()) << "not yet past its deadline";
  }
  absl::SleepFor(absl::Seconds(3));
  EXPECT_EQ(Get("ack-overdue").state(), v1::DELIVERY_STATE_PENDING);
  EXPECT_TRUE(Get("ack-overdue").acknowledged_late());
  EXPECT_FALSE(Get("ack-in-time").acknowledged_late());
  EXPECT_FALSE(Get("ack-no-deadline").has_acknowledge_by());
  {
    pqxx::connection conn(sut_->config().database_url);
    pqxx::work tx(conn);
    auto counts = ExchangeStore::CountByState(tx);
    EXPECT_EQ(counts.overdue, 1);
    EXPECT_GE(counts.oldest_pending_seconds, 3) << "pending for 3 s and more";
  }
  police_.Start();
  for (const char* id : {"ack-overdue", "ack-in-time", "ack-no-deadline"}) {
    EXPECT_EQ(AwaitAnswer(id).state(), v1::DELIVERY_STATE_ACKNOWLEDGED) << id;
  }
  EXPECT_TRUE(Get("ack-overdue").acknowledged_late()) << "answered after its deadline";
  EXPECT_FALSE(Get("ack-in-time").acknowledged_late());
  {
    pqxx::connection conn(sut_->config().database_url);
    pqxx::work tx(conn);
    EXPECT_EQ(ExchangeStore::CountByState(tx).overdue, 0);
    const std::string detail =
        tx.exec(
              "SELECT detail FROM message_log WHERE envelope_id = 'ack-overdue' AND"
              " event = 'acknowledged'")[0][0]
            .as<std::string>();
    EXPECT_NE(detail.find("(late: acknowledge by "), std::string::npos) << detail;
  }
  // A deadline before the envelope was made is refused.
  auto bad = Send(Envelope("ack-before", kPolice), nullptr, now - absl::Hours(1));
  ASSERT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_EQ(FieldViolationsOf(FromGrpcStatus(bad)).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(FromGrpcStatus(bad))[0].field, "acknowledge_by");
  EXPECT_TRUE(Verify().ok());
}

TEST_F(ExchangeTest, EachBadEnvelopeFieldGivesItsFieldViolation) {
  v1::Envelope e;
  e.set_id("bad id with spaces");
  e.set_payload("x");
  e.set_payload_sha256("abc");
  auto st = Send(e);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields;
  for (const auto& v : FieldViolationsOf(FromGrpcStatus(st))) fields.push_back(v.field);
  EXPECT_EQ(fields, (std::vector<std::string>{
                        "envelope.id", "envelope.type", "envelope.sender_agency_code",
                        "envelope.receiver_agency_code", "envelope.correlation_id",
                        "envelope.content_type", "envelope.payload_sha256", "envelope.create_time",
                        "envelope.signing_key_id", "envelope.signature"}));
}

}  // namespace
}  // namespace localgov::liaison

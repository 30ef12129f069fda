// The applicant's public look-up: second factor, Redis cache invalidated on transitions,
// rate limits, and Redis down.
#include <functional>
#include "common/clock.h"
#include "common/redis/near_cache.h"
#include "common/service.h"

#include "gtest/gtest.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"
#include "services/dossier/dossier_spec.h"
#include "services/dossier/lookup.h"
#include "tests/harness/servers.h"
#include "tests/harness/service_fixture.h"

namespace localgov::dossier {
namespace {

using testing::ServiceUnderTest;
using testing::TestServers;

constexpr const char* kCommune = "000.00.31.H41";

class LookupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sut = ServiceUnderTest::Start(Spec());
    ASSERT_TRUE(sut.ok()) << sut.status();
    sut_ = std::move(*sut);
    stub_ = v1::DossierService::NewStub(sut_->channel());
    v1::ReceiveDossierRequest r;
    r.set_request_id("lookup-1");
    r.set_procedure_code("LT-01");
    r.set_channel(v1::CHANNEL_ONLINE);
    r.mutable_applicant()->set_full_name("Võ Thị Hoa");
    r.mutable_applicant()->set_citizen_id("001203004567");
    r.mutable_applicant()->set_phone("0912345678");
    r.add_documents()->set_document_code("to-khai-lien-thong");
    r.add_documents()->set_document_code("giay-chung-sinh");
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-1");
    v1::ReceiveDossierResponse resp;
    ASSERT_TRUE(stub_->ReceiveDossier(&ctx, r, &resp).ok());
    dossier_ = resp.dossier();
  }

  grpc::Status Lookup(const std::string& factor, v1::LookupDossierResponse* resp,
                      const std::string& subject = "portal", Role role = Role::kSystem) {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, role, "000.00.00.H99", subject);
    v1::LookupDossierRequest req;
    req.set_code(dossier_.code());
    req.set_second_factor(factor);
    return stub_->LookupDossier(&ctx, req, resp);
  }

  // The commune's officer moves the dossier on (one transition).
  grpc::Status StartProcessing() {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer, kCommune, "officer-1");
    v1::StartProcessingRequest sp;
    sp.set_code(dossier_.code());
    sp.set_expected_version(dossier_.version());
    v1::StartProcessingResponse spr;
    return stub_->StartProcessing(&ctx, sp, &spr);
  }

  std::unique_ptr<ServiceUnderTest> sut_;
  std::unique_ptr<v1::DossierService::Stub> stub_;
  v1::Dossier dossier_;
};

TEST_F(LookupTest, TheRightSecondFactorShowsThePublicViewAndAWrongOneNothing) {
  v1::LookupDossierResponse resp;
  ASSERT_TRUE(Lookup("4567", &resp).ok());  // citizen ID
  EXPECT_EQ(resp.dossier().portal_status_code(), 2);
  EXPECT_EQ(resp.dossier().due_date(), dossier_.due_date());
  ASSERT_TRUE(Lookup("5678", &resp).ok());  // phone, now from the cache
  EXPECT_EQ(Lookup("1111", &resp).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Lookup("45x7", &resp).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(LookupTest, ATransitionIsVisibleAtOnceDespiteTheCache) {
  v1::LookupDossierResponse resp;
  for (int i = 0; i < 5; ++i) {  // in Redis, then in the service's memory too
    ASSERT_TRUE(Lookup("4567", &resp).ok());
    ASSERT_EQ(resp.dossier().state(), v1::DOSSIER_STATE_ACCEPTED);
  }
  ASSERT_TRUE(StartProcessing().ok());
  ASSERT_TRUE(Lookup("4567", &resp).ok());
  EXPECT_EQ(resp.dossier().state(), v1::DOSSIER_STATE_IN_PROGRESS);
}

// The race the versioned cache closes: a look-up misses the cache and reads the dossier, an
// officer's transition commits and drops the cached view, and only then does the look-up store
// what it read. The old state must not come back.
TEST_F(LookupTest, AViewReadJustBeforeATransitionIsNotCachedAfterIt) {
  auto& ctx = sut_->service().context();
  PublicLookup slow(ctx.db, ctx.redis, RedisKeyPrefix(sut_->config()));
  auto read = slow.Load(dossier_.code());
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_TRUE(read->has_value());
  ASSERT_EQ((*read)->view.state(), v1::DOSSIER_STATE_ACCEPTED);

  ASSERT_TRUE(StartProcessing().ok());

  EXPECT_FALSE(slow.Fill(dossier_.code(), **read)) << "an entry older than the change";
  v1::LookupDossierResponse resp;
  ASSERT_TRUE(Lookup("4567", &resp).ok());
  EXPECT_EQ(resp.dossier().state(), v1::DOSSIER_STATE_IN_PROGRESS);
  ASSERT_TRUE(Lookup("4567", &resp).ok());  // now from the cache, filled at the new version
  EXPECT_EQ(resp.dossier().state(), v1::DOSSIER_STATE_IN_PROGRESS);
}

TEST_F(LookupTest, ChangesMarkedOutOfOrderKeepTheNewestVersion) {
  auto& ctx = sut_->service().context();
  PublicLookup lookup(ctx.db, ctx.redis, RedisKeyPrefix(sut_->config()));
  auto read = lookup.Load(dossier_.code());
  ASSERT_TRUE(read.ok() && read->has_value());
  PublicLookup::Entry entry = **read;
  const int64_t v = entry.version;
  lookup.Invalidate(dossier_.code(), v + 2);
  lookup.Invalidate(dossier_.code(), v + 1);  // an older change's marker, arriving late
  entry.version = v + 1;
  EXPECT_FALSE(lookup.Fill(dossier_.code(), entry));
  entry.version = v + 2;
  EXPECT_TRUE(lookup.Fill(dossier_.code(), entry)) << "read at the newest change";
  entry.version = v;
  EXPECT_FALSE(lookup.Fill(dossier_.code(), entry));
}

// Polls for up to five seconds: Redis reports changes on their own connection.
bool Eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 500; ++i) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return done();
}

// The copy in memory (near cache) of one replica, while another replica (the service under
// test) changes the dossier and takes wrong factors. Its copies are kept for a minute here, so
// only Redis's invalidations can make these pass.
TEST_F(LookupTest, AReplicasCopyInMemoryFollowsChangesMadeByAnotherReplica) {
  auto& ctx = sut_->service().context();
  const std::string prefix = RedisKeyPrefix(sut_->config());
  RedisNearCache::Options options;
  options.port = ctx.redis.options().port;
  options.prefixes = PublicLookup::NearCachePrefixes(prefix);
  options.max_age = absl::Minutes(1);
  RedisNearCache near(options, SystemClock::Get());
  ASSERT_TRUE(Eventually([&] { return near.armed(); }));
  PublicLookup here(ctx.db, ctx.redis, prefix, &near);
  CallContext portal;
  portal.access.role = Role::kSystem;
  portal.access.subject = "portal";
  auto in_memory = [&](const std::string& factor) {
    return here.LookupInMemory(portal, dossier_.code(), factor);
  };
  ASSERT_TRUE(Eventually([&] {
    (void)here.Lookup(portal, dossier_.code(), "4567");
    return in_memory("4567").has_value();
  })) << "served from memory after a few look-ups";
  ASSERT_TRUE(in_memory("4567")->ok());
  EXPECT_EQ((*in_memory("4567"))->state(), v1::DOSSIER_STATE_ACCEPTED);
  EXPECT_EQ((*in_memory("5678"))->state(), v1::DOSSIER_STATE_ACCEPTED) << "the phone's digits";
  EXPECT_FALSE(in_memory("1111").has_value()) << "a wrong factor is counted in Redis";
  EXPECT_EQ(in_memory("45x7")->status().code(), absl::StatusCode::kInvalidArgument);
  const size_t held = near.size();
  EXPECT_EQ(here.Lookup(portal, "000.00.31.H41-261123-9999", "1234").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(near.size(), held) << "nothing kept for a code that does not exist";
  CallContext citizen = portal;
  citizen.access.role = Role::kCitizen;
  EXPECT_FALSE(here.LookupInMemory(citizen, dossier_.code(), "4567").has_value())
      << "a citizen is counted per minute in Redis";

  ASSERT_TRUE(StartProcessing().ok());
  EXPECT_TRUE(Eventually([&] { return !in_memory("4567").has_value(); }))
      << "the other replica's change dropped this copy";
  auto now = here.Lookup(portal, dossier_.code(), "4567");
  ASSERT_TRUE(now.ok()) << now.status();
  EXPECT_EQ(now->state(), v1::DOSSIER_STATE_IN_PROGRESS);

  // Ten wrong factors through the other replica lock the dossier here too.
  ASSERT_TRUE(Eventually([&] {
    (void)here.Lookup(portal, dossier_.code(), "4567");
    return in_memory("4567").has_value();
  }));
  v1::LookupDossierResponse resp;
  for (int i = 0; i < 10; ++i) (void)Lookup(absl::StrCat(2000 + i), &resp);
  EXPECT_TRUE(Eventually([&] { return !in_memory("4567").has_value(); }))
      << "the count's copy was dropped: memory no longer answers with the view";
  EXPECT_EQ(here.Lookup(portal, dossier_.code(), "4567").status().code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(Eventually([&] {
    (void)here.Lookup(portal, dossier_.code(), "4567");
    auto r = in_memory("4567");
    return r.has_value() && r->status().code() == absl::StatusCode::kResourceExhausted;
  })) << "and memory refuses too, once it holds the new count";
}

// The answer from memory comes after the same checks as any call: a bad token is refused
// however warm the cache, and the request id is echoed.
TEST_F(LookupTest, AnAnswerFromMemoryStillNeedsAValidTokenAndEchoesTheRequestId) {
  v1::LookupDossierResponse resp;
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Lookup("4567", &resp).ok());  // warm
  v1::LookupDossierRequest req;
  req.set_code(dossier_.code());
  req.set_second_factor("4567");
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer not-a-token");
    EXPECT_EQ(stub_->LookupDossier(&ctx, req, &resp).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  {
    grpc::ClientContext ctx;
    EXPECT_EQ(stub_->LookupDossier(&ctx, req, &resp).error_code(),
              grpc::StatusCode::UNAUTHENTICATED)
        << "no token at all";
  }
  grpc::ClientContext ctx;
  ServiceUnderTest::Authorize(ctx, Role::kSystem, "000.00.00.H99", "portal");
  ctx.AddMetadata("x-request-id", "portal-lookup-0001");
  ASSERT_TRUE(stub_->LookupDossier(&ctx, req, &resp).ok());
  EXPECT_EQ(resp.dossier().code(), dossier_.code());
  const auto& md = ctx.GetServerInitialMetadata();
  auto it = md.find("x-request-id");
  ASSERT_NE(it, md.end());
  EXPECT_EQ(std::string(it->second.data(), it->second.size()), "portal-lookup-0001");
}

TEST_F(LookupTest, GuessingTheFactorIsStoppedAfterTenWrongTries) {
  v1::LookupDossierResponse resp;
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(Lookup(absl::StrCat(1000 + i), &resp, "guesser-" + std::to_string(i)).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
  EXPECT_EQ(Lookup("4567", &resp, "someone-else").error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED)
      << "the dossier is locked for an hour, whoever asks";
}

TEST_F(LookupTest, EachCallerIsLimitedPerMinute) {
  v1::LookupDossierResponse resp;
  int exhausted = 0;
  // 65 calls: even if a minute boundary splits them, one minute sees at least 33 (> 30).
  for (int i = 0; i < 65; ++i) {
    exhausted += Lookup("4567", &resp, "001203004567", Role::kCitizen).error_code() ==
                 grpc::StatusCode::RESOURCE_EXHAUSTED;
  }
  EXPECT_GE(exhausted, 3);
  EXPECT_TRUE(Lookup("4567", &resp, "001203000000", Role::kCitizen).ok()) << "another caller";
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(Lookup("4567", &resp, "portal").ok()) << "the portal limits its own users";
  }
}

// localgov_dependency_up{dependency="redis_invalidations"}: 1 while Redis's change messages
// arrive (look-ups from memory), 0 otherwise; -1 if the gauge is missing.
double InvalidationsUp(ServiceUnderTest& sut) {
  for (const auto& f : sut.service().context().metrics.registry().Collect()) {
    if (f.name != "localgov_dependency_up") continue;
    for (const auto& m : f.metric) {
      for (const auto& l : m.label) {
        if (l.name == "dependency" && l.value == "redis_invalidations") return m.gauge.value;
      }
    }
  }
  return -1;
}

TEST_F(LookupTest, WithRedisDownLookUpsStillWorkFromPostgres) {
  ASSERT_TRUE(Eventually([&] { return InvalidationsUp(*sut_) == 1; }));
  ASSERT_TRUE(TestServers::Get().StopRedis().ok());
  v1::LookupDossierResponse resp;
  const auto st = Lookup("4567", &resp);
  const bool gauge_fell = Eventually([&] { return InvalidationsUp(*sut_) == 0; });
  ASSERT_TRUE(TestServers::Get().StartRedis().ok());
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(resp.dossier().code(), dossier_.code());
  EXPECT_TRUE(gauge_fell) << "the metric says look-ups no longer come from memory";
  EXPECT_TRUE(Eventually([&] { return InvalidationsUp(*sut_) == 1; })) << "and back";
}

}  // namespace
}  // namespace localgov::dossier

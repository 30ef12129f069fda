// The four service binaries' wiring, in-process against real PostgreSQL and Redis.
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "localgov/cadre/v1/cadre_service.grpc.pb.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"
#include "localgov/liaison/v1/liaison_service.grpc.pb.h"
#include "localgov/petition/v1/petition_service.grpc.pb.h"
#include "services/cadre/cadre_spec.h"
#include "services/dossier/dossier_spec.h"
#include "services/liaison/liaison_spec.h"
#include "services/petition/petition_spec.h"
#include "tests/harness/servers.h"
#include "tests/harness/service_fixture.h"

namespace localgov {
namespace {

using testing::ServiceUnderTest;
using testing::TestServers;
using HealthStatus = grpc::health::v1::HealthCheckResponse;

HealthStatus::ServingStatus Health(const std::shared_ptr<grpc::Channel>& ch,
                                   const std::string& service = "") {
  auto stub = grpc::health::v1::Health::NewStub(ch);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  grpc::health::v1::HealthCheckRequest req;
  req.set_service(service);
  HealthStatus resp;
  if (!stub->Check(&ctx, req, &resp).ok()) return HealthStatus::UNKNOWN;
  return resp.status();
}

bool WaitForHealth(const std::shared_ptr<grpc::Channel>& ch, HealthStatus::ServingStatus want,
                   absl::Duration within) {
  const auto give_up = absl::Now() + within;
  while (absl::Now() < give_up) {
    if (Health(ch) == want) return true;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return false;
}

std::string HttpGet(int port, const std::string& path) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return "";
  }
  const std::string req = "GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n";
  (void)!write(fd, req.data(), req.size());
  std::string out;
  char buf[8192];
  ssize_t n;
  while ((n = read(fd, buf, sizeof(buf))) > 0) out.append(buf, static_cast<size_t>(n));
  close(fd);
  return out;
}

struct Case {
  const char* name;
  ServiceSpec (*spec)();
};

class EveryServiceTest : public ::testing::TestWithParam<Case> {};

grpc::Status CallInfo(const std::string& service, const std::shared_ptr<grpc::Channel>& ch,
                      grpc::ClientContext* ctx, localgov::common::v1::ServiceInfo* info) {
  if (service == "dossier") {
    dossier::v1::GetServiceInfoResponse r;
    auto st = dossier::v1::DossierService::NewStub(ch)->GetServiceInfo(ctx, {}, &r);
    *info = r.info();
    return st;
  }
  if (service == "petition") {
    petition::v1::GetServiceInfoResponse r;
    auto st = petition::v1::PetitionService::NewStub(ch)->GetServiceInfo(ctx, {}, &r);
    *info = r.info();
    return st;
  }
  if (service == "cadre") {
    cadre::v1::GetServiceInfoResponse r;
    auto st = cadre::v1::CadreService::NewStub(ch)->GetServiceInfo(ctx, {}, &r);
    *info = r.info();
    return st;
  }
  liaison::v1::GetServiceInfoResponse r;
  auto st = liaison::v1::LiaisonService::NewStub(ch)->GetServiceInfo(ctx, {}, &r);
  *info = r.info();
  return st;
}

TEST_P(EveryServiceTest, StartsMigratesAndServesInfoFromItsDatabase) {
  const auto spec = GetParam().spec();
  auto sut = ServiceUnderTest::Start(spec, [](ServiceConfig& c) {
    c.metrics_listen = absl::StrCat("127.0.0.1:", testing::FreePort());
  });
  ASSERT_TRUE(sut.ok()) << sut.status();
  auto ch = (*sut)->channel();
  ASSERT_TRUE(WaitForHealth(ch, HealthStatus::SERVING, absl::Seconds(5)));
  EXPECT_EQ(Health(ch, spec.grpc_services[0]), HealthStatus::SERVING);

  grpc::ClientContext ctx;
  ServiceUnderTest::Authorize(ctx, Role::kOfficer);
  ctx.AddMetadata("x-request-id", "trace-abc-123");
  localgov::common::v1::ServiceInfo info;
  auto st = CallInfo(spec.defaults.name, ch, &ctx, &info);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(info.service(), spec.defaults.name);
  EXPECT_EQ(info.schema_version(), spec.migrations->back().version);
  EXPECT_TRUE(info.database_reachable());
  EXPECT_TRUE(info.redis_reachable());
  EXPECT_GT(info.database_time().seconds(), 1700000000);
  auto echo = ctx.GetServerInitialMetadata().find("x-request-id");
  ASSERT_NE(echo, ctx.GetServerInitialMetadata().end());
  EXPECT_EQ(std::string(echo->second.data(), echo->second.size()), "trace-abc-123");

  const std::string metrics = HttpGet((*sut)->service().metrics_port(), "/metrics");
  EXPECT_NE(metrics.find("localgov_rpc_total"), std::string::npos);
  EXPECT_NE(metrics.find("method=\"GetServiceInfo\""), std::string::npos)
      << metrics.substr(0, 2000);
  EXPECT_NE(metrics.find("localgov_rpc_duration_seconds_bucket"), std::string::npos);
}

TEST_P(EveryServiceTest, RefusesCallsWithoutAValidToken) {
  const auto spec = GetParam().spec();
  auto sut = ServiceUnderTest::Start(spec);
  ASSERT_TRUE(sut.ok()) << sut.status();
  localgov::common::v1::ServiceInfo info;
  {
    grpc::ClientContext ctx;
    EXPECT_EQ(CallInfo(spec.defaults.name, (*sut)->channel(), &ctx, &info).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer eyJhbGciOiJFUzI1NiJ9.e30.AAAA");
    EXPECT_EQ(CallInfo(spec.defaults.name, (*sut)->channel(), &ctx, &info).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
}

INSTANTIATE_TEST_SUITE_P(Services, EveryServiceTest,
                         ::testing::Values(Case{"dossier", &dossier::Spec},
                                           Case{"petition", &petition::Spec},
                                           Case{"cadre", &cadre::Spec},
                                           Case{"liaison", &liaison::Spec}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ServiceFaultTest, PostgresDownMeansUnavailableAndNotServingThenRecoversWithoutRestart) {
  auto sut = ServiceUnderTest::Start(dossier::Spec());
  ASSERT_TRUE(sut.ok()) << sut.status();
  auto ch = (*sut)->channel();
  ASSERT_TRUE(WaitForHealth(ch, HealthStatus::SERVING, absl::Seconds(5)));

  ASSERT_TRUE(TestServers::Get().StopPostgres().ok());
  {
    grpc::ClientContext ctx;
    ServiceUnderTest::Authorize(ctx, Role::kOfficer);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    localgov::common::v1::ServiceInfo info;
    const auto started = absl::Now();
    auto st = CallInfo("dossier", ch, &ctx, &info);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE) << st.error_message();
    EXPECT_LT(absl::Now() - started, absl::Seconds(10)) << "must fail fast, not hang";
  }
  EXPECT_TRUE(WaitForHealth(ch, HealthStatus::NOT_SERVING, absl::Seconds(10)));

  ASSERT_TRUE(TestServers::Get().StartPostgres().ok());
  EXPECT_TRUE(WaitForHealth(ch, HealthStatus::SERVING, absl::Seconds(10)));
  grpc::ClientContext ctx;
  ServiceUnderTest::Authorize(ctx, Role::kOfficer);
  localgov::common::v1::ServiceInfo info;
  auto st = CallInfo("dossier", ch, &ctx, &info);
  EXPECT_TRUE(st.ok()) << st.error_message();
}

TEST(ServiceFaultTest, RedisDownDegradesButEveryRpcStillWorks) {
  auto sut = ServiceUnderTest::Start(cadre::Spec());
  ASSERT_TRUE(sut.ok()) << sut.status();
  ASSERT_TRUE(TestServers::Get().StopRedis().ok());
  grpc::ClientContext ctx;
  ServiceUnderTest::Authorize(ctx, Role::kOfficer);
  localgov::common::v1::ServiceInfo info;
  const auto started = absl::Now();
  auto st = CallInfo("cadre", (*sut)->channel(), &ctx, &info);
  const auto took = absl::Now() - started;
  ASSERT_TRUE(TestServers::Get().StartRedis().ok());
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_FALSE(info.redis_reachable());
  EXPECT_TRUE(info.database_reachable());
  EXPECT_LT(took, absl::Seconds(3));
  EXPECT_EQ(Health((*sut)->channel()), HealthStatus::SERVING)
      << "Redis is not a readiness dependency";
}

TEST(ServiceStartTest, ABadKeyFileStopsStartWithAMessageNamingTheSetting) {
  auto sut = ServiceUnderTest::Start(petition::Spec(), [](ServiceConfig& c) {
    c.auth_public_key_file = "/nonexistent/issuer.pub";
  });
  ASSERT_FALSE(sut.ok());
  EXPECT_NE(std::string(sut.status().message()).find("LOCALGOV_AUTH_PUBLIC_KEY_FILE"),
            std::string::npos);
}

}  // namespace
}  // namespace localgov

namespace localgov {
namespace {

TEST(ServiceOverloadTest, AFullQueueAnswersResourceExhaustedAtOnceAndTheServiceRecovers) {
  auto sut = ServiceUnderTest::Start(dossier::Spec(), [](ServiceConfig& c) {
    c.worker_threads = 1;
    c.max_queued_calls = 2;
  });
  ASSERT_TRUE(sut.ok()) << sut.status();
  auto ch = (*sut)->channel();
  constexpr int kCalls = 40;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0}, exhausted{0}, other{0};
  for (int i = 0; i < kCalls; ++i) {
    threads.emplace_back([&] {
      grpc::ClientContext ctx;
      ServiceUnderTest::Authorize(ctx, Role::kOfficer);
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
      localgov::common::v1::ServiceInfo info;
      const auto st = CallInfo("dossier", ch, &ctx, &info);
      if (st.ok()) {
        ++ok;
      } else if (st.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
        ++exhausted;
      } else {
        ++other;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok + exhausted + other, kCalls);
  EXPECT_EQ(other.load(), 0);
  EXPECT_GT(ok.load(), 0);
  EXPECT_GT(exhausted.load(), 0) << "40 simultaneous calls into 1 worker + 2 queue slots";
  grpc::ClientContext ctx;
  ServiceUnderTest::Authorize(ctx, Role::kOfficer);
  localgov::common::v1::ServiceInfo info;
  EXPECT_TRUE(CallInfo("dossier", ch, &ctx, &info).ok());
}

}  // namespace
}  // namespace localgov

#include "common/server.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/health_check_service_interface.h"
#include "gtest/gtest.h"
#include "localgov/dossier/v1/dossier_service.grpc.pb.h"
#include "tests/harness/pki.h"
#include "tests/harness/servers.h"

namespace localgov {
namespace {

// A handler that takes its time, to have calls in flight during shutdown.
class SlowDossier final : public dossier::v1::DossierService::Service {
 public:
  grpc::Status GetServiceInfo(grpc::ServerContext*, const dossier::v1::GetServiceInfoRequest*,
                              dossier::v1::GetServiceInfoResponse* response) override {
    ++started_;
    absl::SleepFor(absl::Milliseconds(800));
    response->mutable_info()->set_service("slow");
    return grpc::Status::OK;
  }
  std::atomic<int> started_{0};
};

grpc::health::v1::HealthCheckResponse::ServingStatus Health(
    const std::shared_ptr<grpc::Channel>& ch, const std::string& service = "") {
  auto stub = grpc::health::v1::Health::NewStub(ch);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  grpc::health::v1::HealthCheckRequest req;
  req.set_service(service);
  grpc::health::v1::HealthCheckResponse resp;
  auto st = stub->Check(&ctx, req, &resp);
  if (!st.ok()) return grpc::health::v1::HealthCheckResponse::UNKNOWN;
  return resp.status();
}

TEST(ServiceHostTest, HealthFollowsTheReadinessProbe) {
  std::atomic<bool> ready{false};
  SlowDossier service;
  ServiceHost::Options o;
  o.drain = absl::ZeroDuration();
  o.health_interval = absl::Milliseconds(50);
  o.health_services = {"localgov.dossier.v1.DossierService"};
  auto host = ServiceHost::Start(o, {&service}, [&] { return ready.load(); });
  ASSERT_TRUE(host.ok()) << host.status();
  auto ch = grpc::CreateChannel("127.0.0.1:" + std::to_string((*host)->port()),
                                grpc::InsecureChannelCredentials());
  EXPECT_EQ(Health(ch), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  ready = true;
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(Health(ch), grpc::health::v1::HealthCheckResponse::SERVING);
  EXPECT_EQ(Health(ch, "localgov.dossier.v1.DossierService"),
            grpc::health::v1::HealthCheckResponse::SERVING);
  ready = false;
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(Health(ch), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
}

TEST(ServiceHostTest, ShutdownGoesNotServingThenDrainsInFlightCalls) {
  SlowDossier service;
  ServiceHost::Options o;
  o.drain = absl::Milliseconds(500);
  o.shutdown_timeout = absl::Seconds(5);
  o.health_interval = absl::Milliseconds(50);
  auto host = ServiceHost::Start(o, {&service}, [] { return true; });
  ASSERT_TRUE(host.ok()) << host.status();
  auto ch = grpc::CreateChannel("127.0.0.1:" + std::to_string((*host)->port()),
                                grpc::InsecureChannelCredentials());
  auto stub = dossier::v1::DossierService::NewStub(ch);
  ASSERT_EQ(Health(ch), grpc::health::v1::HealthCheckResponse::SERVING);

  auto in_flight = std::async(std::launch::async, [&] {
    grpc::ClientContext ctx;
    dossier::v1::GetServiceInfoResponse resp;
    auto st = stub->GetServiceInfo(&ctx, {}, &resp);
    return std::make_pair(st.error_code(), resp.info().service());
  });
  while (service.started_.load() == 0) absl::SleepFor(absl::Milliseconds(5));
  auto shutdown = std::async(std::launch::async, [&] { (*host)->Shutdown(); });
  absl::SleepFor(absl::Milliseconds(150));
  EXPECT_EQ(Health(ch), grpc::health::v1::HealthCheckResponse::NOT_SERVING)
      << "during the drain, health must say NOT_SERVING";
  const auto [code, body] = in_flight.get();
  EXPECT_EQ(code, grpc::StatusCode::OK) << "an in-flight call must finish";
  EXPECT_EQ(body, "slow");
  shutdown.get();

  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(1));
  dossier::v1::GetServiceInfoResponse resp;
  EXPECT_FALSE(stub->GetServiceInfo(&ctx, {}, &resp).ok()) << "no calls after shutdown";
}

TEST(ServiceHostTest, ABusyPortIsAClearError) {
  SlowDossier service;
  ServiceHost::Options o;
  o.drain = absl::ZeroDuration();
  auto first = ServiceHost::Start(o, {&service}, [] { return true; });
  ASSERT_TRUE(first.ok());
  SlowDossier other;
  o.listen = "127.0.0.1:" + std::to_string((*first)->port());
  auto second = ServiceHost::Start(o, {&other}, [] { return true; });
  ASSERT_FALSE(second.ok());
  EXPECT_NE(std::string(second.status().message()).find("cannot listen"), std::string::npos);
}

using testing::TestPki;

TEST(ServiceHostTest, MutualTlsAdmitsOnlyClientsWithACertificateFromTheCa) {
  TestPki pki;
  ASSERT_TRUE(pki.ok()) << "openssl could not make the test certificates";
  SlowDossier service;
  ServiceHost::Options o;
  o.drain = absl::ZeroDuration();
  o.health_interval = absl::Milliseconds(50);
  o.tls_cert_file = pki.Path("server.crt");
  o.tls_key_file = pki.Path("server.key");
  o.tls_client_ca_file = pki.Path("ca.crt");
  o.health_listen = "127.0.0.1:0";
  auto host = ServiceHost::Start(o, {&service}, [] { return true; });
  ASSERT_TRUE(host.ok()) << host.status();
  const std::string target = "127.0.0.1:" + std::to_string((*host)->port());

  grpc::SslCredentialsOptions with_cert;
  with_cert.pem_root_certs = pki.Read("ca.crt");
  with_cert.pem_private_key = pki.Read("client.key");
  with_cert.pem_cert_chain = pki.Read("client.crt");
  EXPECT_EQ(Health(grpc::CreateChannel(target, grpc::SslCredentials(with_cert))),
            grpc::health::v1::HealthCheckResponse::SERVING);

  grpc::SslCredentialsOptions without_cert;
  without_cert.pem_root_certs = pki.Read("ca.crt");
  EXPECT_EQ(Health(grpc::CreateChannel(target, grpc::SslCredentials(without_cert))),
            grpc::health::v1::HealthCheckResponse::UNKNOWN)
      << "a client without a certificate must be refused";
  EXPECT_EQ(Health(grpc::CreateChannel(target, grpc::InsecureChannelCredentials())),
            grpc::health::v1::HealthCheckResponse::UNKNOWN)
      << "plaintext must be refused on the TLS port";

  // The kubelet's probe speaks plaintext to the health-only listener.
  ASSERT_GT((*host)->health_port(), 0);
  auto probe = grpc::CreateChannel("127.0.0.1:" + std::to_string((*host)->health_port()),
                                   grpc::InsecureChannelCredentials());
  EXPECT_EQ(Health(probe), grpc::health::v1::HealthCheckResponse::SERVING);
  auto info = dossier::v1::DossierService::NewStub(probe);
  grpc::ClientContext ctx;
  dossier::v1::GetServiceInfoResponse resp;
  EXPECT_EQ(info->GetServiceInfo(&ctx, {}, &resp).error_code(), grpc::StatusCode::UNIMPLEMENTED)
      << "the probe listener serves health only";
  (*host)->Shutdown();
}

TEST(ServiceHostTest, TlsSettingsThatCannotBeReadStopTheStart) {
  SlowDossier service;
  ServiceHost::Options o;
  o.tls_cert_file = "/nonexistent/tls.crt";
  o.tls_key_file = "/nonexistent/tls.key";
  auto host = ServiceHost::Start(o, {&service}, [] { return true; });
  ASSERT_FALSE(host.ok());
  EXPECT_NE(host.status().message().find("/nonexistent/tls.crt"), std::string::npos);
}

}  // namespace
}  // namespace localgov

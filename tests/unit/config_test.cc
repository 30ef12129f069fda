#include "common/config.h"

#include <cstdlib>

#include "gtest/gtest.h"

namespace localgov {
namespace {

const ServiceDefaults kDefaults{"dossier", 50051, 9101, {}, {}};

TEST(ConfigTest, MissingRequiredSettingsAreNamedWithFlagAndVariable) {
  auto config = ParseServiceConfig(kDefaults, {});
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string message(config.status().message());
  EXPECT_NE(message.find("--database-url (LOCALGOV_DATABASE_URL)"), std::string::npos) << message;
  EXPECT_NE(message.find("--auth-public-key-file (LOCALGOV_AUTH_PUBLIC_KEY_FILE)"),
            std::string::npos);
}

TEST(ConfigTest, DefaultsGiveTheServiceItsFixedLocalPorts) {
  auto config = ParseServiceConfig(
      kDefaults, {"--database-url", "postgresql://u@h/db", "--auth-public-key-file", "k.pem"});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->command, Command::kServe);
  EXPECT_EQ(config->listen, "127.0.0.1:50051");
  EXPECT_EQ(config->metrics_listen, "127.0.0.1:9101");
  EXPECT_EQ(config->db_pool_size, 16);
  EXPECT_EQ(config->worker_threads, 16);  // the pool size
  EXPECT_EQ(config->max_queued_calls, 1000);
}

TEST(ConfigTest, EnvironmentIsReadAndFlagsWin) {
  setenv("LOCALGOV_DATABASE_URL", "postgresql://env@h/db", 1);
  setenv("LOCALGOV_DB_POOL_SIZE", "4", 1);
  auto config =
      ParseServiceConfig(kDefaults, {"--auth-public-key-file", "k.pem", "--db-pool-size", "6"});
  unsetenv("LOCALGOV_DATABASE_URL");
  unsetenv("LOCALGOV_DB_POOL_SIZE");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->database_url, "postgresql://env@h/db");
  EXPECT_EQ(config->db_pool_size, 6);
}

TEST(ConfigTest, BadValuesAreEachReported) {
  auto config =
      ParseServiceConfig(kDefaults, {"--database-url", "mysql://x", "--auth-public-key-file",
                                     "k.pem", "--db-pool-size", "0", "--listen", "nohost",
                                     "--log-level", "loud", "--migrate-on-start", "maybe"});
  ASSERT_FALSE(config.ok());
  const std::string m(config.status().message());
  for (const char* name : {"LOCALGOV_DATABASE_URL", "LOCALGOV_DB_POOL_SIZE", "LOCALGOV_LISTEN",
                           "LOCALGOV_LOG_LEVEL", "LOCALGOV_MIGRATE_ON_START"}) {
    EXPECT_NE(m.find(name), std::string::npos) << name << " not in: " << m;
  }
}

TEST(ConfigTest, UnknownFlagIsRefused) {
  auto config = ParseServiceConfig(kDefaults, {"--databse-url", "x"});
  EXPECT_FALSE(config.ok());
}

TEST(ConfigTest, MigrateSubcommandNeedsNoKey) {
  auto config = ParseServiceConfig(kDefaults, {"migrate", "--database-url", "postgresql://u@h/db"});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->command, Command::kMigrate);
}

TEST(ConfigTest, EveryVariableIsListedForTheDeployChecks) {
  const auto vars = ServiceEnvironmentVariables(kDefaults);
  EXPECT_EQ(std::count(vars.begin(), vars.end(), "LOCALGOV_DATABASE_URL"), 1);
  EXPECT_EQ(std::count(vars.begin(), vars.end(), "LOCALGOV_MIGRATE_ON_START"), 1);
  EXPECT_EQ(std::count(vars.begin(), vars.end(), "LOCALGOV_TLS_CLIENT_CA_FILE"), 1);
  EXPECT_GE(vars.size(), 24u);
  EXPECT_TRUE(std::is_sorted(vars.begin(), vars.end()));
}

TEST(ConfigTest, PeersAreSettingsWithLocalDefaultsAndAreChecked) {
  ServiceDefaults d = kDefaults;
  d.peers = {{"liaison", 50054, "handoffs"}};
  auto config = ParseServiceConfig(d, {"migrate", "--database-url", "postgresql://u@h/db"});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->peer_addrs.at("liaison"), "127.0.0.1:50054");
  config = ParseServiceConfig(d, {"migrate", "--database-url", "postgresql://u@h/db",
                                  "--liaison-addr", "liaison.localgov.svc:50051"});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->peer_addrs.at("liaison"), "liaison.localgov.svc:50051");
  config = ParseServiceConfig(
      d, {"migrate", "--database-url", "postgresql://u@h/db", "--liaison-addr", "liaison"});
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("LOCALGOV_LIAISON_ADDR"), std::string::npos);
  bool listed = false;
  for (const auto& s : ServiceSettings(d)) listed |= s.env == "LOCALGOV_LIAISON_ADDR" && s.peer;
  EXPECT_TRUE(listed);
}

TEST(ConfigTest, TlsNeedsCertificateAndKeyTogetherAndMtlsNeedsBoth) {
  auto config = ParseServiceConfig(kDefaults, {"migrate", "--database-url", "postgresql://u@h/db",
                                               "--tls-cert-file", "/tls/tls.crt"});
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("set both or neither"), std::string::npos);
  config = ParseServiceConfig(kDefaults, {"migrate", "--database-url", "postgresql://u@h/db",
                                          "--tls-client-ca-file", "/tls/ca.crt"});
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("LOCALGOV_TLS_CLIENT_CA_FILE"), std::string::npos);
}

TEST(ConfigTest, AnOptionalServiceSettingMayBeLeftUnsetButIsCheckedWhenSet) {
  ServiceDefaults d = kDefaults;
  d.extras = {
      {"--extra-key-file", "LOCALGOV_EXTRA_KEY_FILE", "", "a key file", [](const std::string& v) {
         return v == "good" ? absl::OkStatus() : absl::InvalidArgumentError("unreadable");
       }}};
  const std::vector<std::string> serve = {"--database-url", "postgresql://u@h/db",
                                          "--auth-public-key-file", "k.pem"};
  EXPECT_TRUE(ParseServiceConfig(d, serve).ok()) << "unset: not validated";
  auto with = serve;
  with.insert(with.end(), {"--extra-key-file", "bad"});
  auto config = ParseServiceConfig(d, with);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("LOCALGOV_EXTRA_KEY_FILE"), std::string::npos);
  d.extras[0].required_to_serve = true;
  config = ParseServiceConfig(d, serve);
  ASSERT_FALSE(config.ok()) << "a required one must be set to serve";
  EXPECT_TRUE(ParseServiceConfig(d, {"migrate", "--database-url", "postgresql://u@h/db"}).ok())
      << "migrate does not need it";
}

}  // namespace
}  // namespace localgov

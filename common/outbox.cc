#include "common/outbox.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "common/db/query.h"
#include "common/db/transaction.h"
#include "common/input_policy.h"
#include "common/logging.h"
#include "common/set_aside.h"

namespace localgov {

std::string EnqueueOutbox(pqxx::work& tx, const std::string& topic, const std::string& key,
                          const std::string& payload, const std::string& content_type) {
  const std::string message_id = RandomId();
  tx.exec_params(
      "INSERT INTO outbox (message_id, topic, message_key, payload, content_type)"
      " VALUES ($1, $2, $3, $4, $5)",
      message_id, topic, key, pqxx::binarystring(payload), content_type);
  return message_id;
}

namespace {

// A receiver's answer that no retry can change: the message is set aside.
bool IsUnprocessable(const absl::Status& s) {
  return s.code() == absl::StatusCode::kInvalidArgument || s.code() == absl::StatusCode::kDataLoss;
}

void SetAside(pqxx::transaction_base& tx, int64_t id, const std::string& reason) {
  tx.exec_params(
      "UPDATE outbox SET set_aside_at = now(), set_aside_reason = $2, last_error = $2,"
      " attempts = attempts + 1 WHERE id = $1",
      id, QuotePrefix(reason, 500));
}

}  // namespace

absl::Duration OutboxBackoff(int attempts, absl::Duration base, absl::Duration max,
                             double jitter01) {
  const int exponent = std::clamp(attempts - 1, 0, 30);
  absl::Duration d = base * std::pow(2.0, exponent);
  if (d > max) d = max;
  const double factor = 0.5 + 0.5 * std::clamp(jitter01, 0.0, 1.0);
  return d * factor;
}

OutboxRelay::OutboxRelay(PgPool& pool, Options options, Metrics* metrics)
    : pool_(pool), options_(options), metrics_(metrics) {}

OutboxRelay::~OutboxRelay() { Stop(); }

void OutboxRelay::Register(const std::string& topic, std::shared_ptr<OutboxDeliverer> deliverer) {
  deliverers_[topic] = std::move(deliverer);
}

void OutboxRelay::Start() {
  thread_.Start([this] { return Pass(); });
}

void OutboxRelay::Stop() { thread_.Stop(); }

absl::Duration OutboxRelay::Pass() {
  if (!deliverers_.empty()) {
    auto delivered = RunOnce();
    if (!delivered.ok()) spdlog::debug("outbox pass failed: {}", delivered.status().message());
  }
  (void)Backlog();
  return options_.poll_interval;
}

absl::StatusOr<int> OutboxRelay::RunOnce() {
  if (deliverers_.empty()) return 0;
  std::vector<std::string> topics;
  for (const auto& [topic, unused] : deliverers_) topics.push_back(topic);
  thread_local std::mt19937_64 rng(std::random_device{}());
  std::uniform_real_distribution<double> jitter(0.0, 1.0);
  int delivered = 0;
  auto status = RunInTransaction(pool_, "outbox_relay", [&](pqxx::work& tx) -> absl::Status {
    delivered = 0;
    const std::string array = TextArray(topics);
    auto rows = tx.exec_params(
        "SELECT id, message_id, topic, message_key, payload, content_type, attempts FROM outbox"
        " WHERE delivered_at IS NULL AND set_aside_at IS NULL AND available_at <= now()"
        " AND topic = ANY($1::text[])"
        " ORDER BY available_at, id LIMIT $2 FOR UPDATE SKIP LOCKED",
        array, options_.batch_size);
    for (const auto& r : rows) {
      OutboxMessage m;
      m.id = r[0].as<int64_t>();
      m.message_id = r[1].as<std::string>();
      m.topic = r[2].as<std::string>();
      m.key = r[3].as<std::string>();
      m.payload = pqxx::binarystring(r[4]).str();
      m.content_type = r[5].as<std::string>();
      m.attempts = r[6].as<int>();
      absl::Status result;
      try {
        result = deliverers_.at(m.topic)->Deliver(m);
      } catch (const std::exception& e) {
        result = absl::InternalError(e.what());
      }
      if (metrics_ != nullptr) metrics_->CountOutboxDelivery(m.topic, result.ok());
      // Each message in a savepoint of its own: one whose row cannot be updated is set aside
      // and never rolls back (or stops) the others of the batch.
      const std::string error = QuotePrefix(std::string(result.message()), 500);
      try {
        pqxx::subtransaction one(tx, "outbox_message");
        if (result.ok()) {
          one.exec_params(
              "UPDATE outbox SET delivered_at = now(), attempts = attempts + 1,"
              " last_error = NULL WHERE id = $1",
              m.id);
          ++delivered;
        } else if (IsUnprocessable(result)) {
          SetAside(one, m.id, absl::StrCat("the receiver refused it: ", error));
          spdlog::error("outbox message {} ({}) set aside: {}", m.message_id, m.topic, error);
        } else {
          const absl::Duration wait = OutboxBackoff(m.attempts + 1, options_.base_backoff,
                                                    options_.max_backoff, jitter(rng));
          one.exec_params(
              "UPDATE outbox SET attempts = attempts + 1, last_error = $2,"
              " available_at = now() + make_interval(secs => $3) WHERE id = $1",
              m.id, error, absl::ToDoubleSeconds(wait));
          spdlog::warn("outbox message {} ({}) attempt {} failed, retry in {}: {}", m.message_id,
                       m.topic, m.attempts + 1, absl::FormatDuration(wait), error);
        }
        one.commit();
      } catch (const pqxx::broken_connection&) {
        throw;
      } catch (const std::exception& e) {
        // A fault that may pass (a timeout, a lock, the server short of resources) is the
        // worker's, not the message's: the batch is tried again.
        if (IsTransient(StatusFromDbError(e))) throw;
        pqxx::subtransaction aside(tx, "outbox_set_aside");
        SetAside(aside, m.id, absl::StrCat("could not be recorded: ", DbErrorText(e.what())));
        aside.commit();
        spdlog::error("outbox message {} ({}) set aside: {}", m.message_id, m.topic,
                      DbErrorText(e.what()));
      }
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return delivered;
}

absl::StatusOr<OutboxRelay::BacklogFigures> OutboxRelay::Backlog() {
  BacklogFigures out;
  auto status = RunInTransaction(
      pool_, "outbox_backlog",
      [&](pqxx::work& tx) -> absl::Status {
        auto r = tx.exec_params(
            "SELECT COALESCE(EXTRACT(EPOCH FROM now() - MIN(created_at)"
            " FILTER (WHERE set_aside_at IS NULL)), 0)::float8,"
            " COUNT(*) FILTER (WHERE set_aside_at IS NULL),"
            " COUNT(*) FILTER (WHERE created_at < now() - $1::bigint * interval '1 second'"
            " OR set_aside_at IS NOT NULL)"
            " FROM outbox WHERE delivered_at IS NULL",
            absl::ToInt64Seconds(options_.dead_letter_age));
        out = {r[0][0].as<double>(), r[0][1].as<int64_t>(), r[0][2].as<int64_t>()};
        return absl::OkStatus();
      },
      TxOptions{.read_only = true});
  if (!status.ok()) return status;
  if (metrics_ != nullptr) {
    metrics_->SetOutbox(out.oldest_age_seconds, static_cast<double>(out.pending),
                        static_cast<double>(out.dead_letters));
  }
  return out;
}

}  // namespace localgov

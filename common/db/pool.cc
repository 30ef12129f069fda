#include "common/db/pool.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/logging.h"

namespace localgov {

PgPool::Lease::Lease(PgPool* pool, std::unique_ptr<pqxx::connection> conn)
    : pool_(pool), conn_(std::move(conn)) {}

PgPool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)),
      conn_(std::move(other.conn_)),
      broken_(other.broken_) {}

PgPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->Release(std::move(conn_), broken_);
}

absl::StatusOr<std::unique_ptr<PgPool>> PgPool::Create(Options options) {
  if (options.size < 1) return absl::InvalidArgumentError("pool size must be at least 1");
  if (options.conninfo.empty()) return absl::InvalidArgumentError("empty conninfo");
  auto pool = std::unique_ptr<PgPool>(new PgPool(std::move(options)));
  // Never hang on a dead server: bounded connect, keepalives to notice a vanished peer.
  const std::string params =
      absl::StrCat("connect_timeout=", pool->options_.connect_timeout_s,
                   "&keepalives=1&keepalives_idle=10&keepalives_interval=5&keepalives_count=3");
  const auto& c = pool->options_.conninfo;
  if (absl::StartsWith(c, "postgresql://") || absl::StartsWith(c, "postgres://")) {
    pool->effective_conninfo_ = absl::StrCat(c, absl::StrContains(c, "?") ? "&" : "?", params);
  } else {
    std::string kv = params;
    for (auto& ch : kv) {
      if (ch == '&') ch = ' ';
    }
    pool->effective_conninfo_ = absl::StrCat(c, " ", kv);
  }
  return pool;
}

PgPool::~PgPool() { Close(); }

absl::StatusOr<std::unique_ptr<pqxx::connection>> PgPool::Connect() const {
  try {
    auto conn = std::make_unique<pqxx::connection>(effective_conninfo_);
    pqxx::nontransaction setup(*conn);
    setup.exec(absl::StrCat("SET statement_timeout = ", options_.statement_timeout_ms));
    setup.exec("SET TIME ZONE 'UTC'");
    setup.commit();
    return conn;
  } catch (const std::exception& e) {
    // libpq's message names host and port (never the password): the log gets it, the caller
    // only what to do.
    spdlog::warn("database unreachable: {}", DbErrorText(e.what()));
    return absl::UnavailableError("database unreachable; retry with backoff");
  }
}

absl::StatusOr<PgPool::Lease> PgPool::Acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  const auto deadline =
      std::chrono::steady_clock::now() + absl::ToChronoNanoseconds(options_.acquire_timeout);
  ++waiting_;
  const bool ready = cv_.wait_until(
      lock, deadline, [&] { return closed_ || !idle_.empty() || open_ < options_.size; });
  --waiting_;
  if (closed_) return absl::UnavailableError("database pool is closed (shutting down)");
  if (!ready) {
    return absl::UnavailableError(absl::StrCat("no database connection free within ",
                                               absl::FormatDuration(options_.acquire_timeout)));
  }
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(conn));
  }
  ++open_;
  lock.unlock();
  auto conn = Connect();
  if (!conn.ok()) {
    lock.lock();
    --open_;
    cv_.notify_one();
    return conn.status();
  }
  return Lease(this, std::move(*conn));
}

void PgPool::Release(std::unique_ptr<pqxx::connection> conn, bool broken) {
  std::unique_ptr<pqxx::connection> to_close;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (broken || closed_ || conn == nullptr || !conn->is_open()) {
      --open_;
      to_close = std::move(conn);
    } else {
      idle_.push_back(std::move(conn));
    }
  }
  cv_.notify_one();
  // to_close's destructor closes the socket outside the lock.
}

void PgPool::Close() {
  std::vector<std::unique_ptr<pqxx::connection>> to_close;
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    open_ -= static_cast<int>(idle_.size());
    to_close.swap(idle_);
  }
  cv_.notify_all();
}

PgPool::Stats PgPool::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  Stats s;
  s.size = options_.size;
  s.idle = static_cast<int>(idle_.size());
  s.in_use = open_ - s.idle;
  s.waiting = waiting_;
  return s;
}

}  // namespace localgov

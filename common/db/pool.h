#ifndef LOCALGOV_COMMON_DB_POOL_H_
#define LOCALGOV_COMMON_DB_POOL_H_

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "pqxx/pqxx"

namespace localgov {

// A bounded pool of libpqxx connections. Connections open lazily; a connection that broke
// (server restarted, network cut) is dropped and replaced on the next Acquire, so the service
// recovers from a PostgreSQL restart without restarting itself. Acquire never waits longer than
// the acquire timeout and never hangs on a dead server (connect_timeout and TCP keepalives).
class PgPool final {
 public:
  struct Options {
    std::string conninfo;  // URI or key=value
    int size = 8;
    absl::Duration acquire_timeout = absl::Seconds(2);
    int connect_timeout_s = 3;
    int statement_timeout_ms = 10000;
  };

  struct Stats {
    int size = 0;
    int in_use = 0;
    int idle = 0;
    int waiting = 0;
  };

  // A connection on loan. Returned to the pool when destroyed, unless marked broken.
  class Lease final {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    pqxx::connection& conn() { return *conn_; }
    // The connection must not be reused (it broke, or its state is unknown).
    void MarkBroken() { broken_ = true; }

   private:
    friend class PgPool;
    Lease(PgPool* pool, std::unique_ptr<pqxx::connection> conn);
    PgPool* pool_;
    std::unique_ptr<pqxx::connection> conn_;
    bool broken_ = false;
  };

  static absl::StatusOr<std::unique_ptr<PgPool>> Create(Options options);
  ~PgPool();

  // A connection, or UNAVAILABLE when the server cannot be reached or every connection stayed
  // busy for the acquire timeout.
  absl::StatusOr<Lease> Acquire();
  // Closes idle connections and refuses new loans (shutdown).
  void Close();
  Stats stats() const;
  const Options& options() const { return options_; }

 private:
  explicit PgPool(Options options) : options_(std::move(options)) {}
  void Release(std::unique_ptr<pqxx::connection> conn, bool broken);
  absl::StatusOr<std::unique_ptr<pqxx::connection>> Connect() const;

  const Options options_;
  std::string effective_conninfo_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;  // connections on loan or idle, plus those connecting
  int waiting_ ABSL_GUARDED_BY(mu_) = 0;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace localgov

#endif  // LOCALGOV_COMMON_DB_POOL_H_

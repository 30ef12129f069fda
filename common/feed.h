#ifndef LOCALGOV_COMMON_FEED_H_
#define LOCALGOV_COMMON_FEED_H_

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/input_policy.h"
#include "common/logging.h"
#include "common/periodic.h"
#include "common/rpc.h"
#include "common/status.h"
#include "grpcpp/grpcpp.h"

namespace localgov {

// Something waiting for a feed to pass a sequence (a FeedStream between batches).
class FeedWaiter {
 public:
  virtual ~FeedWaiter() = default;
  // Called on the watermark's thread whenever the feed may have moved past `latest`.
  virtual void Wake(int64_t latest) = 0;
};

// The highest committed sequence of an ordered feed (the dossier change feed, the liaison
// message log) as this process knows it: read from the database every `interval` (commits of
// other replicas) and bumped at once by this process's own commits. Streams that caught up
// wait on it without holding a thread or a connection.
class FeedWatermark final {
 public:
  using Reader = std::function<absl::StatusOr<int64_t>()>;
  FeedWatermark(Reader reader, absl::Duration interval);
  ~FeedWatermark();
  FeedWatermark(const FeedWatermark&) = delete;
  FeedWatermark& operator=(const FeedWatermark&) = delete;

  void Start();
  void Stop();
  int64_t latest() const { return latest_.load(); }
  // A local commit of `sequence`: waiters are woken now, not at the next poll.
  void Bump(int64_t sequence);
  // Waiters are held weakly: one that is gone is dropped.
  void Register(std::weak_ptr<FeedWaiter> waiter);

 private:
  absl::Duration Pass();
  void Raise(int64_t sequence);  // atomic max
  // Wakes the waiters still alive; returns how many there are.
  size_t WakeAll();

  const Reader reader_;
  const absl::Duration interval_;
  std::atomic<int64_t> latest_{0};
  std::mutex mu_;  // guards waiters_
  std::vector<std::weak_ptr<FeedWaiter>> waiters_;
  absl::Time last_poll_ = absl::InfinitePast();  // the poller thread's own
  size_t waiting_ = 0;                           // the poller thread's own
  PeriodicThread thread_;
};

// Where a FeedStream reads: items after the client's cursor, in sequence order.
template <typename Item>
struct FeedSource {
  int64_t after = 0;
  int batch = 100;
  // At most `limit` items with a sequence greater than `after`, in order.
  std::function<absl::StatusOr<std::vector<Item>>(int64_t after, int limit)> fetch;
  std::function<int64_t(const Item&)> sequence;
};

// A server stream of an ordered feed: authenticates like a unary call, sends every item after
// the client's cursor in batches read on the executor, then waits on the watermark for more.
// It ends only when the client cancels, the server shuts down, or a read fails (the client
// resumes from the last sequence it got). Flow control is gRPC's: one write in flight.
template <typename Request, typename Item>
class FeedStream final : public grpc::ServerWriteReactor<Item> {
 public:
  using Open = std::function<absl::StatusOr<FeedSource<Item>>(const CallContext&, const Request&)>;

  // Starts the stream; the reactor deletes itself when the call is done.
  static FeedStream* Start(grpc::CallbackServerContext* context, const RpcRunner& runner,
                           FeedWatermark& watermark, std::string method, std::vector<Role> allowed,
                           const Request* request, Open open) {
    auto* stream = new FeedStream(context, runner, watermark, std::move(method), std::move(allowed),
                                  request, std::move(open));
    if (!runner.executor().TrySubmit([stream] { stream->OpenOnExecutor(); })) {
      stream->state_->Finish(
          grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "server busy; retry with backoff"));
    }
    return stream;
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      state_->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the client went away"));
      return;
    }
    if (++next_ < batch_.size()) {
      this->StartWrite(&batch_[next_]);
      return;
    }
    const bool full = static_cast<int>(batch_.size()) >= source_.batch;
    batch_.clear();
    if (full) {
      Fetch();  // more may be waiting already
    } else {
      state_->WaitFor(checked_);
    }
  }

  void OnCancel() override { state_->Cancel(); }

  void OnDone() override {
    state_->Detach();
    delete this;
  }

 private:
  // The part the watermark may still reach after the reactor is gone.
  class State final : public FeedWaiter {
   public:
    explicit State(FeedStream* stream) : stream_(stream) {}
    // Waits until the feed passes `checked` (or runs at once if it already has).
    void WaitFor(int64_t checked) {
      std::unique_lock lock(mu_);
      if (stream_ == nullptr) return;
      if (cancelled_) {
        FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
        return;
      }
      checked_ = checked;
      waiting_ = true;
      WakeLocked(stream_->watermark_.latest());
    }
    void Wake(int64_t latest) override {
      std::unique_lock lock(mu_);
      WakeLocked(latest);
    }
    void Cancel() {
      std::unique_lock lock(mu_);
      cancelled_ = true;
      if (waiting_) FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
    }
    void Finish(grpc::Status status) {
      std::unique_lock lock(mu_);
      FinishLocked(std::move(status));
    }
    bool cancelled() {
      std::unique_lock lock(mu_);
      return cancelled_;
    }
    void Detach() {
      std::unique_lock lock(mu_);
      stream_ = nullptr;
    }

   private:
    void WakeLocked(int64_t latest) {
      if (stream_ == nullptr || !waiting_ || finished_ || latest <= checked_) return;
      FeedStream* stream = stream_;
      if (stream->runner_.executor().TrySubmit([stream] { stream->Fetch(); })) waiting_ = false;
      // else: stay waiting; the next poll of the watermark tries again.
    }
    void FinishLocked(grpc::Status status) {
      if (finished_ || stream_ == nullptr) return;
      finished_ = true;
      waiting_ = false;
      stream_->Finish(std::move(status));
    }

    std::mutex mu_;
    FeedStream* stream_;
    bool waiting_ = false;
    bool cancelled_ = false;
    bool finished_ = false;
    int64_t checked_ = 0;
  };

  FeedStream(grpc::CallbackServerContext* context, const RpcRunner& runner,
             FeedWatermark& watermark, std::string method, std::vector<Role> allowed,
             const Request* request, Open open)
      : context_(context),
        runner_(runner),
        watermark_(watermark),
        method_(std::move(method)),
        allowed_(std::move(allowed)),
        request_(request),
        open_(std::move(open)),
        state_(std::make_shared<State>(this)) {}

  void OpenOnExecutor() {
    absl::StatusOr<FeedSource<Item>> source = absl::UnknownError("not opened");
    CallContext call;
    if (auto st = runner_.Authenticate(context_, method_, allowed_, call); !st.ok()) {
      source = st;
    } else if (auto policy = CheckInputPolicy(*const_cast<Request*>(request_), true);
               !policy.ok()) {
      source = policy;  // the input policy, as RpcRunner::Run applies it
    } else {
      ScopedRequestId scoped(call.request_id);
      try {
        source = open_(call, *request_);
      } catch (const std::exception& e) {
        source = absl::InternalError(e.what());
      }
    }
    if (!source.ok()) {
      state_->Finish(ToGrpcStatus(source.status()));
      return;
    }
    this->StartSendInitialMetadata();  // the client knows the stream is open
    source_ = std::move(*source);
    source_.batch = std::clamp(source_.batch, 1, 1000);
    checked_ = 0;
    cursor_ = source_.after;
    watermark_.Register(state_);
    Fetch();
  }

  // On the executor: reads the next batch and starts writing it, or waits for more.
  void Fetch() {
    if (state_->cancelled()) {
      state_->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
      return;
    }
    // Every change up to the watermark read before the query is committed, so when the query
    // finds nothing the stream has seen all of them.
    const int64_t seen = watermark_.latest();
    absl::StatusOr<std::vector<Item>> items = absl::UnknownError("not read");
    try {
      items = source_.fetch(cursor_, source_.batch);
    } catch (const std::exception& e) {
      items = absl::UnavailableError(e.what());
    }
    if (!items.ok()) {
      state_->Finish(ToGrpcStatus(items.status()));
      return;
    }
    if (items->empty()) {
      checked_ = std::max(checked_, seen);
      state_->WaitFor(checked_);
      return;
    }
    batch_ = std::move(*items);
    cursor_ = source_.sequence(batch_.back());
    // If the batch is not full it holds every match committed when the query ran.
    checked_ = std::max(seen, cursor_);
    next_ = 0;
    this->StartWrite(&batch_[0]);
  }

  grpc::CallbackServerContext* context_;
  const RpcRunner& runner_;
  FeedWatermark& watermark_;
  const std::string method_;
  const std::vector<Role> allowed_;
  const Request* request_;
  Open open_;
  std::shared_ptr<State> state_;
  FeedSource<Item> source_;
  std::vector<Item> batch_;
  size_t next_ = 0;
  int64_t cursor_ = 0;
  int64_t checked_ = 0;

  friend class State;
};

}  // namespace localgov

#endif  // LOCALGOV_COMMON_FEED_H_

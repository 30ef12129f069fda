#include "common/redis/near_cache.h"

#include <hiredis/hiredis.h>
#include <sys/socket.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_join.h"
#include "common/logging.h"

namespace localgov {
namespace {

constexpr const char* kChannel = "__redis__:invalidate";

struct ReplyDeleter {
  void operator()(redisReply* r) const {
    if (r != nullptr) freeReplyObject(r);
  }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

Reply Run(redisContext* c, const std::vector<std::string>& argv) {
  std::vector<const char*> args;
  std::vector<size_t> lens;
  for (const auto& a : argv) {
    args.push_back(a.data());
    lens.push_back(a.size());
  }
  return Reply(static_cast<redisReply*>(
      redisCommandArgv(c, static_cast<int>(args.size()), args.data(), lens.data())));
}

bool IsString(const redisReply* r, std::string_view s) {
  return r != nullptr && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS) &&
         std::string_view(r->str, r->len) == s;
}

}  // namespace

RedisNearCache::RedisNearCache(Options options, const Clock& clock)
    : options_(std::move(options)), clock_(clock) {
  listener_ = std::thread([this] { Listen(); });
}

RedisNearCache::~RedisNearCache() {
  {
    std::lock_guard<std::mutex> lock(conn_mu_);
    stopping_ = true;
    if (conn_ != nullptr) ::shutdown(conn_->fd, SHUT_RDWR);  // wakes the blocking read
  }
  stop_cv_.notify_all();
  listener_.join();
}

std::optional<RedisNearCache::Value> RedisNearCache::Get(const std::string& key) {
  if (!armed_.load()) return std::nullopt;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = slots_.find(key);
  if (it == slots_.end() || !it->second.filled) return std::nullopt;
  if (clock_.Now() - it->second.stored > options_.max_age) {
    slots_.erase(it);
    return std::nullopt;
  }
  return it->second.value;
}

RedisNearCache::Ticket RedisNearCache::Begin(const std::vector<std::string>& keys) {
  Ticket t;
  if (!armed_.load()) return t;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& key : keys) {
    auto it = slots_.find(key);
    if (it == slots_.end()) {
      if (slots_.size() >= options_.max_entries) slots_.clear();  // bounded; refills from use
      it = slots_.emplace(key, Slot{next_generation_++, false, std::nullopt, absl::InfinitePast()})
               .first;
    }
    // A slot that exists has not been invalidated since it was made, so every read begun
    // while it exists answers with a value at least as new as the last change.
    t.slots.emplace_back(key, it->second.generation);
  }
  return t;
}

void RedisNearCache::Put(const Ticket& ticket, const std::string& key, Value value) {
  for (const auto& [k, generation] : ticket.slots) {
    if (k != key) continue;
    std::lock_guard<std::mutex> lock(mu_);
    auto it = slots_.find(key);
    if (it == slots_.end() || it->second.generation != generation) return;  // changed since
    it->second.filled = true;
    it->second.value = std::move(value);
    it->second.stored = clock_.Now();
    return;
  }
}

void RedisNearCache::Invalidate(const std::vector<std::string>& keys) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& k : keys) slots_.erase(k);
}

void RedisNearCache::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  slots_.clear();
}

void RedisNearCache::Listen() {
  bool warned = false;
  while (true) {
    const bool was_armed = ListenOnce();
    armed_.store(false);
    Clear();
    if (was_armed && options_.on_armed) options_.on_armed(false);
    if (was_armed || !warned) {
      spdlog::warn("near cache: no invalidations from redis at {}:{}; serving from redis only",
                   options_.host, options_.port);
      warned = true;
    }
    std::unique_lock<std::mutex> lock(conn_mu_);
    if (stop_cv_.wait_for(lock, absl::ToChronoNanoseconds(options_.retry_after),
                          [&] { return stopping_; })) {
      return;
    }
  }
}

bool RedisNearCache::ListenOnce() {
  if (options_.prefixes.empty() ||
      std::ranges::any_of(options_.prefixes, [](const std::string& p) { return p.empty(); })) {
    return false;  // no prefix, or an empty one, would track every key: never armed
  }
  redisContext* c = redisConnectWithTimeout(options_.host.c_str(), options_.port,
                                            absl::ToTimeval(absl::Seconds(1)));
  if (c == nullptr || c->err != 0) {
    if (c != nullptr) redisFree(c);
    return false;
  }
  {
    std::lock_guard<std::mutex> lock(conn_mu_);
    if (stopping_) {
      redisFree(c);
      return false;
    }
    conn_ = c;
  }
  redisEnableKeepAlive(c);
  // Commands are answered within the connect timeout; the subscription then blocks for good.
  redisSetTimeout(c, absl::ToTimeval(absl::Seconds(1)));
  bool subscribed = false;
  if (Reply id = Run(c, {"CLIENT", "ID"}); id && id->type == REDIS_REPLY_INTEGER) {
    // Broadcast mode: every change of a key under a prefix is reported, whoever reads it.
    // Redirected to this same connection, which then subscribes to the invalidation channel.
    std::vector<std::string> track = {
        "CLIENT", "TRACKING", "ON", "REDIRECT", std::to_string(id->integer), "BCAST"};
    for (const auto& p : options_.prefixes) {
      track.push_back("PREFIX");
      track.push_back(p);
    }
    Reply on = Run(c, track);
    if (IsString(on.get(), "OK")) {
      Reply sub = Run(c, {"SUBSCRIBE", kChannel});
      subscribed = sub && sub->type == REDIS_REPLY_ARRAY && sub->elements == 3 &&
                   IsString(sub->element[0], "subscribe");
    } else {
      spdlog::error(
          "near cache: redis refused CLIENT TRACKING ({}); it needs Redis 6 or later",
          on && on->type == REDIS_REPLY_ERROR ? std::string(on->str, on->len) : "no reply");
    }
  }
  if (subscribed) {
    struct timeval forever = {0, 0};
    redisSetTimeout(c, forever);
    Clear();  // anything kept while no invalidations came is suspect
    armed_.store(true);
    if (options_.on_armed) options_.on_armed(true);
    spdlog::info("near cache: tracking {} in redis at {}:{}",
                 absl::StrJoin(options_.prefixes, ", "), options_.host, options_.port);
    while (true) {
      void* raw = nullptr;
      if (redisGetReply(c, &raw) != REDIS_OK) break;
      Reply r(static_cast<redisReply*>(raw));
      if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 3 ||
          !IsString(r->element[0], "message")) {
        continue;
      }
      const redisReply* payload = r->element[2];
      if (payload->type == REDIS_REPLY_ARRAY) {
        std::vector<std::string> keys;
        for (size_t i = 0; i < payload->elements; ++i) {
          keys.emplace_back(payload->element[i]->str, payload->element[i]->len);
        }
        Invalidate(keys);
      } else {
        Clear();  // FLUSHDB / FLUSHALL: everything
      }
      // Counted once applied: whoever sees the count move sees the slots already dropped (CI
      // once saw the count before the drop, and a stale reply was kept in between).
      invalidations_.fetch_add(1);
    }
  }
  armed_.store(false);
  std::lock_guard<std::mutex> lock(conn_mu_);
  conn_ = nullptr;
  redisFree(c);
  return subscribed;
}

}  // namespace localgov

#include "common/redis/redis.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/logging.h"

namespace localgov {
namespace {

RedisReply Convert(const redisReply* r) {
  RedisReply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      for (size_t i = 0; i < r->elements; ++i) out.elements.push_back(Convert(r->element[i]));
      break;
    default:
      out.type = RedisReply::Type::kNil;
  }
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisPool>> RedisPool::Create(Options options) {
  if (options.size < 1) return absl::InvalidArgumentError("redis pool size must be at least 1");
  if (options.host.empty()) return absl::InvalidArgumentError("redis host is empty");
  return std::unique_ptr<RedisPool>(new RedisPool(std::move(options)));
}

RedisPool::~RedisPool() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto* ctx : idle_) redisFree(ctx);
  idle_.clear();
}

absl::StatusOr<redisContext*> RedisPool::Take() {
  std::unique_lock<std::mutex> lock(mu_);
  if (absl::Now() < down_until_) return absl::UnavailableError("redis marked down; retry later");
  const bool ready = cv_.wait_for(lock, absl::ToChronoNanoseconds(options_.timeout),
                                  [&] { return !idle_.empty() || open_ < options_.size; });
  if (!ready) return absl::UnavailableError("no redis connection free in time");
  if (!idle_.empty()) {
    auto* ctx = idle_.back();
    idle_.pop_back();
    return ctx;
  }
  ++open_;
  lock.unlock();
  redisContext* ctx = redisConnectWithTimeout(options_.host.c_str(), options_.port,
                                              absl::ToTimeval(options_.timeout));
  if (ctx == nullptr || ctx->err != 0) {
    std::string why = ctx == nullptr ? "out of memory" : ctx->errstr;
    if (ctx != nullptr) redisFree(ctx);
    lock.lock();
    --open_;
    down_until_ = absl::Now() + options_.retry_after;
    cv_.notify_one();
    return absl::UnavailableError(absl::StrCat("redis unreachable: ", why));
  }
  redisSetTimeout(ctx, absl::ToTimeval(options_.timeout));
  return ctx;
}

void RedisPool::Give(redisContext* ctx, bool broken) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (broken) {
      redisFree(ctx);
      --open_;
      down_until_ = absl::Now() + options_.retry_after;
    } else {
      idle_.push_back(ctx);
    }
  }
  cv_.notify_one();
}

absl::StatusOr<RedisReply> RedisPool::Command(const std::vector<std::string>& argv) {
  auto ctx = Take();
  if (!ctx.ok()) {
    if (healthy_.exchange(false))
      spdlog::warn("redis unavailable, degrading: {}", ctx.status().message());
    return ctx.status();
  }
  std::vector<const char*> args;
  std::vector<size_t> lens;
  for (const auto& a : argv) {
    args.push_back(a.data());
    lens.push_back(a.size());
  }
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(*ctx, static_cast<int>(args.size()), args.data(), lens.data()));
  if (reply == nullptr) {
    std::string why = (*ctx)->errstr;
    Give(*ctx, /*broken=*/true);
    if (healthy_.exchange(false)) spdlog::warn("redis unavailable, degrading: {}", why);
    return absl::UnavailableError(absl::StrCat("redis command failed: ", why));
  }
  absl::StatusOr<RedisReply> out;
  if (reply->type == REDIS_REPLY_ERROR) {
    out = absl::FailedPreconditionError(
        absl::StrCat("redis error: ", std::string(reply->str, reply->len)));
  } else {
    out = Convert(reply);
  }
  freeReplyObject(reply);
  Give(*ctx, /*broken=*/false);
  if (!healthy_.exchange(true)) spdlog::info("redis reachable again");
  return out;
}

absl::StatusOr<std::vector<absl::StatusOr<RedisReply>>> RedisPool::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  auto ctx = Take();
  if (!ctx.ok()) {
    if (healthy_.exchange(false))
      spdlog::warn("redis unavailable, degrading: {}", ctx.status().message());
    return ctx.status();
  }
  for (const auto& argv : commands) {
    std::vector<const char*> args;
    std::vector<size_t> lens;
    for (const auto& a : argv) {
      args.push_back(a.data());
      lens.push_back(a.size());
    }
    if (redisAppendCommandArgv(*ctx, static_cast<int>(args.size()), args.data(), lens.data()) !=
        REDIS_OK) {
      std::string why = (*ctx)->errstr;
      Give(*ctx, /*broken=*/true);
      return absl::UnavailableError(absl::StrCat("redis pipeline failed: ", why));
    }
  }
  std::vector<absl::StatusOr<RedisReply>> out;
  out.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(*ctx, &raw) != REDIS_OK || raw == nullptr) {
      std::string why = (*ctx)->errstr;
      Give(*ctx, /*broken=*/true);  // replies may be left unread: never reuse this connection
      if (healthy_.exchange(false)) spdlog::warn("redis unavailable, degrading: {}", why);
      return absl::UnavailableError(absl::StrCat("redis pipeline failed: ", why));
    }
    auto* reply = static_cast<redisReply*>(raw);
    if (reply->type == REDIS_REPLY_ERROR) {
      out.push_back(absl::FailedPreconditionError(
          absl::StrCat("redis error: ", std::string(reply->str, reply->len))));
    } else {
      out.push_back(Convert(reply));
    }
    freeReplyObject(reply);
  }
  Give(*ctx, /*broken=*/false);
  if (!healthy_.exchange(true)) spdlog::info("redis reachable again");
  return out;
}

bool RedisPool::Ping() { return Command({"PING"}).ok(); }

}  // namespace localgov

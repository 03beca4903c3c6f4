#include "bot/send/rate_limiter.hpp"

#include "bot/redis/client.hpp"

#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <random>

namespace lianxin::send {
namespace {

// KEYS[1] the window set; ARGV limit, window ms, a unique member. Uses the server's clock,
// so instances with skewed clocks still agree. Returns 0 when a slot was taken, otherwise
// the milliseconds until the oldest send leaves the window.
const redis::script& window_script() {
  static const redis::script s(R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local wait = tonumber(oldest[2]) + window - now
if wait < 1 then wait = 1 end
return wait
)lua");
  return s;
}

std::string unique_member() {
  static std::atomic<std::uint64_t> counter{0};
  static const std::uint64_t seed = std::random_device{}();
  return std::to_string(seed) + "-" + std::to_string(counter.fetch_add(1));
}

}  // namespace

rate_limiter::rate_limiter(std::shared_ptr<redis::client> redis, store::keys keys)
    : redis_(std::move(redis)), keys_(std::move(keys)) {}

awaitable<rate_decision> rate_limiter::acquire(std::string target, rate_limit limit) {
  std::vector<std::string> k{keys_.make("ratelimit", target)};
  std::vector<std::string> a{std::to_string(limit.limit), std::to_string(limit.window.count()), unique_member()};
  auto r = co_await redis_->eval(window_script(), std::move(k), std::move(a));
  rate_decision d;
  if (!r.ok() || !r.v.as_integer()) {
    // Not knowing is not permission: sending blind could trip the platform's own limit.
    d.wait = std::chrono::seconds{1};
    d.error = r.ok() ? "unexpected reply " + r.v.debug_string() : r.error_message();
    co_return d;
  }
  const long long wait = *r.v.as_integer();
  d.allowed = wait == 0;
  d.wait = std::chrono::milliseconds{wait};
  co_return d;
}

awaitable<void> rate_limiter::wait_turn(std::string target, rate_limit limit) {
  for (;;) {
    auto d = co_await acquire(target, limit);
    if (d.allowed) co_return;
    asio::steady_timer pause(co_await asio::this_coro::executor, d.wait);
    co_await pause.async_wait(use_nothrow);
  }
}

}  // namespace lianxin::send

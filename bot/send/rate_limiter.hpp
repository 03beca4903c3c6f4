#pragma once
// Per-target send limits shared by every Lianxin instance (the state lives in Redis), e.g.
// the WeCom group robot's 20 messages a minute. It never drops anything: it answers "go" or
// "ask again in this long", and the notifier waits.
//
//   send::rate_limiter limits(redis, keys);
//   for (;;) { auto d = co_await limits.acquire("wecom:robot:" + key_hash); if (d.allowed) break;
//              co_await sleep(d.wait); }
//
// Why a sliding window (a sorted set of send times) rather than a classic token bucket: a
// bucket of 20 refilling 20/min lets 39 messages through in some 60-second spans, and the
// robot counts per minute, so it would answer 45009. The window admits a burst of `limit`
// and then exactly one more each time the oldest send leaves the window.
namespace boost::beast {}
#include "bot/asio.hpp"
#include "bot/store/keys.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace lianxin::redis {
class client;
}

namespace lianxin::send {

struct rate_limit {
  int limit = 20;
  std::chrono::milliseconds window{60'000};
};

struct rate_decision {
  bool allowed = false;                // a send slot was taken
  std::chrono::milliseconds wait{0};   // when not allowed: ask again after this long
  std::string error;                   // Redis trouble: allowed is false, wait a fallback
};

class rate_limiter {
 public:
  rate_limiter(std::shared_ptr<redis::client> redis, store::keys keys);

  // `target` names the limited thing ("wecom:robot:<bot>"); key lx:{t}:ratelimit:<target>.
  awaitable<rate_decision> acquire(std::string target, rate_limit limit = {});
  // acquire() until allowed, sleeping as told (Redis errors: 1 s pauses). Never gives up.
  awaitable<void> wait_turn(std::string target, rate_limit limit = {});

 private:
  std::shared_ptr<redis::client> redis_;
  store::keys keys_;
};

}  // namespace lianxin::send

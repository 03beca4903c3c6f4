#pragma once
// Access tokens (QQ official, WeCom apps, WeChat OA), shared by every coroutine and every
// Lianxin instance:
//
//   in-process cache ─miss→ Redis  lx:{t}:token:<platform>:<bot>  "<refresh_at_ms> <token>"
//                                  (PX = expires_in − margin, so Redis forgets it before the
//                                  platform does) ─miss→ one fetch under the lock
//                                  lx:{t}:lock:token:<platform>:<bot>  (SET NX PX)
//
// Only one coroutine per process fetches (the others wait for it), and only the instance
// holding the Redis lock fetches (the others poll Redis briefly for its result): several
// fetches would invalidate each other on WeChat OA and burn the daily get-token quota.
// After a reauth answer the caller calls invalidate(bad token) and get() again once.
// If Redis is down, fetching still works, single-flight only within this process.
namespace boost::beast {}
#include "bot/asio.hpp"
#include "adapters/http_io.hpp"
#include "bot/store/keys.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace lianxin::redis {
class client;
}
namespace lianxin::net {
class http_client;
}

namespace lianxin::send {

struct fetched_token {
  std::string token;
  std::int64_t expires_in = 0;  // seconds
};

// Parses a token endpoint's answer: a token, or the classified error.
using token_parser = std::function<std::optional<fetched_token>(int status, std::string_view body,
                                                                adapters::api_result& error)>;

// Everything needed to fetch one app's token; built by the sender from the bot config.
struct token_spec {
  std::string platform;  // "qq", "wecom", "wechat": part of the Redis key
  std::string bot;
  std::string url;       // the token endpoint (absolute)
  adapters::api_request request;  // method, query, headers and body for that endpoint
  token_parser parse;
  std::chrono::seconds margin{300};  // refresh this long before the platform's expiry
  std::chrono::milliseconds timeout{10'000};
};

struct token_result {
  std::string token;
  adapters::api_outcome outcome = adapters::api_outcome::ok;  // not ok: the fetch failed
  std::string detail;
  bool ok() const { return outcome == adapters::api_outcome::ok; }
};

struct token_cache_options {
  std::chrono::milliseconds lock_ttl{10'000};  // at least the fetch timeout + 2 s is used
  // How long an instance without the lock waits for the holder's token before giving up
  // with `retry` (the notifier retries later), and how often it looks.
  std::chrono::milliseconds wait_for_other{5'000};
  std::chrono::milliseconds poll_interval{50};
};

class token_cache {
 public:
  token_cache(asio::any_io_executor ex, std::shared_ptr<redis::client> redis, store::keys keys,
              net::http_client& http, token_cache_options opt = {});
  ~token_cache();

  // A valid token: from memory, Redis, or one fetch (shared with concurrent callers).
  awaitable<token_result> get(const token_spec& spec);
  // The platform rejected `bad`: forget it here and in Redis (only if Redis still holds that
  // very token, so a fresh one another instance just stored survives).
  awaitable<void> invalidate(const token_spec& spec, std::string bad);

  // Token fetches this process made (tests and metrics).
  std::uint64_t fetch_count() const;

 private:
  struct state;
  std::shared_ptr<state> state_;
};

}  // namespace lianxin::send

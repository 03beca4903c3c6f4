#include "bot/send/token_cache.hpp"

#include "bot/core/log.hpp"
#include "bot/net/http_client.hpp"
#include "bot/redis/client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <charconv>
#include <random>

namespace lianxin::send {
namespace {

using adapters::api_outcome;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Redis value "<refresh_at_ms> <token>": self-describing, so a reader needs one GET.
struct stored {
  std::int64_t refresh_at_ms = 0;
  std::string token;
};

std::optional<stored> parse_stored(const std::string& v) {
  const auto sp = v.find(' ');
  if (sp == std::string::npos || sp + 1 >= v.size()) return std::nullopt;
  stored s;
  auto [p, ec] = std::from_chars(v.data(), v.data() + sp, s.refresh_at_ms);
  if (ec != std::errc{} || p != v.data() + sp) return std::nullopt;
  s.token = v.substr(sp + 1);
  return s;
}

const redis::script& release_lock_script() {
  static const redis::script s(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0");
  return s;
}

const redis::script& forget_token_script() {
  static const redis::script s(
      "local v = redis.call('GET', KEYS[1]) "
      "if not v then return 0 end "
      "local sp = string.find(v, ' ', 1, true) "
      "if sp and string.sub(v, sp + 1) == ARGV[1] then return redis.call('DEL', KEYS[1]) end "
      "return 0");
  return s;
}

std::string random_id() {
  std::random_device rd;
  std::uniform_int_distribution<std::uint64_t> dist;
  return std::to_string(dist(rd));
}

}  // namespace

struct token_cache::state {
  struct flight {
    asio::steady_timer done;
    std::optional<token_result> failure;
    explicit flight(asio::any_io_executor ex) : done(ex, asio::steady_timer::time_point::max()) {}
  };

  state(asio::any_io_executor ex, std::shared_ptr<redis::client> r, store::keys k, net::http_client& h,
        token_cache_options o)
      : strand(asio::make_strand(ex)), redis(std::move(r)), keys(std::move(k)), http(h), opt(o),
        owner(random_id()) {}

  asio::any_io_executor strand;
  std::shared_ptr<redis::client> redis;
  store::keys keys;
  net::http_client& http;
  token_cache_options opt;
  std::string owner;  // lock value: only the holder releases the lock
  std::mutex mu;
  std::map<std::string, stored, std::less<>> memory;
  std::map<std::string, std::shared_ptr<flight>, std::less<>> flights;  // strand only
  std::atomic<std::uint64_t> fetches{0};

  std::optional<std::string> from_memory(const std::string& key) {
    std::lock_guard lock(mu);
    auto it = memory.find(key);
    if (it != memory.end() && now_ms() < it->second.refresh_at_ms) return it->second.token;
    return std::nullopt;
  }
  void remember(const std::string& key, stored s) {
    std::lock_guard lock(mu);
    memory[key] = std::move(s);
  }

  awaitable<token_result> get_slow(token_spec spec, std::string key);
  awaitable<token_result> lead(const token_spec& spec, const std::string& key);
  awaitable<std::optional<stored>> read_redis(const std::string& key, bool& redis_ok);
  awaitable<std::pair<token_result, stored>> fetch(const token_spec& spec);
};

awaitable<token_result> token_cache::state::get_slow(token_spec spec, std::string key) {
  for (;;) {
    if (auto t = from_memory(key)) co_return token_result{*t};
    if (auto it = flights.find(key); it != flights.end()) {
      auto f = it->second;
      co_await f->done.async_wait(use_nothrow);
      // The leader's failure is everyone's: N waiters must not turn into N fetches.
      if (f->failure) co_return *f->failure;
      continue;
    }
    auto f = std::make_shared<flight>(strand);
    flights[key] = f;
    token_result r = co_await lead(spec, key);
    if (!r.ok()) f->failure = r;
    flights.erase(key);
    f->done.cancel();
    co_return r;
  }
}

awaitable<std::optional<stored>> token_cache::state::read_redis(const std::string& key, bool& redis_ok) {
  std::vector<std::string> cmd{"GET", key};
  auto r = co_await redis->exec(std::move(cmd));
  redis_ok = r.ok();
  if (!r.ok() || r.v.is_nil()) co_return std::nullopt;
  auto text = r.v.as_string();
  auto s = text ? parse_stored(*text) : std::nullopt;
  if (s && now_ms() < s->refresh_at_ms) co_return s;
  co_return std::nullopt;
}

awaitable<token_result> token_cache::state::lead(const token_spec& spec, const std::string& key) {
  bool redis_ok = redis && redis->connected();
  if (redis_ok) {
    if (auto s = co_await read_redis(key, redis_ok)) {
      remember(key, *s);
      co_return token_result{s->token};
    }
  }
  const std::string lock_key = keys.make("lock", "token", spec.platform, spec.bot);
  const auto give_up_at = std::chrono::steady_clock::now() + opt.wait_for_other;
  while (redis_ok) {
    // The lock must outlive the slowest fetch, or a second instance would start its own.
    const auto lock_ttl = std::max(opt.lock_ttl, spec.timeout + std::chrono::milliseconds{2000});
    std::vector<std::string> set{"SET", lock_key, owner, "NX", "PX", std::to_string(lock_ttl.count())};
    auto locked = co_await redis->exec(std::move(set));
    if (!locked.ok()) break;
    if (locked.v.is_ok()) {
      // Another instance may have stored a token between our GET and taking the lock.
      auto s = co_await read_redis(key, redis_ok);
      std::pair<token_result, stored> got{token_result{s ? s->token : std::string()}, s.value_or(stored{})};
      if (!s) got = co_await fetch(spec);
      auto& [r, fresh] = got;
      if (r.ok()) {
        remember(key, fresh);
        if (!s) {
          const auto ttl = fresh.refresh_at_ms - now_ms();
          std::vector<std::string> put{"SET", key, std::to_string(fresh.refresh_at_ms) + " " + fresh.token, "PX",
                                       std::to_string(std::max<std::int64_t>(ttl, 1))};
          auto stored_reply = co_await redis->exec(std::move(put));
          if (!stored_reply.ok()) {
            log::warn("token", "could not share the ", spec.platform, "/", spec.bot,
                      " token in Redis: ", stored_reply.error_message());
          }
        }
      }
      std::vector<std::string> lock_keys{lock_key};
      std::vector<std::string> lock_args{owner};
      co_await redis->eval(release_lock_script(), std::move(lock_keys), std::move(lock_args));
      co_return r;
    }
    // Someone else is fetching: wait for its token to appear in Redis.
    asio::steady_timer pause(strand, opt.poll_interval);
    co_await pause.async_wait(use_nothrow);
    if (auto s = co_await read_redis(key, redis_ok)) {
      remember(key, *s);
      co_return token_result{s->token};
    }
    if (std::chrono::steady_clock::now() > give_up_at) {
      co_return token_result{{}, api_outcome::retry, "token refresh by another instance did not finish"};
    }
  }
  // Redis unreachable: tokens still work, single-flight only within this process.
  log::warn("token", "Redis unavailable, fetching the ", spec.platform, "/", spec.bot, " token without the shared lock");
  auto [r, fresh] = co_await fetch(spec);
  if (r.ok()) remember(key, fresh);
  co_return r;
}

awaitable<std::pair<token_result, stored>> token_cache::state::fetch(const token_spec& spec) {
  fetches.fetch_add(1);
  net::http_request req;
  req.method = spec.request.method;
  req.url = spec.url;
  req.query = spec.request.query;
  req.headers = spec.request.headers;
  if (!spec.request.body.empty() || spec.request.method != "GET") req.content_type = spec.request.content_type;
  req.body = spec.request.body;
  req.timeout = spec.timeout;
  auto res = co_await http.send(std::move(req));
  if (!res.ok()) {
    co_return std::pair{token_result{{}, api_outcome::retry, "token fetch: " + res.error}, stored{}};
  }
  adapters::api_result error;
  auto t = spec.parse ? spec.parse(res.status, res.body, error) : std::nullopt;
  if (!t) {
    std::string detail = "token fetch refused: HTTP " + std::to_string(res.status) + " code " +
                         std::to_string(error.code) + " " + error.message;
    co_return std::pair{token_result{{}, error.outcome == api_outcome::ok ? api_outcome::retry : error.outcome, detail},
                        stored{}};
  }
  // Refresh `margin` before the platform's expiry, but never sooner than half the lifetime:
  // a test platform with a 30 s TTL must not cause a fetch per call.
  const std::int64_t life_ms = t->expires_in * 1000;
  const std::int64_t margin_ms = std::chrono::duration_cast<std::chrono::milliseconds>(spec.margin).count();
  const std::int64_t ttl_ms = std::max(life_ms - margin_ms, life_ms / 2);
  log::info("token", "fetched ", spec.platform, "/", spec.bot, " token, expires in ", t->expires_in, " s");
  co_return std::pair{token_result{t->token}, stored{now_ms() + std::max<std::int64_t>(ttl_ms, 1), t->token}};
}

token_cache::token_cache(asio::any_io_executor ex, std::shared_ptr<redis::client> redis, store::keys keys,
                         net::http_client& http, token_cache_options opt)
    : state_(std::make_shared<state>(std::move(ex), std::move(redis), std::move(keys), http, opt)) {}

token_cache::~token_cache() = default;

awaitable<token_result> token_cache::get(const token_spec& spec) {
  auto st = state_;
  std::string key = st->keys.make("token", spec.platform, spec.bot);
  if (auto t = st->from_memory(key)) co_return token_result{*t};
  co_return co_await asio::co_spawn(st->strand, st->get_slow(spec, std::move(key)), asio::use_awaitable);
}

awaitable<void> token_cache::invalidate(const token_spec& spec, std::string bad) {
  auto st = state_;
  const std::string key = st->keys.make("token", spec.platform, spec.bot);
  {
    std::lock_guard lock(st->mu);
    auto it = st->memory.find(key);
    if (it != st->memory.end() && it->second.token == bad) st->memory.erase(it);
  }
  if (st->redis && st->redis->connected()) {
    std::vector<std::string> k{key};
    std::vector<std::string> a{std::move(bad)};
    co_await st->redis->eval(forget_token_script(), std::move(k), std::move(a));
  }
}

std::uint64_t token_cache::fetch_count() const { return state_->fetches.load(); }

}  // namespace lianxin::send

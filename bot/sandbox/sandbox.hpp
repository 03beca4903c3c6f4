#pragma once
// The sandbox (issue 8): simulated chats on Lianxin's own `sandbox` platform, for demos and
// newcomers. Only with "sandbox": {"enabled": true} (which requires "scheduler":
// {"test_clock": true}); otherwise none of these routes exist (404).
//
//   GET  /sandbox/                    the page (web/sandbox/index.html, texts from the catalogue)
//   GET  /sandbox/{file}              app.js, app.css
//   GET  /sandbox/api/setup           groups, residents, deputies, handlers, committee members
//   POST /sandbox/api/messages        a resident (or deputy, handler…) types; stored through the
//                                     same exactly-once inbox as the platform webhooks; 503 when
//                                     Redis cannot take it
//   GET  /sandbox/api/messages?chat=ID&after=STREAM_ID   the chat's transcript, for polling
//   GET  /sandbox/api/clock, POST /sandbox/api/clock      the simulated time; fast-forward
//   POST /sandbox/api/quirks          duplicate delivery, a rate limit on a chat, a Redis outage
//   GET  /sandbox/api/cases           the latest cases with state, log and tracking links
//
// Redis (README "Redis key schema"):
//   lx:{t}:sandbox:chat:<bot>:<chat>   STREAM d=in|out, m=message JSON (MAXLEN ~500)
//   lx:{t}:sandbox:names               HASH sender id → display name
//   lx:{t}:sandbox:last                STRING the last inbound message JSON (duplicate quirk)
//   lx:{t}:sandbox:seq                 STRING counter for message ids
//   lx:{t}:sandbox:shown:<bot>:<id>    STRING "1", 7 days: the message is in its transcript
//   lx:{t}:sandbox:limit:<bot>:<chat>  STRING "<limit>/<window ms>", TTL = the quirk's duration
#include "adapters/message.hpp"
#include "bot/asio.hpp"
#include "bot/config/config.hpp"
#include "bot/http/router.hpp"
#include "bot/store/keys.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace lianxin::domain {
struct tenant_domain;
}
namespace lianxin::flow {
class case_store;
}
namespace lianxin::ingest {
class inbox;
}
namespace lianxin::redis {
class client;
}
namespace lianxin::send {
class rate_limiter;
}

namespace lianxin::sandbox {

struct settings {
  bool enabled = false;
  std::string bot = "demo";  // the sandbox platform's bot name
};

// "sandbox": {"enabled": false, "bot": "demo"}. Throws config::config_error; enabled without
// scheduler.test_clock is an error (the clock control needs it).
settings read_settings(const config::config& cfg);

struct hooks {
  std::function<std::shared_ptr<const domain::tenant_domain>()> domain;
  std::function<std::int64_t()> now;               // the workflow's clock
  std::function<void(std::int64_t)> advance_clock;  // app::advance_clock
  std::function<awaitable<std::string>()> link_secret;
};

class service {
 public:
  service(std::shared_ptr<redis::client> redis, const store::keys& keys, ingest::inbox& inbox, flow::case_store& cases,
          hooks h, settings s);
  ~service();

  void add_routes(http::router& r);

  // The notifier asks before delivering to a sandbox chat: zero = go now; otherwise wait this
  // long (a rate-limit quirk is on for that chat). Never drops.
  awaitable<std::chrono::milliseconds> gate(const adapters::outbound_message& m);

 private:
  awaitable<http::response> page(http::request_context& ctx);
  awaitable<http::response> asset(http::request_context& ctx);
  awaitable<http::response> setup(http::request_context& ctx);
  awaitable<http::response> post_message(http::request_context& ctx);
  awaitable<http::response> transcript(http::request_context& ctx);
  awaitable<http::response> clock(http::request_context& ctx);
  awaitable<http::response> set_clock(http::request_context& ctx);
  awaitable<http::response> quirks(http::request_context& ctx);
  awaitable<http::response> cases(http::request_context& ctx);

  std::string chat_key(const std::string& chat) const;
  nlohmann::json clock_json() const;

  std::shared_ptr<redis::client> redis_;
  const store::keys& keys_;
  ingest::inbox& inbox_;
  flow::case_store& cases_;
  hooks h_;
  settings s_;
  std::unique_ptr<send::rate_limiter> limiter_;
};

}  // namespace lianxin::sandbox

#include "bot/ingest/onebot_ws.hpp"

#include "adapters/onebot/onebot.hpp"
#include "bot/core/log.hpp"
#include "bot/http/upgrade.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <deque>

namespace lianxin::ingest {
namespace {

namespace websocket = boost::beast::websocket;
using ws_stream = websocket::stream<beast::tcp_stream>;

// One API call waiting for its answer. Shared between the caller (who waits on the timer), the
// writer (who marks it written) and the reader (who fills in the answer and wakes the caller).
struct pending_call {
  explicit pending_call(asio::any_io_executor ex) : timer(std::move(ex)) {}
  asio::steady_timer timer;
  enum class state { queued, writing, written } st = state::queued;
  bool answered = false;
  bool failed = false;  // the connection went away first
  std::string body;
};

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

// Everything in here is touched only on the connection's strand (`ex`), except `bot`,
// `remote` and `id`, which never change.
struct onebot_ws::session {
  session(beast::tcp_stream&& s, const platforms::onebot_bot& b, std::string name, std::string peer, std::uint64_t n)
      : ws(std::move(s)), ex(ws.get_executor()), cfg(b), bot(std::move(name)), remote(std::move(peer)), id(n) {}
  ws_stream ws;
  asio::any_io_executor ex;
  const platforms::onebot_bot& cfg;
  const std::string bot;
  const std::string remote;
  const std::uint64_t id;
  bool open = false;     // accepted and registered
  bool closing = false;  // a close was started; no new calls
  bool writing = false;  // write_loop runs
  std::uint64_t echo_seq = 0;
  std::map<std::string, std::shared_ptr<pending_call>> pending;  // echo → call
  std::deque<std::pair<std::string, std::shared_ptr<pending_call>>> outq;

  // Starts the close handshake once (the read loop sees it finish); force drops the socket.
  static void close(const std::shared_ptr<session>& s, bool force, websocket::close_code code, std::string reason) {
    if (force) {
      s->closing = true;
      error_code ec;
      beast::get_lowest_layer(s->ws).socket().close(ec);
      return;
    }
    if (s->closing) return;
    s->closing = true;
    asio::co_spawn(s->ex, close_handshake(s, code, std::move(reason)), asio::detached);
  }

  static awaitable<void> close_handshake(std::shared_ptr<session> s, websocket::close_code code, std::string reason) {
    websocket::close_reason why(code, reason);
    auto [ec] = co_await s->ws.async_close(why, use_nothrow);
    if (ec) {
      error_code ignored;
      beast::get_lowest_layer(s->ws).socket().close(ignored);
    }
  }

  static awaitable<void> write_loop(std::shared_ptr<session> s) {
    while (!s->outq.empty() && !s->closing) {
      std::string frame = std::move(s->outq.front().first);
      std::shared_ptr<pending_call> pc = std::move(s->outq.front().second);
      s->outq.pop_front();
      pc->st = pending_call::state::writing;
      s->ws.text(true);
      auto [ec, n] = co_await s->ws.async_write(asio::buffer(frame), use_nothrow);
      if (ec) {
        // Part of a frame is no call; the connection is unusable, the read loop ends it.
        pc->st = pending_call::state::queued;
        log::warn("onebot-ws", s->bot, "#", s->id, " write failed: ", ec.message());
        close(s, true, websocket::close_code::internal_error, {});
        break;
      }
      pc->st = pending_call::state::written;
    }
    s->writing = false;
  }

  // Runs on the strand: queue the frame, wait for its answer or the timeout.
  static awaitable<std::optional<send::channel_reply>> call(std::shared_ptr<session> s, adapters::api_request request,
                                                            std::chrono::milliseconds timeout) {
    if (!s->open || s->closing) co_return std::nullopt;
    const std::string echo = adapters::onebot::make_echo(++s->echo_seq);
    auto c = std::make_shared<pending_call>(s->ex);
    c->timer.expires_after(timeout);
    s->pending.emplace(echo, c);
    s->outq.emplace_back(adapters::onebot::render_api_frame(request, echo), c);
    if (!s->writing) {
      s->writing = true;
      asio::co_spawn(s->ex, write_loop(s), asio::detached);
    }
    co_await c->timer.async_wait(use_nothrow);
    s->pending.erase(echo);
    send::channel_reply r;
    if (c->answered) {
      r.answered = true;
      r.written = true;
      r.body = std::move(c->body);
      co_return r;
    }
    if (c->st == pending_call::state::queued) {
      // Never on the wire: drop it from the queue so it cannot go out after we gave up.
      for (auto it = s->outq.begin(); it != s->outq.end(); ++it) {
        if (it->second == c) {
          s->outq.erase(it);
          break;
        }
      }
      // The socket went away first: the HTTP API can take it right now.
      if (c->failed) co_return std::nullopt;
    }
    r.written = c->st != pending_call::state::queued;
    r.error = c->failed ? "connection closed before the answer" : "no answer within " + std::to_string(timeout.count()) + " ms";
    co_return r;
  }

  // The connection ended: wake every caller still waiting.
  void fail_pending() {
    for (auto& [echo, c] : pending) {
      c->failed = true;
      c->timer.cancel();
    }
  }
};

onebot_ws::onebot_ws(const platforms::bots& bots, inbox& in, metrics::registry& metrics, onebot_ws_options opt)
    : bots_(bots), inbox_(in), metrics_(metrics), opt_(opt) {
  metrics_.describe_gauge("lx_onebot_ws_connected", "1 while the bot's OneBot reverse WebSocket is connected");
  metrics_.describe_counter("lx_onebot_ws_connections_total", "Accepted OneBot reverse WebSockets, by bot");
  metrics_.describe_counter("lx_onebot_ws_replaced_total", "OneBot reverse WebSockets closed because a new one came");
  metrics_.describe_counter("lx_onebot_ws_rejected_total", "Refused OneBot reverse-WebSocket handshakes, by reason");
  metrics_.describe_counter("lx_onebot_ws_frames_total", "Frames received on OneBot reverse WebSockets, by kind");
  metrics_.describe_gauge("lx_onebot_ws_last_frame_seconds", "Unix time of the last frame from the bot's socket");
  metrics_.describe_counter("lx_onebot_ws_events_lost_total", "WebSocket events that could not be stored");
}

onebot_ws::~onebot_ws() = default;

void onebot_ws::add_routes(http::router& r) {
  // Not a lambda coroutine: the lambda only forwards to the member coroutine.
  r.add_upgrade("/webhook/onebot/{bot}/ws", [this](http::upgrade_context& u) { return accept(u); });
}

bool onebot_ws::connected(std::string_view bot) const {
  std::lock_guard lock(mu_);
  return live_.find(bot) != live_.end();
}

std::size_t onebot_ws::connections() const {
  std::lock_guard lock(mu_);
  return live_.size();
}

awaitable<std::optional<send::channel_reply>> onebot_ws::call(std::string bot, adapters::api_request request,
                                                              std::chrono::milliseconds timeout) {
  std::shared_ptr<session> s;
  {
    std::lock_guard lock(mu_);
    if (auto it = live_.find(bot); it != live_.end()) s = it->second;
  }
  if (!s) co_return std::nullopt;
  auto ex = s->ex;
  // The session's state lives on its strand: run the call there and come back.
  co_return co_await asio::co_spawn(ex, session::call(std::move(s), std::move(request), timeout),
                                    asio::use_awaitable);
}

awaitable<std::optional<http::response>> onebot_ws::accept(http::upgrade_context& u) {
  auto& ctx = u.ctx;
  const std::string name = ctx.param("bot");
  auto it = bots_.onebot.find(name);
  if (it == bots_.onebot.end()) co_return http::error_response(ctx.req, 404, "not_found", "unknown bot");
  adapters::http_input in;
  in.method = std::string(ctx.req.method_string());
  in.path = ctx.path;
  auto q = adapters::parse_query(ctx.query);
  if (!q) co_return http::error_response(ctx.req, 400, "bad_request", "malformed query string");
  in.query = std::move(*q);
  for (const auto& f : ctx.req) in.headers.set(std::string(f.name_string()), std::string(f.value()));
  auto verdict = adapters::onebot::check_ws_handshake(it->second.cfg, in);
  if (verdict.error) {
    const auto code = adapters::to_string(*verdict.error);
    metrics_.inc("lx_onebot_ws_rejected_total", {{"bot", name}, {"reason", std::string(code)}});
    log::req(log::level::info, "onebot-ws", ctx.request_id, name, " handshake refused ", verdict.status, ": ",
             verdict.reason);
    co_return http::error_response(ctx.req, static_cast<unsigned>(verdict.status), code, verdict.reason);
  }

  std::uint64_t id;
  {
    std::lock_guard lock(mu_);
    id = ++next_id_;
  }
  auto s = std::make_shared<session>(std::move(u.stream), it->second, name, ctx.remote, id);
  std::weak_ptr<session> weak = s;
  u.upgraded([weak](bool force) {
    if (auto live = weak.lock()) session::close(live, force, websocket::close_code::going_away, "server shutting down");
  });
  // Beast's own deadlines from here on (handshake 30 s; idle 300 s with pings at half of it).
  beast::get_lowest_layer(s->ws).expires_never();
  s->ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  s->ws.read_message_max(opt_.max_frame_bytes);
  s->ws.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(boost::beast::http::field::server, "lianxin"); }));
  {
    auto [ec] = co_await s->ws.async_accept(ctx.req, use_nothrow);
    if (ec) {
      log::req(log::level::info, "onebot-ws", ctx.request_id, name, " upgrade failed: ", ec.message());
      error_code ignored;
      beast::get_lowest_layer(s->ws).socket().close(ignored);
      co_return std::nullopt;
    }
  }

  std::shared_ptr<session> old;
  {
    std::lock_guard lock(mu_);
    auto& slot = live_[name];
    old = std::move(slot);
    slot = s;
  }
  s->open = !s->closing;  // a shutdown may have begun during the handshake
  metrics_.set("lx_onebot_ws_connected", {{"bot", name}}, 1);
  metrics_.inc("lx_onebot_ws_connections_total", {{"bot", name}});
  metrics_.set("lx_onebot_ws_last_frame_seconds", {{"bot", name}}, static_cast<double>(unix_now()));
  log::info("onebot-ws", name, "#", id, " connected from ", ctx.remote,
            old ? " (replaces #" + std::to_string(old->id) + ")" : std::string());
  if (old) {
    metrics_.inc("lx_onebot_ws_replaced_total", {{"bot", name}});
    asio::post(old->ex, [old] {
      session::close(old, false, websocket::close_code::policy_error, "replaced by a newer connection");
    });
  }

  co_await read_loop(s);

  s->open = false;
  retire(s);
  s->fail_pending();
  {
    error_code ignored;
    beast::get_lowest_layer(s->ws).socket().close(ignored);
  }
  co_return std::nullopt;
}

void onebot_ws::retire(const std::shared_ptr<session>& s) {
  bool was_live = false;
  {
    std::lock_guard lock(mu_);
    auto it = live_.find(s->bot);
    if (it != live_.end() && it->second == s) {
      live_.erase(it);
      was_live = true;
    }
  }
  if (was_live) metrics_.set("lx_onebot_ws_connected", {{"bot", s->bot}}, 0);
}

awaitable<void> onebot_ws::read_loop(std::shared_ptr<session> s) {
  beast::flat_buffer buf;
  for (;;) {
    buf.consume(buf.size());
    auto [ec, n] = co_await s->ws.async_read(buf, use_nothrow);
    if (ec) {
      if (ec == websocket::error::closed) {
        const auto& why = s->ws.reason();
        log::info("onebot-ws", s->bot, "#", s->id, " closed (", static_cast<int>(why.code), ")");
      } else {
        log::info("onebot-ws", s->bot, "#", s->id, " ended: ", ec.message());
      }
      co_return;
    }
    metrics_.set("lx_onebot_ws_last_frame_seconds", {{"bot", s->bot}}, static_cast<double>(unix_now()));
    if (!s->ws.got_text()) {
      metrics_.inc("lx_onebot_ws_frames_total", {{"kind", "binary"}});
      continue;
    }
    auto frame = adapters::onebot::classify_frame(beast::buffers_to_string(buf.data()));
    switch (frame.kind) {
      case adapters::onebot::frame_kind::api_response: {
        metrics_.inc("lx_onebot_ws_frames_total", {{"kind", "api_response"}});
        auto it = s->pending.find(frame.echo);
        if (it == s->pending.end()) {
          log::debug("onebot-ws", s->bot, "#", s->id, " answer for unknown or expired echo");
          break;
        }
        it->second->answered = true;
        it->second->body = beast::buffers_to_string(buf.data());
        it->second->timer.cancel();
        break;
      }
      case adapters::onebot::frame_kind::meta:
        // Heartbeats and lifecycle: the last-frame time above is all they tell us.
        metrics_.inc("lx_onebot_ws_frames_total", {{"kind", "meta"}});
        if (frame.meta_type == "lifecycle") log::debug("onebot-ws", s->bot, "#", s->id, " lifecycle event");
        break;
      case adapters::onebot::frame_kind::event:
        metrics_.inc("lx_onebot_ws_frames_total", {{"kind", "event"}});
        // In order, one at a time: the socket is read again once the event is stored.
        co_await store_event(s, std::move(frame.payload));
        break;
      case adapters::onebot::frame_kind::invalid:
        metrics_.inc("lx_onebot_ws_frames_total", {{"kind", "invalid"}});
        log::info("onebot-ws", s->bot, "#", s->id, " ignored a frame: ", frame.reason);
        break;
    }
  }
}

awaitable<void> onebot_ws::store_event(std::shared_ptr<session> s, adapters::common::json event) {
  auto parsed = adapters::onebot::parse_event(s->cfg.cfg, event);
  if (!parsed) {
    metrics_.inc("lx_webhook_rejected_total", {{"platform", "onebot"}, {"reason", "bad_request"}});
    log::info("onebot-ws", s->bot, "#", s->id, " event refused: ", parsed.error());
    co_return;
  }
  auto messages = std::move(parsed).value();
  if (messages.empty()) co_return;  // notices and requests: nothing Lianxin uses
  std::vector<int> windows(messages.size(), s->cfg.common.content_dedupe_seconds);
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (messages[i].kind != adapters::event_kind::message) windows[i] = 0;
  }
  auto backoff = opt_.store_backoff;
  asio::steady_timer wait(s->ex);
  std::string last_error;
  for (int attempt = 1; attempt <= opt_.store_attempts; ++attempt) {
    auto stored = co_await inbox_.store(messages, windows);
    if (stored.ok) {
      log::debug("onebot-ws", s->bot, "#", s->id, " stored ", stored.fresh, " new, ", stored.duplicates, " duplicate, ",
                 stored.chatter, " small talk not kept");
      co_return;
    }
    last_error = stored.error;
    if (attempt == opt_.store_attempts || s->closing) break;
    wait.expires_after(backoff);
    co_await wait.async_wait(use_nothrow);
    backoff *= 2;
  }
  // Over HTTP the platform would get a 503 and re-deliver; a WebSocket event has no such answer.
  metrics_.inc("lx_onebot_ws_events_lost_total", {{"bot", s->bot}});
  log::error("onebot-ws", s->bot, "#", s->id, " event not stored after ", opt_.store_attempts,
             " attempts, lost: ", last_error);
}

}  // namespace lianxin::ingest

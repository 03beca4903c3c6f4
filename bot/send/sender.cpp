#include "bot/send/sender.hpp"

#include "adapters/onebot/onebot.hpp"
#include "adapters/qq/openapi.hpp"
#include "adapters/wechat/api.hpp"
#include "adapters/wecom/api.hpp"
#include "bot/core/log.hpp"
#include "bot/core/metrics.hpp"
#include "bot/net/http_client.hpp"
#include "bot/platforms/bots.hpp"
#include "bot/send/onebot_channel.hpp"
#include "bot/send/token_cache.hpp"

#include <charconv>

namespace lianxin::send {
namespace {

using adapters::api_outcome;
using adapters::api_request;
using adapters::api_result;

// QQ's answer to a second send of the same msg_id + msg_seq (seen in community reports; the
// official docs only say such a send "fails"). Unconfirmed, so kept in one place.
constexpr std::int64_t qq_duplicate_code = 40054005;

send_result give_up(std::string detail) {
  send_result r;
  r.outcome = api_outcome::give_up;
  r.detail = std::move(detail);
  return r;
}

std::chrono::milliseconds retry_after_of(const net::http_response& res) {
  const std::string* h = res.header("Retry-After");
  if (!h) return std::chrono::milliseconds{0};
  long long seconds = 0;
  auto [p, ec] = std::from_chars(h->data(), h->data() + h->size(), seconds);
  if (ec != std::errc{} || seconds < 0) return std::chrono::milliseconds{0};  // HTTP dates: ignored
  return std::chrono::seconds{std::min(seconds, 3600LL)};
}

// A call that got no complete answer. Retryable; whether the platform acted on it is unknown
// exactly when the request was fully written.
send_result from_transport(const net::http_response& res) {
  send_result r;
  r.outcome = api_outcome::retry;
  r.detail = std::string(net::to_string(res.fail)) + ": " + res.error;
  r.maybe_sent = res.request_written;
  return r;
}

send_result from_api(const api_result& a, const net::http_response& res) {
  send_result r;
  r.outcome = a.outcome;
  r.retry_after = retry_after_of(res);
  if (a.outcome == api_outcome::ok) {
    r.platform_message_id = a.message;
  } else {
    r.detail = "HTTP " + std::to_string(res.status) + " code " + std::to_string(a.code) +
               (a.message.empty() ? "" : ": " + a.message);
  }
  return r;
}

// A OneBot call over the reverse WebSocket: the answer frame is classified exactly like the
// HTTP API's body; no answer is a transport failure (maybe sent once the frame was written).
send_result from_channel(const channel_reply& reply) {
  send_result r;
  if (!reply.answered) {
    r.outcome = api_outcome::retry;
    r.detail = "websocket: " + reply.error;
    r.maybe_sent = reply.written;
    return r;
  }
  const api_result a = adapters::onebot::parse_api_response(reply.body);
  r.outcome = a.outcome;
  if (a.outcome == api_outcome::ok) {
    r.platform_message_id = a.message;
  } else {
    r.detail = "websocket code " + std::to_string(a.code) + (a.message.empty() ? "" : ": " + a.message);
  }
  return r;
}

net::http_request to_http(const api_request& a, const platforms::common_settings& common) {
  net::http_request r;
  r.method = a.method;
  r.url = a.absolute_url.empty() ? common.api_base + a.path : a.absolute_url;
  r.query = a.query;
  r.headers = a.headers;
  r.content_type = a.content_type;
  r.body = a.body;
  r.timeout = std::chrono::milliseconds{common.api_timeout_ms};
  return r;
}

token_spec qq_token_spec(const platforms::qq_bot& b, std::chrono::seconds margin) {
  token_spec s;
  s.platform = "qq";
  s.bot = b.cfg.name;
  s.request = adapters::qq::render_token_request(b.cfg.app_id, b.cfg.secret);
  s.url = b.token_url.empty() ? b.common.api_base + s.request.path : b.token_url;
  s.margin = margin;
  s.timeout = std::chrono::milliseconds{b.common.api_timeout_ms};
  s.parse = [](int status, std::string_view body, api_result& error) -> std::optional<fetched_token> {
    auto t = adapters::qq::parse_token_response(status, body);
    if (!t) {
      error = t.error();
      return std::nullopt;
    }
    return fetched_token{t->token, t->expires_in};
  };
  return s;
}

token_spec wx_token_spec(std::string platform, std::string bot, api_request request,
                         const platforms::common_settings& common, std::chrono::seconds margin) {
  token_spec s;
  s.platform = std::move(platform);
  s.bot = std::move(bot);
  s.url = common.api_base + request.path;
  s.request = std::move(request);
  s.margin = margin;
  s.timeout = std::chrono::milliseconds{common.api_timeout_ms};
  s.parse = [](int status, std::string_view body, api_result& error) -> std::optional<fetched_token> {
    auto t = adapters::common::parse_wx_token_response(status, body);
    if (!t) {
      error = t.error();
      return std::nullopt;
    }
    return fetched_token{t->token, t->expires_in};
  };
  return s;
}

}  // namespace

sender::sender(const platforms::bots& bots, net::http_client& http, token_cache& tokens, metrics::registry* metrics,
               sender_options opt)
    : bots_(bots), http_(http), tokens_(tokens), metrics_(metrics), opt_(std::move(opt)) {
  if (!opt_.now_unix) {
    opt_.now_unix = [] {
      return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
  }
  if (metrics_) {
    metrics_->describe_counter("lx_send_total", "Outbound platform sends by platform and outcome.");
    metrics_->describe_histogram("lx_send_duration_seconds", "Outbound send latency, including token fetches.",
                                 metrics::registry::latency_buckets());
  }
}

awaitable<send_result> sender::send(adapters::outbound_message msg, send_context ctx) {
  const auto started = std::chrono::steady_clock::now();
  send_result r;
  switch (msg.target.dest) {
    case adapters::platform::onebot: r = co_await send_onebot(msg); break;
    case adapters::platform::qq: r = co_await send_qq(msg, ctx); break;
    case adapters::platform::wecom: r = co_await send_wecom(msg); break;
    case adapters::platform::wechat: r = co_await send_wechat(msg); break;
    default: r = give_up("no sender for platform " + std::string(adapters::to_string(msg.target.dest)));
  }
  const std::string platform(adapters::to_string(msg.target.dest));
  if (metrics_) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics_->inc("lx_send_total", {{"platform", platform}, {"outcome", std::string(adapters::to_string(r.outcome))}});
    metrics_->observe("lx_send_duration_seconds", {{"platform", platform}}, seconds);
  }
  if (!r.ok()) {
    log::info("send", platform, "/", msg.target.bot, " ", adapters::to_string(r.outcome),
              r.maybe_sent ? " (maybe sent)" : "", ": ", r.detail);
  }
  co_return r;
}

awaitable<send_result> sender::send_onebot(const adapters::outbound_message& msg) {
  auto it = bots_.onebot.find(msg.target.bot);
  if (it == bots_.onebot.end()) co_return give_up("unknown onebot bot '" + msg.target.bot + "'");
  auto req = adapters::onebot::render_send(it->second.cfg, msg);
  if (!req) co_return give_up("nothing sendable or a chat id that is not a QQ number");
  if (onebot_ws_) {
    const auto timeout = std::chrono::milliseconds(it->second.common.api_timeout_ms);
    auto reply = co_await onebot_ws_->call(msg.target.bot, *req, timeout);
    if (reply) co_return from_channel(*reply);
    // No live socket for this bot: the HTTP API, as without one.
  }
  auto res = co_await http_.send(to_http(*req, it->second.common));
  if (!res.ok()) co_return from_transport(res);
  api_result a;
  if (res.status / 100 == 2) {
    a = adapters::onebot::parse_api_response(res.body);
  } else {
    a.outcome = adapters::outcome_for_http_status(res.status);
    // OneBot's token is static configuration: 401/403 cannot be fixed by refreshing.
    if (a.outcome == api_outcome::reauth || res.status == 403) a.outcome = api_outcome::give_up;
    a.message = res.status == 401 || res.status == 403 ? "access token missing or wrong" : "";
  }
  co_return from_api(a, res);
}

// The shared shape of token-authorised calls: render with the token, send, and on a reauth
// answer forget that token, fetch a new one and try exactly once more.
template <class Render, class Parse>
awaitable<send_result> send_with_token(net::http_client& http, token_cache& tokens, const token_spec& spec,
                                       const platforms::common_settings& common, Render render, Parse parse) {
  for (int attempt = 0;; ++attempt) {
    auto tok = co_await tokens.get(spec);
    if (!tok.ok()) {
      send_result r;
      r.outcome = tok.outcome == api_outcome::reauth ? api_outcome::give_up : tok.outcome;
      r.detail = "token: " + tok.detail;
      co_return r;
    }
    std::optional<api_request> req = render(tok.token);
    if (!req) co_return give_up("nothing sendable or an unusable target id");
    auto res = co_await http.send(to_http(*req, common));
    if (!res.ok()) co_return from_transport(res);
    api_result a = parse(res.status, res.body);
    if (a.outcome == api_outcome::reauth) {
      co_await tokens.invalidate(spec, tok.token);
      if (attempt == 0) continue;
      // A token fresh from the platform was refused too: not this message's fault.
      a.outcome = api_outcome::retry;
    }
    co_return from_api(a, res);
  }
}

awaitable<send_result> sender::send_qq(const adapters::outbound_message& msg, const send_context& ctx) {
  auto it = bots_.qq.find(msg.target.bot);
  if (it == bots_.qq.end()) co_return give_up("unknown qq bot '" + msg.target.bot + "'");
  if (msg.target.reply_to_message_id.empty()) {
    co_return give_up("qq_window: official QQ bots only reply passively and no msg_id was given");
  }
  const std::int64_t replied_at = ctx.reply_to_unix > 0 ? ctx.reply_to_unix : msg.target.reply_to_unix;
  if (replied_at > 0) {
    const auto window = msg.target.chat == adapters::chat_type::group ? opt_.qq_group_window : opt_.qq_c2c_window;
    const std::int64_t closes = replied_at + window.count() - opt_.qq_window_slack.count();
    if (opt_.now_unix() >= closes) {
      co_return give_up("qq_window: the passive reply window for that message has closed");
    }
  }
  const auto& bot = it->second;
  const auto spec = qq_token_spec(bot, opt_.qq_token_margin);
  co_return co_await send_with_token(
      http_, tokens_, spec, bot.common, [&](const std::string& token) { return adapters::qq::render_send(msg, token); },
      [](int status, std::string_view body) {
        auto a = adapters::qq::parse_send_response(status, body);
        // "Deduplicated, check msg_seq": this msg_id+msg_seq was already posted, which after a
        // maybe-sent retry is exactly the success the notifier wants to record.
        if (a.code == qq_duplicate_code) {
          a.outcome = api_outcome::ok;
          a.message.clear();
        }
        return a;
      });
}

awaitable<send_result> sender::send_wecom(const adapters::outbound_message& msg) {
  auto it = bots_.wecom.find(msg.target.bot);
  if (it == bots_.wecom.end()) co_return give_up("unknown wecom bot '" + msg.target.bot + "'");
  const auto& bot = it->second;
  if (msg.target.chat == adapters::chat_type::group && !bot.robot_key.empty()) {
    // The robot belongs to one group: chat_id is not part of the call.
    auto res = co_await http_.send(to_http(adapters::wecom::render_webhook_text(bot.robot_key, msg), bot.common));
    if (!res.ok()) co_return from_transport(res);
    co_return from_api(adapters::wecom::parse_wx_response(res.status, res.body), res);
  }
  if (bot.corp_secret.empty()) co_return give_up("wecom bot '" + bot.cfg.name + "' has neither robot_key nor corp_secret");
  const auto spec = wx_token_spec("wecom", bot.cfg.name,
                                  adapters::wecom::render_token_request(bot.cfg.corp_id, bot.corp_secret), bot.common,
                                  opt_.wx_token_margin);
  co_return co_await send_with_token(
      http_, tokens_, spec, bot.common,
      [&](const std::string& token) { return adapters::wecom::render_app_message(token, bot.agent_id, msg); },
      [](int status, std::string_view body) { return adapters::wecom::parse_wx_response(status, body); });
}

awaitable<send_result> sender::send_wechat(const adapters::outbound_message& msg) {
  auto it = bots_.wechat.find(msg.target.bot);
  if (it == bots_.wechat.end()) co_return give_up("unknown wechat bot '" + msg.target.bot + "'");
  const auto& bot = it->second;
  const auto spec = wx_token_spec("wechat", bot.cfg.name,
                                  adapters::wechat::render_token_request(bot.cfg.app_id, bot.app_secret), bot.common,
                                  opt_.wx_token_margin);
  co_return co_await send_with_token(
      http_, tokens_, spec, bot.common,
      [&](const std::string& token) { return adapters::wechat::render_custom_text(token, msg); },
      [](int status, std::string_view body) { return adapters::wechat::parse_wx_response(status, body); });
}

}  // namespace lianxin::send

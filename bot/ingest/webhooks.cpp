#include "bot/ingest/webhooks.hpp"

#include "bot/core/log.hpp"

#include <boost/beast/http/field.hpp>

#include <chrono>

namespace lianxin::ingest {
namespace bhttp = boost::beast::http;

webhooks::webhooks(const platforms::bots& bots, inbox& in, metrics::registry& metrics)
    : bots_(bots), inbox_(in), metrics_(metrics) {
  metrics_.describe_counter("lx_webhook_rejected_total", "Webhook requests refused by an adapter, by platform and reason");
  for (const auto& [name, b] : bots_.qq) {
    if (auto h = adapters::qq::webhook_handler::create(b.cfg)) qq_.emplace(name, std::move(*h));
  }
  for (const auto& [name, b] : bots_.wecom) {
    if (auto h = adapters::wecom::callback_handler::create(b.cfg)) wecom_.emplace(name, std::move(*h));
  }
  for (const auto& [name, b] : bots_.wechat) {
    if (auto h = adapters::wechat::callback_handler::create(b.cfg)) wechat_.emplace(name, std::move(*h));
  }
}

adapters::http_input webhooks::to_input(const http::request_context& ctx, bool& bad_query) {
  adapters::http_input in;
  in.method = std::string(ctx.req.method_string());
  in.path = ctx.path;
  auto q = adapters::parse_query(ctx.query);
  bad_query = !q.has_value();
  if (q) in.query = std::move(*q);
  for (const auto& f : ctx.req) in.headers.set(std::string(f.name_string()), std::string(f.value()));
  in.body = ctx.req.body();
  in.now_unix = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  return in;
}

awaitable<http::response> webhooks::finish(http::request_context& ctx, std::string_view platform,
                                           adapters::http_output out, int content_window_s) {
  if (out.error) {
    auto code = adapters::to_string(*out.error);
    metrics_.inc("lx_webhook_rejected_total", {{"platform", std::string(platform)}, {"reason", std::string(code)}});
    log::req(log::level::info, "webhook", ctx.request_id, platform, " refused ", out.status, ": ", out.reason);
    co_return http::error_response(ctx.req, static_cast<unsigned>(out.status), code, out.reason);
  }
  if (!out.messages.empty()) {
    std::vector<int> windows(out.messages.size(), content_window_s);
    // Only chat messages can be re-sent under a new id; events keep their exact identity.
    for (std::size_t i = 0; i < out.messages.size(); ++i) {
      if (out.messages[i].kind != adapters::event_kind::message) windows[i] = 0;
    }
    auto stored = co_await inbox_.store(out.messages, windows);
    if (!stored.ok) {
      // Never acknowledge what is not stored: the platform will deliver it again.
      log::req(log::level::warn, "webhook", ctx.request_id, platform, " events not stored, answering 503: ",
               stored.error);
      co_return http::error_response(ctx.req, 503, "storage_unavailable", "storage unavailable, retry later");
    }
    log::req(log::level::debug, "webhook", ctx.request_id, platform, " stored ", stored.fresh, " new, ",
             stored.duplicates, " duplicate, ", stored.chatter, " small talk not kept");
  }
  http::response res{static_cast<bhttp::status>(out.status), ctx.req.version()};
  if (!out.content_type.empty()) res.set(bhttp::field::content_type, out.content_type);
  res.body() = std::move(out.body);
  res.keep_alive(ctx.req.keep_alive());
  res.prepare_payload();
  co_return res;
}

void webhooks::add_routes(http::router& r) {
  auto not_found = [](http::request_context& ctx) {
    return http::error_response(ctx.req, 404, "not_found", "unknown bot");
  };
  auto bad_query = [](http::request_context& ctx) {
    return http::error_response(ctx.req, 400, "bad_request", "malformed query string");
  };

  r.add(bhttp::verb::post, "/webhook/onebot/{bot}", [=, this](http::request_context& ctx) -> awaitable<http::response> {
    auto it = bots_.onebot.find(ctx.param("bot"));
    if (it == bots_.onebot.end()) co_return not_found(ctx);
    bool bad = false;
    auto in = to_input(ctx, bad);
    if (bad) co_return bad_query(ctx);
    co_return co_await finish(ctx, "onebot", adapters::onebot::handle_post(it->second.cfg, in),
                              it->second.common.content_dedupe_seconds);
  });

  r.add(bhttp::verb::post, "/webhook/qq/{bot}", [=, this](http::request_context& ctx) -> awaitable<http::response> {
    auto it = qq_.find(ctx.param("bot"));
    if (it == qq_.end()) co_return not_found(ctx);
    bool bad = false;
    auto in = to_input(ctx, bad);
    if (bad) co_return bad_query(ctx);
    int window = bots_.qq.find(ctx.param("bot"))->second.common.content_dedupe_seconds;
    co_return co_await finish(ctx, "qq", it->second.handle(in), window);
  });

  for (auto verb : {bhttp::verb::get, bhttp::verb::post}) {
    r.add(verb, "/webhook/wecom/{bot}", [=, this](http::request_context& ctx) -> awaitable<http::response> {
      auto it = wecom_.find(ctx.param("bot"));
      if (it == wecom_.end()) co_return not_found(ctx);
      bool bad = false;
      auto in = to_input(ctx, bad);
      if (bad) co_return bad_query(ctx);
      int window = bots_.wecom.find(ctx.param("bot"))->second.common.content_dedupe_seconds;
      co_return co_await finish(ctx, "wecom", it->second.handle(in), window);
    });
    r.add(verb, "/webhook/wechat/{bot}", [=, this](http::request_context& ctx) -> awaitable<http::response> {
      auto it = wechat_.find(ctx.param("bot"));
      if (it == wechat_.end()) co_return not_found(ctx);
      bool bad = false;
      auto in = to_input(ctx, bad);
      if (bad) co_return bad_query(ctx);
      int window = bots_.wechat.find(ctx.param("bot"))->second.common.content_dedupe_seconds;
      co_return co_await finish(ctx, "wechat", it->second.handle(in), window);
    });
  }
}

}  // namespace lianxin::ingest

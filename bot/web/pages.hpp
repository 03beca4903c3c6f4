#pragma once
// The 码上提 web pages (issue 6), served by Lianxin itself, mobile first, no external assets:
//
//   GET  /d/{code}                 the deputy's page and suggestion form
//   POST /d/{code}                 a submission (multipart/form-data; the similar-case choice
//                                  comes back urlencoded): CSRF-checked, rate-limited per
//                                  address, emergencies redirected, similar open cases offered,
//                                  double submits filed once; files the case through the same
//                                  routing and outbox as chat, addressed to that deputy
//   GET  /c/{number}?t={token}     the resident's private tracking page (+ rating form)
//   POST /c/{number}/rate          the resident's rating (urlencoded, CSRF-checked)
//   GET  /web/classify?text=       the category the classifier would choose (for the form)
//   GET  /static/{file}            app.css, app.js
//   GET  /api/v1/deputies/{code}/qr.png | qr.svg | poster.svg
//
// Redis: lx:{t}:secret:links (generated link secret), lx:{t}:web:rl:<addr>:<hour> (rate
// counter), lx:{t}:web:pending:<nonce> (a submission waiting for the similar-case choice,
// 30 min), lx:{t}:web:done:<nonce> (what a submission produced, 1 day), lx:{t}:blob:<sha256>
// (photos: HASH type, data; expire after a day unless a filed case refers to them).
#include "bot/api/settings.hpp"
#include "bot/asio.hpp"
#include "bot/http/router.hpp"
#include "bot/store/keys.hpp"

#include <functional>
#include <memory>
#include <mutex>

namespace lianxin::domain {
struct tenant_domain;
}
namespace lianxin::flow {
class case_store;
class case_actions;
}
namespace lianxin::platforms {
struct bots;
}
namespace lianxin::metrics {
class registry;
}
namespace lianxin::redis {
class client;
}

namespace lianxin::web {

class pages {
 public:
  pages(redis::client& redis, const store::keys& keys, flow::case_store& cases, flow::case_actions& actions,
        std::function<std::shared_ptr<const domain::tenant_domain>()> domain, const platforms::bots& bots,
        metrics::registry& metrics, std::function<std::int64_t()> now, api::settings settings, std::string issuer);
  void add_routes(http::router& r);
  // The tracking links' HMAC key (configured, or generated once and kept in Redis).
  awaitable<std::string> link_secret() { return secret(); }

 private:
  struct pending;
  awaitable<http::response> deputy_page(http::request_context& ctx);
  awaitable<http::response> submit(http::request_context& ctx);
  awaitable<http::response> track(http::request_context& ctx);
  awaitable<http::response> rate(http::request_context& ctx);
  awaitable<http::response> classify(http::request_context& ctx);
  awaitable<http::response> asset(http::request_context& ctx);
  awaitable<http::response> qr(http::request_context& ctx);

  awaitable<std::string> secret();
  awaitable<bool> over_limit(const std::string& address);
  awaitable<http::response> file_pending(http::request_context& ctx, const pending& p, const std::string& nonce);
  awaitable<http::response> join_pending(http::request_context& ctx, const std::string& nonce,
                                         const std::string& number);
  awaitable<http::response> form_page(http::request_context& ctx, const std::string& code, unsigned status,
                                      const std::vector<std::string>& errors, const pending* values);
  http::response message_page(const http::request& req, unsigned status, const std::string& title,
                              const std::vector<std::string>& paragraphs, const std::string& link_href = {},
                              const std::string& link_text = {}, const std::string& kind = {});
  http::response page(const http::request& req, unsigned status, const std::string& title, const std::string& body);
  std::string tracking_url(const std::string& secret, const std::string& number) const;
  std::string text(const std::string& key, const std::map<std::string, std::string>& params = {}) const;

  redis::client& redis_;
  const store::keys& keys_;
  flow::case_store& cases_;
  flow::case_actions& actions_;
  std::function<std::shared_ptr<const domain::tenant_domain>()> domain_;
  const platforms::bots& bots_;
  metrics::registry& metrics_;
  std::function<std::int64_t()> now_;
  api::settings settings_;
  std::string issuer_;
  std::mutex secret_mutex_;
  std::string secret_;  // cached once loaded
};

}  // namespace lianxin::web

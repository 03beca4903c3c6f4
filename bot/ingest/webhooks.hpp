#pragma once
// The platform webhook routes: verify and parse through the adapters, store durably through
// the inbox, and only then acknowledge (503 when Redis cannot take the events, so the platform
// retries). Unknown bots are 404 before any signature work.
//
//   POST     /webhook/onebot/{bot}   OneBot v11 HTTP POST
//   POST     /webhook/qq/{bot}       QQ official bot (Ed25519; op 13 validation)
//   GET/POST /webhook/wecom/{bot}    WeCom app / AI-bot callbacks (URL verification on GET)
//   GET/POST /webhook/wechat/{bot}   WeChat Official Account (plain and safe mode)
#include "bot/http/router.hpp"
#include "bot/ingest/inbox.hpp"
#include "bot/platforms/bots.hpp"

#include <map>
#include <optional>

namespace lianxin::ingest {

class webhooks {
 public:
  webhooks(const platforms::bots& bots, inbox& in, metrics::registry& metrics);
  void add_routes(http::router& r);

 private:
  awaitable<http::response> finish(http::request_context& ctx, std::string_view platform, adapters::http_output out,
                                   int content_window_s);
  static adapters::http_input to_input(const http::request_context& ctx, bool& bad_query);

  const platforms::bots& bots_;
  inbox& inbox_;
  metrics::registry& metrics_;
  std::map<std::string, adapters::qq::webhook_handler, std::less<>> qq_;
  std::map<std::string, adapters::wecom::callback_handler, std::less<>> wecom_;
  std::map<std::string, adapters::wechat::callback_handler, std::less<>> wechat_;
};

}  // namespace lianxin::ingest

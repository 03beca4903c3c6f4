#include "bot/app.hpp"

#include "bot/admin/directory.hpp"
#include "bot/admin/roster_api.hpp"
#include "bot/api/auth.hpp"
#include "bot/api/cases_api.hpp"
#include "bot/api/settings.hpp"
#include "bot/api/stats_api.hpp"
#include "bot/flow/digests.hpp"
#include "bot/flow/case_actions.hpp"
#include "bot/flow/notify_config.hpp"
#include "bot/web/admin_console.hpp"
#include "bot/web/pages.hpp"
#include "bot/core/log.hpp"
#include "bot/http/server.hpp"
#include "bot/redis/client.hpp"
#include "bot/redis/url.hpp"
#include "bot/store/embedded_redis.hpp"
#include "bot/domain/domain.hpp"
#include "bot/flow/case_store.hpp"
#include "bot/flow/chatter.hpp"
#include "bot/store/acl_probe.hpp"
#include "bot/flow/intake_worker.hpp"
#include "bot/flow/notifier.hpp"
#include "bot/flow/scheduler.hpp"
#include "bot/config/reader.hpp"
#include "bot/ingest/inbox.hpp"
#include "bot/ingest/onebot_ws.hpp"
#include "bot/ingest/webhooks.hpp"
#include "bot/platforms/bots.hpp"
#include "bot/flow/dispatch.hpp"
#include "bot/sandbox/sandbox.hpp"

#include <random>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <nlohmann/json.hpp>

namespace lianxin {
namespace bhttp = boost::beast::http;
using namespace std::chrono_literals;

app::app(config::config cfg)
    : cfg_(std::move(cfg)),
      ioc_(cfg_.server.threads),
      keys_(cfg_.redis.key_prefix, cfg_.tenant.id) {
  log::set_level(log::parse_level(cfg_.log.level));
}

app::~app() {
  if (embedded_) embedded_->stop();
}

std::int64_t app::now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() +
         clock_offset_.load();
}

void app::advance_clock(std::int64_t seconds) {
  if (!test_clock_) throw std::logic_error("the test clock is off (scheduler.test_clock)");
  clock_offset_ += seconds;
}

void app::start() {
  // Configuration problems surface before anything is started.
  bots_ = std::make_unique<platforms::bots>(platforms::read_bots(cfg_.raw, cfg_.source_file.empty() ? "(defaults)" : cfg_.source_file));
  domain_ = domain::load_domain(cfg_);
  auto seed = domain::read_document(cfg_);
  api_settings_ = std::make_unique<api::settings>(api::read_settings(cfg_));
  auto sandbox_settings = sandbox::read_settings(cfg_);
  flow::notifier_options no;
  flow::read_notify_config(cfg_, no);
  auto stats_settings = api::read_stats_settings(cfg_, no.utc_offset_min);
  auto digest_settings = flow::read_digest_settings(cfg_);
  digest_settings.utc_offset_seconds = stats_settings.utc_offset_seconds;
  digest_settings.response_window_seconds = stats_settings.response_window_seconds;
  int poll_ms = cfg_.scheduler.poll_ms;
  // Never on in production: lets tests and the sandbox fast-forward deadlines.
  test_clock_ = cfg_.scheduler.test_clock;
  {
    std::random_device rd;
    char host[64] = {0};
    ::gethostname(host, sizeof host - 1);
    instance_id_ = std::string(host) + "-" + std::to_string(::getpid()) + "-" + std::to_string(rd() % 100000);
  }
  std::string url = cfg_.redis.url;
  if (url.empty()) {
    embedded_ = std::make_unique<store::embedded_redis>(ioc_.get_executor(), cfg_.redis.embedded);
    embedded_->start();
    url = embedded_->url();
  }
  redis::options base;
  base.connect_timeout = std::chrono::milliseconds(cfg_.redis.connect_timeout_ms);
  base.command_timeout = std::chrono::milliseconds(cfg_.redis.command_timeout_ms);
  base.reconnect_min = std::chrono::milliseconds(cfg_.redis.reconnect_min_ms);
  base.reconnect_max = std::chrono::milliseconds(cfg_.redis.reconnect_max_ms);
  base.name = "main";
  auto parsed = redis::parse_url(url, base);
  if (!parsed.ok()) {
    throw config::config_error((cfg_.source_file.empty() ? "(command line)" : cfg_.source_file) +
                               ": redis.url: " + parsed.error);
  }
  redis_desc_ = embedded_ ? "embedded " + embedded_->socket_path() : parsed.opt.redacted();

  metrics_.describe_histogram("lx_redis_command_duration_seconds", "Redis command latency by command",
                              metrics::registry::latency_buckets());
  metrics_.describe_counter("lx_redis_errors_total", "Redis commands that failed, by command");
  metrics_.describe_gauge("lx_redis_up", "1 while the Redis connection is up");
  metrics_.describe_counter("lx_redis_round_trips_total",
                            "Redis round trips awaited by callers (one exec, pipeline or script call each)");
  redis::observer obs;
  obs.on_round_trip = [this](std::size_t) { metrics_.inc("lx_redis_round_trips_total", {}); };
  obs.on_command = [this](std::string_view cmd, double seconds, bool ok) {
    metrics_.observe("lx_redis_command_duration_seconds", {{"command", std::string(cmd)}}, seconds);
    if (!ok) metrics_.inc("lx_redis_errors_total", {{"command", std::string(cmd)}});
  };
  obs.on_state = [this](bool up, std::string_view reason) {
    metrics_.set("lx_redis_up", {}, up ? 1 : 0);
    if (up) {
      log::info("redis", "connected to ", redis_desc_);
    } else {
      log::warn("redis", "connection to ", redis_desc_, " down: ", reason);
    }
  };
  redis_ = std::make_shared<redis::client>(asio::make_strand(ioc_), parsed.opt, std::move(obs));
  redis_->start();
  auto blocking_opt = parsed.opt;
  blocking_opt.name = "blocking";
  blocking_ = std::make_shared<redis::client>(asio::make_strand(ioc_), blocking_opt, redis::observer{});
  blocking_->start();
  // XREADGROUP BLOCK holds its connection: the notifier gets its own.
  blocking_opt.name = "blocking-notify";
  blocking_notify_ = std::make_shared<redis::client>(asio::make_strand(ioc_), blocking_opt, redis::observer{});
  blocking_notify_->start();

  inbox_ = std::make_unique<ingest::inbox>(*redis_, keys_, metrics_, ingest::inbox_options{});
  // Group small talk not for the bot is deduplicated and dropped at the door, never stored.
  inbox_->set_chatter_filter([this](const adapters::inbound_message& m) { return flow::is_chatter(*domain(), m); });
  webhooks_ = std::make_unique<ingest::webhooks>(*bots_, *inbox_, metrics_);
  onebot_ws_ = std::make_unique<ingest::onebot_ws>(*bots_, *inbox_, metrics_);
  cases_ = std::make_unique<flow::case_store>(*redis_, keys_, cfg_.tenant.case_prefix);
  directory_ = std::make_unique<admin::directory>(
      *redis_, keys_, domain_,
      [this](std::shared_ptr<const domain::tenant_domain> d) {
        std::lock_guard l(domain_mu_);
        domain_ = std::move(d);
      },
      [this] { return now(); });
  directory_->set_seed(std::move(seed));
  actions_ = std::make_unique<flow::case_actions>(
      *redis_, *cases_, [this] { return domain(); }, *bots_, [this] { return now(); });
  auth_ = std::make_unique<api::auth>(*redis_, keys_, api_settings_->admin_token);
  roster_api_ = std::make_unique<admin::roster_api>(*redis_, keys_, *auth_, *directory_, [this] { return now(); },
                                                   *api_settings_);
  cases_api_ = std::make_unique<api::cases_api>(*redis_, keys_, *auth_, *cases_, *actions_,
                                                [this] { return domain(); }, [this] { return now(); });
  stats_api_ = std::make_unique<api::stats_api>(*redis_, keys_, *auth_, *cases_, [this] { return domain(); },
                                                [this] { return now(); }, stats_settings);
  pages_ = std::make_unique<web::pages>(*redis_, keys_, *cases_, *actions_, [this] { return domain(); }, *bots_, metrics_,
                                        [this] { return now(); }, *api_settings_, cfg_.tenant.name);
  if (sandbox_settings.enabled) {
    sandbox::hooks h;
    h.domain = [this] { return domain(); };
    h.now = [this] { return now(); };
    h.advance_clock = [this](std::int64_t s) { advance_clock(s); };
    h.link_secret = [this] { return pages_->link_secret(); };
    sandbox_ = std::make_unique<sandbox::service>(redis_, keys_, *inbox_, *cases_, std::move(h), sandbox_settings);
  }
  flow::worker_options wo;
  wo.instance_id = instance_id_;
  wo.directory = directory_.get();
  wo.bind_codes = &roster_api_->codes();
  wo.door_events_per_turn = cfg_.server.door_events_per_worker_turn;
  worker_ = std::make_unique<flow::intake_worker>(*redis_, *blocking_, keys_, *inbox_, *cases_, [this] { return domain(); }, *bots_, metrics_,
                                                  [this] { return now(); }, wo);
  no.consumer = instance_id_;
  if (sandbox_) no.sandbox_gate = [this](const adapters::outbound_message& m) { return sandbox_->gate(m); };
  notifier_ = std::make_unique<flow::notifier>(
      *redis_, *blocking_notify_, keys_, metrics_, flow::make_dispatch(ioc_.get_executor(), *bots_, redis_, keys_, metrics_, onebot_ws_.get()),
      [this] { return now() * 1000; }, no);

  scheduler_ = std::make_unique<flow::scheduler>(*redis_, *cases_, [this] { return domain(); }, *bots_, metrics_, [this] { return now(); },
                                                poll_ms);
  if (digest_settings.enabled) {
    digests_ = std::make_unique<flow::digests>(*redis_, *cases_, keys_, [this] { return domain(); }, *bots_, metrics_,
                                               [this] { return now(); }, digest_settings, poll_ms);
  }

  add_routes();
  http::server_limits limits;
  const auto& s = cfg_.server;
  limits.header_limit = static_cast<std::size_t>(s.header_limit_bytes);
  limits.body_limit = static_cast<std::uint64_t>(s.body_limit_bytes);
  limits.header_timeout = std::chrono::milliseconds(s.header_timeout_ms);
  limits.request_timeout = std::chrono::milliseconds(s.request_timeout_ms);
  limits.idle_timeout = std::chrono::milliseconds(s.idle_timeout_ms);
  limits.max_connections = static_cast<std::size_t>(s.max_connections);
  server_ = std::make_unique<http::server>(ioc_, limits, router_, metrics_);
  auto ep = server_->listen(s.listen);
  port_ = ep.port();
  server_->start();
  if (embedded_) asio::co_spawn(ioc_, embedded_->supervise(), asio::detached);
  asio::co_spawn(ioc_, announce_ready(), asio::detached);
  asio::co_spawn(asio::make_strand(ioc_), notifier_->run(), asio::detached);
  asio::co_spawn(asio::make_strand(ioc_), boot_directory(), asio::detached);
  started_ = true;
}

awaitable<void> app::boot_directory() {
  asio::steady_timer t(co_await asio::this_coro::executor);
  // Until Redis answers, nothing acts on chat messages (they wait, stored, in the inbox).
  while (!stop_requested_) {
    bool loaded = false;
    try {
      loaded = co_await directory_->refresh();
    } catch (const std::exception& e) {
      log::error("roster", e.what());
    }
    if (loaded) break;
    t.expires_after(200ms);
    co_await t.async_wait(use_nothrow);
  }
  // Nor until Redis lets Lianxin make every write it needs: a commit refused halfway by the
  // ACL would leave part of it applied (bot/store/acl_probe.hpp).
  std::string last;
  while (!stop_requested_) {
    auto p = co_await store::probe_write_permissions(*redis_, keys_);
    if (p.ran && p.refused.empty()) {
      if (!last.empty()) log::info("lianxin", "the Redis user may now make every write; chat messages are worked through");
      set_blocked("");
      break;
    }
    // Not run: Redis refused the probe itself (EVALSHA not allowed) or could not be reached.
    const std::string why = p.ran ? "Redis user may not run " + p.refused + " (its ACL)"
                                  : "Redis could not check the user's rights: " + p.refused;
    if (why != last) {
      log::error("lianxin", why, "; chat messages wait, stored, in the inbox until every write is allowed");
      last = why;
    }
    set_blocked(why);
    t.expires_after(1s);
    co_await t.async_wait(use_nothrow);
  }
  if (stop_requested_) co_return;
  asio::co_spawn(asio::make_strand(ioc_), worker_->run(), asio::detached);
  asio::co_spawn(asio::make_strand(ioc_), scheduler_->run(), asio::detached);
  if (digests_) asio::co_spawn(asio::make_strand(ioc_), digests_->run(), asio::detached);
  co_await directory_->watch(std::chrono::milliseconds(api_settings_->reload_poll_ms));
}

awaitable<void> app::announce_ready() {
  auto wait = std::chrono::milliseconds(cfg_.redis.embedded.startup_timeout_ms);
  bool up = co_await redis_->wait_connected(wait);
  std::string listen = cfg_.server.listen.substr(0, cfg_.server.listen.rfind(':')) + ":" + std::to_string(port_);
  if (up) {
    log::info("lianxin", "ready: listening on http://", listen, " tenant=", cfg_.tenant.id, " redis=", redis_desc_);
  } else {
    log::error("lianxin", "listening on http://", listen, " but Redis (", redis_desc_, ") is not answering after ",
               wait.count(), " ms: ", redis_->last_error(), "; /readyz answers 503 until it does");
  }
}

void app::add_routes() {
  webhooks_->add_routes(router_);
  onebot_ws_->add_routes(router_);
  cases_api_->add_routes(router_);
  roster_api_->add_routes(router_);
  stats_api_->add_routes(router_);
  pages_->add_routes(router_);
  web::add_admin_console_routes(router_);
  if (sandbox_) sandbox_->add_routes(router_);
  router_.add(bhttp::verb::get, "/healthz", [](http::request_context& ctx) -> awaitable<http::response> {
    co_return http::json_response(ctx.req, 200, R"({"status":"alive"})");
  });
  router_.add(bhttp::verb::get, "/readyz", [this](http::request_context& ctx) -> awaitable<http::response> {
    std::vector<std::string> ping{"PING"};
    auto r = co_await redis_->exec(std::move(ping), std::chrono::milliseconds(1000));
    nlohmann::json body;
    if (auto why = blocked(); r.ok() && !why.empty()) {
      body = {{"status", "unavailable"}, {"reason", why}};
      co_return http::json_response(ctx.req, 503, body.dump());
    }
    if (r.ok()) {
      body = {{"status", "ready"}, {"redis", "ok"}};
      co_return http::json_response(ctx.req, 200, body.dump());
    }
    body = {{"status", "unavailable"}, {"reason", r.error_message()}};
    co_return http::json_response(ctx.req, 503, body.dump());
  });
  router_.add(bhttp::verb::get, "/metrics", [this](http::request_context& ctx) -> awaitable<http::response> {
    if (embedded_) metrics_.set("lx_embedded_redis_restarts", {}, embedded_->restarts());
    co_return http::make_response(ctx.req, 200, metrics_.render(), "text/plain; version=0.0.4; charset=utf-8");
  });
}

void app::handle_signals() {
  signals_ = std::make_unique<asio::signal_set>(ioc_, SIGINT, SIGTERM);
  signals_->async_wait([this](const error_code& ec, int sig) {
    if (ec) return;
    log::info("lianxin", "received ", sig == SIGTERM ? "SIGTERM" : "SIGINT", "; shutting down");
    request_stop();
  });
}

void app::request_stop() {
  if (stop_requested_.exchange(true)) return;
  asio::co_spawn(ioc_, shutdown_sequence(), asio::detached);
}

awaitable<void> app::shutdown_sequence() {
  auto grace = std::chrono::milliseconds(cfg_.server.shutdown_grace_ms);
  if (server_) co_await server_->shutdown(grace);
  if (worker_) {
    worker_->stop();
    co_await worker_->release_leases();
  }
  if (notifier_) notifier_->stop();
  if (directory_) directory_->stop();
  if (scheduler_) scheduler_->stop();
  if (digests_) digests_->stop();
  if (blocking_) co_await blocking_->stop();
  if (blocking_notify_) co_await blocking_notify_->stop();
  if (redis_) co_await redis_->stop();
  if (embedded_) embedded_->stop();
  if (signals_) {
    error_code ec;
    signals_->cancel(ec);
  }
  log::info("lianxin", "stopped");
  ioc_.stop();
}

void app::run() {
  std::vector<std::thread> extra;
  for (int i = 1; i < cfg_.server.threads; ++i) extra.emplace_back([this] { ioc_.run(); });
  ioc_.run();
  for (auto& t : extra) t.join();
}

}  // namespace lianxin

#pragma once
// Wires the server together explicitly (no static self-registration): config → embedded
// redis (when no URL) → Redis client → routes → HTTP server; and takes it down in order.
#include "bot/asio.hpp"
#include "bot/config/config.hpp"
#include "bot/core/metrics.hpp"
#include "bot/http/router.hpp"
#include "bot/store/keys.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace lianxin {
namespace redis {
class client;
}
namespace http {
class server;
}
namespace store {
class embedded_redis;
}
namespace ingest {
class inbox;
class webhooks;
class onebot_ws;
}
namespace api {
class auth;
class cases_api;
class stats_api;
struct settings;
}
namespace web {
class pages;
}
namespace admin {
class directory;
class roster_api;
}
namespace sandbox {
class service;
}
namespace flow {
class case_actions;
class case_store;
class digests;
class intake_worker;
class notifier;
class scheduler;
}
namespace domain {
struct tenant_domain;
}
namespace platforms {
struct bots;
}

class app {
 public:
  explicit app(config::config cfg);
  ~app();
  app(const app&) = delete;
  app& operator=(const app&) = delete;

  // Starts Redis (embedded or external), binds the listener and registers the routes.
  // Throws std::runtime_error / config_error with one clear line on startup problems.
  void start();
  // Runs the I/O threads; returns after request_stop() has finished the shutdown.
  void run();
  // Thread-safe and idempotent: graceful shutdown within server.shutdown_grace_ms.
  void request_stop();
  // Installs SIGINT/SIGTERM handlers that call request_stop().
  void handle_signals();

  unsigned short port() const { return port_; }
  const config::config& cfg() const { return cfg_; }
  metrics::registry& metrics() { return metrics_; }
  redis::client& redis() { return *redis_; }
  store::embedded_redis* embedded() { return embedded_.get(); }
  const store::keys& keys() const { return keys_; }
  asio::io_context& io() { return ioc_; }
  std::string redis_description() const { return redis_desc_; }
  const std::string& instance_id() const { return instance_id_; }
  // The current tenant domain; a live roster edit (admin API, another instance) swaps it.
  std::shared_ptr<const domain::tenant_domain> domain() const {
    std::lock_guard l(domain_mu_);
    return domain_;
  }
  admin::directory& directory() { return *directory_; }
  const platforms::bots& bots() const { return *bots_; }
  flow::case_store& cases() { return *cases_; }
  api::auth& auth() { return *auth_; }
  flow::notifier& notifier() { return *notifier_; }
  flow::intake_worker& worker() { return *worker_; }
  flow::scheduler& scheduler() { return *scheduler_; }
  flow::digests* digests() { return digests_.get(); }
  // Moves the workflow's clock forward; only with "scheduler": {"test_clock": true}.
  void advance_clock(std::int64_t seconds);
  // Unix seconds as the workflow sees them (a test clock may shift it).
  std::int64_t now() const;

 private:
  void add_routes();
  awaitable<void> announce_ready();
  awaitable<void> shutdown_sequence();
  // Loads the roster from Redis (seeding it from the files the first time), then starts the
  // workers that act on it, and follows later changes.
  awaitable<void> boot_directory();
  // Why chat messages are not being worked through although Redis answers ("" when they are).
  void set_blocked(std::string why) {
    std::lock_guard l(blocked_mu_);
    blocked_ = std::move(why);
  }
  std::string blocked() const {
    std::lock_guard l(blocked_mu_);
    return blocked_;
  }

  config::config cfg_;
  asio::io_context ioc_;
  metrics::registry metrics_;
  store::keys keys_;
  http::router router_;
  std::unique_ptr<http::server> server_;
  std::shared_ptr<redis::client> redis_;
  std::unique_ptr<store::embedded_redis> embedded_;
  std::shared_ptr<redis::client> blocking_;
  std::shared_ptr<redis::client> blocking_notify_;
  std::unique_ptr<platforms::bots> bots_;
  mutable std::mutex domain_mu_;
  std::shared_ptr<const domain::tenant_domain> domain_;
  std::unique_ptr<admin::directory> directory_;
  std::unique_ptr<admin::roster_api> roster_api_;
  std::unique_ptr<ingest::inbox> inbox_;
  std::unique_ptr<ingest::webhooks> webhooks_;
  std::unique_ptr<ingest::onebot_ws> onebot_ws_;  // before notifier_: the outbox sends through it
  std::unique_ptr<flow::case_store> cases_;
  std::unique_ptr<flow::case_actions> actions_;
  std::unique_ptr<api::settings> api_settings_;
  std::unique_ptr<api::auth> auth_;
  std::unique_ptr<api::cases_api> cases_api_;
  std::unique_ptr<api::stats_api> stats_api_;
  std::unique_ptr<web::pages> pages_;
  std::unique_ptr<sandbox::service> sandbox_;  // only when sandbox.enabled
  std::unique_ptr<flow::intake_worker> worker_;
  std::unique_ptr<flow::notifier> notifier_;
  std::unique_ptr<flow::scheduler> scheduler_;
  std::unique_ptr<flow::digests> digests_;  // only when digests.enabled
  bool test_clock_ = false;
  std::atomic<std::int64_t> clock_offset_{0};
  std::string instance_id_;
  std::unique_ptr<boost::asio::signal_set> signals_;
  std::string redis_desc_;
  unsigned short port_ = 0;
  std::atomic<bool> stop_requested_{false};
  mutable std::mutex blocked_mu_;
  std::string blocked_;
  std::atomic<bool> started_{false};
};

}  // namespace lianxin

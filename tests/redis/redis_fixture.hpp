#pragma once
// Fixture for the redis tier: the shared redis-server (flushed before every test), an
// io_context driven by the test thread, and clients that are stopped after the test.
#include "bot/redis/client.hpp"
#include "support/redis_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <ostream>
#include <stdexcept>

namespace lianxin::redis {

using namespace std::chrono_literals;
using args = std::vector<std::string>;

// Readable gtest failures for values and replies.
inline void PrintTo(const value& v, std::ostream* os) { *os << v.debug_string(); }
inline void PrintTo(const reply& r, std::ostream* os) {
  *os << (r.ec ? r.error_message() : r.v.debug_string());
}

class redis_fixture : public ::testing::Test {
 public:
  void SetUp() override { test::redis_server::shared().flush(); }
  void TearDown() override { stop_all(); }
  // Call at the end of a test whose observers capture its locals: stop() reports "down".
  void stop_all() {
    for (auto& c : clients_) run(c->stop());
    clients_.clear();
  }

  test::redis_server& server() { return test::redis_server::shared(); }

  // A started and connected client for `url`.
  std::shared_ptr<client> connect(const std::string& url, observer obs = {}, bool must_connect = true,
                                  std::optional<std::chrono::milliseconds> command_timeout = {}) {
    auto parsed = parse_url(url);
    if (command_timeout) parsed.opt.command_timeout = *command_timeout;
    EXPECT_TRUE(parsed.ok()) << parsed.error;
    parsed.opt.reconnect_min = 20ms;
    parsed.opt.reconnect_max = 200ms;
    auto c = client::create(io_.get_executor(), parsed.opt, std::move(obs));
    clients_.push_back(c);
    c->start();
    if (must_connect) {
      EXPECT_TRUE(run(c->wait_connected(5s))) << c->last_error();
    }
    return c;
  }

  // Drives the io_context until the coroutine finishes (the client's loops never run out of work).
  template <class T>
  T run(awaitable<T> a) {
    std::optional<T> out;
    asio::co_spawn(io_, std::move(a), [&](std::exception_ptr e, T v) {
      if (e) std::rethrow_exception(e);
      out = std::move(v);
    });
    drive([&] { return out.has_value(); });
    if (!out) throw std::runtime_error("test coroutine did not finish within 30s");
    return std::move(*out);
  }
  void run(awaitable<void> a) {
    bool done = false;
    asio::co_spawn(io_, std::move(a), [&](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
      done = true;
    });
    drive([&] { return done; });
  }
  template <class F>
  void drive(F done, std::chrono::seconds limit = 30s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      // Out of work (e.g. every client stopped) leaves the context stopped; new work needs a restart.
      if (io_.stopped()) io_.restart();
      io_.run_one_for(10ms);
    }
  }

  asio::io_context io_;
  std::vector<std::shared_ptr<client>> clients_;
};

}  // namespace lianxin::redis

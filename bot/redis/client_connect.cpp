// The connection's life: start, the supervisor that (re)connects with backoff, connecting
// with a deadline, the AUTH/SELECT handshake, stop.
#include "bot/redis/client.hpp"

#include "bot/redis/client_detail.hpp"
#include "bot/redis/sentinel.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>

namespace lianxin::redis {

void client::start() {
  asio::post(strand_, [self = shared_from_this()] {
    if (self->started_ || self->stopping_) return;
    self->started_ = true;
    asio::co_spawn(self->strand_, self->supervise(), asio::detached);
  });
}

awaitable<void> client::stop() {
  // The lambda is a named local: g++ 12 destroys a lambda temporary inside a co_await
  // expression twice, which here released `self` once too often.
  auto self = shared_from_this();
  auto op = [self]() -> awaitable<void> {
    self->do_stop();
    co_return;
  };
  co_await asio::co_spawn(strand_, std::move(op), asio::use_awaitable);
}

void client::do_stop() {
  stopping_ = true;
  backoff_timer_.cancel();
  for (auto& w : connect_waiters_) w->cancel();
  connect_waiters_.clear();
  if (conn_) drop(conn_, errc::stopped, "client stopped");
  connected_ = false;
  set_last_error("client stopped");
}

awaitable<bool> client::wait_connected(duration max) {
  auto self = shared_from_this();
  auto op = [self, max]() -> awaitable<bool> {
    if (self->ready_ || self->stopping_) co_return self->ready_;
    auto t = std::make_shared<asio::steady_timer>(self->strand_, max);
    self->connect_waiters_.push_back(t);
    co_await t->async_wait(use_nothrow);
    std::erase(self->connect_waiters_, t);
    co_return self->ready_;
  };
  co_return co_await asio::co_spawn(strand_, std::move(op), asio::use_awaitable);
}

client::duration client::jittered(duration d) {
  // Equal jitter: never less than half the backoff, so a crowd of clients spreads out
  // without any of them hammering a recovering server.
  auto half = d.count() / 2;
  std::uniform_int_distribution<long long> dist(0, half > 0 ? half : 0);
  return duration(d.count() - half + dist(rng_));
}

awaitable<void> client::supervise() {
  auto self = shared_from_this();
  duration delay = opt_.reconnect_min;
  while (!stopping_) {
    std::string err = co_await connect_once();
    if (err.empty()) {
      delay = opt_.reconnect_min;
      if (auto c = conn_) {
        c->closed.expires_at(std::chrono::steady_clock::time_point::max());
        co_await c->closed.async_wait(use_nothrow);  // until drop()
      }
    }
    if (stopping_) break;
    backoff_timer_.expires_after(jittered(delay));
    co_await backoff_timer_.async_wait(use_nothrow);
    delay = std::min(delay * 2, opt_.reconnect_max);
  }
}

awaitable<std::string> client::connect_once() {
  auto c = std::make_shared<connection>(strand_);
  conn_ = c;
  auto deadline = std::chrono::steady_clock::now() + opt_.connect_timeout;
  // One deadline for resolve + connect + handshake: closing the socket aborts whichever
  // operation is pending.
  auto timed_out = std::make_shared<bool>(false);
  asio::steady_timer guard(strand_, opt_.connect_timeout);
  guard.async_wait([c, timed_out](error_code ec) {
    if (ec) return;
    *timed_out = true;
    error_code ignored;
    c->socket.close(ignored);
  });

  std::string err = co_await open_socket(c->socket, deadline);
  if (err.empty() && !*timed_out && c == conn_) {
    asio::co_spawn(strand_, read_loop(c), asio::detached);
    auto left = std::chrono::duration_cast<duration>(deadline - std::chrono::steady_clock::now());
    err = co_await handshake(c, std::max(left, duration(1)));
  }
  guard.cancel();
  if (*timed_out) err = "connect timeout after " + std::to_string(opt_.connect_timeout.count()) + "ms";
  if (err.empty() && c != conn_) err = stopping_ ? "client stopped" : last_error();
  if (!err.empty()) {
    drop(c, errc::disconnected, err);
    set_last_error(err);
    co_return err;
  }
  ready_ = true;
  connected_ = true;
  set_last_error({});
  for (auto& w : connect_waiters_) w->cancel();
  connect_waiters_.clear();
  if (obs_.on_state) obs_.on_state(true, {});
  co_return std::string();
}

awaitable<std::string> client::open_socket(socket_type& s, std::chrono::steady_clock::time_point deadline) {
  using generic_endpoint = asio::generic::stream_protocol::endpoint;
  if (const auto* u = std::get_if<unix_endpoint>(&opt_.where)) {
    auto [ec] = co_await s.async_connect(generic_endpoint(asio::local::stream_protocol::endpoint(u->path)),
                                         use_nothrow);
    co_return ec ? describe(ec) : std::string();
  }
  tcp_endpoint target;
  if (const auto* t = std::get_if<tcp_endpoint>(&opt_.where)) {
    target = *t;
  } else {
    auto left = std::chrono::duration_cast<duration>(deadline - std::chrono::steady_clock::now());
    auto found = co_await ask_sentinels(strand_, std::get<sentinel_endpoint>(opt_.where), opt_, left);
    if (!found.error.empty()) co_return found.error;
    target = found.master;
  }
  asio::ip::tcp::resolver resolver(strand_);
  auto [rec, results] = co_await resolver.async_resolve(target.host, std::to_string(target.port), use_nothrow);
  if (rec) co_return "cannot resolve " + target.host + ": " + describe(rec);
  std::string err = "no address for " + target.host;
  for (const auto& entry : results) {
    error_code ignored;
    s.close(ignored);
    auto [ec] = co_await s.async_connect(generic_endpoint(entry.endpoint()), use_nothrow);
    if (!ec) {
      // Pipelined writes are small and latency-bound: never let Nagle hold them back.
      s.set_option(asio::ip::tcp::no_delay(true), ignored);
      co_return std::string();
    }
    err = describe(ec);
    if (std::chrono::steady_clock::now() >= deadline) break;
  }
  co_return err;
}

awaitable<std::string> client::handshake(const std::shared_ptr<connection>& c, duration left) {
  std::vector<std::vector<std::string>> cmds;
  if (!opt_.password.empty()) {
    std::vector<std::string> auth{"AUTH"};
    if (!opt_.username.empty()) auth.push_back(opt_.username);
    auth.push_back(opt_.password);
    cmds.push_back(std::move(auth));
  }
  if (opt_.db != 0) {
    std::vector<std::string> select{"SELECT", std::to_string(opt_.db)};
    cmds.push_back(std::move(select));
  }
  // PING proves the peer speaks Redis and, without a password, turns a server that wants one
  // into a precise "NOAUTH" error now instead of on the first real command.
  std::vector<std::string> ping{"PING"};
  cmds.push_back(std::move(ping));
  auto names = cmds;
  auto replies = co_await run_batch(std::move(cmds), left, true);
  if (c != conn_) co_return last_error();
  for (std::size_t i = 0; i < replies.size(); ++i) {
    if (!replies[i].ok()) co_return names[i].front() + " failed: " + replies[i].error_message();
  }
  co_return std::string();
}

}  // namespace lianxin::redis

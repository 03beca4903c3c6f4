#include "bot/redis/client.hpp"

#include "bot/redis/client_detail.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/write.hpp>

namespace lianxin::redis {

std::shared_ptr<client> client::create(asio::any_io_executor ex, options opt, observer obs) {
  return std::make_shared<client>(std::move(ex), std::move(opt), std::move(obs));
}

client::client(asio::any_io_executor ex, options opt, observer obs)
    : strand_(asio::make_strand(std::move(ex))),
      opt_(std::move(opt)),
      where_(to_string(opt_.where)),
      obs_(std::move(obs)),
      backoff_timer_(strand_),
      rng_(std::random_device{}()),
      last_error_("not connected yet") {}

client::~client() = default;

std::string client::last_error() const {
  std::lock_guard lock(error_mu_);
  return last_error_;
}

void client::set_last_error(std::string e) {
  std::lock_guard lock(error_mu_);
  last_error_ = std::move(e);
}

std::string client::unavailable_detail() const { return last_error() + " (" + where_ + ")"; }

awaitable<reply> client::exec(std::vector<std::string> args, std::optional<duration> timeout) {
  std::vector<std::vector<std::string>> cmds;
  cmds.push_back(std::move(args));
  auto replies = co_await exec_many(std::move(cmds), timeout);
  co_return std::move(replies.front());
}

awaitable<std::vector<reply>> client::exec_many(std::vector<std::vector<std::string>> cmds,
                                                std::optional<duration> timeout) {
  // g++ 12 mis-destroys temporaries built inside a co_await expression (lambdas, braced
  // lists): build the operation first, then await it.
  auto self = shared_from_this();
  auto op = self->run_batch(std::move(cmds), timeout.value_or(opt_.command_timeout), false);
  co_return co_await asio::co_spawn(strand_, std::move(op), asio::use_awaitable);
}

awaitable<reply> client::eval(const script& s, std::vector<std::string> keys, std::vector<std::string> args,
                              std::optional<duration> timeout) {
  std::vector<std::string> cmd;
  cmd.reserve(3 + keys.size() + args.size());
  cmd.push_back("EVALSHA");
  cmd.push_back(s.sha1());
  cmd.push_back(std::to_string(keys.size()));
  for (auto& k : keys) cmd.push_back(std::move(k));
  for (auto& a : args) cmd.push_back(std::move(a));
  reply r = co_await exec(cmd, timeout);
  if (!r.ec && r.v.error_code() == "NOSCRIPT") {
    // The server lost its script cache (restart, SCRIPT FLUSH, failover): EVAL runs the
    // script and caches it again, in one round trip.
    cmd[0] = "EVAL";
    cmd[1] = s.source();
    r = co_await exec(std::move(cmd), timeout);
  }
  co_return r;
}

// Runs on the strand.
awaitable<std::vector<reply>> client::run_batch(std::vector<std::vector<std::string>> cmds, duration timeout,
                                                bool internal) {
  auto b = std::make_shared<batch>(strand_, cmds.size());
  if (!internal) {
    b->names.reserve(cmds.size());
    for (const auto& c : cmds) b->names.push_back(c.empty() ? std::string() : c.front());
  }
  for (std::size_t i = 0; i < cmds.size(); ++i) {
    slot s{b, i};
    if (stopping_) {
      complete(s, reply::failure(errc::stopped, where_));
    } else if (!internal && !ready_) {
      complete(s, reply::failure(errc::unavailable, unavailable_detail()));
    } else if (request_id id = pipe_.enqueue(cmds[i]); id == 0) {
      complete(s, reply{{}, {}, value::error("ERR empty command")});
    } else {
      slots_.emplace(id, std::move(s));
    }
  }
  if (b->remaining > 0) {
    if (!internal && obs_.on_round_trip) obs_.on_round_trip(cmds.size());
    flush();
    b->timer.expires_after(timeout);
    co_await b->timer.async_wait(use_nothrow);
    bool timed_out = false;
    for (std::size_t i = 0; i < cmds.size(); ++i) {
      if (b->done[i]) continue;
      timed_out = true;
      // The slot stays in slots_ so the late reply is matched and dropped; FIFO order holds.
      std::string what = cmds[i].empty() ? std::string("command") : cmds[i].front();
      complete({b, i}, reply::failure(errc::timeout, "no reply to " + what + " within " +
                                                         std::to_string(timeout.count()) + "ms (" + where_ + ")"));
    }
    // Everything queued behind a stuck reply would wait for it too: when the connection has
    // been silent for the whole timeout, drop it and let the supervisor reconnect.
    if (timed_out && conn_ && ready_ && std::chrono::steady_clock::now() - conn_->last_read >= timeout) {
      drop(conn_, errc::timeout, "no reply for " + std::to_string(timeout.count()) + "ms, reconnecting");
    }
  }
  co_return std::move(b->results);
}

void client::complete(const slot& s, reply r) {
  batch& b = *s.b;
  if (b.done[s.index]) return;
  if (!b.names.empty() && obs_.on_command) {
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - b.started;
    obs_.on_command(b.names[s.index], took.count(), r.ok());
  }
  b.results[s.index] = std::move(r);
  b.done[s.index] = true;
  if (--b.remaining == 0) b.timer.cancel();
}

void client::deliver(completion c) {
  auto it = slots_.find(c.id);
  if (it == slots_.end()) return;
  slot s = std::move(it->second);
  slots_.erase(it);
  complete(s, std::move(c.r));
}

void client::flush() {
  if (!conn_ || conn_->writing || !pipe_.has_output()) return;
  conn_->writing = true;
  asio::co_spawn(strand_, write_loop(conn_), asio::detached);
}

awaitable<void> client::write_loop(std::shared_ptr<connection> c) {
  auto self = shared_from_this();
  // Commands queued while a write is in progress go out together in the next one: that is
  // the whole batching strategy, and it adapts to load by itself.
  while (c == conn_ && pipe_.has_output()) {
    std::string out = pipe_.take_output();
    writes_.fetch_add(1);
    auto [ec, n] = co_await asio::async_write(c->socket, asio::buffer(out), use_nothrow);
    if (ec) {
      drop(c, errc::disconnected, "write failed: " + describe(ec));
      break;
    }
  }
  c->writing = false;
}

awaitable<void> client::read_loop(std::shared_ptr<connection> c) {
  auto self = shared_from_this();
  std::vector<char> buf(64 * 1024);
  pipeline::feed_result fed;  // reused: its vector keeps its capacity from read to read
  for (;;) {
    auto [ec, n] = co_await c->socket.async_read_some(asio::buffer(buf), use_nothrow);
    if (c != conn_) co_return;
    c->last_read = std::chrono::steady_clock::now();
    if (ec) {
      drop(c, errc::disconnected, ec == asio::error::eof ? "connection closed by server" : describe(ec));
      co_return;
    }
    pipe_.feed(std::string_view(buf.data(), n), fed);
    for (auto& done : fed.completed) deliver(std::move(done));
    if (!fed.protocol_error.empty()) {
      drop(c, errc::protocol, fed.protocol_error);
      co_return;
    }
  }
}

void client::drop(std::shared_ptr<connection> c, errc why, const std::string& reason) {
  if (!c || c != conn_) return;
  conn_.reset();
  error_code ignored;
  c->socket.close(ignored);
  c->closed.cancel();
  bool was_ready = ready_;
  ready_ = false;
  connected_ = false;
  set_last_error(reason);
  for (auto& f : pipe_.fail_all(why, reason + " (" + where_ + ")")) deliver(std::move(f));
  if (was_ready && obs_.on_state) obs_.on_state(false, reason);
}

}  // namespace lianxin::redis

#pragma once
// The asynchronous Redis client: one connection, pipelined, owned by Asio.
//
// Every public member may be called from any thread or coroutine; the state lives on the
// client's own strand and calls hop onto it. Concurrent commands are batched into as few
// socket writes as possible and matched to replies in FIFO order by one reader loop.
//
// Failure model (the caller decides about retries; nothing is ever resent silently):
//   - while disconnected, commands fail at once with errc::unavailable and the last reason;
//   - on a disconnect, commands in flight fail with errc::disconnected (they may have run);
//   - a command without a reply within its timeout fails with errc::timeout; if the
//     connection stayed silent that whole time (hung server, stuck command) it is dropped and
//     re-established, otherwise it stays up and the late reply is discarded when it arrives;
//   - a background supervisor reconnects with jittered exponential backoff.
//
// Blocking commands (XREADGROUP BLOCK, BLPOP) stall the connection for everyone: give them a
// client of their own and a per-call timeout longer than the block time.
// bot/asio.hpp aliases boost::beast, which only exists once a Beast header is seen; declare
// the namespace so this header also compiles outside the precompiled shell (tests, tools).
namespace boost::beast {}
#include "bot/asio.hpp"
#include "bot/redis/error.hpp"
#include "bot/redis/pipeline.hpp"
#include "bot/redis/script.hpp"
#include "bot/redis/url.hpp"
#include "bot/redis/value.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lianxin::redis {

// Plain callbacks for metrics and logs; invoked on the client's strand, so keep them cheap.
struct observer {
  // Once per user command: its name (first argument), seconds until the outcome, reply.ok().
  std::function<void(std::string_view command, double seconds, bool ok)> on_command;
  // Once per exec / exec_many / eval call that reached the server side of the pipeline: one
  // round trip as the caller experiences it (however many commands it carried).
  std::function<void(std::size_t commands)> on_round_trip;
  // Connection up (reason empty) or down (reason says why).
  std::function<void(bool up, std::string_view reason)> on_state;
};

class client : public std::enable_shared_from_this<client> {
 public:
  using duration = std::chrono::milliseconds;

  // Always owned by a shared_ptr (the background loops keep it alive until stop()).
  static std::shared_ptr<client> create(asio::any_io_executor ex, options opt, observer obs = {});
  client(asio::any_io_executor ex, options opt, observer obs = {});
  ~client();
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  // Starts connecting in the background; idempotent.
  void start();
  // Closes the connection and stops reconnecting; pending and later commands fail (stopped).
  awaitable<void> stop();

  // One command, binary safe: {"SET", key, value}. `timeout` defaults to options.command_timeout.
  awaitable<reply> exec(std::vector<std::string> args, std::optional<duration> timeout = {});
  // Several commands in one write and one round trip (not a transaction: wrap in MULTI/EXEC
  // for that). One reply per command, same order; the timeout covers the whole batch.
  awaitable<std::vector<reply>> exec_many(std::vector<std::vector<std::string>> cmds,
                                          std::optional<duration> timeout = {});
  // EVALSHA; on NOSCRIPT, EVAL with the source once (which also caches it again).
  awaitable<reply> eval(const script& s, std::vector<std::string> keys, std::vector<std::string> args,
                        std::optional<duration> timeout = {});

  // True once connected (AUTH and SELECT done), false if `max` passes or the client stops.
  awaitable<bool> wait_connected(duration max);
  bool connected() const { return connected_.load(); }
  // Why the client is or was last down ("connection refused"); empty if never failed.
  std::string last_error() const;
  // Socket writes so far: pipelining shows as far fewer writes than commands.
  std::uint64_t write_count() const { return writes_.load(); }
  const options& opts() const { return opt_; }

 private:
  using strand_type = asio::strand<asio::any_io_executor>;
  using socket_type = asio::generic::stream_protocol::socket;
  struct connection;
  struct batch;
  struct slot {
    std::shared_ptr<batch> b;
    std::size_t index = 0;
  };

  awaitable<std::vector<reply>> run_batch(std::vector<std::vector<std::string>> cmds, duration timeout,
                                          bool internal);
  void complete(const slot& s, reply r);
  void deliver(completion c);
  void flush();
  awaitable<void> write_loop(std::shared_ptr<connection> c);
  awaitable<void> read_loop(std::shared_ptr<connection> c);
  void drop(std::shared_ptr<connection> c, errc why, const std::string& reason);  // by value: callers pass conn_
  void set_last_error(std::string e);
  std::string unavailable_detail() const;

  // client_connect.cpp: the supervisor, connecting and the handshake.
  awaitable<void> supervise();
  awaitable<std::string> connect_once();
  awaitable<std::string> open_socket(socket_type& s, std::chrono::steady_clock::time_point deadline);
  awaitable<std::string> handshake(const std::shared_ptr<connection>& c, duration left);
  void do_stop();
  duration jittered(duration d);

  strand_type strand_;
  const options opt_;
  const std::string where_;
  observer obs_;
  pipeline pipe_;
  std::unordered_map<request_id, slot> slots_;
  std::shared_ptr<connection> conn_;  // current socket, also while handshaking
  bool ready_ = false;                // handshake done on conn_
  bool started_ = false;
  bool stopping_ = false;
  asio::steady_timer backoff_timer_;
  std::vector<std::shared_ptr<asio::steady_timer>> connect_waiters_;
  std::minstd_rand rng_;
  std::atomic<bool> connected_{false};
  std::atomic<std::uint64_t> writes_{0};
  mutable std::mutex error_mu_;
  std::string last_error_;
};

}  // namespace lianxin::redis

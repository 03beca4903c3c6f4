#pragma once
// The HTTP/1.1 server: keep-alive sessions as C++20 coroutines, one strand per connection,
// limits and deadlines on every read (slow-loris safe), request smuggling rejected, graceful
// shutdown that lets in-flight requests finish within a deadline.
#include "bot/asio.hpp"
#include "bot/core/metrics.hpp"
#include "bot/http/router.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>

namespace lianxin::http {

struct server_limits {
  std::size_t header_limit = 8 * 1024;
  std::uint64_t body_limit = 1024 * 1024;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds request_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::size_t max_connections = 10'000;
};

class server {
 public:
  server(asio::io_context& ioc, server_limits limits, const router& routes, metrics::registry& metrics);
  ~server();

  // Binds "HOST:PORT" (port 0 picks a free one). Throws std::runtime_error naming the problem.
  asio::ip::tcp::endpoint listen(const std::string& host_port);
  void start();
  // Stops accepting, closes idle connections, lets busy ones answer, then closes the rest.
  awaitable<void> shutdown(std::chrono::milliseconds grace);

  std::size_t open_connections() const { return open_.load(); }
  std::size_t busy_connections() const { return busy_.load(); }

 private:
  struct connection;
  awaitable<void> accept_loop();
  awaitable<void> session(std::shared_ptr<connection> c);
  void close_idle(bool force);

  asio::io_context& ioc_;
  server_limits limits_;
  const router& routes_;
  metrics::registry& metrics_;
  asio::ip::tcp::acceptor acceptor_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> open_{0};
  std::atomic<std::size_t> busy_{0};
  std::mutex conns_mutex_;
  std::map<std::uint64_t, std::weak_ptr<connection>> conns_;
  std::uint64_t next_id_ = 0;
};

// Parses "host:port" / "[v6]:port". Throws std::runtime_error.
asio::ip::tcp::endpoint parse_endpoint(const std::string& host_port);

}  // namespace lianxin::http

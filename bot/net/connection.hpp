#pragma once
// One pooled client connection (internal to http_client): a plain or TLS stream, its read
// buffer, and the strand every operation on it runs on. Beast streams are not thread-safe and
// their timeout timers fire on the stream's executor, so the strand is what keeps a
// multi-threaded io_context from racing a timeout against a read.
#include "bot/asio.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace lianxin::net {

struct connection {
  using tls_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

  connection(std::string o, asio::any_io_executor s) : origin(std::move(o)), strand(std::move(s)) {}

  void create(asio::ssl::context* tls) {
    if (tls) secure = std::make_unique<tls_stream>(strand, *tls);
    else plain = std::make_unique<boost::beast::tcp_stream>(strand);
  }
  bool is_tls() const { return secure != nullptr; }
  bool is_open() const { return (plain || secure) && !closed; }
  boost::beast::tcp_stream& tcp() { return secure ? boost::beast::get_lowest_layer(*secure) : *plain; }
  // No TLS close_notify: the pool drops connections it no longer trusts, and a peer that
  // misses the alert loses nothing (every response is length-delimited).
  void close() {
    closed = true;
    if (plain || secure) {
      error_code ignored;
      tcp().socket().close(ignored);
    }
  }
  // An idle keep-alive socket should have nothing to read. EOF means the server closed it; any
  // bytes (a stray response, a TLS alert) mean it is not safe to reuse either.
  bool peer_closed();

  const std::string origin;
  const asio::any_io_executor strand;
  std::unique_ptr<boost::beast::tcp_stream> plain;
  std::unique_ptr<tls_stream> secure;
  boost::beast::flat_buffer buffer;
  std::chrono::steady_clock::time_point idle_since;
  bool closed = false;
};

}  // namespace lianxin::net

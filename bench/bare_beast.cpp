// The physical limit for bench/compare.sh (issue 9, item 2): the smallest Boost.Beast HTTP/1.1
// keep-alive server that reads each request whole (headers and body, as Lianxin does) and
// answers 204 — no routing, no parsing of the body, no Redis. Same Asio/Beast, same C++20
// coroutines, same number of I/O threads as Lianxin (1 unless told), so the difference to
// Lianxin is the work Lianxin does per event.
//   bare_beast PORT [THREADS]      prints "ready PORT" once listening (PORT 0 = pick one)
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

asio::awaitable<void> session(tcp::socket sock) {
  boost::beast::tcp_stream stream(std::move(sock));
  boost::beast::flat_buffer buf;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(1024 * 1024);
    boost::system::error_code ec;
    co_await http::async_read(stream, buf, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    const auto& req = parser.get();
    http::response<http::empty_body> res{http::status::no_content, req.version()};
    res.keep_alive(req.keep_alive());
    co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
    if (ec || !req.keep_alive()) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> listen(tcp::acceptor& acc) {
  for (;;) {
    boost::system::error_code ec;
    tcp::socket sock(acc.get_executor());
    co_await acc.async_accept(sock, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    sock.set_option(tcp::no_delay(true));
    asio::co_spawn(acc.get_executor(), session(std::move(sock)), asio::detached);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const unsigned short port = argc > 1 ? static_cast<unsigned short>(std::atoi(argv[1])) : 0;
  const int threads = argc > 2 ? std::max(1, std::atoi(argv[2])) : 1;
  asio::io_context ioc(threads);
  tcp::acceptor acc(ioc, {asio::ip::make_address("127.0.0.1"), port});
  acc.listen(1024);
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](auto, auto) { ioc.stop(); });
  asio::co_spawn(ioc, listen(acc), asio::detached);
  std::printf("ready %u\n", static_cast<unsigned>(acc.local_endpoint().port()));
  std::fflush(stdout);
  std::vector<std::thread> extra;
  for (int i = 1; i < threads; ++i) extra.emplace_back([&] { ioc.run(); });
  ioc.run();
  for (auto& t : extra) t.join();
}

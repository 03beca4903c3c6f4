#include "bot/redis/sentinel.hpp"

#include "bot/redis/pipeline.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <charconv>

namespace lianxin::redis {

namespace {

std::string describe_ec(const error_code& ec) { return ec.message(); }

// One sentinel, one question, over a short-lived socket. Errors come back as text.
awaitable<sentinel_result> ask_one(asio::any_io_executor ex, const tcp_endpoint& s, const std::string& master,
                                   std::chrono::milliseconds budget) {
  sentinel_result out;
  auto sock = std::make_shared<asio::ip::tcp::socket>(ex);
  auto timed_out = std::make_shared<bool>(false);
  asio::steady_timer guard(ex, budget);
  guard.async_wait([sock, timed_out](error_code ec) {
    if (ec) return;
    *timed_out = true;
    error_code ignored;
    sock->close(ignored);
  });
  asio::ip::tcp::resolver resolver(ex);
  auto [rec, results] = co_await resolver.async_resolve(s.host, std::to_string(s.port), use_nothrow);
  if (rec) {
    out.error = "cannot resolve " + s.host + ": " + describe_ec(rec);
    co_return out;
  }
  auto [cec, ep] = co_await asio::async_connect(*sock, results, use_nothrow);
  if (cec) {
    out.error = *timed_out ? "timeout" : describe_ec(cec);
    co_return out;
  }
  pipeline p;
  std::vector<std::string> cmd{"SENTINEL", "get-master-addr-by-name", master};
  p.enqueue(cmd);
  std::string bytes = p.take_output();
  auto [wec, wn] = co_await asio::async_write(*sock, asio::buffer(bytes), use_nothrow);
  if (wec) {
    out.error = *timed_out ? "timeout" : describe_ec(wec);
    co_return out;
  }
  char buf[4096];
  for (;;) {
    auto [ec, n] = co_await sock->async_read_some(asio::buffer(buf), use_nothrow);
    if (ec) {
      out.error = *timed_out ? "timeout" : describe_ec(ec);
      co_return out;
    }
    auto fed = p.feed(std::string_view(buf, n));
    if (!fed.protocol_error.empty()) {
      out.error = fed.protocol_error;
      co_return out;
    }
    if (fed.completed.empty()) continue;
    const value& v = fed.completed.front().r.v;
    guard.cancel();
    if (v.is_nil()) {
      out.error = "does not know master '" + master + "'";
    } else if (!v.is_array() || v.size() != 2 || !v[0].is_string() || !v[1].as_integer()) {
      out.error = "unexpected answer " + v.debug_string();
    } else {
      out.master.host = v[0].text();
      out.master.port = static_cast<std::uint16_t>(*v[1].as_integer());
    }
    co_return out;
  }
}

}  // namespace

awaitable<sentinel_result> ask_sentinels(asio::any_io_executor ex, const sentinel_endpoint& where,
                                         const options& opt, std::chrono::milliseconds budget) {
  (void)opt;
  sentinel_result out;
  std::string errors;
  auto deadline = std::chrono::steady_clock::now() + budget;
  for (const auto& s : where.sentinels) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    auto r = co_await ask_one(ex, s, where.master, left);
    if (r.error.empty()) co_return r;
    errors += (errors.empty() ? "" : "; ") + s.host + ":" + std::to_string(s.port) + ": " + r.error;
  }
  out.error = "no sentinel answered for master '" + where.master + "' (" + (errors.empty() ? "timeout" : errors) + ")";
  co_return out;
}

}  // namespace lianxin::redis

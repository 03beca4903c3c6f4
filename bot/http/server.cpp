#include "bot/http/server.hpp"

#include "bot/core/log.hpp"
#include "bot/http/upgrade.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <random>

namespace lianxin::http {
namespace {

using tcp = asio::ip::tcp;
using clock = std::chrono::steady_clock;

std::string new_request_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char* hex = "0123456789abcdef";
  std::uint64_t v = rng();
  std::string s(12, '0');
  for (auto& c : s) {
    c = hex[v & 15];
    v >>= 4;
  }
  return s;
}

bool sane_request_id(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

// The minimal answer for a request we refuse before it was fully read: always closes.
response refusal(unsigned status, std::string_view code, std::string_view message) {
  request dummy;
  dummy.version(11);
  auto res = error_response(dummy, status, code, message);
  res.keep_alive(false);
  return res;
}

}  // namespace

struct server::connection {
  connection(tcp::socket s) : stream(std::move(s)), ex(stream.get_executor()) {}
  beast::tcp_stream stream;
  asio::any_io_executor ex;  // the connection's strand (stays valid when an upgrade takes the stream)
  bool busy = false;       // touched only on the connection's strand
  bool closing = false;    // ditto
  bool upgrading = false;  // an upgrade handler runs: the stream may have been moved out
  bool upgraded = false;   // it took the connection: shutdown goes through ws_close
  std::function<void(bool force)> ws_close;
};

asio::ip::tcp::endpoint parse_endpoint(const std::string& host_port) {
  auto colon = host_port.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("listen address \"" + host_port + "\" must be HOST:PORT");
  std::string host = host_port.substr(0, colon);
  std::string port_s = host_port.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty() || host == "*") host = "0.0.0.0";
  if (host == "localhost") host = "127.0.0.1";
  unsigned port = 0;
  try {
    std::size_t used = 0;
    port = static_cast<unsigned>(std::stoul(port_s, &used));
    if (used != port_s.size() || port > 65535) throw std::out_of_range("port");
  } catch (const std::exception&) {
    throw std::runtime_error("listen address \"" + host_port + "\": bad port");
  }
  error_code ec;
  auto addr = asio::ip::make_address(host, ec);
  if (ec) throw std::runtime_error("listen address \"" + host_port + "\": bad host (use an IP address)");
  return {addr, static_cast<unsigned short>(port)};
}

server::server(asio::io_context& ioc, server_limits limits, const router& routes, metrics::registry& metrics)
    : ioc_(ioc), limits_(limits), routes_(routes), metrics_(metrics), acceptor_(ioc) {
  metrics_.describe_counter("lx_http_requests_total", "HTTP requests by route, method and status");
  metrics_.describe_histogram("lx_http_request_duration_seconds", "Time from the first header byte to the response",
                              metrics::registry::latency_buckets());
  metrics_.describe_gauge("lx_http_open_connections", "Open HTTP connections");
  metrics_.describe_counter("lx_http_rejected_total", "Requests refused before routing, by reason");
  metrics_.describe_gauge("lx_http_websockets", "Connections upgraded to WebSocket (also counted as open connections)");
}

server::~server() = default;

tcp::endpoint server::listen(const std::string& host_port) {
  auto ep = parse_endpoint(host_port);
  error_code ec;
  acceptor_.open(ep.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(ep, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("cannot listen on " + host_port + ": " + ec.message());
  return acceptor_.local_endpoint();
}

void server::start() { asio::co_spawn(acceptor_.get_executor(), accept_loop(), asio::detached); }

awaitable<void> server::accept_loop() {
  for (;;) {
    auto [ec, sock] = co_await acceptor_.async_accept(asio::make_strand(ioc_), use_nothrow);
    if (stopping_) break;
    if (ec) {
      if (ec == asio::error::operation_aborted) break;
      // EMFILE and friends: back off briefly instead of spinning.
      log::warn("http", "accept failed: ", ec.message());
      asio::steady_timer t(acceptor_.get_executor(), std::chrono::milliseconds(50));
      co_await t.async_wait(use_nothrow);
      continue;
    }
    if (open_.load() >= limits_.max_connections) {
      metrics_.inc("lx_http_rejected_total", {{"reason", "max_connections"}});
      sock.close(ec);
      continue;
    }
    auto c = std::make_shared<connection>(std::move(sock));
    {
      std::lock_guard lock(conns_mutex_);
      conns_[next_id_++] = c;
    }
    ++open_;
    metrics_.add("lx_http_open_connections", {}, 1);
    auto ex = c->stream.get_executor();
    asio::co_spawn(ex, session(std::move(c)), asio::detached);
  }
}

awaitable<void> server::session(std::shared_ptr<connection> c) {
  auto& stream = c->stream;
  beast::flat_buffer buf;
  std::string remote;
  {
    error_code ec;
    auto ep = stream.socket().remote_endpoint(ec);
    if (!ec) remote = ep.address().to_string();
  }
  bool first = true;
  bool taken = false;  // an upgrade handler took the connection and has finished with it
  for (;;) {
    if (c->closing || stopping_) break;
    // Wait for the first byte of the next request under the idle (or header) deadline.
    if (buf.size() == 0) {
      stream.expires_after(first ? limits_.header_timeout : limits_.idle_timeout);
      auto [ec, n] = co_await stream.async_read_some(buf.prepare(4096), use_nothrow);
      if (ec) break;
      buf.commit(n);
    }
    first = false;
    c->busy = true;
    ++busy_;
    auto start = clock::now();
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits_.header_limit));
    parser.body_limit(limits_.body_limit);
    stream.expires_at(start + limits_.header_timeout);
    std::optional<response> refused;
    std::string reason;
    bool closed = false;
    // Refusals and closes for an error while reading the header, the same whether the bytes were
    // already buffered or arrived later.
    auto header_error = [&](error_code ec) {
      if (ec == bhttp::error::header_limit) {
        refused = refusal(431, "header_too_large", "request header fields too large");
        reason = "header_limit";
      } else if (ec == bhttp::error::body_limit) {
        refused = refusal(413, "body_too_large", "request body too large");
        reason = "body_limit";
      } else if (ec == beast::error::timeout || ec == asio::error::eof || ec == bhttp::error::end_of_stream ||
                 ec == asio::error::connection_reset || ec == asio::error::operation_aborted) {
        metrics_.inc("lx_http_rejected_total", {{"reason", ec == beast::error::timeout ? "header_timeout" : "closed"}});
        closed = true;
      } else if (ec) {
        refused = refusal(400, "bad_request", "malformed request: " + ec.message());
        reason = "malformed";
      }
    };
    // The refusal for a body that cannot be read (too large, or malformed), buffered or not.
    auto body_refusal = [&](error_code ec) {
      if (ec == bhttp::error::body_limit) {
        refused = refusal(413, "body_too_large", "request body too large");
        reason = "body_limit";
      } else {
        refused = refusal(400, "bad_request", "malformed request body: " + ec.message());
        reason = "malformed";
      }
    };
    // The usual case: the whole request came with the first read. Parse it from the buffer
    // at once; the asynchronous reads below (with their deadlines) only run for what is
    // still missing.
    {
      error_code pec;
      parser.eager(true);
      while (buf.size() > 0 && !parser.is_done()) {
        auto used = parser.put(buf.data(), pec);
        buf.consume(used);
        if (pec || used == 0) break;
      }
      if (pec == bhttp::error::need_more) pec = {};
      if (pec && !parser.is_header_done()) {
        header_error(pec);
      } else if (pec) {
        body_refusal(pec);
      }
    }
    if (!refused && !closed && !parser.is_header_done()) {
      auto [ec, n] = co_await bhttp::async_read_header(stream, buf, parser, use_nothrow);
      header_error(ec);
    }
    if (closed) {
      --busy_;
      break;
    }
    if (!refused) {
      const auto& h = parser.get();
      bool has_te = h.find(bhttp::field::transfer_encoding) != h.end();
      bool has_cl = h.find(bhttp::field::content_length) != h.end();
      // Beast 1.81 accepts both; a proxy in front may disagree on the framing (smuggling).
      if (has_te && has_cl) {
        refused = refusal(400, "bad_request", "Transfer-Encoding together with Content-Length");
        reason = "te_and_cl";
      } else if (has_te && h.version() < 11) {
        refused = refusal(400, "bad_request", "Transfer-Encoding in HTTP/1.0");
        reason = "te_http10";
      } else if (has_te && !parser.chunked()) {
        refused = refusal(400, "bad_request", "Transfer-Encoding must be chunked");
        reason = "te_not_chunked";
      }
    }
    if (!refused && !parser.is_done()) {
      const auto& h = parser.get();
      if (auto e = h.find(bhttp::field::expect); e != h.end() && beast::iequals(e->value(), "100-continue")) {
        static constexpr std::string_view cont = "HTTP/1.1 100 Continue\r\n\r\n";
        co_await asio::async_write(stream, asio::buffer(cont.data(), cont.size()), use_nothrow);
      }
      stream.expires_at(start + limits_.request_timeout);
      auto [ec, n] = co_await bhttp::async_read(stream, buf, parser, use_nothrow);
      if (ec == beast::error::timeout) {
        metrics_.inc("lx_http_rejected_total", {{"reason", "request_timeout"}});
        --busy_;
        break;
      }
      if (ec == asio::error::eof || ec == bhttp::error::partial_message || ec == asio::error::connection_reset) {
        --busy_;
        break;
      }
      if (ec) body_refusal(ec);
    }

    response res;
    std::string route = "(refused)";
    std::string method = "-";
    std::string rid;
    if (refused) {
      metrics_.inc("lx_http_rejected_total", {{"reason", reason}});
      res = std::move(*refused);
      rid = new_request_id();
    } else {
      auto req = parser.release();
      method = std::string(req.method_string());
      auto incoming = req["X-Request-Id"];
      rid = sane_request_id(incoming) ? std::string(incoming) : new_request_id();
      std::string_view target = req.target();
      auto qpos = target.find('?');
      std::string path(target.substr(0, qpos));
      auto um = routes_.find_upgrade(path);
      if (path.empty() || path.front() != '/') {
        res = error_response(req, 400, "bad_request", "request target must be an absolute path");
      } else if (um.h) {
        route = um.pattern;
        if (req.method() != bhttp::verb::get || !beast::websocket::is_upgrade(req)) {
          res = error_response(req, 426, "upgrade_required", "this route only speaks WebSocket");
          res.set(bhttp::field::upgrade, "websocket");
        } else if (stopping_ || c->closing) {
          res = error_response(req, 503, "shutting_down", "server is shutting down");
        } else {
          request_context ctx{req, std::move(um.params), path,
                              qpos == std::string_view::npos ? std::string() : std::string(target.substr(qpos + 1)),
                              rid, remote, route};
          c->upgrading = true;
          upgrade_context u{ctx, stream, [this, c](std::function<void(bool)> close) {
                              c->ws_close = std::move(close);
                              if (c->upgraded) return;
                              c->upgraded = true;
                              c->busy = false;
                              --busy_;
                              metrics_.add("lx_http_websockets", {}, 1);
                            }};
          std::optional<response> refused_upgrade;
          try {
            refused_upgrade = co_await (*um.h)(u);
          } catch (const std::exception& e) {
            log::req(log::level::error, "http", rid, "upgrade handler for ", route, " threw: ", e.what());
            if (!c->upgraded) refused_upgrade = error_response(req, 500, "internal", "internal error");
          }
          if (refused_upgrade) {
            c->upgrading = false;
            res = std::move(*refused_upgrade);
            res.keep_alive(false);  // the client asked to switch protocols; it gets one answer
          } else {
            taken = true;
          }
        }
      } else {
        auto m = routes_.find(req.method(), path);
        if (!m.h) {
          route = m.status == 404 ? "(unknown)" : m.pattern;
          res = m.status == 404 ? error_response(req, 404, "not_found", "no such path")
                                : error_response(req, 405, "method_not_allowed", "method not allowed here");
          if (m.status == 405) res.set(bhttp::field::allow, m.allow);
        } else {
          route = m.pattern;
          request_context ctx{req, std::move(m.params), path,
                              qpos == std::string_view::npos ? std::string() : std::string(target.substr(qpos + 1)),
                              rid, remote, route};
          try {
            res = co_await (*m.h)(ctx);
          } catch (const std::exception& e) {
            // A handler must not throw; if one does, the client gets a 500 and we keep serving.
            log::req(log::level::error, "http", rid, "handler for ", route, " threw: ", e.what());
            res = error_response(req, 500, "internal", "internal error");
          }
        }
      }
      if (taken) {
        auto elapsed = std::chrono::duration<double>(clock::now() - start).count();
        metrics_.inc("lx_http_requests_total", {{"route", route}, {"method", method}, {"status", "101"}});
        log::req(log::level::debug, "http", rid, method, " ", route, " 101, websocket closed after ",
                 static_cast<long long>(elapsed * 1e3), "ms");
        if (c->upgraded) {
          metrics_.add("lx_http_websockets", {}, -1);
        } else {
          --busy_;  // a handler that returned without calling upgraded()
        }
        break;
      }
      if (req.method() == bhttp::verb::head) res.body().clear();
      res.keep_alive(res.keep_alive() && req.keep_alive());
    }
    if (stopping_ || c->closing) res.keep_alive(false);
    res.set("X-Request-Id", rid);
    if (res[bhttp::field::content_length].empty() && !res.chunked()) res.prepare_payload();

    stream.expires_after(limits_.request_timeout);
    auto [wec, wn] = co_await bhttp::async_write(stream, res, use_nothrow);
    auto elapsed = std::chrono::duration<double>(clock::now() - start).count();
    auto status = std::to_string(res.result_int());
    metrics_.inc("lx_http_requests_total", {{"route", route}, {"method", method}, {"status", status}});
    metrics_.observe("lx_http_request_duration_seconds", {{"route", route}}, elapsed);
    log::req(res.result_int() >= 500 ? log::level::warn : log::level::debug, "http", rid, method, " ", route, " ",
             status, " ", static_cast<int>(elapsed * 1e6), "us");
    c->busy = false;
    --busy_;
    if (wec || !res.keep_alive()) break;
  }
  error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.socket().close(ec);
  --open_;
  metrics_.add("lx_http_open_connections", {}, -1);
}

void server::close_idle(bool force) {
  std::vector<std::shared_ptr<connection>> live;
  {
    std::lock_guard lock(conns_mutex_);
    for (auto it = conns_.begin(); it != conns_.end();) {
      if (auto c = it->second.lock()) {
        live.push_back(std::move(c));
        ++it;
      } else {
        it = conns_.erase(it);
      }
    }
  }
  for (auto& c : live) {
    asio::post(c->ex, [c, force] {
      c->closing = true;
      if (c->upgraded) {
        // A WebSocket: its owner sends a close frame (force: drops the socket).
        if (c->ws_close) c->ws_close(force);
      } else if (c->upgrading) {
        // The handler is deciding (or accepting); the next round finds it upgraded or gone.
      } else if (force || !c->busy) {
        // An idle connection is waiting for a next request that must not come: cancel it.
        c->stream.cancel();
      }
    });
  }
}

awaitable<void> server::shutdown(std::chrono::milliseconds grace) {
  stopping_ = true;
  {
    error_code ec;
    asio::post(acceptor_.get_executor(), [this] {
      error_code e;
      acceptor_.close(e);
    });
  }
  auto deadline = clock::now() + grace;
  asio::steady_timer t(co_await asio::this_coro::executor);
  close_idle(false);
  while (open_.load() > 0 && clock::now() < deadline) {
    t.expires_after(std::chrono::milliseconds(20));
    co_await t.async_wait(use_nothrow);
    close_idle(false);
  }
  if (open_.load() > 0) {
    log::warn("http", open_.load(), " connection(s) still open after the ", grace.count(),
              " ms shutdown deadline; closing them");
    close_idle(true);
    for (int i = 0; i < 50 && open_.load() > 0; ++i) {
      t.expires_after(std::chrono::milliseconds(20));
      co_await t.async_wait(use_nothrow);
    }
  }
}

}  // namespace lianxin::http

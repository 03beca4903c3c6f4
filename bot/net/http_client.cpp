#include "bot/net/http_client.hpp"

#include "bot/net/connection.hpp"
#include "bot/net/tls.hpp"
#include "bot/net/url.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/http.hpp>

#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <map>
#include <mutex>

namespace lianxin::net {
namespace {

namespace http = boost::beast::http;
using clock = std::chrono::steady_clock;

http_response failed(failure f, std::string error) {
  http_response r;
  r.fail = f;
  r.error = std::move(error);
  return r;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto l = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (l(a[i]) != l(b[i])) return false;
  }
  return true;
}

failure classify_read_error(const error_code& ec) {
  if (ec == beast::error::timeout) return failure::timeout;
  if (ec == http::error::body_limit || ec == http::error::header_limit || ec == http::error::buffer_overflow) {
    return failure::too_large;
  }
  if (ec.category() == http::make_error_code(http::error::bad_version).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message) {
    return failure::protocol;
  }
  return failure::read;
}

}  // namespace

bool connection::peer_closed() {
  if (!is_open()) return true;
  char byte = 0;
  const auto n = ::recv(tcp().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return !(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
}

std::string_view to_string(failure f) {
  switch (f) {
    case failure::none: return "none";
    case failure::bad_url: return "bad_url";
    case failure::resolve: return "resolve";
    case failure::connect: return "connect";
    case failure::tls: return "tls";
    case failure::write: return "write";
    case failure::read: return "read";
    case failure::timeout: return "timeout";
    case failure::too_large: return "too_large";
    case failure::protocol: return "protocol";
  }
  return "unknown";
}

const std::string* http_response::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return &v;
  }
  return nullptr;
}

struct http_client::impl {
  impl(asio::any_io_executor e, client_options o)
      : ex(std::move(e)), opt(std::move(o)), tls(make_client_tls_context(opt.extra_ca_pem)) {}

  asio::any_io_executor ex;
  const client_options opt;
  asio::ssl::context tls;
  mutable std::mutex mu;
  std::map<std::string, std::vector<std::shared_ptr<connection>>> idle;
  std::atomic<std::uint64_t> opened{0};

  // A live idle connection for the origin, or nullptr. Expired or peer-closed ones are
  // dropped on the way (the pool is small, so scanning everything is cheap).
  std::shared_ptr<connection> checkout(const std::string& origin) {
    std::lock_guard lock(mu);
    const auto now = clock::now();
    for (auto it = idle.begin(); it != idle.end();) {
      auto& list = it->second;
      std::erase_if(list, [&](const auto& c) { return now - c->idle_since > opt.idle_expiry; });
      it = list.empty() ? idle.erase(it) : std::next(it);
    }
    auto it = idle.find(origin);
    while (it != idle.end() && !it->second.empty()) {
      auto c = std::move(it->second.back());
      it->second.pop_back();
      if (!c->peer_closed()) return c;
    }
    return nullptr;
  }

  void checkin(std::shared_ptr<connection> c) {
    c->idle_since = clock::now();
    std::lock_guard lock(mu);
    auto& list = idle[c->origin];
    if (list.size() < opt.max_idle_per_origin) list.push_back(std::move(c));
  }

  // Runs on the connection's strand: every operation on its stream and timers happens there.
  awaitable<http_response> exchange(std::shared_ptr<connection> c, const url& u, const http_request& req,
                                    clock::time_point deadline, std::string where);
  awaitable<std::string> open(connection& c, const url& u, clock::time_point deadline, failure& f);
};

awaitable<std::string> http_client::impl::open(connection& c, const url& u, clock::time_point deadline,
                                               failure& f) {
  using namespace asio::experimental::awaitable_operators;
  auto strand = co_await asio::this_coro::executor;
  asio::ip::tcp::resolver resolver(strand);
  asio::steady_timer timer(strand, deadline);
  auto raced = co_await (resolver.async_resolve(u.host, std::to_string(u.port), use_nothrow) ||
                         timer.async_wait(use_nothrow));
  if (raced.index() == 1) {
    f = failure::timeout;
    co_return "timeout resolving " + u.host;
  }
  auto [rec, endpoints] = std::get<0>(raced);
  if (rec) {
    f = failure::resolve;
    co_return "cannot resolve " + u.host + ": " + rec.message();
  }
  c.create(u.tls ? &tls : nullptr);
  opened.fetch_add(1);
  auto& tcp = c.tcp();
  tcp.expires_at(deadline);
  auto [cec, ep] = co_await tcp.async_connect(endpoints, use_nothrow);
  if (cec) {
    f = cec == beast::error::timeout ? failure::timeout : failure::connect;
    co_return "connect to " + u.origin() + ": " + (f == failure::timeout ? "timeout" : cec.message());
  }
  if (!u.tls) co_return "";
  if (!prepare_tls_session(c.secure->native_handle(), u.host, u.host_is_ip())) {
    f = failure::tls;
    co_return "tls: cannot set the expected host name " + u.host;
  }
  auto [hec] = co_await c.secure->async_handshake(asio::ssl::stream_base::client, use_nothrow);
  if (hec) {
    f = hec == beast::error::timeout ? failure::timeout : failure::tls;
    co_return "tls handshake with " + u.origin() + ": " +
        (f == failure::timeout ? std::string("timeout") : describe_tls_failure(c.secure->native_handle(), hec.message()));
  }
  co_return "";
}

awaitable<http_response> http_client::impl::exchange(std::shared_ptr<connection> c, const url& u,
                                                     const http_request& req, clock::time_point deadline,
                                                     std::string where) {
  const bool reused = c->is_open();
  if (!reused) {
    failure f = failure::none;
    std::string why = co_await open(*c, u, deadline, f);
    if (f != failure::none) co_return failed(f, std::move(why));
  }
  http::request<http::string_body> msg;
  msg.method_string(req.method);
  msg.target(u.target);
  msg.version(11);
  msg.set(http::field::host, u.port == (u.tls ? 443 : 80) ? u.host : u.host + ":" + std::to_string(u.port));
  msg.set(http::field::user_agent, opt.user_agent);
  if (!req.content_type.empty()) msg.set(http::field::content_type, req.content_type);
  for (const auto& [k, v] : req.headers) msg.insert(k, v);
  msg.body() = req.body;
  msg.keep_alive(true);
  msg.prepare_payload();

  c->tcp().expires_at(deadline);
  auto done = [&](http_response r) {
    r.reused_connection = reused;
    c->tcp().expires_never();
    return r;
  };
  error_code wec;
  if (c->is_tls()) std::tie(wec, std::ignore) = co_await http::async_write(*c->secure, msg, use_nothrow);
  else std::tie(wec, std::ignore) = co_await http::async_write(*c->plain, msg, use_nothrow);
  if (wec) {
    c->close();
    const failure f = wec == beast::error::timeout ? failure::timeout : failure::write;
    co_return done(failed(f, "writing to " + where + ": " + (f == failure::timeout ? "timeout" : wec.message())));
  }
  http::response_parser<http::string_body> parser;
  parser.body_limit(opt.body_limit);
  parser.header_limit(static_cast<std::uint32_t>(opt.header_limit));
  if (req.method == "HEAD") parser.skip(true);
  error_code rec;
  if (c->is_tls()) std::tie(rec, std::ignore) = co_await http::async_read(*c->secure, c->buffer, parser, use_nothrow);
  else std::tie(rec, std::ignore) = co_await http::async_read(*c->plain, c->buffer, parser, use_nothrow);
  if (rec) {
    c->close();
    const failure f = classify_read_error(rec);
    http_response r = failed(f, "reading the response from " + where + ": " +
                                    (f == failure::timeout ? std::string("timeout") : rec.message()));
    r.request_written = true;
    co_return done(std::move(r));
  }
  auto res = parser.release();
  http_response r;
  r.status = static_cast<int>(res.result_int());
  r.request_written = true;
  for (const auto& field : res) r.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  r.body = std::move(res.body());
  if (!res.keep_alive()) c->close();
  co_return done(std::move(r));
}

http_client::http_client(asio::any_io_executor ex, client_options opt)
    : impl_(std::make_shared<impl>(std::move(ex), std::move(opt))) {}

http_client::~http_client() { close_idle(); }

awaitable<http_response> http_client::send(http_request req) {
  auto self = impl_;  // keeps the pool alive while this call runs
  const auto deadline = clock::now() + req.timeout.value_or(self->opt.default_timeout);
  auto parsed = parse_url(req.url);
  if (!parsed.ok()) co_return failed(failure::bad_url, parsed.error);
  url u = std::move(parsed.value);
  u.target = append_query(std::move(u.target), req.query);
  const std::string where = u.origin() + redact_target(u.target);
  // One retry, only where nothing can have reached the server: a pooled socket that broke
  // while the request was being written (the server closed it a moment before).
  for (int attempt = 0;; ++attempt) {
    auto c = self->checkout(u.origin());
    if (!c) c = std::make_shared<connection>(u.origin(), asio::make_strand(self->ex));
    auto r = co_await asio::co_spawn(c->strand, self->exchange(c, u, req, deadline, where), asio::use_awaitable);
    if (r.ok()) {
      if (c->is_open()) self->checkin(std::move(c));
      co_return r;
    }
    if (attempt == 0 && r.reused_connection && !r.request_written && r.fail == failure::write) continue;
    co_return r;
  }
}

void http_client::close_idle() {
  std::lock_guard lock(impl_->mu);
  impl_->idle.clear();
}

std::size_t http_client::idle_count() const {
  std::lock_guard lock(impl_->mu);
  std::size_t n = 0;
  for (const auto& [k, v] : impl_->idle) n += v.size();
  return n;
}

std::uint64_t http_client::connections_opened() const { return impl_->opened.load(); }
const client_options& http_client::options() const { return impl_->opt; }

}  // namespace lianxin::net

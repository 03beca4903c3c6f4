#include "support/fake_platform.hpp"

#include "adapters/http_io.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <thread>

namespace lianxin::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using json = nlohmann::json;
using clock = std::chrono::steady_clock;
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::string platform_of(std::string_view path) {
  if (starts_with(path, "/send_")) return "onebot";
  if (starts_with(path, "/app/") || starts_with(path, "/v2/")) return "qq";
  if (path == "/cgi-bin/token" || starts_with(path, "/cgi-bin/message/custom")) return "wechat";
  if (starts_with(path, "/cgi-bin/")) return "wecom";
  return "unknown";
}

struct fault {
  enum kind { fail, drop, delay } k = fail;
  int remaining = 0;
  int status = 500;
  std::chrono::milliseconds pause{0};
  std::string prefix;
};

struct answer {
  int status = 200;
  std::string body;
  bool drop = false;
  std::chrono::milliseconds delay{0};
};

answer ok_json(const json& j) { return {200, j.dump()}; }
answer wx_error(int code, std::string msg) { return ok_json({{"errcode", code}, {"errmsg", std::move(msg)}}); }

std::string str(const json& j, const char* name) {
  if (!j.is_object() || !j.contains(name)) return {};
  const auto& v = j[name];
  return v.is_string() ? v.get<std::string>() : v.dump();
}

}  // namespace

struct fake_platform::impl {
  explicit impl(fake_platform_options o) : opt(std::move(o)), acceptor(ioc) {}

  fake_platform_options opt;
  asio::io_context ioc;
  asio::ip::tcp::acceptor acceptor;
  std::thread thread;
  unsigned short port = 0;

  mutable std::mutex mu;
  mutable std::condition_variable changed;
  std::vector<recorded_request> log;
  std::deque<fault> faults;
  std::map<std::string, std::map<std::string, clock::time_point>> tokens;  // platform → token → expiry
  std::map<std::string, int, std::less<>> fetches;
  int serial = 0;
  std::set<std::string> qq_seen;          // msg_id + "#" + msg_seq
  std::map<std::string, int> qq_replies;  // msg_id → accepted replies
  std::map<std::string, std::deque<clock::time_point>> robot_sends;
  std::map<std::string, clock::time_point> wecom_recent;  // duplicate check: touser|content

  // --- token issuing and checking (under mu) ---
  std::string issue(const std::string& platform) {
    std::string t = platform + "-tok-" + std::to_string(++serial);
    tokens[platform][t] = clock::now() + opt.token_ttl;
    ++fetches[platform];
    return t;
  }
  // 0 valid, 1 unknown/revoked, 2 expired.
  int check_token(const std::string& platform, const std::string& t) {
    auto& m = tokens[platform];
    auto it = m.find(t);
    if (it == m.end()) return 1;
    return clock::now() < it->second ? 0 : 2;
  }

  answer onebot(recorded_request& r) {
    if (!opt.onebot_token.empty()) {
      std::string offered;
      if (auto it = r.headers.find("authorization"); it != r.headers.end()) {
        auto sp = it->second.find(' ');  // go-cqhttp ignores the scheme word
        offered = sp == std::string::npos ? it->second : it->second.substr(sp + 1);
      } else if (auto q = r.query.find("access_token"); q != r.query.end()) {
        offered = q->second;
      }
      if (offered.empty()) return {401, ""};
      if (offered != opt.onebot_token) return {403, ""};
    }
    if (!r.json.is_object() || !r.json.contains("message")) {
      return ok_json({{"status", "failed"}, {"retcode", 1400}, {"msg", "bad request"}, {"data", nullptr}});
    }
    r.accepted = true;
    return ok_json({{"status", "ok"}, {"retcode", 0}, {"data", {{"message_id", 1000 + ++serial}}}});
  }

  answer qq(recorded_request& r) {
    if (r.path == "/app/getAppAccessToken") {
      if (str(r.json, "appId") != opt.qq_app_id || str(r.json, "clientSecret") != opt.qq_secret) {
        return {200, json{{"code", 100016}, {"message", "invalid appid or secret"}}.dump()};
      }
      const std::string t = issue("qq");
      return ok_json({{"access_token", t}, {"expires_in", std::to_string(opt.token_ttl.count())}});
    }
    const bool group = starts_with(r.path, "/v2/groups/");
    if (!(group || starts_with(r.path, "/v2/users/")) || r.path.size() < 10 ||
        r.path.substr(r.path.size() - 9) != "/messages") {
      return {404, json{{"code", 404}, {"message", "not found"}}.dump()};
    }
    auto auth = r.headers["authorization"];
    if (!starts_with(auth, "QQBot ") || check_token("qq", auth.substr(6)) != 0) {
      return {401, json{{"code", 11244}, {"message", "token not exist or expire"}}.dump()};
    }
    const std::string msg_id = str(r.json, "msg_id");
    if (msg_id.empty()) return {400, json{{"code", 40034}, {"message", "active push is not available"}}.dump()};
    const std::string seq = r.json.contains("msg_seq") ? str(r.json, "msg_seq") : "1";
    if (!qq_seen.insert(msg_id + "#" + seq).second) {
      r.duplicate = true;
      return {400, json{{"code", 40054005}, {"message", "msg deduplicated, check msg_seq"}}.dump()};
    }
    if (qq_replies[msg_id] >= opt.qq_replies_per_msg_id) {
      return {400, json{{"code", 22009}, {"message", "msg limit exceed"}}.dump()};
    }
    ++qq_replies[msg_id];
    r.accepted = true;
    return ok_json({{"id", "qqmsg-" + std::to_string(++serial)}, {"timestamp", std::time(nullptr)}});
  }

  // WeCom and WeChat share token handling: errcode 41001 missing, 40014/40001 invalid, 42001 expired.
  std::optional<answer> wx_auth(recorded_request& r, const std::string& platform) {
    auto it = r.query.find("access_token");
    if (it == r.query.end() || it->second.empty()) return wx_error(41001, "access_token missing");
    switch (check_token(platform, it->second)) {
      case 0: return std::nullopt;
      case 2: return wx_error(42001, "access_token expired");
      default: return platform == "wecom" ? wx_error(40014, "invalid access_token") : wx_error(40001, "invalid credential");
    }
  }

  answer wecom(recorded_request& r) {
    if (r.path == "/cgi-bin/gettoken") {
      if (r.query["corpid"] != opt.wecom_corp_id) return wx_error(40013, "invalid corpid");
      if (r.query["corpsecret"] != opt.wecom_corp_secret) return wx_error(40001, "invalid credential");
      const std::string t = issue("wecom");
      return ok_json({{"errcode", 0}, {"errmsg", "ok"}, {"access_token", t}, {"expires_in", opt.token_ttl.count()}});
    }
    if (r.path == "/cgi-bin/webhook/send") {
      const std::string key = r.query["key"];
      if (std::find(opt.robot_keys.begin(), opt.robot_keys.end(), key) == opt.robot_keys.end()) {
        return wx_error(93000, "invalid webhook url, hint: [fake], from ip: 127.0.0.1");
      }
      auto& sent = robot_sends[key];
      const auto now = clock::now();
      while (!sent.empty() && now - sent.front() >= std::chrono::minutes(1)) sent.pop_front();
      if (static_cast<int>(sent.size()) >= opt.robot_limit_per_minute) return wx_error(45009, "api freq out of limit");
      sent.push_back(now);
      r.accepted = true;
      return wx_error(0, "ok");
    }
    if (r.path == "/cgi-bin/message/send" || r.path == "/cgi-bin/appchat/send") {
      if (auto denied = wx_auth(r, "wecom")) return *denied;
      const std::string msgid = "wcmsg-" + std::to_string(++serial);
      if (r.json.is_object() && r.json.value("enable_duplicate_check", 0) == 1) {
        const auto key = str(r.json, "touser") + "|" + r.json.value("text", json::object()).value("content", "");
        const auto interval = std::chrono::seconds(r.json.value("duplicate_check_interval", 1800));
        auto it = wecom_recent.find(key);
        if (it != wecom_recent.end() && clock::now() - it->second < interval) {
          r.duplicate = true;
          return ok_json({{"errcode", 0}, {"errmsg", "ok"}, {"msgid", msgid}});
        }
        wecom_recent[key] = clock::now();
      }
      r.accepted = true;
      return ok_json({{"errcode", 0}, {"errmsg", "ok"}, {"msgid", msgid}});
    }
    return {404, ""};
  }

  answer wechat(recorded_request& r) {
    if (r.path == "/cgi-bin/token") {
      if (r.query["grant_type"] != "client_credential") return wx_error(40002, "invalid grant_type");
      if (r.query["appid"] != opt.wechat_app_id || r.query["secret"] != opt.wechat_app_secret) {
        return wx_error(40125, "invalid appsecret");
      }
      const std::string t = issue("wechat");
      return ok_json({{"access_token", t}, {"expires_in", opt.token_ttl.count()}});
    }
    if (r.path == "/cgi-bin/message/custom/send") {
      if (auto denied = wx_auth(r, "wechat")) return *denied;
      if (str(r.json, "touser").empty()) return wx_error(40003, "invalid openid");
      r.accepted = true;
      return wx_error(0, "ok");
    }
    return {404, ""};
  }

  // Records the request, applies faults and the platform's rules; runs on the server thread.
  answer handle(const http::request<http::string_body>& req) {
    recorded_request r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    const auto q = r.target.find('?');
    r.path = r.target.substr(0, q);
    if (q != std::string::npos) {
      if (auto parsed = adapters::parse_query(std::string_view(r.target).substr(q + 1))) r.query = *parsed;
    }
    for (const auto& f : req) {
      std::string name(f.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers[name] = std::string(f.value());
    }
    r.body = req.body();
    r.json = json::parse(r.body, nullptr, false);
    if (r.json.is_discarded()) r.json = nullptr;
    r.platform = platform_of(r.path);

    std::lock_guard lock(mu);
    answer a;
    // Faults of different kinds stack (fail + delay = a slow 500); each matching one is used.
    std::optional<int> fail_status;
    bool drop = false;
    std::chrono::milliseconds delay{0};
    for (auto& f : faults) {
      if (f.remaining <= 0 || !starts_with(r.path, f.prefix)) continue;
      if (f.k == fault::fail && fail_status) continue;
      if (f.k == fault::drop && drop) continue;
      if (f.k == fault::delay && delay.count() > 0) continue;
      --f.remaining;
      if (f.k == fault::fail) fail_status = f.status;
      if (f.k == fault::drop) drop = true;
      if (f.k == fault::delay) delay = f.pause;
    }
    std::erase_if(faults, [](const fault& f) { return f.remaining <= 0; });
    if (fail_status) {
      a = {*fail_status, json{{"errcode", -1}, {"errmsg", "system busy"}, {"code", *fail_status}}.dump()};
    } else if (r.platform == "onebot") {
      a = onebot(r);
    } else if (r.platform == "qq") {
      a = qq(r);
    } else if (r.platform == "wecom") {
      a = wecom(r);
    } else if (r.platform == "wechat") {
      a = wechat(r);
    } else {
      a = {404, ""};
    }
    a.drop = drop;
    a.delay = delay;
    r.status = a.drop ? 0 : a.status;
    r.response_body = a.drop ? std::string() : a.body;
    r.dropped = a.drop;
    log.push_back(std::move(r));
    changed.notify_all();
    return a;
  }

  asio::awaitable<void> session(asio::ip::tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> req;
      auto [ec, n] = co_await http::async_read(stream, buffer, req, nothrow);
      if (ec) co_return;
      answer a = handle(req);
      if (a.delay.count() > 0) {
        asio::steady_timer t(stream.get_executor(), a.delay);
        co_await t.async_wait(nothrow);
      }
      if (a.drop) {
        beast::error_code ignored;
        stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        co_return;
      }
      http::response<http::string_body> res{static_cast<http::status>(a.status), 11};
      res.set(http::field::content_type, "application/json");
      if (a.status == 429 || a.status == 503) res.set(http::field::retry_after, "2");  // as gateways do
      res.body() = std::move(a.body);
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      auto [wec, wn] = co_await http::async_write(stream, res, nothrow);
      if (wec || !req.keep_alive()) co_return;
    }
  }

  asio::awaitable<void> listen() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(nothrow);
      if (ec) co_return;
      asio::co_spawn(ioc, session(std::move(socket)), asio::detached);
    }
  }

  bool matches(const recorded_request& r, std::string_view prefix) const { return starts_with(r.path, prefix); }
};

fake_platform::fake_platform(fake_platform_options opt) : impl_(std::make_unique<impl>(std::move(opt))) {
  auto& a = impl_->acceptor;
  const asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
  a.open(ep.protocol());
  a.set_option(asio::socket_base::reuse_address(true));
  a.bind(ep);
  a.listen();
  impl_->port = a.local_endpoint().port();
  asio::co_spawn(impl_->ioc, impl_->listen(), asio::detached);
  impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

fake_platform::~fake_platform() {
  impl_->ioc.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

unsigned short fake_platform::port() const { return impl_->port; }
std::string fake_platform::base_url() const { return "http://127.0.0.1:" + std::to_string(impl_->port); }
const fake_platform_options& fake_platform::options() const { return impl_->opt; }

std::vector<recorded_request> fake_platform::requests() const {
  std::lock_guard lock(impl_->mu);
  return impl_->log;
}

std::vector<recorded_request> fake_platform::requests_to(std::string_view prefix) const {
  std::lock_guard lock(impl_->mu);
  std::vector<recorded_request> out;
  for (const auto& r : impl_->log) {
    if (impl_->matches(r, prefix)) out.push_back(r);
  }
  return out;
}

std::size_t fake_platform::count(std::string_view prefix) const { return requests_to(prefix).size(); }

std::vector<recorded_request> fake_platform::delivered() const {
  std::lock_guard lock(impl_->mu);
  std::vector<recorded_request> out;
  for (const auto& r : impl_->log) {
    if (r.accepted) out.push_back(r);
  }
  return out;
}

int fake_platform::token_fetches(std::string_view platform) const {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->fetches.find(platform);
  return it == impl_->fetches.end() ? 0 : it->second;
}

bool fake_platform::wait_for(std::size_t n, std::chrono::milliseconds timeout, std::string_view prefix) const {
  std::unique_lock lock(impl_->mu);
  return impl_->changed.wait_for(lock, timeout, [&] {
    std::size_t c = 0;
    for (const auto& r : impl_->log) c += impl_->matches(r, prefix) ? 1 : 0;
    return c >= n;
  });
}

void fake_platform::clear() {
  std::lock_guard lock(impl_->mu);
  impl_->log.clear();
}

void fake_platform::fail_next(int n, int status, std::string prefix) {
  std::lock_guard lock(impl_->mu);
  impl_->faults.push_back({fault::fail, n, status, {}, std::move(prefix)});
}

void fake_platform::drop_next(int n, std::string prefix) {
  std::lock_guard lock(impl_->mu);
  impl_->faults.push_back({fault::drop, n, 0, {}, std::move(prefix)});
}

void fake_platform::delay_next(int n, std::chrono::milliseconds delay, std::string prefix) {
  std::lock_guard lock(impl_->mu);
  impl_->faults.push_back({fault::delay, n, 0, delay, std::move(prefix)});
}

void fake_platform::revoke_tokens(std::string_view platform) {
  std::lock_guard lock(impl_->mu);
  impl_->tokens[std::string(platform)].clear();
}

void fake_platform::set_token_ttl(std::chrono::seconds ttl) {
  std::lock_guard lock(impl_->mu);
  impl_->opt.token_ttl = ttl;
}

}  // namespace lianxin::test

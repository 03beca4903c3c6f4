#include "bot/redis/url.hpp"

#include <charconv>

namespace lianxin::redis {

namespace {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

std::string host_port(const tcp_endpoint& t) {
  bool v6 = t.host.find(':') != std::string::npos;
  return (v6 ? "[" + t.host + "]" : t.host) + ":" + std::to_string(t.port);
}

// Returns false on a malformed escape so "%zz" is reported instead of passed to AUTH.
bool percent_decode(std::string_view in, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    unsigned v = 0;
    if (i + 2 >= in.size()) return false;
    auto [p, ec] = std::from_chars(in.data() + i + 1, in.data() + i + 3, v, 16);
    if (ec != std::errc{} || p != in.data() + i + 3) return false;
    out += static_cast<char>(v);
    i += 2;
  }
  return true;
}

bool parse_number(std::string_view s, long max, long& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size() && out >= 0 && out <= max;
}

// "host", "host:port", "[v6]", "[v6]:port"
std::string parse_host_port(std::string_view s, std::uint16_t default_port, tcp_endpoint& out) {
  std::string_view port;
  bool has_port = false;
  if (!s.empty() && s.front() == '[') {
    auto close = s.find(']');
    if (close == std::string_view::npos) return "unterminated '[' in host '" + std::string(s) + "'";
    out.host = std::string(s.substr(1, close - 1));
    std::string_view rest = s.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return "unexpected text after ']' in '" + std::string(s) + "'";
    has_port = !rest.empty();
    if (has_port) port = rest.substr(1);
  } else {
    auto colon = s.find(':');
    out.host = std::string(s.substr(0, colon));
    has_port = colon != std::string_view::npos;
    if (has_port) port = s.substr(colon + 1);
  }
  if (out.host.empty()) return "missing host";
  out.port = default_port;
  if (has_port) {
    long p = 0;
    if (!parse_number(port, 65535, p) || p == 0) return "invalid port '" + std::string(port) + "'";
    out.port = static_cast<std::uint16_t>(p);
  }
  return {};
}

std::string parse_db(std::string_view s, int& db) {
  long v = 0;
  if (!parse_number(s, 1 << 20, v)) return "invalid database number '" + std::string(s) + "'";
  db = static_cast<int>(v);
  return {};
}

// "[user]:password@" in front of the authority; moves `authority` past it.
std::string parse_userinfo(std::string_view& authority, options& opt) {
  auto at = authority.rfind('@');
  if (at == std::string_view::npos) return {};
  std::string_view info = authority.substr(0, at);
  authority = authority.substr(at + 1);
  auto colon = info.find(':');
  if (colon == std::string_view::npos)
    return "credentials need a ':' (redis://:password@host or redis://user:password@host)";
  if (!percent_decode(info.substr(0, colon), opt.username) ||
      !percent_decode(info.substr(colon + 1), opt.password))
    return "bad percent-escape in credentials";
  return {};
}

std::string parse_tcp(std::string_view rest, options& opt) {
  if (rest.find('?') != std::string_view::npos) return "query parameters are not supported in redis:// URLs";
  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (auto e = parse_userinfo(authority, opt); !e.empty()) return e;
  tcp_endpoint t;
  if (auto e = parse_host_port(authority, 6379, t); !e.empty()) return e;
  opt.where = t;
  if (slash == std::string_view::npos || slash + 1 == rest.size()) return {};
  return parse_db(rest.substr(slash + 1), opt.db);
}

std::string parse_unix(std::string_view rest, options& opt) {
  auto q = rest.find('?');
  std::string_view path = rest.substr(0, q);
  if (path.empty() || path.front() != '/') return "unix socket path must be absolute (unix:///path/to/redis.sock)";
  opt.where = unix_endpoint{std::string(path)};
  if (q == std::string_view::npos) return {};
  std::string_view query = rest.substr(q + 1);
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view kv = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    auto eq = kv.find('=');
    std::string_view key = kv.substr(0, eq);
    std::string_view val = eq == std::string_view::npos ? std::string_view{} : kv.substr(eq + 1);
    if (key == "db") {
      if (auto e = parse_db(val, opt.db); !e.empty()) return e;
    } else if (key == "password" || key == "user" || key == "username") {
      std::string& dst = key == "password" ? opt.password : opt.username;
      if (!percent_decode(val, dst)) return "bad percent-escape in '" + std::string(key) + "'";
    } else {
      return "unknown query parameter '" + std::string(key) + "' (known: db, user, password)";
    }
  }
  return {};
}

std::string parse_sentinel(std::string_view rest, options& opt) {
  auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash + 1 == rest.size())
    return "missing master name (redis-sentinel://host:port[,host:port]/mastername)";
  std::string_view authority = rest.substr(0, slash);
  if (auto e = parse_userinfo(authority, opt); !e.empty()) return e;
  sentinel_endpoint s;
  while (true) {
    auto comma = authority.find(',');
    tcp_endpoint t;
    if (auto e = parse_host_port(authority.substr(0, comma), 26379, t); !e.empty()) return "sentinel: " + e;
    s.sentinels.push_back(t);
    if (comma == std::string_view::npos) break;
    authority = authority.substr(comma + 1);
  }
  std::string_view path = rest.substr(slash + 1);
  auto slash2 = path.find('/');
  s.master = std::string(path.substr(0, slash2));
  if (s.master.empty()) return "missing master name";
  opt.where = std::move(s);
  if (slash2 == std::string_view::npos || slash2 + 1 == path.size()) return {};
  return parse_db(path.substr(slash2 + 1), opt.db);
}

}  // namespace

std::string to_string(const endpoint& e) {
  return std::visit(overloaded{
                        [](const tcp_endpoint& t) { return host_port(t); },
                        [](const unix_endpoint& u) { return "unix:" + u.path; },
                        [](const sentinel_endpoint& s) {
                          std::string out = "sentinel:";
                          for (std::size_t i = 0; i < s.sentinels.size(); ++i)
                            out += (i ? "," : "") + host_port(s.sentinels[i]);
                          return out + "/" + s.master;
                        },
                    },
                    e);
}

std::string options::redacted() const {
  std::string cred = username;
  if (!password.empty()) cred += ":***";
  if (!cred.empty()) cred += "@";
  std::string db_part = db ? "/" + std::to_string(db) : "";
  return std::visit(overloaded{
                        [&](const tcp_endpoint& t) { return "redis://" + cred + host_port(t) + db_part; },
                        [&](const unix_endpoint& u) {
                          std::string q;
                          if (db) q += "&db=" + std::to_string(db);
                          if (!username.empty()) q += "&user=" + username;
                          if (!password.empty()) q += "&password=***";
                          if (!q.empty()) q[0] = '?';
                          return "unix://" + u.path + q;
                        },
                        [&](const sentinel_endpoint& s) {
                          std::string hosts;
                          for (std::size_t i = 0; i < s.sentinels.size(); ++i)
                            hosts += (i ? "," : "") + host_port(s.sentinels[i]);
                          return "redis-sentinel://" + cred + hosts + "/" + s.master + db_part;
                        },
                    },
                    where);
}

url_result parse_url(std::string_view url, const options& base) {
  url_result r{base, {}};
  r.opt.username.clear();
  r.opt.password.clear();
  r.opt.db = 0;
  auto sep = url.find("://");
  if (sep == std::string_view::npos) {
    r.error = "'" + std::string(url) + "' has no scheme (expected redis://, unix:// or redis-sentinel://)";
    return r;
  }
  std::string_view scheme = url.substr(0, sep);
  std::string_view rest = url.substr(sep + 3);
  if (scheme == "redis") {
    r.error = parse_tcp(rest, r.opt);
  } else if (scheme == "unix") {
    r.error = parse_unix(rest, r.opt);
  } else if (scheme == "redis-sentinel") {
    r.error = parse_sentinel(rest, r.opt);
  } else if (scheme == "rediss") {
    r.error = "rediss:// (TLS) is not supported; use redis:// or unix://";
  } else {
    r.error = "unknown scheme '" + std::string(scheme) + "' (expected redis://, unix:// or redis-sentinel://)";
  }
  return r;
}

}  // namespace lianxin::redis

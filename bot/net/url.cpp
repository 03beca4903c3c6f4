#include "bot/net/url.hpp"

#include <charconv>

namespace lianxin::net {
namespace {

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

bool has_control_or_space(std::string_view s) {
  for (unsigned char c : s) {
    if (c <= 0x20 || c == 0x7f) return true;
  }
  return false;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

url_parse_result failed(std::string why) {
  url_parse_result r;
  r.error = std::move(why);
  return r;
}

}  // namespace

std::string url::origin() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return std::string(tls ? "https://" : "http://") + h + ":" + std::to_string(port);
}

bool url::host_is_ip() const {
  if (host.find(':') != std::string::npos) return true;  // IPv6 literal
  for (char c : host) {
    if (!((c >= '0' && c <= '9') || c == '.')) return false;
  }
  return !host.empty();
}

url_parse_result parse_url(std::string_view text) {
  if (text.empty()) return failed("empty URL");
  if (has_control_or_space(text)) return failed("URL contains spaces or control characters");
  url u;
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return failed("URL has no scheme (expected http:// or https://)");
  const std::string scheme = lower(text.substr(0, scheme_end));
  if (scheme == "https") u.tls = true;
  else if (scheme != "http") return failed("unsupported URL scheme '" + scheme + "'");
  std::string_view rest = text.substr(scheme_end + 3);
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  const auto authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view target = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) return failed("URL must not contain user info");
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return failed("unterminated IPv6 literal in URL");
    u.host = lower(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return failed("garbage after IPv6 literal in URL");
      port_text = after.substr(1);
      if (port_text.empty()) return failed("empty port in URL");
    }
  } else {
    const auto colon = authority.rfind(':');
    u.host = lower(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return failed("empty port in URL");
    }
  }
  if (u.host.empty()) return failed("URL has no host");
  if (!port_text.empty()) {
    unsigned value = 0;
    auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc{} || p != port_text.data() + port_text.size() || value == 0 || value > 65535) {
      return failed("bad port '" + std::string(port_text) + "' in URL");
    }
    u.port = static_cast<std::uint16_t>(value);
  } else {
    u.port = u.tls ? 443 : 80;
  }
  if (target.empty()) u.target = "/";
  else if (target.front() == '?') u.target = "/" + std::string(target);
  else u.target = std::string(target);
  url_parse_result r;
  r.value = std::move(u);
  return r;
}

std::string url_encode(std::string_view raw) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(raw.size() * 3);
  for (unsigned char c : raw) {
    if (unreserved(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 0x0f]);
    }
  }
  return out;
}

std::string append_query(std::string target, const std::vector<std::pair<std::string, std::string>>& query) {
  for (const auto& [name, value] : query) {
    target.push_back(target.find('?') == std::string::npos ? '?' : '&');
    target += url_encode(name);
    target.push_back('=');
    target += url_encode(value);
  }
  return target;
}

std::string redact_target(std::string_view target, std::vector<std::string_view> secret_names) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return std::string(target);
  std::string out(target.substr(0, q + 1));
  std::string_view rest = target.substr(q + 1);
  bool first = true;
  while (!rest.empty() || first) {
    const auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    if (!first) out.push_back('&');
    first = false;
    const auto eq = pair.find('=');
    const std::string_view name = pair.substr(0, eq);
    bool secret = false;
    for (auto s : secret_names) secret = secret || name == s;
    if (secret && eq != std::string_view::npos) {
      out += name;
      out += "=***";
    } else {
      out += pair;
    }
    if (amp == std::string_view::npos) break;
  }
  return out;
}

}  // namespace lianxin::net

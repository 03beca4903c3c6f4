#include "adapters/http_io.hpp"

namespace lianxin::adapters {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

int hex_nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (s.size() - i < 3) return std::nullopt;
    const int hi = hex_nibble(s[i + 1]), lo = hex_nibble(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>((hi << 4) | lo));
    i += 2;
  }
  return out;
}

}  // namespace

void header_map::set(std::string name, std::string value) {
  items_.emplace_back(std::move(name), std::move(value));
}

const std::string* header_map::find(std::string_view name) const {
  for (const auto& [k, v] : items_) {
    if (iequals(k, name)) return &v;
  }
  return nullptr;
}

const std::string* http_input::query_param(std::string_view name) const {
  auto it = query.find(std::string(name));
  return it == query.end() ? nullptr : &it->second;
}

std::optional<std::map<std::string, std::string>> parse_query(std::string_view raw) {
  std::map<std::string, std::string> out;
  while (!raw.empty()) {
    const std::size_t amp = raw.find('&');
    const std::string_view part = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view() : raw.substr(amp + 1);
    if (part.empty()) continue;
    const std::size_t eq = part.find('=');
    auto key = percent_decode(part.substr(0, eq));
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1));
    if (!key || !value) return std::nullopt;
    if (!out.emplace(std::move(*key), std::move(*value)).second) return std::nullopt;
  }
  return out;
}

int status_for(error_kind e) {
  switch (e) {
    case error_kind::bad_request: return 400;
    case error_kind::bad_signature: return 401;
    case error_kind::stale: return 401;
    case error_kind::forbidden: return 403;
    case error_kind::not_found: return 404;
    case error_kind::method_not_allowed: return 405;
    case error_kind::too_large: return 413;
  }
  return 400;
}

std::string_view to_string(error_kind e) {
  switch (e) {
    case error_kind::bad_request: return "bad_request";
    case error_kind::bad_signature: return "bad_signature";
    case error_kind::stale: return "stale";
    case error_kind::forbidden: return "forbidden";
    case error_kind::not_found: return "not_found";
    case error_kind::method_not_allowed: return "method_not_allowed";
    case error_kind::too_large: return "too_large";
  }
  return "error";
}

http_output error_output(error_kind e, std::string reason) {
  http_output out;
  out.status = status_for(e);
  out.error = e;
  out.reason = std::move(reason);
  out.content_type = "text/plain; charset=utf-8";
  out.body = std::string(to_string(e));
  return out;
}

http_output empty_output(int status) {
  http_output out;
  out.status = status;
  return out;
}

http_output text_output(std::string body, std::string content_type) {
  http_output out;
  out.content_type = std::move(content_type);
  out.body = std::move(body);
  return out;
}

http_output json_output(std::string body) { return text_output(std::move(body), "application/json"); }

std::string_view to_string(api_outcome o) {
  switch (o) {
    case api_outcome::ok: return "ok";
    case api_outcome::retry: return "retry";
    case api_outcome::rate_limited: return "rate_limited";
    case api_outcome::reauth: return "reauth";
    case api_outcome::give_up: return "give_up";
  }
  return "give_up";
}

api_outcome outcome_for_http_status(int status) {
  if (status >= 200 && status < 300) return api_outcome::ok;
  if (status == 401) return api_outcome::reauth;
  if (status == 429) return api_outcome::rate_limited;
  if (status == 408 || status >= 500) return api_outcome::retry;
  return api_outcome::give_up;
}

}  // namespace lianxin::adapters

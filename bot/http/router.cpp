#include "bot/http/router.hpp"

namespace lianxin::http {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash);
  }
  return out;
}

bool is_param(std::string_view s) { return s.size() > 2 && s.front() == '{' && s.back() == '}'; }
bool is_rest(std::string_view s) { return is_param(s) && s.size() > 5 && s.substr(s.size() - 4) == "...}"; }

}  // namespace

void router::add(bhttp::verb method, std::string pattern, handler h) {
  route r{method, pattern, {}, std::move(h)};
  for (auto s : split_path(pattern)) r.segments.emplace_back(s);
  routes_.push_back(std::move(r));
}

bool router::match_segments(const route& r, const std::vector<std::string_view>& parts,
                            std::map<std::string, std::string, std::less<>>& params) {
  params.clear();
  // Literal segments first, without decoding anything: most routes fail here, and a request
  // tries every route before its own.
  for (std::size_t k = 0; k < r.segments.size(); ++k) {
    const auto& seg = r.segments[k];
    if (is_rest(seg)) break;
    if (k >= parts.size()) return false;
    if (!is_param(seg) && seg != parts[k]) return false;
  }
  std::size_t i = 0;
  for (; i < r.segments.size(); ++i) {
    const auto& seg = r.segments[i];
    if (is_rest(seg)) {
      std::string rest;
      for (std::size_t j = i; j < parts.size(); ++j) rest += (j > i ? "/" : "") + std::string(parts[j]);
      params[seg.substr(1, seg.size() - 5)] = url_decode(rest);
      return true;
    }
    if (i >= parts.size()) return false;
    if (is_param(seg)) {
      if (parts[i].empty()) return false;
      params[seg.substr(1, seg.size() - 2)] = url_decode(parts[i]);
    } else if (seg != parts[i]) {
      return false;
    }
  }
  return i == parts.size();
}

router::match router::find(bhttp::verb method, std::string_view path) const {
  match m;
  auto parts = split_path(path);
  std::map<std::string, std::string, std::less<>> params;
  bool path_known = false;
  for (const auto& r : routes_) {
    if (!match_segments(r, parts, params)) continue;
    if (r.method == method || (method == bhttp::verb::head && r.method == bhttp::verb::get)) {
      m.h = &r.h;
      m.pattern = r.pattern;
      m.params = std::move(params);
      return m;
    }
    path_known = true;
    if (m.allow.find(std::string(bhttp::to_string(r.method))) == std::string::npos) {
      m.allow += (m.allow.empty() ? "" : ", ") + std::string(bhttp::to_string(r.method));
    }
  }
  m.status = path_known ? 405 : 404;
  return m;
}

void router::add_upgrade(std::string pattern, upgrade_handler h) {
  upgrade_route u{{bhttp::verb::get, pattern, {}, {}}, std::move(h)};
  for (auto s : split_path(pattern)) u.r.segments.emplace_back(s);
  upgrades_.push_back(std::move(u));
}

router::upgrade_match router::find_upgrade(std::string_view path) const {
  upgrade_match m;
  auto parts = split_path(path);
  std::map<std::string, std::string, std::less<>> params;
  for (const auto& u : upgrades_) {
    if (!match_segments(u.r, parts, params)) continue;
    m.h = &u.h;
    m.pattern = u.r.pattern;
    m.params = std::move(params);
    return m;
  }
  return m;
}

}  // namespace lianxin::http

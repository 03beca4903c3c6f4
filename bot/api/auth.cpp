#include "bot/api/auth.hpp"

#include "adapters/common/codec.hpp"
#include "adapters/common/digest.hpp"
#include "bot/redis/client.hpp"

#include <openssl/rand.h>

namespace lianxin::api {
namespace {

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(raw.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  return adapters::common::hex_encode(raw);
}

}  // namespace

const char* to_string(role r) {
  switch (r) {
    case role::admin: return "admin";
    case role::station: return "station";
    case role::deputy: return "deputy";
    case role::department: return "department";
    case role::viewer: return "viewer";
  }
  return "viewer";
}

std::optional<role> parse_role(std::string_view s) {
  for (auto r : {role::admin, role::station, role::deputy, role::department, role::viewer}) {
    if (s == to_string(r)) return r;
  }
  return std::nullopt;
}

workflow::actor principal::actor() const {
  switch (r) {
    case role::deputy: return {workflow::actor_role::deputy, scope};
    case role::department: return {workflow::actor_role::department, scope};
    default: return {workflow::actor_role::admin, "api:" + (label.empty() ? token_id : label)};
  }
}

std::string principal::describe() const {
  std::string s = to_string(r);
  if (!scope.empty()) s += ":" + scope;
  return s + " (token " + token_id + ")";
}

bool may_see(const principal& p, const workflow::case_record& c) {
  switch (p.r) {
    case role::admin: return true;
    case role::station: return !p.scope.empty() && c.station == p.scope;
    case role::deputy: return !p.scope.empty() && c.deputy == p.scope;
    case role::department: return !p.scope.empty() && c.department == p.scope;
    case role::viewer: return false;
  }
  return false;
}

bool counts_in_stats(const principal& p, const workflow::case_record& c) {
  return p.r == role::viewer || may_see(p, c);
}

auth::auth(redis::client& redis, const store::keys& keys, std::string bootstrap_admin_token)
    : redis_(redis), keys_(keys), bootstrap_(std::move(bootstrap_admin_token)) {}

awaitable<auth::checked> auth::authenticate(const http::request& req) const {
  checked out;
  auto h = req[boost::beast::http::field::authorization];
  constexpr std::string_view bearer = "Bearer ";
  if (h.size() <= bearer.size() || !boost::beast::iequals(h.substr(0, bearer.size()), bearer)) co_return out;
  std::string token(h.substr(bearer.size()));
  while (!token.empty() && token.back() == ' ') token.pop_back();
  out.result = outcome::invalid;
  if (token.empty() || token.size() > 200) co_return out;
  if (!bootstrap_.empty() && adapters::common::constant_time_equal(token, bootstrap_)) {
    out.result = outcome::ok;
    out.who = principal{role::admin, "", "config", "admin"};
    co_return out;
  }
  // Looked up by hash: equal hashes are the comparison, and no token is ever stored.
  std::vector<std::string> cmd{"HGETALL", keys_.make("token", adapters::common::sha256_hex(token))};
  auto r = co_await redis_.exec(std::move(cmd));
  if (!r.ok()) {
    out.result = outcome::unavailable;
    co_return out;
  }
  const auto& e = r.v.elements();
  if (e.empty()) co_return out;
  principal p;
  std::optional<role> parsed;
  for (std::size_t i = 0; i + 1 < e.size(); i += 2) {
    const auto& k = e[i].text();
    const auto& v = e[i + 1].text();
    if (k == "role") parsed = parse_role(v);
    else if (k == "scope") p.scope = v;
    else if (k == "id") p.token_id = v;
    else if (k == "label") p.label = v;
  }
  if (!parsed) co_return out;
  p.r = *parsed;
  out.result = outcome::ok;
  out.who = std::move(p);
  co_return out;
}

awaitable<std::optional<auth::created>> auth::create(role r, std::string scope, std::string label, std::int64_t now,
                                                     std::string* error) const {
  bool needs_scope = r == role::station || r == role::deputy || r == role::department;
  if (needs_scope && scope.empty()) {
    if (error) *error = std::string("role ") + to_string(r) + " needs --scope";
    co_return std::nullopt;
  }
  if (!needs_scope && !scope.empty()) {
    if (error) *error = std::string("role ") + to_string(r) + " takes no scope";
    co_return std::nullopt;
  }
  created c;
  c.id = "t" + random_hex(4);
  c.token = "lx_" + random_hex(32);
  auto hash = adapters::common::sha256_hex(c.token);
  std::vector<std::vector<std::string>> cmds;
  cmds.push_back({"HSET", keys_.make("token", hash), "id", c.id, "role", to_string(r), "scope", scope, "label", label,
                  "created_at", std::to_string(now)});
  cmds.push_back({"HSET", keys_.make("tokens"), c.id, hash});
  auto res = co_await redis_.exec_many(std::move(cmds));
  for (const auto& x : res) {
    if (!x.ok()) {
      if (error) *error = "storage unavailable: " + x.error_message();
      co_return std::nullopt;
    }
  }
  co_return c;
}

awaitable<bool> auth::revoke(const std::string& id) const {
  std::vector<std::string> get{"HGET", keys_.make("tokens"), id};
  auto h = co_await redis_.exec(std::move(get));
  if (!h.ok() || !h.v.is_string()) co_return false;
  std::vector<std::vector<std::string>> cmds;
  cmds.push_back({"DEL", keys_.make("token", h.v.text())});
  cmds.push_back({"HDEL", keys_.make("tokens"), id});
  auto res = co_await redis_.exec_many(std::move(cmds));
  co_return !res.empty() && res[0].ok();
}

awaitable<std::vector<token_info>> auth::list() const {
  std::vector<token_info> out;
  std::vector<std::string> all{"HGETALL", keys_.make("tokens")};
  auto r = co_await redis_.exec(std::move(all));
  if (!r.ok()) co_return out;
  std::vector<std::vector<std::string>> cmds;
  const auto& e = r.v.elements();
  for (std::size_t i = 0; i + 1 < e.size(); i += 2) {
    cmds.push_back({"HMGET", keys_.make("token", e[i + 1].text()), "id", "role", "scope", "label", "created_at"});
  }
  if (cmds.empty()) co_return out;
  auto res = co_await redis_.exec_many(std::move(cmds));
  for (const auto& x : res) {
    if (!x.ok() || x.v.elements().size() != 5) continue;
    const auto& f = x.v.elements();
    token_info t;
    t.id = f[0].text();
    t.r = parse_role(f[1].text()).value_or(role::viewer);
    t.scope = f[2].text();
    t.label = f[3].text();
    t.created_at = std::atoll(f[4].text().c_str());
    if (!t.id.empty()) out.push_back(std::move(t));
  }
  co_return out;
}

}  // namespace lianxin::api

#include "bot/admin/bind_codes.hpp"

#include "bot/redis/client.hpp"

#include <openssl/rand.h>

namespace lianxin::admin {
namespace {

constexpr const char* kAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";  // 31 symbols

// KEYS: code hash, listing zset, used marker. ARGV: code, used_by.
constexpr const char* kConsumeLua = R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('SET', KEYS[3], ARGV[2], 'EX', 86400)
return 1
)lua";

const redis::script& consume_script() {
  static const redis::script s(kConsumeLua);
  return s;
}

bind_code from_fields(const std::string& code, const redis::value& v) {
  bind_code c;
  c.code = code;
  for (std::size_t i = 0; i + 1 < v.size(); i += 2) {
    const auto& k = v[i].text();
    const auto& val = v[i + 1].text();
    if (k == "target_kind") c.target_kind = val;
    else if (k == "target_id") c.target_id = val;
    else if (k == "unbind") c.unbind = val == "1";
    else if (k == "created_by") c.created_by = val;
    else if (k == "created_at") c.created_at = std::atoll(val.c_str());
    else if (k == "expires_at") c.expires_at = std::atoll(val.c_str());
  }
  return c;
}

}  // namespace

nlohmann::json bind_code::to_json() const {
  return {{"code", code},     {"target", {{"kind", target_kind}, {"id", target_id}}},
          {"unbind", unbind}, {"created_by", created_by},
          {"created_at", created_at}, {"expires_at", expires_at}};
}

std::string new_code() {
  unsigned char b[8];
  RAND_bytes(b, sizeof b);
  std::string s;
  for (unsigned char c : b) s += kAlphabet[c % 31];  // a slight bias is harmless here: codes live a day and work once
  return s;
}

std::string normalise_code(std::string_view typed) {
  std::string s;
  for (char c : typed) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return {};
    s += c;
  }
  return s.size() == 8 ? s : std::string();
}

bind_codes::bind_codes(redis::client& redis, const store::keys& keys) : redis_(redis), keys_(keys) {}

awaitable<std::optional<bind_code>> bind_codes::create(std::string target_kind, std::string target_id, bool unbind,
                                                       std::int64_t ttl_seconds, std::string created_by,
                                                       std::int64_t now) {
  bind_code c;
  c.code = new_code();
  c.target_kind = std::move(target_kind);
  c.target_id = std::move(target_id);
  c.unbind = unbind;
  c.created_by = std::move(created_by);
  c.created_at = now;
  c.expires_at = now + ttl_seconds;
  auto key = keys_.make("bindcode", c.code);
  std::vector<std::vector<std::string>> cmds{
      {"HSET", key, "target_kind", c.target_kind, "target_id", c.target_id, "unbind", c.unbind ? "1" : "0",
       "created_by", c.created_by, "created_at", std::to_string(c.created_at), "expires_at",
       std::to_string(c.expires_at)},
      {"EXPIRE", key, std::to_string(ttl_seconds)},
      {"ZADD", keys_.make("bindcodes"), std::to_string(c.expires_at), c.code}};
  auto r = co_await redis_.exec_many(std::move(cmds));
  for (const auto& x : r) {
    if (!x.ok()) co_return std::nullopt;
  }
  if (r.size() != 3) co_return std::nullopt;
  co_return c;
}

awaitable<std::optional<std::vector<bind_code>>> bind_codes::list(std::int64_t now) {
  // Expiry follows the key's TTL (real time); the listing also drops what the workflow clock
  // says has expired.
  std::vector<std::string> cmd{"ZRANGEBYSCORE", keys_.make("bindcodes"), std::to_string(now + 1), "+inf"};
  auto r = co_await redis_.exec(std::move(cmd));
  if (!r.ok()) co_return std::nullopt;
  std::vector<std::vector<std::string>> gets;
  std::vector<std::string> codes;
  for (const auto& e : r.v.elements()) {
    codes.push_back(e.text());
    gets.push_back({"HGETALL", keys_.make("bindcode", e.text())});
  }
  std::vector<bind_code> out;
  if (!gets.empty()) {
    auto rs = co_await redis_.exec_many(std::move(gets));
    for (std::size_t i = 0; i < rs.size() && i < codes.size(); ++i) {
      if (!rs[i].ok()) co_return std::nullopt;
      if (rs[i].v.size() == 0) continue;  // expired by TTL
      out.push_back(from_fields(codes[i], rs[i].v));
    }
  }
  std::vector<std::string> prune{"ZREMRANGEBYSCORE", keys_.make("bindcodes"), "-inf", std::to_string(now)};
  co_await redis_.exec(std::move(prune));
  co_return out;
}

awaitable<std::optional<bind_code>> bind_codes::peek(const std::string& code, std::int64_t now, bool* unavailable) {
  std::vector<std::string> cmd{"HGETALL", keys_.make("bindcode", code)};
  auto r = co_await redis_.exec(std::move(cmd));
  if (!r.ok()) {
    if (unavailable) *unavailable = true;
    co_return std::nullopt;
  }
  if (r.v.size() == 0) co_return std::nullopt;
  auto c = from_fields(code, r.v);
  if (c.expires_at <= now) co_return std::nullopt;
  co_return c;
}

awaitable<std::optional<bool>> bind_codes::consume(const std::string& code, const std::string& used_by) {
  std::vector<std::string> keys{keys_.make("bindcode", code), keys_.make("bindcodes"),
                                keys_.make("bindcode", "used", code)};
  std::vector<std::string> args{code, used_by};
  auto r = co_await redis_.eval(consume_script(), std::move(keys), std::move(args));
  if (!r.ok()) co_return std::nullopt;
  co_return r.v.int_value() == 1;
}

awaitable<std::optional<std::string>> bind_codes::used_by(const std::string& code) {
  std::vector<std::string> cmd{"GET", keys_.make("bindcode", "used", code)};
  auto r = co_await redis_.exec(std::move(cmd));
  if (!r.ok() || !r.v.is_string()) co_return std::nullopt;
  co_return r.v.text();
}

awaitable<std::optional<bool>> bind_codes::revoke(const std::string& code) {
  std::vector<std::vector<std::string>> cmds{{"DEL", keys_.make("bindcode", code)},
                                             {"ZREM", keys_.make("bindcodes"), code}};
  auto r = co_await redis_.exec_many(std::move(cmds));
  if (r.size() != 2 || !r[0].ok()) co_return std::nullopt;
  co_return r[0].v.int_value() == 1;
}

awaitable<void> bind_codes::restore(const bind_code& c, std::int64_t now) {
  auto key = keys_.make("bindcode", c.code);
  auto ttl = std::max<std::int64_t>(60, c.expires_at - now);
  std::vector<std::vector<std::string>> cmds{
      {"HSET", key, "target_kind", c.target_kind, "target_id", c.target_id, "unbind", c.unbind ? "1" : "0",
       "created_by", c.created_by, "created_at", std::to_string(c.created_at), "expires_at",
       std::to_string(c.expires_at)},
      {"EXPIRE", key, std::to_string(ttl)},
      {"ZADD", keys_.make("bindcodes"), std::to_string(c.expires_at), c.code},
      {"DEL", keys_.make("bindcode", "used", c.code)}};
  co_await redis_.exec_many(std::move(cmds));
}

}  // namespace lianxin::admin

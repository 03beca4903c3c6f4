#include "bot/store/acl_probe.hpp"

#include "bot/redis/client.hpp"
#include "bot/redis/script.hpp"

namespace lianxin::store {
namespace {

// KEYS[1]: a key of the tenant (never written). ARGV: the commands, each as "argc", args...,
// with "@" standing for the key. Returns "" or the first command refused.
constexpr const char* kProbeLua = R"lua(
local check = redis.acl_check_cmd
if not check then return '' end
local i = 1
while i <= #ARGV do
  local argc = tonumber(ARGV[i])
  local args = {}
  for j = 1, argc do
    local a = ARGV[i + j]
    args[j] = a == '@' and KEYS[1] or a
  end
  local ok, allowed = pcall(check, unpack(args))
  if not ok or not allowed then return args[1] .. ' on ' .. KEYS[1] end
  i = i + argc + 1
end
return ''
)lua";

const redis::script& probe_script() {
  static const redis::script s(kProbeLua);
  return s;
}

}  // namespace

awaitable<acl_probe_result> probe_write_permissions(redis::client& redis, const keys& k) {
  // Every command the commits, the inbox, the outbox and the scheduler write with.
  static const std::vector<std::vector<std::string>> writes{
      {"SET", "@", "1", "PX", "1000"}, {"DEL", "@"},          {"EXPIRE", "@", "1"},     {"PERSIST", "@"},
      {"INCR", "@"},                   {"DECR", "@"},         {"DECRBY", "@", "1"},     {"HSET", "@", "f", "v"},
      {"HINCRBY", "@", "f", "1"},      {"SADD", "@", "m"},    {"SREM", "@", "m"},       {"ZADD", "@", "1", "m"},
      {"ZREM", "@", "m"},              {"RPUSH", "@", "v"},   {"LTRIM", "@", "0", "1"}, {"XADD", "@", "*", "m", "v"},
      {"XDEL", "@", "0-1"},            {"XACK", "@", "g", "0-1"}};
  std::vector<std::string> args;
  for (const auto& w : writes) {
    args.push_back(std::to_string(w.size()));
    args.insert(args.end(), w.begin(), w.end());
  }
  std::vector<std::string> keys{k.make("acl-probe")};
  auto r = co_await redis.eval(probe_script(), std::move(keys), std::move(args));
  acl_probe_result out;
  if (!r.ok() || !r.v.is_string()) {
    out.refused = r.ok() ? "" : r.error_message();
    co_return out;
  }
  out.ran = true;
  out.refused = r.v.text();
  co_return out;
}

}  // namespace lianxin::store

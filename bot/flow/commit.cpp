#include "bot/flow/commit.hpp"

#include "bot/redis/client.hpp"
#include "bot/redis/script.hpp"

#include <algorithm>

namespace lianxin::flow {
namespace {

// ARGV: n_checks, (key, expected)*, n_guards, (key, limit, ttl)*, n_guarded, n_ops, (argc, args...)*,
//       n_notice, (argc, args...)*
// Returns {1, '', limited} when applied, {0, key} on a version conflict, {2, reason} when Redis
// would refuse one of the writes. Redis does not roll a script back: a write refused halfway
// (a key of the wrong type, a command the Redis user may not run) would leave the ones before
// it applied. So every write is checked first, and only then is anything written. (A full
// Redis refuses only a script's first write, so memory cannot split a commit either.)
constexpr const char* kCommitLua = R"lua(
local WANT = {XADD = 'stream', XDEL = 'stream', XACK = 'stream', XTRIM = 'stream',
              HSET = 'hash', HSETNX = 'hash', HDEL = 'hash', HINCRBY = 'hash',
              SADD = 'set', SREM = 'set', ZADD = 'zset', ZREM = 'zset', ZINCRBY = 'zset',
              RPUSH = 'list', LPUSH = 'list', LTRIM = 'list', LREM = 'list',
              INCR = 'string', INCRBY = 'string', DECR = 'string', DECRBY = 'string'}
local acl = redis.acl_check_cmd
local function refused(from, argc)
  local cmd = string.upper(ARGV[from])
  if acl and not acl(unpack(ARGV, from, from + argc - 1)) then return 'NOPERM ' .. cmd end
  local want = WANT[cmd]
  if want and argc > 1 then
    local t = redis.call('TYPE', ARGV[from + 1]).ok
    if t ~= 'none' and t ~= want then return 'WRONGTYPE ' .. cmd .. ' ' .. ARGV[from + 1] end
  end
  return nil
end
local i = 1
local nchecks = tonumber(ARGV[i]); i = i + 1
for _ = 1, nchecks do
  local key, expect = ARGV[i], tonumber(ARGV[i + 1]); i = i + 2
  local cur = redis.call('HGET', key, 'ver')
  if expect < 0 then
    if cur then return {0, key} end
  elseif (not cur) or tonumber(cur) ~= expect then
    return {0, key}
  end
end
local nguards = tonumber(ARGV[i]); i = i + 1
local guards = i
-- Checked before anything is written: the guards' counters, then every op and notice.
for g = 0, nguards - 1 do
  local key = ARGV[guards + g * 3]
  local t = redis.call('TYPE', key).ok
  if t ~= 'none' and t ~= 'string' then return {2, 'WRONGTYPE INCR ' .. key} end
  if acl and not (acl('INCR', key) and acl('EXPIRE', key, '1')) then return {2, 'NOPERM INCR'} end
end
local j = guards + nguards * 3 + 1
for _ = 1, 2 do
  local n = tonumber(ARGV[j]); j = j + 1
  for _ = 1, n do
    local argc = tonumber(ARGV[j]); j = j + 1
    local why = refused(j, argc)
    if why then return {2, why} end
    j = j + argc
  end
end
local limited, notice = false, false
for _ = 1, nguards do
  local key, limit = ARGV[i], tonumber(ARGV[i + 1])
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('EXPIRE', key, ARGV[i + 2]) end
  if n > limit then limited = true end
  if n == limit + 1 then notice = true end
  i = i + 3
end
local nguarded = tonumber(ARGV[i]); i = i + 1
local nops = tonumber(ARGV[i]); i = i + 1
for k = 1, nops do
  local argc = tonumber(ARGV[i]); i = i + 1
  if not (limited and k <= nguarded) then redis.call(unpack(ARGV, i, i + argc - 1)) end
  i = i + argc
end
local nnotice = tonumber(ARGV[i]); i = i + 1
for _ = 1, nnotice do
  local argc = tonumber(ARGV[i]); i = i + 1
  if limited and notice then redis.call(unpack(ARGV, i, i + argc - 1)) end
  i = i + argc
end
return {1, '', limited and 1 or 0}
)lua";

const redis::script& commit_script() {
  static const redis::script s(kCommitLua);
  return s;
}

}  // namespace

awaitable<commit_result> run_commit(redis::client& redis, const commit& c) {
  commit_result res;
  if (c.ops.empty() && c.checks.empty() && c.guards.empty()) {
    res.ok = true;
    co_return res;
  }
  std::vector<std::string> args;
  args.push_back(std::to_string(c.checks.size()));
  for (const auto& [k, v] : c.checks) {
    args.push_back(k);
    args.push_back(std::to_string(v));
  }
  args.push_back(std::to_string(c.guards.size()));
  for (const auto& g : c.guards) {
    args.push_back(g.key);
    args.push_back(std::to_string(g.limit));
    args.push_back(std::to_string(std::max(1, g.ttl_seconds)));
  }
  args.push_back(std::to_string(c.guards.empty() ? 0 : std::min(c.guarded_ops, c.ops.size())));
  auto put_ops = [&args](const std::vector<std::vector<std::string>>& ops) {
    args.push_back(std::to_string(ops.size()));
    for (const auto& op : ops) {
      args.push_back(std::to_string(op.size()));
      args.insert(args.end(), op.begin(), op.end());
    }
  };
  put_ops(c.ops);
  put_ops(c.notice_ops);
  std::string route_key = !c.checks.empty()                            ? c.checks.front().first
                          : !c.ops.empty() && c.ops.front().size() > 1 ? c.ops.front()[1]
                          : !c.guards.empty()                          ? c.guards.front().key
                                                                       : "";
  std::vector<std::string> keys;
  if (!route_key.empty()) keys.push_back(route_key);
  auto r = co_await redis.eval(commit_script(), std::move(keys), std::move(args));
  if (!r.ok()) {
    res.detail = r.error_message();
    co_return res;
  }
  const auto& e = r.v.elements();
  if (e.size() >= 2 && e[0].is_integer() && e[0].int_value() == 1) {
    res.ok = true;
    res.limited = e.size() > 2 && e[2].is_integer() && e[2].int_value() == 1;
  } else if (e.size() == 2 && e[0].is_integer() && e[0].int_value() == 2) {
    res.detail = "refused before any write: " + e[1].text();  // nothing applied; not a conflict
  } else {
    res.conflict = true;
    res.detail = e.size() == 2 ? e[1].text() : "unexpected reply";
  }
  co_return res;
}

}  // namespace lianxin::flow

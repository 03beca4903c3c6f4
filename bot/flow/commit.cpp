#include "bot/flow/commit.hpp"

#include "bot/redis/client.hpp"
#include "bot/redis/script.hpp"

#include <algorithm>

namespace lianxin::flow {
namespace {

// ARGV: n_checks, (key, expected)*, n_guards, (key, limit, ttl)*, n_guarded, n_ops, (argc, args...)*,
//       n_notice, (argc, args...)*
constexpr const char* kCommitLua = R"lua(
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
  } else {
    res.conflict = true;
    res.detail = e.size() == 2 ? e[1].text() : "unexpected reply";
  }
  co_return res;
}

}  // namespace lianxin::flow

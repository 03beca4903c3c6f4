#include "bot/flow/commit.hpp"

#include "bot/redis/client.hpp"
#include "bot/redis/script.hpp"

namespace lianxin::flow {
namespace {

// ARGV: n_checks, (key, expected)*, n_ops, (argc, args...)*
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
local nops = tonumber(ARGV[i]); i = i + 1
for _ = 1, nops do
  local argc = tonumber(ARGV[i]); i = i + 1
  redis.call(unpack(ARGV, i, i + argc - 1))
  i = i + argc
end
return {1, ''}
)lua";

const redis::script& commit_script() {
  static const redis::script s(kCommitLua);
  return s;
}

}  // namespace

awaitable<commit_result> run_commit(redis::client& redis, const commit& c) {
  commit_result res;
  if (c.ops.empty() && c.checks.empty()) {
    res.ok = true;
    co_return res;
  }
  std::vector<std::string> args;
  args.push_back(std::to_string(c.checks.size()));
  for (const auto& [k, v] : c.checks) {
    args.push_back(k);
    args.push_back(std::to_string(v));
  }
  args.push_back(std::to_string(c.ops.size()));
  for (const auto& op : c.ops) {
    args.push_back(std::to_string(op.size()));
    args.insert(args.end(), op.begin(), op.end());
  }
  std::string route_key = !c.checks.empty() ? c.checks.front().first : (!c.ops.empty() && c.ops.front().size() > 1 ? c.ops.front()[1] : "");
  std::vector<std::string> keys;
  if (!route_key.empty()) keys.push_back(route_key);
  auto r = co_await redis.eval(commit_script(), std::move(keys), std::move(args));
  if (!r.ok()) {
    res.detail = r.error_message();
    co_return res;
  }
  const auto& e = r.v.elements();
  if (e.size() == 2 && e[0].is_integer() && e[0].int_value() == 1) {
    res.ok = true;
  } else {
    res.conflict = true;
    res.detail = e.size() == 2 ? e[1].text() : "unexpected reply";
  }
  co_return res;
}

}  // namespace lianxin::flow

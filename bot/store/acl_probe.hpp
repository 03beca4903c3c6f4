#pragma once
// Whether the Redis user Lianxin connects as may run every write it makes.
//
// A commit is one Lua script, and Redis does not roll a script back: a write refused halfway
// (a command the user's ACL does not allow) would leave the writes before it applied. Checking
// every write inside every commit costs 40-65 % more script time (docs/benchmarks.md, seventh
// pass), so the ACL is checked once, before anything acts on chat messages: one script asks
// `redis.acl_check_cmd` about each command Lianxin writes with, on a key of this tenant.
// Redis before 7.0 has no such call; the probe then passes.
#include "bot/asio.hpp"
#include "bot/store/keys.hpp"

#include <optional>
#include <string>

namespace lianxin::redis {
class client;
}

namespace lianxin::store {

struct acl_probe_result {
  bool ran = false;      // false: Redis could not be asked (try again)
  std::string refused;   // empty: every write allowed; else e.g. "XADD on lx:{rn}:acl-probe"
};

awaitable<acl_probe_result> probe_write_permissions(redis::client& redis, const keys& k);

}  // namespace lianxin::store

#pragma once
// One atomic, one-round-trip write of everything a decision produced: conversation state,
// case changes, outbox entries, timers and the inbox acknowledgement. A Lua script first checks
// optimistic versions (the `ver` field of case hashes), then runs the operations; either all
// of it happens or none.
//
// All keys carry the tenant hash tag, so on Redis Cluster they live in one slot; the script
// declares the first key it touches so it is routed to that slot.
#include "bot/asio.hpp"

#include <string>
#include <vector>

namespace lianxin::redis {
class client;
}

namespace lianxin::flow {

struct commit {
  // HASH keys whose `ver` field must equal the version (-1: the key must not exist yet).
  std::vector<std::pair<std::string, long long>> checks;
  std::vector<std::vector<std::string>> ops;

  void op(std::vector<std::string> args) { ops.push_back(std::move(args)); }
  bool empty() const { return ops.empty(); }
};

struct commit_result {
  bool ok = false;
  bool conflict = false;  // a version check failed: reload and decide again
  std::string detail;     // the conflicting key, or the Redis error
};

awaitable<commit_result> run_commit(redis::client& redis, const commit& c);

}  // namespace lianxin::flow

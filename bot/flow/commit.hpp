#pragma once
// One atomic, one-round-trip write of everything a decision produced: conversation state,
// case changes, outbox entries, timers and the inbox acknowledgement. A Lua script first checks
// optimistic versions (the `ver` field of case hashes), then counts the rate guards (if any),
// then runs the operations; a failed check changes nothing. (Redis does not roll a script back
// when a later command in it is refused: only a misconfigured Redis or a key-schema bug can
// cause that.)
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

// A per-minute counter checked inside the commit (the intake rate limits): the script adds one
// and, when the count goes over `limit`, the commit is "limited" (see commit::guarded_ops).
struct rate_guard {
  std::string key;
  long long limit = 0;
  int ttl_seconds = 120;  // set when the counter is created
};

struct commit {
  // HASH keys whose `ver` field must equal the version (-1: the key must not exist yet).
  std::vector<std::pair<std::string, long long>> checks;
  std::vector<std::vector<std::string>> ops;
  // Rate limits, counted only when the version checks pass. If any counter goes over its limit,
  // the first `guarded_ops` operations are skipped (the message is acknowledged, not acted on)
  // and `notice_ops` run when some counter has just gone over (count == limit + 1: the polite
  // "slow down" once per minute). Without guards every operation runs.
  std::vector<rate_guard> guards;
  std::size_t guarded_ops = 0;
  std::vector<std::vector<std::string>> notice_ops;

  void op(std::vector<std::string> args) { ops.push_back(std::move(args)); }
  bool empty() const { return ops.empty(); }
};

struct commit_result {
  bool ok = false;
  bool conflict = false;  // a version check failed: reload and decide again
  bool limited = false;   // ok, but a rate guard was over its limit (guarded operations skipped)
  std::string detail;     // the conflicting key, or the Redis error
};

awaitable<commit_result> run_commit(redis::client& redis, const commit& c);

}  // namespace lianxin::flow

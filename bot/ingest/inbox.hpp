#pragma once
// The durable front door: every inbound event is deduplicated on its platform event id and
// appended to its conversation's inbox shard in ONE Lua script (one round trip per webhook
// request, whatever the number of events in it). A webhook is acknowledged only after this
// script succeeded; a duplicate delivery finds its `seen` key and changes nothing.
//
// Group commit: while `groups_in_flight` ingest scripts are on their way to Redis, the
// requests that arrive meanwhile queue up and go together in the next script call, as soon as
// one of those is answered. Nothing waits for a timer: an idle server sends at once, a busy
// one sends what the last round trip gathered. Under `appendfsync always` this is what makes
// the front door fast: Redis pays one script call and one fsync for the whole group, not one
// per request.
//
// Group small talk (with a chatter filter set, see bot/flow/chatter.hpp): a group message that
// cannot be for the bot unless its sender is already talking with it is deduplicated like any
// other, but enqueued only if the sender has a conversation open (`conv`) or messages of that
// conversation still wait in the inbox (`live` > 0, e.g. "@bot 建议" not yet worked through
// when its unaddressed answer arrives). Otherwise nothing of it but the dedupe mark is kept,
// and it counts as outcome "chatter". Every group message enqueued under a filter adds one to
// its conversation's `live` counter, and its stream entry names the counter (field l); the
// worker subtracts one in the same commit that deletes the entry.
//
// Keys (see README "Redis key schema"):
//   lx:{t}:seen:<dedupe_key>       STRING  "1", TTL seen_ttl         (exactly-once filter)
//   lx:{t}:seenc:<content_hash>    STRING  "1", TTL content window   (platforms re-sending under new ids)
//   lx:{t}:inbox:<shard>           STREAM  field m = message JSON, l = live key (consumed by the intake workers)
//   lx:{t}:live:<conversation>     STRING  count of the conversation's entries waiting, TTL seen_ttl
#include "adapters/message.hpp"
#include "bot/asio.hpp"
#include "bot/core/metrics.hpp"
#include "bot/redis/script.hpp"
#include "bot/store/keys.hpp"

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace lianxin::redis {
class client;
}

namespace lianxin::ingest {

struct inbox_options {
  int shards = 8;                        // conversations hash onto shards; one worker per shard
  int seen_ttl_seconds = 7 * 24 * 3600;  // platforms re-deliver for minutes; OneBot backlogs for days
  std::size_t max_group_events = 256;    // events per group-commit script call, at most
  // Group-commit script calls on their way at once, at most. One: every Redis fsync round
  // then carries everything that arrived during the previous one. Two paid off while every
  // chat message was also enqueued for the worker; since small talk is only deduplicated,
  // one round per group is faster (docs/benchmarks.md, seventh pass).
  int groups_in_flight = 1;
  // A group of at least this many events gathered while the previous one was on its way means
  // the door is saturated (saturated()); a busy but keeping-up door gathers a few.
  std::size_t saturated_group_events = 8;
};

struct store_result {
  bool ok = false;
  std::size_t fresh = 0;       // events recorded now (enqueued for the intake worker)
  std::size_t duplicates = 0;  // events seen before
  std::size_t chatter = 0;     // events seen now, small talk not for the bot: only the dedupe mark kept
  std::string error;           // why storing failed (the caller answers 503)
};

class inbox {
 public:
  inbox(redis::client& redis, const store::keys& keys, metrics::registry& metrics, inbox_options opt);

  // Dedupes and enqueues. `content_window_s[i]` > 0 adds a content-hash check for message i.
  awaitable<store_result> store(const std::vector<adapters::inbound_message>& messages,
                                const std::vector<int>& content_window_s = {});

  // Set once, before the first store(): which messages are small talk unless their sender is
  // talking with the bot (flow::is_chatter). Without one, every event is enqueued.
  using chatter_filter = std::function<bool(const adapters::inbound_message&)>;
  void set_chatter_filter(chatter_filter f) { chatter_ = std::move(f); }

  // The door before the worker (docs/benchmarks.md, eighth pass). saturated(): webhooks queued
  // up behind the group commit on its way, i.e. the door is working flat out; rounds(): group
  // commits completed so far; next_round() resumes once the group commit on its way completes
  // (at once when none is). The intake worker uses them to take one message for every few
  // events the door takes in while it is saturated: an event is acknowledged within the platform's deadline
  // (3-5 s) or it is retried, and after a few retries lost; a reply may come a little later.
  bool saturated() const { return saturated_.load(std::memory_order_relaxed); }
  std::uint64_t events_taken() const { return events_.load(std::memory_order_relaxed); }
  awaitable<void> next_round();

  int shard_of(const adapters::inbound_message& m) const;
  std::string shard_key(int shard) const;
  int shards() const { return opt_.shards; }

 private:
  struct pending;  // one store() call waiting for its group's script
  awaitable<void> flush_groups();

  redis::client& redis_;
  const store::keys& keys_;
  metrics::registry& metrics_;
  inbox_options opt_;
  redis::script script_;
  chatter_filter chatter_;
  std::mutex mu_;  // guards queue_ and flushers_ (store() may run on any thread)
  std::vector<std::shared_ptr<pending>> queue_;
  int flushers_ = 0;  // flush_groups loops running, each with at most one call on its way
  std::vector<std::pair<asio::any_io_executor, std::function<void()>>> round_waiters_;  // guarded by mu_
  std::atomic<bool> saturated_{false};
  std::atomic<std::uint64_t> events_{0};
};

}  // namespace lianxin::ingest

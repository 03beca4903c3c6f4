#pragma once
// Drains the outbox stream with a consumer group (several instances share the work), sends
// each message through the platform sender, and acknowledges only after the platform took it.
// Failures are retried with exponential backoff and jitter through a delay set; after
// max_attempts, or on a permanent error, the message goes to the dead-letter stream.
// Entries a crashed instance read but never acknowledged are reclaimed with XAUTOCLAIM.
//
//   lx:{t}:outbox           STREAM  m = outbound JSON, a = attempts so far    consumer group "notify"
//   lx:{t}:outbox:retry     ZSET    entry JSON → due unix ms                  (backoff)
//   lx:{t}:outbox:dlq       STREAM  m, reason, attempts                       (dead letters)
//   lx:{t}:sent:<key>       STRING  "1", TTL 7 days                           (idempotency: never sent twice)
//   lx:{t}:digest:<platform>:<bot>:<chat>  LIST   group bulletins held for merging / quiet hours
//   lx:{t}:digests          ZSET    "<platform>:<bot>:<chat>" → when to post the merged message (ms)
//   lx:{t}:qq:pending:<bot>:<g|p>:<chat>  LIST  updates for official-QQ chats, which accept only
//                                     replies: sent as replies to the next message from that chat
//   lx:{t}:sandbox:chat:<bot>:<chat>  STREAM d=out, m=outbound JSON: messages delivered to the sandbox
//                                     platform (about the last 500; the sandbox adds d=in entries)
#include "adapters/http_io.hpp"
#include "adapters/message.hpp"
#include "bot/asio.hpp"
#include "bot/core/metrics.hpp"
#include "bot/redis/script.hpp"
#include "bot/store/keys.hpp"

#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <memory>
#include <vector>
#include <chrono>
#include <functional>
#include <optional>

#include <nlohmann/json.hpp>

namespace lianxin::redis {
class client;
}

namespace lianxin::flow {

struct delivery {
  adapters::api_outcome outcome = adapters::api_outcome::give_up;
  std::string detail;
  std::chrono::milliseconds retry_after{0};
  bool maybe_sent = false;
};

using send_fn = std::function<awaitable<delivery>(const adapters::outbound_message&)>;

struct notifier_options {
  std::string consumer;  // this instance's id
  int max_attempts = 8;
  int backoff_base_ms = 1'000;
  int backoff_max_ms = 10 * 60'000;
  int claim_idle_ms = 60'000;  // a pending entry idle this long belongs to a dead consumer
  int block_ms = 1'000;
  int batch = 32;
  // Asked before each delivery to the sandbox platform: zero = deliver now, else wait this
  // long (a rate limit). Waiting is no failure: the attempt count does not grow.
  std::function<awaitable<std::chrono::milliseconds>(const adapters::outbound_message&)> sandbox_gate;
  // Group etiquette: case bulletins for one group within this window go out as one message
  // (0: each at once); during quiet hours [quiet_from_min, quiet_to_min) local time (minutes
  // after midnight; from == to: none) they wait until the hours end.
  int group_merge_seconds = 60;
  int quiet_from_min = 22 * 60;
  int quiet_to_min = 7 * 60;
  int utc_offset_min = 8 * 60;  // the tenant's local time (China Standard Time)
  std::size_t max_merged = 10;  // bulletins per merged message
};

// When a bulletin received at `now_ms` may be posted: after the merge window, and not inside
// quiet hours (then at their end). Pure; exposed for tests.
std::int64_t bulletin_due_ms(std::int64_t now_ms, const notifier_options& opt);

// Lets the reader wait until every target of one batch is done.
struct notify_join {
  notify_join(asio::any_io_executor ex, std::size_t n) : remaining(n), done(std::move(ex)) {
    done.expires_at(asio::steady_timer::time_point::max());
  }
  std::size_t remaining;
  asio::steady_timer done;
};

struct outbox_entry {
  std::string id, payload;
  int attempts = 0;
  // Filled in by the reader for a whole batch (one parse, one round trip for every entry's
  // "already sent?" check); empty = work it out in deliver.
  std::optional<nlohmann::json> parsed;
  std::optional<bool> already_sent;
};

class notifier {
 public:
  notifier(redis::client& redis, redis::client& blocking, const store::keys& keys, metrics::registry& metrics,
           send_fn send, std::function<std::int64_t()> now_ms, notifier_options opt);

  awaitable<void> run();
  void stop() { stopping_ = true; }

  // Delivers one entry and writes its fate; false when Redis could not record it.
  awaitable<bool> deliver(const outbox_entry& e);

 private:
  awaitable<void> promote_due_retries();
  awaitable<void> reclaim();
  awaitable<bool> deliver_sandbox(const adapters::outbound_message& m, const std::string& payload);
  awaitable<void> flush_due_digests();
  awaitable<void> run_target(std::vector<outbox_entry> entries, std::shared_ptr<notify_join> join);
  awaitable<void> check_sent(std::vector<outbox_entry*>& entries);

  redis::client& redis_;
  redis::client& blocking_;
  const store::keys& keys_;
  metrics::registry& metrics_;
  send_fn send_;
  std::function<std::int64_t()> now_ms_;
  notifier_options opt_;
  redis::script promote_script_;
  redis::script flush_script_;
  std::atomic<bool> stopping_{false};
};

}  // namespace lianxin::flow

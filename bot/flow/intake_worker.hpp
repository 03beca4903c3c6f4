#pragma once
// Drains the inbox shards and runs each resident message through the intake dialogue, in
// order per conversation. Ordering across Lianxin instances: every shard has a lease in Redis
// (SET NX PX, renewed), so exactly one instance reads a shard at a time, and within a shard
// messages are processed one after another in stream order. A conversation always hashes to
// the same shard.
//
// Exactly once: a message's effects — new conversation state, case writes, replies in the
// outbox — and the XDEL of its inbox entry are one atomic commit, so whatever is still in a
// shard's stream has not been processed. The worker reads each shard with a plain XREAD from
// its first entry, once the previous read's batches are done (no consumer group: the lease
// already makes it the only reader). A crash before the commit leaves the entry in the stream;
// the next read — this worker's after a failed batch, or the next lease holder's — processes it
// again, which is safe because nothing of the first attempt was written.
//
//   lx:{t}:conv:<conversation>     STRING  dialogue state JSON, PX until the dialogue's keep_until
//   lx:{t}:lease:inbox:<shard>     STRING  owning instance id, PX lease_ms
//   lx:{t}:contact:<case>          HASH    phone (kept apart from the case text; deputy and admins only)
#include "adapters/message.hpp"
#include "bot/asio.hpp"
#include "bot/core/metrics.hpp"
#include "bot/domain/domain.hpp"
#include "bot/flow/case_store.hpp"
#include "bot/flow/door_share.hpp"
#include "bot/flow/recipients.hpp"
#include "bot/ingest/inbox.hpp"
#include "bot/platforms/bots.hpp"
#include "bot/redis/script.hpp"

#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace lianxin::admin {
class directory;
class bind_codes;
}

namespace lianxin::flow {

struct worker_options {
  std::string instance_id;       // unique per running instance
  int lease_ms = 15'000;         // a crashed instance's shards move after this
  int block_ms = 1'000;          // XREAD BLOCK
  int batch = 32;                // entries per read
  int retry_delay_ms = 500;      // after a Redis failure
  // While the webhooks are working flat out (ingest::inbox::saturated), the worker takes one
  // message for every this many events the door takes in; 0: no precedence for the door.
  int door_events_per_turn = 8;
  // Binding a group from the chat (`绑定 <code>` / `解绑 <code>`); off when not set.
  admin::directory* directory = nullptr;
  admin::bind_codes* bind_codes = nullptr;
};

// Lets the reader wait until every shard of one batch is done.
struct shard_join {
  shard_join(asio::any_io_executor ex, std::size_t n) : remaining(n), done(std::move(ex)) {
    done.expires_at(asio::steady_timer::time_point::max());
  }
  std::size_t remaining;
  bool failed = false;
  asio::steady_timer done;
};

class intake_worker {
 public:
  intake_worker(redis::client& redis, redis::client& blocking, const store::keys& keys, ingest::inbox& in,
                case_store& cases, std::function<std::shared_ptr<const domain::tenant_domain>()> domain,
                const platforms::bots& bots, metrics::registry& metrics, std::function<std::int64_t()> now,
                worker_options opt);

  // Runs until stop(); spawn it on the app's executor.
  awaitable<void> run();
  void stop() { stopping_ = true; }
  // On a graceful shutdown, once run() has returned (so no entry is half-processed): hands the
  // shards over at once instead of after lease_ms.
  awaitable<void> release_leases();

  // Processes one stored message (the entry `id` of `stream`). Public for tests.
  awaitable<bool> process(const std::string& stream, const std::string& id, const std::string& payload);

  // What one shard's batch shares while its entries are processed one after another (the
  // shard's lease makes this worker the only writer of its group conversations):
  //   - conv: the group conversations' states, read for the whole batch in one MGET; an entry
  //     whose commit writes one of these keys drops it, so the next entry reads it afresh;
  //   - acks: entries that changed nothing (small talk the bot stays out of, events it
  //     ignores). Their XDEL rides along with the shard's next commit, or one commit at the
  //     end of the batch. An entry is therefore never deleted before one that came earlier:
  //     after a crash, whatever is left is read again in stream order.
  //   - live: each entry's conversation counter (stream field l, see bot/ingest/inbox.hpp), by
  //     entry id; its acknowledgement subtracts one, in the same commit as the XDEL.
  struct shard_batch {
    std::unordered_map<std::string, std::optional<std::string>> conv;
    std::vector<std::string> acks;
    std::vector<const char*> outcomes;  // lx_intake_messages_total outcome of each deferred ack
    std::unordered_map<std::string, std::string> live;
  };
  // One inbox entry as read: id, message JSON, live counter key (empty when it has none).
  struct entry {
    std::string id;
    std::string payload;
    std::string live;
  };

 private:
  awaitable<std::vector<int>> renew_leases();
  awaitable<void> run_shard(std::string name, std::vector<entry> entries, std::shared_ptr<shard_join> join);
  // Every way a message ends (handled, refused, throttled) deletes its entry in the same commit,
  // and takes it off its conversation's live counter: whatever is still in a shard's stream has
  // not been processed. Returns the number of ops added.
  std::size_t stage_ack(commit& c, const std::string& stream, const std::string& id) const;
  awaitable<bool> process_message(const std::string& stream, const std::string& id,
                                  std::optional<adapters::inbound_message> msg);
  // Before each message: while the door is saturated, waits for its next group-commit rounds
  // until it has taken door_events_per_turn events since the worker's last message (shared by
  // the shards side by side).
  awaitable<void> give_way_to_door();
  // The conversation state stored under `key`, from the batch's MGET when it has it; nullopt
  // (outer) when Redis could not be read.
  awaitable<std::optional<std::optional<std::string>>> load_conversation(const std::string& stream,
                                                                          const std::string& key);
  // run_commit, carrying the acknowledgements the stream's batch deferred so far.
  awaitable<commit_result> commit_entry(const std::string& stream, commit& c);
  // Defers an entry whose commit would only acknowledge it; false when no batch is open.
  bool defer_ack(const std::string& stream, const std::string& id, const char* outcome);
  // Prefetch for a shard's batch, and its closing commit of the acknowledgements left.
  awaitable<void> open_batch(const std::string& stream, const std::vector<std::optional<adapters::inbound_message>>& msgs);
  awaitable<bool> close_batch(const std::string& stream);
  awaitable<bool> flush_qq_pending(const adapters::inbound_message& m);
  awaitable<workflow::intake::lookup_result> lookup(const domain::tenant_domain& d, const recipients& who,
                                                    const workflow::intake::effect& e,
                                                    const adapters::inbound_message& m,
                                                    const workflow::intake::turn_input& in, commit& c,
                                                    std::vector<workflow::transition>& staged);
  // Deputies, department handlers and residents' ratings: a chat command applied to a case.
  // nullopt when the message is not a command (it then goes to the intake dialogue).
  awaitable<std::optional<bool>> try_command(const domain::tenant_domain& d, const recipients& who,
                                             const adapters::inbound_message& m, bool conversation_open,
                                             const std::string& stream, const std::string& id);
  // `绑定 <code>` / `解绑 <code>` in a group; nullopt when the message is not one.
  awaitable<std::optional<bool>> try_binding(const domain::tenant_domain& d, const adapters::inbound_message& m,
                                             const std::string& stream, const std::string& id);
  adapters::outbound_message reply_to(const adapters::inbound_message& m, std::string text, std::size_t n) const;

  redis::client& redis_;
  redis::client& blocking_;
  const store::keys& keys_;
  ingest::inbox& inbox_;
  case_store& cases_;
  // Read once per message: a live roster edit swaps it between messages, never during one.
  std::function<std::shared_ptr<const domain::tenant_domain>()> domain_;
  const platforms::bots& bots_;
  metrics::registry& metrics_;
  std::function<std::int64_t()> now_;
  worker_options opt_;
  redis::script lease_script_;
  redis::script release_script_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> running_{false};
  std::unordered_map<std::string, shard_batch> batches_;  // by stream key; only while run_shard runs
  door_share door_share_{opt_.door_events_per_turn, opt_.batch};
};

}  // namespace lianxin::flow

// The outbox notifier against a real redis-server: what a crashed instance read but never
// acknowledged is delivered by another, once; what was already sent is not sent again.
#include "bot/core/metrics.hpp"
#include "bot/flow/notifier.hpp"
#include "bot/ingest/message_json.hpp"
#include "redis/redis_fixture.hpp"

#include <atomic>
#include <thread>

namespace lianxin::redis {
namespace {

class Notifier : public redis_fixture {
 protected:
  std::string payload(const std::string& key) {
    adapters::outbound_message m;
    m.target = {adapters::platform::onebot, "demo", adapters::chat_type::private_chat, "20001", "", 0, 0};
    m.segments.push_back({adapters::out_segment_kind::text, "新案件"});
    m.idempotency_key = key;
    return ingest::to_json(m).dump();
  }

  // Runs a notifier until `done` or the limit, then stops it.
  void run_notifier(std::shared_ptr<client> r, std::shared_ptr<client> blocking, std::atomic<int>& sends,
                    std::function<bool()> done, std::chrono::milliseconds limit) {
    flow::notifier_options opt;
    opt.consumer = "live";
    opt.claim_idle_ms = 200;
    opt.block_ms = 100;
    opt.group_merge_seconds = 0;
    opt.quiet_from_min = opt.quiet_to_min = 0;
    flow::send_fn send = [&sends](const adapters::outbound_message&) -> awaitable<flow::delivery> {
      ++sends;
      co_return flow::delivery{adapters::api_outcome::ok, "", std::chrono::milliseconds(0), false};
    };
    flow::notifier n(*r, *blocking, keys_, metrics_, send,
                     [] {
                       return std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                           .count();
                     },
                     opt);
    bool finished = false;
    asio::co_spawn(io_, n.run(), [&](std::exception_ptr) { finished = true; });
    auto deadline = std::chrono::steady_clock::now() + limit;
    drive([&] { return done() || std::chrono::steady_clock::now() > deadline; });
    n.stop();
    drive([&] { return finished; });
  }

  // The outbox stream with the notifier's consumer group, as the notifier creates it.
  void make_outbox(client& r) {
    args group{"XGROUP", "CREATE", keys_.make("outbox"), "notify", "0", "MKSTREAM"};
    ASSERT_TRUE(run(r.exec(group)).ok());
  }
  void queue(client& r, const std::string& key) {
    args add{"XADD", keys_.make("outbox"), "*", "m", payload(key), "a", "0"};
    ASSERT_TRUE(run(r.exec(add)).ok());
  }
  void mark_sent(client& r, const std::string& key) {
    args mark{"SET", keys_.make("sent", key), "1"};
    ASSERT_TRUE(run(r.exec(mark)).ok());
  }

  store::keys keys_{"lx", "t"};
  metrics::registry metrics_;
};

TEST_F(Notifier, WhatACrashedInstanceReadIsDeliveredOnceByAnother) {
  auto r = connect(server().url());
  auto blocking = connect(server().url());
  const std::string outbox = keys_.make("outbox");
  make_outbox(*r);
  queue(*r, "case/1/0#0");
  // The crashed instance: read the entry, then died mid-send without acknowledging it.
  args dead{"XREADGROUP", "GROUP", "notify", "crashed", "COUNT", "1", "STREAMS", outbox, ">"};
  ASSERT_TRUE(run(r->exec(dead)).ok());
  std::this_thread::sleep_for(300ms);

  std::atomic<int> sends{0};
  run_notifier(r, blocking, sends, [&] { return sends.load() >= 1; }, 5000ms);
  EXPECT_EQ(sends.load(), 1);
  // Acknowledged and remembered as sent; running again sends nothing more.
  args pending{"XPENDING", outbox, "notify"};
  EXPECT_EQ(run(r->exec(pending)).v.elements().at(0).as_integer(), 0);
  args sent{"EXISTS", keys_.make("sent", "case/1/0#0")};
  EXPECT_EQ(run(r->exec(sent)).v.as_integer(), 1);
  run_notifier(r, blocking, sends, [] { return false; }, 600ms);
  EXPECT_EQ(sends.load(), 1);
}

TEST_F(Notifier, AnEntryAlreadySentIsAcknowledgedWithoutSending) {
  auto r = connect(server().url());
  auto blocking = connect(server().url());
  const std::string outbox = keys_.make("outbox");
  make_outbox(*r);
  mark_sent(*r, "case/2/0#0");
  queue(*r, "case/2/0#0");
  std::atomic<int> sends{0};
  args len{"XLEN", outbox};
  run_notifier(r, blocking, sends, [] { return false; }, 1500ms);
  EXPECT_EQ(sends.load(), 0);
  EXPECT_EQ(run(r->exec(len)).v.as_integer(), 0);
}

TEST_F(Notifier, OneBatchSendsEachMessageOnceAndSkipsTheOnesAlreadySent) {
  // The reader asks Redis about a whole batch at once; a message queued twice in the batch is
  // still sent once, and one marked as sent is not sent at all.
  auto r = connect(server().url());
  auto blocking = connect(server().url());
  const std::string outbox = keys_.make("outbox");
  make_outbox(*r);
  mark_sent(*r, "case/3/0#0");
  for (const char* k : {"case/4/0#0", "case/3/0#0", "case/4/0#0", "case/5/0#0"}) queue(*r, k);
  std::atomic<int> sends{0};
  args len{"XLEN", outbox};
  run_notifier(r, blocking, sends, [] { return false; }, 1500ms);
  EXPECT_EQ(sends.load(), 2);
  EXPECT_EQ(run(r->exec(len)).v.as_integer(), 0);
  for (const char* k : {"case/4/0#0", "case/5/0#0"}) {
    args sent{"EXISTS", keys_.make("sent", k)};
    EXPECT_EQ(run(r->exec(sent)).v.as_integer(), 1) << k;
  }
}

}  // namespace
}  // namespace lianxin::redis

// The inbox's group commit against a real redis-server: webhook requests that arrive while an
// ingest script is on its way share the next script call, and each still gets its own answer
// (recorded or duplicate), with every event enqueued exactly once.
#include "bot/core/metrics.hpp"
#include "bot/ingest/inbox.hpp"
#include "bot/store/keys.hpp"
#include "redis/redis_fixture.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>

#include <map>

namespace lianxin::redis {
namespace {

class InboxGroupCommit : public redis_fixture {
 protected:
  static adapters::inbound_message event(const std::string& id, const std::string& user) {
    adapters::inbound_message m;
    m.source = adapters::platform::onebot;
    m.bot = "demo";
    m.chat = adapters::chat_type::group;
    m.chat_id = "900001";
    m.sender_id = user;
    m.message_id = id;
    m.text = "今天天气不错";
    m.dedupe_key = "onebot:10000:" + id;
    return m;
  }

  // Starts every call before any runs, drives them all to completion; returns the results.
  std::vector<ingest::store_result> store_all(ingest::inbox& in, const std::vector<std::vector<adapters::inbound_message>>& calls) {
    std::vector<std::optional<ingest::store_result>> out(calls.size());
    for (std::size_t i = 0; i < calls.size(); ++i) {
      asio::co_spawn(io_, in.store(calls[i]), [&out, i](std::exception_ptr e, ingest::store_result r) {
        ASSERT_FALSE(e);
        out[i] = std::move(r);
      });
    }
    drive([&] {
      for (const auto& o : out)
        if (!o) return false;
      return true;
    });
    std::vector<ingest::store_result> res;
    for (auto& o : out) res.push_back(std::move(*o));
    return res;
  }

  long long inbox_length(const ingest::inbox& in) {
    long long n = 0;
    for (int s = 0; s < in.shards(); ++s) {
      args len{"XLEN", in.shard_key(s)};
      n += run(raw_->exec(len)).v.int_value();
    }
    return n;
  }

  void SetUp() override {
    server().flush();
    raw_ = connect(server().url());
  }

  store::keys keys_{"lx", "t"};
  metrics::registry metrics_;
  std::shared_ptr<client> raw_;
};

TEST_F(InboxGroupCommit, RequestsArrivingTogetherShareScriptCallsAndEachGetsItsOwnAnswer) {
  int round_trips = 0;
  observer obs;
  obs.on_round_trip = [&](std::size_t) { ++round_trips; };
  auto r = connect(server().url(), obs);
  ingest::inbox in(*r, keys_, metrics_, {});
  store_all(in, {{event("warm-up", "w")}});  // loads the script (NOSCRIPT costs a round trip)
  // 40 webhook requests at once: 20 distinct events, each delivered twice (a platform retry
  // racing the original), and 10 requests carrying two events, one of them already seen.
  std::vector<std::vector<adapters::inbound_message>> calls;
  for (int i = 0; i < 20; ++i) calls.push_back({event("m" + std::to_string(i), "u" + std::to_string(i))});
  for (int i = 0; i < 20; ++i) calls.push_back({event("m" + std::to_string(i), "u" + std::to_string(i))});
  for (int i = 0; i < 10; ++i) calls.push_back({event("n" + std::to_string(i), "v"), event("m" + std::to_string(i), "u")});
  round_trips = 0;
  auto res = store_all(in, calls);

  std::size_t fresh = 0, dup = 0;
  for (const auto& x : res) {
    ASSERT_TRUE(x.ok) << x.error;
    fresh += x.fresh;
    dup += x.duplicates;
  }
  EXPECT_EQ(fresh, 30u);  // m0..m19 and n0..n9, each once
  EXPECT_EQ(dup, 30u);    // the 20 retries and the 10 repeated m0..m9
  for (int i = 0; i < 20; ++i) EXPECT_EQ(res[i].fresh + res[20 + i].fresh, 1u) << i;  // one of each pair won
  for (int i = 40; i < 50; ++i) {
    EXPECT_EQ(res[i].fresh, 1u);
    EXPECT_EQ(res[i].duplicates, 1u);
  }
  EXPECT_EQ(inbox_length(in), 31);
  // The first went alone (one group on its way at a time, the default); the 49 that came
  // while it was went together in the next one.
  EXPECT_EQ(round_trips, 2);
}

TEST_F(InboxGroupCommit, AGroupStaysWithinItsEventLimitAndAFailureFailsOnlyItsGroup) {
  int round_trips = 0;
  observer obs;
  obs.on_round_trip = [&](std::size_t) { ++round_trips; };
  auto r = connect(server().url(), obs);
  ingest::inbox_options opt;
  opt.max_group_events = 8;
  opt.groups_in_flight = 2;
  ingest::inbox in(*r, keys_, metrics_, opt);
  store_all(in, {{event("warm-up", "u")}});  // loads the script (NOSCRIPT costs a round trip)
  round_trips = 0;
  std::vector<std::vector<adapters::inbound_message>> calls;
  for (int i = 0; i < 33; ++i) calls.push_back({event("k" + std::to_string(i), "u")});
  auto res = store_all(in, calls);
  for (const auto& x : res) EXPECT_TRUE(x.ok && x.fresh == 1) << x.error;
  EXPECT_EQ(round_trips, 2 + 4);  // the first two alone (two may be on their way), then 31 in groups of at most 8
  EXPECT_EQ(inbox_length(in), 34);

  // Redis gone: every waiting request fails (503 to the platform, which retries), none hangs.
  run(r->stop());
  calls.clear();
  for (int i = 0; i < 5; ++i) calls.push_back({event("z" + std::to_string(i), "u")});
  res = store_all(in, calls);
  for (const auto& x : res) {
    EXPECT_FALSE(x.ok);
    EXPECT_FALSE(x.error.empty());
  }
  EXPECT_EQ(inbox_length(in), 34);
}

TEST_F(InboxGroupCommit, TheDoorSaysWhenWebhooksPileUpAndWhenItsRoundEnds) {
  auto r = connect(server().url());
  ingest::inbox in(*r, keys_, metrics_, {});  // saturated from 8 events gathered behind a round
  // Idle: not saturated, and next_round() does not wait for a round nobody started.
  EXPECT_FALSE(in.saturated());
  bool resumed = false;
  asio::co_spawn(io_, in.next_round(), [&](std::exception_ptr) { resumed = true; });
  drive([&] { return resumed; });
  store_all(in, {{event("warm-up", "w")}});
  EXPECT_EQ(in.events_taken(), 1u);
  EXPECT_FALSE(in.saturated());

  // A round held up in Redis while 10 webhooks arrive: they go together in the next round, and
  // the door is saturated while that one is on its way. A few (3) would not have made it so.
  auto pile_up = [&](int n, const std::string& tag) {
    args pause{"CLIENT", "PAUSE", "300", "ALL"};
    EXPECT_TRUE(run(raw_->exec(pause)).ok());
    std::vector<std::optional<ingest::store_result>> out(n + 1);
    // store() takes its events by reference: they live here until it is done.
    std::vector<std::vector<adapters::inbound_message>> calls;
    calls.push_back({event(tag + "-first", "a")});
    for (int i = 1; i <= n; ++i) calls.push_back({event(tag + std::to_string(i), "b" + std::to_string(i))});
    asio::co_spawn(io_, in.store(calls[0]),
                   [&out](std::exception_ptr, ingest::store_result x) { out[0] = std::move(x); });
    asio::steady_timer t(io_, std::chrono::milliseconds(60));
    bool waited = false;
    t.async_wait([&](auto) { waited = true; });
    drive([&] { return waited; });  // the first round is now on its way, paused in Redis
    EXPECT_FALSE(out[0]);
    for (int i = 1; i <= n; ++i) {
      asio::co_spawn(io_, in.store(calls[static_cast<std::size_t>(i)]),
                     [&out, i](std::exception_ptr, ingest::store_result x) { out[i] = std::move(x); });
    }
    std::optional<bool> during;
    std::uint64_t taken_then = 0;
    asio::co_spawn(io_, in.next_round(), [&](std::exception_ptr) {
      during = in.saturated();  // the first round is done; the next one has just been sent
      taken_then = in.events_taken();
    });
    drive([&] {
      for (const auto& o : out)
        if (!o) return false;
      return during.has_value();
    });
    for (const auto& o : out) EXPECT_TRUE(o->ok && o->fresh == 1) << o->error;
    return std::make_pair(*during, taken_then);
  };
  auto [many, taken_many] = pile_up(10, "many");
  EXPECT_TRUE(many);
  EXPECT_EQ(taken_many, 2u);  // the warm-up and the first of this round
  EXPECT_EQ(in.events_taken(), 12u);
  EXPECT_FALSE(in.saturated());  // idle again
  auto [few, taken_few] = pile_up(3, "few");
  EXPECT_FALSE(few);
  EXPECT_EQ(taken_few, 13u);
  EXPECT_EQ(in.events_taken(), 16u);
  EXPECT_EQ(inbox_length(in), 16);
}

}  // namespace
}  // namespace lianxin::redis

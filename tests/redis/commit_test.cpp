// The one-round-trip commit script against a real redis-server: version checks, and the rate
// guards the intake worker counts inside the commit (counted only when the checks pass; over the
// limit the guarded writes are skipped, the acknowledgements still happen, and the notice goes
// out exactly once, when a counter has just gone over).
#include "bot/flow/commit.hpp"
#include "redis/redis_fixture.hpp"

namespace lianxin::redis {
namespace {

class Commit : public redis_fixture {
 protected:
  // A commit like the worker's: one guarded write, one acknowledgement, one notice.
  flow::commit guarded(int n, long long limit, long long group_limit = 1000) {
    flow::commit c;
    c.guards.push_back({"lx:{t}:rl:r:me", limit, 120});
    c.guards.push_back({"lx:{t}:rl:g:grp", group_limit, 120});
    c.op({"RPUSH", "lx:{t}:done", std::to_string(n)});
    c.guarded_ops = c.ops.size();
    c.op({"RPUSH", "lx:{t}:acks", std::to_string(n)});
    c.notice_ops.push_back({"RPUSH", "lx:{t}:notices", std::to_string(n)});
    return c;
  }
  std::vector<std::string> list(const std::string& key) {
    std::vector<std::string> out;
    const auto items = server().command({"LRANGE", key, "0", "-1"});
    for (const auto& e : items.elements()) out.push_back(e.text());
    return out;
  }
};

TEST_F(Commit, GuardsSkipTheWorkOverTheLimitKeepTheAcksAndNoticeOnce) {
  auto r = connect(server().url());
  std::vector<bool> limited;
  for (int n = 1; n <= 6; ++n) {
    auto res = run(flow::run_commit(*r, guarded(n, 3)));
    ASSERT_TRUE(res.ok) << res.detail;
    limited.push_back(res.limited);
  }
  EXPECT_EQ(limited, (std::vector<bool>{false, false, false, true, true, true}));
  EXPECT_EQ(list("lx:{t}:done"), (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(list("lx:{t}:acks"), (std::vector<std::string>{"1", "2", "3", "4", "5", "6"}));
  EXPECT_EQ(list("lx:{t}:notices"), (std::vector<std::string>{"4"}));
  EXPECT_EQ(server().command({"GET", "lx:{t}:rl:r:me"}).text(), "6");
  auto ttl = server().command({"TTL", "lx:{t}:rl:r:me"}).int_value();
  EXPECT_GT(ttl, 100);
  EXPECT_LE(ttl, 120);
}

TEST_F(Commit, EitherCounterOverItsLimitLimitsTheMessage) {
  auto r = connect(server().url());
  // The group's counter goes over at its third message although the resident's stays inside.
  for (int n = 1; n <= 3; ++n) {
    auto res = run(flow::run_commit(*r, guarded(n, 100, 2)));
    ASSERT_TRUE(res.ok);
    EXPECT_EQ(res.limited, n == 3) << n;
  }
  EXPECT_EQ(list("lx:{t}:done"), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(list("lx:{t}:notices"), (std::vector<std::string>{"3"}));
}

TEST_F(Commit, AFailedVersionCheckChangesNothingAndCountsNothing) {
  auto r = connect(server().url());
  server().command({"HSET", "lx:{t}:case:1", "ver", "2"});
  auto c = guarded(1, 3);
  c.checks.emplace_back("lx:{t}:case:1", 1);
  auto res = run(flow::run_commit(*r, c));
  EXPECT_FALSE(res.ok);
  EXPECT_TRUE(res.conflict);
  EXPECT_EQ(res.detail, "lx:{t}:case:1");
  EXPECT_EQ(server().command({"EXISTS", "lx:{t}:rl:r:me", "lx:{t}:done", "lx:{t}:acks"}).int_value(), 0);

  c.checks.back().second = 2;
  res = run(flow::run_commit(*r, c));
  EXPECT_TRUE(res.ok);
  EXPECT_FALSE(res.limited);
  EXPECT_EQ(server().command({"GET", "lx:{t}:rl:r:me"}).text(), "1");
}

TEST_F(Commit, WithoutGuardsEveryOperationRunsAndNoticesNever) {
  auto r = connect(server().url());
  flow::commit c;
  c.op({"SET", "lx:{t}:a", "1"});
  c.guarded_ops = 1;  // ignored without guards
  c.notice_ops.push_back({"SET", "lx:{t}:n", "1"});
  auto res = run(flow::run_commit(*r, c));
  EXPECT_TRUE(res.ok);
  EXPECT_FALSE(res.limited);
  EXPECT_EQ(server().command({"EXISTS", "lx:{t}:a"}).int_value(), 1);
  EXPECT_EQ(server().command({"EXISTS", "lx:{t}:n"}).int_value(), 0);
}

}  // namespace
}  // namespace lianxin::redis

// The async client against a real redis-server (unix socket and TCP).
#include "redis/redis_fixture.hpp"

#include <random>

namespace lianxin::redis {
namespace {

class RedisClient : public redis_fixture {};

void expect_basic_commands(client& c, auto& self) {
  args set{"SET", "greeting", "hello"};
  EXPECT_TRUE(self.run(c.exec(set)).v.is_ok());
  args get{"GET", "greeting"};
  EXPECT_EQ(self.run(c.exec(get)).v, value::string("hello"));
  args incr{"INCR", "n"};
  EXPECT_EQ(self.run(c.exec(incr)).v, value::integer(1));
  args missing{"GET", "missing"};
  EXPECT_TRUE(self.run(c.exec(missing)).v.is_nil());
  args wrong{"LPUSH", "greeting", "x"};
  auto r = self.run(c.exec(wrong));
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.ec);
  EXPECT_EQ(r.v.error_code(), "WRONGTYPE");
  args range{"LRANGE", "nothing", "0", "-1"};
  EXPECT_EQ(self.run(c.exec(range)).v, value::array({}));
}

TEST_F(RedisClient, BasicCommandsOverUnixSocket) {
  auto c = connect(server().url());
  EXPECT_TRUE(c->connected());
  expect_basic_commands(*c, *this);
}

TEST_F(RedisClient, BasicCommandsOverTcp) {
  auto c = connect(server().tcp_url());
  expect_basic_commands(*c, *this);
}

TEST_F(RedisClient, SelectsTheDatabaseFromTheUrl) {
  auto c3 = connect(server().url() + "?db=3");
  auto c0 = connect(server().tcp_url() + "/0");
  args set{"SET", "where", "three"};
  ASSERT_TRUE(run(c3->exec(set)).ok());
  args get{"GET", "where"};
  EXPECT_TRUE(run(c0->exec(get)).v.is_nil());
  EXPECT_EQ(run(c3->exec(get)).v, value::string("three"));
  args info{"CLIENT", "INFO"};
  EXPECT_NE(run(c3->exec(info)).v.text().find(" db=3 "), std::string::npos);
}

TEST_F(RedisClient, BinarySafeKeysAndValues) {
  auto c = connect(server().url());
  std::string key("k\0\r\n", 4);
  std::string val("\0\xff\r\n$3\r\n*1\0", 12);
  args set{"SET", key, val};
  ASSERT_TRUE(run(c->exec(set)).ok());
  args get{"GET", key};
  EXPECT_EQ(run(c->exec(get)).v.text(), val);
  args strlen{"STRLEN", key};
  EXPECT_EQ(run(c->exec(strlen)).v, value::integer(12));
}

TEST_F(RedisClient, LargeValues) {
  auto c = connect(server().url());
  std::string big(1 << 20, '\0');
  std::mt19937 rng(7);
  for (auto& ch : big) ch = static_cast<char>(rng());
  args set{"SET", "big", big};
  ASSERT_TRUE(run(c->exec(set)).ok());
  args get{"GET", "big"};
  auto r = run(c->exec(get));
  ASSERT_TRUE(r.ok()) << r.error_message();
  EXPECT_EQ(r.v.text().size(), big.size());
  EXPECT_TRUE(r.v.text() == big);
}

TEST_F(RedisClient, ConcurrentCommandsArePipelinedIntoFewWrites) {
  auto c = connect(server().url());
  auto writes_before = c->write_count();
  constexpr int n = 1000;
  int finished = 0;
  int ok = 0;
  for (int i = 0; i < n; ++i) {
    asio::co_spawn(
        io_,
        [c, i, &finished, &ok]() -> awaitable<void> {
          args incr{"INCR", "counter"};
          args set{"SET", "key:" + std::to_string(i), std::to_string(i)};
          auto a = co_await c->exec(incr);
          auto b = co_await c->exec(set);
          ok += a.ok() && b.ok();
          ++finished;
        },
        asio::detached);
  }
  drive([&] { return finished == n; });
  ASSERT_EQ(finished, n);
  EXPECT_EQ(ok, n);
  EXPECT_EQ(server().command({"GET", "counter"}), value::string("1000"));
  EXPECT_EQ(server().command({"GET", "key:777"}), value::string("777"));
  auto writes = c->write_count() - writes_before;
  EXPECT_LT(writes, 100u) << "2000 commands took " << writes << " writes";
}

TEST_F(RedisClient, ExecManyIsOneWriteAndKeepsOrder) {
  auto c = connect(server().url());
  std::vector<args> cmds;
  for (int i = 0; i < 100; ++i) cmds.push_back({"RPUSH", "list", std::to_string(i)});
  cmds.push_back({"LPOP", "not-a-list", "x", "y"});  // an error in the middle of the batch
  cmds.push_back({"LLEN", "list"});
  auto before = c->write_count();
  auto replies = run(c->exec_many(cmds));
  EXPECT_EQ(c->write_count() - before, 1u);
  ASSERT_EQ(replies.size(), 102u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(replies[i].v, value::integer(i + 1));
  EXPECT_FALSE(replies[100].ok());
  EXPECT_EQ(replies[101].v, value::integer(100));
}

}  // namespace
}  // namespace lianxin::redis

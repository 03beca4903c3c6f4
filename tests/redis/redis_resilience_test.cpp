// Timeouts, AUTH, the script cache, fail-fast while down, reconnect and blocking reads.
#include "redis/redis_fixture.hpp"

namespace lianxin::redis {
namespace {

class RedisResilience : public redis_fixture {};

using clock = std::chrono::steady_clock;

TEST_F(RedisResilience, PerCommandTimeoutThenTheConnectionStillWorks) {
  auto c = connect(server().url());
  args sleep{"DEBUG", "SLEEP", "0.5"};
  auto t0 = clock::now();
  auto r = run(c->exec(sleep, 100ms));
  auto took = clock::now() - t0;
  EXPECT_EQ(r.ec, make_error_code(errc::timeout)) << r.error_message();
  EXPECT_NE(r.error_message().find("no reply to DEBUG within 100ms"), std::string::npos) << r.error_message();
  EXPECT_LT(took, 400ms);
  // The server stayed silent for the whole timeout, so the client reconnects rather than
  // queue everything behind the stuck reply; afterwards commands work again.
  ASSERT_TRUE(run(c->wait_connected(3s))) << c->last_error();
  args ping{"ECHO", "after"};
  auto r2 = run(c->exec(ping));
  EXPECT_EQ(r2.v, value::string("after")) << r2.error_message();
}

TEST_F(RedisResilience, BlockingReadsUseTheirOwnClientAndLongerTimeout) {
  auto blocking = connect(server().url(), {}, true, 5s);
  auto c = connect(server().url());
  args pop{"BLPOP", "jobs", "0.3"};
  auto t0 = clock::now();
  auto r = run(blocking->exec(pop));
  EXPECT_TRUE(r.ok()) << r.error_message();
  EXPECT_TRUE(r.v.is_nil());
  EXPECT_GE(clock::now() - t0, 250ms);
  args push{"RPUSH", "jobs", "j1"};
  ASSERT_TRUE(run(c->exec(push)).ok());
  args pop2{"BLPOP", "jobs", "1"};
  EXPECT_EQ(run(blocking->exec(pop2)).v, value::array({value::string("jobs"), value::string("j1")}));
}

TEST_F(RedisResilience, ScriptCacheReloadsAfterScriptFlush) {
  auto c = connect(server().url());
  script incr_by("return redis.call('INCRBY', KEYS[1], ARGV[1])");
  args keys{"n"};
  args argv{"5"};
  EXPECT_EQ(run(c->eval(incr_by, keys, argv)).v, value::integer(5));
  EXPECT_EQ(server().command({"SCRIPT", "EXISTS", incr_by.sha1()}), value::array({value::integer(1)}));
  ASSERT_TRUE(server().command({"SCRIPT", "FLUSH"}).is_ok());
  EXPECT_EQ(run(c->eval(incr_by, keys, argv)).v, value::integer(10));
  EXPECT_EQ(server().command({"SCRIPT", "EXISTS", incr_by.sha1()}), value::array({value::integer(1)}));
  script broken("return redis.call('NOPE')");
  auto r = run(c->eval(broken, {}, {}));
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.ec);
}

TEST_F(RedisResilience, AuthWithPasswordAndAclUser) {
  test::redis_server_options o;
  o.password = "s3cret";
  test::redis_server secured(o);
  auto c = connect(secured.url());
  args ping{"PING"};
  EXPECT_EQ(run(c->exec(ping)).v, value::status("PONG"));
  auto acl = secured.command({"ACL", "SETUSER", "alice", "on", ">a:l@ce pw", "~*", "+@all"});
  ASSERT_TRUE(acl.is_ok()) << acl.debug_string();
  auto as_alice = connect("redis://alice:a%3Al%40ce%20pw@127.0.0.1:" + std::to_string(secured.tcp_port()) + "/1");
  args who{"ACL", "WHOAMI"};
  EXPECT_EQ(run(as_alice->exec(who)).v, value::string("alice"));

  auto wrong = connect("unix://" + secured.unix_path() + "?password=nope", {}, false);
  EXPECT_FALSE(run(wrong->wait_connected(500ms)));
  EXPECT_NE(wrong->last_error().find("AUTH failed: WRONGPASS"), std::string::npos) << wrong->last_error();
  auto r = run(wrong->exec(ping));
  EXPECT_EQ(r.ec, make_error_code(errc::unavailable));
  EXPECT_EQ(r.error_message().find("nope"), std::string::npos) << "password leaked: " << r.error_message();

  auto none = connect("unix://" + secured.unix_path(), {}, false);
  EXPECT_FALSE(run(none->wait_connected(500ms)));
  EXPECT_NE(none->last_error().find("NOAUTH"), std::string::npos) << none->last_error();
}

TEST_F(RedisResilience, FailsFastWithAClearErrorWhenNothingListens) {
  auto c = connect("unix:///nonexistent/redis.sock", {}, false);
  EXPECT_FALSE(run(c->wait_connected(200ms)));
  args ping{"PING"};
  auto t0 = clock::now();
  auto r = run(c->exec(ping));
  EXPECT_LT(clock::now() - t0, 50ms);
  EXPECT_EQ(r.ec, make_error_code(errc::unavailable));
  EXPECT_EQ(r.error_message(), "redis unavailable: no such file or directory (unix:/nonexistent/redis.sock)");

  auto tcp = connect("redis://127.0.0.1:1", {}, false);
  EXPECT_FALSE(run(tcp->wait_connected(200ms)));
  EXPECT_EQ(run(tcp->exec(ping)).error_message(), "redis unavailable: connection refused (127.0.0.1:1)");
}

TEST_F(RedisResilience, InFlightCommandsFailOnDisconnectAndTheClientReconnects) {
  test::redis_server own;
  std::vector<std::string> states;
  observer obs;
  obs.on_state = [&](bool up, std::string_view why) { states.push_back(up ? "up" : "down: " + std::string(why)); };
  auto c = connect(own.url(), obs);
  asio::steady_timer killer(io_, 100ms);
  killer.async_wait([&](error_code) { own.kill_hard(); });
  args sleep{"DEBUG", "SLEEP", "2"};
  auto r = run(c->exec(sleep, 5s));
  EXPECT_EQ(r.ec, make_error_code(errc::disconnected)) << r.error_message();
  EXPECT_NE(r.error_message().find("(unix:" + own.unix_path() + ")"), std::string::npos) << r.error_message();

  // While down: fail fast, never hang.
  drive([&] { return !c->connected(); });
  args ping{"PING"};
  auto t0 = clock::now();
  auto down = run(c->exec(ping));
  EXPECT_LT(clock::now() - t0, 50ms);
  EXPECT_EQ(down.ec, make_error_code(errc::unavailable)) << down.error_message();

  own.start();
  ASSERT_TRUE(run(c->wait_connected(5s))) << c->last_error();
  EXPECT_EQ(run(c->exec(ping)).v, value::status("PONG"));
  ASSERT_GE(states.size(), 3u);
  EXPECT_EQ(states.front(), "up");
  EXPECT_EQ(states[1].rfind("down: ", 0), 0u) << states[1];
  EXPECT_EQ(states.back(), "up");
  stop_all();
}

TEST_F(RedisResilience, ReconnectsAfterAGracefulRestart) {
  test::redis_server own;
  auto c = connect(own.tcp_url());
  own.restart();
  ASSERT_TRUE(run(c->wait_connected(5s))) << c->last_error();
  // The first command after a restart may race the detection of the old connection's close.
  args ping{"PING"};
  auto r = run(c->exec(ping));
  if (!r.ok()) {
    EXPECT_TRUE(run(c->wait_connected(5s)));
    r = run(c->exec(ping));
  }
  EXPECT_EQ(r.v, value::status("PONG")) << r.error_message();
}

TEST_F(RedisResilience, ObserverSeesEveryCommand) {
  std::vector<std::pair<std::string, bool>> seen;
  observer obs;
  obs.on_command = [&](std::string_view name, double seconds, bool ok) {
    EXPECT_GE(seconds, 0.0);
    seen.emplace_back(std::string(name), ok);
  };
  auto c = connect(server().url(), obs);
  args set{"SET", "a", "1"};
  args bad{"HGET", "a", "f"};
  run(c->exec(set));
  run(c->exec(bad));
  ASSERT_EQ(seen.size(), 2u);  // the handshake is not reported
  EXPECT_EQ(seen[0], std::make_pair(std::string("SET"), true));
  EXPECT_EQ(seen[1], std::make_pair(std::string("HGET"), false));
  stop_all();
}

TEST_F(RedisResilience, StopFailsLaterCommands) {
  auto c = connect(server().url());
  run(c->stop());
  EXPECT_FALSE(c->connected());
  args ping{"PING"};
  EXPECT_EQ(run(c->exec(ping)).ec, make_error_code(errc::stopped));
}

}  // namespace
}  // namespace lianxin::redis

// URL parsing and redaction for the Redis options, and the value helpers.
#include "bot/redis/script.hpp"
#include "bot/redis/url.hpp"
#include "bot/redis/value.hpp"

#include <gtest/gtest.h>

namespace lianxin::redis {
namespace {

TEST(RedisUrl, TcpForms) {
  auto r = parse_url("redis://localhost");
  ASSERT_TRUE(r.ok()) << r.error;
  auto t = std::get<tcp_endpoint>(r.opt.where);
  EXPECT_EQ(t.host, "localhost");
  EXPECT_EQ(t.port, 6379);
  EXPECT_EQ(r.opt.db, 0);

  r = parse_url("redis://user:p%40ss:w@10.0.0.1:6380/2");
  ASSERT_TRUE(r.ok()) << r.error;
  t = std::get<tcp_endpoint>(r.opt.where);
  EXPECT_EQ(t.host, "10.0.0.1");
  EXPECT_EQ(t.port, 6380);
  EXPECT_EQ(r.opt.username, "user");
  EXPECT_EQ(r.opt.password, "p@ss:w");
  EXPECT_EQ(r.opt.db, 2);
  EXPECT_EQ(r.opt.redacted(), "redis://user:***@10.0.0.1:6380/2");

  r = parse_url("redis://:secret@[::1]:7000/");
  ASSERT_TRUE(r.ok()) << r.error;
  t = std::get<tcp_endpoint>(r.opt.where);
  EXPECT_EQ(t.host, "::1");
  EXPECT_EQ(t.port, 7000);
  EXPECT_EQ(r.opt.username, "");
  EXPECT_EQ(r.opt.password, "secret");
  EXPECT_EQ(r.opt.redacted(), "redis://:***@[::1]:7000");
  EXPECT_EQ(to_string(r.opt.where), "[::1]:7000");
}

TEST(RedisUrl, UnixForms) {
  auto r = parse_url("unix:///var/run/redis.sock?db=3&password=a%26b");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(std::get<unix_endpoint>(r.opt.where).path, "/var/run/redis.sock");
  EXPECT_EQ(r.opt.db, 3);
  EXPECT_EQ(r.opt.password, "a&b");
  EXPECT_EQ(r.opt.redacted(), "unix:///var/run/redis.sock?db=3&password=***");
  EXPECT_EQ(to_string(r.opt.where), "unix:/var/run/redis.sock");
  EXPECT_EQ(parse_url("unix:///tmp/r.sock").opt.redacted(), "unix:///tmp/r.sock");
}

TEST(RedisUrl, SentinelForm) {
  auto r = parse_url("redis-sentinel://:pw@s1:26379,s2,[::1]:5000/mymaster/4");
  ASSERT_TRUE(r.ok()) << r.error;
  auto s = std::get<sentinel_endpoint>(r.opt.where);
  ASSERT_EQ(s.sentinels.size(), 3u);
  EXPECT_EQ(s.sentinels[1].host, "s2");
  EXPECT_EQ(s.sentinels[1].port, 26379);
  EXPECT_EQ(s.sentinels[2].port, 5000);
  EXPECT_EQ(s.master, "mymaster");
  EXPECT_EQ(r.opt.db, 4);
  EXPECT_EQ(r.opt.redacted(), "redis-sentinel://:***@s1:26379,s2:26379,[::1]:5000/mymaster/4");
}

TEST(RedisUrl, KeepsTimeoutsFromBase) {
  options base;
  base.command_timeout = std::chrono::milliseconds(30000);
  base.name = "blocking";
  base.password = "stale";
  auto r = parse_url("redis://h", base);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.opt.command_timeout.count(), 30000);
  EXPECT_EQ(r.opt.name, "blocking");
  EXPECT_EQ(r.opt.password, "");
}

TEST(RedisUrl, PreciseErrors) {
  struct bad_case {
    const char* url;
    const char* message_part;
  };
  for (auto [url, part] : std::initializer_list<bad_case>{
           {"localhost:6379", "no scheme"},
           {"http://x", "unknown scheme 'http'"},
           {"rediss://x", "TLS"},
           {"redis://", "missing host"},
           {"redis://h:0", "invalid port '0'"},
           {"redis://h:99999", "invalid port '99999'"},
           {"redis://h:abc", "invalid port 'abc'"},
           {"redis://h/x", "invalid database number 'x'"},
           {"redis://pw@h", "credentials need a ':'"},
           {"redis://:%zz@h", "percent-escape"},
           {"redis://[::1", "unterminated '['"},
           {"redis://h?db=1", "query parameters"},
           {"unix://relative.sock", "must be absolute"},
           {"unix:///s.sock?tls=1", "unknown query parameter 'tls'"},
           {"unix:///s.sock?db=-1", "invalid database number"},
           {"redis-sentinel://s1:26379", "missing master name"},
           {"redis-sentinel://s1:x/m", "sentinel: invalid port"},
       }) {
    auto r = parse_url(url);
    EXPECT_FALSE(r.ok()) << url;
    EXPECT_NE(r.error.find(part), std::string::npos) << url << " -> " << r.error;
  }
}

TEST(RedisValue, HelpersAndRendering) {
  EXPECT_EQ(value::string("12").as_integer(), 12);
  EXPECT_EQ(value::string("12x").as_integer(), std::nullopt);
  EXPECT_EQ(value::integer(-3).as_integer(), -3);
  EXPECT_EQ(value::integer(3).as_string(), std::nullopt);
  EXPECT_EQ(value::status("OK").as_string(), "OK");
  EXPECT_TRUE(value::status("OK").is_ok());
  EXPECT_EQ(value::error("NOSCRIPT No matching script").error_code(), "NOSCRIPT");
  EXPECT_EQ(value::nil().debug_string(), "(nil)");
  EXPECT_EQ(value::string(std::string("a\0\"", 3)).debug_string(), "\"a\\x00\\\"\"");
  EXPECT_EQ(value::array({value::integer(1), value::status("OK")}).debug_string(), "[(integer) 1, +OK]");
  EXPECT_EQ(value::string(std::string(10, 'x')).debug_string(4), "\"xxxx...(10 bytes)\"");
}

TEST(RedisScript, Sha1MatchesRedis) {
  // SCRIPT LOAD "return 1" answers e0e1f9fabfc9d4800c877a703b823ac0578ff8db.
  EXPECT_EQ(script("return 1").sha1(), "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
}

}  // namespace
}  // namespace lianxin::redis

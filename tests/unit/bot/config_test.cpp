#include "bot/api/settings.hpp"
#include "bot/api/stats_api.hpp"
#include "bot/flow/digests.hpp"
#include "bot/flow/notify_config.hpp"
#include "bot/config/config.hpp"
#include "support/paths.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

using lianxin::config::config_error;
using lianxin::config::load_file;
using lianxin::config::load_text;

namespace {
std::string error_of(const std::string& text) {
  try {
    load_text(text, "x.json");
  } catch (const config_error& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST(Config, ExampleFileLoadsAndMatchesDefaults) {
  auto c = load_file(lianxin::test::source_dir() + "/config/lianxin.example.json");
  lianxin::config::config d = load_text("{}", "d.json");
  auto shown = lianxin::config::effective(c);
  // Sections read by later layers are checked by those layers' readers below.
  shown.erase("admin");
  shown.erase("web");
  shown.erase("sandbox");
  shown.erase("stats");    // bot/api/stats_api reads it; checked below
  shown.erase("digests");  // bot/flow/digests reads it; checked below
  shown.erase("notify");  // bot/flow/notify_config reads it; checked below  // bot/sandbox reads it; its defaults are checked in sandbox_protocol_test.cpp
  EXPECT_EQ(shown, lianxin::config::effective(d)) << "config/lianxin.example.json must show the defaults";
  auto a = lianxin::api::read_settings(c), b = lianxin::api::read_settings(d);
  EXPECT_EQ(a.admin_token, b.admin_token);
  EXPECT_EQ(a.link_secret, b.link_secret);
  lianxin::flow::notifier_options na, nb;
  lianxin::flow::read_notify_config(c, na);
  lianxin::flow::read_notify_config(d, nb);
  EXPECT_EQ(na.group_merge_seconds, nb.group_merge_seconds);
  EXPECT_EQ(na.quiet_from_min, nb.quiet_from_min);
  EXPECT_EQ(na.quiet_to_min, nb.quiet_to_min);
  EXPECT_EQ(na.utc_offset_min, nb.utc_offset_min);
  auto sa = lianxin::api::read_stats_settings(c, 480), sb = lianxin::api::read_stats_settings(d, 480);
  EXPECT_EQ(sa.response_window_seconds, sb.response_window_seconds);
  EXPECT_EQ(sa.max_span_days, sb.max_span_days);
  auto ga = lianxin::flow::read_digest_settings(c), gb = lianxin::flow::read_digest_settings(d);
  EXPECT_EQ(ga.enabled, gb.enabled);
  EXPECT_EQ(ga.weekly, gb.weekly);
  EXPECT_EQ(ga.monthly, gb.monthly);
  EXPECT_EQ(ga.max_cases_listed, gb.max_cases_listed);
}

TEST(Config, StatsAndDigestSettingsAreValidated) {
  auto err = [](const char* text) {
    try {
      auto c = load_text(text, "x.json");
      lianxin::api::read_stats_settings(c, 480);
      lianxin::flow::read_digest_settings(c);
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(err(R"({"digests":{"weekly":"monday 09:00"}})"),
            "x.json: digests.weekly: the weekday must be one of mon tue wed thu fri sat sun");
  EXPECT_EQ(err(R"({"digests":{"monthly":"31 09:00"}})"),
            "x.json: digests.monthly: the day of the month must be 1..28 (every month has it)");
  EXPECT_EQ(err(R"({"digests":{"weekly":"mon 9am"}})"), "x.json: digests.weekly: the time must be HH:MM (00:00-23:59)");
  EXPECT_EQ(err(R"({"digests":{"enable":true}})"), "x.json: digests.enable: unknown key");
  EXPECT_EQ(err(R"({"stats":{"response_hours":0}})").rfind("x.json: stats.response_hours: ", 0), 0u);
  EXPECT_EQ(err(R"({"digests":[]})"), "x.json: digests: must be an object");
  EXPECT_EQ(err(R"({"digests":{"enabled":true,"weekly":"fri 17:30","monthly":"28 08:00"},"stats":{"response_hours":48}})"), "");
  auto s = lianxin::flow::read_digest_settings(load_text(R"({"digests":{"weekly":"fri 17:30"}})", "x.json"));
  EXPECT_EQ(s.weekly.day, 5);
  EXPECT_EQ(s.weekly.minute, 17 * 60 + 30);
}

TEST(Config, ApiSettingsAreValidated) {
  auto err = [](const char* text) {
    try {
      lianxin::api::read_settings(load_text(text, "x.json"));
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(err(R"({"admin":{"token":"short"}})"), "x.json: admin.token: must be at least 12 characters");
  EXPECT_EQ(err(R"({"admin":{"tokn":"x"}})"), "x.json: admin.tokn: unknown key");
  EXPECT_EQ(err(R"({"web":{"link_secret":"short"}})"), "x.json: web.link_secret: must be at least 16 characters");
  EXPECT_EQ(err(R"({"admin":{"token":"a-long-enough-token"}})"), "");
}

TEST(Config, DemoFileLoads) {
  auto c = load_file(lianxin::test::source_dir() + "/config/demo/lianxin.json");
  EXPECT_EQ(c.tenant.id, "rn");
  EXPECT_TRUE(c.redis.url.empty() || std::getenv("LIANXIN_REDIS_URL"));
}

TEST(Config, UnknownKeysNameTheirPath) {
  EXPECT_EQ(error_of(R"({"redis":{"urll":"x"}})"), "x.json: redis.urll: unknown key");
  EXPECT_EQ(error_of(R"({"redis":{"embedded":{"dir":"x"}}})"), "x.json: redis.embedded.dir: unknown key");
  EXPECT_EQ(error_of(R"({"serverr":{}})"), "x.json: serverr: unknown key");
}

TEST(Config, TypeAndRangeErrors) {
  EXPECT_EQ(error_of(R"({"server":{"threads":"2"}})"), "x.json: server.threads: must be an integer");
  EXPECT_EQ(error_of(R"({"server":{"threads":0}})"), "x.json: server.threads: must be between 1 and 64, got 0");
  EXPECT_EQ(error_of(R"({"server":{"door_events_per_worker_turn":-1}})"),
            "x.json: server.door_events_per_worker_turn: must be between 0 and 10000, got -1");
  EXPECT_EQ(error_of(R"({"server":{"listen":"8080"}})"), "x.json: server.listen: must be HOST:PORT");
  EXPECT_EQ(error_of(R"({"redis":{"embedded":{"appendfsync":"no"}}})"),
            "x.json: redis.embedded.appendfsync: must be one of always, everysec, got \"no\"");
  EXPECT_EQ(error_of(R"({"tenant":{"id":"R N"}})"), "x.json: tenant.id: must be 1-32 characters of a-z, 0-9, - or _");
  EXPECT_EQ(error_of(R"({"redis":{"url":"http://x"}})").rfind("x.json: redis.url: must start with", 0), 0u);
  EXPECT_EQ(error_of(R"({"log":{"level":"loud"}})"),
            "x.json: log.level: must be one of debug, info, warn, error, got \"loud\"");
  EXPECT_EQ(error_of(R"({"platforms":[]})"), "x.json: platforms: must be an object");
}

TEST(Config, SyntaxErrorsAreOneLine) {
  auto e = error_of("{\"server\": {,}}");
  EXPECT_EQ(e.rfind("x.json: (syntax): parse error", 0), 0u) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos);
  EXPECT_EQ(error_of("[1]"), "x.json: (top level): must be a JSON object");
}

TEST(Config, CommentsAreAllowed) {
  auto c = load_text("// hi\n{ /* x */ \"server\": {\"threads\": 2} }", "c.json");
  EXPECT_EQ(c.server.threads, 2);
}

TEST(Config, EnvironmentSubstitution) {
  ::setenv("LX_TEST_URL", "redis://127.0.0.1:6390/2", 1);
  ::unsetenv("LX_TEST_UNSET");
  auto c = load_text(R"({"redis":{"url":"${LX_TEST_URL}"},"tenant":{"name":"县${LX_TEST_UNSET:-甲}"}})", "e.json");
  EXPECT_EQ(c.redis.url, "redis://127.0.0.1:6390/2");
  EXPECT_EQ(c.tenant.name, "县甲");
  EXPECT_EQ(error_of(R"({"tenant":{"name":"${LX_TEST_UNSET}"}})"),
            "x.json: tenant.name: environment variable LX_TEST_UNSET is not set");
  EXPECT_EQ(error_of(R"({"tenant":{"name":"${1BAD}"}})"), "x.json: tenant.name: bad variable name in ${1BAD}");
  EXPECT_EQ(error_of(R"({"tenant":{"name":"${OPEN"}})"), "x.json: tenant.name: unterminated ${...}");
}

TEST(Config, EffectiveMasksSecrets) {
  auto c = load_text(
      R"({"redis":{"url":"redis://app:hunter22@10.0.0.1:6379/0"},
          "platforms":{"onebot":{"demo":{"secret":"s3cr3tvalue","access_token":"tok123456"}}}})",
      "m.json");
  auto dump = lianxin::config::effective(c).dump();
  EXPECT_EQ(dump.find("hunter22"), std::string::npos) << dump;
  EXPECT_EQ(dump.find("s3cr3tvalue"), std::string::npos) << dump;
  EXPECT_EQ(dump.find("tok123456"), std::string::npos) << dump;
  EXPECT_NE(dump.find("redis://app:****@10.0.0.1:6379/0"), std::string::npos) << dump;
  EXPECT_NE(dump.find("\"mode\":\"external\""), std::string::npos);
}

// The sandbox's pure parts: posts, clock requests, quirks, the config section, and the
// terminal chat's command lines.
#include "bot/cli/chat_command.hpp"
#include "bot/config/config.hpp"
#include "bot/sandbox/protocol.hpp"
#include "bot/sandbox/sandbox.hpp"

#include <gtest/gtest.h>

using namespace lianxin;
using nlohmann::json;

TEST(SandboxPost, AGroupMessageBecomesTheNeutralMessage) {
  auto r = sandbox::parse_post(json{{"type", "group"}, {"chat", "village-1"}, {"sender", "r-1"}, {"name", "老李"},
                                    {"text", " 建议 路灯坏了 "}, {"mention", true}, {"image", true}});
  ASSERT_TRUE(std::holds_alternative<sandbox::post_message>(r)) << std::get<std::string>(r);
  auto p = std::get<sandbox::post_message>(r);
  EXPECT_EQ(p.text, "建议 路灯坏了");
  auto m = sandbox::to_inbound(p, "demo", "m7", 1700000000);
  EXPECT_EQ(m.source, adapters::platform::sandbox);
  EXPECT_EQ(m.chat, adapters::chat_type::group);
  EXPECT_EQ(m.chat_id, "village-1");
  EXPECT_EQ(m.sender_id, "r-1");
  EXPECT_EQ(m.sender_name, "老李");
  EXPECT_EQ(m.dedupe_key, "sandbox:demo:m7");
  EXPECT_EQ(m.time, 1700000000);
  ASSERT_EQ(m.segments.size(), 3u);
  EXPECT_EQ(m.segments[0].kind, adapters::segment_kind::mention_bot);
  EXPECT_EQ(m.segments[2].kind, adapters::segment_kind::image);
  EXPECT_FALSE(m.segments[2].url.empty());
}

TEST(SandboxPost, APrivateChatIsTheSendersOwn) {
  auto ok = sandbox::parse_post(json{{"type", "private"}, {"sender", "dep-D0001"}, {"text", "受理"}});
  ASSERT_TRUE(std::holds_alternative<sandbox::post_message>(ok));
  EXPECT_EQ(std::get<sandbox::post_message>(ok).chat, "dep-D0001");
  auto bad = sandbox::parse_post(json{{"type", "private"}, {"chat", "x"}, {"sender", "y"}, {"text", "hi"}});
  EXPECT_TRUE(std::holds_alternative<std::string>(bad));
}

TEST(SandboxPost, BadPostsSayWhatIsWrong) {
  auto err = [](const json& j) {
    auto r = sandbox::parse_post(j);
    return std::holds_alternative<std::string>(r) ? std::get<std::string>(r) : std::string();
  };
  EXPECT_NE(err(json::array()), "");
  EXPECT_EQ(err(json{{"type", "room"}, {"chat", "a"}, {"sender", "b"}, {"text", "x"}}).rfind("type", 0), 0u);
  EXPECT_EQ(err(json{{"chat", "a b"}, {"sender", "b"}, {"text", "x"}}).rfind("chat", 0), 0u);
  EXPECT_EQ(err(json{{"chat", "a"}, {"sender", ""}, {"text", "x"}}).rfind("sender", 0), 0u);
  EXPECT_EQ(err(json{{"chat", "a"}, {"sender", "b"}, {"text", "  "}}).rfind("text", 0), 0u);
  EXPECT_EQ(err(json{{"chat", "a"}, {"sender", "b"}, {"text", "x"}, {"mention", "yes"}}).rfind("mention", 0), 0u);
  EXPECT_EQ(err(json{{"chat", "a"}, {"sender", "b"}, {"text", "x"}, {"message_id", "a/b"}}).rfind("message_id", 0), 0u);
}

TEST(SandboxIds, StreamIdsAndChatIds) {
  EXPECT_TRUE(sandbox::valid_stream_id("1700000000000-0"));
  EXPECT_FALSE(sandbox::valid_stream_id("1700000000000"));
  EXPECT_FALSE(sandbox::valid_stream_id("-1"));
  EXPECT_FALSE(sandbox::valid_stream_id("1-x"));
  EXPECT_TRUE(sandbox::valid_id("village-1"));
  EXPECT_FALSE(sandbox::valid_id("a:b"));
  EXPECT_FALSE(sandbox::valid_id(std::string(65, 'a')));
  EXPECT_EQ(sandbox::resident_id("老李"), sandbox::resident_id("老李"));
  EXPECT_NE(sandbox::resident_id("老李"), sandbox::resident_id("王婶"));
  EXPECT_EQ(sandbox::resident_id("老李").size(), 10u);
}

TEST(SandboxClock, WorkingDaysSkipTheWeekend) {
  workflow::working_calendar cal;  // Mon–Fri
  // Friday 2026-03-06 10:00 China time.
  auto fri = workflow::local_to_unix({2026, 3, 6}, 10, 0);
  auto r = sandbox::clock_advance(json{{"working_days", 1}}, cal, fri);
  ASSERT_TRUE(std::holds_alternative<std::int64_t>(r));
  EXPECT_EQ(fri + std::get<std::int64_t>(r), workflow::local_to_unix({2026, 3, 9}, 10, 0));  // Monday
  auto h = sandbox::clock_advance(json{{"advance_seconds", 3600}}, cal, fri);
  EXPECT_EQ(std::get<std::int64_t>(h), 3600);
  EXPECT_TRUE(std::holds_alternative<std::string>(sandbox::clock_advance(json{{"working_days", 0}}, cal, fri)));
  EXPECT_TRUE(std::holds_alternative<std::string>(sandbox::clock_advance(json{{"advance_seconds", -1}}, cal, fri)));
  EXPECT_TRUE(std::holds_alternative<std::string>(
      sandbox::clock_advance(json{{"advance_seconds", 1}, {"working_days", 1}}, cal, fri)));
  EXPECT_EQ(sandbox::local_time_label(fri), "2026-03-06 10:00");
}

TEST(SandboxQuirks, Parsed) {
  auto d = sandbox::parse_quirk(json{{"kind", "duplicate"}});
  ASSERT_TRUE(std::holds_alternative<sandbox::quirk>(d));
  auto rl = sandbox::parse_quirk(json{{"kind", "rate_limit"}, {"chat", "h-transport"}, {"limit", 2}});
  ASSERT_TRUE(std::holds_alternative<sandbox::quirk>(rl));
  EXPECT_EQ(std::get<sandbox::quirk>(rl).limit, 2);
  EXPECT_EQ(std::get<sandbox::quirk>(rl).window_seconds, 20);
  EXPECT_TRUE(std::holds_alternative<std::string>(sandbox::parse_quirk(json{{"kind", "rate_limit"}})));
  auto out = sandbox::parse_quirk(json{{"kind", "redis_outage"}});
  EXPECT_EQ(std::get<sandbox::quirk>(out).seconds, 3);
  EXPECT_TRUE(std::holds_alternative<std::string>(sandbox::parse_quirk(json{{"kind", "redis_outage"}, {"seconds", 60}})));
  EXPECT_TRUE(std::holds_alternative<std::string>(sandbox::parse_quirk(json{{"kind", "flood"}})));
}

TEST(SandboxConfig, EnabledNeedsTheTestClock) {
  auto off = config::load_text("{}", "x.json");
  EXPECT_FALSE(sandbox::read_settings(off).enabled);
  auto on = config::load_text(R"({"sandbox": {"enabled": true}, "scheduler": {"test_clock": true}})", "x.json");
  EXPECT_TRUE(sandbox::read_settings(on).enabled);
  EXPECT_EQ(sandbox::read_settings(on).bot, "demo");
  auto no_clock = config::load_text(R"({"sandbox": {"enabled": true}})", "x.json");
  try {
    sandbox::read_settings(no_clock);
    FAIL() << "accepted";
  } catch (const config::config_error& e) {
    EXPECT_NE(std::string(e.what()).find("sandbox.enabled"), std::string::npos) << e.what();
  }
  // The reference file shows the defaults.
  auto example = config::load_file(std::string(LIANXIN_CONFIG_DIR) + "/lianxin.example.json");
  EXPECT_FALSE(sandbox::read_settings(example).enabled);
  EXPECT_EQ(sandbox::read_settings(example).bot, "demo");
  auto typo = config::load_text(R"({"sandbox": {"enabeld": true}})", "x.json");
  EXPECT_THROW(sandbox::read_settings(typo), config::config_error);
}

TEST(ChatCommand, LinesAreParsed) {
  using k = cli::chat_input::kind;
  EXPECT_EQ(cli::parse_chat_line("").what, k::empty);
  auto say = cli::parse_chat_line("@ 建议 路灯坏了");
  EXPECT_EQ(say.what, k::say);
  EXPECT_TRUE(say.mention);
  EXPECT_EQ(say.arg, "建议 路灯坏了");
  EXPECT_FALSE(cli::parse_chat_line("1").mention);
  auto as = cli::parse_chat_line("/as 王婶");
  EXPECT_EQ(as.what, k::as);
  EXPECT_EQ(as.arg, "王婶");
  EXPECT_EQ(cli::parse_chat_line("/as").what, k::error);
  EXPECT_EQ(cli::parse_chat_line("/group village-2").arg, "village-2");
  EXPECT_EQ(cli::parse_chat_line("/private").what, k::private_chat);
  EXPECT_EQ(cli::parse_chat_line("/quit").what, k::quit);
  EXPECT_EQ(cli::parse_chat_line("/clock +2d").working_days, 2);
  EXPECT_EQ(cli::parse_chat_line("/clock +3h").seconds, 3 * 3600);
  EXPECT_EQ(cli::parse_chat_line("/clock 30m").seconds, 1800);
  EXPECT_EQ(cli::parse_chat_line("/clock +2x").what, k::error);
  EXPECT_EQ(cli::parse_chat_line("/clock +d").what, k::error);
  EXPECT_EQ(cli::parse_chat_line("/clock +0d").what, k::error);
  EXPECT_EQ(cli::parse_chat_line("/dance").what, k::error);
}

TEST(ChatCommand, Urls) {
  cli::chat_target t;
  ASSERT_TRUE(cli::parse_chat_url("http://127.0.0.1:8080/", t));
  EXPECT_EQ(t.host, "127.0.0.1");
  EXPECT_EQ(t.port, "8080");
  ASSERT_TRUE(cli::parse_chat_url("localhost:9000", t));
  EXPECT_FALSE(cli::parse_chat_url("https://x:1", t));
  EXPECT_FALSE(cli::parse_chat_url("http://x", t));
  EXPECT_FALSE(cli::parse_chat_url("http://x:0", t));
  EXPECT_FALSE(cli::parse_chat_url("http://x:80/path", t));
}

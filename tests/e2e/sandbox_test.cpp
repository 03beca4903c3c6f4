// The sandbox (issue 8) through HTTP: residents type in a simulated village group, the bot
// answers through the real inbox → intake → outbox path, deputies and department handlers act
// from their sandbox chats, the clock is fast-forwarded by working days, platform quirks are
// simulated. Real Redis, the in-process app, the demo county's roster.
#include "support/app_runner.hpp"
#include "support/http_client.hpp"
#include "support/paths.hpp"
#include "support/redis_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <thread>

using namespace lianxin::test;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

std::string config_for(bool sandbox, int command_timeout_ms = 2000) {
  auto demo = source_dir() + "/config/demo/";
  json c = {
      {"tenant", {{"id", "rn"}, {"case_prefix", "RN"}}},
      {"redis", {{"command_timeout_ms", command_timeout_ms}}},
      {"roster",
       {{"file", demo + "roster.json"},
        {"categories_file", demo + "categories.json"},
        {"groups_file", demo + "groups.json"},
        {"holidays_file", source_dir() + "/config/holidays/cn.json"},
        {"messages_file", source_dir() + "/config/messages.zh-CN.json"}}},
      {"scheduler", {{"test_clock", true}, {"poll_ms", 50}}},
      {"sandbox", {{"enabled", sandbox}}}};
  return c.dump();
}

class Sandbox : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_server::shared().flush();
    app_ = std::make_unique<app_runner>(redis_server::shared().url(), config_for(true));
  }
  void TearDown() override { app_.reset(); }

  http_result post_json(const std::string& path, const json& body) {
    return http_request(app_->port(), "POST", path, body.dump(), "Content-Type: application/json\r\n");
  }
  http_result say_group(const std::string& text, bool mention, const std::string& name = "老李",
                        const std::string& message_id = {}) {
    json b = {{"type", "group"}, {"chat", "village-1"}, {"sender", "r-laoli"}, {"name", name},
              {"text", text},    {"mention", mention}};
    if (!message_id.empty()) b["message_id"] = message_id;
    return post_json("/sandbox/api/messages", b);
  }
  http_result say_private(const std::string& chat, const std::string& text) {
    json b = {{"type", "private"}, {"chat", chat}, {"sender", chat}, {"text", text}};
    return post_json("/sandbox/api/messages", b);
  }
  json transcript(const std::string& chat) {
    auto r = http_request(app_->port(), "GET", "/sandbox/api/messages?chat=" + chat);
    EXPECT_EQ(r.status, 200) << r.raw;
    return json::parse(r.body)["messages"];
  }
  std::vector<std::string> bot_texts(const std::string& chat) {
    std::vector<std::string> out;
    for (const auto& m : transcript(chat)) {
      if (m["dir"] == "out") out.push_back(m["text"].get<std::string>());
    }
    return out;
  }
  bool wait_bot(const std::string& chat, std::size_t n, std::chrono::milliseconds max = 10s) {
    auto deadline = std::chrono::steady_clock::now() + max;
    while (std::chrono::steady_clock::now() < deadline) {
      if (bot_texts(chat).size() >= n) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }
  json case_json(const std::string& number) {
    return json::parse(redis_server::shared().command({"HGET", "lx:{rn}:case:" + number, "json"}).text());
  }
  bool wait_state(const std::string& number, const std::string& st, std::chrono::milliseconds max = 10s) {
    auto deadline = std::chrono::steady_clock::now() + max;
    while (std::chrono::steady_clock::now() < deadline) {
      if (case_json(number)["st"] == st) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }
  // Files a suggestion in the village group in two turns; returns the case number.
  std::string file_case() {
    EXPECT_EQ(say_group("建议 小寨村东头路灯坏了三个月了，晚上走路看不见", true).status, 202);
    EXPECT_TRUE(wait_bot("village-1", 1));
    EXPECT_EQ(say_group("1", false).status, 202);
    EXPECT_TRUE(wait_bot("village-1", 2));
    auto cases = redis_server::shared().command({"ZRANGE", "lx:{rn}:cases", "0", "-1"});
    if (cases.elements().size() != 1) return {};
    return cases.elements()[0].text();
  }

  std::unique_ptr<app_runner> app_;
};

}  // namespace

TEST_F(Sandbox, AResidentFilesASuggestionInTwoTurnsAndTheTranscriptShowsIt) {
  auto number = file_case();
  ASSERT_FALSE(number.empty());
  auto t = transcript("village-1");
  ASSERT_GE(t.size(), 4u) << t.dump();
  EXPECT_EQ(t[0]["dir"], "in");
  EXPECT_EQ(t[0]["name"], "老李");
  EXPECT_EQ(t[0]["mention"], true);
  EXPECT_EQ(t[1]["dir"], "out");
  EXPECT_EQ(t[2]["dir"], "in");
  EXPECT_EQ(t[2]["text"], "1");
  auto replies = bot_texts("village-1");
  EXPECT_NE(replies[1].find(number), std::string::npos) << replies[1];
  // Group replies address the resident by display name.
  EXPECT_NE(replies[0].find("@老李"), std::string::npos) << replies[0];
  // Polling with `after` returns only what is newer.
  auto last = t.back()["id"].get<std::string>();
  auto r = http_request(app_->port(), "GET", "/sandbox/api/messages?chat=village-1&after=" + last);
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(json::parse(r.body)["messages"].empty()) << r.body;
  // The case panel lists it with a working tracking link.
  auto cr = http_request(app_->port(), "GET", "/sandbox/api/cases");
  ASSERT_EQ(cr.status, 200);
  auto cj = json::parse(cr.body)["cases"];
  ASSERT_EQ(cj.size(), 1u);
  EXPECT_EQ(cj[0]["number"], number);
  ASSERT_TRUE(cj[0].contains("track_url"));
  auto track = http_request(app_->port(), "GET", cj[0]["track_url"].get<std::string>());
  EXPECT_EQ(track.status, 200);
}

TEST_F(Sandbox, TheSameMessageDeliveredTwiceIsProcessedOnce) {
  auto first = say_group("建议 村口的桥有裂缝了", true, "老李", "dup-1");
  ASSERT_EQ(first.status, 202) << first.raw;
  EXPECT_EQ(json::parse(first.body)["fresh"], 1);
  auto again = say_group("建议 村口的桥有裂缝了", true, "老李", "dup-1");
  ASSERT_EQ(again.status, 202);
  EXPECT_EQ(json::parse(again.body)["duplicates"], 1);
  // The quirk: the platform delivers the last message again.
  auto q = post_json("/sandbox/api/quirks", {{"kind", "duplicate"}});
  ASSERT_EQ(q.status, 200) << q.raw;
  EXPECT_EQ(json::parse(q.body)["duplicates"], 1);
  ASSERT_TRUE(wait_bot("village-1", 1));
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(bot_texts("village-1").size(), 1u);
  std::size_t typed = 0;
  for (const auto& m : transcript("village-1")) typed += m["dir"] == "in";
  EXPECT_EQ(typed, 1u);
}

TEST_F(Sandbox, TheDeputyIsToldInTheirSandboxChatAndActsFromIt) {
  auto number = file_case();
  ASSERT_FALSE(number.empty());
  auto deputy = case_json(number)["dep"].get<std::string>();
  auto chat = "dep-" + deputy;
  ASSERT_TRUE(wait_bot(chat, 1)) << "no new-case notice in " << chat;
  EXPECT_NE(bot_texts(chat)[0].find(number), std::string::npos) << bot_texts(chat)[0];

  ASSERT_EQ(say_private(chat, "受理 " + number).status, 202);
  ASSERT_TRUE(wait_state(number, "accepted")) << case_json(number).dump();
  ASSERT_EQ(say_private(chat, "交办 " + number + " transport").status, 202);
  ASSERT_TRUE(wait_state(number, "assigned")) << case_json(number).dump();
  ASSERT_TRUE(wait_bot("h-transport", 1)) << "the department's handler was not told";
  // What the deputy typed is in their chat's transcript too.
  std::size_t typed = 0;
  for (const auto& m : transcript(chat)) typed += m["dir"] == "in";
  EXPECT_EQ(typed, 2u);
}

TEST_F(Sandbox, FastForwardingByWorkingDaysBringsRemindersToTheHandler) {
  auto number = file_case();
  ASSERT_FALSE(number.empty());
  auto chat = "dep-" + case_json(number)["dep"].get<std::string>();
  ASSERT_EQ(say_private(chat, "受理 " + number).status, 202);
  ASSERT_TRUE(wait_state(number, "accepted"));
  ASSERT_EQ(say_private(chat, "交办 " + number + " transport").status, 202);
  ASSERT_TRUE(wait_state(number, "assigned"));
  ASSERT_EQ(say_private("h-transport", "签收 " + number).status, 202);
  ASSERT_TRUE(wait_state(number, "acknowledged")) << case_json(number).dump();
  ASSERT_TRUE(wait_bot("h-transport", 1));
  std::this_thread::sleep_for(1s);  // whatever answers the acknowledgement has arrived
  auto before = bot_texts("h-transport").size();

  auto clock0 = json::parse(http_request(app_->port(), "GET", "/sandbox/api/clock").body);
  auto r = post_json("/sandbox/api/clock", {{"working_days", 40}});
  ASSERT_EQ(r.status, 200) << r.raw;
  auto clock1 = json::parse(r.body);
  EXPECT_GE(clock1["now"].get<std::int64_t>() - clock0["now"].get<std::int64_t>(), 40LL * 86400);
  EXPECT_EQ(clock1["working_day"], true);
  ASSERT_TRUE(wait_bot("h-transport", before + 2, 15s)) << json(bot_texts("h-transport")).dump();
  auto c = case_json(number);
  std::vector<std::string> steps;
  for (const auto& e : c["log"]) steps.push_back(e.value("what", ""));
  EXPECT_NE(std::find(steps.begin(), steps.end(), "remind"), steps.end()) << c["log"].dump();
  EXPECT_NE(std::find(steps.begin(), steps.end(), "supervise"), steps.end()) << c["log"].dump();
  // Bad clock requests are refused.
  EXPECT_EQ(post_json("/sandbox/api/clock", {{"working_days", 0}}).status, 400);
  EXPECT_EQ(post_json("/sandbox/api/clock", json::object()).status, 400);
}

TEST_F(Sandbox, ARateLimitedChatGetsEveryMessageLater) {
  ASSERT_EQ(post_json("/sandbox/api/quirks",
                      {{"kind", "rate_limit"}, {"chat", "r-wang"}, {"limit", 1}, {"window_seconds", 2}, {"seconds", 60}})
                .status,
            200);
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i) ASSERT_EQ(say_private("r-wang", "帮助").status, 202);
  ASSERT_TRUE(wait_bot("r-wang", 3, 20s)) << json(bot_texts("r-wang")).dump();
  EXPECT_GE(std::chrono::steady_clock::now() - start, 3s) << "the limit spaced the replies";
  auto dlq = redis_server::shared().command({"XLEN", "lx:{rn}:outbox:dlq"});
  EXPECT_EQ(dlq.int_value(), 0);
}

TEST_F(Sandbox, ARedisOutageAnswers503AndTheRetryIsAnsweredOnce) {
  app_.reset();
  app_ = std::make_unique<app_runner>(redis_server::shared().url(), config_for(true, 500));
  // Let the app set up its consumer groups first (an outage at the very start is another
  // story: the intake worker does not retry creating them yet).
  ASSERT_EQ(say_private("r-warm", "帮助").status, 202);
  ASSERT_TRUE(wait_bot("r-warm", 1));
  auto q = post_json("/sandbox/api/quirks", {{"kind", "redis_outage"}, {"seconds", 2}});
  ASSERT_EQ(q.status, 200) << q.raw;
  auto r = say_group("建议 村口的桥有裂缝了", true, "老李", "outage-1");
  EXPECT_EQ(r.status, 503) << r.raw;
  int status = 0;
  for (int i = 0; i < 100 && status != 202; ++i) {
    std::this_thread::sleep_for(100ms);
    status = say_group("建议 村口的桥有裂缝了", true, "老李", "outage-1").status;  // sent again
  }
  EXPECT_EQ(status, 202);
  ASSERT_TRUE(wait_bot("village-1", 1));
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(bot_texts("village-1").size(), 1u);
}

TEST_F(Sandbox, ThePageIsServedWithAStrictPolicyAndItsWordsFromTheCatalogue) {
  auto r = http_request(app_->port(), "GET", "/sandbox/");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_NE(r.body.find("连心桥沙盒"), std::string::npos);
  EXPECT_NE(r.body.find("<script src=\"/sandbox/app.js\""), std::string::npos);
  EXPECT_EQ(r.body.find("{{"), std::string::npos) << "every placeholder filled";
  EXPECT_NE(r.headers["content-security-policy"].find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(http_request(app_->port(), "GET", "/sandbox/app.js").status, 200);
  EXPECT_EQ(http_request(app_->port(), "GET", "/sandbox/app.css").status, 200);
  EXPECT_EQ(http_request(app_->port(), "GET", "/sandbox/nope.js").status, 404);
  auto s = http_request(app_->port(), "GET", "/sandbox/api/setup");
  ASSERT_EQ(s.status, 200);
  auto setup = json::parse(s.body);
  EXPECT_FALSE(setup["groups"].empty());
  EXPECT_EQ(setup["residents"].size(), 3u);
  EXPECT_FALSE(setup["deputies"].empty());
  EXPECT_FALSE(setup["handlers"].empty());
  // Bad posts are refused with a reason.
  auto bad = post_json("/sandbox/api/messages", {{"type", "private"}, {"chat", "x"}, {"sender", "y"}, {"text", "hi"}});
  EXPECT_EQ(bad.status, 400);
}

TEST(SandboxOff, NoRoutesWhenDisabled) {
  redis_server::shared().flush();
  app_runner app(redis_server::shared().url(), config_for(false));
  EXPECT_EQ(http_request(app.port(), "GET", "/sandbox/").status, 404);
  EXPECT_EQ(http_request(app.port(), "GET", "/sandbox/api/messages?chat=village-1").status, 404);
  json b = {{"type", "group"}, {"chat", "village-1"}, {"sender", "r-1"}, {"text", "建议 x"}};
  EXPECT_EQ(http_request(app.port(), "POST", "/sandbox/api/messages", b.dump()).status, 404);
}

TEST_F(Sandbox, TheTerminalChatTalksThroughTheSandbox) {
  // `lianxin chat` driven through its standard input: it types, sees the reply, and exits
  // once the bot has been quiet after the end of input.
  std::string cmd = "printf '%s\\n' '@建议 村口的桥有裂缝了' '/clock +3h' | " + lianxin_binary() +
                    " chat --url http://127.0.0.1:" + std::to_string(app_->port()) + " --group village-1 --as 王婶 2>&1";
  std::string out;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    EXPECT_EQ(::pclose(p), 0) << out;
  }
  EXPECT_NE(out.find("王婶: 建议 村口的桥有裂缝了"), std::string::npos) << out;
  EXPECT_NE(out.find("bot: @王婶"), std::string::npos) << out;
  EXPECT_NE(out.find("simulated time"), std::string::npos) << out;
  // The page's transcript has the same conversation.
  ASSERT_FALSE(bot_texts("village-1").empty());
}

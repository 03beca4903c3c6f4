// A resident in a bound OneBot group files a suggestion end to end: signed webhook → durable
// dedupe → intake dialogue → case filed and routed → replies and the deputy's notice sent
// through the outbox to a fake OneBot HTTP API. Real Redis, real HTTP on loopback.
#include "adapters/onebot/onebot.hpp"
#include "support/app_runner.hpp"
#include "support/fake_platform.hpp"
#include "support/http_client.hpp"
#include "support/paths.hpp"
#include "support/redis_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <thread>

using namespace lianxin::test;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

constexpr const char* kSecret = "flow-secret";

std::string config_for(const std::string& api_base, int draft_ttl_seconds = 1800) {
  json c = fixture_config({
      {"intake", {{"draft_ttl_seconds", draft_ttl_seconds}}},
      {"scheduler", {{"test_clock", true}, {"poll_ms", 50}}},
      {"platforms",
       {{"onebot",
         {{"demo", {{"self_id", "10000"}, {"secret", kSecret}, {"access_token", "onebot-token"}, {"api_base", api_base}}}}}}}});
  return c.dump();
}

class OneBotFlow : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_server::shared().flush();
    app_ = std::make_unique<app_runner>(redis_server::shared().url(), config_for(fake_.base_url()));
  }
  void TearDown() override { app_.reset(); }

  // A group message event from resident `user`, optionally @-mentioning the bot.
  http_result post(long long message_id, const std::string& text, bool at_bot, const std::string& user = "123456") {
    json msg = json::array();
    if (at_bot) msg.push_back({{"type", "at"}, {"data", {{"qq", "10000"}}}});
    msg.push_back({{"type", "text"}, {"data", {{"text", text}}}});
    json ev = {{"time", std::time(nullptr)},   {"self_id", 10000},       {"post_type", "message"},
               {"message_type", "group"},      {"sub_type", "normal"},   {"message_id", message_id},
               {"group_id", 900001},           {"user_id", std::stoll(user)}, {"message", msg},
               {"raw_message", text},          {"font", 0},
               {"sender", {{"user_id", std::stoll(user)}, {"nickname", "老李"}, {"role", "member"}}}};
    auto body = ev.dump();
    auto sig = lianxin::adapters::onebot::sign_body(kSecret, body);
    return http_request(app_->port(), "POST", "/webhook/onebot/demo", body,
                        "Content-Type: application/json\r\nX-Self-ID: 10000\r\nX-Signature: " + sig + "\r\n");
  }

  http_result post_private(long long message_id, const std::string& text, const std::string& user) {
    json ev = {{"time", std::time(nullptr)}, {"self_id", 10000},     {"post_type", "message"},
               {"message_type", "private"},  {"sub_type", "friend"}, {"message_id", message_id},
               {"user_id", std::stoll(user)}, {"message", json::array({{{"type", "text"}, {"data", {{"text", text}}}}})},
               {"raw_message", text},        {"font", 0},            {"sender", {{"user_id", std::stoll(user)}}}};
    auto body = ev.dump();
    auto sig = lianxin::adapters::onebot::sign_body(kSecret, body);
    return http_request(app_->port(), "POST", "/webhook/onebot/demo", body,
                        "Content-Type: application/json\r\nX-Self-ID: 10000\r\nX-Signature: " + sig + "\r\n");
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

  std::size_t private_to(long long user) {
    std::size_t n = 0;
    for (const auto& r : fake_.requests_to("/send_private_msg")) n += r.json["user_id"] == user;
    return n;
  }

  std::vector<std::string> group_texts() {
    std::vector<std::string> out;
    for (const auto& r : fake_.requests_to("/send_group_msg")) {
      std::string t;
      for (const auto& seg : r.json["message"]) {
        if (seg["type"] == "text") t += seg["data"]["text"].get<std::string>();
      }
      out.push_back(t);
    }
    return out;
  }

  // 20 messages @-mentioning the bot from one resident, well inside one minute (the limits
  // count per minute, 12 a minute here); the group's texts once 13 have arrived.
  template <class TextOf>
  std::vector<std::string> flood(long long first_id, TextOf text_of) {
    while (std::time(nullptr) % 60 > 45) std::this_thread::sleep_for(1s);
    for (int i = 0; i < 20; ++i) EXPECT_EQ(post(first_id + i, text_of(i), true).status, 204);
    EXPECT_TRUE(fake_.wait_for(13, 15s, "/send_group_msg"));
    std::this_thread::sleep_for(1s);
    return group_texts();
  }

  static int slow_down_notices(const std::vector<std::string>& texts) {
    int n = 0;
    for (const auto& t : texts) n += t.find("一分钟") != std::string::npos;
    return n;
  }

  fake_platform fake_;
  std::unique_ptr<app_runner> app_;
};

}  // namespace

TEST_F(OneBotFlow, ResidentFilesASuggestionInTwoTurns) {
  auto r = post(1001, "建议 小寨村东头路灯坏了三个月了，晚上走路看不见", true);
  ASSERT_EQ(r.status, 204) << r.raw;
  ASSERT_TRUE(fake_.wait_for(1, 10s, "/send_group_msg")) << "no reply reached the fake OneBot API";
  auto first = fake_.requests_to("/send_group_msg").at(0);
  EXPECT_EQ(first.headers["authorization"], "Bearer onebot-token");
  EXPECT_EQ(first.json["group_id"], 900001);
  auto texts = group_texts();
  EXPECT_NE(texts[0].find("1"), std::string::npos) << texts[0];

  ASSERT_EQ(post(1002, "1", false).status, 204);
  ASSERT_TRUE(fake_.wait_for(2, 10s, "/send_group_msg"));
  texts = group_texts();
  EXPECT_NE(texts[1].find("RN-"), std::string::npos) << texts[1];

  // The case exists in Redis, routed to one of 小寨村's deputies, and that deputy was told.
  auto cases = redis_server::shared().command({"ZRANGE", "lx:{rn}:cases", "0", "-1"});
  ASSERT_EQ(cases.elements().size(), 1u);
  auto number = cases.elements()[0].text();
  auto stored = redis_server::shared().command({"HGET", "lx:{rn}:case:" + number, "json"});
  auto c = json::parse(stored.text());
  ASSERT_TRUE(fake_.wait_for(1, 10s, "/send_private_msg"));
  auto priv = fake_.requests_to("/send_private_msg");
  std::set<long long> deputies{20002, 20003};
  bool deputy_told = false;
  for (const auto& p : priv) deputy_told = deputy_told || deputies.count(p.json["user_id"].get<long long>());
  EXPECT_TRUE(deputy_told) << c.dump();
}

TEST_F(OneBotFlow, TripleDeliveryIsProcessedOnce) {
  for (int i = 0; i < 3; ++i) ASSERT_EQ(post(2001, "建议 大河村的水渠堵了，浇不了地", true).status, 204);
  ASSERT_TRUE(fake_.wait_for(1, 10s, "/send_group_msg"));
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(fake_.count("/send_group_msg"), 1u);
  auto seen = redis_server::shared().command({"EXISTS", "lx:{rn}:seen:onebot:10000:2001"});
  EXPECT_EQ(seen.int_value(), 1);
}

TEST_F(OneBotFlow, RedisDownAnswers503AndTheRetryIsProcessed) {
  redis_server::shared().kill_hard();
  auto r = post(3001, "建议 村口的桥有裂缝了", true);
  EXPECT_EQ(r.status, 503) << r.raw;
  redis_server::shared().start();
  int status = 0;
  for (int i = 0; i < 100 && status != 204; ++i) {
    std::this_thread::sleep_for(100ms);
    status = post(3001, "建议 村口的桥有裂缝了", true).status;  // the platform retries
  }
  EXPECT_EQ(status, 204);
  EXPECT_TRUE(fake_.wait_for(1, 10s, "/send_group_msg"));
}

TEST_F(OneBotFlow, BadSignatureAndUnknownBotChangeNothing) {
  json ev = {{"post_type", "message"}, {"message_type", "group"}, {"message_id", 1}, {"group_id", 900001},
             {"user_id", 1}, {"self_id", 10000}, {"message", "建议 x"}, {"time", std::time(nullptr)}};
  auto body = ev.dump();
  auto bad = http_request(app_->port(), "POST", "/webhook/onebot/demo", body,
                          "X-Self-ID: 10000\r\nX-Signature: sha1=0000000000000000000000000000000000000000\r\n");
  EXPECT_EQ(bad.status, 401);
  auto unknown = http_request(app_->port(), "POST", "/webhook/onebot/nobot", body, "X-Self-ID: 10000\r\n");
  EXPECT_EQ(unknown.status, 404);
  auto keys = redis_server::shared().command({"KEYS", "lx:{rn}:seen:*"});
  EXPECT_TRUE(keys.elements().empty());
}

TEST_F(OneBotFlow, ConversationSurvivesARestartBetweenTurns) {
  ASSERT_EQ(post(4001, "建议 小寨村东头路灯坏了三个月了，晚上走路看不见", true).status, 204);
  ASSERT_TRUE(fake_.wait_for(1, 10s, "/send_group_msg"));
  // Lianxin restarts; the draft lives in Redis.
  app_.reset();
  app_ = std::make_unique<app_runner>(redis_server::shared().url(), config_for(fake_.base_url()));
  ASSERT_EQ(post(4002, "1", false).status, 204);
  ASSERT_TRUE(fake_.wait_for(2, 10s, "/send_group_msg"));
  EXPECT_NE(group_texts()[1].find("RN-"), std::string::npos) << group_texts()[1];
}

TEST_F(OneBotFlow, TwoMessagesSentAtOnceAreAnsweredInOrder) {
  std::thread a([&] { post(5001, "建议 小寨村东头路灯坏了三个月了，晚上走路看不见", true); });
  a.join();  // the platform delivers in order; processing must keep it
  std::thread b([&] { post(5002, "1", false); });
  b.join();
  ASSERT_TRUE(fake_.wait_for(2, 10s, "/send_group_msg"));
  auto texts = group_texts();
  EXPECT_EQ(texts[0].find("RN-"), std::string::npos) << texts[0];
  EXPECT_NE(texts[1].find("RN-"), std::string::npos) << texts[1];
}

TEST_F(OneBotFlow, AnEntryWhoseCommitFailedIsReadAgainAndProcessedOnce) {
  // After a first message, every commit that queues a reply fails for a while (XADD denied to
  // Lianxin's Redis user except on the inbox streams, so webhooks are still stored; the reply is
  // the commit's first write, so nothing of it is applied). The second message is read and its
  // commit refused: it must stay in its shard, be read again, and be processed exactly once when
  // commits work again.
  auto inbox_left = [] {
    long long left = 0;
    for (int s = 0; s < 8; ++s) left += redis_server::shared().command({"XLEN", "lx:{rn}:inbox:" + std::to_string(s)}).int_value();
    return left;
  };
  ASSERT_EQ(post(7101, "建议 小寨村东头路灯坏了三个月了，晚上走路看不见", true, "610001").status, 204);
  ASSERT_TRUE(fake_.wait_for(1, 10s, "/send_group_msg"));
  std::this_thread::sleep_for(1s);  // all of its replies delivered, and their deliveries recorded
  const auto answered_first = group_texts().size();
  ASSERT_EQ(inbox_left(), 0);
  struct restore_xadd {
    ~restore_xadd() { redis_server::shared().command({"ACL", "SETUSER", "default", "+xadd", "clearselectors"}); }
  } restore;
  auto denied = redis_server::shared().command({"ACL", "SETUSER", "default", "-xadd", "(+xadd ~lx:{rn}:inbox:*)"});
  ASSERT_FALSE(denied.is_error()) << denied.text();
  ASSERT_EQ(post(7102, "建议 大路口的下水道堵了，一下雨就淹", true, "610002").status, 204);  // stored all the same
  std::this_thread::sleep_for(1500ms);  // read, refused, read again from the start, refused …
  EXPECT_EQ(group_texts().size(), answered_first);  // nothing of it committed
  EXPECT_EQ(inbox_left(), 1);
  redis_server::shared().command({"ACL", "SETUSER", "default", "+xadd", "clearselectors"});
  ASSERT_TRUE(fake_.wait_for(answered_first + 1, 10s, "/send_group_msg"));
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(inbox_left(), 0);
  auto metrics = http_request(app_->port(), "GET", "/metrics", "").body;
  EXPECT_NE(metrics.find("lx_intake_messages_total{outcome=\"handled\"} 2\n"), std::string::npos) << metrics;
}

TEST_F(OneBotFlow, ARedisUserThatMayNotMakeEveryWriteHoldsChatBackAndSaysWhy) {
  // A commit refused halfway by the ACL would leave part of it applied, so Lianxin works
  // nothing through until its Redis user may make every write; webhooks are still stored.
  app_.reset();
  redis_server::shared().command({"ACL", "SETUSER", "default", "-sadd"});
  struct restore {
    ~restore() { redis_server::shared().command({"ACL", "SETUSER", "default", "+sadd"}); }
  } restore_sadd;
  app_ = std::make_unique<app_runner>(redis_server::shared().url(), config_for(fake_.base_url()));
  ASSERT_EQ(post(9201, "建议 小寨村东头路灯坏了三个月了，晚上走路看不见", true).status, 204);
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(fake_.count("/send_group_msg"), 0u);
  auto ready = http_request(app_->port(), "GET", "/readyz", "");
  EXPECT_EQ(ready.status, 503);
  EXPECT_NE(ready.body.find("SADD"), std::string::npos) << ready.body;

  redis_server::shared().command({"ACL", "SETUSER", "default", "+sadd"});
  ASSERT_TRUE(fake_.wait_for(1, 10s, "/send_group_msg"));
  EXPECT_EQ(http_request(app_->port(), "GET", "/readyz", "").status, 200);
}

TEST_F(OneBotFlow, AFloodingResidentIsSlowedDownOnce) {
  auto texts = flood(6000, [](int) { return "帮助"; });
  EXPECT_EQ(texts.size(), 13u);  // 12 answers and one polite notice
  EXPECT_EQ(slow_down_notices(texts), 1);
}

TEST_F(OneBotFlow, AFloodMixingLookupsAndPlainTurnsIsSlowedDownOnce) {
  // "查询" looks the resident's cases up (counted before the lookup), "帮助" is counted inside
  // the commit: both kinds share one counter, and what is over the limit changes nothing.
  auto texts = flood(6100, [](int i) { return i % 2 ? "帮助" : "查询"; });
  EXPECT_EQ(texts.size(), 13u);  // 12 answers and one polite notice
  EXPECT_EQ(slow_down_notices(texts), 1);
  EXPECT_NE(texts.back().find("一分钟"), std::string::npos) << texts.back();
  auto count = redis_server::shared().command({"KEYS", "lx:{rn}:rl:r:*"});
  ASSERT_EQ(count.elements().size(), 1u);
  EXPECT_EQ(redis_server::shared().command({"GET", count.elements()[0].text()}).text(), "20");
  // Every message was acknowledged, the limited ones too.
  auto inbox = redis_server::shared().command({"KEYS", "lx:{rn}:inbox:*"});
  for (const auto& k : inbox.elements()) EXPECT_EQ(redis_server::shared().command({"XLEN", k.text()}).int_value(), 0);
}

TEST_F(OneBotFlow, AnAbandonedDraftExpiresAndTheResidentIsTold) {
  app_.reset();
  app_ = std::make_unique<app_runner>(redis_server::shared().url(), config_for(fake_.base_url(), 1));
  ASSERT_EQ(post(7001, "建议 小寨村东头路灯坏了三个月了，晚上走路看不见", true).status, 204);
  ASSERT_TRUE(fake_.wait_for(1, 10s, "/send_group_msg"));
  std::this_thread::sleep_for(2500ms);  // past the 1 s draft TTL
  ASSERT_EQ(post(7002, "1", false).status, 204);
  ASSERT_TRUE(fake_.wait_for(2, 10s, "/send_group_msg"));
  auto texts = group_texts();
  EXPECT_NE(texts[1].find("作废"), std::string::npos) << texts[1];
  auto cases = redis_server::shared().command({"ZCARD", "lx:{rn}:cases"});
  EXPECT_EQ(cases.int_value(), 0);
}

TEST_F(OneBotFlow, ACaseGoesTheWholeWayFromChatWithDeadlinesOnWorkingDays) {
  ASSERT_EQ(post(8001, "建议 小寨村东头路灯坏了三个月了，晚上走路看不见", true).status, 204);
  ASSERT_TRUE(fake_.wait_for(1, 10s, "/send_group_msg"));
  ASSERT_EQ(post(8002, "1", false).status, 204);
  ASSERT_TRUE(fake_.wait_for(2, 10s, "/send_group_msg"));
  auto number = redis_server::shared().command({"ZRANGE", "lx:{rn}:cases", "0", "-1"}).elements().at(0).text();
  auto deputy = case_json(number)["dep"].get<std::string>();
  std::string deputy_qq = deputy == "D0002" ? "20002" : "20003";

  // The deputy accepts and assigns from their private chat.
  ASSERT_EQ(post_private(8101, "受理 " + number, deputy_qq).status, 204);
  ASSERT_TRUE(wait_state(number, "accepted")) << case_json(number).dump();
  ASSERT_EQ(post_private(8102, "交办 " + number + " transport", deputy_qq).status, 204);
  ASSERT_TRUE(wait_state(number, "assigned")) << case_json(number).dump();
  ASSERT_TRUE(fake_.wait_for(1, 10s, "/send_private_msg"));
  // The department's handler acknowledges.
  ASSERT_EQ(post_private(8201, "签收 " + number, "30000").status, 204);
  ASSERT_TRUE(wait_state(number, "acknowledged")) << case_json(number).dump();
  auto before = private_to(30000);

  // Nobody replies; weeks pass: the reminder, supervision and escalation arrive.
  app_->app().advance_clock(60LL * 24 * 3600);
  auto deadline = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < deadline && (private_to(30000) < before + 2 || private_to(40001) < 1)) {
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_GE(private_to(30000), before + 2) << "department reminded and supervised";
  EXPECT_GE(private_to(40001), 1u) << "committee told of the escalation";
  auto c = case_json(number);
  EXPECT_EQ(c.value("od", ""), "escalated") << c.dump();
  // Every step is in the case log, in order.
  std::vector<std::string> steps;
  for (const auto& e : c["log"]) steps.push_back(e.value("what", ""));
  auto pos = [&](const std::string& w) { return std::find(steps.begin(), steps.end(), w) - steps.begin(); };
  EXPECT_LT(pos("filed"), pos("accept")) << c["log"].dump();
  EXPECT_LT(pos("accept"), pos("assign"));
  EXPECT_LT(pos("remind"), pos("supervise"));
  EXPECT_LT(pos("supervise"), pos("escalate"));
  EXPECT_LT(pos("escalate"), static_cast<long>(steps.size()));

  // The department replies; the resident rates it in the group.
  ASSERT_EQ(post_private(8202, "答复 " + number + " 路灯已经修好了", "30000").status, 204);
  ASSERT_TRUE(wait_state(number, "replied")) << case_json(number).dump();
  ASSERT_EQ(post(8003, "1", false).status, 204);
  ASSERT_TRUE(wait_state(number, "rated")) << case_json(number).dump();
  // Group posts never carry more than number, category and status.
  for (const auto& t : group_texts()) EXPECT_EQ(t.find("路灯已经修好了"), std::string::npos) << t;
}

TEST_F(OneBotFlow, ABacklogIsWorkedThroughInOneBatchInOrderAndFullyAcknowledged) {
  // Another instance holds every inbox shard for 3 s: what arrives meanwhile piles up, and this
  // instance's worker then takes the whole backlog in one read once the leases run out.
  for (int s = 0; s < 8; ++s) {
    redis_server::shared().command({"SET", "lx:{rn}:lease:inbox:" + std::to_string(s), "other-instance", "PX", "3000"});
  }
  std::this_thread::sleep_for(1200ms);  // the worker's current blocking read (1 s) returns and sees the leases gone
  long long id = 8000;
  auto chat = [&](int n) {
    for (int i = 0; i < n; ++i) ASSERT_EQ(post(++id, "今天天气不错，大家吃了吗", false, std::to_string(700001 + i)).status, 204);
  };
  chat(5);
  ASSERT_EQ(post(++id, "建议 小寨村东头路灯坏了三个月了，晚上走路看不见", true).status, 204);
  chat(5);
  // The answer to the bot's question: the same batch must read the state the line above wrote.
  ASSERT_EQ(post(++id, "1", false).status, 204);
  chat(5);
  EXPECT_TRUE(fake_.requests_to("/send_group_msg").empty());  // nothing processed yet
  // The neighbours' small talk was deduplicated and left out at the door: only the suggestion
  // and its answer wait in the inbox.
  long long waiting = 0;
  for (int s = 0; s < 8; ++s) {
    waiting += redis_server::shared().command({"XLEN", "lx:{rn}:inbox:" + std::to_string(s)}).int_value();
  }
  EXPECT_EQ(waiting, 2);

  ASSERT_TRUE(fake_.wait_for(2, 15s, "/send_group_msg"));
  std::this_thread::sleep_for(500ms);
  auto texts = group_texts();
  ASSERT_GE(texts.size(), 2u);  // the question, the receipt (then the group's filing notice)
  for (const auto& t : texts) std::cout << "  group post: " << t << "\n";
  EXPECT_EQ(texts[0].find("RN-"), std::string::npos) << texts[0];
  EXPECT_NE(texts[1].find("RN-"), std::string::npos) << texts[1];
  EXPECT_EQ(redis_server::shared().command({"ZCARD", "lx:{rn}:cases"}).int_value(), 1);
  // Every entry processed and deleted, the small talk's deletions carried by the other commits;
  // and no consumer group on the streams (the worker reads them with a plain XREAD).
  long long left = 0;
  for (int s = 0; s < 8; ++s) {
    auto key = "lx:{rn}:inbox:" + std::to_string(s);
    left += redis_server::shared().command({"XLEN", key}).int_value();
    auto groups = redis_server::shared().command({"XINFO", "GROUPS", key});
    if (groups.is_array()) {
      EXPECT_TRUE(groups.elements().empty()) << key;
    }
  }
  EXPECT_EQ(left, 0);
  auto metrics = http_request(app_->port(), "GET", "/metrics", "").body;
  EXPECT_NE(metrics.find("lx_inbound_events_total{platform=\"onebot\",outcome=\"chatter\"} 15"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("lx_inbound_events_total{platform=\"onebot\",outcome=\"recorded\"} 2"), std::string::npos)
      << metrics;
  EXPECT_EQ(metrics.find("outcome=\"silent\""), std::string::npos) << metrics;
}

TEST_F(OneBotFlow, SmallTalkIsNotKeptButAnAnswerQueuedBehindItsQuestionIs) {
  // The worker is held off (another instance holds every shard for 3 s), so the resident's
  // unaddressed answer arrives while the message that opens the conversation still waits:
  // the door must keep it although no conversation is open yet.
  for (int s = 0; s < 8; ++s) {
    redis_server::shared().command({"SET", "lx:{rn}:lease:inbox:" + std::to_string(s), "other-instance", "PX", "3000"});
  }
  std::this_thread::sleep_for(1200ms);
  const std::string live = "lx:{rn}:live:onebot:demo:g:900001:123456";
  const std::string conv = "lx:{rn}:conv:onebot:demo:g:900001:123456";
  ASSERT_EQ(post(9101, "建议", true).status, 204);
  ASSERT_EQ(post(9102, "小寨村东头路灯坏了三个月了，晚上走路看不见", false).status, 204);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(post(9103 + i, "今天天气不错，大家吃了吗", false, std::to_string(700001 + i)).status, 204);
  // A neighbour's small talk delivered again is a duplicate, as any event.
  ASSERT_EQ(post(9103, "今天天气不错，大家吃了吗", false, "700001").status, 204);

  std::vector<std::string> stored;
  for (int s = 0; s < 8; ++s) {
    auto entries = redis_server::shared().command({"XRANGE", "lx:{rn}:inbox:" + std::to_string(s), "-", "+"});
    for (const auto& e : entries.elements()) stored.push_back(e.elements()[1].elements()[1].text());
  }
  ASSERT_EQ(stored.size(), 2u);
  for (const auto& p : stored) EXPECT_EQ(p.find("天气"), std::string::npos) << p;
  EXPECT_EQ(redis_server::shared().command({"GET", live}).text(), "2");
  EXPECT_EQ(redis_server::shared().command({"EXISTS", "lx:{rn}:seen:onebot:10000:9103"}).int_value(), 1);

  // The worker takes both in order: the question for the content, then the content taken.
  ASSERT_TRUE(fake_.wait_for(2, 15s, "/send_group_msg"));
  std::this_thread::sleep_for(300ms);
  auto state = redis_server::shared().command({"GET", conv});
  ASSERT_TRUE(state.is_string());
  EXPECT_NE(state.text().find("路灯"), std::string::npos) << state.text();
  EXPECT_EQ(redis_server::shared().command({"GET", live}).text(), "0");
  EXPECT_GT(redis_server::shared().command({"TTL", live}).int_value(), 0);

  // With the conversation open, the resident's next unaddressed line is kept too; a
  // neighbour's is not.
  ASSERT_EQ(post(9110, "就在小学门口那一段", false).status, 204);
  ASSERT_EQ(post(9111, "是啊好几个月了", false, "700002").status, 204);
  auto metrics = http_request(app_->port(), "GET", "/metrics", "").body;
  EXPECT_NE(metrics.find("lx_inbound_events_total{platform=\"onebot\",outcome=\"recorded\"} 3"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("lx_inbound_events_total{platform=\"onebot\",outcome=\"chatter\"} 4"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("lx_inbound_events_total{platform=\"onebot\",outcome=\"duplicate\"} 1"), std::string::npos)
      << metrics;
  ASSERT_TRUE(fake_.wait_for(3, 10s, "/send_group_msg"));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(redis_server::shared().command({"GET", live}).text(), "0");
}

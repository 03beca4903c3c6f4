// Group etiquette and platform rules in the outbox: case updates for one group within the merge
// window go out as one message, quiet hours hold them until morning (on the workflow clock),
// and official-QQ chats, which accept only replies, get their updates as replies to the
// resident's next message.
#include "adapters/common/codec.hpp"
#include "adapters/common/ed25519.hpp"
#include "adapters/qq/webhook.hpp"
#include "support/app_runner.hpp"
#include "support/fake_platform.hpp"
#include "support/http_client.hpp"
#include "support/paths.hpp"
#include "support/redis_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <thread>

using namespace lianxin::test;
using namespace std::chrono_literals;
using json = nlohmann::json;
namespace common = lianxin::adapters::common;

namespace {

constexpr const char* kAdmin = "notify-test-admin-token";

json base_config(const fake_platform& fake, json notify) {
  const auto& o = fake.options();
  return fixture_config({{"admin", {{"token", kAdmin}}},
          {"notify", std::move(notify)},
          {"scheduler", {{"test_clock", true}, {"poll_ms", 50}}},
          {"platforms",
           {{"onebot",
             {{"demo", {{"self_id", "10000"}, {"access_token", "onebot-token"}, {"api_base", fake.base_url()}}}}},
            {"qq",
             {{"demo",
               {{"app_id", o.qq_app_id},
                {"secret", o.qq_secret},
                {"api_base", fake.base_url()},
                {"token_url", fake.base_url() + "/app/getAppAccessToken"}}}}}}}});
}

std::string now_rfc3339() {
  std::time_t t = std::time(nullptr) + 8 * 3600;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
  return buf;
}

std::string hhmm(int minutes) {
  minutes = ((minutes % 1440) + 1440) % 1440;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

class Notify : public ::testing::Test {
 protected:
  void start(json notify) {
    redis_server::shared().flush();
    app_ = std::make_unique<app_runner>(redis_server::shared().url(), base_config(fake_, std::move(notify)).dump());
  }
  void TearDown() override { app_.reset(); }

  http_result group_post(long long id, const std::string& text, bool at) {
    json msg = json::array();
    if (at) msg.push_back({{"type", "at"}, {"data", {{"qq", "10000"}}}});
    msg.push_back({{"type", "text"}, {"data", {{"text", text}}}});
    json ev = {{"time", std::time(nullptr)}, {"self_id", 10000}, {"post_type", "message"},
               {"message_type", "group"}, {"sub_type", "normal"}, {"message_id", id},
               {"group_id", 900001}, {"user_id", 123456}, {"message", msg}, {"raw_message", text}, {"font", 0},
               {"sender", {{"user_id", 123456}, {"nickname", "老李"}}}};
    return http_request(app_->port(), "POST", "/webhook/onebot/demo", ev.dump(),
                        "Content-Type: application/json\r\nX-Self-ID: 10000\r\n");
  }

  std::string last_case() {
    for (int i = 0; i < 200; ++i) {
      auto cases = redis_server::shared().command({"ZREVRANGE", "lx:{rn}:cases", "0", "0"});
      if (!cases.elements().empty()) return cases.elements()[0].text();
      std::this_thread::sleep_for(50ms);
    }
    return {};
  }

  std::string file_in_group() {
    EXPECT_EQ(group_post(1, "建议 小寨村东头路灯坏了三个月了，晚上走路看不见", true).status, 204);
    EXPECT_TRUE(fake_.wait_for(1, 10s, "/send_group_msg"));
    EXPECT_EQ(group_post(2, "1", false).status, 204);
    EXPECT_TRUE(fake_.wait_for(2, 10s, "/send_group_msg"));
    return last_case();
  }

  http_result act(const std::string& number, const json& body) {
    return http_request(app_->port(), "POST", "/api/v1/cases/" + number + "/actions", body.dump(),
                        std::string("Content-Type: application/json\r\nAuthorization: Bearer ") + kAdmin + "\r\n");
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

  // QQ official: a signed C2C message from one resident.
  http_result qq_private(const std::string& msg_id, const std::string& text) {
    json ev = {{"op", 0},
               {"id", "C2C_MESSAGE_CREATE:" + msg_id},
               {"t", "C2C_MESSAGE_CREATE"},
               {"d",
                {{"author", {{"user_openid", "QQUSER1"}}},
                 {"content", text},
                 {"id", msg_id},
                 {"timestamp", now_rfc3339()}}}};
    auto body = ev.dump();
    auto ts = std::to_string(std::time(nullptr));
    auto sig = common::hex_encode(*common::ed25519_sign(lianxin::adapters::qq::derive_seed(fake_.options().qq_secret), ts + body));
    return http_request(app_->port(), "POST", "/webhook/qq/demo", body,
                        "Content-Type: application/json\r\nX-Signature-Ed25519: " + sig + "\r\nX-Signature-Timestamp: " +
                            ts + "\r\n");
  }

  fake_platform fake_;
  std::unique_ptr<app_runner> app_;
};

}  // namespace

TEST_F(Notify, UpdatesForOneGroupWithinTheWindowAreMergedIntoOneMessage) {
  start({{"group_merge_seconds", 2}, {"quiet_hours", ""}});
  auto number = file_in_group();
  ASSERT_FALSE(number.empty());
  std::this_thread::sleep_for(2500ms);  // anything the filing itself posted has gone out
  const auto before = fake_.count("/send_group_msg");
  ASSERT_EQ(act(number, {{"action", "accept"}}).status, 200);
  ASSERT_EQ(act(number, {{"action", "assign"}, {"target", "transport"}}).status, 200);
  std::this_thread::sleep_for(800ms);
  EXPECT_EQ(fake_.count("/send_group_msg"), before) << "held for the merge window";
  ASSERT_TRUE(fake_.wait_for(before + 1, 6s, "/send_group_msg"));
  std::this_thread::sleep_for(1500ms);
  auto texts = group_texts();
  ASSERT_EQ(texts.size(), before + 1) << "two updates, one message";
  const auto& merged = texts.back();
  EXPECT_NE(merged.find("已受理"), std::string::npos) << merged;
  EXPECT_NE(merged.find("已交办"), std::string::npos) << merged;
  EXPECT_NE(merged.find(number), std::string::npos);
  EXPECT_EQ(merged.find("老李"), std::string::npos) << "no names in group posts";
}

TEST_F(Notify, QuietHoursHoldGroupPostsUntilMorning) {
  // Quiet from an hour ago to an hour from now, China time.
  std::time_t t = std::time(nullptr) + 8 * 3600;
  const int minute_now = static_cast<int>((t % 86400) / 60);
  start({{"group_merge_seconds", 0}, {"quiet_hours", hhmm(minute_now - 60) + "-" + hhmm(minute_now + 60)}});
  auto number = file_in_group();
  ASSERT_FALSE(number.empty());
  std::this_thread::sleep_for(1000ms);
  const auto before = fake_.count("/send_group_msg");
  ASSERT_EQ(act(number, {{"action", "accept"}}).status, 200);
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(fake_.count("/send_group_msg"), before) << "nothing is posted to the group in quiet hours";
  auto held = redis_server::shared().command({"ZCARD", "lx:{rn}:digests"});
  EXPECT_EQ(held.as_integer().value_or(0), 1);
  app_->app().advance_clock(2 * 3600);  // the morning comes
  ASSERT_TRUE(fake_.wait_for(before + 1, 5s, "/send_group_msg")) << "posted when the quiet hours end";
  EXPECT_NE(group_texts().back().find("已受理"), std::string::npos);
}

TEST_F(Notify, OfficialQqUpdatesGoOutAsRepliesToTheNextMessage) {
  start({{"group_merge_seconds", 0}, {"quiet_hours", ""}});
  // The resident files in private chat, answering whatever the bot asks.
  std::size_t seen = 0;
  std::string reply;
  int n = 0;
  std::string next = "建议 小寨村东头路灯坏了三个月了，晚上走路看不见";
  for (; n < 8 && !next.empty(); ++n) {
    ASSERT_EQ(qq_private("M" + std::to_string(n), next).status, 200);
    ASSERT_TRUE(fake_.wait_for(seen + 1, 10s, "/v2/users/QQUSER1/messages")) << "no answer to " << next;
    auto sent = fake_.requests_to("/v2/users/QQUSER1/messages");
    seen = sent.size();
    reply = sent.back().json["content"];
    EXPECT_EQ(sent.back().json["msg_id"], "M" + std::to_string(n));
    if (reply.find("提交成功") != std::string::npos) break;
    if (reply.find("回复 1 提交") != std::string::npos) next = "1";
    else if (reply.find("留个电话") != std::string::npos) next = "0";
    else if (reply.find("哪个村") != std::string::npos) next = "小寨村";
    else if (reply.find("属于哪一类") != std::string::npos) next = "1";
    else next.clear();
  }
  ASSERT_NE(reply.find("提交成功"), std::string::npos) << reply;
  auto number = last_case();
  ASSERT_EQ(act(number, {{"action", "accept"}}).status, 200);
  std::this_thread::sleep_for(1000ms);
  EXPECT_EQ(fake_.requests_to("/v2/users/QQUSER1/messages").size(), seen) << "QQ cannot push: the update waits";
  auto pending = redis_server::shared().command({"LLEN", "lx:{rn}:qq:pending:demo:p:QQUSER1"});
  const auto waiting = static_cast<std::size_t>(pending.as_integer().value_or(0));
  ASSERT_GE(waiting, 1u);
  ASSERT_LE(waiting, 4u);

  ASSERT_EQ(qq_private("M-next", "查询").status, 200);
  ASSERT_TRUE(fake_.wait_for(seen + 1 + waiting, 10s, "/v2/users/QQUSER1/messages"));
  std::this_thread::sleep_for(300ms);
  auto sent = fake_.requests_to("/v2/users/QQUSER1/messages");
  std::set<long long> seqs;
  bool update_seen = false;
  for (std::size_t i = seen; i < sent.size(); ++i) {
    EXPECT_EQ(sent[i].json["msg_id"], "M-next") << "both go out as replies to the new message";
    seqs.insert(sent[i].json["msg_seq"].get<long long>());
    update_seen |= sent[i].json["content"].get<std::string>().find("受理") != std::string::npos;
  }
  EXPECT_TRUE(update_seen);
  EXPECT_EQ(seqs.size(), sent.size() - seen) << "distinct msg_seq per reply";
  EXPECT_EQ(redis_server::shared().command({"LLEN", "lx:{rn}:qq:pending:demo:p:QQUSER1"}).as_integer().value_or(0), 0);
}

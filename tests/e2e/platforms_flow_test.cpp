// QQ official bot, WeCom app and WeChat Official Account end to end through the running server:
// a signed (and, where the platform encrypts, encrypted) request built with the platform's own
// scheme → the neutral message recorded once → the bot's answer reaches a fake platform API on
// loopback with the right auth. Triple delivery is processed once; with Redis stopped the
// answer is 5xx and the platform's retry is processed after Redis returns.
#include "adapters/common/codec.hpp"
#include "adapters/common/ed25519.hpp"
#include "adapters/common/wx_crypt.hpp"
#include "adapters/qq/webhook.hpp"
#include "adapters/wechat/callback.hpp"
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

// 43-character EncodingAESKeys (random, used only here).
constexpr const char* kWecomKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
constexpr const char* kWechatKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

std::string now_s() { return std::to_string(std::time(nullptr)); }

// RFC 3339 in China time, as QQ sends it.
std::string now_rfc3339() {
  std::time_t t = std::time(nullptr) + 8 * 3600;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
  return buf;
}

std::string config_for(const fake_platform& fake) {
  const auto& o = fake.options();
  json c = fixture_config({
      {"scheduler", {{"test_clock", true}, {"poll_ms", 50}}},
      {"platforms",
       {{"qq",
         {{"demo",
           {{"app_id", o.qq_app_id},
            {"secret", o.qq_secret},
            {"api_base", fake.base_url()},
            {"token_url", fake.base_url() + "/app/getAppAccessToken"}}}}},
        {"wecom",
         {{"demo",
           {{"token", "wecom-callback-token"},
            {"aes_key", kWecomKey},
            {"corp_id", o.wecom_corp_id},
            {"corp_secret", o.wecom_corp_secret},
            {"agent_id", 1000002},
            {"api_base", fake.base_url()}}}}},
        {"wechat",
         {{"demo",
           {{"token", "wechat-token"},
            {"aes_key", kWechatKey},
            {"app_id", o.wechat_app_id},
            {"app_secret", o.wechat_app_secret},
            {"api_base", fake.base_url()}}}}}}}});
  return c.dump();
}

std::string joined_texts(const std::vector<recorded_request>& rs, const char* field) {
  std::string all;
  for (const auto& r : rs) {
    const json* j = &r.json;
    if (std::string(field) == "content" && j->contains("content")) all += (*j)["content"].get<std::string>();
    if (std::string(field) == "text" && j->contains("text")) all += (*j)["text"]["content"].get<std::string>();
    all += "\n";
  }
  return all;
}

class PlatformFlow : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_server::shared().flush();
    app_ = std::make_unique<app_runner>(redis_server::shared().url(), config_for(fake_));
  }
  void TearDown() override { app_.reset(); }

  // Events recorded (each marked seen once, in the same atomic step as its inbox entry; the
  // worker trims the inbox after processing, so the seen marks are what stays countable).
  std::size_t inbox_entries() {
    auto v = redis_server::shared().command({"KEYS", "lx:{rn}:seen:*"});
    return v.elements().size();
  }

  // --- QQ official bot: Ed25519 over timestamp + body with the seed derived from the secret ---
  http_result qq_post(const std::string& body, const std::string& ts = now_s(), bool tamper = false) {
    auto seed = lianxin::adapters::qq::derive_seed(fake_.options().qq_secret);
    auto sig = *common::ed25519_sign(seed, ts + body);
    auto hex = common::hex_encode(sig);
    if (tamper) hex[0] = hex[0] == 'a' ? 'b' : 'a';
    return http_request(app_->port(), "POST", "/webhook/qq/demo", body,
                        "Content-Type: application/json\r\nX-Signature-Ed25519: " + hex +
                            "\r\nX-Signature-Timestamp: " + ts + "\r\nX-Bot-Appid: " + fake_.options().qq_app_id +
                            "\r\n");
  }
  static std::string qq_c2c(const std::string& event_id, const std::string& msg_id, const std::string& text) {
    json ev = {{"op", 0},
               {"id", event_id},
               {"t", "C2C_MESSAGE_CREATE"},
               {"d",
                {{"author", {{"user_openid", "UOPENID1"}}},
                 {"content", text},
                 {"id", msg_id},
                 {"timestamp", now_rfc3339()}}}};
    return ev.dump();
  }

  // --- WeCom app: XML envelope, msg_signature over token/timestamp/nonce/Encrypt ---
  http_result wecom_post(const std::string& inner_xml, bool tamper = false) {
    auto crypt = *common::wx_crypt::create("wecom-callback-token", kWecomKey, fake_.options().wecom_corp_id);
    auto enc = *crypt.encrypt("0123456789abcdef", inner_xml);
    auto ts = now_s();
    auto sig = crypt.signature(ts, "n1", enc);
    if (tamper) sig[0] = sig[0] == 'a' ? 'b' : 'a';
    std::string body = "<xml><ToUserName><![CDATA[" + fake_.options().wecom_corp_id +
                       "]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[" + enc +
                       "]]></Encrypt></xml>";
    return http_request(app_->port(), "POST",
                        "/webhook/wecom/demo?msg_signature=" + sig + "&timestamp=" + ts + "&nonce=n1", body,
                        "Content-Type: text/xml\r\n");
  }
  std::string wecom_text(const std::string& msg_id, const std::string& text) {
    return "<xml><ToUserName><![CDATA[" + fake_.options().wecom_corp_id +
           "]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>" + now_s() +
           "</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[" + text + "]]></Content><MsgId>" +
           msg_id + "</MsgId><AgentID>1000002</AgentID></xml>";
  }

  // --- WeChat OA safe mode: plain signature in the query plus msg_signature over Encrypt ---
  http_result wechat_post(const std::string& inner_xml) {
    auto crypt = *common::wx_crypt::create("wechat-token", kWechatKey, fake_.options().wechat_app_id);
    auto enc = *crypt.encrypt("fedcba9876543210", inner_xml);
    auto ts = now_s();
    auto plain = lianxin::adapters::wechat::plain_signature("wechat-token", ts, "n2");
    auto msig = crypt.signature(ts, "n2", enc);
    std::string body = "<xml><ToUserName><![CDATA[gh_demo]]></ToUserName><Encrypt><![CDATA[" + enc +
                       "]]></Encrypt></xml>";
    return http_request(app_->port(), "POST",
                        "/webhook/wechat/demo?signature=" + plain + "&timestamp=" + ts +
                            "&nonce=n2&openid=o_resident&encrypt_type=aes&msg_signature=" + msig,
                        body, "Content-Type: text/xml\r\n");
  }
  static std::string wechat_event(const std::string& event, const std::string& key) {
    return "<xml><ToUserName><![CDATA[gh_demo]]></ToUserName><FromUserName><![CDATA[o_resident]]></FromUserName>"
           "<CreateTime>" + now_s() + "</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[" + event +
           "]]></Event><EventKey><![CDATA[" + key + "]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket></xml>";
  }
  static std::string wechat_text(const std::string& msg_id, const std::string& text) {
    return "<xml><ToUserName><![CDATA[gh_demo]]></ToUserName><FromUserName><![CDATA[o_resident]]></FromUserName>"
           "<CreateTime>" + now_s() + "</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[" + text +
           "]]></Content><MsgId>" + msg_id + "</MsgId></xml>";
  }

  fake_platform fake_;
  std::unique_ptr<app_runner> app_;
};

}  // namespace

TEST_F(PlatformFlow, QqPrivateMessageIsAnsweredPassivelyWithTheTokenOnce) {
  auto body = qq_c2c("C2C_MESSAGE_CREATE:e1", "MSG-1", "帮助");
  for (int i = 0; i < 3; ++i) {
    auto r = qq_post(body);
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(json::parse(r.body), (json{{"op", 12}, {"d", 0}})) << r.body;
  }
  EXPECT_EQ(inbox_entries(), 1u);
  ASSERT_TRUE(fake_.wait_for(1, 10s, "/v2/users/UOPENID1/messages"));
  std::this_thread::sleep_for(300ms);
  auto sent = fake_.requests_to("/v2/users/UOPENID1/messages");
  ASSERT_EQ(sent.size(), 1u) << "three deliveries must be answered once";
  EXPECT_EQ(sent[0].json["msg_id"], "MSG-1");
  EXPECT_EQ(sent[0].json["msg_seq"], 1);
  EXPECT_NE(sent[0].json["content"].get<std::string>().find("建议"), std::string::npos) << sent[0].body;
  EXPECT_EQ(sent[0].headers["authorization"].rfind("QQBot ", 0), 0u);
  EXPECT_EQ(fake_.requests_to("/app/getAppAccessToken").size(), 1u);
}

TEST_F(PlatformFlow, QqUrlValidationAndBadSignatures) {
  auto ts = now_s();
  auto r = qq_post(R"({"op":13,"d":{"plain_token":"Arq0D5A61EgUu4OxUvOp","event_ts":")" + ts + R"("}})", ts);
  ASSERT_EQ(r.status, 200) << r.raw;
  auto v = json::parse(r.body);
  EXPECT_EQ(v["plain_token"], "Arq0D5A61EgUu4OxUvOp");
  auto seed = lianxin::adapters::qq::derive_seed(fake_.options().qq_secret);
  auto pub = *common::ed25519_public_key(seed);
  auto sig = common::hex_decode(v["signature"].get<std::string>());
  ASSERT_TRUE(sig);
  EXPECT_TRUE(common::ed25519_verify(pub, ts + "Arq0D5A61EgUu4OxUvOp", *sig));

  auto body = qq_c2c("C2C_MESSAGE_CREATE:e2", "MSG-2", "帮助");
  EXPECT_EQ(qq_post(body, now_s(), true).status, 401);
  EXPECT_EQ(qq_post(body, std::to_string(std::time(nullptr) - 3600)).status, 401) << "a stale timestamp is a replay";
  auto unknown = http_request(app_->port(), "POST", "/webhook/qq/nobody", body, "Content-Type: application/json\r\n");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(inbox_entries(), 0u);
}

TEST_F(PlatformFlow, QqRedisDownIs5xxAndTheRetryIsProcessed) {
  auto body = qq_c2c("C2C_MESSAGE_CREATE:e3", "MSG-3", "帮助");
  redis_server::shared().kill_hard();
  auto r = qq_post(body);
  EXPECT_GE(r.status, 500) << r.raw;
  redis_server::shared().start();
  http_result again;
  for (int i = 0; i < 100; ++i) {
    again = qq_post(body);
    if (again.status == 200) break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(again.status, 200) << again.raw;
  ASSERT_TRUE(fake_.wait_for(1, 10s, "/v2/users/UOPENID1/messages"));
  EXPECT_EQ(fake_.requests_to("/v2/users/UOPENID1/messages").at(0).json["msg_id"], "MSG-3");
}

TEST_F(PlatformFlow, WeComAppMessageIsDecryptedRecordedOnceAndAnsweredThroughTheApp) {
  auto inner = wecom_text("7001", "帮助");
  for (int i = 0; i < 3; ++i) {
    auto r = wecom_post(inner);
    ASSERT_EQ(r.status, 200) << r.raw;
  }
  EXPECT_EQ(inbox_entries(), 1u);
  ASSERT_TRUE(fake_.wait_for(1, 10s, "/cgi-bin/message/send"));
  std::this_thread::sleep_for(300ms);
  auto sent = fake_.requests_to("/cgi-bin/message/send");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].json["touser"], "zhangsan");
  EXPECT_EQ(sent[0].json["agentid"], 1000002);
  EXPECT_NE(sent[0].json["text"]["content"].get<std::string>().find("查询"), std::string::npos) << sent[0].body;
  EXPECT_FALSE(sent[0].query["access_token"].empty());

  EXPECT_EQ(wecom_post(wecom_text("7002", "帮助"), true).status, 401);
  EXPECT_EQ(inbox_entries(), 1u);
}

TEST_F(PlatformFlow, WeComUrlVerificationAnswersTheDecryptedEchostr) {
  auto crypt = *common::wx_crypt::create("wecom-callback-token", kWecomKey, fake_.options().wecom_corp_id);
  auto echo = *crypt.encrypt("0123456789abcdef", "echo-4711");
  auto ts = now_s();
  auto sig = crypt.signature(ts, "n", echo);
  auto esc = [](std::string s) {
    std::string o;
    for (char c : s) {
      if (c == '+') o += "%2B";
      else if (c == '/') o += "%2F";
      else if (c == '=') o += "%3D";
      else o += c;
    }
    return o;
  };
  auto r = http_request(app_->port(), "GET",
                        "/webhook/wecom/demo?msg_signature=" + sig + "&timestamp=" + ts + "&nonce=n&echostr=" + esc(echo),
                        "", "");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body, "echo-4711");
}

TEST_F(PlatformFlow, WeChatQrScanOpensAConversationWithThatDeputy) {
  for (int i = 0; i < 3; ++i) {
    auto r = wechat_post(wechat_event("subscribe", "qrscene_D0001"));
    ASSERT_EQ(r.status, 200) << r.raw;
  }
  EXPECT_EQ(inbox_entries(), 1u);
  ASSERT_TRUE(fake_.wait_for(1, 10s, "/cgi-bin/message/custom/send"));
  auto first = fake_.requests_to("/cgi-bin/message/custom/send").at(0);
  EXPECT_EQ(first.json["touser"], "o_resident");
  EXPECT_NE(first.json["text"]["content"].get<std::string>().find("王建国"), std::string::npos) << first.body;

  // The resident then says what the matter is; the draft is addressed to that deputy.
  ASSERT_EQ(wechat_post(wechat_text("8001", "小寨村村口的路灯坏了三个月，晚上看不见路")).status, 200);
  ASSERT_TRUE(fake_.wait_for(2, 10s, "/cgi-bin/message/custom/send"));
  std::this_thread::sleep_for(300ms);
  auto all = joined_texts(fake_.requests_to("/cgi-bin/message/custom/send"), "text");
  EXPECT_NE(all.find("王建国"), std::string::npos) << all;
  EXPECT_EQ(fake_.requests_to("/cgi-bin/token").size(), 1u) << "the access token is fetched once and cached";
}

// The platform senders end to end: real sockets to the fake platform API, real Redis for the
// shared token cache and rate limits.
#include "bot/core/metrics.hpp"
#include "bot/net/http_client.hpp"
#include "bot/platforms/bots.hpp"
#include "bot/redis/client.hpp"
#include "bot/send/rate_limiter.hpp"
#include "bot/send/sender.hpp"
#include "bot/send/token_cache.hpp"
#include "support/fake_platform.hpp"
#include "support/redis_server.hpp"

#include <boost/asio.hpp>
#include <gtest/gtest.h>

#include <future>
#include <thread>

using namespace lianxin;
using namespace std::chrono_literals;
using adapters::api_outcome;
using adapters::chat_type;
using adapters::platform;

namespace {

adapters::outbound_message text_to(platform p, std::string bot, chat_type chat, std::string chat_id, std::string text,
                                   std::string reply_to = {}, std::uint32_t seq = 0) {
  adapters::outbound_message m;
  m.target = {p, std::move(bot), chat, std::move(chat_id), std::move(reply_to), seq};
  m.segments.push_back({adapters::out_segment_kind::text, std::move(text)});
  return m;
}

// One Lianxin instance's worth of sending machinery (tests build two to check cross-instance
// single-flight).
struct instance {
  instance(asio::io_context& ioc, std::shared_ptr<redis::client> r, const platforms::bots& bots,
           metrics::registry* m, send::sender_options opt = {})
      : http(ioc.get_executor()),
        tokens(ioc.get_executor(), r, store::keys("lx", "t"), http),
        sender(bots, http, tokens, m, std::move(opt)) {}
  net::http_client http;
  send::token_cache tokens;
  send::sender sender;
};

}  // namespace

class SendE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    auto& server = test::redis_server::shared();
    server.flush();
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { ioc_.run(); });
    redis_ = redis::client::create(ioc_.get_executor(), redis::parse_url(server.url()).opt);
    redis_->start();
    ASSERT_TRUE(run(redis_->wait_connected(5s)));
    make_bots();
    main_ = std::make_unique<instance>(ioc_, redis_, bots_, &metrics_);
  }
  void TearDown() override {
    main_.reset();
    second_.reset();
    run(redis_->stop());
    work_.reset();
    ioc_.stop();
    for (auto& t : threads_) t.join();
  }

  void make_bots() {
    platforms::common_settings common;
    common.api_base = fake_.base_url();
    common.api_timeout_ms = 2000;
    const auto& o = fake_.options();
    platforms::onebot_bot ob;
    ob.cfg.name = "demo";
    ob.cfg.self_id = "10000";
    ob.cfg.access_token = o.onebot_token;
    ob.common = common;
    bots_.onebot["demo"] = ob;
    platforms::qq_bot qq;
    qq.cfg.name = "demo";
    qq.cfg.app_id = o.qq_app_id;
    qq.cfg.secret = o.qq_secret;
    qq.token_url = fake_.base_url() + "/app/getAppAccessToken";
    qq.common = common;
    bots_.qq["demo"] = qq;
    platforms::wecom_bot wc;
    wc.cfg.name = "demo";
    wc.cfg.corp_id = o.wecom_corp_id;
    wc.corp_secret = o.wecom_corp_secret;
    wc.agent_id = 1000002;
    wc.robot_key = o.robot_keys.at(0);
    wc.common = common;
    bots_.wecom["demo"] = wc;
    wc.cfg.name = "app";
    wc.robot_key.clear();
    bots_.wecom["app"] = wc;
    platforms::wechat_bot wx;
    wx.cfg.name = "demo";
    wx.cfg.app_id = o.wechat_app_id;
    wx.app_secret = o.wechat_app_secret;
    wx.common = common;
    bots_.wechat["demo"] = wx;
  }

  template <class T>
  T run(asio::awaitable<T> a) {
    std::promise<T> p;
    asio::co_spawn(ioc_, std::move(a), [&](std::exception_ptr e, T v) {
      if (e) p.set_exception(e);
      else p.set_value(std::move(v));
    });
    return p.get_future().get();
  }
  void run(asio::awaitable<void> a) {
    std::promise<void> p;
    asio::co_spawn(ioc_, std::move(a), [&](std::exception_ptr e) {
      if (e) p.set_exception(e);
      else p.set_value();
    });
    p.get_future().get();
  }
  send::send_result send(const adapters::outbound_message& m, send::send_context ctx = {}) {
    return run(main_->sender.send(m, ctx));
  }
  // n sends at once, spread over the io threads; results in order.
  std::vector<send::send_result> send_all(std::vector<std::pair<instance*, adapters::outbound_message>> jobs) {
    std::vector<std::future<send::send_result>> fs;
    for (auto& [inst, m] : jobs) {
      auto p = std::make_shared<std::promise<send::send_result>>();
      fs.push_back(p->get_future());
      asio::co_spawn(asio::make_strand(ioc_), inst->sender.send(m),
                     [p](std::exception_ptr, send::send_result r) { p->set_value(std::move(r)); });
    }
    std::vector<send::send_result> out;
    for (auto& f : fs) out.push_back(f.get());
    return out;
  }
  std::int64_t pttl(const std::string& key) { return test::redis_server::shared().command({"PTTL", key}).int_value(); }

  test::fake_platform fake_;
  asio::io_context ioc_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_{ioc_.get_executor()};
  std::vector<std::thread> threads_;
  std::shared_ptr<redis::client> redis_;
  platforms::bots bots_;
  metrics::registry metrics_;
  std::unique_ptr<instance> main_;
  std::unique_ptr<instance> second_;
};

TEST_F(SendE2E, OneBotGroupAndPrivateCarryTheBearerToken) {
  auto g = send(text_to(platform::onebot, "demo", chat_type::group, "123456", "hello group"));
  ASSERT_TRUE(g.ok()) << g.detail;
  EXPECT_FALSE(g.platform_message_id.empty());
  auto p = send(text_to(platform::onebot, "demo", chat_type::private_chat, "10001000", "hello you"));
  ASSERT_TRUE(p.ok()) << p.detail;
  auto group = fake_.requests_to("/send_group_msg");
  ASSERT_EQ(group.size(), 1u);
  EXPECT_EQ(group[0].method, "POST");
  EXPECT_EQ(group[0].headers["authorization"], "Bearer onebot-token");
  EXPECT_EQ(group[0].headers["content-type"], "application/json");
  EXPECT_EQ(group[0].json["group_id"], 123456);
  EXPECT_EQ(group[0].json["message"][0]["data"]["text"], "hello group");
  auto priv = fake_.requests_to("/send_private_msg");
  ASSERT_EQ(priv.size(), 1u);
  EXPECT_EQ(priv[0].json["user_id"], 10001000);
  EXPECT_EQ(metrics_.value("lx_send_total", {{"platform", "onebot"}, {"outcome", "ok"}}), 2);
  EXPECT_NE(metrics_.render().find("lx_send_duration_seconds_count{platform=\"onebot\"} 2"), std::string::npos)
      << metrics_.render();
}

TEST_F(SendE2E, OneBotWrongTokenIsGiveUpAndFiveHundredIsRetry) {
  bots_.onebot["demo"].cfg.access_token = "wrong";
  auto wrong = send(text_to(platform::onebot, "demo", chat_type::group, "123456", "x"));
  EXPECT_EQ(wrong.outcome, api_outcome::give_up) << wrong.detail;
  bots_.onebot["demo"].cfg.access_token = fake_.options().onebot_token;
  fake_.fail_next(1, 500, "/send_group_msg");
  auto busy = send(text_to(platform::onebot, "demo", chat_type::group, "123456", "x"));
  EXPECT_EQ(busy.outcome, api_outcome::retry) << busy.detail;
  EXPECT_FALSE(busy.maybe_sent);
  fake_.fail_next(1, 429, "/send_group_msg");
  auto slow_down = send(text_to(platform::onebot, "demo", chat_type::group, "123456", "x"));
  EXPECT_EQ(slow_down.outcome, api_outcome::rate_limited) << slow_down.detail;
  EXPECT_EQ(slow_down.retry_after, 2s);
  EXPECT_TRUE(send(text_to(platform::onebot, "demo", chat_type::group, "123456", "x")).ok());
  EXPECT_EQ(fake_.delivered().size(), 1u);
}

TEST_F(SendE2E, QqPassiveReplyFetchesTheTokenOnceAndSharesItInRedis) {
  for (std::uint32_t seq = 1; seq <= 2; ++seq) {
    auto r = send(text_to(platform::qq, "demo", chat_type::group, "GROUPOPENID", "reply", "MSG1", seq));
    ASSERT_TRUE(r.ok()) << r.detail;
    EXPECT_EQ(r.platform_message_id.rfind("qqmsg-", 0), 0u);
  }
  EXPECT_EQ(fake_.token_fetches("qq"), 1);
  auto sends = fake_.requests_to("/v2/groups/GROUPOPENID/messages");
  ASSERT_EQ(sends.size(), 2u);
  EXPECT_EQ(sends[0].headers["authorization"].rfind("QQBot qq-tok-", 0), 0u);
  EXPECT_EQ(sends[0].json["msg_id"], "MSG1");
  EXPECT_EQ(sends[1].json["msg_seq"], 2);
  EXPECT_EQ(sends[0].json["content"], "reply");
  auto token_call = fake_.requests_to("/app/getAppAccessToken").at(0);
  EXPECT_EQ(token_call.json["appId"], "qq-app");
  // TTL = expires_in (7200 s) minus the 50 s QQ margin.
  const auto ttl = pttl("lx:{t}:token:qq:demo");
  EXPECT_GT(ttl, 7100'000);
  EXPECT_LE(ttl, 7150'000);
  auto c2c = send(text_to(platform::qq, "demo", chat_type::private_chat, "USEROPENID", "hi", "MSG2", 1));
  ASSERT_TRUE(c2c.ok()) << c2c.detail;
  EXPECT_EQ(fake_.count("/v2/users/USEROPENID/messages"), 1u);
}

TEST_F(SendE2E, QqOutsideTheReplyWindowIsGiveUpWithoutACall) {
  auto no_id = send(text_to(platform::qq, "demo", chat_type::group, "G", "x"));
  EXPECT_EQ(no_id.outcome, api_outcome::give_up);
  EXPECT_EQ(no_id.detail.rfind("qq_window", 0), 0u) << no_id.detail;
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  auto late = send(text_to(platform::qq, "demo", chat_type::group, "G", "x", "OLD", 1), {.reply_to_unix = now - 301});
  EXPECT_EQ(late.outcome, api_outcome::give_up);
  EXPECT_EQ(late.detail.rfind("qq_window", 0), 0u) << late.detail;
  // A private chat has an hour.
  auto c2c = send(text_to(platform::qq, "demo", chat_type::private_chat, "U", "x", "OLD", 1), {.reply_to_unix = now - 301});
  EXPECT_TRUE(c2c.ok()) << c2c.detail;
  EXPECT_EQ(fake_.count("/v2/groups"), 0u);
}

TEST_F(SendE2E, QqReplyQuotaAndSequenceDedupeAreGiveUp) {
  for (std::uint32_t seq = 1; seq <= 5; ++seq) {
    ASSERT_TRUE(send(text_to(platform::qq, "demo", chat_type::group, "G", "r", "M", seq)).ok());
  }
  auto sixth = send(text_to(platform::qq, "demo", chat_type::group, "G", "r", "M", 6));
  EXPECT_EQ(sixth.outcome, api_outcome::give_up);
  EXPECT_NE(sixth.detail.find("22009"), std::string::npos) << sixth.detail;
  EXPECT_EQ(fake_.delivered().size(), 5u);
}

TEST_F(SendE2E, QqRetryAfterAMaybeSentReplyIsDedupedAndCountsAsDelivered) {
  fake_.drop_next(1, "/v2/groups");
  auto first = send(text_to(platform::qq, "demo", chat_type::group, "G", "r", "M", 1));
  EXPECT_EQ(first.outcome, api_outcome::retry) << first.detail;
  EXPECT_TRUE(first.maybe_sent);
  auto again = send(text_to(platform::qq, "demo", chat_type::group, "G", "r", "M", 1));
  EXPECT_TRUE(again.ok()) << again.detail;
  EXPECT_EQ(fake_.delivered().size(), 1u);
  EXPECT_TRUE(fake_.requests_to("/v2/groups").at(1).duplicate);
}

TEST_F(SendE2E, FiftyConcurrentSendsFetchOneToken) {
  std::vector<std::pair<instance*, adapters::outbound_message>> jobs;
  for (int i = 0; i < 50; ++i) {
    jobs.emplace_back(main_.get(), text_to(platform::qq, "demo", chat_type::group, "G", "n", "M" + std::to_string(i), 1));
  }
  for (const auto& r : send_all(std::move(jobs))) EXPECT_TRUE(r.ok()) << r.detail;
  EXPECT_EQ(fake_.token_fetches("qq"), 1);
  EXPECT_EQ(fake_.delivered().size(), 50u);
}

TEST_F(SendE2E, TwoInstancesShareOneFetchThroughTheRedisLock) {
  second_ = std::make_unique<instance>(ioc_, redis_, bots_, nullptr);
  fake_.delay_next(1, 300ms, "/cgi-bin/gettoken");  // a slow fetch, so both really overlap
  std::vector<std::pair<instance*, adapters::outbound_message>> jobs;
  for (int i = 0; i < 40; ++i) {
    jobs.emplace_back(i % 2 ? second_.get() : main_.get(),
                      text_to(platform::wecom, "app", chat_type::private_chat, "user" + std::to_string(i), "x"));
  }
  for (const auto& r : send_all(std::move(jobs))) EXPECT_TRUE(r.ok()) << r.detail;
  EXPECT_EQ(fake_.token_fetches("wecom"), 1);
  EXPECT_EQ(main_->tokens.fetch_count() + second_->tokens.fetch_count(), 1u);
}

TEST_F(SendE2E, ExpiredTokenIsRefetchedBeforeThePlatformRejectsIt) {
  fake_.set_token_ttl(2s);  // refreshed after max(2 s − margin, 1 s)
  ASSERT_TRUE(send(text_to(platform::wechat, "demo", chat_type::private_chat, "OPENID", "a")).ok());
  ASSERT_TRUE(send(text_to(platform::wechat, "demo", chat_type::private_chat, "OPENID", "b")).ok());
  EXPECT_EQ(fake_.token_fetches("wechat"), 1);
  std::this_thread::sleep_for(1200ms);
  ASSERT_TRUE(send(text_to(platform::wechat, "demo", chat_type::private_chat, "OPENID", "c")).ok());
  EXPECT_EQ(fake_.token_fetches("wechat"), 2);
  for (const auto& r : fake_.requests_to("/cgi-bin/message/custom/send")) EXPECT_EQ(r.status, 200);
}

TEST_F(SendE2E, RejectedTokenIsRefreshedOnceAndTheSendRetried) {
  ASSERT_TRUE(send(text_to(platform::qq, "demo", chat_type::group, "G", "a", "M", 1)).ok());
  fake_.revoke_tokens("qq");
  auto r = send(text_to(platform::qq, "demo", chat_type::group, "G", "b", "M", 2));
  ASSERT_TRUE(r.ok()) << r.detail;
  EXPECT_EQ(fake_.token_fetches("qq"), 2);
  auto sends = fake_.requests_to("/v2/groups/G/messages");
  ASSERT_EQ(sends.size(), 3u);
  EXPECT_EQ(sends[1].status, 401);
  EXPECT_NE(sends[1].headers["authorization"], sends[2].headers["authorization"]);

  fake_.revoke_tokens("wecom");  // before any wecom token exists: nothing to revoke yet
  ASSERT_TRUE(send(text_to(platform::wecom, "app", chat_type::private_chat, "u1", "x")).ok());
  fake_.revoke_tokens("wecom");
  auto w = send(text_to(platform::wecom, "app", chat_type::private_chat, "u2", "y"));
  ASSERT_TRUE(w.ok()) << w.detail;
  EXPECT_EQ(fake_.token_fetches("wecom"), 2);
  auto app = fake_.requests_to("/cgi-bin/message/send");
  ASSERT_EQ(app.size(), 3u);
  EXPECT_NE(app[1].response_body.find("40014"), std::string::npos);
}

TEST_F(SendE2E, WeComAppMessageUsesTheTokenAndDuplicateCheck) {
  auto r = send(text_to(platform::wecom, "app", chat_type::private_chat, "zhangsan", "任务已交办"));
  ASSERT_TRUE(r.ok()) << r.detail;
  EXPECT_EQ(r.platform_message_id.rfind("wcmsg-", 0), 0u);
  auto token = fake_.requests_to("/cgi-bin/gettoken").at(0);
  EXPECT_EQ(token.method, "GET");
  EXPECT_EQ(token.query["corpid"], "wecom-corp");
  EXPECT_EQ(token.query["corpsecret"], "wecom-secret");
  auto m = fake_.requests_to("/cgi-bin/message/send").at(0);
  EXPECT_EQ(m.query["access_token"].rfind("wecom-tok-", 0), 0u);
  EXPECT_EQ(m.json["touser"], "zhangsan");
  EXPECT_EQ(m.json["agentid"], 1000002);
  EXPECT_EQ(m.json["enable_duplicate_check"], 1);
  EXPECT_EQ(m.json["text"]["content"], "任务已交办");
}

TEST_F(SendE2E, WeComRobotPostsToTheWebhookAndHitsTheMinuteLimit) {
  for (int i = 0; i < 20; ++i) {
    auto r = send(text_to(platform::wecom, "demo", chat_type::group, "ignored", "update " + std::to_string(i)));
    ASSERT_TRUE(r.ok()) << i << ": " << r.detail;
  }
  auto over = send(text_to(platform::wecom, "demo", chat_type::group, "ignored", "one too many"));
  EXPECT_EQ(over.outcome, api_outcome::rate_limited) << over.detail;
  EXPECT_NE(over.detail.find("45009"), std::string::npos);
  auto hooks = fake_.requests_to("/cgi-bin/webhook/send");
  ASSERT_EQ(hooks.size(), 21u);
  EXPECT_EQ(hooks[0].query["key"], "robot-key");
  EXPECT_EQ(hooks[0].json["msgtype"], "text");
  EXPECT_EQ(hooks[0].json["text"]["content"], "update 0");
  EXPECT_EQ(fake_.token_fetches("wecom"), 0);
}

TEST_F(SendE2E, DroppedConnectionAfterProcessingIsMaybeSent) {
  fake_.drop_next(1, "/cgi-bin/webhook/send");
  auto r = send(text_to(platform::wecom, "demo", chat_type::group, "g", "posted?"));
  EXPECT_EQ(r.outcome, api_outcome::retry) << r.detail;
  EXPECT_TRUE(r.maybe_sent);
  EXPECT_EQ(fake_.delivered().size(), 1u);  // the robot did post it
  fake_.fail_next(1, 502, "/cgi-bin/webhook/send");
  auto bad_gateway = send(text_to(platform::wecom, "demo", chat_type::group, "g", "again"));
  EXPECT_EQ(bad_gateway.outcome, api_outcome::retry);
  EXPECT_FALSE(bad_gateway.maybe_sent);
}

TEST_F(SendE2E, WeChatCustomerServiceText) {
  auto r = send(text_to(platform::wechat, "demo", chat_type::private_chat, "oOPENID", "您的建议已受理"));
  ASSERT_TRUE(r.ok()) << r.detail;
  auto t = fake_.requests_to("/cgi-bin/token").at(0);
  EXPECT_EQ(t.query["grant_type"], "client_credential");
  EXPECT_EQ(t.query["appid"], "wx-app");
  auto m = fake_.requests_to("/cgi-bin/message/custom/send").at(0);
  EXPECT_EQ(m.json["touser"], "oOPENID");
  EXPECT_EQ(m.json["msgtype"], "text");
  EXPECT_EQ(m.json["text"]["content"], "您的建议已受理");
  EXPECT_EQ(m.query["access_token"].rfind("wechat-tok-", 0), 0u);
}

TEST_F(SendE2E, UnknownBotsAndBadSecretsAreGiveUp) {
  EXPECT_EQ(send(text_to(platform::onebot, "nobody", chat_type::group, "1", "x")).outcome, api_outcome::give_up);
  EXPECT_EQ(send(text_to(platform::sandbox, "demo", chat_type::group, "1", "x")).outcome, api_outcome::give_up);
  bots_.wechat["demo"].app_secret = "wrong";
  auto r = send(text_to(platform::wechat, "demo", chat_type::private_chat, "o", "x"));
  EXPECT_EQ(r.outcome, api_outcome::give_up) << r.detail;
  EXPECT_EQ(r.detail.rfind("token", 0), 0u) << r.detail;
  EXPECT_EQ(fake_.count("/cgi-bin/message/custom/send"), 0u);
}

TEST_F(SendE2E, RateLimiterAdmitsTheLimitThenSaysHowLongToWaitAcrossInstances) {
  send::rate_limiter a(redis_, store::keys("lx", "t"));
  send::rate_limiter b(redis_, store::keys("lx", "t"));
  const send::rate_limit limit{3, 1000ms};
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(run((i % 2 ? a : b).acquire("wecom:robot:demo", limit)).allowed);
  auto d = run(a.acquire("wecom:robot:demo", limit));
  EXPECT_FALSE(d.allowed);
  EXPECT_GT(d.wait.count(), 0);
  EXPECT_LE(d.wait.count(), 1000);
  EXPECT_TRUE(run(b.acquire("wecom:robot:other", limit)).allowed);  // targets are independent
  const auto start = std::chrono::steady_clock::now();
  run(b.wait_turn("wecom:robot:demo", limit));
  EXPECT_GE(std::chrono::steady_clock::now() - start, d.wait - 50ms);
  EXPECT_GT(pttl("lx:{t}:ratelimit:wecom:robot:demo"), 0);
}

TEST_F(SendE2E, WithoutRedisTokensStillWorkAndStaySingleFlightInProcess) {
  second_ = std::make_unique<instance>(ioc_, nullptr, bots_, nullptr);
  std::vector<std::pair<instance*, adapters::outbound_message>> jobs;
  for (int i = 0; i < 20; ++i) {
    jobs.emplace_back(second_.get(), text_to(platform::wechat, "demo", chat_type::private_chat, "o" + std::to_string(i), "x"));
  }
  for (const auto& r : send_all(std::move(jobs))) EXPECT_TRUE(r.ok()) << r.detail;
  EXPECT_EQ(fake_.token_fetches("wechat"), 1);
}

TEST_F(SendE2E, TokenEndpointFailureIsSharedByTheWaitersNotRepeated) {
  fake_.fail_next(1, 503, "/cgi-bin/token");
  fake_.delay_next(1, 200ms, "/cgi-bin/token");
  std::vector<std::pair<instance*, adapters::outbound_message>> jobs;
  for (int i = 0; i < 10; ++i) {
    jobs.emplace_back(main_.get(), text_to(platform::wechat, "demo", chat_type::private_chat, "o", "x"));
  }
  for (const auto& r : send_all(std::move(jobs))) {
    EXPECT_EQ(r.outcome, api_outcome::retry) << r.detail;
    EXPECT_FALSE(r.maybe_sent);
  }
  EXPECT_EQ(fake_.count("/cgi-bin/token"), 1u);
  EXPECT_TRUE(send(text_to(platform::wechat, "demo", chat_type::private_chat, "o", "x")).ok());
}

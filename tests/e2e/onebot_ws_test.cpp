// The OneBot v11 reverse WebSocket (Universal role) end to end: a Beast WebSocket client plays
// NapCat against the running app on loopback. Handshake tokens, events in (stored exactly
// once), the bot's replies out over the socket with echo matching, one live connection per
// bot, the HTTP API when no socket is up, and graceful shutdown closing live sockets.
#include "adapters/onebot/onebot.hpp"
#include "support/app_runner.hpp"
#include "support/fake_platform.hpp"
#include "support/http_client.hpp"
#include "support/paths.hpp"
#include "support/redis_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

using namespace lianxin::test;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;

constexpr const char* kToken = "onebot-token";

// A fake NapCat: connects to /webhook/onebot/{bot}/ws, pushes events, records what Lianxin
// sends and answers API calls when told to. Its own io_context on its own thread.
class fake_napcat {
 public:
  fake_napcat() = default;
  fake_napcat(const fake_napcat&) = delete;
  fake_napcat& operator=(const fake_napcat&) = delete;
  ~fake_napcat() {
    if (thread_.joinable()) {
      close();
      wait_closed(2s);
      ioc_.stop();
      thread_.join();
    }
  }

  // The handshake's HTTP status: 101 when upgraded, else what the server answered.
  int connect(unsigned short port, const std::string& target, std::vector<std::pair<std::string, std::string>> headers,
              bool self_id = true) {
    if (self_id) headers.emplace_back("X-Self-ID", "10000");
    headers.emplace_back("X-Client-Role", "Universal");
    beast::error_code ec;
    beast::get_lowest_layer(ws_).connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
    if (ec) return -1;
    ws_.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
      for (const auto& [k, v] : headers) req.set(k, v);
    }));
    websocket::response_type res;
    ws_.handshake(res, "127.0.0.1", target, ec);
    if (ec) return res.result_int() != 0 ? static_cast<int>(res.result_int()) : -2;
    read_next();
    thread_ = std::thread([this] { ioc_.run(); });
    return 101;
  }

  void send(std::string text) {
    asio::post(ioc_, [this, text = std::move(text)]() mutable {
      outq_.push_back(std::move(text));
      if (outq_.size() == 1) write_next();
    });
  }

  void close() {
    asio::post(ioc_, [this] {
      if (!closed_flag()) ws_.async_close(websocket::close_code::normal, [](beast::error_code) {});
    });
  }

  // The next frame Lianxin sent, in order.
  std::optional<json> next(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, timeout, [&] { return !frames_.empty() || closed_; })) return std::nullopt;
    if (frames_.empty()) return std::nullopt;
    auto f = json::parse(frames_.front(), nullptr, false);
    frames_.pop_front();
    return f;
  }

  // Answers an action frame the way NapCat does.
  void answer(const json& action, int retcode = 0) {
    json res = {{"status", retcode == 0 ? "ok" : "failed"},
                {"retcode", retcode},
                {"data", retcode == 0 ? json{{"message_id", 1}} : json(nullptr)},
                {"echo", action["echo"]}};
    send(res.dump());
  }

  bool wait_closed(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return closed_; });
  }
  int close_code() {
    std::lock_guard lock(mu_);
    return close_code_;
  }
  std::size_t pending_frames() {
    std::lock_guard lock(mu_);
    return frames_.size();
  }

 private:
  bool closed_flag() {
    std::lock_guard lock(mu_);
    return closed_;
  }
  void read_next() {
    ws_.async_read(buf_, [this](beast::error_code ec, std::size_t) {
      if (ec) {
        std::lock_guard lock(mu_);
        closed_ = true;
        close_code_ = ws_.reason().code;
        cv_.notify_all();
        return;
      }
      {
        std::lock_guard lock(mu_);
        frames_.push_back(beast::buffers_to_string(buf_.data()));
      }
      buf_.consume(buf_.size());
      cv_.notify_all();
      read_next();
    });
  }
  void write_next() {
    ws_.async_write(asio::buffer(outq_.front()), [this](beast::error_code ec, std::size_t) {
      outq_.pop_front();
      if (!ec && !outq_.empty()) write_next();
    });
  }

  asio::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_{ioc_};
  beast::flat_buffer buf_;
  std::deque<std::string> outq_;  // on the io thread only
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> frames_;
  bool closed_ = false;
  int close_code_ = 0;
};

std::string config_for(const std::string& api_base) {
  json c = fixture_config({
      {"server", {{"shutdown_grace_ms", 5000}}},
      {"platforms",
       {{"onebot",
         {{"demo",
           {{"self_id", "10000"}, {"secret", "ws-secret"}, {"access_token", kToken}, {"api_base", api_base}}}}}}}});
  return c.dump();
}

// A group message from a resident of the demo-bound group 900001, @-mentioning the bot.
json group_message(long long message_id, const std::string& text, long long user = 123456) {
  json msg = json::array();
  msg.push_back({{"type", "at"}, {"data", {{"qq", "10000"}}}});
  msg.push_back({{"type", "text"}, {"data", {{"text", text}}}});
  return {{"time", std::time(nullptr)}, {"self_id", 10000},     {"post_type", "message"},
          {"message_type", "group"},    {"sub_type", "normal"}, {"message_id", message_id},
          {"group_id", 900001},         {"user_id", user},      {"message", msg},
          {"raw_message", text},        {"font", 0},
          {"sender", {{"user_id", user}, {"nickname", "老李"}, {"role", "member"}}}};
}

json meta(const std::string& type) {
  json ev = {{"time", std::time(nullptr)}, {"self_id", 10000}, {"post_type", "meta_event"}, {"meta_event_type", type}};
  if (type == "heartbeat") {
    ev["status"] = {{"online", true}, {"good", true}};
    ev["interval"] = 5000;
  } else {
    ev["sub_type"] = "connect";
  }
  return ev;
}

// The next action frame (skipping nothing: Lianxin sends only actions).
std::optional<json> next_action(fake_napcat& napcat, std::chrono::milliseconds timeout = 10s) {
  auto f = napcat.next(timeout);
  if (!f || !f->is_object() || !f->contains("action")) return std::nullopt;
  return f;
}

std::string text_of(const json& message) {
  std::string t;
  for (const auto& seg : message) {
    if (seg["type"] == "text") t += seg["data"]["text"].get<std::string>();
  }
  return t;
}

class OneBotWs : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_server::shared().flush();
    app_ = std::make_unique<app_runner>(redis_server::shared().url(), config_for(fake_.base_url()));
  }
  void TearDown() override { app_.reset(); }

  int connect(fake_napcat& n, const std::string& auth = std::string("Bearer ") + kToken) {
    return n.connect(app_->port(), "/webhook/onebot/demo/ws", {{"Authorization", auth}});
  }

  bool wait_connected(bool want, std::chrono::milliseconds max = 5s) {
    auto deadline = std::chrono::steady_clock::now() + max;
    while (std::chrono::steady_clock::now() < deadline) {
      auto m = http_request(app_->port(), "GET", "/metrics");
      bool up = m.body.find("lx_onebot_ws_connected{bot=\"demo\"} 1") != std::string::npos;
      if (up == want) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  fake_platform fake_;
  std::unique_ptr<app_runner> app_;
};

}  // namespace

TEST_F(OneBotWs, HandshakeNeedsTheBotsAccessToken) {
  {
    fake_napcat n;
    EXPECT_EQ(n.connect(app_->port(), "/webhook/onebot/demo/ws", {}), 401);
  }
  {
    fake_napcat n;
    EXPECT_EQ(connect(n, "Bearer wrong-token"), 401);
  }
  {
    fake_napcat n;
    EXPECT_EQ(connect(n, "Token onebot-tokenx"), 401);
  }
  {
    fake_napcat n;
    EXPECT_EQ(n.connect(app_->port(), "/webhook/onebot/demo/ws?access_token=nope", {}), 401);
  }
  {
    fake_napcat n;  // a right token for a bot that does not exist
    EXPECT_EQ(n.connect(app_->port(), "/webhook/onebot/nobody/ws", {{"Authorization", "Bearer onebot-token"}}), 404);
  }
  {
    fake_napcat n;  // someone else's QQ number
    EXPECT_EQ(n.connect(app_->port(), "/webhook/onebot/demo/ws", {{"Authorization", "Bearer onebot-token"},
                                                                    {"X-Self-ID", "42"}},
                        false),
              403);
  }
  // Not an upgrade at all.
  EXPECT_EQ(http_request(app_->port(), "GET", "/webhook/onebot/demo/ws").status, 426);
  EXPECT_FALSE(wait_connected(true, 200ms));

  // All three token forms are accepted.
  fake_napcat bearer, token, query;
  EXPECT_EQ(connect(bearer, "Bearer onebot-token"), 101);
  EXPECT_TRUE(wait_connected(true));
  EXPECT_EQ(connect(token, "Token onebot-token"), 101);
  EXPECT_EQ(query.connect(app_->port(), "/webhook/onebot/demo/ws?access_token=onebot-token", {}), 101);
  auto m = http_request(app_->port(), "GET", "/metrics").body;
  EXPECT_NE(m.find("lx_onebot_ws_rejected_total{bot=\"demo\",reason=\"bad_signature\"} 4"), std::string::npos) << m;
}

TEST_F(OneBotWs, EventsAreStoredOnceAndRepliesGoOverTheSocket) {
  fake_napcat napcat;
  ASSERT_EQ(connect(napcat), 101);
  napcat.send(meta("lifecycle").dump());
  napcat.send(meta("heartbeat").dump());
  auto ev = group_message(3001, "建议 小寨村东头路灯坏了三个月了，晚上走路看不见").dump();
  for (int i = 0; i < 3; ++i) napcat.send(ev);

  auto action = next_action(napcat);
  ASSERT_TRUE(action) << "no API call came over the socket";
  EXPECT_TRUE((*action)["action"] == "send_group_msg" || (*action)["action"] == "send_msg") << action->dump();
  ASSERT_TRUE((*action)["echo"].is_string());
  EXPECT_FALSE((*action)["echo"].get<std::string>().empty());
  EXPECT_EQ((*action)["params"]["group_id"], 900001);
  EXPECT_NE(text_of((*action)["params"]["message"]).find("1"), std::string::npos) << action->dump();
  napcat.answer(*action);

  // Once: the triple delivery made one reply, and nothing went to the HTTP API.
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(napcat.pending_frames(), 0u);
  EXPECT_EQ(fake_.count(), 0u);
  EXPECT_EQ(redis_server::shared().command({"EXISTS", "lx:{rn}:seen:onebot:10000:3001"}).int_value(), 1);
  auto m = http_request(app_->port(), "GET", "/metrics").body;
  EXPECT_NE(m.find("lx_send_total{platform=\"onebot\",outcome=\"ok\"} 1"), std::string::npos) << m;
  EXPECT_NE(m.find("lx_onebot_ws_frames_total{kind=\"meta\"} 2"), std::string::npos) << m;
  EXPECT_NE(m.find("lx_onebot_ws_frames_total{kind=\"api_response\"} 1"), std::string::npos) << m;

  // The second turn files the case; the answers keep coming over the socket.
  napcat.send(group_message(3002, "1").dump());
  // The group reply carries the case number; the deputy's notice comes the same way.
  bool group_told = false, deputy_told = false;
  for (int i = 0; i < 6 && !(group_told && deputy_told); ++i) {
    auto next = next_action(napcat);
    if (!next) break;
    napcat.answer(*next);
    if ((*next)["action"] == "send_group_msg") {
      group_told = group_told || text_of((*next)["params"]["message"]).find("RN-") != std::string::npos;
    } else if ((*next)["action"] == "send_private_msg") {
      deputy_told = true;
    }
  }
  EXPECT_TRUE(group_told);
  EXPECT_TRUE(deputy_told);
  EXPECT_EQ(fake_.count(), 0u);
}

TEST_F(OneBotWs, AnErrorAnswerMapsLikeTheHttpApi) {
  fake_napcat napcat;
  ASSERT_EQ(connect(napcat), 101);
  napcat.send(group_message(3101, "建议 大河村的水渠堵了，浇不了地").dump());
  auto action = next_action(napcat);
  ASSERT_TRUE(action);
  napcat.answer(*action, 1404);  // unknown action: give up, never retried, not sent over HTTP
  std::this_thread::sleep_for(2500ms);
  EXPECT_FALSE(next_action(napcat, 200ms));
  EXPECT_EQ(fake_.count(), 0u);
  auto m = http_request(app_->port(), "GET", "/metrics").body;
  EXPECT_NE(m.find("lx_send_total{platform=\"onebot\",outcome=\"give_up\"} 1"), std::string::npos) << m;
}

TEST_F(OneBotWs, ANewConnectionReplacesTheOldOne) {
  fake_napcat first, second;
  ASSERT_EQ(connect(first), 101);
  ASSERT_TRUE(wait_connected(true));
  ASSERT_EQ(connect(second, "Token onebot-token"), 101);
  ASSERT_TRUE(first.wait_closed(5s)) << "the replaced connection stayed open";
  EXPECT_EQ(first.close_code(), static_cast<int>(websocket::close_code::policy_error));
  EXPECT_FALSE(second.wait_closed(300ms));

  // The bot's answers go to the live connection.
  second.send(group_message(3201, "建议 小寨村村口的桥有裂缝").dump());
  auto action = next_action(second);
  ASSERT_TRUE(action);
  second.answer(*action);
  EXPECT_EQ(fake_.count(), 0u);
  auto m = http_request(app_->port(), "GET", "/metrics").body;
  EXPECT_NE(m.find("lx_onebot_ws_replaced_total{bot=\"demo\"} 1"), std::string::npos) << m;
}

TEST_F(OneBotWs, WithoutASocketSendsGoToTheHttpApi) {
  {
    fake_napcat napcat;
    ASSERT_EQ(connect(napcat), 101);
    ASSERT_TRUE(wait_connected(true));
    napcat.close();
    ASSERT_TRUE(napcat.wait_closed(5s));
  }
  ASSERT_TRUE(wait_connected(false));
  // The same event, now through the HTTP POST route: the reply goes to the HTTP API.
  auto body = group_message(3301, "建议 小寨村的垃圾桶满了没人收").dump();
  auto sig = lianxin::adapters::onebot::sign_body("ws-secret", body);
  auto r = http_request(app_->port(), "POST", "/webhook/onebot/demo", body,
                        "Content-Type: application/json\r\nX-Self-ID: 10000\r\nX-Signature: " + sig + "\r\n");
  ASSERT_EQ(r.status, 204) << r.raw;
  ASSERT_TRUE(fake_.wait_for(1, 10s, "/send_group_msg")) << "the reply did not fall back to the HTTP API";
  EXPECT_EQ(fake_.requests_to("/send_group_msg").at(0).headers["authorization"], "Bearer onebot-token");
}

TEST_F(OneBotWs, AnUnansweredCallIsRetriedOverHttpOnceTheSocketIsGone) {
  fake_napcat napcat;
  ASSERT_EQ(connect(napcat), 101);
  napcat.send(group_message(3401, "建议 大河村的路灯不亮").dump());
  auto action = next_action(napcat);
  ASSERT_TRUE(action);
  napcat.close();  // hangs up without answering: maybe sent, retried later
  ASSERT_TRUE(napcat.wait_closed(5s));
  ASSERT_TRUE(fake_.wait_for(1, 15s, "/send_group_msg")) << "the retry did not reach the HTTP API";
  EXPECT_EQ(fake_.requests_to("/send_group_msg").at(0).json["group_id"], 900001);
}

TEST_F(OneBotWs, ShutdownClosesLiveSockets) {
  fake_napcat napcat;
  ASSERT_EQ(connect(napcat), 101);
  ASSERT_TRUE(wait_connected(true));
  auto started = std::chrono::steady_clock::now();
  app_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 4s) << "shutdown waited for the socket's grace period";
  ASSERT_TRUE(napcat.wait_closed(2s));
  EXPECT_EQ(napcat.close_code(), static_cast<int>(websocket::close_code::going_away));
}

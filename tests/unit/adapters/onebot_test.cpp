// OneBot v11: spec vectors (protocols.md §1.6), signature, events, rendering, reverse WS.
#include <gtest/gtest.h>

#include "adapters/onebot/cq_code.hpp"
#include "adapters/onebot/onebot.hpp"
#include "helpers.hpp"

namespace a = lianxin::adapters;
namespace c = lianxin::adapters::common;
namespace ob = lianxin::adapters::onebot;
using a::testing::make_input;

namespace {

const std::string spec_body =
    R"({"time":1515204254,"self_id":10001000,"post_type":"message","message_type":"group","sub_type":"normal","message_id":12,"group_id":123456,"user_id":12345678,"anonymous":null,"message":"[CQ:at,qq=10001000] hello &#91;x&#93;","raw_message":"[CQ:at,qq=10001000] hello &#91;x&#93;","font":0,"sender":{"user_id":12345678,"nickname":"nick","card":"","role":"member"}})";

ob::bot_config cfg() { return {"demo", "10001000", "onebot-secret", "tok"}; }

a::http_output post(const std::string& body, std::string sig, std::string self = "10001000") {
  std::vector<std::pair<std::string, std::string>> h;
  if (!sig.empty()) h.emplace_back("X-Signature", std::move(sig));
  if (!self.empty()) h.emplace_back("X-Self-ID", std::move(self));
  return ob::handle_post(cfg(), make_input("POST", {}, body, 0, h));
}

a::http_output signed_post(const std::string& body) { return post(body, ob::sign_body("onebot-secret", body)); }

}  // namespace

TEST(OneBotCq, SpecEscapeVector) {
  EXPECT_EQ(ob::escape_text("- [x] 使用 `&data` 获取地址"), "- &#91;x&#93; 使用 `&amp;data` 获取地址");
  EXPECT_EQ(ob::escape_value("a,b"), "a&#44;b");
  EXPECT_EQ(ob::unescape_text("&amp;#91;"), "&#91;");
}

TEST(OneBotCq, SpecShareVector) {
  auto segs = ob::parse_cq_string("[CQ:share,title=震惊&#44;小伙睡觉前居然...,url=http://baidu.com/?a=1&amp;b=2]");
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].type, "share");
  EXPECT_EQ(segs[0].get("title"), "震惊,小伙睡觉前居然...");
  EXPECT_EQ(segs[0].get("url"), "http://baidu.com/?a=1&b=2");
  auto eq = ob::parse_cq_string("[CQ:share,title=标题中有=等号,url=http://baidu.com]");
  EXPECT_EQ(eq[0].get("title"), "标题中有=等号");
}

TEST(OneBotCq, SpecFourSegmentVector) {
  auto segs = ob::parse_cq_string("&#91;第一部分&#93;[CQ:image,file=123.jpg]图片之后的部分，表情：[CQ:face,id=123]");
  ASSERT_EQ(segs.size(), 4u);
  EXPECT_EQ(segs[0].get("text"), "[第一部分]");
  EXPECT_EQ(segs[1].type, "image");
  EXPECT_EQ(segs[1].get("file"), "123.jpg");
  EXPECT_EQ(segs[2].get("text"), "图片之后的部分，表情：");
  EXPECT_EQ(segs[3].get("id"), "123");
  EXPECT_EQ(ob::parse_cq_string("[CQ:at,qq=1").size(), 1u);  // unterminated stays text
}

TEST(OneBotSignature, Vectors) {
  EXPECT_EQ(spec_body.size(), 360u);
  EXPECT_EQ(ob::sign_body("onebot-secret", spec_body), "sha1=6accda407169324d3c30532d70610ffd38453408");
}

TEST(OneBotPost, SpecGroupMessage) {
  auto out = post(spec_body, "sha1=6accda407169324d3c30532d70610ffd38453408");
  ASSERT_EQ(out.status, 204) << out.reason;
  ASSERT_EQ(out.messages.size(), 1u);
  const auto& m = out.messages[0];
  EXPECT_EQ(m.chat, a::chat_type::group);
  EXPECT_EQ(m.chat_id, "123456");
  EXPECT_EQ(m.sender_id, "12345678");
  EXPECT_EQ(m.sender_name, "nick");
  EXPECT_EQ(m.role, a::sender_role::member);
  EXPECT_EQ(m.text, "hello [x]");
  EXPECT_EQ(m.time, 1515204254);
  EXPECT_EQ(m.dedupe_key, "onebot:10001000:12");
  ASSERT_EQ(m.segments.size(), 2u);
  EXPECT_EQ(m.segments[0].kind, a::segment_kind::mention_bot);
}

TEST(OneBotPost, SignatureFailures) {
  const std::string good = ob::sign_body("onebot-secret", spec_body);
  std::string upper = good;
  for (std::size_t i = 5; i < upper.size(); ++i) upper[i] = static_cast<char>(std::toupper(upper[i]));
  for (const std::string& sig : {std::string("x"), good.substr(5), good.substr(0, 44), upper,
                                 std::string("sha256=") + good.substr(5), good + " "}) {
    EXPECT_EQ(post(spec_body, sig).status, 401) << sig;
  }
  EXPECT_EQ(post(spec_body, "").status, 401);
  std::string reserialized = spec_body;
  reserialized.insert(1, " ");
  EXPECT_EQ(post(reserialized, good).status, 401);  // B15
}

TEST(OneBotPost, ForeignSelfIdIs403) {
  EXPECT_EQ(post(spec_body, ob::sign_body("onebot-secret", spec_body), "999").status, 403);
  EXPECT_EQ(post(spec_body, ob::sign_body("onebot-secret", spec_body), "").status, 403);
  std::string other = spec_body;
  other.replace(other.find("10001000"), 8, "10001001");
  EXPECT_EQ(signed_post(other).status, 403);
}

TEST(OneBotPost, NonMessageEventsAreAcked) {
  for (const char* body : {R"({"post_type":"notice","notice_type":"group_recall","self_id":10001000})",
                           R"({"post_type":"meta_event","meta_event_type":"heartbeat","self_id":10001000})",
                           R"({"post_type":"request","request_type":"friend"})", R"({"foo":1})"}) {
    auto out = signed_post(body);
    EXPECT_EQ(out.status, 204) << body;
    EXPECT_TRUE(out.messages.empty());
  }
}

TEST(OneBotPost, HostileJson) {
  EXPECT_EQ(signed_post(std::string(10000, '[') + std::string(10000, ']')).status, 400);
  EXPECT_EQ(signed_post(R"({"post_type":"message","post_type":"notice"})").status, 400);
  EXPECT_EQ(signed_post("{\"post_type\":\"message\",\"t\":\"\\ud800\"}").status, 400);
  EXPECT_EQ(signed_post(std::string(300 * 1024, ' ')).status, 413);
}

TEST(OneBotPost, IdNormalisation) {
  struct row { const char* user_id; int status; const char* expected; };
  for (const row& r : std::initializer_list<row>{{"123", 204, "123"}, {"\"123\"", 204, "123"},
                                                 {"1e999", 400, nullptr}, {"-0", 400, nullptr},
                                                 {"18446744073709551616", 400, nullptr}, {"\"0123\"", 400, nullptr}}) {
    const std::string body = std::string(R"({"self_id":10001000,"post_type":"message","message_type":"private","message_id":-7,"user_id":)") +
                             r.user_id + R"(,"message":[{"type":"text","data":{"text":"a\u0000b"}}]})";
    auto out = signed_post(body);
    EXPECT_EQ(out.status, r.status) << r.user_id;
    if (r.expected) {
      ASSERT_EQ(out.messages.size(), 1u);
      EXPECT_EQ(out.messages[0].sender_id, r.expected);
      EXPECT_EQ(out.messages[0].chat_id, r.expected);
      EXPECT_EQ(out.messages[0].text, "ab");
      EXPECT_EQ(out.messages[0].dedupe_key, "onebot:10001000:-7");
    }
  }
}

TEST(OneBotPost, ArraySegments) {
  const std::string body = R"({"self_id":10001000,"post_type":"message","message_type":"group","message_id":5,"group_id":"42","user_id":7,)"
                           R"("message":[{"type":"reply","data":{"id":"99"}},{"type":"at","data":{"qq":10001000}},{"type":"at","data":{"qq":"all"}},)"
                           R"({"type":"text","data":{"text":" [CQ:at,qq=all] 路灯"}},{"type":"image","data":{"file":"a.jpg","url":"https://x/a.jpg"}}],)"
                           R"("sender":{"nickname":"n","card":"卡","role":"admin"}})";
  auto out = signed_post(body);
  ASSERT_EQ(out.messages.size(), 1u);
  const auto& m = out.messages[0];
  EXPECT_EQ(m.text, "[CQ:at,qq=all] 路灯");  // array text is literal, never re-parsed
  EXPECT_EQ(m.sender_name, "卡");
  EXPECT_EQ(m.role, a::sender_role::admin);
  ASSERT_EQ(m.segments.size(), 5u);
  EXPECT_EQ(m.segments[0], a::segment::make(a::segment_kind::reply, "99"));
  EXPECT_EQ(m.segments[1].kind, a::segment_kind::mention_bot);
  EXPECT_EQ(m.segments[2].kind, a::segment_kind::mention_all);
  EXPECT_EQ(m.segments[4].url, "https://x/a.jpg");
}

TEST(OneBotOut, SendRendersArraysSoInjectionStaysInert) {
  a::outbound_message msg;
  msg.target = {a::platform::onebot, "demo", a::chat_type::group, "123456", "12", 0};
  msg.segments = {{a::out_segment_kind::mention, "all"}, {a::out_segment_kind::mention, "42"},
                  {a::out_segment_kind::text, "[CQ:at,qq=all][CQ:image,file=file:///etc/passwd]"},
                  {a::out_segment_kind::image_url, "file:///etc/passwd"}, {a::out_segment_kind::image_url, "https://x/1.png"}};
  auto req = ob::render_send(cfg(), msg);
  ASSERT_TRUE(req);
  EXPECT_EQ(req->path, "/send_group_msg");
  EXPECT_EQ(req->headers.at(0), (std::pair<std::string, std::string>{"Authorization", "Bearer tok"}));
  auto body = c::json::parse(req->body);
  EXPECT_EQ(body["group_id"], 123456);
  const auto& segs = body["message"];
  ASSERT_EQ(segs.size(), 4u);
  EXPECT_EQ(segs[0]["type"], "reply");
  EXPECT_EQ(segs[1]["data"]["qq"], "42");
  EXPECT_EQ(segs[2]["type"], "text");
  EXPECT_EQ(segs[3]["data"]["file"], "https://x/1.png");
  msg.target.chat = a::chat_type::private_chat;
  msg.target.chat_id = "not-a-number";
  EXPECT_FALSE(ob::render_send(cfg(), msg));
}

TEST(OneBotOut, QuickReplyAndApiResponses) {
  auto q = ob::render_quick_reply({{a::out_segment_kind::text, "收到"}});
  EXPECT_EQ(q.body, R"({"at_sender":false,"reply":[{"data":{"text":"收到"},"type":"text"}]})");
  auto ok = ob::parse_api_response(R"({"status":"ok","retcode":0,"data":{"message_id":123}})");
  EXPECT_EQ(ok.outcome, a::api_outcome::ok);
  EXPECT_EQ(ok.message, "123");
  EXPECT_EQ(ob::parse_api_response(R"({"status":"failed","retcode":1404,"data":null})").outcome, a::api_outcome::give_up);
  EXPECT_EQ(ob::parse_api_response(R"({"status":"failed","retcode":100,"data":null})").outcome, a::api_outcome::retry);
  EXPECT_EQ(ob::parse_api_response("<html>").outcome, a::api_outcome::retry);
}

TEST(OneBotWs, HandshakeTokens) {
  auto hs = [](std::vector<std::pair<std::string, std::string>> h, std::map<std::string, std::string> q = {}) {
    h.emplace_back("X-Self-ID", "10001000");
    return ob::check_ws_handshake(cfg(), make_input("GET", std::move(q), "", 0, std::move(h)));
  };
  EXPECT_EQ(hs({{"Authorization", "Bearer tok"}}).status, 101);
  EXPECT_EQ(hs({{"authorization", "Token tok"}}).status, 101);
  EXPECT_EQ(hs({}, {{"access_token", "tok"}}).status, 101);
  EXPECT_EQ(hs({{"Authorization", "Bearer nope"}}).status, 401);
  EXPECT_EQ(hs({{"Authorization", "Token tokk"}}).status, 401);
  EXPECT_EQ(hs({}, {{"access_token", ""}}).status, 401);
  EXPECT_EQ(hs({{"Authorization", "Basic tok"}}).status, 401);
  EXPECT_EQ(hs({}).status, 401);
}

TEST(OneBotWs, HandshakeSelfIdAndTokenless) {
  auto with = [](std::vector<std::pair<std::string, std::string>> h, ob::bot_config c = cfg()) {
    return ob::check_ws_handshake(c, make_input("GET", {}, "", 0, std::move(h)));
  };
  EXPECT_EQ(with({{"Authorization", "Bearer tok"}}).status, 403);  // no X-Self-ID
  EXPECT_EQ(with({{"Authorization", "Bearer tok"}, {"X-Self-ID", "42"}}).status, 403);
  // An unknown scheme is not overridden by a right query token.
  EXPECT_EQ(ob::check_ws_handshake(cfg(), make_input("GET", {{"access_token", "tok"}}, "", 0,
                                                     {{"Authorization", "Basic x"}, {"X-Self-ID", "10001000"}}))
                .status,
            401);
  // A bot without an access token does not accept reverse WebSockets at all.
  auto open = cfg();
  open.access_token.clear();
  EXPECT_EQ(with({{"X-Self-ID", "10001000"}}, open).status, 401);
  EXPECT_EQ(with({{"X-Self-ID", "10001000"}, {"Authorization", "Bearer "}}, open).status, 401);
}

TEST(OneBotWs, MetaEventsAreNotMessages) {
  auto hb = ob::classify_frame(
      R"({"time":1,"self_id":10001000,"post_type":"meta_event","meta_event_type":"heartbeat","status":{},"interval":5000})");
  EXPECT_EQ(hb.kind, ob::frame_kind::meta);
  EXPECT_EQ(hb.meta_type, "heartbeat");
  auto lc = ob::classify_frame(
      R"({"time":1,"self_id":10001000,"post_type":"meta_event","meta_event_type":"lifecycle","sub_type":"connect"})");
  EXPECT_EQ(lc.kind, ob::frame_kind::meta);
  EXPECT_EQ(lc.meta_type, "lifecycle");
  // A notice is an event that yields no message.
  auto notice = ob::classify_frame(R"({"time":1,"self_id":10001000,"post_type":"notice","notice_type":"group_upload"})");
  ASSERT_EQ(notice.kind, ob::frame_kind::event);
  auto parsed = ob::parse_event(cfg(), notice.payload);
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->empty());
  // An event for another bot on this bot's socket is refused like over HTTP.
  auto foreign = ob::classify_frame(R"({"time":1,"self_id":42,"post_type":"message","message_type":"private",)"
                                    R"("message_id":1,"user_id":5,"message":"hi"})");
  ASSERT_EQ(foreign.kind, ob::frame_kind::event);
  EXPECT_FALSE(ob::parse_event(cfg(), foreign.payload));
}

TEST(OneBotWs, ResponsesAndEchoes) {
  EXPECT_EQ(ob::make_echo(1), "lx-1");
  EXPECT_EQ(ob::make_echo(18446744073709551615ull), "lx-18446744073709551615");
  // Numeric echoes (some implementations re-type them) still match their text.
  auto num = ob::classify_frame(R"({"status":"failed","retcode":1404,"data":null,"echo":7})");
  EXPECT_EQ(num.kind, ob::frame_kind::api_response);
  EXPECT_EQ(num.echo, "7");
  // The answer maps to retry / give up exactly as over HTTP.
  EXPECT_EQ(ob::parse_api_response(R"({"status":"failed","retcode":1404,"data":null,"echo":"lx-1"})").outcome,
            a::api_outcome::give_up);
  EXPECT_EQ(ob::parse_api_response(R"({"status":"failed","retcode":100,"data":null,"echo":"lx-1"})").outcome,
            a::api_outcome::retry);
  auto ok = ob::parse_api_response(R"({"status":"ok","retcode":0,"data":{"message_id":9},"echo":"lx-1"})");
  EXPECT_EQ(ok.outcome, a::api_outcome::ok);
  EXPECT_EQ(ok.message, "9");
  // echo without retcode is not a response (and not an event).
  EXPECT_EQ(ob::classify_frame(R"({"echo":"lx-1"})").kind, ob::frame_kind::invalid);
  EXPECT_EQ(ob::classify_frame("not json").kind, ob::frame_kind::invalid);
  // A rendered send becomes an action frame with the same params as the HTTP body.
  a::outbound_message m;
  m.target.dest = a::platform::onebot;
  m.target.bot = "demo";
  m.target.chat = a::chat_type::group;
  m.target.chat_id = "900001";
  m.segments.push_back({a::out_segment_kind::text, "收到"});
  auto req = ob::render_send(cfg(), m);
  ASSERT_TRUE(req);
  auto frame = c::parse_json(ob::render_api_frame(*req, ob::make_echo(3)));
  ASSERT_TRUE(frame);
  EXPECT_EQ((*frame)["action"], "send_group_msg");
  EXPECT_EQ((*frame)["echo"], "lx-3");
  EXPECT_EQ((*frame)["params"]["group_id"], 900001);
  EXPECT_EQ((*frame)["params"]["message"][0]["data"]["text"], "收到");
}

TEST(OneBotWs, FramesAndEcho) {
  auto ev = ob::classify_frame(spec_body);
  EXPECT_EQ(ev.kind, ob::frame_kind::event);
  auto parsed = ob::parse_event(cfg(), ev.payload);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->size(), 1u);
  auto resp = ob::classify_frame(R"({"status":"ok","retcode":0,"data":{"message_id":1},"echo":"e-1"})");
  EXPECT_EQ(resp.kind, ob::frame_kind::api_response);
  EXPECT_EQ(resp.echo, "e-1");
  EXPECT_EQ(ob::classify_frame("[1]").kind, ob::frame_kind::invalid);
  EXPECT_EQ(ob::classify_frame("{}").kind, ob::frame_kind::invalid);
  a::api_request req;
  req.path = "/send_group_msg";
  req.body = R"({"group_id":1,"message":[]})";
  EXPECT_EQ(ob::render_api_frame(req, "e-2"), R"({"action":"send_group_msg","echo":"e-2","params":{"group_id":1,"message":[]}})");
}

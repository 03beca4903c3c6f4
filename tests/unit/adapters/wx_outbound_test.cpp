// WeCom / WeChat outbound renderers and error-code mapping (B36: no @all, no markdown links).
#include <gtest/gtest.h>

#include "adapters/common/safe_json.hpp"
#include "adapters/wechat/api.hpp"
#include "adapters/wecom/api.hpp"

namespace a = lianxin::adapters;
namespace c = lianxin::adapters::common;
namespace w = lianxin::adapters::wecom;
namespace wc = lianxin::adapters::wechat;

namespace {

a::outbound_message text_msg(a::chat_type chat, std::string id, std::vector<a::out_segment> segs) {
  a::outbound_message m;
  m.target.chat = chat;
  m.target.chat_id = std::move(id);
  m.segments = std::move(segs);
  return m;
}

}  // namespace

TEST(WecomOut, WebhookTextNeverMentionsAll) {
  auto msg = text_msg(a::chat_type::group, "g", {{a::out_segment_kind::mention, "@all"}, {a::out_segment_kind::mention, "wangqing"},
                                                 {a::out_segment_kind::text, "居民说: <@all> 路灯坏了"}});
  auto req = w::render_webhook_text("KEY", msg);
  EXPECT_EQ(req.path, "/cgi-bin/webhook/send");
  EXPECT_EQ(req.query.at(0), (std::pair<std::string, std::string>{"key", "KEY"}));
  auto body = c::json::parse(req.body);
  EXPECT_EQ(body["msgtype"], "text");
  EXPECT_EQ(body["text"]["mentioned_list"], c::json::array({"wangqing"}));
  const std::string content = body["text"]["content"];
  EXPECT_EQ(content.find("<@"), std::string::npos);
}

TEST(WecomOut, WebhookTextIsCutOnCodePointBoundary) {
  std::string longtext;
  for (int i = 0; i < 1000; ++i) longtext += "路";  // 3 bytes each
  auto body = c::json::parse(w::render_webhook_text("K", text_msg(a::chat_type::group, "g", {{a::out_segment_kind::text, longtext}})).body);
  const std::string content = body["text"]["content"];
  EXPECT_LE(content.size(), w::webhook_text_limit);
  EXPECT_EQ(content.size() % 3, 0u);
}

TEST(WecomOut, MarkdownEscaping) {
  const std::string evil = "[点我](javascript:alert(1)) <font color=\"warning\">急</font> @all **粗**";
  const std::string safe = w::escape_markdown(evil);
  for (const char* bad : {"[", "](", "<font", "@all", "**"}) EXPECT_EQ(safe.find(bad), std::string::npos) << bad;
  auto req = w::render_webhook_markdown("K", "**新留言** " + safe);
  EXPECT_EQ(c::json::parse(req.body)["msgtype"], "markdown");
}

TEST(WecomOut, AppMessageAndAppChat) {
  auto priv = w::render_app_message("TOK", 1000002, text_msg(a::chat_type::private_chat, "zhangsan", {{a::out_segment_kind::text, "您好"}}));
  ASSERT_TRUE(priv);
  EXPECT_EQ(priv->path, "/cgi-bin/message/send");
  auto body = c::json::parse(priv->body);
  EXPECT_EQ(body["touser"], "zhangsan");
  EXPECT_EQ(body["agentid"], 1000002);
  EXPECT_EQ(body["enable_duplicate_check"], 1);
  auto group = w::render_app_message("TOK", 1, text_msg(a::chat_type::group, "CHAT", {{a::out_segment_kind::text, "hi"}}));
  EXPECT_EQ(group->path, "/cgi-bin/appchat/send");
  EXPECT_FALSE(w::render_app_message("TOK", 1, text_msg(a::chat_type::group, "CHAT", {})));
  auto url = w::render_response_url_markdown("https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=X", "ok");
  EXPECT_EQ(url.absolute_url, "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=X");
  auto tok = w::render_token_request("corp", "sec");
  EXPECT_EQ(tok.method, "GET");
  EXPECT_EQ(tok.path, "/cgi-bin/gettoken");
}

TEST(WxApi, ErrorMapping) {
  struct row { int status; const char* body; a::api_outcome outcome; };
  for (const row& r : std::initializer_list<row>{
           {200, R"({"errcode":0,"errmsg":"ok","msgid":"m1"})", a::api_outcome::ok},
           {200, R"({"errcode":-1,"errmsg":"system busy"})", a::api_outcome::retry},
           {200, R"({"errcode":40014,"errmsg":"invalid access_token"})", a::api_outcome::reauth},
           {200, R"({"errcode":42001,"errmsg":"access_token expired"})", a::api_outcome::reauth},
           {200, R"({"errcode":45009,"errmsg":"api freq out of limit"})", a::api_outcome::rate_limited},
           {200, R"({"errcode":93000,"errmsg":"invalid webhook url"})", a::api_outcome::give_up},
           {200, R"({"errcode":45015,"errmsg":"response out of time limit"})", a::api_outcome::give_up},
           {200, "<html>", a::api_outcome::retry},
           {502, "", a::api_outcome::retry}}) {
    EXPECT_EQ(c::parse_wx_response(r.status, r.body).outcome, r.outcome) << r.body;
  }
  EXPECT_EQ(c::parse_wx_response(200, R"({"errcode":0,"errmsg":"ok","msgid":"m1"})").message, "m1");
}

TEST(WxApi, TokenResponses) {
  auto ok = c::parse_wx_token_response(200, R"({"errcode":0,"errmsg":"ok","access_token":"AT","expires_in":7200})");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->token, "AT");
  EXPECT_EQ(ok->expires_in, 7200);
  EXPECT_EQ(c::parse_wx_token_response(200, R"({"errcode":40001,"errmsg":"invalid credential"})").error().outcome,
            a::api_outcome::give_up);
  EXPECT_EQ(c::parse_wx_token_response(200, R"({"errcode":0})").error().outcome, a::api_outcome::retry);
}

TEST(WechatOut, CustomServiceAndNoReply) {
  auto req = wc::render_custom_text("TOK", text_msg(a::chat_type::private_chat, "OPENID", {{a::out_segment_kind::text, "已受理"}}));
  ASSERT_TRUE(req);
  EXPECT_EQ(req->path, "/cgi-bin/message/custom/send");
  EXPECT_EQ(req->body, R"({"msgtype":"text","text":{"content":"已受理"},"touser":"OPENID"})");
  auto none = wc::no_reply();
  EXPECT_EQ(none.status, 200);
  EXPECT_TRUE(none.body.empty());
  EXPECT_EQ(wc::render_token_request("app", "sec").query.at(0).second, "client_credential");
}

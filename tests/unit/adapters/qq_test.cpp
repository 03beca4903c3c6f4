// QQ official bot: vectors Q1-Q5 (protocols.md §2.4), B19/B20/B34 and the OpenAPI renderers.
#include <gtest/gtest.h>

#include "adapters/common/codec.hpp"
#include "adapters/common/ed25519.hpp"
#include "adapters/qq/openapi.hpp"
#include "adapters/qq/webhook.hpp"
#include "helpers.hpp"

namespace a = lianxin::adapters;
namespace c = lianxin::adapters::common;
namespace qq = lianxin::adapters::qq;
using a::testing::make_input;

namespace {

qq::webhook_handler bot(const std::string& secret, const std::string& appid = "11111111") {
  return *qq::webhook_handler::create({"demo", appid, secret});
}

a::http_output signed_post(const qq::webhook_handler& h, const std::string& ts, const std::string& body,
                           const std::string& sig, std::int64_t now) {
  return h.handle(make_input("POST", {}, body, now,
                             {{"X-Signature-Ed25519", sig}, {"X-Signature-Timestamp", ts}, {"X-Bot-Appid", h.config().app_id}}));
}

std::string sign(const std::string& secret, const std::string& msg) {
  return c::hex_encode(*c::ed25519_sign(qq::derive_seed(secret), msg));
}

const std::string q5_body =
    R"({"op":0,"id":"GROUP_AT_MESSAGE_CREATE:abc","d":{"author":{"member_openid":"E4F4AEA33253A2797FB897C50B81D7ED"},"content":" 123","group_openid":"C9F778FE6ADF9D1D1DBE395BF744A33A","id":"ROBOT1.0_eBIyWnxpmSu6uLQ7u7fU0eGloKGYg4eEa737vRyKnMCgyZjKi7JLYkQ9B0VapbiY","timestamp":"2023-11-06T13:37:18+08:00"},"t":"GROUP_AT_MESSAGE_CREATE"})";
const std::string q5_sig =
    "f2388e5a38c2a83a445c378a18e542a86d69b1539f17b9efb6e043d3d1e431372a012677110a3884f3a3afc64c1b5c67f9958df30c4baa350ecf091f7e3a3905";

}  // namespace

TEST(QqVectors, SeedDerivation) {
  EXPECT_EQ(qq::derive_seed("naOC0ocQE3shWLAfffVLB1rhYPG7"), "naOC0ocQE3shWLAfffVLB1rhYPG7naOC");
  EXPECT_EQ(qq::derive_seed("123456abcdef"), "123456abcdef123456abcdef123456ab");
  EXPECT_FALSE(qq::webhook_handler::create({"demo", "1", ""}));
}

TEST(QqVectors, Q1Op13Validation) {
  auto h = bot("DG5g3B4j9X2KOErG");
  auto out = h.handle(make_input("POST", {}, R"({"d":{"plain_token":"Arq0D5A61EgUu4OxUvOp","event_ts":"1725442341"},"op":13})", 0,
                                 {{"User-Agent", "QQBot-Callback"}, {"X-Bot-Appid", "11111111"}}));
  ASSERT_EQ(out.status, 200) << out.reason;
  EXPECT_EQ(out.body,
            R"({"plain_token":"Arq0D5A61EgUu4OxUvOp","signature":"87befc99c42c651b3aac0278e71ada338433ae26fcb24307bdc5ad38c1adc2d01bcfcadc0842edac85e85205028a1132afe09280305f13aa6909ffc2d652c706"})");
}

TEST(QqVectors, Q2PublicKey) {
  EXPECT_EQ(c::hex_encode(bot("naOC0ocQE3shWLAfffVLB1rhYPG7").public_key()),
            "d7c362fe78aef81ff23287b493628b5db02a3c4fe30b215e4d19609b5d76673a");
  EXPECT_EQ(c::hex_encode(bot("DG5g3B4j9X2KOErG").public_key()),
            "8b28ded5630f9051c205dd04c6ec56ad0b08b8812b2fe30ee9aece0ab41926f3");
}

TEST(QqVectors, Q3BotgoSignatureVerifies) {
  auto h = bot("123456abcdef");
  const std::string body =
      R"({"id":"ROBOT1.0_veoihSEXDc8Q.g-6eLpNIa11bH8MisOjn-m-LKxCPntMk6exUXgcWCGpVO7L2QKTNZzjZzFFDSbiOFcqAPWyVA!!","content":"哦一下","timestamp":"2024-10-15T16:33:15+08:00","author":{"id":"675860273","user_openid":"675860273"}})";
  const std::string sig =
      "e949b5b94ef4103df903fb031d1d16e358db3db83e79e117edd404c8508be3ce8a76d7bad1bed353194c126a1a5915b4ad8b5288c1191cc53a12acffccd82004";
  auto in = make_input("POST", {}, body, 1728981195, {{"X-Signature-Ed25519", sig}, {"X-Signature-Timestamp", "1728981195"}});
  EXPECT_FALSE(h.verify(in));
  auto out = h.handle(in);
  EXPECT_EQ(out.status, 200);  // a bare payload without op: acknowledged, nothing stored
  EXPECT_TRUE(out.messages.empty());
}

TEST(QqVectors, Q4DocDemoDoesNotVerifyButRecomputedOneDoes) {
  auto h = bot("naOC0ocQE3shWLAfffVLB1rhYPG7");
  const std::string body = R"({ "op": 0,"d": {}, "t": "GATEWAY_EVENT_NAME"})";
  const std::string doc_sig =
      "865ad13a61752ca65e26bde6676459cd36cf1be609375b37bd62af366e1dc25a8dc789ba7f14e017ada3d554c671a911bfdf075ba54835b23391d509579ed002";
  const std::string real_sig =
      "2eb9983ebb8bb209e78fd095942f58e442656656e7975d01e64f9023a84b7c964290fdd40e5500c33867ccfe9563b7e0b6bac0e1d42c13e787b304fd51f71102";
  EXPECT_EQ(signed_post(h, "1725442341", body, doc_sig, 1725442341).status, 401);
  auto ok = signed_post(h, "1725442341", body, real_sig, 1725442341);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, R"({"op":12,"d":0})");
}

TEST(QqVectors, Q5GroupAtMessage) {
  auto h = bot("DG5g3B4j9X2KOErG");
  EXPECT_EQ(sign("DG5g3B4j9X2KOErG", "1725442341" + q5_body), q5_sig);
  auto out = signed_post(h, "1725442341", q5_body, q5_sig, 1725442341 + 10);
  ASSERT_EQ(out.status, 200) << out.reason;
  EXPECT_EQ(out.body, R"({"op":12,"d":0})");
  ASSERT_EQ(out.messages.size(), 1u);
  const auto& m = out.messages[0];
  EXPECT_EQ(m.source, a::platform::qq);
  EXPECT_EQ(m.chat, a::chat_type::group);
  EXPECT_EQ(m.chat_id, "C9F778FE6ADF9D1D1DBE395BF744A33A");
  EXPECT_EQ(m.sender_id, "E4F4AEA33253A2797FB897C50B81D7ED");
  EXPECT_EQ(m.text, "123");
  EXPECT_EQ(m.time, 1699249038);
  EXPECT_EQ(m.dedupe_key, "qq:demo:ROBOT1.0_eBIyWnxpmSu6uLQ7u7fU0eGloKGYg4eEa737vRyKnMCgyZjKi7JLYkQ9B0VapbiY");
}

TEST(QqBadInput, SignatureShapeAndFreshness) {
  auto h = bot("DG5g3B4j9X2KOErG");
  std::string high_bits = q5_sig;
  high_bits[126] = 'f';  // sig[63] & 0xE0 != 0
  std::string upper = q5_sig;
  for (char& ch : upper) ch = static_cast<char>(std::toupper(ch));
  EXPECT_EQ(signed_post(h, "1725442341", q5_body, high_bits, 1725442341).status, 401);
  EXPECT_EQ(signed_post(h, "1725442341", q5_body, q5_sig.substr(0, 126), 1725442341).status, 401);
  EXPECT_EQ(signed_post(h, "1725442341", q5_body, "zz" + q5_sig.substr(2), 1725442341).status, 401);
  EXPECT_EQ(signed_post(h, "1725442341", q5_body, upper, 1725442341).status, 200);  // hex case is not semantic here
  EXPECT_EQ(signed_post(h, "1725442341", q5_body + " ", q5_sig, 1725442341).status, 401);  // B15
  EXPECT_EQ(signed_post(h, "1725442342", q5_body, q5_sig, 1725442341).status, 401);
  EXPECT_EQ(signed_post(h, "1725442341", q5_body, q5_sig, 1725442341 + 301).status, 401);  // B16
  EXPECT_EQ(signed_post(h, "1725442341", q5_body, q5_sig, 1725442341 - 3600).status, 401);
  EXPECT_EQ(signed_post(h, "abc", q5_body, q5_sig, 1725442341).status, 400);
  auto unsigned_dispatch = h.handle(make_input("POST", {}, q5_body, 1725442341));
  EXPECT_EQ(unsigned_dispatch.status, 401);
  EXPECT_EQ(h.handle(make_input("POST", {}, q5_body, 1725442341, {{"X-Bot-Appid", "999"}})).status, 403);
}

TEST(QqBadInput, Op13Bounds) {
  auto h = bot("DG5g3B4j9X2KOErG");
  auto op13 = [&](const std::string& d) { return h.handle(make_input("POST", {}, R"({"op":13,"d":)" + d + "}", 0)).status; };
  EXPECT_EQ(op13(R"({"plain_token":")" + std::string(100000, 'a') + R"(","event_ts":"1"})"), 400);
  EXPECT_EQ(op13(R"({"plain_token":")" + std::string(256, 'a') + R"(","event_ts":"1"})"), 200);
  EXPECT_EQ(op13(R"({"plain_token":"abc","event_ts":1725442341})"), 400);
  EXPECT_EQ(op13(R"({"plain_token":"{\"op\":0}","event_ts":"1"})"), 400);  // no signing oracle
  EXPECT_EQ(op13(R"({"plain_token":"a b","event_ts":"1"})"), 400);
  EXPECT_EQ(op13(R"({"event_ts":"1"})"), 400);
}

TEST(QqBadInput, UnknownOpsAndTypesAreAcked) {
  auto h = bot("DG5g3B4j9X2KOErG");
  for (const std::string& body : {std::string(R"({"op":0,"d":{},"t":"GROUP_ADD_ROBOT"})"), std::string(R"({"op":7,"d":{}})"),
                                  std::string(R"({"x":1})")}) {
    auto out = signed_post(h, "1725442341", body, sign("DG5g3B4j9X2KOErG", "1725442341" + body), 1725442341);
    EXPECT_EQ(out.status, 200) << body;
    EXPECT_TRUE(out.messages.empty());
  }
  const std::string dup = R"({"op":0,"op":0})";
  EXPECT_EQ(signed_post(h, "1725442341", dup, sign("DG5g3B4j9X2KOErG", "1725442341" + dup), 1725442341).status, 400);
}

TEST(QqBadInput, C2cMessageAndAttachments) {
  auto h = bot("DG5g3B4j9X2KOErG");
  const std::string body =
      R"({"op":0,"id":"C2C:1","t":"C2C_MESSAGE_CREATE","d":{"author":{"user_openid":"U1"},"content":"<@!bot> 你好","id":"M1","timestamp":"2023-11-06T13:37:18+08:00","attachments":[{"content_type":"image/png","filename":"a.png","url":"https://x/a.png"}]}})";
  auto out = signed_post(h, "1725442341", body, sign("DG5g3B4j9X2KOErG", "1725442341" + body), 1725442341);
  ASSERT_EQ(out.messages.size(), 1u);
  EXPECT_EQ(out.messages[0].chat, a::chat_type::private_chat);
  EXPECT_EQ(out.messages[0].text, "你好");
  EXPECT_EQ(out.messages[0].segments.back().url, "https://x/a.png");
}

TEST(QqOpenApi, TokenRequestAndResponse) {
  auto req = qq::render_token_request("1024", "sec");
  EXPECT_EQ(req.path, "/app/getAppAccessToken");
  EXPECT_EQ(req.body, R"({"appId":"1024","clientSecret":"sec"})");
  auto s = qq::parse_token_response(200, R"({"access_token":"T","expires_in":"7200"})");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->token, "T");
  EXPECT_EQ(s->expires_in, 7200);
  EXPECT_EQ(qq::parse_token_response(200, R"({"access_token":"T","expires_in":7200})")->expires_in, 7200);
  EXPECT_EQ(qq::parse_token_response(200, R"({"code":100016,"message":"invalid appid"})").error().outcome, a::api_outcome::give_up);
  EXPECT_EQ(qq::parse_token_response(502, "bad gateway").error().outcome, a::api_outcome::retry);
}

TEST(QqOpenApi, SendRendering) {
  a::outbound_message msg;
  msg.target = {a::platform::qq, "demo", a::chat_type::group, "C9F778FE6ADF9D1D1DBE395BF744A33A", "ROBOT1.0_x", 2};
  msg.segments = {{a::out_segment_kind::text, "收到 <@everyone> & ok"}};
  auto req = qq::render_send(msg, "TOKEN");
  ASSERT_TRUE(req);
  EXPECT_EQ(req->path, "/v2/groups/C9F778FE6ADF9D1D1DBE395BF744A33A/messages");
  EXPECT_EQ(req->headers.at(0).second, "QQBot TOKEN");
  auto body = c::json::parse(req->body);
  EXPECT_EQ(body["content"], "收到 &lt;@everyone&gt; &amp; ok");
  EXPECT_EQ(body["msg_type"], 0);
  EXPECT_EQ(body["msg_id"], "ROBOT1.0_x");
  EXPECT_EQ(body["msg_seq"], 2);
  msg.target.chat = a::chat_type::private_chat;
  msg.target.chat_id = "../admin";
  EXPECT_FALSE(qq::render_send(msg, "TOKEN"));
  msg.target.chat_id = "U1";
  EXPECT_EQ(qq::render_send(msg, "TOKEN")->path, "/v2/users/U1/messages");
  EXPECT_TRUE(qq::render_upload_image(msg.target, "https://x/a.png", "T"));
  EXPECT_FALSE(qq::render_upload_image(msg.target, "file:///etc/passwd", "T"));
  EXPECT_EQ(c::json::parse(qq::render_send_media(msg.target, "FI", "T")->body)["msg_type"], 7);
}

TEST(QqOpenApi, ErrorMapping) {
  EXPECT_EQ(qq::parse_send_response(200, R"({"id":"m1","timestamp":1})").outcome, a::api_outcome::ok);
  EXPECT_EQ(qq::parse_send_response(401, R"({"code":11244,"message":"token invalid"})").outcome, a::api_outcome::reauth);
  EXPECT_EQ(qq::parse_send_response(400, R"({"code":22009,"message":"msg limit exceed"})").outcome, a::api_outcome::give_up);
  EXPECT_EQ(qq::parse_send_response(429, "{}").outcome, a::api_outcome::rate_limited);
  EXPECT_EQ(qq::parse_send_response(503, "").outcome, a::api_outcome::retry);
}

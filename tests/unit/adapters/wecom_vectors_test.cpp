// Official WeCom vectors W1-W6 (protocols.md §3.6) through the crypto core and the handler.
#include <gtest/gtest.h>

#include "adapters/common/flat_xml.hpp"
#include "adapters/common/safe_json.hpp"
#include "adapters/common/wx_crypt.hpp"
#include "adapters/wecom/callback.hpp"
#include "helpers.hpp"

namespace a = lianxin::adapters;
namespace c = lianxin::adapters::common;
namespace w = lianxin::adapters::wecom;
using a::testing::make_input;

namespace {

constexpr const char* w1_token = "QDG6eK";
constexpr const char* w1_key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
constexpr const char* w1_corp = "wx5823bf96d3bd56c7";
constexpr const char* w2_encrypt =
    "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/"
    "sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+"
    "HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3"
    "LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3"
    "KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";
constexpr const char* w3_token = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo";
constexpr const char* w3_key = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";
constexpr const char* w3_corp = "ww1436e0e65a779aee";
constexpr const char* w6_plain =
    R"({"msgid":"CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=","aibotid":"AIBOTID","chatid":"CHATID","chattype":"group","from":{"userid":"USERID"},"response_url":"RESPONSEURL","msgtype":"text","text":{"content":"@RobotA hello robot"}})";
constexpr const char* w6_encrypt =
    "ZA4HuQypHxnRrA+A6SOHGMLZb2LCLn3mYWzTxXIXvFQFq8KKk+FfTdYfEldOq3G+qDGbKHu2z8YHuV9vC9GyljRdw007dl+0JKr6fOWz6q3Ook5"
    "nezug2kuoqPboXiTwf6rtfACMgTxhIvYp+KfahxJ9B6zt8rHIvV53Gx4EiFcWJg5UWU/6n5aUm1QPkl6OivEi9vuzem26BGEq/sm1rOZ+"
    "XSqQ0Qu+Qlch4U+zceQEfEWXvMj/33clJcr4Zyb1UFbBtwPUA9d380+sPUnITMM8QeEHP9yXR7bSjrPiXaOzfH7lx+eOS1epr7a3gUP8zgoCzl"
    "CeUzP2dUDnzbxT4w==";

w::callback_handler app_handler(const char* token, const char* key, const char* corp) {
  w::bot_config cfg;
  cfg.name = "demo";
  cfg.token = token;
  cfg.encoding_aes_key = key;
  cfg.corp_id = corp;
  return *w::callback_handler::create(cfg);
}

w::callback_handler ai_handler() {
  w::bot_config cfg;
  cfg.name = "demo";
  cfg.kind = w::bot_kind::ai_bot;
  cfg.token = w1_token;
  cfg.encoding_aes_key = w1_key;
  cfg.mention_name = "RobotA";
  return *w::callback_handler::create(cfg);
}

std::string w2_body() {
  return std::string("<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[") + w2_encrypt +
         "]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>";
}

}  // namespace

TEST(WecomVectors, W1UrlVerification) {
  auto h = app_handler(w1_token, w1_key, w1_corp);
  auto out = h.handle(make_input("GET",
                                 {{"msg_signature", "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"},
                                  {"timestamp", "1409659589"},
                                  {"nonce", "263014780"},
                                  {"echostr", "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+"
                                              "4RPcs8TgAE7OaBO+FZXvnaqQ=="}},
                                 "", 1409659589));
  EXPECT_EQ(out.status, 200);
  EXPECT_EQ(out.body, "1616140317555161061");
  EXPECT_TRUE(out.messages.empty());
}

TEST(WecomVectors, W1PlaintextLayout) {
  auto crypt = c::wx_crypt::create(w1_token, w1_key, w1_corp);
  ASSERT_TRUE(crypt);
  auto p = crypt->decrypt("P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->random, "c41b64491c2468d0");
  EXPECT_EQ(p->msg, "1616140317555161061");
  EXPECT_EQ(p->receive_id, w1_corp);
}

TEST(WecomVectors, W2AppTextMessage) {
  auto h = app_handler(w1_token, w1_key, w1_corp);
  EXPECT_EQ(h.crypt().signature("1409659813", "1372623149", w2_encrypt), "477715d11cdb4164915debcba66cb864d751f3e6");
  auto out = h.handle(make_input("POST",
                                 {{"msg_signature", "477715d11cdb4164915debcba66cb864d751f3e6"},
                                  {"timestamp", "1409659813"},
                                  {"nonce", "1372623149"}},
                                 w2_body(), 1409659813));
  ASSERT_EQ(out.status, 200) << out.reason;
  EXPECT_TRUE(out.body.empty());
  ASSERT_EQ(out.messages.size(), 1u);
  const auto& m = out.messages[0];
  EXPECT_EQ(m.source, a::platform::wecom);
  EXPECT_EQ(m.text, "hello");
  EXPECT_EQ(m.sender_id, "mycreate");
  EXPECT_EQ(m.chat, a::chat_type::private_chat);
  EXPECT_EQ(m.message_id, "4561255354251345929");
  EXPECT_EQ(m.time, 1409659813);
  EXPECT_EQ(m.dedupe_key, "wecom:demo:msg:4561255354251345929");
  EXPECT_EQ(m.reply.nonce, "1372623149");
  EXPECT_EQ(m.reply.bot_account, w1_corp);
}

TEST(WecomVectors, W2PlaintextIsKeptVerbatim) {
  auto crypt = c::wx_crypt::create(w1_token, w1_key, w1_corp);
  auto p = crypt->decrypt(w2_encrypt);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->msg.size(), 284u);
  EXPECT_EQ(p->random, "0960688932c47ef1");
  EXPECT_NE(p->msg.find("]]></ToUserName>\n<FromUserName>"), std::string::npos);
}

TEST(WecomVectors, W3UrlVerification) {
  auto h = app_handler(w3_token, w3_key, w3_corp);
  auto out = h.handle(make_input("GET",
                                 {{"msg_signature", "012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb"},
                                  {"timestamp", "1476416373"},
                                  {"nonce", "47744683"},
                                  {"echostr", "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA=="}},
                                 "", 1476416373));
  EXPECT_EQ(out.status, 200) << out.reason;
  EXPECT_EQ(out.body, "1288432023552776189");
}

TEST(WecomVectors, W4ChineseText) {
  auto h = app_handler(w3_token, w3_key, w3_corp);
  const std::string body =
      "<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName>\n<Encrypt><![CDATA["
      "Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+"
      "kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4"
      "ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux"
      "082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+]]></Encrypt>\n<AgentID><![CDATA[1000002]]></AgentID>\n</xml>";
  auto out = h.handle(make_input("POST",
                                 {{"msg_signature", "0c3914025cb4b4d68103f6bfc8db550f79dcf48e"},
                                  {"timestamp", "1476422779"},
                                  {"nonce", "1597212914"}},
                                 body, 1476422779 + 100));
  ASSERT_EQ(out.status, 200) << out.reason;
  ASSERT_EQ(out.messages.size(), 1u);
  EXPECT_EQ(out.messages[0].text, "你好");
  EXPECT_EQ(out.messages[0].sender_id, "ChenJiaShun");
  EXPECT_EQ(out.messages[0].message_id, "1456453720");
}

TEST(WecomVectors, W5JsonSampleDecryptsButIsMalformedJson) {
  const std::string encrypt =
      "cjhLUX7UU4yCSelv1vz7T0zT8huF51bAMVWriNvO1FMegHrQZNrtvRxbwf0fUPsFvwqR0U0fgiJNEA5Y30F2MoI2S7vv3EjVQ68C0cjw9frBoUE2"
      "Hj0BvFp9h3u6Vbsg4lc1C8AtHdaN8orKuNKkLRLuYEL52R1J3v8olJGZRLnRdVKIivixmX/eQpzgeExtp20jI1HxRP1AAZ6xZoILdqDPO549LO4"
      "WeG+685JRUTdiwcY5fjZlqeMxuT4PpMn1X9OWsS7NRj06Wa5E3Tvg4twjWp39KPfOdRte6P1T4JU=";
  auto h = app_handler(w3_token, w3_key, w3_corp);
  EXPECT_EQ(h.crypt().signature("1409659813", "1372623149", encrypt), "e3647471e395139e2308c1fa963f2d648a00b90e");
  auto p = h.crypt().decrypt(encrypt);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->msg.size(), 176u);
  EXPECT_NE(p->msg.find("\"FromUserName\": :mycreate\""), std::string::npos);
  const std::string body = R"({ "ToUserName": "wx5823bf96d3bd56c7", "Encrypt": ")" + encrypt + R"(", "AgentID": 218 })";
  auto out = h.handle(make_input("POST",
                                 {{"msg_signature", "e3647471e395139e2308c1fa963f2d648a00b90e"},
                                  {"timestamp", "1409659813"},
                                  {"nonce", "1372623149"}},
                                 body, 1409659813));
  EXPECT_EQ(out.status, 400);  // the official sample's plaintext is not valid JSON
}

TEST(WecomVectors, W6AiBotGroupMessage) {
  auto h = ai_handler();
  EXPECT_EQ(h.crypt().signature("1700000000", "123456", w6_encrypt), "68d65986f66cc9d6704fc2d168191c683162e346");
  auto plain = h.crypt().decrypt(w6_encrypt);
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->msg, w6_plain);
  EXPECT_EQ(plain->receive_id, "");
  EXPECT_EQ(h.crypt().encrypt("aaaabbbbccccdddd", w6_plain), w6_encrypt);
  auto out = h.handle(make_input("POST",
                                 {{"msg_signature", "68d65986f66cc9d6704fc2d168191c683162e346"},
                                  {"timestamp", "1700000000"},
                                  {"nonce", "123456"}},
                                 std::string(R"({"encrypt":")") + w6_encrypt + "\"}", 1700000000));
  ASSERT_EQ(out.status, 200) << out.reason;
  ASSERT_EQ(out.messages.size(), 1u);
  const auto& m = out.messages[0];
  EXPECT_EQ(m.chat, a::chat_type::group);
  EXPECT_EQ(m.chat_id, "CHATID");
  EXPECT_EQ(m.sender_id, "USERID");
  EXPECT_EQ(m.text, "hello robot");
  EXPECT_EQ(m.dedupe_key, "wecom:demo:msg:CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=");
  EXPECT_EQ(m.reply.response_url, "RESPONSEURL");
  ASSERT_FALSE(m.segments.empty());
  EXPECT_EQ(m.segments[0].kind, a::segment_kind::mention_bot);
}

TEST(WecomVectors, W6EchostrAndReply) {
  auto h = ai_handler();
  auto out = h.handle(make_input("GET",
                                 {{"msg_signature", "023618a923ad665fea927278cac4460731fd3ac7"},
                                  {"timestamp", "1700000000"},
                                  {"nonce", "123456"},
                                  {"echostr", "ZA4HuQypHxnRrA+A6SOHGIsQN5UvecwccCSx4ddddYKaYw6/2psS9KxM9QzRb2kcCuoNalmS4j1gBM5y25WlhA=="}},
                                 "", 1700000000));
  EXPECT_EQ(out.body, "1234567890123456789");
  auto reply = h.passive_reply(R"({"msgtype":"stream","stream":{"id":"STREAMID","finish":true,"content":"hello"}})",
                               "aaaabbbbccccdddd", 1700000001, "123456");
  ASSERT_TRUE(reply);
  auto j = c::json::parse(reply->body);
  EXPECT_EQ(j["encrypt"],
            "ZA4HuQypHxnRrA+A6SOHGMHbpk2nemU1h0nMb8+EXuvpmy1CKBjF6WrxxzvXzJz9fGsMKV/N5xczNxSb69VZatrbx18v1KNwdH85p0/"
            "g5H5KOe5FWxfSpsAgZB7QgAkRoXHWxfcQg6dI8O/6pYDTH9d3kSqWnj/d14liigLCoQM=");
  EXPECT_EQ(j["msgsignature"], "f70090c11db139313eeef1f4d4875e4dc0d3db43");
  EXPECT_EQ(j["timestamp"], 1700000001);
  EXPECT_EQ(j["nonce"], "123456");
}

TEST(WecomVectors, AppPassiveReplyRoundTrips) {
  auto h = app_handler(w1_token, w1_key, w1_corp);
  auto reply = h.passive_reply("<xml><Content><![CDATA[hi]]></Content></xml>", "0123456789abcdef", 1409659813, "42");
  ASSERT_TRUE(reply);
  auto doc = c::parse_flat_xml(reply->body);
  ASSERT_TRUE(doc);
  const std::string enc(doc->get("Encrypt"));
  EXPECT_EQ(doc->get("MsgSignature"), h.crypt().signature("1409659813", "42", enc));
  EXPECT_EQ(doc->get("TimeStamp"), "1409659813");
  EXPECT_EQ(h.crypt().decrypt(enc)->msg, "<xml><Content><![CDATA[hi]]></Content></xml>");
}

// WeCom / WeChat hostile inputs (reliability.md B13-B17, B22-B29) and QR-scan events.
#include <gtest/gtest.h>

#include "adapters/common/aes_cbc.hpp"
#include "adapters/common/codec.hpp"
#include "adapters/common/wx_envelope.hpp"
#include "adapters/wechat/callback.hpp"
#include "adapters/wecom/callback.hpp"
#include "helpers.hpp"

namespace a = lianxin::adapters;
namespace c = lianxin::adapters::common;
namespace w = lianxin::adapters::wecom;
namespace wc = lianxin::adapters::wechat;
using a::testing::make_input;
using namespace std::string_literals;

namespace {

constexpr const char* token = "QDG6eK";
constexpr const char* aes_key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
constexpr const char* corp = "wx5823bf96d3bd56c7";
constexpr std::int64_t now = 1700000000;

w::callback_handler app() {
  w::bot_config cfg;
  cfg.name = "demo";
  cfg.token = token;
  cfg.encoding_aes_key = aes_key;
  cfg.corp_id = corp;
  return *w::callback_handler::create(cfg);
}

std::string envelope(const std::string& encrypt) {
  return "<xml><ToUserName><![CDATA[" + std::string(corp) + "]]></ToUserName><Encrypt><![CDATA[" + encrypt +
         "]]></Encrypt></xml>";
}

// A correctly signed POST around an arbitrary Encrypt value.
a::http_output post(const w::callback_handler& h, const std::string& encrypt, std::int64_t ts = now) {
  const std::string t = std::to_string(ts);
  return h.handle(make_input("POST", {{"msg_signature", h.crypt().signature(t, "n1", encrypt)}, {"timestamp", t}, {"nonce", "n1"}},
                             envelope(encrypt), now));
}

// Encrypts raw plaintext bytes with the bot's key, bypassing our layout and padding.
std::string raw_encrypt(const std::string& plain) {
  // The key's last character carries two bits under the padding; wx_crypt clears them, so do
  // the same here ('C' -> 'A').
  std::string text = std::string(aes_key) + "=";
  text[42] = 'A';
  const std::string key = *c::base64_decode(text);
  return c::base64_encode(*c::aes256_cbc_encrypt(key, key.substr(0, 16), plain));
}

std::string layout(const std::string& msg, std::uint32_t len, const std::string& receive_id) {
  std::string p(16, 'r');
  p.push_back(static_cast<char>(len >> 24));
  p.push_back(static_cast<char>(len >> 16));
  p.push_back(static_cast<char>(len >> 8));
  p.push_back(static_cast<char>(len));
  return p + msg + receive_id;
}

const std::string text_xml =
    "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[u1]]></FromUserName>"
    "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content>"
    "<MsgId>1</MsgId></xml>";

}  // namespace

TEST(WxBadInput, ValidBaselineIsAccepted) {
  auto h = app();
  auto out = post(h, *h.crypt().encrypt("0123456789abcdef", text_xml));
  EXPECT_EQ(out.status, 200) << out.reason;
  EXPECT_EQ(out.messages.size(), 1u);
}

TEST(WxBadInput, SignatureProblemsAre401) {
  auto h = app();
  const std::string enc = *h.crypt().encrypt("0123456789abcdef", text_xml);
  const std::string t = std::to_string(now);
  const std::string good = h.crypt().signature(t, "n1", enc);
  std::string upper = good;
  for (char& ch : upper) ch = static_cast<char>(std::toupper(ch));
  std::string flipped = good;
  flipped[0] = flipped[0] == 'a' ? 'b' : 'a';
  for (const std::string& sig : {std::string(), good.substr(0, 39), upper, flipped, good + "0"}) {
    auto out = h.handle(make_input("POST", {{"msg_signature", sig}, {"timestamp", t}, {"nonce", "n1"}}, envelope(enc), now));
    EXPECT_EQ(out.status, 401) << sig;
    EXPECT_TRUE(out.messages.empty());
  }
  auto missing = h.handle(make_input("POST", {{"timestamp", t}, {"nonce", "n1"}}, envelope(enc), now));
  EXPECT_EQ(missing.status, 401);
  // B15: the signature covers Encrypt; a re-encoded body with another Encrypt fails.
  auto other = h.handle(make_input("POST", {{"msg_signature", good}, {"timestamp", t}, {"nonce", "n1"}},
                                   envelope(*h.crypt().encrypt("0123456789abcdeX", text_xml)), now));
  EXPECT_EQ(other.status, 401);
}

TEST(WxBadInput, TimestampsStaleFutureAndMalformed) {
  auto h = app();
  const std::string enc = *h.crypt().encrypt("0123456789abcdef", text_xml);
  EXPECT_EQ(post(h, enc, now - 301).status, 401);
  EXPECT_EQ(post(h, enc, now + 3600).status, 401);
  EXPECT_EQ(post(h, enc, now - 300).status, 200);
  for (const char* ts : {"abc", "-5", "1e30", "1234567890123456789012345678901234567890"}) {
    auto out = h.handle(make_input("POST", {{"msg_signature", h.crypt().signature(ts, "n1", enc)}, {"timestamp", ts}, {"nonce", "n1"}},
                                   envelope(enc), now));
    EXPECT_EQ(out.status, 400) << ts;
  }
}

TEST(WxBadInput, CiphertextProblemsAre400) {
  auto h = app();
  EXPECT_EQ(post(h, "not base64!").status, 400);
  EXPECT_EQ(post(h, c::base64_encode(std::string(17, 'x'))).status, 400);  // not a multiple of 16
  EXPECT_EQ(post(h, "").status, 400);
}

TEST(WxBadInput, BadPaddingIsRejected) {
  auto h = app();
  std::string zero_pad = layout(text_xml, static_cast<std::uint32_t>(text_xml.size()), corp);
  zero_pad.append(32 - zero_pad.size() % 32, '\0');
  EXPECT_EQ(post(h, raw_encrypt(zero_pad)).status, 400);
  std::string big_pad = layout(text_xml, static_cast<std::uint32_t>(text_xml.size()), corp);
  big_pad.append(32 - big_pad.size() % 32, '\x21');
  EXPECT_EQ(post(h, raw_encrypt(big_pad)).status, 400);
  std::string mixed = c::pkcs7_pad(layout(text_xml, static_cast<std::uint32_t>(text_xml.size()), corp));
  if (static_cast<unsigned char>(mixed.back()) > 1) {
    mixed[mixed.size() - 2] ^= 1;
    EXPECT_EQ(post(h, raw_encrypt(mixed)).status, 400);
  }
}

TEST(WxBadInput, HugeMsgLenIsRejected) {
  auto h = app();
  for (std::uint32_t len : {0xFFFFFFFFu, static_cast<std::uint32_t>(text_xml.size() + 19)}) {
    auto out = post(h, raw_encrypt(c::pkcs7_pad(layout(text_xml, len, corp))));
    EXPECT_EQ(out.status, 400) << len;
  }
  EXPECT_EQ(post(h, raw_encrypt(c::pkcs7_pad(std::string(10, 'x')))).status, 400);  // shorter than the header
}

TEST(WxBadInput, ForeignReceiveIdIs403) {
  auto h = app();
  auto out = post(h, raw_encrypt(c::pkcs7_pad(layout(text_xml, static_cast<std::uint32_t>(text_xml.size()), "wx_other"))));
  EXPECT_EQ(out.status, 403);
  EXPECT_TRUE(out.messages.empty());
}

TEST(WxBadInput, DoctypeInsideDecryptedXml) {
  auto h = app();
  const std::string xxe = "<!DOCTYPE x [<!ENTITY a SYSTEM \"file:///etc/passwd\">]><xml><FromUserName>&a;</FromUserName></xml>";
  EXPECT_EQ(post(h, *h.crypt().encrypt("0123456789abcdef", xxe)).status, 400);
  std::string laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">";
  for (int i = 1; i < 10; ++i) {
    laughs += "<!ENTITY lol" + std::to_string(i) + " \"" ;
    for (int k = 0; k < 10; ++k) laughs += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
    laughs += "\">";
  }
  laughs += "]><xml><Content>&lol9;</Content></xml>";
  EXPECT_EQ(post(h, *h.crypt().encrypt("0123456789abcdef", laughs)).status, 400);
  // and in the outer envelope, before anything is decrypted
  const std::string t = std::to_string(now);
  auto outer = h.handle(make_input("POST", {{"msg_signature", std::string(40, 'a')}, {"timestamp", t}, {"nonce", "n1"}},
                                   "<!DOCTYPE x><xml><Encrypt>x</Encrypt></xml>", now));
  EXPECT_EQ(outer.status, 400);
}

TEST(WxBadInput, EventsWithoutMsgIdGetFineGrainedKeys) {
  auto h = app();
  auto event = [&](const std::string& key) {
    return "<xml><ToUserName>c</ToUserName><FromUserName>u1</FromUserName><CreateTime>1700000000</CreateTime>"
           "<MsgType>event</MsgType><Event>subscribe</Event><EventKey>" + key + "</EventKey><AgentID>1</AgentID></xml>";
  };
  auto a1 = post(h, *h.crypt().encrypt("0123456789abcdef", event("k1")));
  auto a2 = post(h, *h.crypt().encrypt("0123456789abcdef", event("k2")));
  auto a1_again = post(h, *h.crypt().encrypt("fedcba9876543210", event("k1")));
  ASSERT_EQ(a1.messages.size(), 1u);
  ASSERT_EQ(a2.messages.size(), 1u);
  ASSERT_EQ(a1_again.messages.size(), 1u);
  EXPECT_NE(a1.messages[0].dedupe_key, a2.messages[0].dedupe_key);
  EXPECT_EQ(a1.messages[0].dedupe_key, a1_again.messages[0].dedupe_key);
  EXPECT_EQ(a1.messages[0].kind, a::event_kind::follow);
}

TEST(WxBadInput, MalformedKeysAndMethods) {
  w::bot_config cfg;
  cfg.token = token;
  cfg.encoding_aes_key = "abcde";
  EXPECT_FALSE(w::callback_handler::create(cfg));
  EXPECT_EQ(app().handle(make_input("PUT", {}, "", now)).status, 405);
}

TEST(WxBadInput, UrlVerificationWithBadSignatureIs401) {
  auto h = app();
  const std::string echo = *h.crypt().encrypt("0123456789abcdef", "12345");
  const std::string t = std::to_string(now);
  auto ok = h.handle(make_input("GET", {{"msg_signature", h.crypt().signature(t, "n", echo)}, {"timestamp", t}, {"nonce", "n"}, {"echostr", echo}}, "", now));
  EXPECT_EQ(ok.body, "12345");
  auto bad = h.handle(make_input("GET", {{"msg_signature", std::string(40, '0')}, {"timestamp", t}, {"nonce", "n"}, {"echostr", echo}}, "", now));
  EXPECT_EQ(bad.status, 401);
}

namespace {

wc::callback_handler plain_oa() {
  wc::bot_config cfg;
  cfg.name = "oa";
  cfg.token = "AAAAA";
  return *wc::callback_handler::create(cfg);
}

a::http_output plain_post(const wc::callback_handler& h, const std::string& body) {
  const std::string t = std::to_string(now);
  return h.handle(make_input("POST", {{"signature", wc::plain_signature("AAAAA", t, "n")}, {"timestamp", t}, {"nonce", "n"}}, body, now));
}

std::string oa_event(const std::string& event, const std::string& key) {
  return "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[o1]]></FromUserName>"
         "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[" + event +
         "]]></Event><EventKey><![CDATA[" + key + "]]></EventKey><Ticket><![CDATA[T]]></Ticket></xml>";
}

}  // namespace

TEST(WechatEvents, QrSubscribeAndScan) {
  auto h = plain_oa();
  auto sub = plain_post(h, oa_event("subscribe", "qrscene_D0042"));
  ASSERT_EQ(sub.messages.size(), 1u);
  EXPECT_EQ(sub.messages[0].kind, a::event_kind::qr_scan);
  EXPECT_EQ(sub.messages[0].qr, (a::qr_scan{"D0042", true}));
  auto scan = plain_post(h, oa_event("SCAN", "D0042"));
  ASSERT_EQ(scan.messages.size(), 1u);
  EXPECT_EQ(scan.messages[0].qr, (a::qr_scan{"D0042", false}));
  EXPECT_NE(sub.messages[0].dedupe_key, scan.messages[0].dedupe_key);
  auto follow = plain_post(h, oa_event("subscribe", ""));
  ASSERT_EQ(follow.messages.size(), 1u);
  EXPECT_EQ(follow.messages[0].kind, a::event_kind::follow);
  EXPECT_EQ(plain_post(h, oa_event("SCAN", "bad scene")).status, 400);
  EXPECT_EQ(plain_post(h, oa_event("CLICK", "menu")).messages.size(), 0u);
}

TEST(WechatEvents, PlainTextImageAndReply) {
  auto h = plain_oa();
  auto text = plain_post(h, "<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>1700000000</CreateTime>"
                            "<MsgType>text</MsgType><Content><![CDATA[ 路灯坏了\0 ]]></Content><MsgId>99</MsgId></xml>"s);
  ASSERT_EQ(text.messages.size(), 1u);
  EXPECT_EQ(text.messages[0].text, "路灯坏了");
  auto reply = h.text_reply(text.messages[0], "收到", "0123456789abcdef", 1700000001);
  ASSERT_TRUE(reply);
  auto doc = c::parse_flat_xml(reply->body);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->get("ToUserName"), "o1");
  EXPECT_EQ(doc->get("FromUserName"), "gh_1");
  EXPECT_EQ(doc->get("Content"), "收到");
  auto image = plain_post(h, "<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>1700000000</CreateTime>"
                             "<MsgType>image</MsgType><PicUrl>http://x/1.jpg</PicUrl><MediaId>m1</MediaId><MsgId>100</MsgId></xml>");
  ASSERT_EQ(image.messages.size(), 1u);
  EXPECT_EQ(image.messages[0].segments[0].url, "http://x/1.jpg");
}

TEST(WechatEvents, PlainPostRefusedWhenEncryptionRequired) {
  wc::bot_config cfg;
  cfg.name = "oa";
  cfg.token = "AAAAA";
  cfg.encoding_aes_key = std::string(43, 'A');
  cfg.app_id = "wx1";
  auto h = *wc::callback_handler::create(cfg);
  EXPECT_EQ(plain_post(h, oa_event("SCAN", "D1")).status, 401);
  cfg.require_encryption = false;
  auto lenient = *wc::callback_handler::create(cfg);
  EXPECT_EQ(plain_post(lenient, oa_event("SCAN", "D1")).status, 200);
}

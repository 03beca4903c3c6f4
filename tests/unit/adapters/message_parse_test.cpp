// Neutral message helpers and WeCom document parsing (AI-bot JSON variants, legacy robot XML).
#include <gtest/gtest.h>

#include "adapters/message.hpp"
#include "adapters/wecom/inbound_parse.hpp"

namespace a = lianxin::adapters;
namespace w = lianxin::adapters::wecom;

namespace {

a::inbound_message sample() {
  a::inbound_message m;
  m.source = a::platform::onebot;
  m.bot = "demo";
  m.chat = a::chat_type::group;
  m.chat_id = "42";
  m.sender_id = "7";
  m.text = "路灯坏了";
  m.time = 1700000000;
  return m;
}

const w::parse_context ctx{"demo", "RobotA", "n1", 1700000000};

}  // namespace

TEST(ContentHash, SameContentSameBucketCollides) {
  auto m1 = sample();
  auto m2 = sample();
  m2.message_id = "other-id";
  m2.time += 10;
  EXPECT_EQ(a::content_hash(m1), a::content_hash(m2));
  EXPECT_EQ(a::content_hash(m1).rfind("content:onebot:demo:", 0), 0u);
}

TEST(ContentHash, DiffersOnAnyField) {
  const auto base = a::content_hash(sample());
  auto text = sample();
  text.text += "!";
  auto sender = sample();
  sender.sender_id = "8";
  auto chat = sample();
  chat.chat_id = "43";
  auto later = sample();
  later.time += 600;
  auto split = sample();  // "7"+"42" vs "74"+"2" must not collide
  split.sender_id = "74";
  split.chat_id = "2";
  for (const auto& m : {text, sender, chat, later}) EXPECT_NE(a::content_hash(m), base);
  auto joined = sample();
  joined.sender_id = "742";
  joined.chat_id = "";
  EXPECT_NE(a::content_hash(split), a::content_hash(joined));
}

TEST(CleanText, DropsNulAndTrims) {
  EXPECT_EQ(a::clean_text(std::string(" a\0b \n", 6)), "ab");
  EXPECT_EQ(a::clean_text(""), "");
}

TEST(WecomAiBot, ImageMixedQuoteAndEvents) {
  auto image = w::parse_ai_bot_json(
      R"({"msgid":"m1","aibotid":"b","chattype":"single","from":{"userid":"u"},"msgtype":"image","image":{"url":"https://x/e"}})", ctx);
  ASSERT_TRUE(image);
  ASSERT_EQ(image->size(), 1u);
  EXPECT_EQ((*image)[0].chat, a::chat_type::private_chat);
  EXPECT_EQ((*image)[0].segments.at(0).url, "https://x/e");

  auto mixed = w::parse_ai_bot_json(
      R"({"msgid":"m2","chatid":"C","chattype":"group","from":{"userid":"u"},"msgtype":"mixed","mixed":{"msg_item":[{"msgtype":"text","text":{"content":"@RobotA 看图"}},{"msgtype":"image","image":{"url":"https://x/i"}}]},"quote":{"msgtype":"text","text":{"content":"原话"}}})",
      ctx);
  ASSERT_TRUE(mixed);
  const auto& m = (*mixed)[0];
  EXPECT_EQ(m.text, "看图");
  EXPECT_EQ(m.segments.back().kind, a::segment_kind::reply);
  EXPECT_EQ(m.segments.back().text, "原话");

  auto enter = w::parse_ai_bot_json(
      R"({"msgid":"m3","create_time":1700000001,"chattype":"single","from":{"userid":"u"},"msgtype":"event","event":{"eventtype":"enter_chat"}})", ctx);
  ASSERT_TRUE(enter);
  EXPECT_EQ((*enter)[0].kind, a::event_kind::enter_chat);
  EXPECT_EQ((*enter)[0].time, 1700000001);

  auto stream = w::parse_ai_bot_json(R"({"msgid":"m4","from":{"userid":"u"},"msgtype":"stream","stream":{"id":"S"}})", ctx);
  ASSERT_TRUE(stream);
  EXPECT_TRUE(stream->empty());
}

TEST(WecomAiBot, RejectsIncompleteDocuments) {
  EXPECT_FALSE(w::parse_ai_bot_json(R"({"msgtype":"text"})", ctx));
  EXPECT_FALSE(w::parse_ai_bot_json(R"({"msgid":"m","chattype":"group","from":{"userid":"u"},"msgtype":"text","text":{"content":"x"}})", ctx));
  EXPECT_FALSE(w::parse_ai_bot_json(R"({"msgid":"m","msgid":"n","from":{"userid":"u"},"msgtype":"text"})", ctx));
}

TEST(WecomApp, LegacyGroupRobotXml) {
  auto r = w::parse_app_xml(
      "<xml><WebhookUrl><![CDATA[https://qyapi/x]]></WebhookUrl><ChatId><![CDATA[wrkSFfCgAA]]></ChatId><ChatType>group</ChatType>"
      "<From><UserId>zhangsan</UserId><Name><![CDATA[张三]]></Name></From><MsgType>text</MsgType>"
      "<Text><Content><![CDATA[@机器人 你好]]></Content></Text><MsgId>abcdef</MsgId></xml>",
      ctx);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].chat, a::chat_type::group);
  EXPECT_EQ((*r)[0].chat_id, "wrkSFfCgAA");
  EXPECT_EQ((*r)[0].sender_name, "张三");
  EXPECT_EQ((*r)[0].text, "@机器人 你好");
}

TEST(WecomApp, ImageAndIgnoredTypes) {
  auto img = w::parse_app_xml(
      "<xml><ToUserName>c</ToUserName><FromUserName>u</FromUserName><CreateTime>1</CreateTime><MsgType>image</MsgType>"
      "<PicUrl>http://p/1</PicUrl><MediaId>M</MediaId><MsgId>5</MsgId></xml>",
      ctx);
  ASSERT_TRUE(img);
  EXPECT_EQ((*img)[0].segments.at(0), a::segment::make(a::segment_kind::image, "M", "http://p/1"));
  auto voice = w::parse_app_xml(
      "<xml><FromUserName>u</FromUserName><CreateTime>1</CreateTime><MsgType>voice</MsgType><MsgId>6</MsgId></xml>", ctx);
  ASSERT_TRUE(voice);
  EXPECT_TRUE(voice->empty());
  EXPECT_FALSE(w::parse_app_xml("<xml><FromUserName>u</FromUserName><CreateTime>-5</CreateTime><MsgType>text</MsgType></xml>", ctx));
}

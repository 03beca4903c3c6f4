// The neutral messages as stored in Redis (inbox entries, outbox entries): every field the
// senders rely on survives the round trip.
#include "bot/ingest/message_json.hpp"

#include <gtest/gtest.h>

using namespace lianxin;

TEST(MessageJson, OutboundRoundTripKeepsReplyContext) {
  adapters::outbound_message m;
  m.target = {adapters::platform::qq, "demo", adapters::chat_type::group, "G1", "MSG-9", 3, 1764370000};
  m.segments.push_back({adapters::out_segment_kind::mention, "U1"});
  m.segments.push_back({adapters::out_segment_kind::text, " 收到"});
  m.idempotency_key = "k1";
  auto back = ingest::outbound_from_json(ingest::to_json(m));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->target.dest, adapters::platform::qq);
  EXPECT_EQ(back->target.chat_id, "G1");
  EXPECT_EQ(back->target.reply_to_message_id, "MSG-9");
  EXPECT_EQ(back->target.msg_seq, 3u);
  EXPECT_EQ(back->target.reply_to_unix, 1764370000);
  EXPECT_EQ(back->segments, m.segments);
  EXPECT_EQ(back->idempotency_key, "k1");
}

TEST(MessageJson, OutboundWithoutReplyContextStaysUnset) {
  adapters::outbound_message m;
  m.target = {adapters::platform::onebot, "demo", adapters::chat_type::private_chat, "20001", "", 0, 0};
  m.segments.push_back({adapters::out_segment_kind::text, "你好"});
  auto j = ingest::to_json(m);
  auto back = ingest::outbound_from_json(j);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->target.reply_to_unix, 0);
  EXPECT_EQ(back->target.msg_seq, 0u);
  EXPECT_TRUE(back->target.reply_to_message_id.empty());
}

// The webhook writes inbox entries with to_json_text (no tree); they must be the very bytes
// the tree's dump gives, for every field, escape and optional part.
TEST(MessageJson, InboundTextIsTheTreeDump) {
  auto dump = [](const adapters::inbound_message& m) {
    return ingest::to_json(m).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  adapters::inbound_message m;
  m.source = adapters::platform::onebot;
  m.bot = "demo";
  m.chat = adapters::chat_type::group;
  m.chat_id = "900001";
  m.sender_id = "100123";
  m.message_id = "42";
  m.time = 1764370000;
  m.text = "建议 村东头路灯坏了";
  m.dedupe_key = "onebot:demo:msg:42";
  EXPECT_EQ(ingest::to_json_text(m), dump(m));

  m.sender_name = "村民\"老王\"\\";
  m.role = adapters::sender_role::admin;
  m.text = std::string("tab\there\nnew\rret\b\f ctl\x01\x1f del\x7f /slash 😀");
  m.segments.push_back(adapters::segment::make(adapters::segment_kind::mention_bot, "10000"));
  m.segments.push_back(adapters::segment::make_text("text part"));
  m.segments.push_back(adapters::segment::make(adapters::segment_kind::image, "img.jpg", "https://x/y?a=1&b=2"));
  EXPECT_EQ(ingest::to_json_text(m), dump(m));

  m.kind = adapters::event_kind::qr_scan;
  m.chat = adapters::chat_type::private_chat;
  m.qr = adapters::qr_scan{"D0001", true};
  m.reply = {"nonce", "gh_1", "", true};
  m.time = -5;
  EXPECT_EQ(ingest::to_json_text(m), dump(m));

  // Invalid UTF-8 (a lone continuation byte, a surrogate, an overlong form) is replaced as the
  // tree's serializer replaces it.
  for (std::string bad : {std::string("a\x80z"), std::string("\xed\xa0\x80"), std::string("\xc0\xaf"),
                          std::string("\xf4\x90\x80\x80"), std::string("cut\xe5\xbb")}) {
    m.text = bad;
    EXPECT_EQ(ingest::to_json_text(m), dump(m));
  }
}

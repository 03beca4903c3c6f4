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

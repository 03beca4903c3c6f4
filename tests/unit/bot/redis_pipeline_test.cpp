// The connection state machine over in-memory byte streams: no socket, no server.
#include "bot/redis/pipeline.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lianxin::redis {
namespace {

using args = std::vector<std::string>;

// Replies for: SET -> +OK, GET -> bulk, INCR -> :1, nil, an error, nested array, empty bulk.
const std::string k_stream =
    "+OK\r\n"
    "$5\r\nhello\r\n"
    ":42\r\n"
    "$-1\r\n"
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
    "*3\r\n:1\r\n*2\r\n$1\r\na\r\n*-1\r\n+PONG\r\n"
    "$0\r\n\r\n"
    "*0\r\n";

std::vector<value> expected_values() {
  return {value::status("OK"),
          value::string("hello"),
          value::integer(42),
          value::nil(),
          value::error("WRONGTYPE Operation against a key holding the wrong kind of value"),
          value::array({value::integer(1), value::array({value::string("a"), value::nil()}), value::status("PONG")}),
          value::string(""),
          value::array({})};
}

std::vector<request_id> enqueue_n(pipeline& p, std::size_t n) {
  std::vector<request_id> ids;
  for (std::size_t i = 0; i < n; ++i) ids.push_back(p.enqueue(args{"PING", std::to_string(i)}));
  return ids;
}

TEST(RedisPipeline, FormatsCommandsBinarySafe) {
  pipeline p;
  EXPECT_EQ(p.enqueue(args{"SET", "k", std::string("a\0b\r\n", 5)}), 1u);
  EXPECT_EQ(p.enqueue(args{"GET", "k"}), 2u);
  EXPECT_EQ(p.take_output(),
            std::string("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\na\0b\r\n\r\n", 31) + "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
  EXPECT_FALSE(p.has_output());
  EXPECT_EQ(p.in_flight(), 2u);
}

TEST(RedisPipeline, EmptyCommandIsRejected) {
  pipeline p;
  EXPECT_EQ(p.enqueue(args{}), 0u);
  EXPECT_FALSE(p.has_output());
  EXPECT_EQ(p.in_flight(), 0u);
}

TEST(RedisPipeline, ManyRepliesInOneFeedComeOutInOrder) {
  pipeline p;
  auto ids = enqueue_n(p, expected_values().size());
  auto r = p.feed(k_stream);
  ASSERT_TRUE(r.protocol_error.empty()) << r.protocol_error;
  auto want = expected_values();
  ASSERT_EQ(r.completed.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(r.completed[i].id, ids[i]);
    EXPECT_FALSE(r.completed[i].r.ec);
    EXPECT_EQ(r.completed[i].r.v, want[i]) << i << ": " << r.completed[i].r.v.debug_string();
  }
  EXPECT_EQ(p.in_flight(), 0u);
}

// Every way of cutting the stream in two, and byte by byte, yields the same replies.
TEST(RedisPipeline, SplitAtEveryByteBoundary) {
  auto want = expected_values();
  for (std::size_t cut = 0; cut <= k_stream.size(); ++cut) {
    pipeline p;
    enqueue_n(p, want.size());
    auto a = p.feed(std::string_view(k_stream).substr(0, cut));
    auto b = p.feed(std::string_view(k_stream).substr(cut));
    ASSERT_TRUE(a.protocol_error.empty() && b.protocol_error.empty()) << "cut at " << cut;
    std::vector<value> got;
    for (auto& c : a.completed) got.push_back(c.r.v);
    for (auto& c : b.completed) got.push_back(c.r.v);
    ASSERT_EQ(got, want) << "cut at " << cut;
  }
  pipeline p;
  auto ids = enqueue_n(p, want.size());
  std::vector<completion> got;
  for (char c : k_stream) {
    auto r = p.feed(std::string_view(&c, 1));
    ASSERT_TRUE(r.protocol_error.empty());
    for (auto& x : r.completed) got.push_back(std::move(x));
  }
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].id, ids[i]);
    EXPECT_EQ(got[i].r.v, want[i]);
  }
}

TEST(RedisPipeline, ErrorReplyMidPipelineOnlyAffectsItsOwnRequest) {
  pipeline p;
  auto ids = enqueue_n(p, 3);
  auto r = p.feed("+OK\r\n-ERR boom\r\n:7\r\n");
  ASSERT_EQ(r.completed.size(), 3u);
  EXPECT_TRUE(r.completed[0].r.ok());
  EXPECT_FALSE(r.completed[1].r.ok());
  EXPECT_FALSE(r.completed[1].r.ec);
  EXPECT_EQ(r.completed[1].r.error_message(), "ERR boom");
  EXPECT_EQ(r.completed[1].r.v.error_code(), "ERR");
  EXPECT_EQ(r.completed[1].id, ids[1]);
  EXPECT_TRUE(r.completed[2].r.ok());
  EXPECT_EQ(r.completed[2].r.v.int_value(), 7);
}

TEST(RedisPipeline, PartialReplyStaysPendingUntilComplete) {
  pipeline p;
  enqueue_n(p, 2);
  auto r = p.feed("$10\r\n01234");
  EXPECT_TRUE(r.completed.empty());
  r = p.feed("56789\r\n:1");
  ASSERT_EQ(r.completed.size(), 1u);
  EXPECT_EQ(r.completed[0].r.v, value::string("0123456789"));
  EXPECT_EQ(p.in_flight(), 1u);
  r = p.feed("\r\n");
  ASSERT_EQ(r.completed.size(), 1u);
  EXPECT_EQ(r.completed[0].r.v, value::integer(1));
}

TEST(RedisPipeline, LargeBinaryBulkAcrossManyFeeds) {
  pipeline p;
  p.enqueue(args{"GET", "big"});
  std::string payload(1 << 20, '\0');
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>(i * 7);
  std::string wire = "$" + std::to_string(payload.size()) + "\r\n" + payload + "\r\n";
  std::vector<completion> got;
  for (std::size_t off = 0; off < wire.size(); off += 4093) {
    auto r = p.feed(std::string_view(wire).substr(off, 4093));
    for (auto& c : r.completed) got.push_back(std::move(c));
  }
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].r.v.text(), payload);
}

TEST(RedisPipeline, DisconnectFailsEveryPendingRequestAndStartsClean) {
  pipeline p;
  auto ids = enqueue_n(p, 3);
  (void)p.take_output();
  p.enqueue(args{"PING"});  // queued but never written
  auto r = p.feed("+OK\r\n$5\r\nhel");  // one answered, one half-read
  ASSERT_EQ(r.completed.size(), 1u);
  auto failed = p.fail_all(errc::disconnected, "connection reset (unix:/tmp/x)");
  ASSERT_EQ(failed.size(), 3u);
  EXPECT_EQ(failed[0].id, ids[1]);
  EXPECT_EQ(failed[1].id, ids[2]);
  for (auto& f : failed) {
    EXPECT_EQ(f.r.ec, make_error_code(errc::disconnected));
    EXPECT_EQ(f.r.error_message(), "redis disconnected: connection reset (unix:/tmp/x)");
  }
  EXPECT_FALSE(p.has_output());
  EXPECT_EQ(p.in_flight(), 0u);
  // The half-read reply must not leak into the next connection, and ids keep increasing.
  auto next = p.enqueue(args{"PING"});
  EXPECT_GT(next, ids.back() + 1);
  r = p.feed("+PONG\r\n");
  ASSERT_EQ(r.completed.size(), 1u);
  EXPECT_EQ(r.completed[0].id, next);
  EXPECT_EQ(r.completed[0].r.v, value::status("PONG"));
}

TEST(RedisPipeline, ProtocolErrorIsReportedAndSticky) {
  pipeline p;
  enqueue_n(p, 2);
  auto r = p.feed("+OK\r\n!garbage\r\n");
  ASSERT_EQ(r.completed.size(), 1u);
  EXPECT_FALSE(r.protocol_error.empty());
  EXPECT_TRUE(p.broken());
  r = p.feed("+OK\r\n");
  EXPECT_TRUE(r.completed.empty());
  EXPECT_FALSE(r.protocol_error.empty());
  auto failed = p.fail_all(errc::protocol, r.protocol_error);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].r.ec, make_error_code(errc::protocol));
  EXPECT_FALSE(p.broken());
}

TEST(RedisPipeline, UnsolicitedReplyIsAProtocolError) {
  pipeline p;
  auto r = p.feed("+OK\r\n");
  EXPECT_TRUE(r.completed.empty());
  EXPECT_NE(r.protocol_error.find("reply without a request"), std::string::npos);
}

TEST(RedisPipeline, InterleavedEnqueueAndFeedKeepsFifo) {
  pipeline p;
  std::vector<request_id> sent;
  std::vector<request_id> answered;
  for (int round = 0; round < 50; ++round) {
    for (int i = 0; i <= round % 4; ++i) sent.push_back(p.enqueue(args{"INCR", "n"}));
    (void)p.take_output();
    std::string replies;
    for (std::size_t i = answered.size(); i + 1 < sent.size(); ++i) replies += ":" + std::to_string(i) + "\r\n";
    for (auto& c : p.feed(replies).completed) {
      EXPECT_EQ(c.r.v.int_value(), static_cast<long long>(answered.size()));
      answered.push_back(c.id);
    }
  }
  EXPECT_EQ(answered, std::vector<request_id>(sent.begin(), sent.begin() + answered.size()));
  EXPECT_EQ(p.in_flight(), sent.size() - answered.size());
}

}  // namespace
}  // namespace lianxin::redis

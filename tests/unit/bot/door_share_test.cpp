// The intake worker's share of a saturated door (bot/flow/door_share.hpp): one message per
// `per_turn` events the door takes in, credit capped at one read batch, and no limit at all
// while the door keeps up or when the setting is 0.
#include <gtest/gtest.h>

#include "bot/flow/door_share.hpp"

namespace {

using lianxin::flow::door_share;

TEST(DoorShare, ADoorThatKeepsUpNeverHoldsTheWorkerBack) {
  door_share s(8, 32);
  for (std::uint64_t taken = 0; taken < 100; ++taken) {
    ASSERT_TRUE(s.may_take(false, taken));
    s.took(false, taken);
    ASSERT_TRUE(s.may_take(false, taken));  // again, with no new event
    s.took(false, taken);
  }
}

TEST(DoorShare, ASaturatedDoorLetsOneMessageThroughPerEightEvents) {
  door_share s(8, 32);
  s.took(false, 100);  // the last message before the door filled up
  EXPECT_FALSE(s.may_take(true, 100));
  EXPECT_FALSE(s.may_take(true, 107));
  EXPECT_TRUE(s.may_take(true, 108));
  s.took(true, 108);
  EXPECT_FALSE(s.may_take(true, 115));
  EXPECT_TRUE(s.may_take(true, 116));
  // Over a long saturated spell the worker takes at most one message per 8 events, plus the
  // credit of one batch.
  door_share t(8, 32);
  t.took(false, 0);
  int turns = 0;
  for (std::uint64_t taken = 1; taken <= 8000; ++taken) {
    while (t.may_take(true, taken)) {
      t.took(true, taken);
      ++turns;
    }
  }
  EXPECT_EQ(turns, 1000);
}

TEST(DoorShare, CreditSavedWhileWaitingIsCappedAtOneBatch) {
  door_share s(8, 4);  // a batch of 4 messages: at most 32 events of credit
  s.took(false, 0);
  // The door took 1,000 events while the worker was busy with something else.
  int turns = 0;
  while (s.may_take(true, 1000)) {
    s.took(true, 1000);
    ++turns;
  }
  EXPECT_EQ(turns, 5);  // the one due now and four of saved credit, not 125
  // The door keeps up again: the debt is forgotten at once.
  EXPECT_TRUE(s.may_take(false, 1000));
  s.took(false, 1000);
  EXPECT_FALSE(s.may_take(true, 1007));
  EXPECT_TRUE(s.may_take(true, 1008));
}

TEST(DoorShare, ZeroMeansTheWorkerNeverGivesWay) {
  door_share s(0, 32);
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(s.may_take(true, 5));
    s.took(true, 5);
  }
}

}  // namespace

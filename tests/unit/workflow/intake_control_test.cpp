// Transcripts of corrections, going back, cancelling, expiry and listening rules.
#include "intake_harness.hpp"

using namespace lianxin::workflow;
using namespace lianxin::workflow::intake;
using namespace lianxin::workflow::intake::test;

namespace {

// Puts a private-chat draft at the given step.
world at_stage(stage s) {
  world w;
  w.chat = chat_type::private_chat;
  switch (s) {
    case stage::ask_content:
      w.say("建议");
      break;
    case stage::choose_category:
      w.say("水渠堵了麦子浇不上", unsure({{"water", 0.4}, {"farming", 0.3}}));
      break;
    case stage::ask_place:
      w.binding = {};
      w.say("路口红绿灯坏了", confident("roads"));
      break;
    case stage::confirm_place:
      w.say("大王庄村的桥塌了", confident("roads"));
      break;
    case stage::ask_contact:
      w.say("路灯坏了三个月", confident("roads"));
      break;
    case stage::confirm:
      w.say("路灯坏了三个月，电话13800000000", confident("roads"));
      break;
    case stage::edit_menu:
      w.say("路灯坏了三个月，电话13800000000", confident("roads"));
      w.say("2");
      break;
    case stage::choose_similar:
      w.say("路灯坏了三个月，电话13800000000", confident("roads"));
      w.say("1");
      w.feed(similar_found{{{"RN-20261120-0007", "村东头路灯不亮", 0.8}}});
      break;
    case stage::none:
      break;
  }
  return w;
}

}  // namespace

class IntakeCancel : public ::testing::TestWithParam<stage> {};

TEST_P(IntakeCancel, CancelWorksAtEveryStep) {
  world w = at_stage(GetParam());
  ASSERT_TRUE(w.state);
  ASSERT_EQ(w.state->at, GetParam());
  auto o = w.say("取消！");
  EXPECT_TRUE(has_key(o, keys::cancelled));
  EXPECT_FALSE(w.state);
  EXPECT_TRUE(o.effects.empty());
}

INSTANTIATE_TEST_SUITE_P(AllSteps, IntakeCancel,
                         ::testing::Values(stage::ask_content, stage::choose_category,
                                           stage::ask_place, stage::confirm_place,
                                           stage::ask_contact, stage::confirm, stage::edit_menu,
                                           stage::choose_similar));

TEST(IntakeControl, ZeroAtConfirmationCancels) {
  world w = at_stage(stage::confirm);
  auto o = w.say("０");
  EXPECT_TRUE(has_key(o, keys::cancelled));
  EXPECT_FALSE(w.state);
}

TEST(IntakeControl, CancelWithNothingOpen) {
  world w;
  auto o = w.say("取消");
  EXPECT_TRUE(has_key(o, keys::nothing_to_cancel));
}

TEST(IntakeControl, ASentenceStartingWithCancelIsAComplaintNotACommand) {
  world w;
  w.chat = chat_type::private_chat;
  auto o = w.say("取消低保的名单不公平，该给的没给", confident("pension"));
  EXPECT_FALSE(has_key(o, keys::nothing_to_cancel));
  ASSERT_TRUE(w.state);
  EXPECT_EQ(w.state->content, "取消低保的名单不公平，该给的没给");
}

TEST(IntakeControl, ChangeCategoryFromConfirmation) {
  world w = at_stage(stage::confirm);
  auto o = w.say("分类不对");
  EXPECT_EQ(w.state->at, stage::choose_category);
  EXPECT_EQ(w.state->menu.size(), 12u);  // the full list when correcting
  o = w.say("3");
  EXPECT_EQ(w.state->category_id, "power");
  EXPECT_EQ(w.state->at, stage::confirm);
  EXPECT_NE(world::text(o).find("分类：用电"), std::string::npos);
}

TEST(IntakeControl, ChangePlaceFromConfirmation) {
  world w = at_stage(stage::confirm);
  w.say("地点不对");
  EXPECT_EQ(w.state->at, stage::ask_place);
  auto o = w.say("是大王庄的");
  EXPECT_EQ(w.state->place.id, "v-dawang");
  EXPECT_NE(world::text(o).find("地点：大王庄村"), std::string::npos);
}

TEST(IntakeControl, ChangeContentThroughTheEditMenu) {
  world w = at_stage(stage::edit_menu);
  auto o = w.say("1");
  EXPECT_TRUE(has_key(o, keys::ask_content_again));
  o = w.say("村西头的路灯也坏了，一共五盏", confident("roads"));
  EXPECT_EQ(w.state->content, "村西头的路灯也坏了，一共五盏");
  EXPECT_EQ(w.state->at, stage::confirm);
}

TEST(IntakeControl, EditMenuTogglesAnonymity) {
  world w = at_stage(stage::edit_menu);
  auto o = w.say("5");
  EXPECT_TRUE(w.state->anonymous);
  EXPECT_TRUE(has_key(o, keys::summary_anonymous));
  o = w.say("实名");
  EXPECT_FALSE(w.state->anonymous);
  EXPECT_TRUE(has_key(o, keys::summary_named));
}

TEST(IntakeControl, EditMenuZeroReturnsToConfirmation) {
  world w = at_stage(stage::edit_menu);
  w.say("0");
  EXPECT_EQ(w.state->at, stage::confirm);
}

TEST(IntakeControl, GoBackStepByStep) {
  world w = at_stage(stage::ask_contact);
  auto o = w.say("不留");
  EXPECT_EQ(w.state->at, stage::confirm);
  o = w.say("返回");
  EXPECT_EQ(w.state->at, stage::ask_contact);
  EXPECT_TRUE(has_key(o, keys::ask_contact));
  o = w.say("上一步");
  EXPECT_EQ(w.state->at, stage::ask_content);
  EXPECT_TRUE(has_key(o, keys::ask_content_again));
  o = w.say("返回");
  EXPECT_TRUE(has_key(o, keys::already_first));
}

TEST(IntakeControl, GroupOptionThreeMovesTheDraftToPrivateChat) {
  world w;
  w.say("建议 路灯坏了三个月", confident("roads"));
  auto o = w.say("3");
  auto* p = find_effect<start_private>(o);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->state.chat, chat_type::private_chat);
  EXPECT_EQ(p->state.at, stage::ask_contact);
  EXPECT_EQ(p->state.content, "路灯坏了三个月");
  EXPECT_TRUE(has_key(o, keys::private_started));
  EXPECT_FALSE(w.state);  // nothing left in the group

  // The shell stores p->state under the private key; the resident answers there.
  world priv;
  priv.chat = chat_type::private_chat;
  priv.state = p->state;
  o = priv.say("13800000000");
  EXPECT_EQ(priv.state->phone, "13800000000");
  EXPECT_EQ(priv.state->at, stage::confirm);
}

TEST(IntakeControl, ExpiredDraftIsReportedOnTheNextMessage) {
  world w;
  w.say("建议 路灯坏了三个月", confident("roads"));
  w.now += 31 * 60;
  auto o = w.say("1");
  EXPECT_TRUE(has_key(o, keys::expired));
  EXPECT_TRUE(has_key(o, keys::expired_hint));
  EXPECT_TRUE(find_effect<draft_expired>(o));
  EXPECT_FALSE(find_effect<find_similar>(o));  // "1" must not submit a dead draft
  EXPECT_FALSE(w.state);
  EXPECT_NE(world::text(o).find("超过30分钟"), std::string::npos);
}

TEST(IntakeControl, ExpiredDraftThenANewSuggestionStartsAFreshOne) {
  world w;
  w.say("建议 路灯坏了三个月", confident("roads"));
  w.now += 2 * 3600;
  auto o = w.say("建议 村里的水井干了", confident("water"));
  EXPECT_TRUE(has_key(o, keys::expired));
  EXPECT_TRUE(has_key(o, keys::summary_header));
  EXPECT_EQ(w.state->content, "村里的水井干了");
}

TEST(IntakeControl, StateIsKeptPastExpiryForTheNotice) {
  world w;
  auto o = w.say("建议 路灯坏了三个月", confident("roads"));
  EXPECT_EQ(w.state->expires_at, w.now + 1800);
  EXPECT_EQ(o.keep_until, w.now + 1800 + 86400);
  w.now += 29 * 60;
  w.say("2");  // any turn refreshes the deadline
  EXPECT_EQ(w.state->expires_at, w.now + 1800);
}

TEST(IntakeControl, ProactiveExpiryNotice) {
  world w;
  w.say("建议 路灯坏了三个月，电话13800000000", confident("roads"));
  auto early = expire(*w.state, w.now + 60, w.cfg);
  EXPECT_FALSE(early.handled);
  auto o = expire(*w.state, w.now + 1800, w.cfg);
  EXPECT_TRUE(o.handled);
  EXPECT_TRUE(has_key(o, keys::expired));
  EXPECT_FALSE(o.state);
  world::check(o, chat_type::group);
}

TEST(IntakeControl, GroupListensOnlyWhenAddressed) {
  world w;
  auto o = w.say("今天天气真好");
  EXPECT_FALSE(o.handled);
  EXPECT_TRUE(o.reply.empty());
  o = w.say("", {}, true);  // @bot alone
  EXPECT_TRUE(has_key(o, keys::welcome));
  EXPECT_TRUE(has_key(o, keys::ask_content));
  o = w.say("村口的桥栏杆断了", confident("roads"));  // open conversation: listened to
  EXPECT_EQ(w.state->at, stage::confirm);
}

TEST(IntakeControl, WhatTheDoorMayLeaveOutIsExactlyWhatAGroupWithNoConversationIgnores) {
  // listens_unaddressed() lets the webhook drop group small talk before storing it; it must
  // never drop a message the dialogue would have answered (no state, no mention).
  const std::vector<std::string> texts{
      "今天天气真好", "吃了吗", "", "   ", "哈哈哈", "昨天隔壁村着火了", "村里路灯坏了三个月了",
      "建议 路灯坏了三个月", "建议", "反映一下，村口的桥断了", "查询", "查询 RN-20261128-0001", "帮助",
      "取消", "救命！", "着火了，快来人", "有人打架了快报警", "找代表 D0123 村里小学门口没有减速带",
      "1", "满意", "我建议大家都去看看", "帮助一下老人吧"};
  for (const auto& t : texts) {
    world w;
    auto o = w.say(t, confident("roads"));
    const bool listens = listens_unaddressed(t, w.cfg);
    if (!listens) {
      EXPECT_FALSE(o.handled) << t;
      EXPECT_TRUE(o.reply.empty()) << t;
      EXPECT_FALSE(o.state) << t;
      EXPECT_TRUE(o.effects.empty()) << t;
    }
    if (o.handled) {
      EXPECT_TRUE(listens) << t;
    }
  }
  EXPECT_FALSE(listens_unaddressed("今天天气真好", world{}.cfg));
  EXPECT_TRUE(listens_unaddressed("建议 路灯坏了三个月", world{}.cfg));
  EXPECT_TRUE(listens_unaddressed("救命！", world{}.cfg));
  EXPECT_TRUE(listens_unaddressed("找代表 D0123 村里小学门口没有减速带", world{}.cfg));
}

TEST(IntakeControl, GroupStopsNaggingAfterTwoUnrecognisedAnswers) {
  world w;
  w.say("建议 路灯坏了三个月", confident("roads"));
  EXPECT_TRUE(has_key(w.say("哈哈"), keys::invalid_choice));
  EXPECT_TRUE(has_key(w.say("吃了吗"), keys::invalid_choice));
  auto o = w.say("今天赶集去");
  EXPECT_FALSE(o.handled);
  EXPECT_TRUE(o.reply.empty());
  o = w.say("1");  // a real answer still works
  EXPECT_TRUE(find_effect<find_similar>(o));
}

TEST(IntakeControl, PrivateGreetingGetsWelcomeAndHelp) {
  world w;
  w.chat = chat_type::private_chat;
  auto o = w.say("你好😊");
  EXPECT_TRUE(has_key(o, keys::welcome));
  EXPECT_TRUE(has_key(o, keys::help_file));
  EXPECT_FALSE(w.state);
}

TEST(IntakeControl, StaleLookupResultsAreIgnoredAndAWaitIsDroppedByANewMessage) {
  world w;
  w.say("建议 路灯坏了三个月", confident("roads"));
  auto o = w.feed(submit_receipt{true, "RN-1", "王"});  // not waiting for anything
  EXPECT_FALSE(o.handled);
  w.say("1");
  EXPECT_EQ(w.state->waiting, pending::similar);
  o = w.say("2");  // the shell crashed between the phases; the resident goes on
  EXPECT_EQ(w.state->waiting, pending::none);
  EXPECT_EQ(w.state->at, stage::edit_menu);
}

// Transcripts of residents filing suggestions, in a village group and in private chat.
#include "intake_harness.hpp"
#include "workflow/intake/text.hpp"

using namespace lianxin::workflow;
using namespace lianxin::workflow::intake;
using namespace lianxin::workflow::intake::test;

namespace {

// Drives "1 提交" through the two lookups with no similar case and a receipt.
outcome submit_through(world& w, const std::string& case_id = "RN-20261128-0042") {
  auto o = w.say("1");
  if (find_effect<find_similar>(o)) o = w.feed(similar_found{});
  EXPECT_TRUE(find_effect<submit_draft>(o));
  return w.feed(submit_receipt{true, case_id, "王建国"});
}

}  // namespace

TEST(IntakeFiling, GroupResidentFilesInTwoTurns) {
  world w;
  auto o = w.say("建议：村东头路灯坏了三个月了，晚上黑得看不见路", confident("roads"));
  ASSERT_TRUE(o.handled);
  EXPECT_TRUE(has_key(o, keys::summary_header));
  EXPECT_TRUE(has_key(o, keys::confirm_menu_group));
  EXPECT_EQ(w.state->at, stage::confirm);
  EXPECT_EQ(w.state->place.name, "小寨村");  // from the group's binding

  o = w.say("1");
  auto* fs = find_effect<find_similar>(o);
  ASSERT_TRUE(fs);
  EXPECT_EQ(fs->village_id, "v-xiaozhai");
  EXPECT_EQ(fs->category_id, "roads");
  EXPECT_TRUE(o.reply.empty());
  EXPECT_EQ(w.state->waiting, pending::similar);

  o = w.feed(similar_found{});
  auto* sd = find_effect<submit_draft>(o);
  ASSERT_TRUE(sd);
  EXPECT_EQ(sd->draft.content, "村东头路灯坏了三个月了，晚上黑得看不见路");
  EXPECT_EQ(sd->draft.station_id, "st-miaoxia");
  EXPECT_EQ(sd->draft.sender_id, "u-1001");

  o = w.feed(submit_receipt{true, "RN-20261128-0042", "王建国"});
  EXPECT_EQ(world::text(o), "提交成功！编号RN-20261128-0042，已转给王建国代表，有进展会通知您。");
  EXPECT_FALSE(w.state);
  EXPECT_EQ(o.keep_until, 0);
}

TEST(IntakeFiling, PrivateMultiSlotFirstMessageGoesStraightToConfirmation) {
  world w;
  w.chat = chat_type::private_chat;
  w.binding = {};
  auto o = w.say("小寨村东头路灯坏了三个月了，电话 13800000000", confident("roads"));
  EXPECT_EQ(w.state->at, stage::confirm);
  EXPECT_EQ(w.state->content, "小寨村东头路灯坏了三个月了");
  EXPECT_EQ(w.state->place.id, "v-xiaozhai");
  EXPECT_EQ(w.state->phone, "13800000000");
  std::string shown = world::text(o);
  EXPECT_NE(shown.find("电话：138****0000"), std::string::npos) << shown;
  EXPECT_TRUE(has_key(o, keys::confirm_menu));
  o = submit_through(w);
  EXPECT_TRUE(has_key(o, keys::submitted));
}

TEST(IntakeFiling, PhoneIsNeverStoredOrEchoedInAGroup) {
  world w;
  auto o = w.say("建议 小寨村东头路灯坏了三个月了，电话 13800000000", confident("roads"));
  EXPECT_TRUE(has_key(o, keys::phone_in_group));
  EXPECT_TRUE(w.state->phone.empty());
  EXPECT_EQ(to_json(*w.state).dump().find("13800000000"), std::string::npos);
  EXPECT_EQ(world::text(o).find("13800000000"), std::string::npos);
  // A number slipped into a later supplement is masked too.
  o = w.say("补充 有事打13912345678", {}, true);
  EXPECT_EQ(world::text(o).find("13912345678"), std::string::npos) << world::text(o);
  EXPECT_EQ(w.state->content.find("13912345678"), std::string::npos);
}

TEST(IntakeFiling, PrivateChatAsksForContactThenConfirms) {
  world w;
  w.chat = chat_type::private_chat;
  auto o = w.say("我们组的自来水一个星期没来了", confident("water"));
  EXPECT_EQ(w.state->at, stage::ask_contact);
  o = w.say("１３９ １２３４ ５６７８");
  EXPECT_EQ(w.state->phone, "13912345678");
  EXPECT_EQ(w.state->at, stage::confirm);
  o = submit_through(w);
  EXPECT_TRUE(has_key(o, keys::submitted));
}

TEST(IntakeFiling, ContactCanBeSkippedWithZeroOrWords) {
  for (const char* skip : {"0", "０", "不留", "不用了"}) {
    world w;
    w.chat = chat_type::private_chat;
    w.say("村里垃圾好久没人清了，臭得很", confident("sanitation"));
    auto o = w.say(skip);
    EXPECT_EQ(w.state->at, stage::confirm) << skip;
    EXPECT_TRUE(has_key(o, keys::summary_no_phone)) << skip;
  }
}

TEST(IntakeFiling, ContactRejectsANonPhone) {
  world w;
  w.chat = chat_type::private_chat;
  w.say("村里垃圾好久没人清了，臭得很", confident("sanitation"));
  auto o = w.say("12345");
  EXPECT_TRUE(has_key(o, keys::contact_invalid));
  EXPECT_EQ(w.state->at, stage::ask_contact);
}

TEST(IntakeFiling, LowConfidenceOffersTopThreePlusOther) {
  world w;
  auto o = w.say("建议 今年浇地的水渠堵了，麦子快旱死了",
                 unsure({{"water", 0.4}, {"farming", 0.35}, {"power", 0.1}, {"roads", 0.05}}));
  EXPECT_EQ(w.state->at, stage::choose_category);
  ASSERT_EQ(w.state->menu.size(), 4u);
  EXPECT_EQ(w.state->menu.back(), "other");
  EXPECT_NE(world::text(o).find("4．其他"), std::string::npos) << world::text(o);
  o = w.say("２");
  EXPECT_EQ(w.state->category_id, "farming");
  EXPECT_EQ(w.state->at, stage::confirm);
}

TEST(IntakeFiling, CategoryCanBeChosenByName) {
  world w;
  w.say("建议 今年浇地的水渠堵了", unsure({{"water", 0.4}, {"farming", 0.35}}));
  w.say("灌溉");
  EXPECT_EQ(w.state->category_id, "water");
}

TEST(IntakeFiling, NothingMatchedFilesUnderOtherWithoutAMenu) {
  world w;
  w.say("建议 村委会的公告栏字太小了，老人看不清");
  EXPECT_EQ(w.state->category_id, "other");
  EXPECT_EQ(w.state->at, stage::confirm);
}

TEST(IntakeFiling, UnboundGroupAsksForThePlace) {
  world w;
  w.binding = {};
  auto o = w.say("建议 路口的红绿灯坏了", confident("roads"));
  EXPECT_EQ(w.state->at, stage::ask_place);
  o = w.say("镇上中学门口");
  EXPECT_EQ(w.state->place.name, "镇上中学门口");
  EXPECT_TRUE(w.state->place.id.empty());
  // No village id: nothing to compare with, so it is submitted directly.
  o = w.say("1");
  EXPECT_FALSE(find_effect<find_similar>(o));
  EXPECT_TRUE(find_effect<submit_draft>(o));
}

TEST(IntakeFiling, TextNamingAnotherVillageAsksWhichOne) {
  world w;
  auto o = w.say("建议 大王庄村那边的桥塌了一半", confident("roads"));
  EXPECT_EQ(w.state->at, stage::confirm_place);
  EXPECT_NE(world::text(o).find("您说的是大王庄村的事吗？本群是小寨村的群。"), std::string::npos);
  w.say("一");
  EXPECT_EQ(w.state->place.id, "v-dawang");
  EXPECT_EQ(w.state->at, stage::confirm);
}

TEST(IntakeFiling, BareTriggerWordAsksForTheContent) {
  world w;
  auto o = w.say("反映");
  EXPECT_TRUE(has_key(o, keys::ask_content));
  o = w.say("路灯坏了", confident("roads"));  // no trigger, but the conversation is open
  EXPECT_EQ(w.state->at, stage::confirm);
}

TEST(IntakeFiling, TooShortContentIsAskedAgain) {
  world w;
  auto o = w.say("建议 灯", confident("roads"));
  EXPECT_TRUE(has_key(o, keys::ask_content_more));
  EXPECT_EQ(w.state->at, stage::ask_content);
}

TEST(IntakeFiling, PhotosAreKeptAsAttachments) {
  world w;
  auto o = w.say("建议", {}, false, {"img-1"});
  EXPECT_TRUE(has_key(o, keys::ask_content_photo));
  o = w.say("路边的垃圾堆了半个月", confident("sanitation"), false, {"img-2"});
  EXPECT_EQ(w.state->photos, (std::vector<std::string>{"img-1", "img-2"}));
  EXPECT_NE(world::text(o).find("照片：2张"), std::string::npos);
  o = w.say("", {}, false, {"img-3"});
  EXPECT_TRUE(has_key(o, keys::photos_received));
  EXPECT_EQ(w.state->photos.size(), 3u);
}

TEST(IntakeFiling, OverLongTextIsTruncatedOnACodePoint) {
  world w;
  std::string longtext;
  for (int i = 0; i < 120; ++i) longtext += "路灯坏了😊";
  auto o = w.say("建议 " + longtext, confident("roads"));
  EXPECT_TRUE(has_key(o, keys::truncated));
  EXPECT_EQ(text::code_points(w.state->content), 500u);
  EXPECT_TRUE(nlohmann::json::accept(to_json(*w.state).dump()));
}

TEST(IntakeFiling, CqRemnantsAndBidiControlsAreCleaned) {
  world w;
  auto o = w.say("[CQ:reply,id=77][CQ:at,qq=10000] 建议\u202E [CQ:face,id=178]路灯坏了好几天", confident("roads"),
                 true);
  EXPECT_EQ(w.state->content, "路灯坏了好几天");
}

TEST(IntakeFiling, FullWidthAndChineseDigitsConfirm) {
  for (const char* yes : {"1", "１", "一", "①", " 1 !!", "提交", "好的"}) {
    world w;
    w.say("建议 路灯坏了三个月", confident("roads"));
    auto o = w.say(yes);
    EXPECT_TRUE(find_effect<find_similar>(o)) << yes;
  }
}

TEST(IntakeFiling, SubmitFailureKeepsTheDraft) {
  world w;
  w.say("建议 路灯坏了三个月", confident("roads"));
  w.say("1");
  w.feed(similar_found{});
  auto o = w.feed(submit_receipt{false, "", ""});
  EXPECT_TRUE(has_key(o, keys::submit_failed));
  EXPECT_EQ(w.state->at, stage::confirm);
  o = submit_through(w);
  EXPECT_TRUE(has_key(o, keys::submitted));
}

TEST(IntakeFiling, SubmittedToAStationWhenNoDeputyIsNamed) {
  world w;
  w.say("建议 路灯坏了三个月", confident("roads"));
  w.say("1");
  w.feed(similar_found{});
  auto o = w.feed(submit_receipt{true, "RN-20261128-0043", ""});
  EXPECT_TRUE(has_key(o, keys::submitted_station));
}

TEST(IntakeFiling, PrivateResidentCanSupplementAtConfirmation) {
  world w;
  w.chat = chat_type::private_chat;
  w.say("村里路灯坏了三个月，电话13800000000", confident("roads"));
  auto o = w.say("还有村口那段路也坑坑洼洼的");
  EXPECT_TRUE(has_key(o, keys::supplemented));
  EXPECT_EQ(w.state->content, "村里路灯坏了三个月；村口那段路也坑坑洼洼的");
}

TEST(IntakeFiling, TheSameWordsSentAgainAreNotAddedTwice) {
  world w;
  w.say("建议 村东头路灯坏了三个月了，晚上走路看不见", confident("roads"), true);
  ASSERT_EQ(w.state->at, stage::confirm);
  const std::string before = w.state->content;
  // Sent again, with the opening word in front, and once more with other punctuation.
  for (const char* again : {"建议 村东头路灯坏了三个月了，晚上走路看不见", "村东头路灯坏了三个月了 晚上走路看不见！"}) {
    auto o = w.say(again, {}, true);
    EXPECT_TRUE(has_key(o, keys::already_noted)) << world::text(o);
    EXPECT_FALSE(has_key(o, keys::supplemented));
    EXPECT_FALSE(has_key(o, keys::summary_content)) << "no need to show the whole summary again";
    EXPECT_TRUE(has_key(o, keys::confirm_menu_group));
    EXPECT_EQ(w.state->content, before);
    EXPECT_EQ(w.state->at, stage::confirm);
  }
  // Something new is still added, and "补充" with old words is recognised too.
  auto o = w.say("补充 村西头也有两个不亮", {}, true);
  EXPECT_TRUE(has_key(o, keys::supplemented));
  EXPECT_EQ(w.state->content, before + "；村西头也有两个不亮");
  o = w.say("补充 村西头也有两个不亮", {}, true);
  EXPECT_TRUE(has_key(o, keys::already_noted));
  EXPECT_EQ(w.state->content, before + "；村西头也有两个不亮");
}

TEST(IntakeFiling, PrivateRepeatGetsThePrivateMenu) {
  world w;
  w.chat = chat_type::private_chat;
  w.say("村里路灯坏了三个月，电话13800000000", confident("roads"));
  ASSERT_EQ(w.state->at, stage::confirm);
  auto o = w.say("村里路灯坏了三个月");
  EXPECT_TRUE(has_key(o, keys::already_noted));
  EXPECT_TRUE(has_key(o, keys::confirm_menu));
  EXPECT_EQ(w.state->content, "村里路灯坏了三个月");
}

TEST(IntakeFiling, TheOpeningMessageSentAgainIsNotTakenAsAnAnswer) {
  world w;
  // No village bound and none named: the bot asks where.
  w.binding = {};
  w.say("建议 路灯坏了三个月了，晚上走路看不见", confident("roads"), true);
  ASSERT_EQ(w.state->at, stage::ask_place);
  auto o = w.say("建议 路灯坏了三个月了，晚上走路看不见", {}, true);
  EXPECT_TRUE(has_key(o, keys::already_noted)) << world::text(o);
  EXPECT_TRUE(has_key(o, keys::ask_place));
  EXPECT_EQ(w.state->at, stage::ask_place);
  EXPECT_TRUE(w.state->place.empty());
  // A place that the content happens to mention is still a place.
  o = w.say("路灯", {}, true);
  EXPECT_EQ(w.state->place.name, "路灯");
  EXPECT_EQ(w.state->at, stage::confirm);
}

TEST(IntakeFiling, AGroupSummaryShowsTheBeginningOfALongContentAndItsLength) {
  std::string longer;
  for (int i = 0; i < 12; ++i) longer += "村东头的路灯坏了三个月，晚上走路看不见。";  // 20 characters each
  world w;
  w.cfg.group_summary_chars = 50;
  auto o = w.say("建议 " + longer, confident("roads"), true);
  ASSERT_EQ(w.state->at, stage::confirm);
  EXPECT_FALSE(has_key(o, keys::summary_content));
  ASSERT_TRUE(has_key(o, keys::summary_content_long)) << world::text(o);
  for (const auto& m : o.reply) {
    if (m.key != keys::summary_content_long) continue;
    EXPECT_EQ(m.params.at("count"), "240");
    EXPECT_EQ(text::code_points(m.params.at("content")), 50u);
  }
  EXPECT_EQ(text::code_points(w.state->content), 240u) << "only the summary is shortened";
  // In private chat the resident sees all of it.
  world p;
  p.chat = chat_type::private_chat;
  p.cfg.group_summary_chars = 50;
  o = p.say(longer + "电话13800000000", confident("roads"));
  ASSERT_EQ(p.state->at, stage::confirm) << world::text(o);
  EXPECT_TRUE(has_key(o, keys::summary_content));
  o = p.say("补充 还有村西头");
  EXPECT_TRUE(has_key(o, keys::summary_content));
  EXPECT_FALSE(has_key(o, keys::summary_content_long));
}

TEST(IntakeFiling, NothingIsSaidToBeAddedWhenTheContentIsFull) {
  world w;
  w.cfg.max_text_chars = 40;
  w.say("建议 村东头的路灯坏了三个月，晚上走路看不见，老人小孩都不敢出门", confident("roads"), true);
  ASSERT_EQ(w.state->at, stage::confirm);
  // The last bit that fits is added and cut, with both notices.
  auto o = w.say("补充 村西头也有两个路灯不亮", {}, true);
  EXPECT_TRUE(has_key(o, keys::truncated));
  EXPECT_TRUE(has_key(o, keys::supplemented));
  ASSERT_EQ(text::code_points(w.state->content), 40u);
  const std::string full = w.state->content;
  // Now nothing fits: no "added", the content stays, the menu is shown again.
  o = w.say("补充 桥头那盏也坏了", {}, true);
  EXPECT_TRUE(has_key(o, keys::content_full)) << world::text(o);
  EXPECT_FALSE(has_key(o, keys::supplemented));
  EXPECT_FALSE(has_key(o, keys::summary_content));
  EXPECT_TRUE(has_key(o, keys::confirm_menu_group));
  EXPECT_EQ(w.state->content, full);
  EXPECT_EQ(w.state->at, stage::confirm);
}

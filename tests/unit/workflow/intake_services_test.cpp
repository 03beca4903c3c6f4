// Transcripts of everything around filing: emergencies, out-of-scope matters, queries, help,
// joining a similar case, and conversations addressed to a deputy by QR code or code.
#include "intake_harness.hpp"

using namespace lianxin::workflow;
using namespace lianxin::workflow::intake;
using namespace lianxin::workflow::intake::test;

TEST(IntakeRedirect, EmergenciesGetThePhoneNumbersAtOnceAndNothingIsFiled) {
  struct row { const char* text; std::string_view key; };
  for (auto r : std::vector<row>{{"求助 我家后院着火了！！", keys::emergency_fire},
                                 {"救命啊 我爸晕倒了", keys::emergency_medical},
                                 {"建议 有人抢劫小卖部", keys::emergency_police}}) {
    world w;
    auto o = w.say(r.text, confident("other"));
    EXPECT_TRUE(has_key(o, r.key)) << r.text;
    EXPECT_TRUE(has_key(o, keys::emergency_note)) << r.text;
    EXPECT_TRUE(o.effects.empty()) << r.text;
    EXPECT_FALSE(w.state) << r.text;
  }
}

TEST(IntakeRedirect, EmergencyInTheMiddleOfADraftKeepsTheDraft) {
  world w;
  w.chat = chat_type::private_chat;
  w.say("村里路灯坏了三个月", confident("roads"));
  auto o = w.say("隔壁着火了");
  EXPECT_TRUE(has_key(o, keys::emergency_fire));
  ASSERT_TRUE(w.state);
  EXPECT_EQ(w.state->content, "村里路灯坏了三个月");
}

TEST(IntakeRedirect, PhrasesThatOnlyLookLikeEmergenciesAreFiled) {
  world w;
  auto o = w.say("建议 养老金是老人的救命钱，这个月还没发", confident("pension"));
  EXPECT_FALSE(has_key(o, keys::emergency_medical));
  EXPECT_EQ(w.state->at, stage::confirm);
}

TEST(IntakeRedirect, PetitionsAndCourtMattersGetTheStandardRedirect) {
  world w;
  auto o = w.say("反映 我的信访件三年了没人管");
  EXPECT_TRUE(has_key(o, keys::redirect_petition));
  EXPECT_FALSE(w.state);
  o = w.say("咨询 邻居占我宅基地，法院已经判决了还不执行");
  EXPECT_TRUE(has_key(o, keys::redirect_court));
  EXPECT_FALSE(w.state);
  EXPECT_TRUE(o.effects.empty());
}

TEST(IntakeQuery, ListsTheResidentsCases) {
  world w;
  auto o = w.say("查询");
  auto* q = find_effect<query_cases>(o);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->sender_id, "u-1001");
  EXPECT_EQ(w.state->waiting, pending::cases);
  o = w.feed(cases_found{{{"RN-20261128-0042", "已交办", "村东头路灯坏了三个月，电话13800000000"},
                          {"RN-20261101-0003", "已办结", "水渠堵了"}}});
  std::string shown = world::text(o);
  EXPECT_NE(shown.find("1．RN-20261128-0042｜已交办｜"), std::string::npos) << shown;
  EXPECT_EQ(shown.find("13800000000"), std::string::npos);  // summaries are masked in groups
  EXPECT_FALSE(w.state);
}

TEST(IntakeQuery, NoCases) {
  world w;
  w.say("查询");
  auto o = w.feed(cases_found{});
  EXPECT_TRUE(has_key(o, keys::query_none));
}

TEST(IntakeQuery, OneCaseByNumberInAnyForm) {
  world w;
  auto o = w.say("查询 ｒｎ－２０２６１１２８－００４２");
  auto* q = find_effect<query_case>(o);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->case_id, "RN-20261128-0042");
  o = w.feed(case_detail_found{"RN-20261128-0042",
                               case_brief{"RN-20261128-0042", "已交办到镇供电所", "路灯坏了"}});
  EXPECT_EQ(world::text(o), "RN-20261128-0042：已交办到镇供电所。内容：路灯坏了");
}

TEST(IntakeQuery, UnknownCaseNumber) {
  world w;
  w.chat = chat_type::private_chat;
  w.say("RN-20261128-9999");  // a bare number in private chat is a query
  auto o = w.feed(case_detail_found{"RN-20261128-9999", std::nullopt});
  EXPECT_TRUE(has_key(o, keys::query_not_found));
}

TEST(IntakeQuery, QueryInTheMiddleOfADraftResumesIt) {
  world w;
  w.say("建议 路灯坏了三个月", confident("roads"));
  w.say("查询");
  auto o = w.feed(cases_found{});
  EXPECT_TRUE(has_key(o, keys::resume));
  EXPECT_TRUE(has_key(o, keys::confirm_menu_group));
  EXPECT_EQ(w.state->at, stage::confirm);
}

TEST(IntakeHelp, ThreeLinesAndTheDraftResumes) {
  world w;
  auto o = w.say("帮助");
  ASSERT_EQ(o.reply.size(), 3u);
  EXPECT_FALSE(w.state);
  w.say("建议 路灯坏了三个月", confident("roads"));
  o = w.say("帮助");
  EXPECT_TRUE(has_key(o, keys::help_change));
  EXPECT_TRUE(has_key(o, keys::resume));
  EXPECT_EQ(w.state->at, stage::confirm);
}

TEST(IntakeSimilar, ResidentJoinsAnExistingCase) {
  world w;
  w.say("建议 村东头路灯又不亮了", confident("roads"), false, {"img-9"});
  w.say("1");
  auto o = w.feed(similar_found{{{"RN-20261120-0007", "村东头路灯不亮，晚上看不见", 0.82},
                                 {"RN-20261002-0001", "村西头路灯闪", 0.31}}});
  EXPECT_EQ(w.state->at, stage::choose_similar);
  ASSERT_EQ(w.state->similar.size(), 1u);  // below the threshold is not offered
  EXPECT_TRUE(has_key(o, keys::similar_menu));
  o = w.say("①");
  auto* j = find_effect<join_case>(o);
  ASSERT_TRUE(j);
  EXPECT_EQ(j->case_id, "RN-20261120-0007");
  EXPECT_EQ(j->photos, std::vector<std::string>{"img-9"});
  EXPECT_EQ(world::text(o), "好的，已把您加到RN-20261120-0007，有进展会通知您。");
  EXPECT_FALSE(w.state);
}

TEST(IntakeSimilar, ResidentFilesANewCaseInstead) {
  world w;
  w.say("建议 村东头路灯又不亮了", confident("roads"));
  w.say("1");
  w.feed(similar_found{{{"RN-20261120-0007", "村东头路灯不亮", 0.9}}});
  auto o = w.say("0");
  EXPECT_TRUE(find_effect<submit_draft>(o));
  o = w.feed(submit_receipt{true, "RN-20261128-0050", "李秀英"});
  EXPECT_TRUE(has_key(o, keys::submitted));
}

TEST(IntakeDeputy, QrScanAddressesTheConversation) {
  world w;
  w.chat = chat_type::private_chat;
  turn_input in = w.input("");
  in.deputy = deputy_slot{"D0123", "王建国"};
  auto o = w.run(in);
  EXPECT_EQ(world::text(o), "您好，您正在给王建国代表留言。请说说您要反映的问题。");
  o = w.say("村里小学门口没有减速带，娃们过马路危险，电话13800000000", confident("roads"));
  EXPECT_NE(world::text(o).find("转给：王建国代表"), std::string::npos);
  w.say("1");
  o = w.feed(similar_found{});
  auto* sd = find_effect<submit_draft>(o);
  ASSERT_TRUE(sd);
  EXPECT_EQ(sd->draft.deputy_code, "D0123");
  EXPECT_EQ(sd->draft.phone, "13800000000");
}

TEST(IntakeDeputy, DeputyCodeInAMessageIsResolvedThenFiled) {
  world w;
  auto o = w.say("找代表 D0123 村里小学门口没有减速带", confident("roads"));
  auto* r = find_effect<resolve_deputy>(o);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->code, "D0123");
  EXPECT_EQ(w.state->waiting, pending::deputy);
  o = w.feed(deputy_found{"D0123", "王建国"});
  EXPECT_NE(world::text(o).find("转给：王建国代表"), std::string::npos) << world::text(o);
  w.say("1");
  o = w.feed(similar_found{});
  auto* sd = find_effect<submit_draft>(o);
  ASSERT_TRUE(sd);
  EXPECT_EQ(sd->draft.deputy_code, "D0123");
  EXPECT_EQ(sd->draft.content, "村里小学门口没有减速带");
}

TEST(IntakeDeputy, UnknownDeputyCode) {
  world w;
  w.say("找代表 D9999");
  auto o = w.feed(deputy_found{"D9999", std::nullopt});
  EXPECT_TRUE(has_key(o, keys::deputy_not_found));
  EXPECT_FALSE(w.state);
}

#include <gtest/gtest.h>

#include "workflow/intake/state.hpp"
#include "workflow/intake/text.hpp"

namespace text = lianxin::workflow::intake::text;
using namespace lianxin::workflow::intake;

TEST(IntakeText, NormalizeStripsCqCodesBidiAndFullWidthDigits) {
  EXPECT_EQ(text::normalize("[CQ:at,qq=10000] 建议[CQ:face,id=178]路灯坏了"), "建议路灯坏了");
  EXPECT_EQ(text::normalize("路灯\u202E坏了\u200B　　３个月"), "路灯坏了 3个月");
  EXPECT_EQ(text::normalize("建议 路灯[CQ:image,file=abc"), "建议 路灯");
  EXPECT_EQ(text::normalize("&#91;急&#93; 路灯"), "[急] 路灯");
  EXPECT_EQ(text::normalize("  好的，谢谢！ "), "好的，谢谢！");  // full-width punctuation kept
}

TEST(IntakeText, CompactDropsEmojiPunctuationAndSpaces) {
  EXPECT_EQ(text::compact("取 消！！😊"), "取消");
  EXPECT_EQ(text::collapse_repeats(text::compact("好好好好")), "好");
}

TEST(IntakeText, ParseChoiceAcceptsEveryWayOfWritingADigit) {
  struct row { const char* in; int max; std::optional<int> want; };
  for (auto r : std::vector<row>{{"1", 3, 1},       {"１", 3, 1},     {"一", 3, 1},
                                 {"①", 3, 1},      {"第一个", 3, 1}, {"选2", 3, 2},
                                 {"2号", 3, 2},     {" 3 ！", 3, 3},  {"11", 3, 1},
                                 {"11", 12, 11},    {"十二", 12, 12}, {"零", 3, 0},
                                 {"1️⃣", 3, 1},     {"4", 3, std::nullopt},
                                 {"好的", 3, std::nullopt}, {"路灯坏了", 3, std::nullopt},
                                 {"[CQ:face,id=1]2", 3, 2}}) {
    EXPECT_EQ(text::parse_choice(r.in, r.max), r.want) << r.in;
  }
}

TEST(IntakeText, TruncateNeverSplitsACodePoint) {
  bool cut = false;
  EXPECT_EQ(text::truncate("路灯坏了", 2, cut), "路灯");
  EXPECT_TRUE(cut);
  EXPECT_EQ(text::truncate("路灯", 5, cut), "路灯");
  EXPECT_FALSE(cut);
  EXPECT_EQ(text::code_points("a路😊"), 3u);
}

TEST(IntakeText, CommandsAreShortNotSentencesStartingWithTheWord) {
  EXPECT_TRUE(text::is_command(text::compact("取消！"), "取消"));
  EXPECT_TRUE(text::is_command(text::compact("取消了吧"), "取消"));
  EXPECT_TRUE(text::is_command(text::compact("取消取消取消"), "取消") == false);
  EXPECT_FALSE(text::is_command(text::compact("取消低保资格不公平"), "取消"));
}

TEST(IntakeText, FindsPhoneWithLabelAndCutsIt) {
  std::string s = text::normalize("小寨村东头路灯坏了三个月了，电话 138 0000 0000");
  auto m = text::find_phone(s);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->digits, "13800000000");
  EXPECT_EQ(text::cut(s, m->begin, m->end), "小寨村东头路灯坏了三个月了");
  EXPECT_EQ(text::find_phone("手机号是+86 13912345678，谢谢")->digits, "13912345678");
  EXPECT_FALSE(text::find_phone("路灯坏了3个月，12345也打过"));
  EXPECT_FALSE(text::find_phone("RN-20261128-0042"));
}

TEST(IntakeText, FindsCaseNumbersInAnyForm) {
  EXPECT_EQ(text::find_case_number("RN-20261128-0042"), "RN-20261128-0042");
  EXPECT_EQ(text::find_case_number(text::normalize("ｒｎ２０２６１１２８００４２")),
            "RN-20261128-0042");
  EXPECT_EQ(text::find_case_number("查一下 rn 20261128 0042 谢谢"), "RN-20261128-0042");
  EXPECT_FALSE(text::find_case_number("RN-2026112-0042"));
}

TEST(IntakeText, FindsDeputyRequests) {
  auto r = text::find_deputy_request("找代表 D0123 村里路灯坏了");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->code, "D0123");
  EXPECT_EQ(r->rest, "村里路灯坏了");
  EXPECT_EQ(text::find_deputy_request("找代表d0456")->code, "D0456");
  EXPECT_FALSE(text::find_deputy_request("D0123"));  // no 代表: not a request
  EXPECT_FALSE(text::find_deputy_request("找代表 ID01234567"));
}

TEST(IntakeState, RoundTripsAndRejectsUnknownVersions) {
  conversation_state s;
  s.chat = chat_type::private_chat;
  s.at = stage::confirm;
  s.content = "路灯坏了";
  s.category_id = "roads";
  s.place = {"v-xiaozhai", "小寨村"};
  s.phone = "13800000000";
  s.deputy = deputy_slot{"D0123", "王建国"};
  s.back = {stage::ask_content, stage::ask_contact};
  s.expires_at = 42;
  auto j = to_json(s);
  auto r = state_from_json(j);
  ASSERT_TRUE(r.state);
  EXPECT_EQ(to_json(*r.state), j);

  j["v"] = 99;
  EXPECT_EQ(state_from_json(j).error, state_error::unknown_version);
  EXPECT_EQ(state_from_json(nlohmann::json::parse(R"({"v":1,"step":"flying"})")).error,
            state_error::malformed);
  EXPECT_EQ(state_from_json(nlohmann::json::parse(R"({"v":1,"content":5})")).error,
            state_error::malformed);
  EXPECT_EQ(state_from_json(nlohmann::json::array()).error, state_error::malformed);
}

#include "workflow/privacy.hpp"

#include <gtest/gtest.h>

using lianxin::privacy::contains_pii;
using lianxin::privacy::mask_pii;

TEST(Privacy, MasksPlainMobile) {
  EXPECT_EQ(mask_pii("电话13812345678谢谢"), "电话138****5678谢谢");
}

TEST(Privacy, MasksSeparatedAndPrefixedMobiles) {
  EXPECT_EQ(mask_pii("+86 138-1234-5678"), "138****5678");
  EXPECT_EQ(mask_pii("打 138 1234 5678 找我"), "打 138****5678 找我");
  EXPECT_EQ(mask_pii("8613812345678"), "138****5678");
}

TEST(Privacy, MasksFullWidthDigits) {
  EXPECT_EQ(mask_pii("１３８１２３４５６７８"), "138****5678");
}

TEST(Privacy, MasksIdNumbers) {
  EXPECT_EQ(mask_pii("身份证110101199003071234"), "身份证1101**********1234");
  EXPECT_EQ(mask_pii("11010119900307123X"), "1101**********123X");
  EXPECT_EQ(mask_pii("110101900307123"), "1101*******7123");
}

TEST(Privacy, LeavesOtherNumbersAlone) {
  for (const char* s : {"RN-20261128-0042", "路灯坏了3个月", "2026年11月28日", "12345热线",
                        "23812345678", "1381234567", "138123456789"}) {
    EXPECT_EQ(mask_pii(s), s) << s;
    EXPECT_FALSE(contains_pii(s)) << s;
  }
}

TEST(Privacy, MasksEveryOccurrenceAndKeepsText) {
  EXPECT_EQ(mask_pii("a13800000000b13900000000c"), "a138****0000b139****0000c");
  EXPECT_TRUE(contains_pii("x 13800000000"));
  EXPECT_EQ(mask_pii(""), "");
}

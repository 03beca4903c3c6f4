// The similar-case and concentrated-problem checks look at the most recent open cases only.
#include "bot/flow/filing.hpp"

#include <gtest/gtest.h>

namespace lianxin::flow {
namespace {

TEST(NewestNumbers, KeepsTheMostRecentByDateThenSequenceEvenPast9999) {
  std::vector<std::string> in{"RN-20261128-9999", "RN-20261129-0002", "RN-20261129-10000", "RN-20261127-50000",
                              "RN-20261129-9999", "RN-20261129-0001"};
  auto out = newest_numbers(in, 3);
  EXPECT_EQ(out, (std::vector<std::string>{"RN-20261129-10000", "RN-20261129-9999", "RN-20261129-0002"}));
  EXPECT_EQ(newest_numbers(in, 10).size(), in.size());  // under the bound: all, untouched
  EXPECT_TRUE(newest_numbers({}, 3).empty());
}

TEST(NewestNumbers, AnUnreadableNumberCountsAsOldest) {
  auto out = newest_numbers({"garbage", "RN-20261129-0001", "RN-20200101-0001"}, 2);
  EXPECT_EQ(out, (std::vector<std::string>{"RN-20261129-0001", "RN-20200101-0001"}));
}

}  // namespace
}  // namespace lianxin::flow

// When a held group bulletin may go out: after the merge window, never inside quiet hours.
#include "bot/flow/notifier.hpp"

#include <gtest/gtest.h>

using lianxin::flow::bulletin_due_ms;
using lianxin::flow::notifier_options;

namespace {
// Unix ms of 2026-11-30 (a Monday) at hh:mm China time.
std::int64_t cst(int hh, int mm) {
  constexpr std::int64_t midnight_utc = 1796000000LL - (1796000000LL % 86400);  // some UTC midnight
  return (midnight_utc + hh * 3600 + mm * 60 - 8 * 3600) * 1000;
}
}  // namespace

TEST(NotifySchedule, MergeWindowOutsideQuietHours) {
  notifier_options o;
  o.group_merge_seconds = 60;
  EXPECT_EQ(bulletin_due_ms(cst(10, 0), o), cst(10, 1));
}

TEST(NotifySchedule, QuietHoursAcrossMidnightWaitForTheMorning) {
  notifier_options o;
  o.group_merge_seconds = 60;
  o.quiet_from_min = 22 * 60;
  o.quiet_to_min = 7 * 60;
  EXPECT_EQ(bulletin_due_ms(cst(23, 30), o), cst(7, 0) + 86'400'000) << "late evening → next morning";
  EXPECT_EQ(bulletin_due_ms(cst(3, 0), o), cst(7, 0)) << "small hours → this morning";
  EXPECT_EQ(bulletin_due_ms(cst(21, 59), o), cst(7, 0) + 86'400'000) << "the window ends inside quiet hours";
  EXPECT_EQ(bulletin_due_ms(cst(7, 0), o), cst(7, 1));
}

TEST(NotifySchedule, DaytimeQuietHoursAndNone) {
  notifier_options o;
  o.group_merge_seconds = 0;
  o.quiet_from_min = 12 * 60;
  o.quiet_to_min = 14 * 60;  // a siesta
  EXPECT_EQ(bulletin_due_ms(cst(13, 0), o), cst(14, 0));
  EXPECT_EQ(bulletin_due_ms(cst(14, 0), o), cst(14, 0));
  o.quiet_from_min = o.quiet_to_min = 0;
  EXPECT_EQ(bulletin_due_ms(cst(3, 0), o), cst(3, 0));
}

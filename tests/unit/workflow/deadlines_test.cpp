#include "workflow/deadlines.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "workflow_fixture.hpp"

namespace lianxin::workflow {
namespace {
using test::D;

TEST(Deadlines, DefaultsPerClassAndHandling) {
  const deadline_table t;
  EXPECT_EQ(t.policy(handling_class::normal, "urgent").working_days, 3);
  EXPECT_EQ(t.policy(handling_class::normal, "standard").working_days, 7);
  EXPECT_EQ(t.policy(handling_class::normal, "complex").working_days, 15);
  EXPECT_EQ(t.policy(handling_class::normal, "unknown-class").working_days, 7);
  EXPECT_EQ(t.policy(handling_class::immediate, "complex").working_days, 2);
  EXPECT_EQ(t.policy(handling_class::key_supervision, "urgent").working_days, 20);
}

TEST(Deadlines, ComputeAcrossNationalDay2026) {
  const auto cal = test::make_calendar();
  const deadline_table t;
  // Assigned Wed Sep 23 2026 15:00, standard 7 wd: 24 | Mid-Autumn 25–27 | 28, 29, 30 |
  // National Day Oct 1–7 | 8, 9, 10 (Sat make-up) → due 24:00 Sat Oct 10.
  const auto times = t.compute(cal, local_to_unix(D(2026, 9, 23), 15), t.policy(handling_class::normal, "standard"));
  EXPECT_EQ(times.deadline_at, local_to_unix(D(2026, 10, 11)));
  EXPECT_EQ(times.remind_at, local_to_unix(D(2026, 10, 9), 9));
  EXPECT_EQ(times.supervise_at, local_to_unix(D(2026, 10, 12), 9));
  EXPECT_EQ(times.escalate_at, local_to_unix(D(2026, 10, 15), 9));  // 3 overdue wd: 12, 13, 14
}

TEST(Deadlines, ComputeAcrossSpringFestival2026) {
  const auto cal = test::make_calendar();
  const deadline_table t;
  // Assigned Thu Feb 12 2026, complex 15 wd: 13, 14, 24, 25, 26, 27, 28 (Sat make-up),
  // Mar 2, 3, 4, 5, 6, 9, 10, 11 → due 24:00 Wed Mar 11.
  const auto times = t.compute(cal, local_to_unix(D(2026, 2, 12), 11), t.policy(handling_class::normal, "complex"));
  EXPECT_EQ(times.deadline_at, local_to_unix(D(2026, 3, 12)));
  EXPECT_EQ(times.remind_at, local_to_unix(D(2026, 3, 9), 9));
}

TEST(Deadlines, ReminderNeverInThePast) {
  const auto cal = test::make_calendar();
  const deadline_table t;
  const auto now = local_to_unix(D(2026, 3, 2), 17);
  const auto times = t.compute(cal, now, t.policy(handling_class::immediate, ""));
  EXPECT_GE(times.remind_at, now);
  EXPECT_EQ(times.deadline_at, local_to_unix(D(2026, 3, 5)));
}

TEST(Deadlines, JsonOverridesAndErrors) {
  auto t = deadline_table::from_json(nlohmann::json::parse(
      R"({"office_hour": 8, "normal": {"standard": {"working_days": 10}}, "immediate": {"*": {"working_days": 1, "reminder_before_working_days": 0}}})"));
  ASSERT_TRUE(t.ok()) << t.err().message;
  EXPECT_EQ(t->office_hour(), 8);
  EXPECT_EQ(t->policy(handling_class::normal, "standard").working_days, 10);
  EXPECT_EQ(t->policy(handling_class::normal, "standard").reminder_before_working_days, 1);  // kept default
  EXPECT_EQ(t->policy(handling_class::immediate, "x").working_days, 1);
  auto again = deadline_table::from_json(t->to_json());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->to_json(), t->to_json());

  auto bad = deadline_table::from_json(nlohmann::json::parse(R"({"normal": {"urgent": {"working_days": 0}}})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.err().message, "deadlines.normal.urgent.working_days: want an integer 1..365");
  bad = deadline_table::from_json(nlohmann::json::parse(R"({"normal": {"urgent": {"reminder_before_working_days": 3}}})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.err().message, "deadlines.normal.urgent.reminder_before_working_days: must be less than working_days");
}

}  // namespace
}  // namespace lianxin::workflow

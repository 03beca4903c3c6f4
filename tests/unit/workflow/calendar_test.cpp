#include "workflow/calendar.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "workflow_fixture.hpp"

namespace lianxin::workflow {
namespace {
using test::D;

TEST(CivilDate, RoundTripsAndWeekdays) {
  EXPECT_EQ(days_from_civil(D(1970, 1, 1)), 0);
  EXPECT_EQ(civil_from_days(days_from_civil(D(2026, 2, 28))), D(2026, 2, 28));
  EXPECT_EQ(add_days(D(2024, 2, 28), 1), D(2024, 2, 29));
  EXPECT_EQ(add_days(D(2025, 12, 31), 1), D(2026, 1, 1));
  EXPECT_EQ(iso_weekday(D(2026, 2, 14)), 6);  // Saturday
  EXPECT_EQ(iso_weekday(D(2026, 1, 4)), 7);   // Sunday
  EXPECT_EQ(iso_weekday(D(2026, 11, 30)), 1);
  EXPECT_FALSE(valid_date(D(2026, 2, 29)));
  EXPECT_EQ(parse_date("2026-02-15"), D(2026, 2, 15));
  EXPECT_FALSE(parse_date("2026-2-15"));
  EXPECT_FALSE(parse_date("2026-02-30"));
  EXPECT_EQ(format_date(D(2026, 3, 5)), "2026-03-05");
}

TEST(CivilDate, ChinaLocalTimeIsUtcPlusEight) {
  // 2026-01-31T16:30:00Z is 2026-02-01 00:30 in Beijing.
  const std::int64_t t = local_to_unix(D(2026, 2, 1), 0, 30);
  EXPECT_EQ(t, 1769877000);
  EXPECT_EQ(local_date(t), D(2026, 2, 1));
  EXPECT_EQ(local_date(t - 3600), D(2026, 1, 31));
  EXPECT_EQ(local_seconds_of_day(t), 1800);
  EXPECT_EQ(local_date(-1), D(1970, 1, 1));  // 07:59:59 local
}

TEST(Calendar, OfficialDaysOffAndMakeUpDays) {
  const auto cal = test::make_calendar();
  EXPECT_TRUE(cal.covers(2025));
  EXPECT_TRUE(cal.covers(2026));
  EXPECT_FALSE(cal.covers(2027));
  // 2026 Spring Festival Feb 15–23, make-up Sat Feb 14 and Sat Feb 28.
  EXPECT_TRUE(cal.is_working_day(D(2026, 2, 14)));
  for (int d = 15; d <= 23; ++d) EXPECT_FALSE(cal.is_working_day(D(2026, 2, d))) << d;
  EXPECT_TRUE(cal.is_working_day(D(2026, 2, 24)));
  EXPECT_TRUE(cal.is_working_day(D(2026, 2, 28)));
  EXPECT_EQ(cal.holiday_name(D(2026, 2, 17)), "春节");
  EXPECT_TRUE(cal.is_working_day(D(2026, 1, 4)));   // Sunday make-up
  EXPECT_FALSE(cal.is_working_day(D(2026, 1, 2)));  // Friday off
  EXPECT_TRUE(cal.is_working_day(D(2026, 9, 20)));
  EXPECT_TRUE(cal.is_working_day(D(2026, 10, 10)));
  EXPECT_FALSE(cal.is_working_day(D(2026, 10, 7)));
  EXPECT_FALSE(cal.is_working_day(D(2026, 9, 25)));  // Mid-Autumn, a Friday
  // 2025.
  EXPECT_TRUE(cal.is_working_day(D(2025, 1, 26)));
  EXPECT_TRUE(cal.is_working_day(D(2025, 2, 8)));
  EXPECT_FALSE(cal.is_working_day(D(2025, 2, 4)));
  EXPECT_TRUE(cal.is_working_day(D(2025, 4, 27)));
  EXPECT_FALSE(cal.is_working_day(D(2025, 6, 2)));
  EXPECT_TRUE(cal.is_working_day(D(2025, 9, 28)));
  EXPECT_TRUE(cal.is_working_day(D(2025, 10, 11)));
  EXPECT_FALSE(cal.is_working_day(D(2025, 10, 8)));
}

TEST(Calendar, AddWorkingDaysAcrossSpringFestival2026) {
  const auto cal = test::make_calendar();
  // Fri Feb 13 + 1 → Sat Feb 14 (make-up day); + 2 → Tue Feb 24 after nine days off.
  EXPECT_EQ(cal.add_working_days(D(2026, 2, 13), 1), D(2026, 2, 14));
  EXPECT_EQ(cal.add_working_days(D(2026, 2, 13), 2), D(2026, 2, 24));
  // Feb 10 (Tue) + 7: 11,12,13,14,24,25,26 → Feb 26.
  EXPECT_EQ(cal.add_working_days(D(2026, 2, 10), 7), D(2026, 2, 26));
  EXPECT_EQ(cal.working_days_between(D(2026, 2, 10), D(2026, 2, 26)), 7);
  EXPECT_EQ(cal.working_days_between(D(2026, 2, 26), D(2026, 2, 10)), -7);
  // Backwards across the holiday.
  EXPECT_EQ(cal.add_working_days(D(2026, 2, 24), -1), D(2026, 2, 14));
  EXPECT_EQ(cal.add_working_days(D(2026, 2, 15), 0), D(2026, 2, 24));
}

TEST(Calendar, AddWorkingDaysAcrossNationalDay2026) {
  const auto cal = test::make_calendar();
  // Tue Sep 22 + 15: 23,24 | 25-27 off | 28,29,30 | Oct 1-7 off | 8,9,10(Sat make-up) | 12..16 → Oct 16?
  // Count: 23,24,28,29,30 (5), 8,9,10 (8), 12,13,14,15,16 (13), 19,20 (15).
  EXPECT_EQ(cal.add_working_days(D(2026, 9, 22), 15), D(2026, 10, 20));
  EXPECT_EQ(cal.working_days_between(D(2026, 9, 18), D(2026, 9, 21)), 2);  // Sun 20 make-up, Mon 21
  EXPECT_EQ(cal.working_days_between(D(2026, 9, 30), D(2026, 10, 8)), 1);
}

TEST(Calendar, DeadlineIsEndOfTheNthWorkingDayLocal) {
  const auto cal = test::make_calendar();
  // Assigned Saturday Feb 7 2026 at 22:00: the count starts Monday. 5 wd: 9,10,11,12,13 → end of Fri Feb 13.
  const auto at = local_to_unix(D(2026, 2, 7), 22);
  EXPECT_EQ(cal.deadline_after(at, 5), local_to_unix(D(2026, 2, 14)));
  // Assigned Thu Feb 12 10:00, 3 wd: 13, 14 (make-up), 24 → end of Feb 24.
  EXPECT_EQ(cal.deadline_after(local_to_unix(D(2026, 2, 12), 10), 3), local_to_unix(D(2026, 2, 25)));
  EXPECT_EQ(cal.working_morning(D(2026, 2, 24), 1, 9), local_to_unix(D(2026, 2, 14), 9));
}

TEST(Calendar, UncoveredYearFallsBackToWeekdaysAndIsReported) {
  const auto cal = test::make_calendar();
  EXPECT_TRUE(cal.is_working_day(D(2027, 1, 1)));  // a Friday: we do not guess 2027's holidays
  EXPECT_FALSE(cal.is_working_day(D(2027, 1, 2)));
  EXPECT_EQ(cal.uncovered_years(D(2026, 12, 1), D(2027, 1, 15)), std::vector<int>{2027});
  EXPECT_TRUE(cal.uncovered_years(D(2025, 3, 1), D(2026, 3, 1)).empty());
}

TEST(Calendar, JsonErrorsNameThePathAndRoundTrip) {
  auto bad = working_calendar::from_json(nlohmann::json::parse(
      R"({"years": {"2026": {"holidays": [{"name": "元旦", "from": "2026-01-01"}, {"name": "春节", "from": "2026-2-15"}]}}})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.err().message, "years.2026.holidays[1].from: not a date \"2026-2-15\" (want YYYY-MM-DD)");
  auto weekday_makeup = working_calendar::from_json(nlohmann::json::parse(
      R"({"years": {"2026": {"holidays": [{"name": "x", "from": "2026-01-01", "make_up": ["2026-01-05"]}]}}})"));
  ASSERT_FALSE(weekday_makeup.ok());
  EXPECT_NE(weekday_makeup.err().message.find("years.2026.holidays[0].make_up[0]"), std::string::npos);
  EXPECT_FALSE(working_calendar::from_json(nlohmann::json::parse(R"({"years": {"26": {"holidays": []}}})")).ok());

  const auto cal = test::make_calendar();
  auto again = working_calendar::from_json(cal.to_json());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->to_json(), cal.to_json());
  EXPECT_TRUE(again->is_working_day(D(2026, 2, 28)));
}

}  // namespace
}  // namespace lianxin::workflow

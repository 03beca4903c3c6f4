// Summaries (汇总) against a hand-built set of ten cases whose every figure is worked out in
// the comments: counts by state, the response, resolution, satisfaction and on-time rates,
// the median handling time, the overdue list and the concentrated problems.
#include "workflow/stats.hpp"
#include "workflow_fixture.hpp"

#include <gtest/gtest.h>

namespace lianxin::workflow::test {
namespace {

using stats::grouping;

constexpr std::int64_t H = 3600, Dy = 86400;
const std::int64_t base = local_to_unix(civil_date{2026, 11, 2}, 9);  // Monday 09:00
const std::int64_t now = base + 20 * Dy;

struct spec {
  const char* number;
  std::int64_t filed;
  case_state state;
  const char* village;
  const char* township;
  const char* category;
  const char* deputy;
};

case_record make(const spec& s) {
  case_record c;
  c.number = s.number;
  c.created_at = c.updated_at = s.filed;
  c.state = s.state;
  c.village = s.village;
  c.township = s.township;
  c.category = s.category;
  c.deputy = s.deputy;
  c.text = "内容";
  c.log.push_back({s.filed, actor{actor_role::resident, "onebot:demo:1"}, "filed", "", {}});
  c.log.push_back({s.filed, actor{}, "routed", "", {}});
  return c;
}

void step(case_record& c, std::int64_t at, const char* what) {
  c.log.push_back({at, actor{actor_role::deputy, c.deputy}, what, "", {}});
}

void assign(case_record& c, std::int64_t at, std::int64_t deadline, const char* dept = "transport") {
  step(c, at, "assign");
  c.department = dept;
  c.assigned_at = at;
  c.deadline_at = deadline;
}

// A: answered in 1 h, replied on time after 72 h, satisfied, closed; cluster K2.
// B: accepted after 100 h (late), replied after the deadline, basically satisfied.
// C: never answered, its 72 h window is over (counts against the response rate).
// D: filed 10 h before now, not answered yet (left out of the response rate).
// E: acknowledged, 12 days past its deadline (overdue).
// F: returned after 1 h. G: merged after 80 h (late).
// H: assigned (accept implied) after 1 h, deadline in the future; cluster K1.
// I: replied, rated dissatisfied, reopened and assigned again: deadline in the future.
// J: accepted after 30 min; cluster K1.
std::vector<case_record> known_cases() {
  std::vector<case_record> v;
  auto a = make({"RN-A", base, case_state::closed, "xiaozhai", "miaoxia", "roads", "D0003"});
  step(a, base + 1 * H, "accept");
  assign(a, base + 2 * H, base + 5 * Dy);
  step(a, base + 3 * Dy, "reply");
  a.replied_at = base + 3 * Dy;
  a.resident_rating = rating::satisfied;
  a.cluster = "K2";
  v.push_back(a);

  auto b = make({"RN-B", base + 1 * H, case_state::rated, "xiaozhai", "miaoxia", "roads", "D0003"});
  step(b, base + 101 * H, "accept");
  assign(b, base + 101 * H, base + 10 * Dy);
  b.replied_at = base + 12 * Dy;
  b.resident_rating = rating::basically_satisfied;
  v.push_back(b);

  v.push_back(make({"RN-C", base + 2 * H, case_state::filed, "lizhuang", "dongguan", "water", "D0100"}));
  v.push_back(make({"RN-D", now - 10 * H, case_state::filed, "dazhuang", "miaoxia", "water", "D0004"}));

  auto e = make({"RN-E", base + 1 * Dy, case_state::acknowledged, "dazhuang", "miaoxia", "water", "D0003"});
  step(e, base + 1 * Dy + 2 * H, "accept");
  assign(e, base + 1 * Dy + 3 * H, base + 8 * Dy, "water");
  v.push_back(e);

  auto f = make({"RN-F", base + 2 * Dy, case_state::returned, "xiaozhai", "miaoxia", "roads", "D0004"});
  step(f, base + 2 * Dy + 1 * H, "return");
  v.push_back(f);

  auto g = make({"RN-G", base + 3 * Dy, case_state::merged, "dazhuang", "miaoxia", "roads", "D0004"});
  step(g, base + 3 * Dy + 80 * H, "merge");
  v.push_back(g);

  auto h = make({"RN-H", base + 4 * Dy, case_state::assigned, "dazhuang", "miaoxia", "roads", "D0004"});
  step(h, base + 4 * Dy + 1 * H, "accept");
  assign(h, base + 4 * Dy + 1 * H, base + 30 * Dy);
  h.cluster = "K1";
  v.push_back(h);

  auto i = make({"RN-I", base + 5 * Dy, case_state::assigned, "xiaozhai", "miaoxia", "roads", "D0003"});
  step(i, base + 5 * Dy + 1 * H, "accept");
  assign(i, base + 5 * Dy + 1 * H, base + 10 * Dy);
  i.replied_at = base + 6 * Dy;
  i.resident_rating = rating::dissatisfied;
  i.reopen_count = 1;
  assign(i, base + 7 * Dy, base + 25 * Dy);
  v.push_back(i);

  auto j = make({"RN-J", base + 6 * Dy, case_state::accepted, "xiaozhai", "miaoxia", "roads", "D0003"});
  step(j, base + 6 * Dy + 30 * 60, "accept");
  j.cluster = "K1";
  v.push_back(j);
  return v;
}

stats::options opts(grouping by = grouping::none) {
  stats::options o;
  o.now = now;
  o.response_window_seconds = 72 * H;
  o.by = by;
  return o;
}

}  // namespace

TEST(Stats, TotalsOfAKnownSet) {
  auto s = stats::summarise(known_cases(), opts());
  const auto& t = s.totals;
  EXPECT_EQ(t.cases, 10u);
  auto n = [&](case_state st) { return t.by_state[static_cast<std::size_t>(st)]; };
  EXPECT_EQ(n(case_state::filed), 2u);
  EXPECT_EQ(n(case_state::accepted), 1u);
  EXPECT_EQ(n(case_state::returned), 1u);
  EXPECT_EQ(n(case_state::merged), 1u);
  EXPECT_EQ(n(case_state::assigned), 2u);
  EXPECT_EQ(n(case_state::acknowledged), 1u);
  EXPECT_EQ(n(case_state::replied), 0u);
  EXPECT_EQ(n(case_state::rated), 1u);
  EXPECT_EQ(n(case_state::closed), 1u);
  EXPECT_EQ(n(case_state::reopened), 0u);

  // Response: A E F H I J within 72 h; B (100 h) and G (80 h) late; C never; D still in its window.
  EXPECT_EQ(t.response.count, 6u);
  EXPECT_EQ(t.response.of, 9u);
  EXPECT_DOUBLE_EQ(*t.response.rate(), 6.0 / 9.0);
  // Resolution: assigned A B E H I; resolved A (closed) and B (rated).
  EXPECT_EQ(t.resolution.count, 2u);
  EXPECT_EQ(t.resolution.of, 5u);
  EXPECT_DOUBLE_EQ(*t.resolution.rate(), 0.4);
  // Satisfaction: rated A (satisfied), B (basically), I (dissatisfied).
  EXPECT_EQ(t.satisfaction.count, 1u);
  EXPECT_EQ(t.satisfaction.of, 3u);
  EXPECT_EQ(t.basically_satisfied, 1u);
  EXPECT_EQ(t.dissatisfied, 1u);
  // On time: A met, B replied late, E passed unreplied; H and I have future deadlines (I's reply
  // belongs to its first assignment).
  EXPECT_EQ(t.on_time.count, 1u);
  EXPECT_EQ(t.on_time.of, 3u);
  // Handling: A 72 h, B 287 h (filed at +1 h, replied at +12 d) → median 179.5.
  ASSERT_EQ(t.handling_hours.size(), 2u);
  EXPECT_DOUBLE_EQ(*t.median_handling_hours(), 179.5);
  EXPECT_EQ(t.overdue, 1u);

  ASSERT_EQ(s.overdue.size(), 1u);
  EXPECT_EQ(s.overdue[0].number, "RN-E");
  EXPECT_EQ(s.overdue[0].days, 12);
  EXPECT_EQ(s.overdue[0].department, "water");
  EXPECT_EQ(s.overdue[0].village, "dazhuang");

  ASSERT_EQ(s.clusters.size(), 2u);
  EXPECT_EQ(s.clusters[0].id, "K1");
  EXPECT_EQ(s.clusters[0].count, 2u);
  EXPECT_EQ(s.clusters[0].village, "") << "K1 spans dazhuang and xiaozhai";
  EXPECT_EQ(s.clusters[0].township, "miaoxia");
  EXPECT_EQ(s.clusters[0].category, "roads");
  EXPECT_EQ(s.clusters[1].id, "K2");
  EXPECT_EQ(s.clusters[1].village, "xiaozhai");
}

TEST(Stats, MedianOfAnOddCountAndEmptySets) {
  auto cases = known_cases();
  auto extra = make({"RN-K", base, case_state::replied, "xiaozhai", "miaoxia", "roads", "D0003"});
  assign(extra, base + 1 * H, base + 5 * Dy);
  extra.replied_at = base + 10 * H;
  cases.push_back(extra);
  auto s = stats::summarise(cases, opts());
  EXPECT_DOUBLE_EQ(*s.totals.median_handling_hours(), 72.0) << "10 h, 72 h, 287 h";

  auto none = stats::summarise({}, opts());
  EXPECT_EQ(none.totals.cases, 0u);
  EXPECT_FALSE(none.totals.response.rate().has_value());
  EXPECT_FALSE(none.totals.median_handling_hours().has_value());
  auto j = stats::to_json(none.totals);
  EXPECT_TRUE(j["response_rate"]["rate"].is_null());
  EXPECT_TRUE(j["median_handling_hours"].is_null());
}

TEST(Stats, GroupsByTownshipDeputyAndDepartment) {
  auto cases = known_cases();
  auto by_town = stats::summarise(cases, opts(grouping::township));
  ASSERT_EQ(by_town.groups.size(), 2u);
  EXPECT_EQ(by_town.groups[0].first, "dongguan");
  EXPECT_EQ(by_town.groups[0].second.cases, 1u);
  EXPECT_EQ(by_town.groups[0].second.response.count, 0u);
  EXPECT_EQ(by_town.groups[0].second.response.of, 1u);
  EXPECT_EQ(by_town.groups[1].first, "miaoxia");
  EXPECT_EQ(by_town.groups[1].second.cases, 9u);
  EXPECT_EQ(by_town.groups[1].second.response.count, 6u);
  EXPECT_EQ(by_town.groups[1].second.response.of, 8u);

  auto by_dep = stats::summarise(cases, opts(grouping::deputy));
  const stats::figures* d3 = nullptr;
  for (const auto& [k, f] : by_dep.groups) {
    if (k == "D0003") d3 = &f;
  }
  ASSERT_NE(d3, nullptr);
  EXPECT_EQ(d3->cases, 5u);              // A B E I J
  EXPECT_EQ(d3->response.count, 4u);     // all but B
  EXPECT_EQ(d3->response.of, 5u);
  EXPECT_EQ(d3->resolution.count, 2u);   // A B of A B E I
  EXPECT_EQ(d3->resolution.of, 4u);
  EXPECT_EQ(d3->overdue, 1u);            // E

  auto r = make_roster();
  auto j = stats::to_json(stats::summarise(cases, opts(grouping::department)), r, grouping::department);
  EXPECT_EQ(j["by"], "department");
  ASSERT_EQ(j["groups"].size(), 3u);  // "" (never assigned), transport, water
  EXPECT_EQ(j["groups"][0]["key"], "");
  EXPECT_TRUE(j["groups"][0]["name"].is_null());
  EXPECT_EQ(j["groups"][0]["cases"], 5);  // C D F G J
  EXPECT_EQ(j["groups"][1]["name"], "县交通运输局");
  EXPECT_EQ(j["groups"][1]["cases"], 4);  // A B H I
  EXPECT_EQ(j["groups"][2]["key"], "water");
  EXPECT_EQ(j["groups"][2]["overdue"], 1);
}

TEST(Stats, JsonNamesEveryIdAndCarriesNoText) {
  auto r = make_roster();
  auto j = stats::to_json(stats::summarise(known_cases(), opts()), r, grouping::none);
  EXPECT_FALSE(j.contains("groups"));
  EXPECT_EQ(j["totals"]["cases"], 10);
  EXPECT_EQ(j["totals"]["states"]["new"], 2);
  EXPECT_EQ(j["totals"]["response_rate"]["count"], 6);
  EXPECT_EQ(j["totals"]["response_rate"]["of"], 9);
  EXPECT_DOUBLE_EQ(j["totals"]["resolution_rate"]["rate"].get<double>(), 0.4);
  EXPECT_DOUBLE_EQ(j["totals"]["median_handling_hours"].get<double>(), 179.5);
  EXPECT_EQ(j["overdue"][0]["number"], "RN-E");
  EXPECT_EQ(j["overdue"][0]["village"]["name"], "大庄村");
  EXPECT_EQ(j["overdue"][0]["category"]["name"], "饮水和灌溉");
  EXPECT_EQ(j["overdue"][0]["department"]["name"], "县水利局");
  EXPECT_EQ(j["overdue"][0]["days_overdue"], 12);
  EXPECT_TRUE(j["clusters"][0]["village"].is_null());
  EXPECT_EQ(j["clusters"][1]["village"]["name"], "小寨村");
  EXPECT_EQ(j.dump().find("内容"), std::string::npos) << "no case text in statistics";
}

TEST(Stats, PredicatesAtTheirEdges) {
  auto c = make({"RN-X", base, case_state::assigned, "xiaozhai", "miaoxia", "roads", "D0003"});
  assign(c, base + 72 * H, base + 5 * Dy);
  EXPECT_TRUE(stats::responded_within(c, 72 * H)) << "exactly at the window's end is within";
  EXPECT_FALSE(stats::responded_within(c, 72 * H - 1));
  EXPECT_FALSE(stats::is_overdue(c, base + 5 * Dy));
  EXPECT_TRUE(stats::is_overdue(c, base + 5 * Dy + 1));
  EXPECT_EQ(stats::days_overdue(c, base + 5 * Dy + 1), 1);
  EXPECT_EQ(stats::days_overdue(c, base + 6 * Dy), 1);
  EXPECT_EQ(stats::days_overdue(c, base + 6 * Dy + 1), 2);
  EXPECT_TRUE(stats::missed_deadline(c, base + 6 * Dy));
  c.state = case_state::replied;
  c.replied_at = base + 4 * Dy;
  EXPECT_FALSE(stats::is_overdue(c, base + 9 * Dy)) << "replied cases are not overdue";
  EXPECT_FALSE(stats::missed_deadline(c, base + 9 * Dy));
  EXPECT_EQ(stats::parse_grouping("village"), grouping::village);
  EXPECT_FALSE(stats::parse_grouping("colour").has_value());
}

}  // namespace lianxin::workflow::test

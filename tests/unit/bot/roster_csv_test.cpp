// CSV of the roster: RFC 4180 records with line numbers, the formula guard, per-row checks
// reported by line, and export → import giving the same items back.
#include "bot/admin/roster_csv.hpp"

#include <gtest/gtest.h>

using namespace lianxin::admin;
using json = nlohmann::json;

TEST(RosterCsv, SplitsQuotedCellsAndCountsPhysicalLines) {
  std::vector<std::vector<std::string>> recs;
  std::vector<int> lines;
  std::string error;
  ASSERT_TRUE(split_csv("\xEF\xBB\xBFid,name\r\nv1,\"小寨村, 东\"\r\n\r\nv2,\"两行\n的名字\"\nv3,\"说\"\"好\"\"\"\n", recs,
                        lines, error));
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(recs[0][0], "id") << "the BOM is not part of the first cell";
  EXPECT_EQ(recs[1][1], "小寨村, 东");
  EXPECT_EQ(recs[2][1], "两行\n的名字");
  EXPECT_EQ(recs[3][1], "说\"好\"");
  EXPECT_EQ(lines, (std::vector<int>{1, 2, 4, 6})) << "blank line 3 skipped; the two-line cell moves v3 to line 6";
  recs.clear();
  lines.clear();
  EXPECT_FALSE(split_csv("id,name\nv1,\"never closed\n", recs, lines, error));
  EXPECT_NE(error.find("line 2"), std::string::npos) << error;
}

TEST(RosterCsv, GuardsFormulasAndQuotesWhatNeedsIt) {
  EXPECT_EQ(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(csv_cell("+86"), "'+86");
  EXPECT_EQ(csv_cell("-1"), "'-1");
  EXPECT_EQ(csv_cell("@a"), "'@a");
  EXPECT_EQ(csv_cell("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_cell("小寨村"), "小寨村");
}

TEST(RosterCsv, ReportsEveryBadRowByLine) {
  auto p = parse_roster_csv("stations",
                            "id,name,township,head,members\n"
                            "s1,联络站,t1,D0001,D0001;D0002\n"
                            ",无编号,t1,,\n"
                            "s 2,空格,t1,,\n"
                            "s3,,t1,,\n"
                            "s1,重复,t1,,\n"
                            "s4,多一格,t1,,,extra\n");
  ASSERT_EQ(p.items.size(), 1u);
  EXPECT_EQ(p.items[0]["members"], json::array({"D0001", "D0002"}));
  ASSERT_EQ(p.errors.size(), 5u);
  std::vector<int> lines;
  for (const auto& e : p.errors) lines.push_back(e.line);
  EXPECT_EQ(lines, (std::vector<int>{3, 4, 5, 6, 7}));
  EXPECT_EQ(p.errors[0].field, "id");
  EXPECT_EQ(p.errors[2].field, "name");

  auto header = parse_roster_csv("villages", "id,name,colour\nv1,x,red\n");
  ASSERT_EQ(header.errors.size(), 1u);
  EXPECT_EQ(header.errors[0].line, 1);
  EXPECT_EQ(header.errors[0].field, "colour");
  EXPECT_EQ(parse_roster_csv("villages", "name\nx\n").errors.at(0).field, "id");
  EXPECT_EQ(parse_roster_csv("villages", "").errors.size(), 1u);
}

TEST(RosterCsv, ExportThenImportGivesTheSameItems) {
  json deputies = json::array({
      {{"code", "D0001"}, {"name", "=王建国"}, {"level", "county"}, {"village", "v1"}, {"constituency", "第一选区, 东"},
       {"station", "s1"}, {"specialty_group", ""}, {"contacts", {{"onebot", "20001"}, {"wecom", "wangjg"}}}},
  });
  auto text = roster_csv("deputies", deputies);
  EXPECT_EQ(text.substr(0, 3), "\xEF\xBB\xBF");
  auto back = parse_roster_csv("deputies", text);
  ASSERT_TRUE(back.errors.empty()) << back.errors[0].message;
  ASSERT_EQ(back.items.size(), 1u);
  EXPECT_EQ(back.items[0], deputies[0]);

  json departments = json::array({{{"id", "water"}, {"name", "水利局"},
                                   {"handlers", json::array({{{"platform", "onebot"}, {"id", "30001"}}})}}});
  auto d = parse_roster_csv("departments", roster_csv("departments", departments));
  ASSERT_TRUE(d.errors.empty());
  EXPECT_EQ(d.items[0], departments[0]);
  // The full-width semicolon an IME types separates too.
  auto ime = parse_roster_csv("stations", "id,name,members\ns1,站,D0001；D0002\n");
  EXPECT_EQ(ime.items.at(0)["members"], json::array({"D0001", "D0002"}));
}

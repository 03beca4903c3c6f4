#include "workflow/routing.hpp"

#include <gtest/gtest.h>

#include "workflow_fixture.hpp"

namespace lianxin::workflow {
namespace {

struct routing_row {
  const char* name;
  routing_request req;
  std::map<std::string, int> open;
  std::string deputy;
  routing_rule rule;
};

TEST(Routing, TableOverTheStationRoster) {
  const roster r = test::make_roster();
  const routing_config cfg;
  const std::vector<routing_row> rows{
      {"QR scan names the deputy", {.explicit_deputy = "D0100", .village = "xiaozhai", .category = "farming"}, {}, "D0100",
       routing_rule::explicit_deputy},
      {"unknown deputy code falls through", {.explicit_deputy = "D9999", .village = "lizhuang"}, {}, "D0100",
       routing_rule::village},
      {"sender speaks for a paired enterprise",
       {.sender_platform = "onebot", .sender_id = "30001", .village = "xiaozhai", .category = "farming"}, {}, "D0005",
       routing_rule::enterprise},
      {"group bound to the enterprise", {.group_enterprise = "dongdu", .village = "dazhuang"}, {}, "D0005",
       routing_rule::enterprise},
      {"planting group covers farming, fewest open cases wins",
       {.village = "xiaozhai", .category = "farming"}, {{"D0003", 4}, {"D0004", 1}}, "D0004", routing_rule::specialty_group},
      {"tie broken by the lower code", {.village = "dazhuang", .category = "farming"}, {}, "D0003",
       routing_rule::specialty_group},
      {"support group covers water", {.village = "xiaozhai", .category = "water"}, {}, "D0002",
       routing_rule::specialty_group},
      {"no group for roads: village deputies", {.village = "xiaozhai", .category = "roads"}, {{"D0003", 2}, {"D0004", 2}},
       "D0006", routing_rule::village},
      {"explicit station, unbound village: station head", {.station = "shuwo", .category = "roads"}, {}, "D0001",
       routing_rule::station_head},
      {"dazhuang's own deputy happens to be the head", {.village = "dazhuang", .category = "roads"}, {}, "D0001",
       routing_rule::village},
      {"nothing known: congress office", {.category = "roads"}, {}, "", routing_rule::congress_office},
  };
  for (const auto& row : rows) {
    auto d = route(r, cfg, row.req, row.open);
    ASSERT_TRUE(d.ok()) << row.name;
    EXPECT_EQ(d->deputy, row.deputy) << row.name;
    EXPECT_EQ(d->rule, row.rule) << row.name << ": " << d->reason_en;
    EXPECT_FALSE(d->reason_zh.empty());
    EXPECT_FALSE(d->reason_en.empty());
  }
}

TEST(Routing, StepsCanBeSwitchedOff) {
  const roster r = test::make_roster();
  auto cfg = routing_config::from_json(nlohmann::json{{"specialty_group", false}, {"enterprise", false}});
  ASSERT_TRUE(cfg.ok());
  routing_request req{.sender_platform = "onebot", .sender_id = "30001", .village = "xiaozhai", .category = "farming"};
  auto d = route(r, *cfg, req, {});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->rule, routing_rule::village);
  EXPECT_EQ(d->candidates.size(), 3u);
  EXPECT_NE(d->reason_zh.find("小寨村"), std::string::npos);

  routing_config none;
  for (auto& [rule, on] : none.enabled) on = false;
  EXPECT_EQ(route(r, none, req, {}).err().code, errc::no_candidate);
  EXPECT_FALSE(routing_config::from_json(nlohmann::json{{"mystery", true}}).ok());
  EXPECT_EQ(routing_config::from_json(cfg->to_json())->to_json(), cfg->to_json());
}

TEST(Routing, ReasonNamesTheDeputyAndTheGroup) {
  const roster r = test::make_roster();
  auto d = route(r, {}, {.village = "xiaozhai", .category = "farming"}, {});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->reason_zh, "该类问题归甘薯种植代表小组负责，由张明（D0003）代表接收（2名候选中在办件最少）");
}

TEST(Roster, ErrorsNameTheJsonPath) {
  auto j = test::roster_json();
  j["deputies"][2]["station"] = "nowhere";
  auto r = roster::from_json(j);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.err().message, "deputies[2].station: unknown station \"nowhere\"");

  j = test::roster_json();
  j["stations"][0]["deputy_heads"][0] = "D0404";
  EXPECT_EQ(roster::from_json(j).err().message, "stations[0].deputy_heads[0]: unknown deputy \"D0404\"");
  j = test::roster_json();
  j["deputies"][1]["level"] = "village";
  EXPECT_EQ(roster::from_json(j).err().message, "deputies[1].level: want province|city|county|township, got \"village\"");
  j = test::roster_json();
  j["villages"][1]["id"] = "xiaozhai";
  EXPECT_EQ(roster::from_json(j).err().message, "villages[1]: duplicate id \"xiaozhai\"");
  j = test::roster_json();
  j["categories"][0]["department"] = "police";
  EXPECT_EQ(roster::from_json(j).err().message, "categories[0].department: unknown department \"police\"");
  j = test::roster_json();
  j["departments"][0].erase("name");
  EXPECT_EQ(roster::from_json(j).err().message, "departments[0].name: missing");
}

TEST(Roster, RoundTripsAndLooksUp) {
  const roster r = test::make_roster();
  auto again = roster::from_json(r.to_json());
  ASSERT_TRUE(again.ok()) << again.err().message;
  EXPECT_EQ(again->to_json(), r.to_json());
  EXPECT_EQ(r.deputy_by_contact("onebot", "20001")->code, "D0001");
  EXPECT_EQ(r.departments_of_handler("wecom", "sl01").front()->id, "water");
  EXPECT_EQ(r.enterprise_of_member("onebot", "30001")->id, "dongdu");
  EXPECT_EQ(r.deputies_of_village("xiaozhai").size(), 3u);
  EXPECT_EQ(r.default_committee(), "njw");
  EXPECT_EQ(r.find_category("water")->deadline_class, "urgent");
}

}  // namespace
}  // namespace lianxin::workflow

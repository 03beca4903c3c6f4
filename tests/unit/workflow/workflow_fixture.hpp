#pragma once
// A small roster shaped like the newsletter's 庙下镇 station: one station with a head, a deputy
// head and three specialty groups, two villages, one paired enterprise, three departments.
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "workflow/calendar.hpp"
#include "workflow/deadlines.hpp"
#include "workflow/roster.hpp"
#include "workflow/transitions.hpp"

namespace lianxin::workflow::test {

// CTest sets LIANXIN_SOURCE_DIR; when the binary is run by hand, derive it from this file.
inline std::string source_dir() {
  if (const char* v = std::getenv("LIANXIN_SOURCE_DIR")) return v;
  std::string here = __FILE__;
  return here.substr(0, here.rfind("/tests/unit/workflow/"));
}

inline nlohmann::json read_json(const std::string& rel) {
  std::ifstream in(source_dir() + "/" + rel);
  std::stringstream ss;
  ss << in.rdbuf();
  return nlohmann::json::parse(ss.str());
}

inline nlohmann::json roster_json() {
  return nlohmann::json::parse(R"({
    "townships": [{"id": "miaoxia", "name": "庙下镇"}, {"id": "dongguan", "name": "东关镇"}],
    "villages": [
      {"id": "xiaozhai", "name": "小寨村", "township": "miaoxia", "station": "shuwo"},
      {"id": "dazhuang", "name": "大庄村", "township": "miaoxia", "station": "shuwo"},
      {"id": "lizhuang", "name": "李庄村", "township": "dongguan"}
    ],
    "stations": [{"id": "shuwo", "name": "薯我好吃代表联络站", "township": "miaoxia", "head": "D0001",
                  "deputy_heads": ["D0002"], "members": ["D0001", "D0002", "D0003", "D0004", "D0005", "D0006"]}],
    "specialty_groups": [
      {"id": "planting", "name": "甘薯种植代表小组", "station": "shuwo", "categories": ["farming"], "members": ["D0003", "D0004"]},
      {"id": "sales", "name": "三粉产销代表小组", "station": "shuwo", "categories": ["enterprise"], "members": ["D0005"]},
      {"id": "support", "name": "要素保障代表小组", "station": "shuwo", "categories": ["electricity", "water"], "members": ["D0002"]}
    ],
    "deputies": [
      {"code": "D0001", "name": "王建国", "level": "county", "village": "dazhuang", "station": "shuwo", "contacts": {"onebot": "20001"}},
      {"code": "D0002", "name": "李秀兰", "level": "city", "station": "shuwo", "specialty_group": "support"},
      {"code": "D0003", "name": "张明", "level": "township", "village": "xiaozhai", "station": "shuwo", "specialty_group": "planting"},
      {"code": "D0004", "name": "赵丽", "level": "township", "village": "xiaozhai", "station": "shuwo", "specialty_group": "planting"},
      {"code": "D0005", "name": "孙强", "level": "province", "station": "shuwo", "specialty_group": "sales"},
      {"code": "D0006", "name": "周红", "level": "township", "village": "xiaozhai", "station": "shuwo"},
      {"code": "D0100", "name": "陈东", "level": "county", "village": "lizhuang", "contacts": {"wecom": "chendong"}}
    ],
    "enterprises": [{"id": "dongdu", "name": "东都粉条厂", "village": "dazhuang", "deputies": ["D0005"],
                     "members": [{"platform": "onebot", "id": "30001"}]}],
    "departments": [
      {"id": "transport", "name": "县交通运输局", "handlers": [{"platform": "wecom", "id": "jt01"}]},
      {"id": "water", "name": "县水利局", "handlers": [{"platform": "wecom", "id": "sl01"}]},
      {"id": "agriculture", "name": "县农业农村局"}
    ],
    "committees": [{"id": "njw", "name": "农业与农村委员会"}, {"id": "cjw", "name": "财政经济委员会"}],
    "congress_office": {"id": "office", "name": "县人大常委会代表工委"},
    "categories": [
      {"id": "roads", "name": "道路和路灯", "department": "transport", "deadline_class": "standard", "phrases": {"路灯": 3}},
      {"id": "water", "name": "饮水和灌溉", "department": "water", "deadline_class": "urgent", "phrases": {"停水": 3}},
      {"id": "farming", "name": "农业生产", "department": "agriculture", "deadline_class": "complex", "phrases": {"化肥": 3}},
      {"id": "electricity", "name": "用电", "department": "transport", "phrases": {"停电": 3}},
      {"id": "enterprise", "name": "企业和产业", "department": "agriculture", "phrases": {"粉条": 3}}
    ]
  })");
}

inline roster make_roster() {
  auto r = roster::from_json(roster_json());
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.err().message);
  return r.value();
}

inline working_calendar make_calendar() {
  auto c = working_calendar::from_json(read_json("config/holidays/cn.json"));
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.err().message);
  return c.ok() ? c.value() : working_calendar{};
}

inline civil_date D(int y, int m, int d) { return civil_date{y, m, d}; }

}  // namespace lianxin::workflow::test

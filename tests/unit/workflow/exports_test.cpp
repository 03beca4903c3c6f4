// The ledger (台账) rows and their CSV form, Open311 requests, ISO times and the digest
// schedule — the pure parts of the exports and digests.
#include "workflow/exports.hpp"
#include "workflow/intake/catalogue.hpp"
#include "workflow/schedule.hpp"
#include "workflow_fixture.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace lianxin::workflow::test {
namespace {

namespace ex = exports;
constexpr std::int64_t kOff = 8 * 3600;

std::string label(const std::string& key) {
  if (key == "status.acknowledged") return "办理中";
  if (key == "status.closed") return "已办结";
  if (key == "rating.satisfied") return "满意";
  return "?" + key;
}

case_record sample() {
  case_record c;
  c.number = "RN-20261102-0001";
  c.state = case_state::acknowledged;
  c.created_at = local_to_unix(civil_date{2026, 11, 2}, 9, 30);
  c.updated_at = c.created_at + 3600;
  c.text = "村东头路灯坏了，联系我 13812345678，=HYPERLINK(\"x\")";
  c.category = "roads";
  c.village = "xiaozhai";
  c.township = "miaoxia";
  c.deputy = "D0003";
  c.department = "transport";
  c.assigned_at = c.created_at + 7200;
  c.deadline_at = local_to_unix(civil_date{2026, 11, 12});  // 24:00 on 11-11
  c.reporter = party{"onebot:demo", "900001", "123456", true};
  return c;
}

}  // namespace

TEST(Exports, IsoTimesBothWays) {
  const auto t = local_to_unix(civil_date{2026, 11, 28}, 9, 15, 7);
  EXPECT_EQ(ex::iso_datetime(t, kOff), "2026-11-28T09:15:07+08:00");
  EXPECT_EQ(ex::iso_datetime(t, -5 * 3600 - 1800), "2026-11-27T19:45:07-05:30");
  EXPECT_EQ(ex::iso_datetime(0, kOff), "");
  EXPECT_EQ(ex::local_datetime(t, kOff), "2026-11-28 09:15");
  EXPECT_EQ(ex::parse_iso_datetime("2026-11-28T09:15:07+08:00", kOff), t);
  EXPECT_EQ(ex::parse_iso_datetime("2026-11-28T01:15:07Z", kOff), t);
  EXPECT_EQ(ex::parse_iso_datetime("2026-11-28T01:15:07.250Z", kOff), t);
  EXPECT_EQ(ex::parse_iso_datetime("2026-11-28T09:15:07 08:00", kOff), t) << "a '+' decoded from a query as space";
  EXPECT_EQ(ex::parse_iso_datetime("2026-11-28T09:15:07", kOff), t) << "no zone: local time";
  EXPECT_EQ(ex::parse_iso_datetime("2026-11-28", kOff), local_to_unix(civil_date{2026, 11, 28}));
  for (const char* bad : {"2026-11-31", "2026-11-28T9:15:07Z", "2026-11-28T09:15:07+8", "2026-11-28X", "yesterday",
                          "2026-11-28T25:00:00Z", "2026-11-28T09:15:07.Z"}) {
    EXPECT_FALSE(ex::parse_iso_datetime(bad, kOff).has_value()) << bad;
  }
}

TEST(Exports, CsvQuotingBomCrlfAndFormulaInjection) {
  EXPECT_EQ(ex::csv_cell("plain 文字"), "plain 文字");
  EXPECT_EQ(ex::csv_cell("a,b"), "\"a,b\"");
  EXPECT_EQ(ex::csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(ex::csv_cell("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(ex::csv_cell("=1+2"), "'=1+2");
  EXPECT_EQ(ex::csv_cell("+86"), "'+86");
  EXPECT_EQ(ex::csv_cell("-3"), "'-3");
  EXPECT_EQ(ex::csv_cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(ex::csv_cell("=A1,B1"), "\"'=A1,B1\"");
  EXPECT_EQ(ex::csv_cell(""), "");
  auto csv = ex::to_csv({{"编号", "内容"}, {"RN-1", "a,b"}});
  EXPECT_EQ(csv, "\xEF\xBB\xBF编号,内容\r\nRN-1,\"a,b\"\r\n");
}

TEST(Exports, CutCharsCountsCodePoints) {
  EXPECT_EQ(ex::cut_chars("路灯坏了", 2), "路灯…");
  EXPECT_EQ(ex::cut_chars("路灯坏了", 4), "路灯坏了");
  EXPECT_EQ(ex::cut_chars("ab路", 2), "ab…");
  EXPECT_EQ(ex::cut_chars("", 3), "");
}

TEST(Exports, LedgerRowIsMaskedAndNamed) {
  auto r = make_roster();
  auto c = sample();
  ex::ledger_options o;
  o.now = local_to_unix(civil_date{2026, 11, 13}, 10);
  auto header = ex::ledger_header();
  ASSERT_EQ(header.size(), 14u);
  EXPECT_EQ(header[0], "编号");
  EXPECT_EQ(header[13], "评价");
  auto row = ex::ledger_row(c, r, label, o);
  ASSERT_EQ(row.size(), header.size());
  EXPECT_EQ(row[0], "RN-20261102-0001");
  EXPECT_EQ(row[1], "2026-11-02 09:30");
  EXPECT_EQ(row[2], "小寨村");
  EXPECT_EQ(row[3], "庙下镇");
  EXPECT_EQ(row[4], "道路和路灯");
  EXPECT_EQ(row[5].find("13812345678"), std::string::npos) << row[5];
  EXPECT_NE(row[5].find("138****5678"), std::string::npos) << row[5];
  EXPECT_EQ(row[6], "张明");
  EXPECT_EQ(row[7], "县交通运输局");
  EXPECT_EQ(row[8], "办理中");
  EXPECT_EQ(row[9], "2026-11-02 11:30");
  EXPECT_EQ(row[10], "2026-11-11");
  EXPECT_EQ(row[11], "");
  EXPECT_EQ(row[12], "是") << "open and past the deadline";
  EXPECT_EQ(row[13], "");

  c.state = case_state::closed;
  c.replied_at = local_to_unix(civil_date{2026, 11, 10}, 16);
  c.resident_rating = rating::satisfied;
  row = ex::ledger_row(c, r, label, o);
  EXPECT_EQ(row[8], "已办结");
  EXPECT_EQ(row[11], "2026-11-10 16:00");
  EXPECT_EQ(row[12], "否");
  EXPECT_EQ(row[13], "满意");
  c.deputy.clear();
  c.department.clear();
  c.deadline_at = 0;
  row = ex::ledger_row(c, r, label, o);
  EXPECT_EQ(row[6], "县人大常委会代表工委") << "no deputy: the office holds the case";
  EXPECT_EQ(row[7], "");
  EXPECT_EQ(row[12], "") << "no deadline, no verdict";
}

TEST(Exports, Open311RequestFields) {
  auto r = make_roster();
  auto j = ex::open311_request(sample(), r, label, kOff);
  EXPECT_EQ(j["service_request_id"], "RN-20261102-0001");
  EXPECT_EQ(j["status"], "open");
  EXPECT_EQ(j["status_notes"], "办理中");
  EXPECT_EQ(j["service_code"], "roads");
  EXPECT_EQ(j["service_name"], "道路和路灯");
  EXPECT_EQ(j["agency_responsible"], "县交通运输局");
  EXPECT_EQ(j["requested_datetime"], "2026-11-02T09:30:00+08:00");
  EXPECT_EQ(j["updated_datetime"], "2026-11-02T10:30:00+08:00");
  EXPECT_EQ(j["expected_datetime"], "2026-11-12T00:00:00+08:00");
  EXPECT_EQ(j["address"], "庙下镇小寨村");
  EXPECT_EQ(j["address_id"], "xiaozhai");
  const std::string d = j["description"];
  EXPECT_EQ(d.find("13812345678"), std::string::npos);
  const std::string all = j.dump();
  EXPECT_EQ(all.find("123456\""), std::string::npos) << "no reporter identity";
  EXPECT_EQ(all.find("900001"), std::string::npos) << "no chat id";
  auto closed = sample();
  closed.state = case_state::closed;
  closed.department.clear();
  closed.deadline_at = 0;
  auto k = ex::open311_request(closed, r, label, kOff);
  EXPECT_EQ(k["status"], "closed");
  EXPECT_TRUE(k["agency_responsible"].is_null());
  EXPECT_TRUE(k["expected_datetime"].is_null());
}

TEST(DigestSchedule, ParsesAndRejectsWithReasons) {
  auto w = parse_weekly("mon 09:00");
  ASSERT_TRUE(w);
  EXPECT_EQ(w->day, 1);
  EXPECT_EQ(w->minute, 540);
  EXPECT_EQ(parse_weekly("sun 23:59")->day, 7);
  auto m = parse_monthly("1 09:00");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->day, 1);
  EXPECT_EQ(parse_monthly("28 00:00")->day, 28);
  std::string why;
  EXPECT_FALSE(parse_weekly("monday 09:00", &why));
  EXPECT_NE(why.find("weekday"), std::string::npos);
  EXPECT_FALSE(parse_weekly("mon 9:00", &why));
  EXPECT_NE(why.find("HH:MM"), std::string::npos);
  EXPECT_FALSE(parse_monthly("31 09:00", &why));
  EXPECT_NE(why.find("1..28"), std::string::npos);
  EXPECT_FALSE(parse_monthly("09:00", &why));
  EXPECT_FALSE(parse_monthly("x 09:00", &why));
}

TEST(DigestSchedule, OccurrencesAndPeriods) {
  auto w = *parse_weekly("mon 09:00");
  const auto mon9 = local_to_unix(civil_date{2026, 11, 23}, 9);  // a Monday
  EXPECT_EQ(latest_occurrence(w, mon9, kOff), mon9) << "at the moment itself";
  EXPECT_EQ(latest_occurrence(w, mon9 - 1, kOff), mon9 - 7 * 86400);
  EXPECT_EQ(latest_occurrence(w, mon9 + 3 * 86400, kOff), mon9);
  EXPECT_EQ(next_occurrence(w, mon9, kOff), mon9 + 7 * 86400);
  EXPECT_EQ(next_occurrence(w, mon9 - 1, kOff), mon9);
  EXPECT_EQ(period_label(w, mon9, kOff), "2026-W48");
  EXPECT_EQ(period_label(w, local_to_unix(civil_date{2026, 12, 28}, 9), kOff), "2026-W53");
  EXPECT_EQ(period_label(w, local_to_unix(civil_date{2027, 1, 4}, 9), kOff), "2027-W01");

  auto m = *parse_monthly("1 09:00");
  const auto dec1 = local_to_unix(civil_date{2026, 12, 1}, 9);
  EXPECT_EQ(latest_occurrence(m, dec1 + 60, kOff), dec1);
  EXPECT_EQ(latest_occurrence(m, dec1 - 60, kOff), local_to_unix(civil_date{2026, 11, 1}, 9));
  EXPECT_EQ(next_occurrence(m, dec1, kOff), local_to_unix(civil_date{2027, 1, 1}, 9));
  EXPECT_EQ(next_occurrence(m, local_to_unix(civil_date{2027, 1, 1}, 8), kOff), local_to_unix(civil_date{2027, 1, 1}, 9));
  EXPECT_EQ(period_label(m, dec1, kOff), "2026-12");
}

// The digests (bot/flow/digests.cpp) render these keys with exactly these parameters.
TEST(DigestSchedule, CatalogueHasTheDigestSentencesWithTheirPlaceholders) {
  auto parsed = intake::catalogue::from_json(read_json("config/messages.zh-CN.json"));
  ASSERT_TRUE(parsed.value);
  const auto& cat = *parsed.value;
  const std::map<std::string, std::set<std::string>> used{
      {"digest.weekly.header", {"deputy", "open", "overdue"}},
      {"digest.weekly.overdue_case", {"case", "category", "village", "days"}},
      {"digest.weekly.open_case", {"case", "category", "village", "status"}},
      {"digest.weekly.more", {"count"}},
      {"digest.monthly.header", {"year", "month", "total"}},
      {"digest.monthly.rates", {"response", "resolution", "satisfaction", "on_time"}},
      {"digest.monthly.overdue", {"overdue"}},
      {"digest.monthly.clusters", {}},
      {"digest.monthly.cluster", {"category", "place", "count"}},
      {"digest.monthly.no_clusters", {}},
      {"digest.rate.value", {"percent"}},
      {"digest.rate.none", {}}};
  for (const auto& [key, params] : used) {
    ASSERT_TRUE(cat.contains(key)) << key;
    auto ph = cat.placeholders(key);
    EXPECT_EQ(std::set<std::string>(ph.begin(), ph.end()), params) << key;
  }
  for (const auto& k : cat.keys()) {
    if (k.rfind("digest.", 0) == 0) EXPECT_TRUE(used.count(k)) << "sentence no digest sends: " << k;
  }
  intake::message m{"digest.rate.value", {{"percent", "83"}}};
  EXPECT_EQ(cat.render(m).text, "83%");
}

}  // namespace lianxin::workflow::test

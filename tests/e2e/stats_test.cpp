// Summaries (汇总), exports and digests against the running server: cases are filed from the
// OneBot village group, moved through the workflow over the REST actions API, and then read
// back as statistics (numbers and each role's view), as the CSV and xlsx ledger, as Open311
// requests, and as the weekly digest a deputy receives when the workflow clock passes Monday
// 09:00 — once, even with two instances running.
#include "adapters/common/digest.hpp"
#include "support/app_runner.hpp"
#include "support/fake_platform.hpp"
#include "support/http_client.hpp"
#include "support/paths.hpp"
#include "support/redis_server.hpp"
#include "workflow/calendar.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <thread>
#include <unistd.h>

using namespace lianxin::test;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

constexpr const char* kAdmin = "test-admin-token-123";

std::string config_for(const std::string& api_base) {
  json c = fixture_config({
      {"admin", {{"token", kAdmin}}},
      {"scheduler", {{"test_clock", true}, {"poll_ms", 50}}},
      {"digests", {{"enabled", true}, {"weekly", "mon 09:00"}, {"monthly", "1 09:00"}}},
      {"stats", {{"response_hours", 72}}},
      {"platforms",
       {{"onebot", {{"demo", {{"self_id", "10000"}, {"access_token", "onebot-token"}, {"api_base", api_base}}}}}}}});
  return c.dump();
}

// Runs a shell command and returns its standard output.
std::string run(const std::string& cmd) {
  std::string out;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    ::pclose(p);
  }
  return out;
}

class Stats : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_server::shared().flush();
    app_ = std::make_unique<app_runner>(redis_server::shared().url(), config_for(fake_.base_url()));
  }
  void TearDown() override {
    second_.reset();
    app_.reset();
  }

  http_result group_post(long long id, long long user, const std::string& text, bool at) {
    json msg = json::array();
    if (at) msg.push_back({{"type", "at"}, {"data", {{"qq", "10000"}}}});
    msg.push_back({{"type", "text"}, {"data", {{"text", text}}}});
    json ev = {{"time", std::time(nullptr)}, {"self_id", 10000}, {"post_type", "message"},
               {"message_type", "group"}, {"sub_type", "normal"}, {"message_id", id},
               {"group_id", 900001}, {"user_id", user}, {"message", msg}, {"raw_message", text}, {"font", 0},
               {"sender", {{"user_id", user}, {"nickname", "老李"}}}};
    return http_request(app_->port(), "POST", "/webhook/onebot/demo", ev.dump(),
                        "Content-Type: application/json\r\nX-Self-ID: 10000\r\n");
  }

  std::size_t case_count() {
    return redis_server::shared().command({"ZCARD", "lx:{rn}:cases"}).as_integer().value_or(0);
  }

  // One resident files one suggestion in the village group; answers "1" until it is filed
  // (confirming, or picking the first category if the bot asks).
  std::string file_case(long long user, const std::string& text) {
    const auto before = case_count();
    const auto replies = fake_.count("/send_group_msg");
    EXPECT_EQ(group_post(next_id_++, user, "建议 " + text, true).status, 204);
    EXPECT_TRUE(fake_.wait_for(replies + 1, 10s, "/send_group_msg"));
    for (int attempt = 0; attempt < 4 && case_count() == before; ++attempt) {
      EXPECT_EQ(group_post(next_id_++, user, "1", false).status, 204);
      for (int i = 0; i < 60 && case_count() == before; ++i) std::this_thread::sleep_for(50ms);
    }
    auto all = redis_server::shared().command({"ZRANGE", "lx:{rn}:cases", "0", "-1"});
    std::string newest;
    for (const auto& e : all.elements()) {
      if (std::find(filed_.begin(), filed_.end(), e.text()) == filed_.end()) newest = e.text();
    }
    if (!newest.empty()) filed_.push_back(newest);
    return newest;
  }

  std::string make_token(const std::string& role, const std::string& scope) {
    std::string token = "lx_test_" + role + "_" + scope;
    redis_server::shared().command({"HSET", "lx:{rn}:token:" + lianxin::adapters::common::sha256_hex(token), "id",
                                    "t-" + role + scope, "role", role, "scope", scope, "label", role, "created_at", "0"});
    return token;
  }

  http_result get(const std::string& target, const std::string& token) {
    return http_request(app_->port(), "GET", target, "", token.empty() ? "" : "Authorization: Bearer " + token + "\r\n");
  }
  json get_json(const std::string& target, const std::string& token) {
    auto r = get(target, token);
    EXPECT_EQ(r.status, 200) << target << ": " << r.raw.substr(0, 500);
    return json::parse(r.body, nullptr, false);
  }
  void act(const std::string& number, const json& body, const std::string& token) {
    auto r = http_request(app_->port(), "POST", "/api/v1/cases/" + number + "/actions", body.dump(),
                          "Content-Type: application/json\r\nAuthorization: Bearer " + token + "\r\n");
    ASSERT_EQ(r.status, 200) << body.dump() << ": " << r.raw;
  }
  std::string deputy_of(const std::string& number) {
    return get_json("/api/v1/cases/" + number, kAdmin)["deputy"].get<std::string>();
  }

  // The period query covering today (the filing day) and the next 40 days.
  std::string period() {
    auto today = lianxin::workflow::local_date(app_->app().now());
    return "from=" + lianxin::workflow::format_date(lianxin::workflow::add_days(today, -1)) +
           "&to=" + lianxin::workflow::format_date(lianxin::workflow::add_days(today, 40));
  }

  // Texts of the private messages the fake OneBot API received for `user`.
  std::vector<std::string> private_texts(long long user) {
    std::vector<std::string> out;
    for (const auto& r : fake_.requests_to("/send_private_msg")) {
      if (r.json["user_id"] != user) continue;
      std::string t;
      if (r.json["message"].is_string()) t = r.json["message"];
      for (const auto& seg : r.json["message"]) {
        if (seg.is_object() && seg["type"] == "text") t += seg["data"]["text"].get<std::string>();
      }
      out.push_back(t);
    }
    return out;
  }
  std::size_t count_containing(long long user, const std::string& needle) {
    std::size_t n = 0;
    for (const auto& t : private_texts(user)) n += t.find(needle) != std::string::npos;
    return n;
  }

  // Three cases: A replied, B assigned (later overdue), C not yet answered.
  void file_three() {
    a_ = file_case(111001, "小寨村东头路灯坏了三个月了，晚上走路看不见");
    b_ = file_case(111002, "小寨村停水两天了，自来水一直没有水");
    c_ = file_case(111003, "村里的垃圾桶满了好几天没人拉");
    ASSERT_FALSE(a_.empty());
    ASSERT_FALSE(b_.empty());
    ASSERT_FALSE(c_.empty());
    ASSERT_EQ(case_count(), 3u);
    auto da = make_token("deputy", deputy_of(a_));
    act(a_, {{"action", "accept"}}, da);
    act(a_, {{"action", "assign"}, {"target", "transport"}}, da);
    auto transport = make_token("department", "transport");
    act(a_, {{"action", "acknowledge"}}, transport);
    act(a_, {{"action", "reply"}, {"text", "路灯已更换。"}}, transport);
    act(b_, {{"action", "assign"}, {"target", "water"}}, make_token("deputy", deputy_of(b_)));
  }

  fake_platform fake_;
  std::unique_ptr<app_runner> app_;
  std::unique_ptr<app_runner> second_;
  long long next_id_ = 1;
  std::vector<std::string> filed_;
  std::string a_, b_, c_;
};

}  // namespace

TEST_F(Stats, NumbersFollowTheCasesAsTheyAreHandled) {
  ASSERT_NO_FATAL_FAILURE(file_three());
  const std::string filed_period = period();  // the filing day and the 40 days after it
  auto s = get_json("/api/v1/stats?" + filed_period, kAdmin);
  const auto& t = s["totals"];
  EXPECT_EQ(t["cases"], 3);
  EXPECT_EQ(t["states"]["new"], 1);
  EXPECT_EQ(t["states"]["assigned"], 1);
  EXPECT_EQ(t["states"]["replied"], 1);
  // A and B were answered at once; C is still inside its 72 h window, so not counted yet.
  EXPECT_EQ(t["response_rate"]["count"], 2);
  EXPECT_EQ(t["response_rate"]["of"], 2);
  EXPECT_EQ(t["resolution_rate"]["count"], 1);
  EXPECT_EQ(t["resolution_rate"]["of"], 2);
  EXPECT_DOUBLE_EQ(t["resolution_rate"]["rate"].get<double>(), 0.5);
  EXPECT_TRUE(t["satisfaction_rate"]["rate"].is_null());
  EXPECT_EQ(t["on_time_rate"]["count"], 1) << "A replied before its deadline; B's is still ahead";
  EXPECT_EQ(t["on_time_rate"]["of"], 1);
  ASSERT_TRUE(t["median_handling_hours"].is_number());
  EXPECT_LT(t["median_handling_hours"].get<double>(), 1.0);
  EXPECT_EQ(t["overdue"], 0);
  EXPECT_TRUE(s["overdue"].empty());
  EXPECT_EQ(s["response_window_hours"], 72);

  // A month later: C's window is over unanswered, B is past its deadline.
  app_->app().advance_clock(30LL * 86400);
  s = get_json("/api/v1/stats?" + filed_period + "&by=department", kAdmin);
  EXPECT_EQ(s["totals"]["response_rate"]["count"], 2);
  EXPECT_EQ(s["totals"]["response_rate"]["of"], 3);
  EXPECT_EQ(s["totals"]["on_time_rate"]["count"], 1);
  EXPECT_EQ(s["totals"]["on_time_rate"]["of"], 2);
  EXPECT_EQ(s["totals"]["overdue"], 1);
  ASSERT_EQ(s["overdue"].size(), 1u);
  const auto& o = s["overdue"][0];
  EXPECT_EQ(o["number"], b_);
  EXPECT_EQ(o["department"]["id"], "water");
  EXPECT_EQ(o["village"]["name"], "小寨村");
  EXPECT_GE(o["days_overdue"].get<int>(), 1);
  EXPECT_FALSE(o.contains("text"));
  ASSERT_EQ(s["groups"].size(), 3u);
  EXPECT_EQ(s["groups"][0]["key"], "");
  EXPECT_EQ(s["groups"][1]["key"], "transport");
  EXPECT_EQ(s["groups"][1]["resolution_rate"]["count"], 1);
  EXPECT_EQ(s["groups"][2]["key"], "water");
  EXPECT_EQ(s["groups"][2]["overdue"], 1);
  const std::string dump = s.dump();
  EXPECT_EQ(dump.find("111001"), std::string::npos) << "no resident ids in statistics";
  EXPECT_EQ(dump.find("路灯坏"), std::string::npos) << "no case text in statistics";

  // The default period is the last 30 days: the cases, filed 30 days ago, are outside it.
  EXPECT_EQ(get_json("/api/v1/stats", kAdmin)["totals"]["cases"], 0);
}

TEST_F(Stats, EachRoleCountsWhatItMaySee) {
  ASSERT_NO_FATAL_FAILURE(file_three());
  const std::string q = "/api/v1/stats?" + period();
  EXPECT_EQ(get("/api/v1/stats", "").status, 401);
  EXPECT_EQ(get("/api/v1/stats", "not-a-token").status, 401);
  EXPECT_EQ(get_json(q, make_token("viewer", ""))["totals"]["cases"], 3) << "a viewer counts every case";
  EXPECT_EQ(get_json(q, make_token("station", "s1"))["totals"]["cases"], 3);
  EXPECT_EQ(get_json(q, make_token("station", "s9"))["totals"]["cases"], 0);
  EXPECT_EQ(get_json(q, make_token("department", "transport"))["totals"]["cases"], 1);
  EXPECT_EQ(get_json(q, make_token("department", "water"))["totals"]["cases"], 1);
  EXPECT_EQ(get_json(q, make_token("department", "power"))["totals"]["cases"], 0);
  std::map<std::string, int> per_deputy;
  for (const auto& n : {a_, b_, c_}) ++per_deputy[deputy_of(n)];
  for (const std::string code : {"D0001", "D0002", "D0003"}) {
    auto j = get_json(q + "&by=deputy", make_token("deputy", code));
    EXPECT_EQ(j["totals"]["cases"], per_deputy[code]) << code;
    for (const auto& g : j["groups"]) EXPECT_EQ(g["key"], code) << "a deputy's groups are its own";
  }

  // Bad requests are 400 with the field named.
  auto bad = [&](const std::string& query, const std::string& field) {
    auto r = get("/api/v1/stats?" + query, kAdmin);
    EXPECT_EQ(r.status, 400) << query;
    auto j = json::parse(r.body, nullptr, false);
    EXPECT_EQ(j["error"]["field"], field) << query << ": " << r.body;
    EXPECT_EQ(j["error"]["code"], "bad_request");
  };
  bad("by=colour", "by");
  bad("from=2026-13-01", "from");
  bad("to=yesterday", "to");
  bad("from=2026-02-01&to=2026-01-01", "from");
  bad("from=2020-01-01&to=2026-01-01", "to");
  bad("colour=red", "colour");
}

TEST_F(Stats, CsvLedgerIsMaskedQuotedAndScoped) {
  ASSERT_NO_FATAL_FAILURE(file_three());
  // C's text as an old record might hold it: a phone number and a would-be formula.
  auto raw = json::parse(redis_server::shared().command({"HGET", "lx:{rn}:case:" + c_, "json"}).text());
  raw["text"] = "=HYPERLINK(\"http://x\"),联系13812345678";
  redis_server::shared().command({"HSET", "lx:{rn}:case:" + c_, "json", raw.dump()});

  auto r = get("/api/v1/exports/cases.csv?" + period(), kAdmin);
  ASSERT_EQ(r.status, 200) << r.raw.substr(0, 300);
  EXPECT_EQ(r.headers["content-type"], "text/csv; charset=utf-8");
  EXPECT_NE(r.headers["content-disposition"].find("attachment; filename=\"cases-"), std::string::npos);
  ASSERT_GE(r.body.size(), 3u);
  EXPECT_EQ(r.body.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_EQ(r.body.substr(3, r.body.find("\r\n") - 3),
            "编号,提出时间,村,乡镇,类别,内容摘要,代表,承办部门,状态,交办时间,办理时限,答复时间,是否超期,评价");
  std::size_t lines = 0;
  for (std::size_t p = r.body.find("\r\n"); p != std::string::npos; p = r.body.find("\r\n", p + 2)) ++lines;
  EXPECT_EQ(lines, 4u) << "header and three cases, CRLF-terminated";
  EXPECT_NE(r.body.find("\"'=HYPERLINK(\"\"http://x\"\"),联系138****5678\""), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("13812345678"), std::string::npos);
  EXPECT_EQ(r.body.find("111003"), std::string::npos) << "no resident ids";
  EXPECT_EQ(r.body.find("900001"), std::string::npos) << "no chat ids";
  for (const auto& n : {a_, b_, c_}) EXPECT_NE(r.body.find(n + ","), std::string::npos) << n;
  EXPECT_NE(r.body.find(",transport部门,已答复,"), std::string::npos) << r.body;

  auto mine = get("/api/v1/exports/cases.csv?" + period(), make_token("department", "transport"));
  ASSERT_EQ(mine.status, 200);
  EXPECT_NE(mine.body.find(a_), std::string::npos);
  EXPECT_EQ(mine.body.find(b_), std::string::npos);
  EXPECT_EQ(mine.body.find(c_), std::string::npos);
  EXPECT_EQ(get("/api/v1/exports/cases.csv", make_token("viewer", "")).status, 403);
  EXPECT_EQ(get("/api/v1/exports/cases.csv", "").status, 401);
  EXPECT_EQ(get("/api/v1/exports/cases.csv?from=2026-02-30", kAdmin).status, 400);
}

TEST_F(Stats, XlsxLedgerIsAValidWorkbook) {
  ASSERT_NO_FATAL_FAILURE(file_three());
  auto r = get("/api/v1/exports/cases.xlsx?" + period(), kAdmin);
  ASSERT_EQ(r.status, 200) << r.raw.substr(0, 300);
  EXPECT_EQ(r.headers["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  ASSERT_GT(r.body.size(), 4u);
  EXPECT_EQ(r.body.substr(0, 4), std::string("PK\x03\x04", 4));
  char path[] = "/tmp/lx-stats-test-XXXXXX.xlsx";
  int fd = ::mkstemps(path, 5);
  ASSERT_GE(fd, 0);
  ::close(fd);
  {
    std::ofstream out(path, std::ios::binary);
    out << r.body;
  }
  const std::string p(path);
  EXPECT_NE(run("unzip -t " + p + " 2>&1").find("No errors detected"), std::string::npos);
  const auto sheet = run("unzip -p " + p + " xl/worksheets/sheet1.xml");
  const auto strings = run("unzip -p " + p + " xl/sharedStrings.xml");
  const auto workbook = run("unzip -p " + p + " xl/workbook.xml");
  ::unlink(path);
  EXPECT_NE(workbook.find("name=\"台账\""), std::string::npos) << workbook;
  EXPECT_NE(sheet.find("<row r=\"4\""), std::string::npos) << "header and three rows";
  EXPECT_EQ(sheet.find("<row r=\"5\""), std::string::npos);
  const auto cells = sheet + strings;
  for (const auto& n : {a_, b_, c_}) EXPECT_NE(cells.find(n), std::string::npos) << n;
  EXPECT_NE(cells.find("编号"), std::string::npos);
  EXPECT_NE(cells.find("内容摘要"), std::string::npos);

  auto dept = get("/api/v1/exports/cases.xlsx?" + period(), make_token("department", "water"));
  ASSERT_EQ(dept.status, 200);
  EXPECT_EQ(get("/api/v1/exports/cases.xlsx", make_token("viewer", "")).status, 403);
}

TEST_F(Stats, Open311RequestsForHotlineExchange) {
  ASSERT_NO_FATAL_FAILURE(file_three());
  auto raw = json::parse(redis_server::shared().command({"HGET", "lx:{rn}:case:" + c_, "json"}).text());
  raw["text"] = "垃圾没人拉，联系13812345678";
  redis_server::shared().command({"HSET", "lx:{rn}:case:" + c_, "json", raw.dump()});

  auto all = get_json("/api/v1/open311/requests.json", make_token("viewer", ""));
  ASSERT_TRUE(all.is_array());
  ASSERT_EQ(all.size(), 3u);
  std::map<std::string, json> by_id;
  for (const auto& r : all) by_id[r["service_request_id"]] = r;
  const auto& a = by_id[a_];
  EXPECT_EQ(a["status"], "open");
  EXPECT_EQ(a["status_notes"], "已答复");
  EXPECT_EQ(a["service_code"], "roads");
  EXPECT_EQ(a["service_name"], "道路和路灯");
  EXPECT_EQ(a["agency_responsible"], "transport部门");
  EXPECT_EQ(a["address"], "城关镇小寨村");
  const std::string req = a["requested_datetime"];
  EXPECT_EQ(req.size(), 25u) << req;
  EXPECT_EQ(req.substr(19), "+08:00");
  EXPECT_TRUE(a["expected_datetime"].is_string());
  EXPECT_TRUE(by_id[c_]["agency_responsible"].is_null());
  EXPECT_TRUE(by_id[c_]["expected_datetime"].is_null());
  EXPECT_EQ(by_id[c_]["description"], "垃圾没人拉，联系138****5678");
  const std::string dump = all.dump();
  EXPECT_EQ(dump.find("111001"), std::string::npos);
  EXPECT_EQ(dump.find("900001"), std::string::npos);

  EXPECT_EQ(get_json("/api/v1/open311/requests.json?service_code=roads", kAdmin).size(), 1u);
  EXPECT_EQ(get_json("/api/v1/open311/requests.json?service_code=roads,water", kAdmin).size(), 2u);
  EXPECT_EQ(get_json("/api/v1/open311/requests.json?status=closed", kAdmin).size(), 0u);
  EXPECT_EQ(get_json("/api/v1/open311/requests.json?status=open", kAdmin).size(), 3u);
  auto tomorrow = lianxin::workflow::format_date(
      lianxin::workflow::add_days(lianxin::workflow::local_date(app_->app().now()), 1));
  EXPECT_EQ(get_json("/api/v1/open311/requests.json?start_date=" + tomorrow + "T00:00:00%2B08:00", kAdmin).size(), 0u);
  EXPECT_EQ(get("/api/v1/open311/requests.json?start_date=soon", kAdmin).status, 400);
  EXPECT_EQ(get("/api/v1/open311/requests.json?status=pending", kAdmin).status, 400);
  EXPECT_EQ(get("/api/v1/open311/requests.json?start_date=2026-01-01&end_date=2026-06-01", kAdmin).status, 400);
  EXPECT_EQ(get("/api/v1/open311/requests.json", make_token("department", "transport")).status, 403);
  EXPECT_EQ(get("/api/v1/open311/requests.json", "").status, 401);
}

TEST_F(Stats, WeeklyDigestReachesTheDeputyOnceAcrossInstances) {
  // A second instance on the same Redis races for the same digest.
  second_ = std::make_unique<app_runner>(redis_server::shared().url(), config_for(fake_.base_url()));
  const auto number = file_case(111001, "小寨村东头路灯坏了三个月了，晚上走路看不见");
  ASSERT_FALSE(number.empty());
  const std::string deputy = deputy_of(number);
  const long long deputy_user = deputy == "D0002" ? 20002 : deputy == "D0003" ? 20003 : 20001;
  std::this_thread::sleep_for(500ms);  // ten polls: nothing is due before the first Monday 09:00
  EXPECT_EQ(count_containing(deputy_user, "每周提醒"), 0u);
  ASSERT_TRUE(redis_server::shared().command({"EXISTS", "lx:{rn}:digest:due:weekly"}).as_integer().value_or(0));

  // A week on, the clock has passed one Monday 09:00 (and perhaps the 1st of a month).
  for (auto* a : {app_.get(), second_.get()}) a->app().advance_clock(7LL * 86400 + 60);
  for (int i = 0; i < 200 && count_containing(deputy_user, "每周提醒") == 0; ++i) std::this_thread::sleep_for(50ms);
  ASSERT_EQ(count_containing(deputy_user, "每周提醒"), 1u);
  std::string text;
  for (const auto& t : private_texts(deputy_user)) {
    if (t.find("每周提醒") != std::string::npos) text = t;
  }
  EXPECT_NE(text.find(number), std::string::npos) << text;
  EXPECT_NE(text.find("道路和路灯"), std::string::npos) << text;
  EXPECT_NE(text.find("小寨村"), std::string::npos) << text;
  EXPECT_EQ(text.find("老李"), std::string::npos) << text;
  EXPECT_EQ(text.find("111001"), std::string::npos) << text;

  // Twenty more polls by each instance: still once this week.
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(count_containing(deputy_user, "每周提醒"), 1u);
  auto sent = redis_server::shared().command({"KEYS", "lx:{rn}:digest:sent:weekly:*"});
  EXPECT_EQ(sent.elements().size(), 1u);

  // The next week brings the next digest.
  for (auto* a : {app_.get(), second_.get()}) a->app().advance_clock(7LL * 86400);
  for (int i = 0; i < 200 && count_containing(deputy_user, "每周提醒") < 2; ++i) std::this_thread::sleep_for(50ms);
  EXPECT_EQ(count_containing(deputy_user, "每周提醒"), 2u);
}

TEST_F(Stats, MonthlySummaryReachesTheOfficeOnce) {
  const auto number = file_case(111001, "小寨村东头路灯坏了三个月了，晚上走路看不见");
  ASSERT_FALSE(number.empty());
  std::this_thread::sleep_for(300ms);
  constexpr long long office = 50001;
  EXPECT_EQ(count_containing(office, "汇总"), 0u);
  // 32 days pass the 1st of a month exactly once.
  app_->app().advance_clock(32LL * 86400);
  for (int i = 0; i < 200 && count_containing(office, "汇总") == 0; ++i) std::this_thread::sleep_for(50ms);
  ASSERT_EQ(count_containing(office, "汇总"), 1u);
  std::string text;
  for (const auto& t : private_texts(office)) {
    if (t.find("汇总") != std::string::npos) text = t;
  }
  EXPECT_NE(text.find("响应率"), std::string::npos) << text;
  EXPECT_NE(text.find("满意率"), std::string::npos) << text;
  EXPECT_NE(text.find("超期"), std::string::npos) << text;
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(count_containing(office, "汇总"), 1u);
}

// The live roster through the running server (issue 7): the admin API edits villages,
// deputies, categories and group bindings in Redis; the change takes effect at once on this
// instance and on another one; every change is audited; CSV import reports every bad row and
// imports nothing then; one-time binding codes bind a group from inside the chat.
#include "adapters/common/digest.hpp"
#include "support/app_runner.hpp"
#include "support/fake_platform.hpp"
#include "support/http_client.hpp"
#include "support/paths.hpp"
#include "support/redis_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <thread>

#include <sys/wait.h>

using namespace lianxin::test;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

constexpr const char* kAdmin = "test-admin-token-123";

std::string config_for(const std::string& api_base) {
  json c = fixture_config({
      {"admin", {{"token", kAdmin}, {"reload_poll_ms", 50}}},
      {"scheduler", {{"test_clock", true}, {"poll_ms", 50}}},
      {"platforms",
       {{"onebot", {{"demo", {{"self_id", "10000"}, {"access_token", "onebot-token"}, {"api_base", api_base}}}}}}}});
  return c.dump();
}

class Admin : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_server::shared().flush();
    app_ = std::make_unique<app_runner>(redis_server::shared().url(), config_for(fake_.base_url()));
  }
  void TearDown() override { app_.reset(); }

  http_result group_post(long long id, long long group, long long user, const std::string& text, bool at = false) {
    json msg = json::array();
    if (at) msg.push_back({{"type", "at"}, {"data", {{"qq", "10000"}}}});
    msg.push_back({{"type", "text"}, {"data", {{"text", text}}}});
    json ev = {{"time", std::time(nullptr)}, {"self_id", 10000}, {"post_type", "message"},
               {"message_type", "group"}, {"sub_type", "normal"}, {"message_id", id},
               {"group_id", group}, {"user_id", user}, {"message", msg}, {"raw_message", text}, {"font", 0},
               {"sender", {{"user_id", user}, {"nickname", "老李"}}}};
    return http_request(app_->port(), "POST", "/webhook/onebot/demo", ev.dump(),
                        "Content-Type: application/json\r\nX-Self-ID: 10000\r\n");
  }

  std::string make_token(const std::string& role, const std::string& scope) {
    std::string token = "lx_test_" + role + "_" + scope;
    redis_server::shared().command({"HSET", "lx:{rn}:token:" + lianxin::adapters::common::sha256_hex(token), "id",
                                    "t-" + role, "role", role, "scope", scope, "label", role, "created_at", "0"});
    return token;
  }

  http_result call(const std::string& method, const std::string& target, const std::string& token,
                   const std::string& body = "", const std::string& type = "application/json", unsigned short port = 0) {
    std::string h;
    if (!token.empty()) h += "Authorization: Bearer " + token + "\r\n";
    if (!body.empty() || method == "PUT" || method == "POST") h += "Content-Type: " + type + "\r\n";
    return http_request(port ? port : app_->port(), method, target, body, h);
  }
  http_result put(const std::string& kind, const std::string& id, const json& item, const std::string& token = kAdmin) {
    return call("PUT", "/api/v1/roster/" + kind + "/" + id, token, item.dump());
  }
  static json body(const http_result& r) { return json::parse(r.body, nullptr, false); }
  static std::string error_code(const http_result& r) {
    auto j = body(r);
    return j.is_object() && j.contains("error") ? j["error"].value("code", "") : "";
  }
  static std::string error_field(const http_result& r) {
    auto j = body(r);
    return j.is_object() && j.contains("error") ? j["error"].value("field", "") : "";
  }
  // The last text the bot sent to a OneBot group.
  std::string last_group_text(long long group) {
    std::string out;
    for (const auto& r : fake_.requests()) {
      if (r.path != "/send_group_msg") continue;
      auto j = json::parse(r.body, nullptr, false);
      if (!j.is_object() || j.value("group_id", 0LL) != group) continue;
      out.clear();
      if (j["message"].is_string()) {
        out = j["message"];
      } else {
        for (const auto& s : j["message"]) {
          if (s.value("type", "") == "text") out += s["data"].value("text", "");
        }
      }
    }
    return out;
  }
  bool wait_group_text(long long group, const std::string& needle, std::chrono::milliseconds max = 10s) {
    auto until = std::chrono::steady_clock::now() + max;
    while (std::chrono::steady_clock::now() < until) {
      if (last_group_text(group).find(needle) != std::string::npos) return true;
      std::this_thread::sleep_for(30ms);
    }
    return false;
  }

  fake_platform fake_;
  std::unique_ptr<app_runner> app_;
};

}  // namespace

TEST_F(Admin, EveryRoleAgainstEveryEndpoint) {
  const std::string viewer = make_token("viewer", ""), deputy = make_token("deputy", "D0001"),
                    dept = make_token("department", "water"), station = make_token("station", "s1"),
                    other_station = make_token("station", "s9");
  struct endpoint {
    std::string method, target, body;
    bool station_allowed;
  };
  const std::vector<endpoint> endpoints{
      {"GET", "/api/v1/roster", "", true},
      {"GET", "/api/v1/roster/villages", "", true},
      {"GET", "/api/v1/roster/villages/v1", "", true},
      {"PUT", "/api/v1/roster/townships/t9", R"({"name":"新镇"})", false},
      {"DELETE", "/api/v1/roster/townships/t9", "", false},
      {"GET", "/api/v1/rules/deadlines", "", true},
      {"PUT", "/api/v1/rules/deadlines", "{}", false},
      {"GET", "/api/v1/exports/roster/deputies.csv", "", true},
      {"POST", "/api/v1/imports/roster/villages?dry_run=true", "id,name,township\r\n", false},
      {"GET", "/api/v1/bind-codes", "", true},
      {"POST", "/api/v1/bind-codes", R"({"village":"v1"})", true},
      {"GET", "/api/v1/audit", "", false},
  };
  for (const auto& e : endpoints) {
    SCOPED_TRACE(e.method + " " + e.target);
    EXPECT_EQ(call(e.method, e.target, "", e.body).status, 401);
    EXPECT_EQ(call(e.method, e.target, "not-a-token", e.body).status, 401);
    for (const auto& t : {viewer, deputy, dept}) EXPECT_EQ(call(e.method, e.target, t, e.body).status, 403);
    auto s = call(e.method, e.target, station, e.body, e.target.find("imports") != std::string::npos ? "text/csv" : "application/json");
    if (e.station_allowed) {
      EXPECT_LT(s.status, 300) << s.raw;
    } else {
      EXPECT_EQ(s.status, 403) << s.raw;
    }
    auto a = call(e.method, e.target, kAdmin, e.body, e.target.find("imports") != std::string::npos ? "text/csv" : "application/json");
    EXPECT_LT(a.status, 500) << a.raw;
    EXPECT_NE(a.status, 403) << a.raw;
    EXPECT_NE(a.status, 401) << a.raw;
  }
  // A station manager edits its own station's deputies, villages and groups, nothing else.
  json dep{{"name", "赵新"}, {"level", "township"}, {"village", "v1"}, {"station", "s1"}};
  EXPECT_EQ(put("deputies", "D0100", dep, station).status, 201);
  EXPECT_EQ(put("deputies", "D0101", dep, other_station).status, 403);
  EXPECT_EQ(put("departments", "roads2", {{"name", "路政"}}, station).status, 403);
  EXPECT_EQ(call("POST", "/api/v1/bind-codes", other_station, R"({"village":"v1"})").status, 403);
}

TEST_F(Admin, EditsAreValidatedPreciselyAndAudited) {
  auto bad = put("villages", "v3", {{"name", "新庄村"}, {"township", "t1"}, {"station", "nope"}});
  EXPECT_EQ(bad.status, 422) << bad.raw;
  EXPECT_EQ(error_field(bad), "station");
  EXPECT_NE(body(bad)["error"]["message"].get<std::string>().find("nope"), std::string::npos);
  EXPECT_EQ(error_field(put("villages", "v3", {{"name", "新庄村"}, {"township", "t1"}, {"colour", "red"}})), "colour");
  EXPECT_EQ(put("villages", "bad%21id", {{"name", "x"}, {"township", "t1"}}).status, 422);
  EXPECT_EQ(call("PUT", "/api/v1/roster/villages/v3", kAdmin, "{not json").status, 400);
  EXPECT_EQ(call("PUT", "/api/v1/roster/villages/v3", kAdmin, R"({"name":"x"})", "text/plain").status, 415);
  EXPECT_EQ(put("planets", "p1", {{"name", "x"}}).status, 404);

  auto created = put("villages", "v3", {{"name", "新庄村"}, {"township", "t1"}, {"station", "s1"}});
  ASSERT_EQ(created.status, 201) << created.raw;
  long long v1 = body(created)["version"];
  auto replaced = put("villages", "v3", {{"name", "新庄村(东)"}, {"township", "t1"}, {"station", "s1"}});
  ASSERT_EQ(replaced.status, 200) << replaced.raw;
  EXPECT_GT(body(replaced)["version"].get<long long>(), v1);
  auto got = call("GET", "/api/v1/roster/villages/v3", kAdmin);
  EXPECT_EQ(body(got)["item"]["name"], "新庄村(东)");
  auto list = call("GET", "/api/v1/roster/villages?q=%E6%96%B0%E5%BA%84", kAdmin);  // q=新庄
  EXPECT_EQ(body(list)["total"], 1) << list.raw;
  EXPECT_EQ(call("GET", "/api/v1/roster/villages?colour=red", kAdmin).status, 400);

  // A township villages still name cannot go; the answer says which village.
  auto in_use = call("DELETE", "/api/v1/roster/townships/t1", kAdmin);
  EXPECT_EQ(in_use.status, 409) << in_use.raw;
  EXPECT_EQ(error_code(in_use), "in_use");
  EXPECT_NE(body(in_use)["error"]["message"].get<std::string>().find("villages"), std::string::npos);
  EXPECT_EQ(call("DELETE", "/api/v1/roster/villages/v3", kAdmin).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/roster/villages/v3", kAdmin).status, 404);
  EXPECT_EQ(call("DELETE", "/api/v1/roster/villages/v3", kAdmin).status, 404);

  // Audit: newest first, with who and before → after.
  auto audit = body(call("GET", "/api/v1/audit?kind=villages", kAdmin));
  ASSERT_GE(audit["items"].size(), 3u) << audit.dump();
  EXPECT_EQ(audit["items"][0]["what"], "delete");
  EXPECT_EQ(audit["items"][0]["before"]["name"], "新庄村(东)");
  EXPECT_TRUE(audit["items"][0]["after"].is_null());
  EXPECT_EQ(audit["items"][1]["what"], "update");
  EXPECT_EQ(audit["items"][1]["before"]["name"], "新庄村");
  EXPECT_EQ(audit["items"][1]["after"]["name"], "新庄村(东)");
  EXPECT_EQ(audit["items"][2]["what"], "create");
  EXPECT_NE(audit["items"][0]["who"].get<std::string>().find("admin"), std::string::npos);

  // Deadlines: checked, applied, audited.
  auto bad_dl = call("PUT", "/api/v1/rules/deadlines", kAdmin, R"({"normal":{"standard":{"working_days":-3}}})");
  EXPECT_EQ(bad_dl.status, 422) << bad_dl.raw;
  auto ok_dl = call("PUT", "/api/v1/rules/deadlines", kAdmin, R"({"normal":{"standard":{"working_days":5}}})");
  ASSERT_EQ(ok_dl.status, 200) << ok_dl.raw;
  EXPECT_EQ(body(call("GET", "/api/v1/rules/deadlines", kAdmin))["deadlines"]["normal"]["standard"]["working_days"], 5);
}

// The issue's "done when": a new village with its deputy, its group and a new category, set
// up live; a resident in that group files a case that reaches that deputy.
TEST_F(Admin, NewVillageWorksWithoutRestartOnEveryInstance) {
  ASSERT_EQ(put("villages", "v9", {{"name", "青石村"}, {"township", "t1"}, {"station", "s1"}}).status, 201);
  ASSERT_EQ(put("deputies", "D0900",
                {{"name", "石青山"}, {"level", "township"}, {"village", "v9"}, {"station", "s1"},
                 {"contacts", {{"onebot", "29900"}}}})
                .status,
            201);
  auto g = put("groups", "onebot:demo:900009",
               {{"platform", "onebot"}, {"bot", "demo"}, {"group", "900009"}, {"village", "v9"}, {"name", "青石村群"}});
  ASSERT_EQ(g.status, 201) << g.raw;
  auto cat = put("categories", "wells",
                 {{"name", "水井"}, {"department", "water"}, {"deadline_class", "standard"},
                  {"phrases", {{"辘轳", 5}, {"井绳", 4}}}});
  ASSERT_EQ(cat.status, 201) << cat.raw;
  // A phrase another category owns is refused, naming the field.
  auto clash = put("categories", "wells2",
                   {{"name", "水井2"}, {"department", "water"}, {"deadline_class", "standard"}, {"phrases", {{"辘轳", 5}}}});
  EXPECT_EQ(clash.status, 422) << clash.raw;
  EXPECT_EQ(error_field(clash), "phrases") << clash.raw;

  // A second instance on the same Redis sees it too.
  app_runner second(redis_server::shared().url(), config_for(fake_.base_url()));
  auto seen = call("GET", "/api/v1/roster/villages/v9", kAdmin, "", "", second.port());
  EXPECT_EQ(seen.status, 200) << seen.raw;

  // And an edit on the second one reaches the first within the poll interval.
  ASSERT_EQ(call("PUT", "/api/v1/roster/townships/t2", kAdmin, R"({"name":"东河镇"})", "application/json", second.port())
                .status,
            201);
  bool followed = false;
  for (int i = 0; i < 100 && !followed; ++i) {
    auto r = body(call("GET", "/api/v1/roster", kAdmin));
    followed = r["counts"]["townships"] == 2;
    if (!followed) std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(followed);

  ASSERT_EQ(group_post(1, 900009, 555001, "建议 村口的辘轳坏了半个月了，井绳也断了，没法打水", true).status, 204);
  ASSERT_TRUE(wait_group_text(900009, "辘轳")) << last_group_text(900009);
  ASSERT_EQ(group_post(2, 900009, 555001, "1").status, 204);
  std::string number;
  for (int i = 0; i < 200 && number.empty(); ++i) {
    auto cases = redis_server::shared().command({"ZRANGE", "lx:{rn}:cases", "0", "-1"});
    if (!cases.elements().empty()) number = cases.elements()[0].text();
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_FALSE(number.empty()) << last_group_text(900009);
  auto c = body(call("GET", "/api/v1/cases/" + number, kAdmin));
  EXPECT_EQ(c["village"]["id"], "v9") << c.dump();
  EXPECT_EQ(c["category"]["id"], "wells") << c.dump();
  EXPECT_EQ(c["deputy"], "D0900") << c.dump();
}

TEST_F(Admin, CsvImportReportsEveryBadRowAndImportsNothingThen) {
  auto csv = call("GET", "/api/v1/exports/roster/deputies.csv", kAdmin);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(csv.body.find("code,name,level,village,constituency,station,specialty_group,contacts\r\n"), std::string::npos);
  EXPECT_NE(csv.body.find("D0001,王建国,county,v2,,s1,,onebot:20001\r\n"), std::string::npos) << csv.body;

  const std::string bad =
      "code,name,level,village,station,contacts\r\n"
      "D0200,甲,township,v1,s1,onebot:1\r\n"
      "D0201,,township,v1,s1,\r\n"               // line 3: no name
      "D0202,丙,mayor,v1,s1,\r\n"                // line 4: bad level
      "D0203,丁,township,v1,s1,onebot\r\n"       // line 5: contact without id
      "D0200,戊,township,v1,s1,\r\n";            // line 6: twice in the file
  auto dry = call("POST", "/api/v1/imports/roster/deputies?dry_run=true", kAdmin, bad, "text/csv");
  ASSERT_EQ(dry.status, 422) << dry.raw;
  auto errs = body(dry)["errors"];
  ASSERT_EQ(errs.size(), 4u) << dry.body;
  EXPECT_EQ(errs[0]["line"], 3);
  EXPECT_EQ(errs[0]["field"], "name");
  EXPECT_EQ(errs[1]["line"], 4);
  EXPECT_EQ(errs[1]["field"], "level");
  EXPECT_EQ(errs[2]["line"], 5);
  EXPECT_EQ(errs[3]["line"], 6);
  EXPECT_EQ(call("POST", "/api/v1/imports/roster/deputies", kAdmin, bad, "text/csv").status, 422);
  EXPECT_EQ(call("GET", "/api/v1/roster/deputies/D0200", kAdmin).status, 404) << "nothing imported";

  // A reference to a station that does not exist is found against the whole roster, by line.
  auto dangling = call("POST", "/api/v1/imports/roster/deputies", kAdmin,
                       "code,name,station\nD0300,甲,s1\nD0301,乙,s404\n", "text/csv");
  ASSERT_EQ(dangling.status, 422) << dangling.raw;
  EXPECT_EQ(body(dangling)["errors"][0]["line"], 3);
  EXPECT_EQ(body(dangling)["errors"][0]["field"], "station");

  const std::string good = "code,name,village,station\r\nD0001,王建国,v1,s1\r\n\"D0400\",\"欧阳, 明\",v2,s1\r\n";
  auto check = call("POST", "/api/v1/imports/roster/deputies?dry_run=true", kAdmin, good, "text/csv");
  ASSERT_EQ(check.status, 200) << check.raw;
  EXPECT_EQ(body(check)["created"], 1);
  EXPECT_EQ(body(check)["updated"], 1);
  EXPECT_EQ(call("GET", "/api/v1/roster/deputies/D0400", kAdmin).status, 404) << "a dry run changes nothing";
  auto done = call("POST", "/api/v1/imports/roster/deputies", kAdmin, good, "text/csv");
  ASSERT_EQ(done.status, 200) << done.raw;
  EXPECT_EQ(body(call("GET", "/api/v1/roster/deputies/D0400", kAdmin))["item"]["name"], "欧阳, 明");
  auto d1 = body(call("GET", "/api/v1/roster/deputies/D0001", kAdmin))["item"];
  EXPECT_EQ(d1["village"], "v1");
  EXPECT_EQ(d1["contacts"]["onebot"], "20001") << "columns the file leaves out keep their values";
  EXPECT_EQ(body(call("GET", "/api/v1/audit?kind=deputies", kAdmin))["items"][0]["what"], "import");
}

TEST_F(Admin, BindingCodesBindOnceExpireAndRespectTheGroup) {
  auto made = call("POST", "/api/v1/bind-codes", kAdmin, R"({"village":"v2"})");
  ASSERT_EQ(made.status, 201) << made.raw;
  const std::string code = body(made)["code"];
  ASSERT_EQ(code.size(), 8u);
  EXPECT_EQ(body(call("GET", "/api/v1/bind-codes", kAdmin))["items"].size(), 1u);

  // A group already bound elsewhere is told so, and the code stays valid.
  ASSERT_EQ(group_post(1, 900001, 1, "绑定 " + code).status, 204);
  ASSERT_TRUE(wait_group_text(900001, "小寨村")) << last_group_text(900001);
  // An unbound group binds with it (lower case and a space inside are fine).
  std::string typed = code.substr(0, 4) + " " + code.substr(4);
  for (auto& ch : typed) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  ASSERT_EQ(group_post(2, 900077, 1, "绑定 " + typed).status, 204);
  ASSERT_TRUE(wait_group_text(900077, "大河村")) << last_group_text(900077);
  auto g = call("GET", "/api/v1/roster/groups/onebot:demo:900077", kAdmin);
  ASSERT_EQ(g.status, 200) << g.raw;
  EXPECT_EQ(body(g)["item"]["village"], "v2");
  EXPECT_TRUE(body(call("GET", "/api/v1/bind-codes", kAdmin))["items"].empty());
  auto audit = body(call("GET", "/api/v1/audit?kind=groups", kAdmin));
  EXPECT_EQ(audit["items"][0]["what"], "bind") << audit.dump();
  EXPECT_NE(audit["items"][0]["who"].get<std::string>().find(code), std::string::npos);

  // Works once: another group gets the plain refusal.
  ASSERT_EQ(group_post(3, 900078, 1, "绑定 " + code).status, 204);
  ASSERT_TRUE(wait_group_text(900078, "用过")) << last_group_text(900078);
  EXPECT_EQ(call("GET", "/api/v1/roster/groups/onebot:demo:900078", kAdmin).status, 404);

  // Expiry follows the workflow clock.
  auto short_lived = body(call("POST", "/api/v1/bind-codes", kAdmin, R"({"village":"v1","ttl_minutes":10})"));
  app_->app().advance_clock(11 * 60);
  ASSERT_EQ(group_post(4, 900079, 1, "绑定 " + short_lived["code"].get<std::string>()).status, 204);
  ASSERT_TRUE(wait_group_text(900079, "过期")) << last_group_text(900079);

  // Unbinding: the right word, the right group.
  auto unbind = body(call("POST", "/api/v1/bind-codes", kAdmin, R"({"village":"v2","unbind":true})"));
  const std::string ucode = unbind["code"];
  ASSERT_EQ(group_post(5, 900077, 1, "绑定 " + ucode).status, 204);
  ASSERT_TRUE(wait_group_text(900077, "解绑")) << last_group_text(900077);
  ASSERT_EQ(group_post(6, 900001, 1, "解绑 " + ucode).status, 204);
  ASSERT_TRUE(wait_group_text(900001, "没有绑定到大河村")) << last_group_text(900001);
  ASSERT_EQ(group_post(7, 900077, 1, "解绑 " + ucode).status, 204);
  ASSERT_TRUE(wait_group_text(900077, "解除绑定")) << last_group_text(900077);
  EXPECT_EQ(call("GET", "/api/v1/roster/groups/onebot:demo:900077", kAdmin).status, 404);
  EXPECT_EQ(body(call("GET", "/api/v1/audit?kind=groups", kAdmin))["items"][0]["what"], "unbind");

  // Revoking a code.
  auto r = body(call("POST", "/api/v1/bind-codes", kAdmin, R"({"station":"s1"})"));
  EXPECT_EQ(call("DELETE", "/api/v1/bind-codes/" + r["code"].get<std::string>(), kAdmin).status, 200);
  EXPECT_EQ(call("DELETE", "/api/v1/bind-codes/" + r["code"].get<std::string>(), kAdmin).status, 404);
  EXPECT_EQ(call("POST", "/api/v1/bind-codes", kAdmin, R"({"village":"nowhere"})").status, 422);
}

namespace {

// Runs the lianxin binary; returns its exit code and what it printed.
std::pair<int, std::string> run_binary(const std::string& args) {
  std::string cmd = lianxin_binary() + " " + args + " 2>&1";
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return {-1, "popen failed"};
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = ::pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

}  // namespace

// `lianxin bind-code` and `lianxin roster import` against the same Redis as a running server.
TEST_F(Admin, CommandLineMakesCodesAndReimportsTheFiles) {
  const std::string cfg_path = ::testing::TempDir() + "lianxin-admin-cli.json";
  {
    std::ofstream f(cfg_path);
    f << config_for(fake_.base_url());
  }
  const std::string common = " --config " + cfg_path + " --redis " + redis_server::shared().url();
  auto [rc, out] = run_binary("bind-code --village v2" + common);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("大河村"), std::string::npos) << out;
  auto last_space = out.find_last_of(" \n", out.size() - 2);
  const std::string code = out.substr(last_space + 1, 8);
  ASSERT_EQ(group_post(1, 900055, 1, "绑定 " + code).status, 204);
  ASSERT_TRUE(wait_group_text(900055, "大河村")) << last_group_text(900055) << "\n" << out;

  auto [rc2, out2] = run_binary("bind-code --village nowhere" + common);
  EXPECT_EQ(rc2, 2) << out2;
  EXPECT_NE(out2.find("unknown village"), std::string::npos) << out2;
  EXPECT_EQ(run_binary("bind-code" + common).first, 2);

  // The live edit made by the chat binding is not in the files: a dry run counts it, the
  // import removes it (audited) and the server follows.
  auto [rc3, out3] = run_binary("roster import --dry-run" + common);
  ASSERT_EQ(rc3, 0) << out3;
  EXPECT_NE(out3.find("change 1 items"), std::string::npos) << out3;
  auto [rc4, out4] = run_binary("roster import" + common);
  ASSERT_EQ(rc4, 0) << out4;
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    gone = call("GET", "/api/v1/roster/groups/onebot:demo:900055", kAdmin).status == 404;
    if (!gone) std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(gone);
  auto audit = body(call("GET", "/api/v1/audit?kind=groups", kAdmin));
  EXPECT_EQ(audit["items"][0]["what"], "import") << audit.dump();
}

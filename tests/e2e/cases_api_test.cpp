// The case REST API against the running server: a case filed from a OneBot group is listed,
// read and handled over HTTP by tokens of different roles; every step is checked against what
// the role may see and do, and the notifications go out through the outbox like chat actions.
#include "adapters/common/digest.hpp"
#include "adapters/onebot/onebot.hpp"
#include "support/app_runner.hpp"
#include "support/fake_platform.hpp"
#include "support/http_client.hpp"
#include "support/paths.hpp"
#include "support/redis_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <thread>

using namespace lianxin::test;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

constexpr const char* kAdmin = "test-admin-token-123";

std::string config_for(const std::string& api_base) {
  json c = fixture_config({
      {"admin", {{"token", kAdmin}}},
      {"scheduler", {{"test_clock", true}, {"poll_ms", 50}}},
      {"platforms",
       {{"onebot", {{"demo", {{"self_id", "10000"}, {"access_token", "onebot-token"}, {"api_base", api_base}}}}}}}});
  return c.dump();
}

class CasesApi : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_server::shared().flush();
    app_ = std::make_unique<app_runner>(redis_server::shared().url(), config_for(fake_.base_url()));
  }
  void TearDown() override { app_.reset(); }

  http_result group_post(long long id, const std::string& text, bool at) {
    json msg = json::array();
    if (at) msg.push_back({{"type", "at"}, {"data", {{"qq", "10000"}}}});
    msg.push_back({{"type", "text"}, {"data", {{"text", text}}}});
    json ev = {{"time", std::time(nullptr)}, {"self_id", 10000}, {"post_type", "message"},
               {"message_type", "group"}, {"sub_type", "normal"}, {"message_id", id},
               {"group_id", 900001}, {"user_id", 123456}, {"message", msg}, {"raw_message", text}, {"font", 0},
               {"sender", {{"user_id", 123456}, {"nickname", "老李"}}}};
    return http_request(app_->port(), "POST", "/webhook/onebot/demo", ev.dump(),
                        "Content-Type: application/json\r\nX-Self-ID: 10000\r\n");
  }

  // Files one case from the demo group and returns its number.
  std::string file_case() {
    EXPECT_EQ(group_post(1, "建议 小寨村东头路灯坏了三个月了，晚上走路看不见", true).status, 204);
    EXPECT_TRUE(fake_.wait_for(1, 10s, "/send_group_msg"));
    EXPECT_EQ(group_post(2, "1", false).status, 204);
    for (int i = 0; i < 200; ++i) {
      auto cases = redis_server::shared().command({"ZRANGE", "lx:{rn}:cases", "0", "-1"});
      if (!cases.elements().empty()) return cases.elements()[0].text();
      std::this_thread::sleep_for(50ms);
    }
    return {};
  }

  // A token of a role, stored the way `lianxin token create` stores it (hashed).
  std::string make_token(const std::string& role, const std::string& scope) {
    std::string token = "lx_test_" + role + "_" + scope;
    redis_server::shared().command({"HSET", "lx:{rn}:token:" + lianxin::adapters::common::sha256_hex(token), "id",
                                    "t-" + role, "role", role, "scope", scope, "label", role, "created_at", "0"});
    return token;
  }

  http_result get(const std::string& target, const std::string& token) {
    return http_request(app_->port(), "GET", target, "", token.empty() ? "" : "Authorization: Bearer " + token + "\r\n");
  }
  http_result act(const std::string& number, const json& body, const std::string& token, const std::string& key = "") {
    std::string h = "Content-Type: application/json\r\nAuthorization: Bearer " + token + "\r\n";
    if (!key.empty()) h += "Idempotency-Key: " + key + "\r\n";
    return http_request(app_->port(), "POST", "/api/v1/cases/" + number + "/actions", body.dump(), h);
  }
  static std::string error_code(const http_result& r) {
    auto j = json::parse(r.body, nullptr, false);
    return j.is_object() && j.contains("error") ? j["error"].value("code", "") : "";
  }

  fake_platform fake_;
  std::unique_ptr<app_runner> app_;
};

}  // namespace

TEST_F(CasesApi, TokensAreRequiredAndRolesSeeOnlyTheirCases) {
  auto number = file_case();
  ASSERT_FALSE(number.empty());
  EXPECT_EQ(get("/api/v1/cases", "").status, 401);
  EXPECT_EQ(get("/api/v1/cases", "wrong-token").status, 401);
  EXPECT_EQ(get("/api/v1/cases", make_token("viewer", "")).status, 403);

  auto me = get("/api/v1/me", kAdmin);
  ASSERT_EQ(me.status, 200) << me.raw;
  EXPECT_EQ(json::parse(me.body)["role"], "admin");

  auto list = get("/api/v1/cases", kAdmin);
  ASSERT_EQ(list.status, 200) << list.raw;
  auto lj = json::parse(list.body);
  EXPECT_EQ(lj["total"], 1);
  EXPECT_EQ(lj["items"][0]["number"], number);
  EXPECT_EQ(lj["items"][0]["village"]["name"], "小寨村");
  EXPECT_FALSE(lj["items"][0].contains("reporter")) << "lists never carry personal data";
  EXPECT_EQ(json::parse(get("/api/v1/cases?status=new", kAdmin).body)["total"], 1);
  EXPECT_EQ(json::parse(get("/api/v1/cases?status=closed", kAdmin).body)["total"], 0);
  EXPECT_EQ(json::parse(get("/api/v1/cases?village=v2", kAdmin).body)["total"], 0);
  auto bad = get("/api/v1/cases?status=bogus", kAdmin);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body)["error"]["field"], "status");
  EXPECT_EQ(get("/api/v1/cases?colour=red", kAdmin).status, 400);
  EXPECT_EQ(get("/api/v1/cases?per_page=1000", kAdmin).status, 400);

  // The admin reads the reporter; the read is audited.
  auto full = get("/api/v1/cases/" + number, kAdmin);
  ASSERT_EQ(full.status, 200) << full.raw;
  auto fj = json::parse(full.body);
  EXPECT_EQ(fj["reporter"]["u"], "123456");
  EXPECT_EQ(fj["log"][0]["what"], "filed");
  // (The stream also holds the roster's seeding.)
  auto audit = redis_server::shared().command({"XRANGE", "lx:{rn}:audit", "-", "+"});
  int reads = 0;
  for (const auto& e : audit.elements()) {
    for (std::size_t i = 0; i + 1 < e[1].size(); i += 2) {
      if (e[1][i].text() == "what" && e[1][i + 1].text() == "read_personal_data") ++reads;
    }
  }
  EXPECT_EQ(reads, 1);

  // The case's deputy sees it; another deputy and an unrelated department do not.
  const std::string deputy = fj["deputy"];
  ASSERT_FALSE(deputy.empty());
  auto mine = get("/api/v1/cases/" + number, make_token("deputy", deputy));
  EXPECT_EQ(mine.status, 200);
  std::string other = deputy == "D0002" ? "D0003" : "D0002";
  EXPECT_EQ(get("/api/v1/cases/" + number, make_token("deputy", other)).status, 404);
  EXPECT_EQ(json::parse(get("/api/v1/cases", make_token("deputy", other)).body)["total"], 0);
  EXPECT_EQ(get("/api/v1/cases/" + number, make_token("department", "water")).status, 404);
  auto station = get("/api/v1/cases/" + number, make_token("station", "s1"));
  ASSERT_EQ(station.status, 200);
  EXPECT_FALSE(json::parse(station.body).contains("reporter")) << "station staff see no personal data";
  EXPECT_EQ(get("/api/v1/cases/RN-20200101-0001", kAdmin).status, 404);
}

TEST_F(CasesApi, DeputyAndDepartmentHandleACaseOverTheApi) {
  auto number = file_case();
  ASSERT_FALSE(number.empty());
  const std::string deputy = json::parse(get("/api/v1/cases/" + number, kAdmin).body)["deputy"];
  auto dep = make_token("deputy", deputy);
  auto dept = make_token("department", "transport");
  const auto group_posts_before = fake_.count("/send_group_msg");

  // Bad requests change nothing.
  EXPECT_EQ(http_request(app_->port(), "POST", "/api/v1/cases/" + number + "/actions", R"({"action":"accept"})",
                         "Content-Type: text/plain\r\nAuthorization: Bearer " + dep + "\r\n")
                .status,
            415);
  EXPECT_EQ(http_request(app_->port(), "POST", "/api/v1/cases/" + number + "/actions", "{not json",
                         "Content-Type: application/json\r\nAuthorization: Bearer " + dep + "\r\n")
                .status,
            400);
  EXPECT_EQ(act(number, {{"action", "fly"}}, dep).status, 400);
  EXPECT_EQ(act(number, {{"action", "accept"}, {"colour", "red"}}, dep).status, 400);
  EXPECT_EQ(act(number, {{"action", "accept"}}, make_token("viewer", "")).status, 403);

  // The department cannot accept for the deputy: the state machine refuses.
  auto wrong = act(number, {{"action", "accept"}}, dept);
  EXPECT_EQ(wrong.status, 404) << "a department sees only cases assigned to it";

  auto accepted = act(number, {{"action", "accept"}}, dep, "k-accept");
  ASSERT_EQ(accepted.status, 200) << accepted.raw;
  EXPECT_EQ(json::parse(accepted.body)["state"], "accepted");
  auto again = act(number, {{"action", "accept"}}, dep, "k-accept");
  ASSERT_EQ(again.status, 200) << again.raw;
  EXPECT_TRUE(json::parse(again.body)["replayed"].get<bool>()) << "the same Idempotency-Key changes nothing";
  auto twice = act(number, {{"action", "accept"}}, dep);
  EXPECT_EQ(twice.status, 409) << twice.raw;
  EXPECT_EQ(error_code(twice), "invalid_transition");

  auto assigned = act(number, {{"action", "assign"}, {"target", "transport"}}, dep);
  ASSERT_EQ(assigned.status, 200) << assigned.raw;
  auto aj = json::parse(assigned.body);
  EXPECT_EQ(aj["state"], "assigned");
  EXPECT_GT(aj["deadline_at"].get<long long>(), 0);
  // The department's handler is told over its chat.
  ASSERT_TRUE(fake_.wait_for(1, 10s, "/send_private_msg"));
  bool handler_told = false;
  for (int i = 0; i < 100 && !handler_told; ++i) {
    for (const auto& r : fake_.requests_to("/send_private_msg")) handler_told |= r.json["user_id"] == 30000;
    if (!handler_told) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(handler_told);

  EXPECT_EQ(act(number, {{"action", "accept"}}, dept).status, 403) << "wrong role for the action";
  ASSERT_EQ(act(number, {{"action", "acknowledge"}}, dept).status, 200);
  auto replied = act(number, {{"action", "reply"}, {"text", "路灯已于本周更换，感谢反映。"}}, dept);
  ASSERT_EQ(replied.status, 200) << replied.raw;
  EXPECT_EQ(json::parse(replied.body)["state"], "replied");

  // The resident's group hears about the reply (neutral post, through the outbox).
  ASSERT_TRUE(fake_.wait_for(group_posts_before + 1, 10s, "/send_group_msg"));
  auto log = json::parse(get("/api/v1/cases/" + number, kAdmin).body)["log"];
  std::vector<std::string> steps;
  for (const auto& e : log) steps.push_back(e["what"]);
  EXPECT_EQ(steps, (std::vector<std::string>{"filed", "routed", "accept", "assign", "acknowledge", "reply"}));
  EXPECT_EQ(log[2]["by"]["role"], "deputy");
  EXPECT_EQ(log[5]["by"]["name"], "transport部门");

  auto dl = get("/api/v1/outbox/dead-letters", kAdmin);
  ASSERT_EQ(dl.status, 200);
  EXPECT_TRUE(json::parse(dl.body)["items"].empty()) << dl.body;
  EXPECT_EQ(get("/api/v1/outbox/dead-letters", dep).status, 403);
}

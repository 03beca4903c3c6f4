// Concentrated problems (问题较为集中): similar cases in one village reaching the configured
// count are linked into a cluster, all marked for key supervision, and the committee hears
// once; a later similar case joins the cluster without another notice.
#include "support/app_runner.hpp"
#include "support/fake_platform.hpp"
#include "support/http_client.hpp"
#include "support/paths.hpp"
#include "support/redis_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>
#include <thread>

using namespace lianxin::test;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

std::string config_for(const std::string& api_base) {
  json c = fixture_config({
      {"workflow", {{"clusters", {{"min_cases", 3}}}}},
      {"web", {{"submits_per_hour", 1000}}},
      {"scheduler", {{"poll_ms", 50}}},
      {"platforms",
       {{"onebot", {{"demo", {{"self_id", "10000"}, {"access_token", "onebot-token"}, {"api_base", api_base}}}}}}}});
  return c.dump();
}

class Clusters : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_server::shared().flush();
    app_ = std::make_unique<app_runner>(redis_server::shared().url(), config_for(fake_.base_url()));
  }
  void TearDown() override { app_.reset(); }

  // Files one case through the deputy's web page, answering "a new one" if a similar case is offered.
  std::string file(const std::string& text) {
    auto page = http_request(app_->port(), "GET", "/d/D0001", "", "");
    std::smatch m;
    std::regex cookie("lx_csrf=([0-9a-f]{32})"), csrf("name=\"csrf\" value=\"([^\"]+)\"");
    std::string ck, tok;
    if (std::regex_search(page.raw, m, cookie)) ck = "lx_csrf=" + m[1].str();
    if (std::regex_search(page.body, m, csrf)) tok = m[1].str();
    std::string body = "--B\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + tok +
                       "\r\n--B\r\nContent-Disposition: form-data; name=\"content\"\r\n\r\n" + text +
                       "\r\n--B\r\nContent-Disposition: form-data; name=\"village\"\r\n\r\nv1\r\n--B--\r\n";
    auto r = http_request(app_->port(), "POST", "/d/D0001", body,
                          "Content-Type: multipart/form-data; boundary=B\r\nCookie: " + ck + "\r\n");
    if (r.body.find("name=\"choice\"") != std::string::npos) {
      r = http_request(app_->port(), "POST", "/d/D0001", "csrf=" + tok + "&choice=new",
                       "Content-Type: application/x-www-form-urlencoded\r\nCookie: " + ck + "\r\n");
    }
    std::regex number("(RN-[0-9]{8}-[0-9]{4})");
    EXPECT_EQ(r.status, 201) << r.body;
    return std::regex_search(r.body, m, number) ? m[1].str() : "";
  }

  json case_json(const std::string& number) {
    return json::parse(redis_server::shared().command({"HGET", "lx:{rn}:case:" + number, "json"}).text());
  }

  std::size_t committee_messages() {
    std::size_t n = 0;
    for (const auto& r : fake_.requests_to("/send_private_msg")) n += r.json["user_id"] == 40001;
    return n;
  }

  fake_platform fake_;
  std::unique_ptr<app_runner> app_;
};

}  // namespace

TEST_F(Clusters, SimilarCasesReachingTheCountAreSupervisedTogether) {
  std::vector<std::string> numbers;
  numbers.push_back(file("小寨村东头的路灯坏了三个月，晚上走路看不见"));
  numbers.push_back(file("小寨村东头的路灯坏了两个月，晚上走路看不清"));
  std::this_thread::sleep_for(400ms);
  EXPECT_FALSE(case_json(numbers[0]).contains("clu")) << "two are not yet a concentrated problem";
  numbers.push_back(file("村东头的路灯坏了三个月了，晚上走路看不见，老人摔了一跤"));
  std::string cluster;
  for (int i = 0; i < 100; ++i) {
    bool all = true;
    for (const auto& n : numbers) all = all && case_json(n).contains("clu");
    if (all) break;
    std::this_thread::sleep_for(50ms);
  }
  for (const auto& n : numbers) {
    auto c = case_json(n);
    ASSERT_TRUE(c.contains("clu")) << n << " " << c.dump();
    if (cluster.empty()) cluster = c["clu"];
    EXPECT_EQ(c["clu"], cluster);
    EXPECT_EQ(c.value("cmt", ""), "c1") << c.dump();
  }
  ASSERT_TRUE(fake_.wait_for(1, 5s, "/send_private_msg"));
  for (int i = 0; i < 40 && committee_messages() == 0; ++i) std::this_thread::sleep_for(50ms);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(committee_messages(), 1u) << "the committee hears once per cluster";

  // A fourth similar case joins the cluster quietly.
  auto fourth = file("小寨村东头路灯坏了好几个月，晚上走路看不见，请尽快修");
  for (int i = 0; i < 100 && !case_json(fourth).contains("clu"); ++i) std::this_thread::sleep_for(50ms);
  EXPECT_EQ(case_json(fourth).value("clu", ""), cluster);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(committee_messages(), 1u);
  // An unrelated case in the same village stays out.
  auto other = file("村里的自来水发黄有怪味，已经一个星期了");
  std::this_thread::sleep_for(400ms);
  EXPECT_FALSE(case_json(other).contains("clu"));
}

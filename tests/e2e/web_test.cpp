// The 码上提 pages over real HTTP (the browser tier drives the same pages in Chromium): what a
// hostile or clumsy client gets, and that nothing is filed twice or without a valid form.
#include "support/app_runner.hpp"
#include "support/fake_platform.hpp"
#include "support/http_client.hpp"
#include "support/paths.hpp"
#include "support/redis_server.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>

using namespace lianxin::test;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

std::string config_for(const std::string& api_base, int per_hour = 20) {
  json c = fixture_config({
      {"admin", {{"token", "web-test-admin-token"}}},
      {"web", {{"submits_per_hour", per_hour}}},
      {"platforms",
       {{"onebot", {{"demo", {{"self_id", "10000"}, {"access_token", "onebot-token"}, {"api_base", api_base}}}}}}}});
  return c.dump();
}

struct form_session {
  std::string cookie;  // "lx_csrf=..."
  std::string csrf;
};

std::string multipart(const std::vector<std::pair<std::string, std::string>>& fields,
                      const std::vector<std::pair<std::string, std::string>>& files = {}) {
  std::string b;
  for (const auto& [k, v] : fields) {
    b += "--BOUNDARY\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v + "\r\n";
  }
  for (const auto& [name, bytes] : files) {
    b += "--BOUNDARY\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"" + name +
         "\"\r\nContent-Type: image/png\r\n\r\n" + bytes + "\r\n";
  }
  return b + "--BOUNDARY--\r\n";
}

class WebPages : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_server::shared().flush();
    app_ = std::make_unique<app_runner>(redis_server::shared().url(), config_for(fake_.base_url()));
  }
  void TearDown() override { app_.reset(); }

  form_session open_form(const std::string& code = "D0001") {
    auto r = http_request(app_->port(), "GET", "/d/" + code, "", "");
    EXPECT_EQ(r.status, 200) << r.raw;
    form_session s;
    std::smatch m;
    std::regex cookie("lx_csrf=([0-9a-f]{32})");
    if (std::regex_search(r.raw, m, cookie)) s.cookie = "lx_csrf=" + m[1].str();
    std::regex csrf("name=\"csrf\" value=\"([^\"]+)\"");
    if (std::regex_search(r.body, m, csrf)) s.csrf = m[1].str();
    EXPECT_FALSE(s.cookie.empty());
    EXPECT_FALSE(s.csrf.empty());
    return s;
  }

  http_result post_form(const form_session& s, const std::string& text, const std::string& village = "v1",
                        const std::vector<std::pair<std::string, std::string>>& files = {},
                        const std::string& phone = "") {
    auto body = multipart({{"csrf", s.csrf}, {"content", text}, {"village", village}, {"phone", phone}}, files);
    return http_request(app_->port(), "POST", "/d/D0001", body,
                        "Content-Type: multipart/form-data; boundary=BOUNDARY\r\nCookie: " + s.cookie + "\r\n");
  }

  std::size_t case_count() {
    return redis_server::shared().command({"ZRANGE", "lx:{rn}:cases", "0", "-1"}).elements().size();
  }

  fake_platform fake_;
  std::unique_ptr<app_runner> app_;
};

}  // namespace

TEST_F(WebPages, ThePageIsSafeToServe) {
  auto r = http_request(app_->port(), "GET", "/d/D0001", "", "");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.raw.find("Content-Security-Policy: default-src 'none'"), std::string::npos);
  EXPECT_NE(r.raw.find("X-Content-Type-Options: nosniff"), std::string::npos);
  EXPECT_NE(r.raw.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_NE(r.raw.find("HttpOnly; SameSite=Strict"), std::string::npos);
  EXPECT_NE(r.body.find("王建国"), std::string::npos);
  EXPECT_EQ(r.body.find("http://"), std::string::npos) << "no external resources";
  EXPECT_EQ(r.body.find("<script>"), std::string::npos) << "no inline scripts";
  auto missing = http_request(app_->port(), "GET", "/d/D9999", "", "");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("没有找到"), std::string::npos);
  EXPECT_EQ(http_request(app_->port(), "GET", "/static/app.css", "", "").status, 200);
  EXPECT_EQ(http_request(app_->port(), "GET", "/static/nope.js", "", "").status, 404);
  auto cls = http_request(app_->port(), "GET", "/web/classify?text=%E8%B7%AF%E7%81%AF%E5%9D%8F%E4%BA%86", "", "");
  ASSERT_EQ(cls.status, 200);
  EXPECT_EQ(json::parse(cls.body)["category"], "roads");
}

TEST_F(WebPages, WithoutAValidFormNothingIsFiled) {
  auto s = open_form();
  auto no_cookie = http_request(app_->port(), "POST", "/d/D0001", multipart({{"csrf", s.csrf}, {"content", "村口路灯坏了好久了"}, {"village", "v1"}}),
                                "Content-Type: multipart/form-data; boundary=BOUNDARY\r\n");
  EXPECT_EQ(no_cookie.status, 403);
  auto other = open_form();
  auto mixed = http_request(app_->port(), "POST", "/d/D0001", multipart({{"csrf", s.csrf}, {"content", "村口路灯坏了好久了"}, {"village", "v1"}}),
                            "Content-Type: multipart/form-data; boundary=BOUNDARY\r\nCookie: " + other.cookie + "\r\n");
  EXPECT_EQ(mixed.status, 403) << "a token from another browser";
  auto plain = http_request(app_->port(), "POST", "/d/D0001", "content=x", "Content-Type: text/plain\r\nCookie: " + s.cookie + "\r\n");
  EXPECT_EQ(plain.status, 415);
  auto broken = http_request(app_->port(), "POST", "/d/D0001", "--BOUNDARY\r\nnonsense",
                             "Content-Type: multipart/form-data; boundary=BOUNDARY\r\nCookie: " + s.cookie + "\r\n");
  EXPECT_EQ(broken.status, 400);
  EXPECT_EQ(post_form(s, "短").status, 400);
  auto bad_phone = post_form(s, "村口路灯坏了好久了", "v1", {}, "12345");
  EXPECT_EQ(bad_phone.status, 400);
  EXPECT_NE(bad_phone.body.find("电话号码不对"), std::string::npos);
  EXPECT_NE(bad_phone.body.find("村口路灯坏了好久了"), std::string::npos) << "what was typed is kept";
  EXPECT_EQ(post_form(s, "村口路灯坏了好久了", "nowhere").status, 400);
  auto not_image = post_form(s, "村口路灯坏了好久了", "v1", {{"a.png", "<svg onload=alert(1)>"}});
  EXPECT_EQ(not_image.status, 400);
  EXPECT_NE(not_image.body.find("照片"), std::string::npos);
  auto fire = post_form(s, "着火了！村东头草垛烧起来了");
  EXPECT_EQ(fire.status, 200);
  EXPECT_NE(fire.body.find("119"), std::string::npos);
  EXPECT_EQ(case_count(), 0u);
}

TEST_F(WebPages, ADoubleSubmitFilesOnceAndTheLinkTracksIt) {
  auto s = open_form();
  auto first = post_form(s, "村东头的路灯坏了三个月，晚上走路看不见", "v1", {}, "13800001111");
  ASSERT_EQ(first.status, 201) << first.body;
  auto again = post_form(s, "村东头的路灯坏了三个月，晚上走路看不见", "v1", {}, "13800001111");
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(case_count(), 1u);
  std::smatch m;
  std::regex link("href=\"(/c/(RN-[0-9]{8}-[0-9]{4})\\?t=([0-9a-f]{32}))\"");
  ASSERT_TRUE(std::regex_search(first.body, m, link)) << first.body;
  const std::string href = m[1].str(), number = m[2].str();
  std::smatch m2;
  ASSERT_TRUE(std::regex_search(again.body, m2, link));
  EXPECT_EQ(m2[2].str(), number) << "the same case both times";

  auto track = http_request(app_->port(), "GET", href, "", "");
  ASSERT_EQ(track.status, 200);
  EXPECT_NE(track.body.find(number), std::string::npos);
  EXPECT_EQ(track.body.find("13800001111"), std::string::npos) << "no phone on the tracking page";
  EXPECT_NE(track.raw.find("Referrer-Policy: no-referrer"), std::string::npos);
  EXPECT_EQ(http_request(app_->port(), "GET", "/c/" + number + "?t=" + std::string(32, 'a'), "", "").status, 404);
  EXPECT_EQ(http_request(app_->port(), "GET", "/c/" + number, "", "").status, 404);

  // The case is addressed to the page's deputy, with the contact kept apart.
  auto c = json::parse(redis_server::shared().command({"HGET", "lx:{rn}:case:" + number, "json"}).text());
  EXPECT_EQ(c["dep"], "D0001");
  EXPECT_EQ(redis_server::shared().command({"HGET", "lx:{rn}:contact:" + number, "phone"}).text(), "13800001111");
  EXPECT_EQ(c.dump().find("13800001111"), std::string::npos);
}

TEST_F(WebPages, ASimilarOpenCaseIsOfferedAndCanBeJoined) {
  auto s1 = open_form();
  ASSERT_EQ(post_form(s1, "村东头的路灯坏了三个月，晚上走路看不见").status, 201);
  auto s2 = open_form();
  auto offer = post_form(s2, "村东头路灯坏了三个月了，晚上走路看不见");
  ASSERT_EQ(offer.status, 200);
  EXPECT_NE(offer.body.find("差不多的问题"), std::string::npos) << offer.body;
  std::smatch m;
  std::regex choice("name=\"choice\" value=\"(RN-[0-9]{8}-[0-9]{4})\"");
  ASSERT_TRUE(std::regex_search(offer.body, m, choice));
  const std::string number = m[1].str();
  auto joined = http_request(app_->port(), "POST", "/d/D0001", "csrf=" + s2.csrf + "&choice=" + number,
                             "Content-Type: application/x-www-form-urlencoded\r\nCookie: " + s2.cookie + "\r\n");
  ASSERT_EQ(joined.status, 200) << joined.body;
  EXPECT_NE(joined.body.find(number), std::string::npos);
  EXPECT_EQ(case_count(), 1u);
  auto c = json::parse(redis_server::shared().command({"HGET", "lx:{rn}:case:" + number, "json"}).text());
  ASSERT_TRUE(c.contains("fol")) << c.dump();
  EXPECT_EQ(c["fol"].size(), 1u);
  // A choice that was not offered is refused.
  auto s3 = open_form();
  auto forged = http_request(app_->port(), "POST", "/d/D0001", "csrf=" + s3.csrf + "&choice=RN-20200101-0001",
                             "Content-Type: application/x-www-form-urlencoded\r\nCookie: " + s3.cookie + "\r\n");
  EXPECT_EQ(forged.status, 410);
}

TEST_F(WebPages, SubmissionsArePerAddressRateLimited) {
  app_.reset();
  redis_server::shared().flush();
  app_ = std::make_unique<app_runner>(redis_server::shared().url(), config_for(fake_.base_url(), 2));
  const char* texts[] = {"村东头的路灯坏了三个月", "学校门口的路上坑很多", "自来水发黄有味道好几天了"};
  std::vector<int> statuses;
  for (const char* t : texts) statuses.push_back(post_form(open_form(), t).status);
  EXPECT_EQ(statuses, (std::vector<int>{201, 201, 429}));
  EXPECT_EQ(case_count(), 2u);
}

TEST_F(WebPages, QrCodesAndPostersAreServed) {
  auto png = http_request(app_->port(), "GET", "/api/v1/deputies/D0001/qr.png", "", "Host: lx.example.cn\r\n");
  ASSERT_EQ(png.status, 200);
  EXPECT_EQ(png.body.substr(1, 3), "PNG");
  auto svg = http_request(app_->port(), "GET", "/api/v1/deputies/D0001/qr.svg", "", "");
  ASSERT_EQ(svg.status, 200);
  EXPECT_NE(svg.body.find("<svg"), std::string::npos);
  auto poster = http_request(app_->port(), "GET", "/api/v1/deputies/D0001/poster.svg", "", "Host: lx.example.cn\r\n");
  ASSERT_EQ(poster.status, 200);
  EXPECT_NE(poster.body.find("王建国"), std::string::npos);
  EXPECT_NE(poster.body.find("/d/D0001"), std::string::npos);
  EXPECT_EQ(http_request(app_->port(), "GET", "/api/v1/deputies/D9999/qr.png", "", "").status, 404);
  EXPECT_EQ(http_request(app_->port(), "GET", "/api/v1/deputies/D0001/other.gif", "", "").status, 404);
}

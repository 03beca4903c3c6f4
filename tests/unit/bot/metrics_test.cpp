#include "bot/core/metrics.hpp"
#include "bot/store/keys.hpp"

#include <gtest/gtest.h>

using lianxin::metrics::registry;

TEST(Metrics, RendersPrometheusText) {
  registry m;
  m.describe_counter("lx_http_requests_total", "HTTP requests");
  m.inc("lx_http_requests_total", {{"route", "/healthz"}, {"status", "200"}});
  m.inc("lx_http_requests_total", {{"route", "/healthz"}, {"status", "200"}});
  m.set("lx_redis_up", {}, 1);
  m.describe_histogram("lx_lat_seconds", "latency", {0.01, 0.1});
  m.observe("lx_lat_seconds", {{"route", "a\"b"}}, 0.005);
  m.observe("lx_lat_seconds", {{"route", "a\"b"}}, 0.05);
  m.observe("lx_lat_seconds", {{"route", "a\"b"}}, 5);
  auto text = m.render();
  EXPECT_NE(text.find("# HELP lx_http_requests_total HTTP requests\n# TYPE lx_http_requests_total counter\n"),
            std::string::npos);
  EXPECT_NE(text.find("lx_http_requests_total{route=\"/healthz\",status=\"200\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("lx_redis_up 1\n"), std::string::npos);
  EXPECT_NE(text.find("lx_lat_seconds_bucket{route=\"a\\\"b\",le=\"0.01\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("lx_lat_seconds_bucket{route=\"a\\\"b\",le=\"0.1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("lx_lat_seconds_bucket{route=\"a\\\"b\",le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("lx_lat_seconds_count{route=\"a\\\"b\"} 3\n"), std::string::npos);
  EXPECT_EQ(m.value("lx_http_requests_total", {{"route", "/healthz"}, {"status", "200"}}), 2);
}

TEST(Keys, CarryTheTenantInAHashTag) {
  lianxin::store::keys k("lx", "rn");
  EXPECT_EQ(k.make("case", "RN-20261128-0042"), "lx:{rn}:case:RN-20261128-0042");
  EXPECT_EQ(k.make("dedupe"), "lx:{rn}:dedupe");
}

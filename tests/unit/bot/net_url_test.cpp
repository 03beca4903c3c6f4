// URL parsing and encoding for outbound calls (pure, no sockets).
#include "bot/net/url.hpp"

#include <gtest/gtest.h>

using namespace lianxin::net;

TEST(NetUrl, ParsesSchemeHostPortAndTarget) {
  auto r = parse_url("https://API.sgroup.qq.com/v2/groups/abc/messages?x=1#frag");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(r.value.tls);
  EXPECT_EQ(r.value.host, "api.sgroup.qq.com");
  EXPECT_EQ(r.value.port, 443);
  EXPECT_EQ(r.value.target, "/v2/groups/abc/messages?x=1");
  EXPECT_EQ(r.value.origin(), "https://api.sgroup.qq.com:443");

  auto p = parse_url("http://127.0.0.1:5700");
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p.value.tls);
  EXPECT_EQ(p.value.port, 5700);
  EXPECT_EQ(p.value.target, "/");
  EXPECT_TRUE(p.value.host_is_ip());

  auto q = parse_url("http://h?a=b");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q.value.target, "/?a=b");
  EXPECT_EQ(q.value.port, 80);

  auto v6 = parse_url("https://[::1]:8443/x");
  ASSERT_TRUE(v6.ok()) << v6.error;
  EXPECT_EQ(v6.value.host, "::1");
  EXPECT_EQ(v6.value.port, 8443);
  EXPECT_TRUE(v6.value.host_is_ip());
  EXPECT_EQ(v6.value.origin(), "https://[::1]:8443");
}

TEST(NetUrl, RejectsWhatCouldRedirectOrInject) {
  for (const char* bad : {"", "ftp://h/", "h/x", "https://user@evil.example/", "https://h:0/", "https://h:65536/",
                          "https://h:x/", "https:///x", "https://h/a b", "https://h/\r\nX: y", "https://[::1/x",
                          "https://h:/"}) {
    auto r = parse_url(bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_FALSE(r.error.empty()) << bad;
  }
}

TEST(NetUrl, EncodesQueryPairsStrictly) {
  EXPECT_EQ(url_encode("a b+c/d=e&f~g.h-i_j"), "a%20b%2Bc%2Fd%3De%26f~g.h-i_j");
  EXPECT_EQ(url_encode("中"), "%E4%B8%AD");
  EXPECT_EQ(append_query("/p", {{"key", "k+1"}, {"x", ""}}), "/p?key=k%2B1&x=");
  EXPECT_EQ(append_query("/p?a=1", {{"b", "2"}}), "/p?a=1&b=2");
  EXPECT_EQ(append_query("/p", {}), "/p");
}

TEST(NetUrl, RedactsSecretsInTargets) {
  EXPECT_EQ(redact_target("/cgi-bin/message/send?access_token=SECRET&x=1"), "/cgi-bin/message/send?access_token=***&x=1");
  EXPECT_EQ(redact_target("/cgi-bin/webhook/send?key=abc"), "/cgi-bin/webhook/send?key=***");
  EXPECT_EQ(redact_target("/plain"), "/plain");
  EXPECT_EQ(redact_target("/p?keyword=1"), "/p?keyword=1");
}

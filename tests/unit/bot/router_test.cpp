#include "bot/http/router.hpp"

#include <gtest/gtest.h>

using namespace lianxin::http;
namespace bh = boost::beast::http;

namespace {
handler noop() {
  return [](request_context& ctx) -> lianxin::awaitable<response> { co_return make_response(ctx.req, 200, ""); };
}
}  // namespace

TEST(Router, MatchesLiteralsAndParameters) {
  router r;
  r.add(bh::verb::get, "/healthz", noop());
  r.add(bh::verb::post, "/webhook/onebot/{bot}", noop());
  r.add(bh::verb::get, "/webhook/onebot/{bot}/ws", noop());
  auto m = r.find(bh::verb::post, "/webhook/onebot/demo");
  ASSERT_NE(m.h, nullptr);
  EXPECT_EQ(m.pattern, "/webhook/onebot/{bot}");
  EXPECT_EQ(m.params["bot"], "demo");
  auto ws = r.find(bh::verb::get, "/webhook/onebot/demo/ws");
  ASSERT_NE(ws.h, nullptr);
  EXPECT_EQ(ws.params["bot"], "demo");
  EXPECT_NE(r.find(bh::verb::get, "/healthz").h, nullptr);
  EXPECT_NE(r.find(bh::verb::head, "/healthz").h, nullptr);
}

TEST(Router, UnknownPathIs404AndWrongMethodIs405) {
  router r;
  r.add(bh::verb::post, "/webhook/qq/{bot}", noop());
  r.add(bh::verb::get, "/webhook/wecom/{bot}", noop());
  r.add(bh::verb::post, "/webhook/wecom/{bot}", noop());
  EXPECT_EQ(r.find(bh::verb::get, "/nope").status, 404u);
  EXPECT_EQ(r.find(bh::verb::post, "/webhook/qq").status, 404u);
  EXPECT_EQ(r.find(bh::verb::post, "/webhook/qq/a/b").status, 404u);
  auto m = r.find(bh::verb::get, "/webhook/qq/demo");
  EXPECT_EQ(m.h, nullptr);
  EXPECT_EQ(m.status, 405u);
  EXPECT_EQ(m.allow, "POST");
  EXPECT_EQ(r.find(bh::verb::put, "/webhook/wecom/x").allow, "GET, POST");
}

TEST(Router, DecodesParametersAndTakesTheRest) {
  router r;
  r.add(bh::verb::get, "/d/{code}", noop());
  r.add(bh::verb::get, "/static/{path...}", noop());
  auto m = r.find(bh::verb::get, "/d/D%30123");
  ASSERT_NE(m.h, nullptr);
  EXPECT_EQ(m.params["code"], "D0123");
  auto s = r.find(bh::verb::get, "/static/css/app.css");
  ASSERT_NE(s.h, nullptr);
  EXPECT_EQ(s.params["path"], "css/app.css");
}

TEST(Router, QueryParsing) {
  auto q = parse_query("msg_signature=abc&timestamp=1409304348&nonce=x%2By&echostr=a+b&flag");
  EXPECT_EQ(q["msg_signature"], "abc");
  EXPECT_EQ(q["nonce"], "x+y");
  EXPECT_EQ(q["echostr"], "a b");
  EXPECT_EQ(q["flag"], "");
  EXPECT_EQ(url_decode("%E4%B8%AD%zz"), "中%zz");
}

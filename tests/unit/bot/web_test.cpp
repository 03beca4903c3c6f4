// Pure parts of the web pages: form parsing (urlencoded and multipart), tokens, escaping and
// the template renderer.
#include "bot/web/form.hpp"
#include "bot/web/html.hpp"
#include "bot/web/tokens.hpp"

#include <gtest/gtest.h>

using namespace lianxin::web;

TEST(WebForm, UrlencodedDecodesPlusAndPercent) {
  auto f = parse_form("application/x-www-form-urlencoded; charset=UTF-8", "a=1+2&b=%E4%B8%AD&c=&d");
  ASSERT_TRUE(f.error.empty()) << f.error;
  EXPECT_EQ(f.text("a"), "1 2");
  EXPECT_EQ(f.text("b"), "中");
  EXPECT_EQ(f.text("c"), "");
  EXPECT_NE(f.find("d"), nullptr);
  EXPECT_EQ(f.text("missing"), "");
}

TEST(WebForm, MultipartFieldsAndFiles) {
  std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"content\"\r\n\r\n路灯坏了\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"a \\\"b\\\".png\"\r\n"
      "Content-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\nDATA\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"\"\r\n"
      "Content-Type: application/octet-stream\r\n\r\n\r\n"
      "--XyZ--\r\n";
  auto f = parse_form("multipart/form-data; boundary=XyZ", body);
  ASSERT_TRUE(f.error.empty()) << f.error;
  ASSERT_EQ(f.fields.size(), 3u);
  EXPECT_EQ(f.text("content"), "路灯坏了");
  EXPECT_TRUE(f.fields[1].is_file);
  EXPECT_EQ(f.fields[1].filename, "a \"b\".png");
  EXPECT_EQ(f.fields[1].content_type, "image/png");
  EXPECT_EQ(f.fields[1].value, std::string("\x89PNG\r\n\x1a\nDATA"));
  EXPECT_TRUE(f.fields[2].is_file);
  EXPECT_TRUE(f.fields[2].value.empty());
  EXPECT_EQ(f.text("photos"), "") << "text() never returns file bytes";
}

TEST(WebForm, QuotedBoundaryAndBadBodies) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=\"a b\""), "a b");
  EXPECT_FALSE(multipart_boundary("multipart/form-data"));
  EXPECT_FALSE(multipart_boundary("text/plain; boundary=x"));
  EXPECT_FALSE(parse_form("text/plain", "x=1").error.empty());
  EXPECT_FALSE(parse_form("multipart/form-data; boundary=B", "no boundary here").error.empty());
  EXPECT_FALSE(parse_form("multipart/form-data; boundary=B", "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated").error.empty());
  EXPECT_FALSE(parse_form("multipart/form-data; boundary=B", "--B\r\nContent-Type: text/plain\r\n\r\nx\r\n--B--").error.empty())
      << "a part needs Content-Disposition";
  EXPECT_FALSE(parse_form("multipart/form-data; boundary=B", "--B\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--B--").error.empty());
  std::string many;
  for (int i = 0; i < 40; ++i) many += "--B\r\nContent-Disposition: form-data; name=\"f" + std::to_string(i) + "\"\r\n\r\nv\r\n";
  many += "--B--";
  EXPECT_EQ(parse_form("multipart/form-data; boundary=B", many).error, "too many fields");
}

TEST(WebTokens, TrackingLinksAreBoundToTheCaseNumber) {
  auto t = link_token("secret-0123456789", "RN-20261128-0001");
  EXPECT_EQ(t.size(), 32u);
  EXPECT_TRUE(check_link_token("secret-0123456789", "RN-20261128-0001", t));
  EXPECT_FALSE(check_link_token("secret-0123456789", "RN-20261128-0002", t));
  EXPECT_FALSE(check_link_token("another-secret-xyz", "RN-20261128-0001", t));
  EXPECT_FALSE(check_link_token("secret-0123456789", "RN-20261128-0001", t.substr(0, 31)));
}

TEST(WebTokens, CsrfNeedsTheCookieTheMacAndFreshness) {
  const std::string key = "secret-0123456789";
  auto nonce = new_nonce();
  EXPECT_EQ(nonce.size(), 32u);
  EXPECT_NE(nonce, new_nonce());
  auto tok = csrf_token(key, nonce, 1000);
  EXPECT_EQ(check_csrf(key, tok, nonce, 1500, 7200), nonce);
  EXPECT_FALSE(check_csrf(key, tok, new_nonce(), 1500, 7200)) << "another browser's cookie";
  EXPECT_FALSE(check_csrf(key, tok, nonce, 1000 + 7201, 7200)) << "too old";
  EXPECT_FALSE(check_csrf(key, tok, nonce, 900, 7200)) << "from the future";
  EXPECT_FALSE(check_csrf("other-secret-0000", tok, nonce, 1500, 7200));
  auto forged = tok;
  forged[forged.size() - 1] = forged.back() == '0' ? '1' : '0';
  EXPECT_FALSE(check_csrf(key, forged, nonce, 1500, 7200));
  EXPECT_FALSE(check_csrf(key, "garbage", nonce, 1500, 7200));
  EXPECT_EQ(cookie_value("a=1; lx_csrf=abc; b=2", "lx_csrf"), "abc");
  EXPECT_EQ(cookie_value("lx_csrfx=1", "lx_csrf"), "");
}

TEST(WebHtml, EscapesAndRendersFromTheCatalogue) {
  EXPECT_EQ(escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  std::vector<std::string> missing;
  auto cat = [](std::string_view k) { return std::string(k) == "web.hello" ? "你好<>" : std::string(k); };
  auto out = render("<p>{{web.hello}} {{name}} {{{raw}}} {{nope}}</p>",
                    {{"name", "<b>"}, {"raw", "<i>x</i>"}}, cat, &missing);
  EXPECT_EQ(out, "<p>你好&lt;&gt; &lt;b&gt; <i>x</i> </p>");
  EXPECT_EQ(missing, (std::vector<std::string>{"nope"}));
}

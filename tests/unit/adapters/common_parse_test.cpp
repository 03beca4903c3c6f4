// Timestamps, safe JSON and the flat XML reader against the bad-input catalogue (B17, B27,
// B29-B33).
#include <gtest/gtest.h>

#include "adapters/common/flat_xml.hpp"
#include "adapters/common/safe_json.hpp"
#include "adapters/common/timestamp.hpp"
#include "adapters/http_io.hpp"

namespace c = lianxin::adapters::common;
namespace a = lianxin::adapters;

TEST(Timestamp, StrictParse) {
  EXPECT_EQ(c::parse_unix_seconds("1409659589"), 1409659589);
  EXPECT_EQ(c::parse_unix_seconds("0"), 0);
  for (const char* bad : {"abc", "-5", "1e30", "1234567890123456789012345678901234567890", "", " 1",
                          "1 ", "+5", "0123", "12.5", "0x10"}) {
    EXPECT_FALSE(c::parse_unix_seconds(bad)) << bad;
  }
}

TEST(Timestamp, FreshnessWindow) {
  EXPECT_TRUE(c::is_fresh(1000, 1300));
  EXPECT_FALSE(c::is_fresh(1000, 1301));
  EXPECT_FALSE(c::is_fresh(1000 + 3600, 1000));
  EXPECT_TRUE(c::is_fresh(1000, 1010, 10));
}

TEST(Timestamp, Rfc3339) {
  EXPECT_EQ(c::parse_rfc3339("2023-11-06T13:37:18+08:00"), 1699249038);
  EXPECT_EQ(c::parse_rfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(c::parse_rfc3339("2024-10-15T16:33:15.123+08:00"), 1728981195);
  EXPECT_FALSE(c::parse_rfc3339("2023-13-06T13:37:18+08:00"));
  EXPECT_FALSE(c::parse_rfc3339("yesterday"));
}

TEST(SafeJson, ParsesOrdinaryBodies) {
  auto j = c::parse_json(R"({"a":[1,2,{"b":"c"}],"d":null})");
  ASSERT_TRUE(j);
  EXPECT_EQ((*j)["a"][2]["b"], "c");
}

TEST(SafeJson, RejectsDeepNesting) {
  EXPECT_EQ(c::parse_json(std::string(100000, '[') + std::string(100000, ']'),
                          {.max_bytes = 1 << 20, .max_depth = 32})
                .error(),
            c::json_error::too_deep);
  EXPECT_TRUE(c::parse_json(std::string(32, '[') + std::string(32, ']')));
  EXPECT_FALSE(c::parse_json(std::string(33, '[') + std::string(33, ']')));
}

TEST(SafeJson, RejectsDuplicateKeysAtAnyLevel) {
  EXPECT_EQ(c::parse_json(R"({"id":"a","id":"b"})").error(), c::json_error::duplicate_key);
  EXPECT_EQ(c::parse_json(R"({"d":{"x":1,"x":1}})").error(), c::json_error::duplicate_key);
  EXPECT_TRUE(c::parse_json(R"([{"x":1},{"x":1}])"));
}

TEST(SafeJson, RejectsBadUtf8AndSurrogates) {
  EXPECT_FALSE(c::parse_json(R"({"t":"\ud800"})"));
  EXPECT_FALSE(c::parse_json(R"({"t":"\udc00x"})"));
  EXPECT_FALSE(c::parse_json("{\"t\":\"\xc0\xaf\"}"));  // overlong '/'
  EXPECT_FALSE(c::parse_json("{\"t\":\"\xff\"}"));
  EXPECT_TRUE(c::parse_json(R"({"t":"\ud83d\ude00"})"));
}

TEST(SafeJson, KeepsNulWithExplicitLength) {
  auto j = c::parse_json(R"({"t":"a\u0000b"})");
  ASSERT_TRUE(j);
  EXPECT_EQ((*j)["t"].get<std::string>().size(), 3u);
}

TEST(SafeJson, RejectsOversizeAndGarbage) {
  EXPECT_EQ(c::parse_json(std::string(300 * 1024, ' ')).error(), c::json_error::too_large);
  EXPECT_FALSE(c::parse_json("{"));
  EXPECT_FALSE(c::parse_json(""));
  EXPECT_FALSE(c::parse_json(R"({"a":1} trailing)"));
}

TEST(SafeJson, CanonicalIds) {
  struct row { const char* json; const char* expected; };
  for (const row& r : std::initializer_list<row>{
           {"123", "123"}, {"\"123\"", "123"}, {"18446744073709551615", "18446744073709551615"},
           {"1e999", nullptr}, {"-0", nullptr}, {"18446744073709551616", nullptr}, {"0", nullptr},
           {"-5", nullptr}, {"1.0", nullptr}, {"\"0123\"", nullptr}, {"\"+1\"", nullptr},
           {"\" 1\"", nullptr}, {"\"18446744073709551616\"", nullptr}, {"null", nullptr},
           {"true", nullptr}, {"[1]", nullptr}}) {
    auto j = c::parse_json(std::string("{\"v\":") + r.json + "}");
    if (!j) {
      EXPECT_EQ(r.expected, nullptr) << r.json;  // 1e999 fails already at parse time
      continue;
    }
    auto id = c::canonical_id((*j)["v"]);
    if (r.expected) {
      EXPECT_EQ(id, r.expected) << r.json;
    } else {
      EXPECT_FALSE(id) << r.json;
    }
  }
}

TEST(FlatXml, ReadsCdataTextAndNesting) {
  auto doc = c::parse_flat_xml(
      "<?xml version=\"1.0\"?><xml><A><![CDATA[x<y]]></A>\n<B>1 &amp; 2 &#x4e2d;</B>"
      "<V><MediaId><![CDATA[m]]></MediaId></V><E/></xml>");
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->root, "xml");
  EXPECT_EQ(doc->get("A"), "x<y");
  EXPECT_EQ(doc->get("B"), "1 & 2 \xe4\xb8\xad");
  EXPECT_EQ(doc->get("V/MediaId"), "m");
  EXPECT_NE(doc->find("E"), nullptr);
  EXPECT_EQ(doc->find("Z"), nullptr);
}

TEST(FlatXml, RejectsDoctypeEntitiesAndTricks) {
  const std::pair<const char*, c::xml_error> cases[] = {
      {"<!DOCTYPE x [<!ENTITY a SYSTEM \"file:///etc/passwd\">]><xml><A>&a;</A></xml>", c::xml_error::doctype},
      {"<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]>"
       "<xml><A>&lol2;</A></xml>",
       c::xml_error::doctype},
      {"<xml><A>&lol9;</A></xml>", c::xml_error::bad_entity},
      {"<xml><!-- hi --><A>1</A></xml>", c::xml_error::doctype},
      {"<xml><?php x ?><A>1</A></xml>", c::xml_error::processing_instruction},
      {"<xml><A>1</A><A>2</A></xml>", c::xml_error::duplicate_element},
      {"<xml><A><B><C>1</C></B></A></xml>", c::xml_error::too_deep},
      {"<xml><A>1</B></xml>", c::xml_error::malformed},
      {"<xml><A>1</A>", c::xml_error::malformed},
      {"<xml></xml><xml></xml>", c::xml_error::malformed},
      {"text<xml/>", c::xml_error::malformed},
      {"<xml><A>&#0;</A></xml>", c::xml_error::bad_entity},
      {"<xml><A>&#xD800;</A></xml>", c::xml_error::bad_entity},
  };
  for (const auto& [text, err] : cases) {
    auto doc = c::parse_flat_xml(text);
    ASSERT_FALSE(doc) << text;
    EXPECT_EQ(doc.error(), err) << text;
  }
}

TEST(FlatXml, CapsSizeAndElements) {
  const std::string huge = "<xml><A>" + std::string(10 * 1024 * 1024, 'x') + "</A></xml>";
  EXPECT_EQ(c::parse_flat_xml(huge).error(), c::xml_error::too_large);
  std::string many = "<xml>";
  for (int i = 0; i < 300; ++i) many += "<A" + std::to_string(i) + ">1</A" + std::to_string(i) + ">";
  many += "</xml>";
  EXPECT_EQ(c::parse_flat_xml(many).error(), c::xml_error::too_many_elements);
}

TEST(FlatXml, CdataEscapesTerminator) {
  const std::string wrapped = "<xml><A>" + c::cdata("a]]>b") + "</A></xml>";
  auto doc = c::parse_flat_xml(wrapped);
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->get("A"), "a]]>b");
}

TEST(Query, DecodesWithoutPlusAsSpace) {
  auto q = a::parse_query("echostr=P9n%2Fq+4%3D%3D&nonce=1&x");
  ASSERT_TRUE(q);
  EXPECT_EQ((*q)["echostr"], "P9n/q+4==");
  EXPECT_EQ((*q)["x"], "");
  EXPECT_FALSE(a::parse_query("a=%2"));
  EXPECT_FALSE(a::parse_query("a=%zz"));
  EXPECT_FALSE(a::parse_query("a=1&a=2"));
}

TEST(Headers, CaseInsensitive) {
  a::header_map h;
  h.set("X-Signature", "v");
  ASSERT_NE(h.find("x-signature"), nullptr);
  EXPECT_EQ(*h.find("X-SIGNATURE"), "v");
  EXPECT_EQ(h.find("x-sig"), nullptr);
}

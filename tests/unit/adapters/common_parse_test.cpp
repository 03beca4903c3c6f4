// Timestamps, safe JSON and the flat XML reader against the bad-input catalogue (B17, B27,
// B29-B33).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

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

// The fast path (simdjson) must never change a result: every text gives the same outcome and
// the same tree as the checked nlohmann pass alone. Seeds from the bad-input catalogue and real
// bodies, then a few thousand deterministic mutations of them.
namespace {
void expect_same_as_checked(const std::string& text, const c::json_limits& limits = {}) {
  auto fast = c::parse_json(text, limits);
  auto checked = c::parse_json_checked(text, limits);
  ASSERT_EQ(fast.ok(), checked.ok()) << text;
  if (!fast) {
    EXPECT_EQ(fast.error(), checked.error()) << text;
    return;
  }
  EXPECT_EQ(*fast, *checked) << text;
  EXPECT_EQ(c::dump_json(*fast), c::dump_json(*checked)) << text;
  // Integer kinds matter to the id readers (canonical_id, as_int64).
  EXPECT_EQ(c::canonical_id(*fast), c::canonical_id(*checked)) << text;
}
}  // namespace

TEST(SafeJson, FastPathAgreesWithCheckedPass) {
  const std::vector<std::string> seeds = {
      R"({"time":1764000000,"self_id":10000,"post_type":"message","message_type":"group","sub_type":"normal","message_id":-2147483648,"group_id":900123,"user_id":101234,"message":[{"type":"at","data":{"qq":"10000"}},{"type":"text","data":{"text":" 建议 村东头路灯坏了\n三个月了"}}],"raw_message":"[CQ:at,qq=10000] 建议","font":0,"sender":{"user_id":101234,"nickname":"村民","role":"member"}})",
      R"({"op":0,"s":42,"t":"GROUP_AT_MESSAGE_CREATE","id":"ev-1","d":{"id":"m1","content":" 你好 \ud83d\ude00","timestamp":"2023-11-06T13:37:18+08:00","author":{"member_openid":"A1"}}})",
      R"([0,-0,1,-1,9223372036854775807,9223372036854775808,18446744073709551615,18446744073709551616,-9223372036854775808,-9223372036854775809,1.5,-0.0,1e5,1E-7,2.2250738585072014e-308,1e308,1e999,0.1])",
      R"({"a":{"b":{"c":[[[{"d":null,"e":true,"f":false,"g":""}]]]}},"h":"\u0000\"\\\/\b\f\n\r\t"})",
      R"({"id":"a","id":"b"})", R"({"d":{"x":1,"x":2}})", R"({"t":"\ud800"})", R"({"t":"\udc00x"})",
      "{\"t\":\"\xc0\xaf\"}", "{\"t\":\"\xff\"}", "{\"t\":\"a\x01\"}", "{\"t\":\"a\nb\"}",
      "\xef\xbb\xbf{\"a\":1}", " {\"a\" : [ 1 , 2 ] }\n", "{\"a\":1} trailing", "[1,]", "{\"a\":1,}", "",
      "{", "nul", "\"\\x\"", "123", "\"s\"", "[\"\xed\xa0\x80\"]", "[\"\xf4\x90\x80\x80\"]",
      std::string(32, '[') + std::string(32, ']'), std::string(33, '[') + std::string(33, ']'),
      std::string(2000, '[') + std::string(2000, ']'),
  };
  for (const auto& s : seeds) expect_same_as_checked(s);
  expect_same_as_checked(std::string(40, '[') + std::string(40, ']'), {.max_bytes = 1 << 20, .max_depth = 64});

  // Mutations: bytes that matter to a JSON reader, inserted, replaced or deleted at random.
  const std::string alphabet = std::string("{}[]\":,\\u0123456789abcdefABCDEF-+.eEtrunlsx \t\n") + '\0' +
                               "\x1f\x7f\x80\xbf\xc0\xc3\xe6\xed\xf0\xf4\xff";
  std::uint64_t state = 0x9e3779b97f4a7c15ull;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  int accepted = 0;
  for (int i = 0; i < 6000; ++i) {
    std::string t = seeds[next() % 4];
    const int edits = 1 + static_cast<int>(next() % 3);
    for (int e = 0; e < edits && !t.empty(); ++e) {
      const std::size_t at = next() % t.size();
      const char ch = alphabet[next() % alphabet.size()];
      switch (next() % 3) {
        case 0: t.insert(t.begin() + static_cast<std::ptrdiff_t>(at), ch); break;
        case 1: t[at] = ch; break;
        default: t.erase(at, 1 + next() % 4); break;
      }
    }
    expect_same_as_checked(t);
    if (c::parse_json_checked(t)) ++accepted;
  }
  // Both outcomes were exercised: many mutations still parse (edits inside strings), many do not.
  EXPECT_GT(accepted, 500);
  EXPECT_LT(accepted, 5500);
}

TEST(SafeJson, StoredJsonReadsOwnDataAndMarksGarbage) {
  auto j = c::parse_stored_json(R"({"k":"onebot:1:2","s":[{"k":"text","v":"你好"}]})");
  ASSERT_FALSE(j.is_discarded());
  EXPECT_EQ(j["s"][0]["v"], "你好");
  EXPECT_TRUE(c::parse_stored_json("{\"k\":").is_discarded());
  EXPECT_TRUE(c::parse_stored_json("").is_discarded());
  // Larger than the fast path takes: the checked pass reads it all the same.
  std::string big = "[";
  for (int i = 0; i < 20000; ++i) big += (i ? ",\"" : "\"") + std::to_string(i) + "\"";
  big += "]";
  auto b = c::parse_stored_json(big);
  ASSERT_FALSE(b.is_discarded());
  EXPECT_EQ(b.size(), 20000u);
}

TEST(SafeJson, DumpIsByteForByteNlohmannsReplacingDump) {
  using json = c::json;
  auto reference = [](const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); };
  // Every byte value alone and inside Chinese text: controls, quotes, backslashes, DEL, stray
  // continuation bytes, overlongs, surrogates and truncated sequences all come out as nlohmann
  // writes them (escaped, or replaced by U+FFFD).
  for (int b = 0; b < 256; ++b) {
    std::string one(1, static_cast<char>(b));
    json j = {{"k" + one, "村东头" + one + "路灯"}, {"v", json::array({one, 1})}};
    EXPECT_EQ(c::dump_json(j), reference(j)) << b;
  }
  const std::vector<std::string> tricky = {
      "", "\"", "\\", "a\"b\\c", "\b\f\n\r\t\x01\x1f\x7f", std::string("nul\0in", 6),
      "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf0\x9f\x98",  // overlong, surrogate, >U+10FFFF, cut
      "\xf0\x9f\x98\x80 emoji", "\xc2\xa0nbsp", "\xef\xbf\xbd", "12345678\xe4\xbd\xa0" "abcdefgh\xff",
      "longer than eight bytes of ascii, then 中文，再来一段。"};
  for (const auto& t : tricky) {
    json j = {{t, t}, {"a", json::array({t, json::object({{"x", t}})})}};
    EXPECT_EQ(c::dump_json(j), reference(j)) << t;
  }
  // Every kind of value, nested.
  json all = {{"null", nullptr}, {"t", true}, {"f", false}, {"i", -9223372036854775807LL - 1},
              {"u", 18446744073709551615ULL}, {"zero", 0}, {"d", 0.1}, {"big", 1e300}, {"neg", -2.5},
              {"empty_o", json::object()}, {"empty_a", json::array()},
              {"deep", {{"a", {{"b", {{"c", json::array({1, "二", nullptr, json::array()})}}}}}}}};
  EXPECT_EQ(c::dump_json(all), reference(all));
  EXPECT_EQ(c::dump_json(json("x")), "\"x\"");
  EXPECT_EQ(c::dump_json(json(nullptr)), "null");
  // Pseudo-random strings of bytes weighted towards the troublesome ones.
  std::uint32_t seed = 12345;
  auto next = [&seed] { return seed = seed * 1664525u + 1013904223u; };
  const unsigned char pool[] = {'a', '"', '\\', 0x00, 0x1f, 0x7f, 0x80, 0xbf, 0xc2, 0xe4, 0xbd, 0xa0,
                                0xed, 0xa0, 0xf0, 0x9f, 0xf4, 0x90, 0xff, 0xe0};
  for (int i = 0; i < 2000; ++i) {
    std::string s;
    for (std::uint32_t n = next() % 24; n > 0; --n) s += static_cast<char>(pool[(next() >> 8) % sizeof pool]);
    json j = {{"s", s}, {s, i}};
    ASSERT_EQ(c::dump_json(j), reference(j)) << i;
  }
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

// Mutation smoke test: corrupted copies of valid inputs must never crash or throw, only be
// accepted or rejected. Run under LIANXIN_SANITIZE=ON this also catches out-of-bounds reads.
#include <gtest/gtest.h>

#include <random>

#include "adapters/common/flat_xml.hpp"
#include "adapters/common/safe_json.hpp"
#include "adapters/common/wx_crypt.hpp"
#include "adapters/onebot/cq_code.hpp"
#include "adapters/onebot/onebot.hpp"
#include "adapters/qq/webhook.hpp"

namespace a = lianxin::adapters;
namespace c = lianxin::adapters::common;

namespace {

std::string mutate(std::string s, std::mt19937& rng) {
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < edits && !s.empty(); ++i) {
    const std::size_t pos = rng() % s.size();
    switch (rng() % 4) {
      case 0: s[pos] = static_cast<char>(rng() % 256); break;
      case 1: s.erase(pos, 1 + rng() % 8); break;
      case 2: s.insert(pos, 1, "<>[]{}&;,=\"\\\0!?"[rng() % 15]); break;
      case 3: s.insert(pos, s.substr(rng() % s.size(), rng() % 16)); break;
    }
  }
  return s;
}

const std::string xml_seed =
    "<?xml version=\"1.0\"?><xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName>o1</FromUserName>"
    "<CreateTime>1700000000</CreateTime><MsgType>text</MsgType><Content>a &amp; b &#x4e2d;</Content>"
    "<Video><MediaId>m</MediaId></Video><MsgId>1</MsgId></xml>";
const std::string json_seed =
    R"({"self_id":10001000,"post_type":"message","message_type":"group","message_id":5,"group_id":"42","user_id":7,)"
    R"("message":"[CQ:reply,id=9][CQ:at,qq=10001000] hi &#91;x&#93; [CQ:image,file=a.jpg,url=https://x/a.jpg]","sender":{"card":"c","role":"owner"}})";

}  // namespace

TEST(Robustness, MutatedXmlJsonAndCqStrings) {
  std::mt19937 rng(20261128);
  const a::onebot::bot_config cfg{"demo", "10001000", "", ""};
  for (int i = 0; i < 3000; ++i) {
    EXPECT_NO_THROW({
      (void)c::parse_flat_xml(mutate(xml_seed, rng));
      auto j = c::parse_json(mutate(json_seed, rng));
      if (j) (void)a::onebot::parse_event(cfg, *j);
      (void)a::onebot::parse_cq_string(mutate(json_seed, rng));
    });
  }
}

TEST(Robustness, MutatedCiphertexts) {
  std::mt19937 rng(7);
  auto crypt = *c::wx_crypt::create("t", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7");
  const std::string good = *crypt.encrypt("0123456789abcdef", xml_seed);
  int accepted = 0;
  for (int i = 0; i < 2000; ++i) {
    auto r = crypt.decrypt(mutate(good, rng));
    if (r) ++accepted;
  }
  EXPECT_LT(accepted, 2000);
}

TEST(Robustness, MutatedQqBodies) {
  std::mt19937 rng(99);
  auto h = *a::qq::webhook_handler::create({"demo", "", "DG5g3B4j9X2KOErG"});
  const std::string op13 = R"({"d":{"plain_token":"Arq0D5A61EgUu4OxUvOp","event_ts":"1725442341"},"op":13})";
  for (int i = 0; i < 1000; ++i) {
    a::http_input in;
    in.method = "POST";
    in.body = mutate(op13, rng);
    EXPECT_NO_THROW((void)h.handle(in));
  }
}

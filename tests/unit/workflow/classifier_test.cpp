#include "workflow/classifier.hpp"

#include <gtest/gtest.h>

#include "workflow/text_normalise.hpp"
#include "workflow_fixture.hpp"

namespace lianxin::workflow {
namespace {

classifier demo_classifier() {
  const auto j = test::read_json("config/demo/categories.json");
  auto cats = roster::categories_from_json(j);
  EXPECT_TRUE(cats.ok()) << cats.err().message;
  auto cfg = classifier_config::from_json(j["classifier"]);
  EXPECT_TRUE(cfg.ok());
  auto k = classifier::build(cats.value(), cfg.value());
  EXPECT_TRUE(k.ok()) << k.err().message;
  return std::move(k.value());
}

TEST(Normalise, FoldsWidthCaseAndDropsNoise) {
  EXPECT_EQ(encode_utf8(normalise("路灯 不亮！！😡😡")), "路灯不亮");
  EXPECT_EQ(encode_utf8(normalise("ＡＢＣ１２３ abc")), "abc123abc");
  EXPECT_EQ(encode_utf8(normalise("[CQ:at,qq=10000] 停水了[CQ:face,id=14]")), "停水了");
  EXPECT_EQ(encode_utf8(normalise("「医保」，报销？👍🏻\u200d")), "医保报销");
  EXPECT_EQ(encode_utf8(normalise("\xff\xfe坏字节")), "坏字节");
}

struct sample {
  const char* text;
  const char* category;
};

// Colloquial messages as residents write them: typos, emoji, dialect-ish wording, run-ons.
const std::vector<sample> samples{
    {"小寨村东头路灯坏了三个月了，晚上黑灯瞎火的😭", "roads"},
    {"俺们村那条路坑坑洼洼，下雨天路根本没法走", "roads"},
    {"村口的桥裂了好大缝，是危桥吧？娃们天天走", "roads"},
    {"啥时候给俺村修路啊，泥巴路一下雨车过不去", "roads"},
    {"公交车一天就一趟，老人去镇上太难了", "roads"},
    {"路灯灯不亮！！！都一个礼拜了", "roads"},
    {"又停水了😡😡 三天没水吃了", "water"},
    {"自来水发黄还有味，能喝吗", "water"},
    {"地里旱得裂口子，机井坏了没法浇地", "water"},
    {"水渠堵了好几年没人管，灌溉用不上水", "water"},
    {"家里水管爆了，水压也小，找谁修", "water"},
    {"一到晚上就停电，冰箱带不动", "electricity"},
    {"电压太低了，空调带不动，灯一闪一闪的", "electricity"},
    {"村西头变压器老是跳闸", "electricity"},
    {"电线杆歪了，电线耷拉下来挺危险", "electricity"},
    {"家里电费咋这么高，电表是不是有问题", "electricity"},
    {"垃圾好几天没人拉，臭死了", "sanitation"},
    {"养猪场的污水直接往河里排，臭气熏天", "sanitation"},
    {"旁边厂子天天冒黑烟，呛得人喘不过气", "sanitation"},
    {"改厕改完了不能用，化粪池满了没人抽", "sanitation"},
    {"买的化肥是假的，庄稼都黄了", "farming"},
    {"今年薯苗不出苗，是不是种子有问题", "farming"},
    {"小麦得了病虫害，不知道打啥药", "farming"},
    {"种粮补贴今年咋还没发", "farming"},
    {"红薯卖不出去，收购价太低了", "farming"},
    {"俺娘的养老金这个月没到账", "social_security"},
    {"80多岁了高龄补贴咋领不到", "social_security"},
    {"低保评得不公平，有车有房的都吃低保", "social_security"},
    {"在工地干了一年，老板欠工资不给", "social_security"},
    {"残疾证办了半年还没下来", "social_security"},
    {"医保报销比例太低了，住院花了好几万", "medical_insurance"},
    {"村卫生室老是没人，看病得跑镇上", "medical_insurance"},
    {"慢性病的药在村医那拿不到", "medical_insurance"},
    {"今年交医保又涨价了，交不起", "medical_insurance"},
    {"村里小学要撤校了，孩子上学得跑十几里", "education"},
    {"幼儿园收费太贵了，俺们负担不起", "education"},
    {"校车超载，一车坐了二十多个学生", "education"},
    {"宅基地批不下来，儿子结婚没法盖房", "housing_land"},
    {"下雨房子漏得厉害，能不能申请危房改造", "housing_land"},
    {"征地补偿款到现在还没给", "housing_land"},
    {"承包地确权把俺家的地弄少了", "housing_land"},
    {"邻居把墙垒到俺家地界上了，说了还骂人", "disputes"},
    {"兄弟几个都不养老人，能不能给调解一下", "disputes"},
    {"借钱不还，打电话也不接", "disputes"},
    {"粉条厂想扩大生产，贷款太难了", "enterprise"},
    {"办营业执照跑了好几趟，审批太慢", "enterprise"},
    {"三粉企业招工难，年轻人都出去打工了", "enterprise"},
    {"俺们村的电商物流点啥时候能建起来", "enterprise"},
};

TEST(Classifier, DemoCategoriesClassifyColloquialMessages) {
  const classifier k = demo_classifier();
  int right = 0, confident = 0;
  for (const auto& s : samples) {
    const auto c = k.classify(s.text);
    ASSERT_FALSE(c.ranked.empty()) << s.text;
    std::string why;
    for (const auto& h : k.explain(s.text)) why += h.phrase + "(" + h.category_id + ") ";
    EXPECT_EQ(c.ranked[0].category_id, s.category) << s.text << " → " << why;
    right += c.ranked[0].category_id == s.category;
    confident += c.confident;
  }
  EXPECT_GE(samples.size(), 40u);
  EXPECT_EQ(right, static_cast<int>(samples.size()));
  EXPECT_GE(confident, static_cast<int>(samples.size() * 8 / 10));  // most are confident
}

TEST(Classifier, UnclearTextIsNotConfident) {
  const classifier k = demo_classifier();
  EXPECT_TRUE(k.classify("你好").ranked.empty());
  EXPECT_FALSE(k.classify("你好").confident);
  EXPECT_FALSE(k.classify("我想反映个事").confident);
  // Two categories at once: ranked, but not confident.
  const auto both = k.classify("停电了也停水了");
  ASSERT_GE(both.ranked.size(), 2u);
  EXPECT_FALSE(both.confident);
}

TEST(Classifier, LongerPhrasesShadowShorterOnesAndRepeatsCountOnce) {
  const classifier k = demo_classifier();
  // "卫生院" is medical even though it contains "卫生" (sanitation).
  EXPECT_EQ(k.classify("卫生院的医生态度不好").ranked[0].category_id, "medical_insurance");
  const auto once = k.classify("停水");
  const auto thrice = k.classify("停水停水停水");
  EXPECT_DOUBLE_EQ(once.ranked[0].score, thrice.ranked[0].score);
}

TEST(Classifier, RejectsBadConfig) {
  std::vector<category> cats{{"a", "A", {{"路灯", 1}}, "", "standard"}, {"b", "B", {{"路 灯！", 1}}, "", "standard"}};
  auto k = classifier::build(cats);
  ASSERT_FALSE(k.ok());
  EXPECT_NE(k.err().message.find("categories.b.phrases"), std::string::npos);
  EXPECT_FALSE(classifier::build({{"a", "A", {{"！！", 1}}, "", ""}}).ok());
  EXPECT_FALSE(classifier_config::from_json(nlohmann::json{{"threshold", "high"}}).ok());
}

}  // namespace
}  // namespace lianxin::workflow

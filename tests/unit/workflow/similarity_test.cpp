#include "workflow/similarity.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace lianxin::workflow {
namespace {

TEST(Similarity, NearDuplicatesScoreHighUnrelatedLow) {
  EXPECT_DOUBLE_EQ(similarity("路灯坏了", "路灯坏了"), 1.0);
  EXPECT_DOUBLE_EQ(similarity("路灯坏了！！😡", "路灯 坏了"), 1.0);  // normalised first
  EXPECT_GT(similarity("小寨村东头路灯坏了三个月了", "东头的路灯坏了好几个月"), 0.3);
  EXPECT_LT(similarity("小寨村东头路灯坏了三个月了", "俺娘的养老金这个月没到账"), 0.1);
  EXPECT_DOUBLE_EQ(similarity("", "路灯"), 0.0);
  EXPECT_DOUBLE_EQ(similarity("水", "水"), 1.0);
  const double d = similarity("停水三天了", "停水两天了");
  const double j = similarity("停水三天了", "停水两天了", similarity_measure::jaccard);
  EXPECT_GT(d, j);  // Dice >= Jaccard always
}

TEST(Similarity, FindSimilarRanksAndLimits) {
  const std::vector<candidate_text> open{
      {"RN-20261101-0001", "村东头路灯不亮了"},
      {"RN-20261101-0002", "自来水发黄"},
      {"RN-20261102-0003", "东头路灯坏了不亮"},
      {"RN-20261103-0004", "路灯"},
  };
  auto s = find_similar("东头路灯不亮", open, 0.4);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].number, "RN-20261101-0001");
  EXPECT_GE(s[0].score, s[1].score);
  EXPECT_EQ(find_similar("东头路灯不亮", open, 0.0, 1).size(), 1u);
}

TEST(Similarity, ConfigFromJson) {
  auto c = similarity_config::from_json(nlohmann::json{{"measure", "jaccard"}, {"duplicate_threshold", 0.5}});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->measure, similarity_measure::jaccard);
  EXPECT_FALSE(similarity_config::from_json(nlohmann::json{{"cluster_threshold", 2}}).ok());
  EXPECT_EQ(similarity_config::from_json(nlohmann::json{{"measure", "cosine"}}).err().message,
            "similarity.measure: want \"dice\" or \"jaccard\"");
  auto k = cluster_config::from_json(nlohmann::json{{"window_days", 7}, {"min_cases", 3}, {"scope", "township"}});
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->window_seconds, 7 * 86400);
  EXPECT_TRUE(k->township_scope);
  EXPECT_FALSE(cluster_config::from_json(nlohmann::json{{"min_cases", 1}}).ok());
}

class Clusters : public ::testing::Test {
 protected:
  const std::int64_t day = 86400;
  const std::int64_t t0 = 1'790'000'000;
  cluster_config cfg{.window_seconds = 30 * 86400, .min_cases = 3};

  case_summary water(const std::string& no, std::int64_t at, const std::string& text, const std::string& village = "xiaozhai") {
    return case_summary{no, "water", village, "miaoxia", text, at, ""};
  }
};

TEST_F(Clusters, ReachesThresholdOnceThenGrows) {
  std::vector<case_summary> recent{
      water("RN-1", t0, "小寨村又停水了，三天没水吃"),
      water("RN-2", t0 + day, "又停水了，三天没水吃了"),
  };
  auto below = detect_cluster(water("RN-2", t0 + day, "又停水了，三天没水吃了"), {recent[0]}, cfg);
  EXPECT_FALSE(below.reached);
  EXPECT_TRUE(below.cluster.empty());

  const auto fresh = water("RN-3", t0 + 2 * day, "俺家也停水了，三天没水");
  auto d = detect_cluster(fresh, recent, cfg);
  EXPECT_TRUE(d.reached);
  EXPECT_TRUE(d.newly_flagged);
  EXPECT_EQ(d.cluster, "C-RN-1");
  EXPECT_EQ(d.members, (std::vector<std::string>{"RN-1", "RN-2"}));

  // The shell stamps the cluster on the members; the next similar case joins without re-flagging.
  for (auto& r : recent) r.cluster = d.cluster;
  recent.push_back(fresh);
  recent.back().cluster = d.cluster;
  auto again = detect_cluster(water("RN-4", t0 + 3 * day, "俺们这也停水了，没水吃"), recent, cfg);
  EXPECT_TRUE(again.reached);
  EXPECT_FALSE(again.newly_flagged);
  EXPECT_EQ(again.cluster, "C-RN-1");
}

TEST_F(Clusters, IgnoresOtherPlacesCategoriesTextsAndOldCases) {
  const std::vector<case_summary> recent{
      water("RN-1", t0 - 40 * day, "停水三天了没水吃"),                // outside the window
      water("RN-2", t0, "停水三天了没水吃", "dazhuang"),               // another village
      case_summary{"RN-3", "roads", "xiaozhai", "miaoxia", "停水三天了没水吃", t0, ""},  // another category
      water("RN-4", t0, "水费收得太贵了，一吨好几块"),                    // unrelated text
      water("RN-5", t0 + day, "停水三天了没水吃"),                       // later than the new case
  };
  auto d = detect_cluster(water("RN-9", t0 + 10, "停水三天了没水吃"), recent, cfg);
  EXPECT_TRUE(d.members.empty());
  EXPECT_FALSE(d.reached);

  cluster_config township = cfg;
  township.township_scope = true;
  township.min_cases = 2;
  auto t = detect_cluster(water("RN-9", t0 + 10, "停水三天了没水吃"), recent, township);
  EXPECT_EQ(t.members, std::vector<std::string>{"RN-2"});
  EXPECT_TRUE(t.newly_flagged);
}

}  // namespace
}  // namespace lianxin::workflow

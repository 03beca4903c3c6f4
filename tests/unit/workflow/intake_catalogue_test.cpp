#include <gtest/gtest.h>

#include <set>

#include "intake_harness.hpp"
#include "workflow/intake/config.hpp"
#include "workflow/intake/text.hpp"

using namespace lianxin::workflow::intake;
using lianxin::workflow::intake::test::shipped_catalogue;

TEST(IntakeCatalogue, ShippedCatalogueHasEveryKeyWithExactlyTheDeclaredPlaceholders) {
  const catalogue& c = shipped_catalogue();
  std::set<std::string> declared;
  for (const auto& spec : keys::all) {
    declared.emplace(spec.key);
    ASSERT_TRUE(c.contains(spec.key)) << spec.key;
    std::set<std::string> want, got;
    std::string params(spec.params);
    for (std::size_t b = 0; !params.empty() && b <= params.size();) {
      auto e = params.find(',', b);
      if (e == std::string::npos) e = params.size();
      want.insert(params.substr(b, e - b));
      b = e + 1;
    }
    for (const auto& p : c.placeholders(spec.key)) got.insert(p);
    EXPECT_EQ(got, want) << spec.key;
  }
  for (const auto& k : c.keys()) {
    if (k.rfind("intake.", 0) == 0) {
      EXPECT_TRUE(declared.count(k)) << "unused sentence " << k;
    }
  }
}

TEST(IntakeCatalogue, SentencesAreShortAndUseFullWidthPunctuation) {
  const catalogue& c = shipped_catalogue();
  for (const auto& k : c.keys()) {
    message m{k, {}};
    for (const auto& p : c.placeholders(k)) m.params[p] = "";
    auto r = c.render(m);
    ASSERT_TRUE(r.ok()) << k;
    EXPECT_LE(text::code_points(r.text), 80u) << k;
    EXPECT_EQ(r.text.find_first_of(",?!;"), std::string::npos) << k << ": " << r.text;
    EXPECT_EQ(r.text.find(": "), std::string::npos) << k;
  }
}

TEST(IntakeCatalogue, RenderReportsMissingKeysAndPlaceholders) {
  auto r = catalogue::parse(R"({"_note":"x","a":"编号{case_id}，{{不是占位}}","b":"你好"})");
  ASSERT_TRUE(r.value);
  EXPECT_EQ(r.value->render(message{"a", {{"case_id", "RN-1"}}}).text, "编号RN-1，{不是占位}");
  auto missing = r.value->render(message{"a", {}});
  EXPECT_EQ(missing.error, catalogue_error::missing_param);
  EXPECT_EQ(missing.detail, "a:case_id");
  EXPECT_EQ(r.value->render(message{"zzz", {}}).error, catalogue_error::missing_key);
  EXPECT_FALSE(r.value->contains("_note"));
  auto lines = r.value->render(std::vector<message>{{"b", {}}, {"a", {{"case_id", "X"}}}});
  EXPECT_EQ(lines.text, "你好\n编号X，{不是占位}");
}

TEST(IntakeCatalogue, LoadRejectsBadFiles) {
  EXPECT_EQ(catalogue::parse("{not json").error, catalogue_error::not_json);
  EXPECT_EQ(catalogue::parse("[]").error, catalogue_error::not_an_object);
  EXPECT_EQ(catalogue::parse(R"({"a":1})").error, catalogue_error::not_a_string);
  auto bad = catalogue::parse(R"({"a":"编号{case_id"})");
  EXPECT_EQ(bad.error, catalogue_error::malformed_template);
  EXPECT_EQ(bad.detail, "a");
}

TEST(IntakeConfig, LoadsOverridesAndChecksTypes) {
  auto r = intake_config_from_json(nlohmann::json::parse(
      R"({"draft_ttl_seconds": 600, "group_summary_chars": 80, "triggers": {"file": ["说个事"]},
          "categories": [{"id":"roads","name":"道路"},{"id":"other","name":"其他"}]})"));
  ASSERT_TRUE(r.config);
  EXPECT_EQ(r.config->draft_ttl_seconds, 600);
  EXPECT_EQ(r.config->group_summary_chars, 80u);
  EXPECT_EQ(r.config->triggers.file, std::vector<std::string>{"说个事"});
  EXPECT_EQ(r.config->triggers.query.front(), "查询");  // untouched default
  auto bad = intake_config_from_json(nlohmann::json::parse(R"({"max_text_chars": "many"})"));
  EXPECT_EQ(bad.error, config_error::bad_field);
  EXPECT_EQ(bad.field, "max_text_chars");
  EXPECT_EQ(bad.problem, "must be a whole number, 0 or more");
  auto negative = intake_config_from_json(nlohmann::json::parse(R"({"group_summary_chars": -1})"));
  EXPECT_EQ(negative.error, config_error::bad_field);
  EXPECT_EQ(negative.field, "group_summary_chars");
  EXPECT_EQ(negative.problem, "must be a whole number, 0 or more");
  auto nested = intake_config_from_json(nlohmann::json::parse(R"({"triggers": {"file": "建议"}})"));
  EXPECT_EQ(nested.field, "triggers.file");
  EXPECT_EQ(nested.problem, "must be a list of strings");
  auto zero = intake_config_from_json(nlohmann::json::parse(R"({"max_text_chars": 0})"));
  EXPECT_EQ(zero.field, "max_text_chars");
  EXPECT_EQ(zero.problem, "must be more than 0");
  auto no_other = intake_config_from_json(nlohmann::json::parse(R"({"categories":[{"id":"roads"}]})"));
  EXPECT_EQ(no_other.error, config_error::other_category_missing);
  EXPECT_EQ(no_other.problem, "must be the id of one of the categories");
}

#pragma once
// Configuration of the intake dialogue. Every limit and word list is a field with a default;
// the shell loads it from the tenant's config file with intake_config_from_json.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace lianxin::workflow::intake {

struct category_ref {
  std::string id;
  std::string name;  // shown in menus and summaries
};

struct trigger_words {
  // A group message starting with one of these is for the bot (after an optional 我要/我想).
  std::vector<std::string> file{"建议", "反映", "投诉", "求助", "咨询"};
  std::vector<std::string> query{"查询", "查进度"};
  std::vector<std::string> help{"帮助", "怎么用"};
  std::vector<std::string> cancel{"取消", "不要了", "算了", "不提了", "退出"};
};

struct command_words {
  std::vector<std::string> back{"返回", "上一步", "后退"};
  std::vector<std::string> edit{"修改", "改一下", "要改"};
  std::vector<std::string> edit_content{"改内容", "内容不对", "重新说", "重写"};
  std::vector<std::string> edit_category{"改分类", "分类不对", "换分类", "改类别", "类别不对"};
  std::vector<std::string> edit_place{"改地点", "地点不对", "地方不对", "改地方", "改一下地点"};
  std::vector<std::string> edit_phone{"改电话", "电话不对", "换电话", "改号码", "留电话"};
  std::vector<std::string> anonymous{"匿名", "不署名", "不留名"};
  std::vector<std::string> named{"实名", "署名", "留名"};
  std::vector<std::string> confirm{"确认", "提交", "好", "好的", "对", "是", "可以", "行"};
  std::vector<std::string> new_case{"新提交", "重新提交", "不是"};
  std::vector<std::string> supplement{"补充", "还有"};
  std::vector<std::string> greetings{"你好", "您好", "在吗", "在不在", "hello", "hi"};
};

struct emergency_words {
  std::vector<std::string> fire{"着火", "失火", "火灾", "起火", "烧起来了"};
  std::vector<std::string> police{"报警", "抢劫", "杀人", "偷东西", "打人了", "绑架"};
  std::vector<std::string> medical{"救命", "急救", "晕倒", "昏迷", "车祸", "溺水",
                                   "中毒", "喘不上气"};
  // Phrases that contain a keyword but are not emergencies ("养老金是救命钱").
  std::vector<std::string> exclusions{"救命钱", "救命稻草", "报警器", "火灾隐患", "消防隐患"};
};

struct intake_config {
  trigger_words triggers;
  command_words commands;
  emergency_words emergency;
  std::vector<std::string> court_words{"法院", "起诉", "判决", "打官司", "诉讼", "仲裁"};
  std::vector<std::string> petition_words{"信访", "上访"};

  std::int64_t draft_ttl_seconds = 30 * 60;
  // How long after expiry the shell keeps the state so the resident can still be told that
  // their draft expired on their next message (platforms that cannot push proactively).
  std::int64_t expired_notice_seconds = 24 * 60 * 60;

  double similarity_threshold = 0.5;
  std::size_t max_similar = 3;
  std::size_t max_text_chars = 500;
  std::size_t min_content_chars = 4;
  std::size_t max_photos = 9;
  std::size_t summary_chars = 30;  // content shown in group-visible summaries and lists
  // The summary a resident confirms shows a longer content only this far in a group, with its
  // length (the neighbours need not read it all, again after every addition); in private
  // chat it shows all of it. 0: all of it in groups too.
  std::size_t group_summary_chars = 150;
  std::size_t max_listed_cases = 5;
  int max_reprompts = 2;  // in a group, stop re-asking after this many unrecognised answers

  std::vector<category_ref> categories;
  std::string other_category_id = "other";

  const category_ref* find_category(const std::string& id) const;
};

enum class config_error { not_an_object, bad_field, other_category_missing };

struct config_result {
  std::optional<intake_config> config;
  std::optional<config_error> error;
  std::string field;    // the offending key, for a clear startup message
  std::string problem;  // what it must be ("must be a whole number, 0 or more")
};

// Missing keys keep their defaults; present keys must have the right type.
config_result intake_config_from_json(const nlohmann::json& j);

}  // namespace lianxin::workflow::intake

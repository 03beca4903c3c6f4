// What the bot says at each step. Only catalogue keys and values here: every sentence lives
// in config/messages.zh-CN.json.
#include <string>

#include "workflow/intake/detail.hpp"
#include "workflow/intake/messages.hpp"
#include "workflow/intake/text.hpp"
#include "workflow/privacy.hpp"

namespace lianxin::workflow::intake::detail {

message msg(std::string_view key, std::map<std::string, std::string> params) {
  return message{std::string(key), std::move(params)};
}

std::string category_name(const intake_config& cfg, const std::string& id) {
  const category_ref* c = cfg.find_category(id);
  return c ? c->name : id;
}

std::string snippet(std::string_view text, std::size_t max_chars) {
  bool cut = false;
  std::string s = text::truncate(privacy::mask_pii(text), max_chars, cut);
  if (cut) s += "…";
  return s;
}

message confirm_menu(const conversation_state& s) {
  return msg(s.chat == chat_type::group ? keys::confirm_menu_group : keys::confirm_menu);
}

void help(std::vector<message>& out) {
  out.push_back(msg(keys::help_file));
  out.push_back(msg(keys::help_query));
  out.push_back(msg(keys::help_change));
}

void summary(const conversation_state& s, const intake_config& cfg, std::vector<message>& out) {
  out.push_back(msg(keys::summary_header));
  // Group members can read the summary, so the content is masked even though the dialogue
  // already cut phone numbers out of it.
  std::string content = privacy::mask_pii(s.content);
  std::size_t chars = text::code_points(content);
  if (s.chat == chat_type::group && cfg.group_summary_chars > 0 && chars > cfg.group_summary_chars) {
    bool cut = false;
    out.push_back(msg(keys::summary_content_long, {{"content", text::truncate(content, cfg.group_summary_chars, cut)},
                                                   {"count", std::to_string(chars)}}));
  } else {
    out.push_back(msg(keys::summary_content, {{"content", std::move(content)}}));
  }
  out.push_back(msg(keys::summary_category, {{"category", category_name(cfg, s.category_id)}}));
  out.push_back(msg(keys::summary_place, {{"place", s.place.name}}));
  if (!s.photos.empty()) {
    out.push_back(msg(keys::summary_photos, {{"count", std::to_string(s.photos.size())}}));
  }
  if (s.chat == chat_type::private_chat) {
    if (s.phone.empty()) {
      out.push_back(msg(keys::summary_no_phone));
    } else {
      out.push_back(msg(keys::summary_phone, {{"phone", privacy::mask_phone(s.phone)}}));
    }
  }
  out.push_back(msg(s.anonymous ? keys::summary_anonymous : keys::summary_named));
  if (s.deputy && !s.deputy->name.empty()) {
    out.push_back(msg(keys::summary_deputy, {{"deputy", s.deputy->name}}));
  }
}

void prompt(const conversation_state& s, const intake_config& cfg, std::vector<message>& out) {
  switch (s.at) {
    case stage::none:
      break;
    case stage::ask_content:
      if (!s.content.empty()) {
        out.push_back(msg(keys::ask_content_again, {{"content", snippet(s.content, cfg.summary_chars)}}));
      } else if (s.deputy && !s.deputy->name.empty()) {
        out.push_back(msg(keys::ask_content_deputy, {{"deputy", s.deputy->name}}));
      } else {
        out.push_back(msg(keys::ask_content));
      }
      break;
    case stage::choose_category:
      out.push_back(msg(keys::category_header));
      for (std::size_t i = 0; i < s.menu.size(); ++i) {
        out.push_back(msg(keys::category_option,
                          {{"n", std::to_string(i + 1)}, {"name", category_name(cfg, s.menu[i])}}));
      }
      break;
    case stage::ask_place:
      out.push_back(msg(keys::ask_place));
      break;
    case stage::confirm_place:
      if (s.place_options.size() == 2) {
        out.push_back(msg(keys::place_conflict,
                          {{"named", s.place_options[0].name}, {"bound", s.place_options[1].name}}));
        for (std::size_t i = 0; i < s.place_options.size(); ++i) {
          out.push_back(msg(keys::place_option,
                            {{"n", std::to_string(i + 1)}, {"name", s.place_options[i].name}}));
        }
      }
      break;
    case stage::ask_contact:
      out.push_back(msg(keys::ask_contact));
      break;
    case stage::confirm:
      summary(s, cfg, out);
      out.push_back(confirm_menu(s));
      break;
    case stage::edit_menu:
      out.push_back(msg(keys::edit_header));
      out.push_back(msg(keys::edit_menu));
      break;
    case stage::choose_similar:
      out.push_back(msg(keys::similar_header));
      for (std::size_t i = 0; i < s.similar.size(); ++i) {
        out.push_back(msg(keys::similar_option, {{"n", std::to_string(i + 1)},
                                                 {"case_id", s.similar[i].case_id},
                                                 {"summary", s.similar[i].summary}}));
      }
      out.push_back(msg(keys::similar_menu));
      break;
  }
}

const known_place* find_place(std::string_view text, std::span<const known_place> places) {
  const known_place* best = nullptr;
  std::size_t best_len = 0;
  for (const auto& p : places) {
    auto consider = [&](const std::string& name) {
      if (name.size() > best_len && text.find(name) != std::string_view::npos) {
        best = &p;
        best_len = name.size();
      }
    };
    consider(p.name);
    for (const auto& a : p.aliases) consider(a);
  }
  return best;
}

}  // namespace lianxin::workflow::intake::detail

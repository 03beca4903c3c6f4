// Answers to each question. Menus accept digits in any form (1, １, 一, ①) and, where it is
// natural, the words themselves ("提交", "路灯", "不留").
#include "workflow/intake/detail.hpp"
#include "workflow/intake/messages.hpp"
#include "workflow/intake/text.hpp"

namespace lianxin::workflow::intake::detail {
namespace {

bool is_group(const turn& t) { return t.in.chat == chat_type::group; }

void on_choose_category(turn& t) {
  conversation_state& s = *t.st;
  if (resent_opening(t)) return;
  int n = static_cast<int>(s.menu.size());
  std::optional<std::string> chosen;
  if (auto c = text::parse_choice(t.norm, n); c && *c >= 1) {
    chosen = s.menu[static_cast<std::size_t>(*c - 1)];
  } else {
    for (const auto& id : s.menu) {
      std::string name = text::compact(category_name(t.cfg, id));
      if (!name.empty() && (t.compacted == name || name.find(t.compacted) != std::string::npos ||
                            (t.compacted.find(name) != std::string::npos))) {
        chosen = id;
        break;
      }
    }
  }
  if (!chosen || t.compacted.empty()) return reject(t);
  s.category_id = *chosen;
  s.menu.clear();
  advance(t);
}

void on_ask_place(turn& t) {
  conversation_state& s = *t.st;
  if (resent_opening(t)) return;
  if (const known_place* p = find_place(t.norm, t.in.known_places)) {
    s.place = place_slot{p->id, p->name};
  } else if (text::code_points(t.compacted) >= 2) {
    bool cut = false;
    s.place = place_slot{"", text::truncate(t.norm, t.cfg.summary_chars, cut)};
  } else {
    return reject(t);
  }
  s.place_options.clear();
  advance(t);
}

void on_confirm_place(turn& t) {
  conversation_state& s = *t.st;
  if (resent_opening(t)) return;
  auto c = text::parse_choice(t.norm, static_cast<int>(s.place_options.size()));
  if (c && *c >= 1) {
    s.place = s.place_options[static_cast<std::size_t>(*c - 1)];
  } else if (const known_place* p = find_place(t.norm, t.in.known_places)) {
    s.place = place_slot{p->id, p->name};
  } else {
    return reject(t);
  }
  s.place_options.clear();
  advance(t);
}

void on_ask_contact(turn& t) {
  conversation_state& s = *t.st;
  if (auto phone = text::find_phone(t.norm)) {
    s.phone = phone->digits;
  } else if (text::parse_choice(t.norm, 0) ||
             text::is_any_command(t.compacted, t.collapsed, {"不留", "不用", "跳过", "不要", "没有"})) {
    s.phone.clear();
  } else {
    t.invalid = true;
    t.out.reply.push_back(msg(keys::contact_invalid));
    return;
  }
  s.contact_asked = true;
  advance(t);
}

void on_confirm(turn& t) {
  const auto& words = t.cfg.commands;
  int max = is_group(t) ? 3 : 2;
  auto c = text::parse_choice(t.norm, max);
  if ((c && *c == 1) || text::is_any_command(t.compacted, t.collapsed, words.confirm)) return begin_submit(t);
  if ((c && *c == 2) || text::is_any_command(t.compacted, t.collapsed, words.edit)) {
    return go_to(t, stage::edit_menu);
  }
  if (c && *c == 3) return move_to_private(t);
  if (c && *c == 0) {
    t.out.reply.push_back(msg(keys::cancelled));
    t.st.reset();
    return;
  }
  // More words about the problem: in private they can only be meant for us; in a group only
  // when the resident says so (补充…) or mentions the bot.
  auto extra = text::strip_leading_word(t.norm, words.supplement);
  bool long_enough = text::code_points(t.compacted) >= t.cfg.min_content_chars;
  if (extra && !extra->empty()) return supplement_content(t, *extra);
  if (long_enough && (!is_group(t) || t.in.mentioned)) return supplement_content(t, t.norm);
  reject(t);
}

void on_edit_menu(turn& t) {
  conversation_state& s = *t.st;
  auto c = text::parse_choice(t.norm, 5);
  if (!c) return reject(t);
  switch (*c) {
    case 0:
      return go_to(t, stage::confirm);
    case 1:
      return go_to(t, stage::ask_content);
    case 2:
      return edit_category(t);
    case 3:
      return go_to(t, stage::ask_place);
    case 4:
      if (is_group(t)) return move_to_private(t);
      return go_to(t, stage::ask_contact);
    default:
      s.anonymous = !s.anonymous;
      t.out.reply.push_back(msg(s.anonymous ? keys::set_anonymous : keys::set_named));
      return go_to(t, stage::confirm);
  }
}

void on_choose_similar(turn& t) {
  conversation_state& s = *t.st;
  auto c = text::parse_choice(t.norm, static_cast<int>(s.similar.size()));
  if (c && *c >= 1) {
    const auto& chosen = s.similar[static_cast<std::size_t>(*c - 1)];
    t.out.effects.push_back(join_case{chosen.case_id, s.sender_id, s.photos});
    t.out.reply.push_back(msg(keys::joined, {{"case_id", chosen.case_id}}));
    t.st.reset();
    return;
  }
  if ((c && *c == 0) || text::is_any_command(t.compacted, t.collapsed, t.cfg.commands.new_case)) {
    s.similar.clear();
    s.at = stage::confirm;
    s.waiting = pending::submit;
    t.out.effects.push_back(submit_draft{make_draft(s, t.in)});
    return;
  }
  reject(t);
}

}  // namespace

void edit_category(turn& t) {
  conversation_state& s = *t.st;
  s.menu.clear();
  for (const auto& c : t.cfg.categories) {
    if (c.id != t.cfg.other_category_id) s.menu.push_back(c.id);
  }
  s.menu.push_back(t.cfg.other_category_id);
  s.category_id.clear();
  go_to(t, stage::choose_category);
}

void handle_step(turn& t) {
  switch (t.st->at) {
    case stage::none:
      return;
    case stage::ask_content:
      return take_content(t, t.norm);
    case stage::choose_category:
      return on_choose_category(t);
    case stage::ask_place:
      return on_ask_place(t);
    case stage::confirm_place:
      return on_confirm_place(t);
    case stage::ask_contact:
      return on_ask_contact(t);
    case stage::confirm:
      return on_confirm(t);
    case stage::edit_menu:
      return on_edit_menu(t);
    case stage::choose_similar:
      return on_choose_similar(t);
  }
}

}  // namespace lianxin::workflow::intake::detail

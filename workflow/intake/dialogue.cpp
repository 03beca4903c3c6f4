// Entry points: who is being listened to, what overrides the current step (emergencies,
// cancel, help, queries, corrections), lookup results, and expiry.
#include "workflow/intake/dialogue.hpp"

#include "workflow/intake/detail.hpp"
#include "workflow/intake/messages.hpp"
#include "workflow/intake/text.hpp"
#include "workflow/privacy.hpp"

namespace lianxin::workflow::intake {
namespace {

using namespace detail;

bool is_group(const turn& t) { return t.in.chat == chat_type::group; }

std::vector<std::string> all_triggers(const intake_config& c) {
  std::vector<std::string> w = c.triggers.file;
  for (auto* list : {&c.triggers.query, &c.triggers.help, &c.triggers.cancel}) {
    w.insert(w.end(), list->begin(), list->end());
  }
  return w;
}

bool opens_unaddressed(std::string_view norm, const intake_config& cfg) {
  if (text::strip_leading_word(norm, all_triggers(cfg))) return true;
  // "救命！" or "着火了" opening a group message gets the redirect even unaddressed; a mere
  // mention later in a chat ("昨天隔壁村着火了") is neighbours talking.
  const auto& e = cfg.emergency;
  for (const auto* words : {&e.fire, &e.police, &e.medical}) {
    if (text::strip_leading_word(norm, *words)) return true;
  }
  return text::find_deputy_request(norm).has_value();
}

bool listening(const turn& t, bool has_state) {
  if (!is_group(t) || t.in.mentioned || has_state || t.in.deputy) return true;
  return opens_unaddressed(t.norm, t.cfg);
}

// Emergencies first: the resident must hear 119/110/120 at once, whatever step they are at.
bool emergency_lines(std::string_view norm, const intake_config& cfg, std::vector<message>& reply) {
  std::string s(norm);
  for (const auto& ex : cfg.emergency.exclusions) {
    for (auto p = s.find(ex); !ex.empty() && p != std::string::npos; p = s.find(ex)) s.erase(p, ex.size());
  }
  bool fire = text::contains_any(s, cfg.emergency.fire);
  bool police = text::contains_any(s, cfg.emergency.police);
  bool medical = text::contains_any(s, cfg.emergency.medical);
  if (!fire && !police && !medical) return false;
  if (fire) reply.push_back(msg(keys::emergency_fire));
  if (police) reply.push_back(msg(keys::emergency_police));
  if (medical) reply.push_back(msg(keys::emergency_medical));
  reply.push_back(msg(keys::emergency_note));
  return true;
}

bool out_of_scope_lines(std::string_view norm, const intake_config& cfg, std::vector<message>& reply) {
  if (text::contains_any(norm, cfg.petition_words)) {
    reply.push_back(msg(keys::redirect_petition));
    return true;
  }
  if (text::contains_any(norm, cfg.court_words)) {
    reply.push_back(msg(keys::redirect_court));
    return true;
  }
  return false;
}

bool emergency(turn& t) { return emergency_lines(t.norm, t.cfg, t.out.reply); }
bool out_of_scope(turn& t) { return out_of_scope_lines(t.norm, t.cfg, t.out.reply); }

void expired_notice(const conversation_state& s, const intake_config& cfg,
                    std::vector<message>& reply, std::vector<effect>& effects) {
  std::string minutes = std::to_string(cfg.draft_ttl_seconds / 60);
  if (s.content.empty()) {
    reply.push_back(msg(keys::expired_plain, {{"minutes", minutes}}));
  } else {
    reply.push_back(msg(keys::expired, {{"snippet", snippet(s.content, 12)}, {"minutes", minutes}}));
  }
  effects.push_back(draft_expired{s.sender_id, s.expires_at});
}

conversation_state& ensure_state(turn& t) {
  if (!t.st) {
    t.st = new_state(t);
    t.st->at = stage::none;
  }
  return *t.st;
}

bool query(turn& t) {
  auto rest = text::strip_leading_word(t.norm, t.cfg.triggers.query);
  auto number = text::find_case_number(rest ? *rest : t.norm);
  // A bare case number is a query too, when it is clearly addressed to us.
  bool bare = !rest && number && text::code_points(t.compacted) <= 16 &&
              (!is_group(t) || t.in.mentioned) && (!t.st || t.st->at != stage::ask_content);
  if (!rest && !bare) return false;
  conversation_state& s = ensure_state(t);
  if (number) {
    s.waiting = pending::case_detail;
    t.out.effects.push_back(query_case{*number, t.in.sender_id});
  } else {
    s.waiting = pending::cases;
    t.out.effects.push_back(query_cases{t.in.sender_id});
  }
  return true;
}

// "找代表 D0123 …" or a QR scan: address the draft to that deputy.
bool address_deputy(turn& t) {
  std::optional<deputy_slot> deputy = t.in.deputy;
  std::string rest;
  if (auto req = text::find_deputy_request(t.norm)) {
    deputy = deputy_slot{req->code, ""};
    rest = req->rest;
  } else if (deputy) {
    rest = t.norm;
  }
  if (!deputy) return false;
  if (!t.st || !t.st->has_draft()) t.st = new_state(t);
  t.st->deputy = deputy;
  if (deputy->name.empty()) {
    if (!rest.empty()) t.st->content = rest;  // classified and checked once the name is known
    t.st->waiting = pending::deputy;
    t.out.effects.push_back(resolve_deputy{deputy->code});
    return true;
  }
  if (!rest.empty()) return take_content(t, rest), true;
  if (!t.st->content.empty()) return advance(t), true;
  prompt(*t.st, t.cfg, t.out.reply);
  return true;
}

// Corrections that work at any step of a draft.
bool correction(turn& t) {
  const auto& w = t.cfg.commands;
  conversation_state& s = *t.st;
  const std::string& c = t.compacted;
  if (text::is_any_command(c, t.collapsed, w.back)) {
    if (s.back.empty()) {
      t.out.reply.push_back(msg(keys::already_first));
      prompt(s, t.cfg, t.out.reply);
    } else {
      s.at = s.back.back();
      s.back.pop_back();
      if (s.at == stage::choose_category) s.category_id.clear();
      if (s.at == stage::choose_category && s.menu.empty()) return edit_category(t), true;
      prompt(s, t.cfg, t.out.reply);
    }
    return true;
  }
  if (text::is_any_command(c, t.collapsed, w.edit_content)) return go_to(t, stage::ask_content), true;
  if (text::is_any_command(c, t.collapsed, w.edit_category)) return edit_category(t), true;
  if (text::is_any_command(c, t.collapsed, w.edit_place)) return go_to(t, stage::ask_place), true;
  if (text::is_any_command(c, t.collapsed, w.edit_phone)) {
    if (is_group(t)) return move_to_private(t), true;
    return go_to(t, stage::ask_contact), true;
  }
  bool anon = text::is_any_command(c, t.collapsed, w.anonymous);
  if (anon || (text::is_any_command(c, t.collapsed, w.named) && s.at != stage::ask_content)) {
    s.anonymous = anon;
    t.out.reply.push_back(msg(anon ? keys::set_anonymous : keys::set_named));
    if (s.at == stage::confirm) prompt(s, t.cfg, t.out.reply);
    return true;
  }
  return false;
}

// No draft open: a new suggestion, a greeting, or (after an expired draft) a stray answer.
void new_conversation(turn& t, bool after_expiry) {
  auto filing = text::strip_leading_word(t.norm, t.cfg.triggers.file);
  bool addressed = !is_group(t) || t.in.mentioned;
  if (!filing && !addressed) {
    if (after_expiry) t.out.reply.push_back(msg(keys::expired_hint));
    else t.ignore = true;
    return;
  }
  std::string content = filing ? *filing : t.norm;
  bool greeting = !filing && (content.empty() ||
                              text::is_any_command(t.compacted, t.collapsed, t.cfg.commands.greetings));
  bool answer_like = !filing && (text::parse_choice(t.norm, 9) ||
                                 text::code_points(t.compacted) < t.cfg.min_content_chars);
  if (after_expiry && (greeting || answer_like) && t.in.images.empty()) {
    t.out.reply.push_back(msg(keys::expired_hint));
    return;
  }
  if (greeting && t.in.images.empty()) {
    t.out.reply.push_back(msg(keys::welcome));
    if (is_group(t)) {
      // Mentioned with nothing to say yet: open a conversation so the next message counts.
      t.st = new_state(t);
      prompt(*t.st, t.cfg, t.out.reply);
    } else {
      help(t.out.reply);
    }
    return;
  }
  t.st = new_state(t);
  if (content.empty() && t.in.images.empty()) return prompt(*t.st, t.cfg, t.out.reply);
  take_content(t, content);
}

void continue_draft(turn& t) {
  conversation_state& s = *t.st;
  if (s.at != stage::ask_content && !t.in.images.empty()) {
    std::size_t before = s.photos.size();
    for (const auto& img : t.in.images) {
      if (s.photos.size() < t.cfg.max_photos) s.photos.push_back(img);
    }
    if (t.compacted.empty()) {
      t.out.reply.push_back(msg(keys::photos_received, {{"count", std::to_string(s.photos.size() - before)}}));
      return prompt(s, t.cfg, t.out.reply);
    }
  }
  if (correction(t)) return;
  if (s.at == stage::ask_content) {
    if (auto filing = text::strip_leading_word(t.norm, t.cfg.triggers.file)) {
      return take_content(t, *filing);
    }
  }
  handle_step(t);
}

void dispatch(turn& t, bool after_expiry) {
  const auto& tr = t.cfg.triggers;
  bool draft_open = t.st && t.st->has_draft();
  if (text::is_any_command(t.compacted, t.collapsed, tr.cancel)) {
    if (draft_open) {
      t.out.reply.push_back(msg(keys::cancelled));
      t.st.reset();
    } else if (!after_expiry) {
      t.out.reply.push_back(msg(keys::nothing_to_cancel));
    }
    return;
  }
  if (text::is_any_command(t.compacted, t.collapsed, tr.help)) {
    help(t.out.reply);
    return resume_draft(t);
  }
  if (query(t) || address_deputy(t)) return;
  if (draft_open) return continue_draft(t);
  new_conversation(t, after_expiry);
}

outcome finish(turn& t, const std::optional<conversation_state>& original) {
  if (t.ignore) {
    outcome o;
    o.state = original;
    return o;
  }
  outcome& out = t.out;
  out.handled = true;
  if (t.st && (t.st->has_draft() || t.st->waiting != pending::none)) {
    if (!t.invalid) t.st->strikes = 0;
    t.st->last_activity = t.in.now;
    t.st->expires_at = t.in.now + t.cfg.draft_ttl_seconds;
    out.keep_until = t.st->expires_at + t.cfg.expired_notice_seconds;
    out.state = std::move(t.st);
  } else {
    out.state.reset();
    out.keep_until = 0;
  }
  // Last line of defence for PIPL: nothing that reaches a group carries a phone or ID number.
  if (t.in.chat == chat_type::group) {
    for (auto& m : out.reply) {
      for (auto& [k, v] : m.params) v = privacy::mask_pii(v);
    }
  }
  return std::move(out);
}

outcome on_result(const std::optional<conversation_state>& state, const turn_input& in,
                  const intake_config& cfg) {
  turn t{in, cfg, "", "", "", state, {}};
  if (!t.st || !result_matches(t.st->waiting, *in.result)) {
    t.ignore = true;  // a late or duplicate answer to a lookup we no longer wait for
    return finish(t, state);
  }
  t.st->waiting = pending::none;
  apply_result(t, *in.result);
  return finish(t, state);
}

}  // namespace

outcome step(const std::optional<conversation_state>& state, const turn_input& in,
             const intake_config& cfg) {
  if (in.result) return on_result(state, in, cfg);
  turn t{in, cfg, text::normalize(in.text), "", "", state, {}};
  if (!listening(t, state.has_value())) {  // group small talk: nothing more to look at
    t.ignore = true;
    return finish(t, state);
  }
  t.compacted = text::compact(t.norm);
  t.collapsed = text::collapse_repeats(t.compacted);
  if (t.st && t.st->waiting != pending::none) {
    // A crash between the two phases of a lookup: forget the wait, keep the draft.
    t.st->waiting = pending::none;
    if (!t.st->has_draft()) t.st.reset();
  }
  bool after_expiry = false;
  if (t.st && in.now >= t.st->expires_at) {
    if (t.st->has_draft()) expired_notice(*t.st, cfg, t.out.reply, t.out.effects);
    after_expiry = true;
    t.st.reset();
  }
  if (emergency(t) || out_of_scope(t)) return finish(t, state);
  dispatch(t, after_expiry);
  return finish(t, state);
}

bool listens_unaddressed(std::string_view raw_text, const intake_config& cfg) {
  return opens_unaddressed(text::normalize(raw_text), cfg);
}

outcome expire(const conversation_state& state, std::int64_t now, const intake_config& cfg) {
  outcome o;
  if (!state.has_draft() || now < state.expires_at) {
    o.state = state;
    o.keep_until = state.expires_at + cfg.expired_notice_seconds;
    return o;
  }
  o.handled = true;
  expired_notice(state, cfg, o.reply, o.effects);
  o.reply.push_back(detail::msg(keys::expired_hint));
  if (state.chat == chat_type::group) {
    for (auto& m : o.reply) {
      for (auto& [k, v] : m.params) v = privacy::mask_pii(v);
    }
  }
  return o;
}

screening screen_out(std::string_view raw, const intake_config& cfg) {
  screening out;
  auto norm = text::normalize(raw);
  if (emergency_lines(norm, cfg, out.reply)) {
    out.kind = screening::emergency;
  } else if (out_of_scope_lines(norm, cfg, out.reply)) {
    out.kind = screening::out_of_scope;
  }
  return out;
}

}  // namespace lianxin::workflow::intake

// Slot filling: what each step accepts and where it goes next.
#include <algorithm>

#include "workflow/intake/detail.hpp"
#include "workflow/intake/messages.hpp"
#include "workflow/intake/text.hpp"
#include "workflow/privacy.hpp"

namespace lianxin::workflow::intake::detail {
namespace {

constexpr std::size_t max_back = 8;

bool is_group(const turn& t) { return t.in.chat == chat_type::group; }

void apply_classification(conversation_state& s, const classification& c,
                          const intake_config& cfg) {
  std::vector<std::string> ranked;
  for (const auto& score : c.ranked) {
    bool known = cfg.categories.empty() || cfg.find_category(score.category_id);
    if (known && score.category_id != cfg.other_category_id) ranked.push_back(score.category_id);
  }
  s.menu.clear();
  if (ranked.empty()) {
    // Nothing matched: deputies sort such cases (码上集); a menu would only add a turn.
    s.category_id = cfg.other_category_id;
  } else if (c.confident) {
    s.category_id = ranked.front();
  } else {
    s.category_id.clear();
    ranked.resize(std::min<std::size_t>(ranked.size(), 3));
    s.menu = ranked;
    s.menu.push_back(cfg.other_category_id);
  }
}

void full_category_menu(conversation_state& s, const intake_config& cfg) {
  s.menu.clear();
  for (const auto& c : cfg.categories) {
    if (c.id != cfg.other_category_id) s.menu.push_back(c.id);
  }
  s.menu.push_back(cfg.other_category_id);
}

place_slot to_slot(const known_place& p) { return place_slot{p.id, p.name}; }

// Sets the place from the text when it names a known village; when the group is bound to a
// different village, the resident chooses.
void detect_place(turn& t, std::string_view text) {
  const group_binding& b = t.in.binding;
  const known_place* named = find_place(text, t.in.known_places);
  conversation_state& s = *t.st;
  if (named && !b.village_id.empty() && named->id != b.village_id) {
    s.place = {};
    s.place_options = {to_slot(*named), place_slot{b.village_id, b.village_name}};
  } else if (named) {
    s.place = to_slot(*named);
    s.place_options.clear();
  } else if (s.place.empty() && !b.village_id.empty()) {
    s.place = place_slot{b.village_id, b.village_name};
  }
}

bool add_photos(turn& t) {
  auto& photos = t.st->photos;
  for (const auto& img : t.in.images) {
    if (photos.size() < t.cfg.max_photos) photos.push_back(img);
  }
  return !t.in.images.empty();
}

}  // namespace

conversation_state new_state(const turn& t) {
  conversation_state s;
  s.chat = t.in.chat;
  s.sender_id = t.in.sender_id;
  s.at = stage::ask_content;
  s.created_at = t.in.now;
  return s;
}

// True when `more`, without a leading 建议/反映/… and compacted (no spaces or punctuation), is
// already part of the compacted content: a resident who is not sure the message arrived sends
// it again, often with the opening word in front, and the suggestion must not carry the same
// sentence twice.
static bool already_in_content(const turn& t, std::string_view more) {
  auto rest = text::strip_leading_word(more, t.cfg.triggers.file);
  // Both are normalized already (the content is built from turns' normalized text).
  std::string words = text::compact_normalized(rest ? *rest : more);
  return !words.empty() && text::compact_normalized(t.st->content).find(words) != std::string::npos;
}

// `why`, then at the confirmation only the menu again (the resident has just seen the
// summary), elsewhere the current question.
static void answer_and_ask_again(turn& t, message why) {
  t.out.reply.push_back(std::move(why));
  if (t.st->at == stage::confirm) {
    t.out.reply.push_back(confirm_menu(*t.st));
  } else {
    prompt(*t.st, t.cfg, t.out.reply);
  }
}

bool resent_opening(turn& t) {
  auto rest = text::strip_leading_word(t.norm, t.cfg.triggers.file);
  if (!rest || t.st->content.empty() || !already_in_content(t, *rest)) return false;
  answer_and_ask_again(t, msg(keys::already_noted));
  return true;
}

void supplement_content(turn& t, std::string_view extra) {
  std::string more = privacy::mask_pii(extra);
  if (auto phone = text::find_phone(more)) more = text::cut(more, phone->begin, phone->end);
  if (already_in_content(t, more)) return answer_and_ask_again(t, msg(keys::already_noted));
  if (text::code_points(t.st->content) >= t.cfg.max_text_chars) {
    // Nothing more fits: saying "added" would be untrue.
    return answer_and_ask_again(t, msg(keys::content_full, {{"max", std::to_string(t.cfg.max_text_chars)}}));
  }
  bool cut = false;
  t.st->content = text::truncate(t.st->content + "；" + more, t.cfg.max_text_chars, cut);
  if (cut) t.out.reply.push_back(msg(keys::truncated, {{"max", std::to_string(t.cfg.max_text_chars)}}));
  t.out.reply.push_back(msg(keys::supplemented));
  prompt(*t.st, t.cfg, t.out.reply);
}


void go_to(turn& t, stage next) {
  conversation_state& s = *t.st;
  if (next != s.at && s.at != stage::none && s.at != stage::edit_menu &&
      s.at != stage::choose_similar) {
    s.back.erase(std::remove(s.back.begin(), s.back.end(), s.at), s.back.end());
    s.back.push_back(s.at);
    if (s.back.size() > max_back) s.back.erase(s.back.begin());
  }
  s.at = next;
  prompt(s, t.cfg, t.out.reply);
}

void advance(turn& t) {
  const conversation_state& s = *t.st;
  stage next = stage::confirm;
  if (s.content.empty()) {
    next = stage::ask_content;
  } else if (s.category_id.empty()) {
    if (s.menu.empty()) full_category_menu(*t.st, t.cfg);
    next = stage::choose_category;
  } else if (!s.place_options.empty()) {
    next = stage::confirm_place;
  } else if (s.place.empty()) {
    next = stage::ask_place;
  } else if (s.chat == chat_type::private_chat && !s.contact_asked && s.phone.empty()) {
    next = stage::ask_contact;
  }
  go_to(t, next);
}

void take_content(turn& t, std::string_view raw) {
  add_photos(t);
  std::string content(raw);
  if (auto phone = text::find_phone(content)) {
    content = text::cut(content, phone->begin, phone->end);
    if (is_group(t)) {
      t.out.reply.push_back(msg(keys::phone_in_group));
    } else {
      t.st->phone = phone->digits;
      t.st->contact_asked = true;
    }
  }
  content = privacy::mask_pii(content);  // ID numbers have no place in the text
  bool cut = false;
  content = text::truncate(content, t.cfg.max_text_chars, cut);
  if (text::code_points(text::compact(content)) < t.cfg.min_content_chars) {
    if (t.st->content.empty() && !t.st->photos.empty() && content.empty()) {
      t.out.reply.push_back(msg(keys::ask_content_photo, {{"count", std::to_string(t.st->photos.size())}}));
    } else {
      t.out.reply.push_back(msg(keys::ask_content_more));
    }
    t.st->at = stage::ask_content;
    return;
  }
  if (cut) t.out.reply.push_back(msg(keys::truncated, {{"max", std::to_string(t.cfg.max_text_chars)}}));
  t.st->content = content;
  apply_classification(*t.st, t.in.classified, t.cfg);
  detect_place(t, content);
  advance(t);
}

void reject(turn& t) {
  conversation_state& s = *t.st;
  if (is_group(t) && !t.in.mentioned && s.strikes >= t.cfg.max_reprompts) {
    t.ignore = true;  // probably talking to neighbours, not to us
    return;
  }
  t.invalid = true;
  ++s.strikes;
  t.out.reply.push_back(msg(keys::invalid_choice));
  prompt(s, t.cfg, t.out.reply);
}

draft make_draft(const conversation_state& s, const turn_input& in) {
  draft d;
  d.sender_id = s.sender_id;
  d.chat = s.chat;
  d.content = s.content;
  d.category_id = s.category_id;
  d.place = s.place;
  d.station_id = in.binding.station_id;
  d.photos = s.photos;
  d.phone = s.phone;
  d.anonymous = s.anonymous;
  if (s.deputy) d.deputy_code = s.deputy->code;
  d.created_at = s.created_at;
  return d;
}

void begin_submit(turn& t) {
  conversation_state& s = *t.st;
  if (!s.place.id.empty() && !s.category_id.empty()) {
    s.waiting = pending::similar;
    t.out.effects.push_back(find_similar{s.place.id, s.category_id, s.content,
                                         t.cfg.similarity_threshold, t.cfg.max_similar});
  } else {
    s.waiting = pending::submit;
    t.out.effects.push_back(submit_draft{make_draft(s, t.in)});
  }
}

void move_to_private(turn& t) {
  conversation_state priv = *t.st;
  priv.chat = chat_type::private_chat;
  priv.back.clear();
  priv.strikes = 0;
  priv.contact_asked = false;
  priv.last_activity = t.in.now;
  priv.expires_at = t.in.now + t.cfg.draft_ttl_seconds;
  std::vector<message> reply{msg(keys::private_welcome)};
  priv.at = stage::ask_contact;
  prompt(priv, t.cfg, reply);
  t.out.effects.push_back(start_private{t.st->sender_id, std::move(priv), std::move(reply)});
  t.out.reply.push_back(msg(keys::private_started));
  t.st.reset();
}

}  // namespace lianxin::workflow::intake::detail

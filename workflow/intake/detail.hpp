#pragma once
// Internals shared by dialogue.cpp (the transitions) and prompts.cpp (what is said at each
// step). Not part of the public API.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "workflow/intake/dialogue.hpp"

namespace lianxin::workflow::intake::detail {

message msg(std::string_view key, std::map<std::string, std::string> params = {});

std::string category_name(const intake_config& cfg, const std::string& id);

// A short, masked excerpt of resident text for group-visible lines.
std::string snippet(std::string_view text, std::size_t max_chars);

// The prompt for the step the state is at (menu, question or summary + choices).
void prompt(const conversation_state& s, const intake_config& cfg, std::vector<message>& out);
// The confirmation's menu line (a group's also offers "3 私聊留电话").
message confirm_menu(const conversation_state& s);

void summary(const conversation_state& s, const intake_config& cfg, std::vector<message>& out);

// The lines for "帮助".
void help(std::vector<message>& out);

// The best known place named in the text (longest name or alias wins), or nullptr.
const known_place* find_place(std::string_view text, std::span<const known_place> places);

// One turn in progress: the working copy of the state and the outcome being built.
struct turn {
  const turn_input& in;
  const intake_config& cfg;
  std::string norm;       // normalized text
  std::string compacted;  // for command matching
  std::string collapsed;  // text::collapse_repeats(compacted)
  std::optional<conversation_state> st;
  outcome out;
  bool invalid = false;  // the message was not a recognised answer
  bool ignore = false;   // stay silent, leave the stored state alone
};

// A fresh draft for this sender and chat.
conversation_state new_state(const turn& t);

// Takes `text` as the suggestion's content (first message or a replacement): cuts out a
// phone number (kept only in private chat), masks ID numbers, truncates, recognises a named
// place, applies the caller's classification, then moves on to the next question.
void take_content(turn& t, std::string_view text);

// Moves to the first unfilled slot and asks for it (or shows the summary).
void advance(turn& t);

// Switches to `next`, remembering the current step for "返回", and prompts.
void go_to(turn& t, stage next);

// Handles a message for the step the draft is at (after global commands).
void handle_step(turn& t);

// Adds more text to the content (a resident who writes in several messages).
void supplement_content(turn& t, std::string_view extra);

// The opening message sent again (建议 + words the content already has): true after telling
// the resident it is already noted and asking the current question again.
bool resent_opening(turn& t);

// Offers the full category list and forgets the current category.
void edit_category(turn& t);

// An unrecognised answer: re-ask, but in a group stop nagging after max_reprompts.
void reject(turn& t);

// "1 提交": find similar cases first when the village and category are known, else submit.
void begin_submit(turn& t);

// Moves the draft to the resident's private chat (phone numbers are never taken in a group).
void move_to_private(turn& t);

// After help or a query in the middle of a draft: "您还有一条没填完：" and its prompt.
void resume_draft(turn& t);

// Phase two: the shell's answer to the lookup the state was waiting for.
bool result_matches(pending waiting, const lookup_result& r);
void apply_result(turn& t, const lookup_result& result);

draft make_draft(const conversation_state& s, const turn_input& in);

}  // namespace lianxin::workflow::intake::detail

#pragma once
// The resident intake dialogue as a pure state machine:
//
//   step(state, input, config) -> outcome { handled, reply, state, effects, keep_until }
//
// No I/O, no clock (input.now), no Redis: the shell (bot/) loads the state, calls step, and
// in one atomic write stores outcome.state (or deletes it when cleared), queues outcome.reply
// and executes outcome.effects.
//
// Two-phase lookups. Some effects need an answer before the dialogue can reply: resolve a
// deputy code, find similar open cases, submit the draft (to learn the case number and
// deputy), list the resident's cases, show one case. For these, step returns
//   - the effect (its `kind` says which lookup),
//   - a state whose `waiting` names the lookup, and usually no reply.
// The shell stores that state, performs the lookup, and calls step again with the same
// conversation's state and the phase-one input with `result` set to the answer (text is
// ignored; chat, binding and classification are still used, e.g. to finish a deputy-addressed
// first message once the deputy's name is known). The
// dialogue then replies and moves on. The shell keeps the per-conversation lock across both
// phases, so no resident message can slip in between; if it does anyway (a crash between
// the phases), the dialogue drops the stale wait and treats the message normally, and a result
// arriving for a lookup the state is not waiting for is ignored (handled = false).
// Effects that need no answer (join_case, start_private, draft_expired) are fire-and-forget.
//
// Expiry. Each live state carries expires_at = last activity + draft_ttl. The shell keeps the
// stored state until outcome.keep_until (expires_at + expired_notice_seconds) so the resident
// can be told on their next message that the draft expired; where the platform can push, the
// shell's timer calls expire(state, now, config) at expires_at and sends its reply.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "workflow/classification.hpp"
#include "workflow/intake/config.hpp"
#include "workflow/intake/state.hpp"

namespace lianxin::workflow::intake {

// One line of a reply: a catalogue key and its placeholder values. A reply is a list of lines
// that the shell renders and joins with "\n" into one chat message.
struct message {
  std::string key;
  std::map<std::string, std::string> params;
  bool operator==(const message&) const = default;
};

struct group_binding {
  std::string village_id;  // empty when the chat is unbound or bound to a station only
  std::string village_name;
  std::string station_id;
};

struct known_place {
  std::string id;
  std::string name;                  // e.g. "小寨村"
  std::vector<std::string> aliases;  // e.g. "小寨"
};

// ---- lookup results fed back in (phase two) ----
struct deputy_found {
  std::string code;
  std::optional<std::string> name;  // nullopt: no such deputy
};
struct similar_case {
  std::string case_id;
  std::string summary;
  double score = 0.0;
};
struct similar_found {
  std::vector<similar_case> cases;
};
struct submit_receipt {
  bool ok = false;
  std::string case_id;
  std::string deputy_name;  // empty: routed to a station or the congress office
};
struct case_brief {
  std::string case_id;
  std::string status;  // display label, rendered by the shell from the case workflow
  std::string summary;
};
struct cases_found {
  std::vector<case_brief> cases;
};
struct case_detail_found {
  std::string case_id;
  std::optional<case_brief> found;
};
using lookup_result =
    std::variant<deputy_found, similar_found, submit_receipt, cases_found, case_detail_found>;

struct turn_input {
  chat_type chat = chat_type::group;
  bool mentioned = false;
  std::string text;  // with the bot mention already removed
  std::vector<std::string> images;
  std::optional<deputy_slot> deputy;  // from a QR scan (name may be empty: resolved by lookup)
  group_binding binding;
  std::string sender_id;
  std::int64_t now = 0;  // unix seconds
  classification classified;              // the caller's classification of `text`
  // Villages of this tenant, to spot a named place. A view of the caller's list (which
  // outlives the step), not a copy: the worker fills it for every inbound message.
  std::span<const known_place> known_places;
  std::optional<lookup_result> result;    // phase two of a lookup
};

// ---- effects: data for the shell to execute ----
struct draft {
  std::string sender_id;
  chat_type chat = chat_type::group;
  std::string content;
  std::string category_id;
  place_slot place;
  std::string station_id;
  std::vector<std::string> photos;
  std::string phone;  // store apart from the text; visible to the deputy and admins only
  bool anonymous = false;
  std::optional<std::string> deputy_code;
  std::int64_t created_at = 0;
};
struct resolve_deputy {
  std::string code;
};
struct find_similar {
  std::string village_id;
  std::string category_id;
  std::string text;
  double min_score = 0.0;
  std::size_t limit = 0;
};
struct submit_draft {
  struct draft draft;
};
struct join_case {
  std::string case_id;
  std::string sender_id;
  std::vector<std::string> photos;
};
struct query_cases {
  std::string sender_id;
};
struct query_case {
  std::string case_id;
  std::string sender_id;
};
// Continue this draft in the resident's private chat: store `state` under the private
// conversation key and send `reply` there.
struct start_private {
  std::string sender_id;
  conversation_state state;
  std::vector<message> reply;
};
struct draft_expired {
  std::string sender_id;
  std::int64_t expired_at = 0;
};
using effect = std::variant<resolve_deputy, find_similar, submit_draft, join_case, query_cases,
                            query_case, start_private, draft_expired>;

struct outcome {
  bool handled = false;  // false: not for the bot; stay silent and leave the state as it was
  std::vector<message> reply;
  std::optional<conversation_state> state;  // nullopt: delete the stored state
  std::vector<effect> effects;
  std::int64_t keep_until = 0;  // store the state until then (0 when cleared)
};

outcome step(const std::optional<conversation_state>& state, const turn_input& input,
             const intake_config& config);

// Whether a group message that does not mention the bot, from a resident with no conversation
// open, is for the bot at all: it opens with a trigger word (建议, 查询, 帮助, 取消…) or an
// emergency word ("救命！"), or asks for a deputy. If not, step() ignores it whatever else it
// says (neighbours talking), and the shell need not keep it.
bool listens_unaddressed(std::string_view raw_text, const intake_config& config);

// For the shell's timer where the platform can push: the expiry notice, or handled = false
// when the state has not expired (a newer turn refreshed it).
outcome expire(const conversation_state& state, std::int64_t now, const intake_config& config);

// The checks every entry point runs before filing anything: emergencies (the 119/110/120
// redirect) and matters that are not the congress's (courts, petitions). `reply` holds the
// catalogue lines to show; kind none means the text may be filed.
struct screening {
  enum { none, emergency, out_of_scope } kind = none;
  std::vector<message> reply;
};
screening screen_out(std::string_view raw, const intake_config& cfg);

}  // namespace lianxin::workflow::intake

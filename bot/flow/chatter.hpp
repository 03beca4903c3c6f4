#pragma once
// Group small talk, recognised at the front door so that it is never stored.
//
// Most messages in a village group are neighbours talking to each other. The intake worker
// ignores them, but until now each one was written to the inbox stream (and so to Redis's
// append-only file on disk, a plaintext copy) only to be read, found not to be for the bot
// and deleted. PIPL asks to keep no more than the purpose needs, so the webhook now keeps of
// such a message only its dedupe mark (the event id, never the text).
//
// is_chatter() says whether a message *could* be for the bot without a conversation open:
// it is decided from the message and the tenant's settings alone, by the same rules the
// worker applies (intake::listens_unaddressed, the binding words, a resident's rating). The
// inbox script then checks, atomically with the dedupe, whether the sender has a
// conversation open or messages of that conversation still waiting for the worker; only
// with neither is the message left out. See bot/ingest/inbox.hpp.
#include "adapters/message.hpp"
#include "bot/domain/domain.hpp"

#include <optional>
#include <string_view>

namespace lianxin::flow {

// "绑定 <code>" / "解绑 <code>": whether it unbinds, and the words after the binding word;
// nullopt when the text (past leading blanks) does not open with one. How the worker reads a
// binding code, and why the door keeps such a message.
struct binding_words {
  bool unbind = false;
  std::string_view rest;
};
std::optional<binding_words> read_binding_words(std::string_view text);

// Whether a resident's message may be a rating ("1", "满意", "评价 RN-… 满意"): short, and
// workflow::commands::may_be_resident_command says so. Longer chatter is never looked up.
bool may_be_rating(std::string_view text, const workflow::roster& people);

// True for a group chat message that does not mention the bot and that, with no conversation
// open, the intake worker would leave unanswered and unrecorded. Never true for private
// chats, events other than messages, QR scans, or QQ (whose group bots only hear mentions,
// and where any message opens the window for pending replies).
bool is_chatter(const domain::tenant_domain& d, const adapters::inbound_message& m);

}  // namespace lianxin::flow

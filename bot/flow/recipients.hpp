#pragma once
// Turns the workflow's notifications (audience + catalogue key + params) into outbound chat
// messages: who exactly hears it, on which platform and bot, with the text rendered from the
// message catalogue. Residents are reached in the chat where they raised the suggestion;
// deputies, department handlers, committee members and the office by their roster contacts.
//
// A resident's `party.platform` is "<platform>:<bot>" (e.g. "onebot:demo"), so replies go
// out through the same bot the resident wrote to.
#include "adapters/message.hpp"
#include "bot/domain/domain.hpp"
#include "bot/platforms/bots.hpp"
#include "workflow/transitions.hpp"

#include <string>
#include <vector>

namespace lianxin::flow {

struct recipient_options {
  // Preference order among a person's roster contacts.
  std::vector<std::string> channels{"sandbox", "wecom", "onebot", "qq", "wechat"};
};

class recipients {
 public:
  recipients(const domain::tenant_domain& d, const platforms::bots& bots, recipient_options opt = {});

  std::vector<adapters::outbound_message> render(const workflow::notification& n) const;
  // Several catalogue lines as one message to the notification's audience (digests); n.key
  // and n.params are not used, n.dedupe_key is.
  std::vector<adapters::outbound_message> render_lines(const workflow::notification& n,
                                                       std::vector<workflow::intake::message> lines) const;
  // Who exactly hears a notification: chats and roster contacts, in preference order.
  std::vector<adapters::outbound_target> targets(const workflow::notification& n) const;

  // "onebot:demo" for a message's platform and bot (the party.platform form).
  static std::string party_platform(const adapters::inbound_message& m);
  static workflow::party party_of(const adapters::inbound_message& m);

 private:
  std::optional<adapters::outbound_target> person(const std::map<std::string, std::string>& contacts) const;
  std::optional<adapters::outbound_target> person(const std::vector<workflow::chat_identity>& ids) const;
  std::string default_bot(std::string_view platform) const;

  const domain::tenant_domain& d_;
  const platforms::bots& bots_;
  recipient_options opt_;
};

}  // namespace lianxin::flow

#include "bot/flow/chatter.hpp"

#include "workflow/commands/commands.hpp"
#include "workflow/intake/dialogue.hpp"

namespace lianxin::flow {

std::optional<binding_words> read_binding_words(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  for (const auto& [word, unbind] : {std::pair<std::string_view, bool>{"绑定", false}, {"解绑", true}}) {
    if (text.starts_with(word)) return binding_words{unbind, text.substr(word.size())};
  }
  return std::nullopt;
}

bool may_be_rating(std::string_view text, const workflow::roster& people) {
  return text.size() <= 40 && workflow::commands::may_be_resident_command(text, people);
}

bool is_chatter(const domain::tenant_domain& d, const adapters::inbound_message& m) {
  if (m.kind != adapters::event_kind::message || m.chat != adapters::chat_type::group) return false;
  if (m.source == adapters::platform::qq || m.qr) return false;
  for (const auto& s : m.segments) {
    if (s.kind == adapters::segment_kind::mention_bot) return false;
  }
  if (read_binding_words(m.text) || may_be_rating(m.text, d.roster)) return false;
  return !workflow::intake::listens_unaddressed(m.text, d.intake);
}

}  // namespace lianxin::flow

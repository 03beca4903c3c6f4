#include "bot/flow/chatter.hpp"

#include "workflow/commands/commands.hpp"
#include "workflow/intake/dialogue.hpp"

namespace lianxin::flow {

bool is_chatter(const domain::tenant_domain& d, const adapters::inbound_message& m) {
  if (m.kind != adapters::event_kind::message || m.chat != adapters::chat_type::group) return false;
  if (m.source == adapters::platform::qq || m.qr) return false;
  for (const auto& s : m.segments) {
    if (s.kind == adapters::segment_kind::mention_bot) return false;
  }
  // A binding code ("绑定 K7Q2-MX9P"), as intake_worker::try_binding reads it.
  std::string_view text = m.text;
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  if (text.rfind("绑定", 0) == 0 || text.rfind("解绑", 0) == 0) return false;
  // A resident's rating ("1", "满意", "评价 RN-… 满意"), as intake_worker::try_command reads it.
  if (m.text.size() <= 40 && workflow::commands::may_be_resident_command(m.text, d.roster)) return false;
  return !workflow::intake::listens_unaddressed(m.text, d.intake);
}

}  // namespace lianxin::flow

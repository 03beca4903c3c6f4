#include "bot/flow/recipients.hpp"

#include "bot/ingest/message_json.hpp"
#include "workflow/privacy.hpp"

namespace lianxin::flow {

recipients::recipients(const domain::tenant_domain& d, const platforms::bots& bots, recipient_options opt)
    : d_(d), bots_(bots), opt_(std::move(opt)) {}

std::string recipients::party_platform(const adapters::inbound_message& m) {
  return std::string(adapters::to_string(m.source)) + ":" + m.bot;
}

workflow::party recipients::party_of(const adapters::inbound_message& m) {
  workflow::party p;
  p.platform = party_platform(m);
  p.chat = m.chat_id;
  p.user = m.sender_id;
  p.group = m.chat == adapters::chat_type::group;
  return p;
}

std::string recipients::default_bot(std::string_view platform) const {
  auto first = [](const auto& map) { return map.empty() ? std::string() : map.begin()->first; };
  if (platform == "onebot") return first(bots_.onebot);
  if (platform == "qq") return first(bots_.qq);
  if (platform == "wecom") return first(bots_.wecom);
  if (platform == "wechat") return first(bots_.wechat);
  if (platform == "sandbox") return "demo";
  return {};
}

std::optional<adapters::outbound_target> recipients::person(const std::map<std::string, std::string>& contacts) const {
  for (const auto& ch : opt_.channels) {
    auto it = contacts.find(ch);
    if (it == contacts.end() || it->second.empty()) continue;
    auto p = ingest::parse_platform(ch);
    auto bot = default_bot(ch);
    if (!p || bot.empty()) continue;
    adapters::outbound_target t;
    t.dest = *p;
    t.bot = bot;
    t.chat = adapters::chat_type::private_chat;
    t.chat_id = it->second;
    return t;
  }
  return std::nullopt;
}

std::optional<adapters::outbound_target> recipients::person(const std::vector<workflow::chat_identity>& ids) const {
  std::map<std::string, std::string> contacts;
  for (const auto& i : ids) contacts.emplace(i.platform, i.id);
  return person(contacts);
}

std::vector<adapters::outbound_target> recipients::targets(const workflow::notification& n) const {
  std::vector<adapters::outbound_target> targets;
  using workflow::audience;
  switch (n.to) {
    case audience::resident:
    case audience::group: {
      if (!n.chat) break;
      auto colon = n.chat->platform.find(':');
      auto p = ingest::parse_platform(n.chat->platform.substr(0, colon));
      if (!p) break;
      adapters::outbound_target t;
      t.dest = *p;
      t.bot = colon == std::string::npos ? default_bot(n.chat->platform) : n.chat->platform.substr(colon + 1);
      t.chat = n.chat->group ? adapters::chat_type::group : adapters::chat_type::private_chat;
      t.chat_id = n.chat->chat;
      targets.push_back(std::move(t));
      break;
    }
    case audience::deputy:
      if (const auto* dep = d_.roster.find_deputy(n.target)) {
        if (auto t = person(dep->contacts)) targets.push_back(std::move(*t));
      }
      break;
    case audience::department:
      if (const auto* dept = d_.roster.find_department(n.target)) {
        for (const auto& h : dept->handlers) {
          if (auto t = person(std::vector<workflow::chat_identity>{h})) targets.push_back(std::move(*t));
        }
      }
      break;
    case audience::committee:
      if (const auto* c = d_.roster.find_committee(n.target)) {
        for (const auto& m : c->members) {
          if (auto t = person(std::vector<workflow::chat_identity>{m})) targets.push_back(std::move(*t));
        }
      }
      break;
    case audience::office:
      for (const auto& m : d_.roster.office().members) {
        if (auto t = person(std::vector<workflow::chat_identity>{m})) targets.push_back(std::move(*t));
      }
      break;
  }
  return targets;
}

std::vector<adapters::outbound_message> recipients::render(const workflow::notification& n) const {
  std::vector<workflow::intake::message> lines{{n.key, n.params}};
  return render_lines(n, lines);
}

std::vector<adapters::outbound_message> recipients::render_lines(const workflow::notification& n,
                                                                  std::vector<workflow::intake::message> lines) const {
  const auto targets = this->targets(n);
  std::vector<adapters::outbound_message> out;
  if (targets.empty()) return out;
  // The workflow speaks in codes; residents read labels ("已交办", "满意").
  for (auto& line : lines) {
    for (const char* field : {"status", "rating"}) {
      auto it = line.params.find(field);
      if (it == line.params.end()) continue;
      auto key = std::string(field) + "." + it->second;
      if (d_.messages && d_.messages->contains(key)) it->second = d_.render({{key, {}}});
    }
  }
  std::string text = d_.render(lines);
  // Group posts never carry personal data, whatever a template or parameter contains.
  for (std::size_t i = 0; i < targets.size(); ++i) {
    adapters::outbound_message m;
    m.target = targets[i];
    m.segments.push_back({adapters::out_segment_kind::text,
                          m.target.chat == adapters::chat_type::group ? privacy::mask_pii(text) : text});
    m.idempotency_key = n.dedupe_key + "#" + std::to_string(i);
    m.bulletin = m.target.chat == adapters::chat_type::group;
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace lianxin::flow

#pragma once
// The neutral messages as compact JSON, as they are stored in the inbox and outbox streams.
#include "adapters/message.hpp"

#include <nlohmann/json.hpp>

#include <optional>

namespace lianxin::ingest {

nlohmann::json to_json(const adapters::inbound_message& m);
// The same as to_json(m).dump() with invalid UTF-8 replaced (the inbox entry's bytes), written
// straight into a string without building the tree: the webhook does this for every event.
std::string to_json_text(const adapters::inbound_message& m);
std::optional<adapters::inbound_message> inbound_from_json(const nlohmann::json& j);

nlohmann::json to_json(const adapters::outbound_message& m);
std::optional<adapters::outbound_message> outbound_from_json(const nlohmann::json& j);

std::optional<adapters::platform> parse_platform(std::string_view s);

// The conversation a message belongs to: platform:bot:g|p:chat:sender. One resident in one
// chat is one conversation; its messages are processed in order.
std::string conversation_key(const adapters::inbound_message& m);

}  // namespace lianxin::ingest

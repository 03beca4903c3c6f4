#pragma once
// WeCom outbound calls: the group-robot webhook, app messages (private and app-created group
// chats), the AI bot's one-shot response_url, and access tokens (protocols.md §3.3, §3.4, §4).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/common/wx_api.hpp"
#include "adapters/http_io.hpp"

namespace lianxin::adapters::wecom {

constexpr std::size_t webhook_text_limit = 2048;      // bytes, UTF-8
constexpr std::size_t webhook_markdown_limit = 4096;  // bytes
constexpr std::size_t ai_bot_markdown_limit = 20480;

// Neutralises resident text for WeCom markdown: the markup characters of links, emphasis and
// headings are backslash-escaped, and < > [ ] @ become their full-width forms so no
// <font>, <@userid>, [text](javascript:…) or @all can be formed (B36). Whether WeCom honours
// HTML entities is unconfirmed, so none are relied on.
std::string escape_markdown(std::string_view text);

// Plain text content for `text` messages: "<@" is broken up (text messages also expand
// <@userid>), the rest is kept.
std::string neutralise_text(std::string_view text);

// POST /cgi-bin/webhook/send?key=KEY, msgtype text. Mentions come only from mention segments
// and never include "@all"; text segments are neutralised and the content cut to 2048 bytes.
api_request render_webhook_text(std::string_view key, const outbound_message& msg);

// msgtype markdown: `markdown` is Lianxin's own template output (trusted); resident-supplied
// pieces must already have gone through escape_markdown.
api_request render_webhook_markdown(std::string_view key, std::string_view markdown);

// POST /cgi-bin/message/send?access_token=T (private, to a userid) or /cgi-bin/appchat/send
// (group chats created by the app), text, with enable_duplicate_check so a retried send
// within 30 minutes is not shown twice.
std::optional<api_request> render_app_message(std::string_view access_token, std::int64_t agent_id,
                                              const outbound_message& msg);

// The AI bot's active reply: POST to the callback's response_url (absolute, single use).
api_request render_response_url_markdown(std::string_view response_url, std::string_view markdown);

// GET /cgi-bin/gettoken?corpid=…&corpsecret=…
api_request render_token_request(std::string_view corp_id, std::string_view corp_secret);

using common::parse_wx_response;
using common::parse_wx_token_response;

}  // namespace lianxin::adapters::wecom

#pragma once
// OneBot v11 (NapCat, Lagrange, go-cqhttp): HTTP POST event reports, the reverse WebSocket
// (Universal role) and the HTTP API. Pure translation; the shell owns sockets and timers.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/common/result.hpp"
#include "adapters/common/safe_json.hpp"
#include "adapters/http_io.hpp"

namespace lianxin::adapters::onebot {

struct bot_config {
  std::string name;          // Lianxin bot name
  std::string self_id;       // the bot's QQ number (canonical decimal)
  std::string secret;        // HTTP POST HMAC secret; empty = reports are unsigned (not advised)
  std::string access_token;  // reverse-WS handshake and HTTP API bearer token
};

// --- inbound ---------------------------------------------------------------------------------

// POST /webhook/onebot/{bot}: X-Signature (HMAC-SHA1 of the raw body, checked first), then
// X-Self-ID (403 if not ours), then the event. Message events give one neutral message and
// 204; notices, requests and meta events are acknowledged (204) and dropped.
http_output handle_post(const bot_config& cfg, const http_input& input);

// The event JSON shared by HTTP POST and WebSocket. Empty vector for events Lianxin does not
// use; an error reason for malformed ones.
result<std::vector<inbound_message>, std::string> parse_event(const bot_config& cfg,
                                                              const common::json& event);

// "sha1=<40 lowercase hex>" for body under secret.
std::string sign_body(std::string_view secret, std::string_view body);

// --- quick operation and API calls (outbound) ------------------------------------------------

// HTTP POST response body answering a message event: {"reply":[segments],"at_sender":false}.
// Array segments, so nothing in the reply is interpreted as CQ code.
http_output render_quick_reply(const std::vector<out_segment>& segments, bool at_sender = false);

// send_group_msg / send_private_msg as an HTTP API request (path "/send_group_msg", JSON body,
// Authorization: Bearer <access_token> when a token is configured). nullopt for a chat id that
// is not a QQ number or a message with nothing sendable.
std::optional<api_request> render_send(const bot_config& cfg, const outbound_message& msg);

// The array segments for an outbound message. Mentions of non-numeric ids (such as "all") and
// images that are not http(s) URLs or base64:// data are dropped: Lianxin never @s everyone
// and never asks the implementation to read a local file.
common::json render_segments(const std::vector<out_segment>& segments, std::string_view reply_to = {});

// Classifies an API answer ({"status","retcode","data":{"message_id"}}).
api_result parse_api_response(std::string_view body);

// --- reverse WebSocket -----------------------------------------------------------------------

// The token offered in the handshake: "Authorization: Bearer X", "Authorization: Token X"
// (go-cqhttp) or "?access_token=X". nullopt when none is present.
std::optional<std::string> offered_access_token(const http_input& handshake);

// Validates a reverse-WS handshake before the upgrade: 401 when the bot has no access token
// configured (an open socket would let anyone take over the bot's outbound messages), when
// the token is missing or offered in an unknown scheme, and when it is wrong (constant-time
// compare); 403 when X-Self-ID is missing or not this bot. On success the output's status is
// 101 and the shell completes the upgrade.
http_output check_ws_handshake(const bot_config& cfg, const http_input& handshake);

enum class frame_kind { event, meta, api_response, invalid };

struct ws_frame {
  frame_kind kind = frame_kind::invalid;
  std::string echo;       // for api_response
  std::string meta_type;  // for meta: "heartbeat", "lifecycle", …
  common::json payload;
  std::string reason;     // for invalid
};

// An incoming text frame: an API response carries our `echo` and a `retcode` and no
// post_type; post_type "meta_event" (heartbeat, lifecycle) is meta, only a sign of life; any
// other post_type is an event for parse_event, exactly as over HTTP POST (but unsigned).
ws_frame classify_frame(std::string_view text);

// The echo of the n-th API call on a connection: "lx-<n>". Responses are matched on it.
std::string make_echo(std::uint64_t n);

// {"action":"send_group_msg","params":{...},"echo":"<echo>"} from a rendered API request.
std::string render_api_frame(const api_request& request, std::string_view echo);

}  // namespace lianxin::adapters::onebot

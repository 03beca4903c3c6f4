// OneBot v11 outbound: quick operations, HTTP API calls and reverse-WebSocket frames.
#include "adapters/common/digest.hpp"
#include "adapters/common/timestamp.hpp"
#include "adapters/onebot/onebot.hpp"

namespace lianxin::adapters::onebot {
namespace {

using common::json;

bool is_qq_number(std::string_view s) {
  const auto v = common::parse_decimal_u64(s);
  return v && *v > 0;
}

bool sendable_image(std::string_view file) {
  return file.rfind("https://", 0) == 0 || file.rfind("http://", 0) == 0 || file.rfind("base64://", 0) == 0;
}

}  // namespace

json render_segments(const std::vector<out_segment>& segments, std::string_view reply_to) {
  json out = json::array();
  if (!reply_to.empty()) out.push_back({{"type", "reply"}, {"data", {{"id", std::string(reply_to)}}}});
  for (const auto& s : segments) {
    switch (s.kind) {
      case out_segment_kind::text:
        if (!s.value.empty()) out.push_back({{"type", "text"}, {"data", {{"text", s.value}}}});
        break;
      case out_segment_kind::mention:
        if (is_qq_number(s.value)) out.push_back({{"type", "at"}, {"data", {{"qq", s.value}}}});
        break;
      case out_segment_kind::image_url:
      case out_segment_kind::image_ref:
        // image_ref must have been resolved by the shell to base64://… before rendering.
        if (sendable_image(s.value)) out.push_back({{"type", "image"}, {"data", {{"file", s.value}}}});
        break;
    }
  }
  return out;
}

http_output render_quick_reply(const std::vector<out_segment>& segments, bool at_sender) {
  json body = {{"reply", render_segments(segments)}, {"at_sender", at_sender}};
  return json_output(common::dump_json(body));
}

std::optional<api_request> render_send(const bot_config& cfg, const outbound_message& msg) {
  const auto id = common::parse_decimal_u64(msg.target.chat_id);
  if (!id || *id == 0) return std::nullopt;
  json message = render_segments(msg.segments, msg.target.reply_to_message_id);
  if (message.empty()) return std::nullopt;
  api_request req;
  json body;
  if (msg.target.chat == chat_type::group) {
    req.path = "/send_group_msg";
    body["group_id"] = *id;
  } else {
    req.path = "/send_private_msg";
    body["user_id"] = *id;
  }
  body["message"] = std::move(message);
  req.body = common::dump_json(body);
  if (!cfg.access_token.empty()) req.headers.emplace_back("Authorization", "Bearer " + cfg.access_token);
  return req;
}

api_result parse_api_response(std::string_view text) {
  api_result r;
  auto body = common::parse_json(text);
  if (!body || !body->is_object()) {
    r.outcome = api_outcome::retry;  // a truncated or proxy-mangled answer: try again
    r.message = "unparseable response";
    return r;
  }
  const json* retcode = common::find_field(*body, "retcode");
  const auto code = retcode ? common::as_int64(*retcode) : std::nullopt;
  r.code = code.value_or(-1);
  if (code && (*code == 0 || *code == 1)) {  // ok / async
    r.outcome = api_outcome::ok;
    if (const json* data = common::find_object(*body, "data")) {
      if (const json* id = common::find_field(*data, "message_id")) {
        if (id->is_number_integer() || id->is_number_unsigned()) r.message = id->dump();
      }
    }
    return r;
  }
  // 1400/1404: bad request or unknown action; 1401/1403: token missing or wrong (a
  // configuration error a refresh cannot fix); other codes are implementation failures such
  // as "bot offline" that a retry may outlive.
  if (r.code == 1400 || r.code == 1404 || r.code == 1401 || r.code == 1403) {
    r.outcome = api_outcome::give_up;
  } else {
    r.outcome = api_outcome::retry;
  }
  if (const std::string* m = common::find_string(*body, "wording")) r.message = *m;
  else if (const std::string* m2 = common::find_string(*body, "msg")) r.message = *m2;
  return r;
}

std::optional<std::string> offered_access_token(const http_input& handshake) {
  if (const std::string* auth = handshake.headers.find("Authorization")) {
    for (std::string_view scheme : {"Bearer ", "Token "}) {
      if (auth->size() > scheme.size() && std::string_view(*auth).substr(0, scheme.size()) == scheme) {
        return auth->substr(scheme.size());
      }
    }
    return std::nullopt;  // an unknown scheme is not silently ignored in favour of the query
  }
  if (const std::string* q = handshake.query_param("access_token")) return *q;
  return std::nullopt;
}

http_output check_ws_handshake(const bot_config& cfg, const http_input& handshake) {
  if (cfg.access_token.empty()) {
    return error_output(error_kind::bad_signature, "no access_token configured for the reverse WebSocket");
  }
  const auto token = offered_access_token(handshake);
  if (!token) return error_output(error_kind::bad_signature, "missing access token");
  if (!common::constant_time_equal(*token, cfg.access_token)) {
    return error_output(error_kind::bad_signature, "wrong access token");
  }
  const std::string* self = handshake.headers.find("X-Self-ID");
  if (!self || *self != cfg.self_id) return error_output(error_kind::forbidden, "X-Self-ID is not this bot");
  return empty_output(101);
}

ws_frame classify_frame(std::string_view text) {
  ws_frame f;
  auto parsed = common::parse_json(text);
  if (!parsed || !parsed->is_object()) {
    f.reason = parsed ? "frame is not an object" : std::string(common::to_string(parsed.error()));
    return f;
  }
  f.payload = std::move(parsed).value();
  if (const json* post_type = common::find_field(f.payload, "post_type")) {
    if (post_type->is_string() && post_type->get_ref<const std::string&>() == "meta_event") {
      f.kind = frame_kind::meta;
      if (const std::string* t = common::find_string(f.payload, "meta_event_type")) f.meta_type = *t;
      return f;
    }
    f.kind = frame_kind::event;
    return f;
  }
  const json* echo = common::find_field(f.payload, "echo");
  if (echo && common::find_field(f.payload, "retcode")) {
    f.kind = frame_kind::api_response;
    f.echo = echo->is_string() ? echo->get<std::string>() : common::dump_json(*echo);
    return f;
  }
  f.reason = "neither event nor api response";
  return f;
}

std::string make_echo(std::uint64_t n) { return "lx-" + std::to_string(n); }

std::string render_api_frame(const api_request& request, std::string_view echo) {
  std::string_view action = request.path;
  if (!action.empty() && action.front() == '/') action.remove_prefix(1);
  auto params = common::parse_json(request.body);
  json frame = {{"action", std::string(action)},
                {"params", params ? std::move(params).value() : json::object()},
                {"echo", std::string(echo)}};
  return common::dump_json(frame);
}

}  // namespace lianxin::adapters::onebot

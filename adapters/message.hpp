#pragma once
// The platform-neutral messages. Every adapter turns a platform request into zero or more
// inbound_message values and renders outbound_message values into platform API calls; the
// rest of Lianxin (bot/, and through it workflow/) only ever sees these types.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lianxin::adapters {

enum class platform { onebot, qq, wecom, wechat, sandbox };
std::string_view to_string(platform p);

enum class chat_type { group, private_chat };
std::string_view to_string(chat_type c);

// Role inside the chat as the platform reports it. Display only: authorisation uses Lianxin's
// own allowlist by stable id, never a role or nickname a resident can change.
enum class sender_role { unknown, member, admin, owner };

enum class segment_kind {
  text,          // value = the text
  mention_bot,   // value = the bot's id on that platform
  mention_user,  // value = the mentioned user's id
  mention_all,   // "@everyone" typed by a sender; kept so it can be shown, never re-sent
  image,         // url = where to fetch it (may expire quickly), value = platform file id
  reply,         // value = id of the quoted message; text = quoted text when the platform says
  face,          // value = platform emoji id
};

struct segment {
  segment_kind kind = segment_kind::text;
  std::string value;
  std::string url;
  std::string text;

  static segment make_text(std::string t);
  static segment make(segment_kind k, std::string value, std::string url = {});
  bool operator==(const segment&) const = default;
};

enum class event_kind {
  message,     // a chat message (text and/or segments)
  qr_scan,     // a scan of a parametric QR code (WeChat OA subscribe/SCAN); see `qr`
  follow,      // plain subscribe without a QR scene
  unfollow,
  enter_chat,  // a user opened a chat with the bot (WeCom AI bot)
};

struct qr_scan {
  std::string scene;             // scene value, e.g. a deputy code
  bool new_subscriber = false;   // true for subscribe+qrscene_, false for SCAN by a follower
  bool operator==(const qr_scan&) const = default;
};

// What a passive reply needs later (the shell keeps it with the stored message).
struct reply_context {
  std::string nonce;          // WeCom/WeChat: encrypted passive replies reuse the request nonce
  std::string bot_account;    // WeChat gh_ id / WeCom CorpID: "FromUserName" of our reply
  std::string response_url;   // WeCom AI bot: one-shot active reply URL (1 hour)
  bool encrypted = false;     // whether the request came in safe (encrypted) mode
};

struct inbound_message {
  platform source = platform::sandbox;
  std::string bot;  // Lianxin's configured bot name (the `{bot}` route segment)
  event_kind kind = event_kind::message;
  chat_type chat = chat_type::private_chat;
  std::string chat_id;      // group id; for private chats the sender id
  std::string sender_id;    // stable platform id (QQ number, openid, userid)
  std::string sender_name;  // display name when the platform sends one
  sender_role role = sender_role::unknown;
  std::string message_id;   // platform message id, used for replies/quotes
  std::int64_t time = 0;    // unix seconds as the platform stated it
  std::string text;         // plain text: text segments joined, mentions of the bot removed
  std::vector<segment> segments;
  std::optional<qr_scan> qr;
  // Platform event identity, normalised and prefixed with the platform and bot so keys from
  // different platforms can share one Redis namespace. Two deliveries of the same event give
  // the same key; two different events never do.
  std::string dedupe_key;
  reply_context reply;
};

// Hash for platforms that re-send one message under a new id: sender + chat + text + the
// time bucket it fell into. Lowercase SHA-256 hex, prefixed "content:<platform>:<bot>:".
// Callers that care about a message straddling a bucket boundary check the neighbour bucket
// too (content_hash with time ± bucket).
std::string content_hash(const inbound_message& m, std::int64_t bucket_seconds = 120);

// Removes NUL bytes (they truncate C strings further down: hiredis formats, logs) and trims
// surrounding ASCII whitespace.
std::string clean_text(std::string_view raw);

enum class out_segment_kind {
  text,
  mention,    // value = user id on the target platform
  image_url,  // value = https URL
  image_ref,  // value = a reference to bytes the shell holds (blob key); adapters don't load it
};

struct out_segment {
  out_segment_kind kind = out_segment_kind::text;
  std::string value;
  bool operator==(const out_segment&) const = default;
};

struct outbound_target {
  platform dest = platform::sandbox;
  std::string bot;
  chat_type chat = chat_type::group;
  std::string chat_id;              // group id / openid / chatid / user id
  std::string reply_to_message_id;  // passive reply / quote (QQ msg_id, OneBot reply id)
  std::uint32_t msg_seq = 0;        // QQ: 1..5 for replies to the same msg_id; 0 = unset
  std::int64_t reply_to_unix = 0;   // when the replied-to message was sent (QQ reply window); 0 = unknown
};

struct outbound_message {
  outbound_target target;
  std::vector<out_segment> segments;
  // Stable across retries of the same notification; platforms that support it get it as their
  // duplicate-check key, the notifier uses it to avoid double sends.
  std::string idempotency_key;
  // A case update posted to a group (not a reply to someone's message): the notifier may hold
  // it for quiet hours and merge several for one group into one message.
  bool bulletin = false;
};

// The text segments concatenated (mentions rendered as "@id"), for text-only channels.
std::string plain_text(const outbound_message& m);

}  // namespace lianxin::adapters

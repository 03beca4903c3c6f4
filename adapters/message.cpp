#include "adapters/message.hpp"

#include "adapters/common/digest.hpp"

namespace lianxin::adapters {

std::string_view to_string(platform p) {
  switch (p) {
    case platform::onebot: return "onebot";
    case platform::qq: return "qq";
    case platform::wecom: return "wecom";
    case platform::wechat: return "wechat";
    case platform::sandbox: return "sandbox";
  }
  return "unknown";
}

std::string_view to_string(chat_type c) {
  return c == chat_type::group ? "group" : "private";
}

segment segment::make_text(std::string t) {
  segment s;
  s.kind = segment_kind::text;
  s.value = std::move(t);
  return s;
}

segment segment::make(segment_kind k, std::string value, std::string url) {
  segment s;
  s.kind = k;
  s.value = std::move(value);
  s.url = std::move(url);
  return s;
}

std::string content_hash(const inbound_message& m, std::int64_t bucket_seconds) {
  if (bucket_seconds <= 0) bucket_seconds = 1;
  // Floor division, so negative (bogus) times still bucket consistently.
  std::int64_t bucket = m.time / bucket_seconds;
  if (m.time % bucket_seconds < 0) --bucket;
  // Length-prefixed fields: "ab"+"c" and "a"+"bc" must not hash alike.
  std::string canon;
  for (std::string_view part : {std::string_view(to_string(m.chat)), std::string_view(m.chat_id),
                                std::string_view(m.sender_id), std::string_view(m.text)}) {
    canon += std::to_string(part.size());
    canon += ':';
    canon.append(part);
  }
  canon += std::to_string(bucket);
  std::string out = "content:";
  out += to_string(m.source);
  out += ':';
  out += m.bot;
  out += ':';
  out += common::sha256_hex(canon);
  return out;
}

std::string clean_text(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    if (c != '\0') out.push_back(c);
  }
  const auto is_ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  std::size_t b = 0, e = out.size();
  while (b < e && is_ws(out[b])) ++b;
  while (e > b && is_ws(out[e - 1])) --e;
  return out.substr(b, e - b);
}

std::string plain_text(const outbound_message& m) {
  std::string out;
  for (const auto& s : m.segments) {
    if (s.kind == out_segment_kind::text) {
      out += s.value;
    } else if (s.kind == out_segment_kind::mention) {
      out += '@';
      out += s.value;
      out += ' ';
    }
  }
  return out;
}

}  // namespace lianxin::adapters

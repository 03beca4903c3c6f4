#include "adapters/onebot/cq_code.hpp"

namespace lianxin::adapters::onebot {
namespace {

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  std::string out;
  out.reserve(s.size());
  std::size_t pos = 0;
  for (std::size_t hit; (hit = s.find(from, pos)) != std::string::npos; pos = hit + from.size()) {
    out.append(s, pos, hit - pos);
    out.append(to);
  }
  out.append(s, pos, std::string::npos);
  return out;
}

}  // namespace

std::string_view cq_segment::get(std::string_view key) const {
  for (const auto& [k, v] : data) {
    if (k == key) return v;
  }
  return {};
}

std::string escape_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '[') out += "&#91;";
    else if (c == ']') out += "&#93;";
    else out.push_back(c);
  }
  return out;
}

std::string escape_value(std::string_view value) {
  return replace_all(escape_text(value), ",", "&#44;");
}

std::string unescape_text(std::string_view text) {
  std::string s = replace_all(std::string(text), "&#91;", "[");
  s = replace_all(std::move(s), "&#93;", "]");
  return replace_all(std::move(s), "&amp;", "&");
}

std::string unescape_value(std::string_view value) {
  return unescape_text(replace_all(std::string(value), "&#44;", ","));
}

std::vector<cq_segment> parse_cq_string(std::string_view message) {
  std::vector<cq_segment> out;
  std::string pending;  // raw (escaped) text not yet flushed
  auto flush = [&] {
    if (pending.empty()) return;
    out.push_back(cq_segment{"text", {{"text", unescape_text(pending)}}});
    pending.clear();
  };
  std::size_t pos = 0;
  while (pos < message.size()) {
    const std::size_t start = message.find("[CQ:", pos);
    if (start == std::string_view::npos) {
      pending.append(message.substr(pos));
      break;
    }
    const std::size_t end = message.find(']', start);
    if (end == std::string_view::npos) {
      pending.append(message.substr(pos));
      break;
    }
    pending.append(message.substr(pos, start - pos));
    flush();
    const std::string_view body = message.substr(start + 4, end - start - 4);
    const std::size_t comma = body.find(',');
    cq_segment seg;
    seg.type = std::string(body.substr(0, comma));
    std::string_view params = comma == std::string_view::npos ? std::string_view() : body.substr(comma + 1);
    while (!params.empty()) {
      const std::size_t next = params.find(',');
      const std::string_view part = params.substr(0, next);
      params = next == std::string_view::npos ? std::string_view() : params.substr(next + 1);
      const std::size_t eq = part.find('=');  // split at the first '=' only
      if (eq == std::string_view::npos) continue;
      seg.data.emplace_back(std::string(part.substr(0, eq)), unescape_value(part.substr(eq + 1)));
    }
    out.push_back(std::move(seg));
    pos = end + 1;
  }
  flush();
  return out;
}

}  // namespace lianxin::adapters::onebot

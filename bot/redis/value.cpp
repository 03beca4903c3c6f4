#include "bot/redis/value.hpp"

#include <hiredis/hiredis.h>

#include <charconv>

namespace lianxin::redis {

std::string_view to_string(kind k) {
  switch (k) {
    case kind::nil: return "nil";
    case kind::status: return "status";
    case kind::error: return "error";
    case kind::integer: return "integer";
    case kind::string: return "string";
    case kind::array: return "array";
  }
  return "?";
}

value value::status(std::string s) {
  value v;
  v.kind_ = kind::status;
  v.text_ = std::move(s);
  return v;
}

value value::error(std::string s) {
  value v;
  v.kind_ = kind::error;
  v.text_ = std::move(s);
  return v;
}

value value::integer(long long i) {
  value v;
  v.kind_ = kind::integer;
  v.int_ = i;
  return v;
}

value value::string(std::string s) {
  value v;
  v.kind_ = kind::string;
  v.text_ = std::move(s);
  return v;
}

value value::array(std::vector<value> elements) {
  value v;
  v.kind_ = kind::array;
  v.elements_ = std::move(elements);
  return v;
}

value value::from_hiredis(const redisReply* r) {
  if (r == nullptr) return nil();
  switch (r->type) {
    case REDIS_REPLY_STRING: return string(std::string(r->str, r->len));
    case REDIS_REPLY_STATUS: return status(std::string(r->str, r->len));
    case REDIS_REPLY_ERROR: return error(std::string(r->str, r->len));
    case REDIS_REPLY_INTEGER: return integer(r->integer);
    case REDIS_REPLY_ARRAY: {
      std::vector<value> elements;
      elements.reserve(r->elements);
      for (std::size_t i = 0; i < r->elements; ++i) elements.push_back(from_hiredis(r->element[i]));
      return array(std::move(elements));
    }
    default: return nil();
  }
}

std::optional<std::string> value::as_string() const {
  if (kind_ == kind::string || kind_ == kind::status) return text_;
  return std::nullopt;
}

std::optional<long long> value::as_integer() const {
  if (kind_ == kind::integer) return int_;
  if (kind_ != kind::string && kind_ != kind::status) return std::nullopt;
  long long out = 0;
  const char* end = text_.data() + text_.size();
  auto [p, ec] = std::from_chars(text_.data(), end, out);
  if (ec != std::errc{} || p != end || text_.empty()) return std::nullopt;
  return out;
}

std::string_view value::error_code() const {
  if (kind_ != kind::error) return {};
  std::string_view t = text_;
  return t.substr(0, t.find(' '));
}

namespace {
void escape_into(std::string& out, std::string_view s, std::size_t max_len) {
  static constexpr char hex[] = "0123456789abcdef";
  std::size_t n = 0;
  for (unsigned char c : s) {
    if (n++ >= max_len) {
      out += "...(" + std::to_string(s.size()) + " bytes)";
      return;
    }
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
}
}  // namespace

std::string value::debug_string(std::size_t max_len) const {
  std::string out;
  switch (kind_) {
    case kind::nil: return "(nil)";
    case kind::integer: return "(integer) " + std::to_string(int_);
    case kind::status: out = "+"; break;
    case kind::error: out = "-"; break;
    case kind::string: out = "\""; break;
    case kind::array: {
      out = "[";
      for (std::size_t i = 0; i < elements_.size(); ++i) {
        if (i) out += ", ";
        out += elements_[i].debug_string(max_len);
      }
      return out + "]";
    }
  }
  escape_into(out, text_, max_len);
  if (kind_ == kind::string) out += '"';
  return out;
}

bool operator==(const value& a, const value& b) {
  return a.kind_ == b.kind_ && a.int_ == b.int_ && a.text_ == b.text_ && a.elements_ == b.elements_;
}

}  // namespace lianxin::redis

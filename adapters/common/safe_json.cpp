#include "adapters/common/safe_json.hpp"

#include <charconv>
#include <cstring>
#include <limits>
#include <vector>

#include <simdjson.h>

#include "adapters/common/timestamp.hpp"

namespace lianxin::adapters::common {
namespace {

// Builds the tree in the same single pass that checks it: each hook returns false to stop the
// parser at the first problem (depth beyond the limit, a duplicate key, a syntax error), so no
// tree deeper than the limit is ever built, and a body is lexed once, not twice.
class checked_builder {
 public:
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  checked_builder(json& root, std::size_t max_depth) : root_(root), max_depth_(max_depth) {
    stack_.reserve(8);
  }

  std::optional<json_error> error;

  bool null() { return value(nullptr); }
  bool boolean(bool v) { return value(v); }
  bool number_integer(number_integer_t v) { return value(v); }
  bool number_unsigned(number_unsigned_t v) { return value(v); }
  bool number_float(number_float_t v, const string_t&) { return value(v); }
  bool string(string_t& v) { return value(std::move(v)); }
  bool binary(binary_t& v) { return value(json::binary(std::move(v))); }

  bool start_object(std::size_t) {
    if (!push()) return false;
    stack_.push_back(place(json::value_t::object));
    return true;
  }
  bool key(string_t& k) {
    json& obj = *stack_.back();
    auto [it, inserted] = obj.get_ref<json::object_t&>().try_emplace(std::move(k));
    if (!inserted) {
      error = json_error::duplicate_key;
      return false;
    }
    slot_ = &it->second;
    return true;
  }
  bool end_object() { return pop(); }
  bool start_array(std::size_t) {
    if (!push()) return false;
    stack_.push_back(place(json::value_t::array));
    return true;
  }
  bool end_array() { return pop(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    if (!error) error = json_error::syntax;
    return false;
  }

 private:
  template <class V>
  bool value(V&& v) {
    place(std::forward<V>(v));
    return true;
  }
  // Puts a value where the parser is: the root, the next array element or the last key's slot.
  template <class V>
  json* place(V&& v) {
    if (stack_.empty()) {
      root_ = json(std::forward<V>(v));
      return &root_;
    }
    json& top = *stack_.back();
    if (top.is_array()) {
      auto& arr = top.get_ref<json::array_t&>();
      arr.emplace_back(std::forward<V>(v));
      return &arr.back();
    }
    *slot_ = json(std::forward<V>(v));
    return slot_;
  }
  bool push() {
    if (++depth_ > max_depth_) {
      error = json_error::too_deep;
      return false;
    }
    return true;
  }
  bool pop() {
    stack_.pop_back();
    --depth_;
    return true;
  }

  json& root_;
  std::size_t max_depth_;
  std::size_t depth_ = 0;
  std::vector<json*> stack_;  // the open objects and arrays, innermost last
  json* slot_ = nullptr;      // the value of the key just read
};

// The fast path (simdjson, Debian's libsimdjson-dev): validates the whole text (UTF-8,
// surrogates, control characters, numbers, structure) several times faster than nlohmann's
// lexer, then the tree is built from its tape. It only ever *accepts*: whenever simdjson
// refuses a text, or the tree would break a limit or repeat a key, the text goes through the
// checked nlohmann pass below, which alone decides the error (or accepts what simdjson cannot
// represent, such as integers beyond 64 bits). The trees are the same as that pass builds:
// non-negative integers unsigned, negative ones signed, other numbers double
// (tests/unit/adapters/common_parse_test.cpp compares both on a corpus of bad inputs).
constexpr std::size_t kFastPathMaxBytes = 64 * 1024;  // larger texts (config files) are not hot

class tape_builder {
 public:
  explicit tape_builder(std::size_t max_depth) : max_depth_(max_depth) {}

  // False when the tree would break a limit (the caller then takes the checked pass).
  bool build(simdjson::dom::element e, json& out, std::size_t depth = 0) {
    using T = simdjson::dom::element_type;
    switch (e.type()) {
      case T::OBJECT: {
        if (depth + 1 > max_depth_) return false;
        out = json::object();
        auto& obj = out.get_ref<json::object_t&>();
        for (auto field : simdjson::dom::object(e)) {
          auto [it, inserted] = obj.try_emplace(std::string(field.key));
          if (!inserted || !build(field.value, it->second, depth + 1)) return false;
        }
        return true;
      }
      case T::ARRAY: {
        if (depth + 1 > max_depth_) return false;
        out = json::array();
        auto& arr = out.get_ref<json::array_t&>();
        for (auto v : simdjson::dom::array(e)) {
          arr.emplace_back();
          if (!build(v, arr.back(), depth + 1)) return false;
        }
        return true;
      }
      case T::STRING: out = std::string(std::string_view(e)); return true;
      case T::INT64: {
        const std::int64_t v = std::int64_t(e);
        if (v >= 0) {
          out = static_cast<json::number_unsigned_t>(v);
        } else {
          out = static_cast<json::number_integer_t>(v);
        }
        return true;
      }
      case T::UINT64: out = static_cast<json::number_unsigned_t>(std::uint64_t(e)); return true;
      case T::DOUBLE: out = static_cast<json::number_float_t>(double(e)); return true;
      case T::BOOL: out = bool(e); return true;
      case T::NULL_VALUE: out = nullptr; return true;
    }
    return false;
  }

 private:
  std::size_t max_depth_;
};

// One parser and one padded input buffer per thread (simdjson reads a little past the text,
// so the text is copied into a buffer with SIMDJSON_PADDING spare bytes).
std::optional<json> fast_parse(std::string_view text, std::size_t max_depth) {
  thread_local simdjson::dom::parser parser;
  thread_local std::vector<char> buffer;
  if (buffer.size() < text.size() + simdjson::SIMDJSON_PADDING) buffer.resize(text.size() + simdjson::SIMDJSON_PADDING);
  if (!text.empty()) std::memcpy(buffer.data(), text.data(), text.size());
  std::memset(buffer.data() + text.size(), 0, simdjson::SIMDJSON_PADDING);
  simdjson::dom::element root;
  if (parser.parse(buffer.data(), text.size(), false).get(root) != simdjson::SUCCESS) return std::nullopt;
  json tree;
  tape_builder b(max_depth);
  if (!b.build(root, tree)) return std::nullopt;
  return tree;
}

}  // namespace

std::string_view to_string(json_error e) {
  switch (e) {
    case json_error::too_large: return "json body too large";
    case json_error::too_deep: return "json nested too deeply";
    case json_error::duplicate_key: return "json object has a duplicate key";
    case json_error::syntax: return "malformed json";
  }
  return "json error";
}

result<json, json_error> parse_json(std::string_view text, const json_limits& limits) {
  if (text.size() > limits.max_bytes) return fail(json_error::too_large);
  try {
    if (text.size() <= kFastPathMaxBytes) {
      if (auto fast = fast_parse(text, limits.max_depth)) return std::move(*fast);
    }
    return parse_json_checked(text, limits);
  } catch (const std::exception&) {
    return fail(json_error::syntax);
  }
}

result<json, json_error> parse_json_checked(std::string_view text, const json_limits& limits) {
  if (text.size() > limits.max_bytes) return fail(json_error::too_large);
  try {
    json tree;
    checked_builder b(tree, limits.max_depth);
    const bool ok = json::sax_parse(text.begin(), text.end(), &b);
    if (!ok || b.error) return fail(b.error.value_or(json_error::syntax));
    return tree;
  } catch (const std::exception&) {
    // Only bad_alloc is plausible here; the request must still get an answer.
    return fail(json_error::syntax);
  }
}

json parse_stored_json(std::string_view text) {
  auto parsed = parse_json(text, {.max_bytes = std::numeric_limits<std::size_t>::max(), .max_depth = 512});
  if (!parsed) return json(json::value_t::discarded);
  return std::move(parsed).value();
}

const json* find_field(const json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

const std::string* find_string(const json& obj, std::string_view key) {
  const json* v = find_field(obj, key);
  return v && v->is_string() ? v->get_ptr<const std::string*>() : nullptr;
}

const json* find_object(const json& obj, std::string_view key) {
  const json* v = find_field(obj, key);
  return v && v->is_object() ? v : nullptr;
}

const json* find_array(const json& obj, std::string_view key) {
  const json* v = find_field(obj, key);
  return v && v->is_array() ? v : nullptr;
}

std::optional<std::string> canonical_id(const json& value) {
  if (value.is_number_unsigned()) {
    const auto v = value.get<std::uint64_t>();
    if (v == 0) return std::nullopt;
    return std::to_string(v);
  }
  if (value.is_number_integer()) {
    const auto v = value.get<std::int64_t>();
    if (v <= 0) return std::nullopt;
    return std::to_string(v);
  }
  if (value.is_string()) {
    const auto parsed = parse_decimal_u64(value.get_ref<const std::string&>());
    if (!parsed || *parsed == 0) return std::nullopt;
    return std::to_string(*parsed);
  }
  return std::nullopt;
}

std::optional<std::int64_t> as_int64(const json& value) {
  if (value.is_number_unsigned()) {
    const auto v = value.get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<std::int64_t>(v);
  }
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_string()) {
    const auto v = parse_decimal_u64(value.get_ref<const std::string&>());
    if (!v || *v > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<std::int64_t>(*v);
  }
  return std::nullopt;
}

namespace {

// Whether any of the eight bytes is a control character, '"' or '\\' (exact, bytes >= 0x80
// included: they are never flagged).
inline bool needs_escape(std::uint64_t w) {
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  auto has_zero = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
  const std::uint64_t below_space = (w - ones * 0x20) & ~w & highs;
  return (below_space | has_zero(w ^ (ones * '"')) | has_zero(w ^ (ones * '\\'))) != 0;
}

}  // namespace

// A string as nlohmann's dump writes it with ensure_ascii off and error_handler_t::replace:
// runs of bytes that need no escape are copied whole (Chinese text is one run), the few that
// do are escaped alike; a string with invalid UTF-8 is left to nlohmann itself, so the output
// is the same byte for byte (tests/unit/adapters/common_parse_test.cpp holds the two together).
void append_json_string(std::string& out, std::string_view s) {
  if (!simdjson::validate_utf8(s.data(), s.size())) {
    out += json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
    return;
  }
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  const char* p = s.data();
  const char* end = p + s.size();
  const char* run = p;
  for (; p < end; ++p) {
    while (end - p >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      if (needs_escape(w)) break;
      p += 8;
    }
    if (p == end) break;
    const auto c = static_cast<unsigned char>(*p);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(run, static_cast<std::size_t>(p - run));
    run = p + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        const char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        out.append(esc, 6);
      }
    }
  }
  out.append(run, static_cast<std::size_t>(end - run));
  out += '"';
}

namespace {

template <typename Int>
void put_integer(std::string& out, Int v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

void put_json(std::string& out, const json& v) {
  switch (v.type()) {
    case json::value_t::null: out += "null"; return;
    case json::value_t::boolean: out += v.get<bool>() ? "true" : "false"; return;
    case json::value_t::number_integer: put_integer(out, v.get<json::number_integer_t>()); return;
    case json::value_t::number_unsigned: put_integer(out, v.get<json::number_unsigned_t>()); return;
    case json::value_t::string: append_json_string(out, v.get_ref<const json::string_t&>()); return;
    case json::value_t::array: {
      const auto& a = v.get_ref<const json::array_t&>();
      out += '[';
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (i) out += ',';
        put_json(out, a[i]);
      }
      out += ']';
      return;
    }
    case json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [k, e] : v.get_ref<const json::object_t&>()) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, k);
        out += ':';
        put_json(out, e);
      }
      out += '}';
      return;
    }
    default:  // floats, binary, discarded: rare here, and nlohmann's own format is the reference
      out += v.dump(-1, ' ', false, json::error_handler_t::replace);
      return;
  }
}

}  // namespace

std::string dump_json(const json& value) {
  std::string out;
  out.reserve(256);
  put_json(out, value);
  return out;
}

}  // namespace lianxin::adapters::common

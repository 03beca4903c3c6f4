#include "adapters/common/safe_json.hpp"

#include <vector>

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

std::string dump_json(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace lianxin::adapters::common

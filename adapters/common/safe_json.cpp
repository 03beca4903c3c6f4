#include "adapters/common/safe_json.hpp"

#include <set>
#include <vector>

#include "adapters/common/timestamp.hpp"

namespace lianxin::adapters::common {
namespace {

// Validates without building: each hook returns false to stop the parser at the first problem.
class validator : public nlohmann::json_sax<json> {
 public:
  explicit validator(std::size_t max_depth) : max_depth_(max_depth) {}

  std::optional<json_error> error;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }

  bool start_object(std::size_t) override {
    if (!push()) return false;
    keys_.emplace_back();
    return true;
  }
  bool key(string_t& k) override {
    if (keys_.empty() || !keys_.back().insert(k).second) {
      error = json_error::duplicate_key;
      return false;
    }
    return true;
  }
  bool end_object() override {
    keys_.pop_back();
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    if (!push()) return false;
    keys_.emplace_back();  // keeps keys_ aligned with depth; arrays never add keys
    return true;
  }
  bool end_array() override {
    keys_.pop_back();
    --depth_;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    if (!error) error = json_error::syntax;
    return false;
  }

 private:
  bool push() {
    if (++depth_ > max_depth_) {
      error = json_error::too_deep;
      return false;
    }
    return true;
  }

  std::size_t max_depth_;
  std::size_t depth_ = 0;
  std::vector<std::set<std::string>> keys_;
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
    validator v(limits.max_depth);
    const bool ok = json::sax_parse(text.begin(), text.end(), &v);
    if (!ok || v.error) return fail(v.error.value_or(json_error::syntax));
    json tree = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (tree.is_discarded()) return fail(json_error::syntax);
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

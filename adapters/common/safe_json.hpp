#pragma once
// Parsing untrusted JSON bodies. nlohmann's parser is iterative, but copying and dumping a
// parsed tree still recurse per nesting level (reliability.md §4.2), so the depth is bounded
// *before* a tree is built; duplicate keys are rejected because they make an event's identity
// ambiguous (which "id" did the signature mean?). Invalid UTF-8 and lone surrogates are
// rejected by nlohmann's lexer, which this relies on and the tests pin down.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "adapters/common/result.hpp"

namespace lianxin::adapters::common {

using json = nlohmann::json;

enum class json_error { too_large, too_deep, duplicate_key, syntax };

std::string_view to_string(json_error e);

struct json_limits {
  std::size_t max_bytes = 256 * 1024;
  std::size_t max_depth = 32;
};

// Never throws. Texts up to 64 KiB are validated by simdjson first and the tree built from its
// tape; anything simdjson refuses, and every limit or duplicate, is decided by the checked pass
// alone: one SAX pass that checks depth, duplicates and syntax while it builds the tree and
// stops at the first problem, so a tree deeper than the limit is never built.
result<json, json_error> parse_json(std::string_view text, const json_limits& limits = {});
// The checked nlohmann pass on its own (the reference the fast path is tested against).
result<json, json_error> parse_json_checked(std::string_view text, const json_limits& limits = {});

// Lianxin's own JSON read back from Redis (inbox and outbox entries, conversation states,
// cases): the same fast path with wide limits; like json::parse(text, nullptr, false) it gives
// a discarded value (is_discarded()) when the text does not parse. Never throws.
json parse_stored_json(std::string_view text);

// Field access that never throws: nullptr when absent or of another type.
const json* find_field(const json& obj, std::string_view key);
const std::string* find_string(const json& obj, std::string_view key);
const json* find_object(const json& obj, std::string_view key);
const json* find_array(const json& obj, std::string_view key);

// A platform id given as a JSON number or a decimal string, as its canonical decimal text.
// Accepts positive integers up to uint64 max; rejects 0, negatives, floats (1e999,
// 18446744073709551616, 1.0), strings with signs, spaces or leading zeros, and other types.
std::optional<std::string> canonical_id(const json& value);

// An int64 given as number or decimal string (OneBot `time`, QQ `timestamp` numbers).
std::optional<std::int64_t> as_int64(const json& value);

// Serialises without throwing: invalid UTF-8 that slipped into a value is replaced (U+FFFD)
// rather than raising type_error 316 on the request path. The output is byte for byte
// value.dump(-1, ' ', false, replace), written about four times as fast for Chinese text
// (bench: tests/unit/adapters/common_parse_test.cpp pins the equality; docs/benchmarks.md
// the speed): every stored state, case and outbox entry goes through it.
std::string dump_json(const json& value);
// One JSON string, appended exactly as dump_json writes it (for writers that build JSON text
// without a tree, e.g. bot/ingest/message_json.cpp).
void append_json_string(std::string& out, std::string_view s);

}  // namespace lianxin::adapters::common

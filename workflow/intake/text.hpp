#pragma once
// Text handling for resident input: residents type on phones, often elderly, with full-width
// digits, emoji, repeated characters, stray spaces, and platforms leave CQ-code remnants and
// bidi controls in the text. Everything the dialogue parses goes through these functions so
// that "１", "一", "①" and "1 !!" all mean the same answer.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lianxin::workflow::intake::text {

// Cleans raw input for storage and parsing: removes CQ codes (and unterminated remnants) and
// OneBot entity escapes, bidi/zero-width controls and other control characters, maps full-width
// digits, letters and spaces to ASCII (full-width punctuation is kept: it is correct Chinese),
// collapses whitespace runs and trims. Invalid UTF-8 bytes are dropped.
std::string normalize(std::string_view raw);

// The form used to match commands: normalize, then drop spaces, punctuation (ASCII and CJK),
// emoji and variation selectors, and lower-case ASCII.
std::string compact(std::string_view raw);
// The same for text that normalize() has already produced (a turn's text, a draft's content).
std::string compact_normalized(std::string_view normalized);

// compact() with runs of one repeated character collapsed ("取消取消" stays, "好好好" -> "好").
std::string collapse_repeats(std::string_view compacted);

std::size_t code_points(std::string_view s);

// Cuts to at most max_code_points code points, never inside a code point.
std::string truncate(std::string_view s, std::size_t max_code_points, bool& truncated);

// A menu answer in [0, max_option]: "1", "１", "一", "壹", "①", "第一个", "选1", "1号", "11"
// (repeat of 1 when 11 is not an option), "十二". Nothing else.
std::optional<int> parse_choice(std::string_view raw, int max_option);

// True when compact(text) is `word`, optionally followed by up to two filler characters
// ("取消了", "取消吧"). A long sentence that merely starts with the word is not a command:
// "取消低保不公平" is a complaint, not "取消".
bool is_command(std::string_view compacted, std::string_view word);
// `collapsed` is collapse_repeats(compacted), worked out once per turn (a turn asks many times).
bool is_any_command(std::string_view compacted, std::string_view collapsed, const std::vector<std::string>& words);

bool contains_any(std::string_view s, const std::vector<std::string>& words);

// If `s` (normalized) starts with one of `words`, possibly after "我要"/"我想", returns the rest
// with leading separators (spaces, ：, :, ，, ,) removed.
std::optional<std::string> strip_leading_word(std::string_view s,
                                              const std::vector<std::string>& words);

// Drops leading separators (spaces, ：, :, ，, ,, 、, ！, -) left after a command word.
std::string_view trim_separators(std::string_view s);

// A mainland mobile number found in normalized text, with the byte range to cut from the
// content (including a preceding label such as "电话" or "手机号是").
struct phone_match {
  std::string digits;  // 11 digits
  std::size_t begin = 0;
  std::size_t end = 0;
};
std::optional<phone_match> find_phone(std::string_view normalized);

// Removes the matched phone (and its label) from the text and tidies the punctuation left.
std::string cut(std::string_view s, std::size_t begin, std::size_t end);

// A case number such as "RN-20261128-0042" (any 2-4 letter tenant prefix, case-insensitive,
// dashes optional), returned in canonical upper-case dashed form.
std::optional<std::string> find_case_number(std::string_view normalized);

// A deputy code such as "D0123" (the letter D and 3-6 digits) in a request like
// "找代表 D0123"; `rest` receives the text after the code, which may be the suggestion itself.
struct deputy_request {
  std::string code;
  std::string rest;
};
std::optional<deputy_request> find_deputy_request(std::string_view normalized);

}  // namespace lianxin::workflow::intake::text

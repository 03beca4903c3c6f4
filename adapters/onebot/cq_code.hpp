#pragma once
// OneBot v11 CQ-code strings: escaping and parsing (protocols.md §1.6). Lianxin only *reads*
// CQ strings; everything it sends uses array segments, so resident text is never re-parsed
// as markup ([CQ:at,qq=all] typed by a resident stays inert).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lianxin::adapters::onebot {

struct cq_segment {
  std::string type;  // "text" for plain text between codes
  std::vector<std::pair<std::string, std::string>> data;  // unescaped values

  // The value of a parameter, or "" when absent.
  std::string_view get(std::string_view key) const;
};

// & [ ] → &amp; &#91; &#93;
std::string escape_text(std::string_view text);
// as escape_text, plus , → &#44;
std::string escape_value(std::string_view value);
// Reverses escape_text, in go-cqhttp's order (&#91; &#93; first, &amp; last), so "&amp;#91;"
// decodes to the literal "&#91;" and not to "[".
std::string unescape_text(std::string_view text);
std::string unescape_value(std::string_view value);

// Splits a CQ string into segments. A "[CQ:" without its closing "]" is kept as text, as
// implementations do. Linear in the input.
std::vector<cq_segment> parse_cq_string(std::string_view message);

}  // namespace lianxin::adapters::onebot

#include "adapters/common/flat_xml.hpp"

#include <charconv>
#include <set>

namespace lianxin::adapters::common {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == ':';
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Decodes one entity starting at text[pos] == '&'; advances pos past the ';'.
bool decode_entity(std::string_view text, std::size_t& pos, std::string& out) {
  const std::size_t end = text.find(';', pos);
  if (end == std::string_view::npos || end - pos > 10) return false;
  const std::string_view name = text.substr(pos + 1, end - pos - 1);
  pos = end + 1;
  if (name == "lt") return out.push_back('<'), true;
  if (name == "gt") return out.push_back('>'), true;
  if (name == "amp") return out.push_back('&'), true;
  if (name == "quot") return out.push_back('"'), true;
  if (name == "apos") return out.push_back('\''), true;
  if (name.size() < 2 || name[0] != '#') return false;
  const bool hex = name[1] == 'x';
  const std::string_view digits = name.substr(hex ? 2 : 1);
  std::uint32_t cp = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
  if (digits.empty() || ec != std::errc{} || p != digits.data() + digits.size()) return false;
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  append_utf8(out, cp);
  return true;
}

struct open_element {
  std::string name;
  std::string text;
  bool has_children = false;
};

}  // namespace

std::string_view to_string(xml_error e) {
  switch (e) {
    case xml_error::too_large: return "xml too large";
    case xml_error::doctype: return "xml declarations (DOCTYPE/ENTITY/comments) are not accepted";
    case xml_error::processing_instruction: return "xml processing instructions are not accepted";
    case xml_error::bad_entity: return "xml entity not accepted";
    case xml_error::malformed: return "malformed xml";
    case xml_error::too_deep: return "xml nested too deeply";
    case xml_error::too_many_elements: return "xml has too many elements";
    case xml_error::duplicate_element: return "xml element repeated";
  }
  return "xml error";
}

const std::string* xml_document::find(std::string_view path) const {
  for (const auto& [k, v] : fields) {
    if (k == path) return &v;
  }
  return nullptr;
}

std::string_view xml_document::get(std::string_view path) const {
  const std::string* v = find(path);
  return v ? std::string_view(*v) : std::string_view();
}

result<xml_document, xml_error> parse_flat_xml(std::string_view s, const xml_limits& limits) {
  if (s.size() > limits.max_bytes) return fail(xml_error::too_large);
  xml_document doc;
  std::vector<open_element> stack;
  std::set<std::string> seen;
  std::size_t elements = 0;
  std::size_t pos = 0;
  bool root_closed = false;
  if (s.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
  while (pos < s.size() && is_space(s[pos])) ++pos;
  if (s.substr(pos, 5) == "<?xml") {
    const std::size_t end = s.find("?>", pos);
    if (end == std::string_view::npos) return fail(xml_error::malformed);
    pos = end + 2;
  }
  while (pos < s.size()) {
    const char c = s[pos];
    if (c != '<') {
      if (stack.empty()) {
        if (!is_space(c)) return fail(xml_error::malformed);  // text outside the root
        ++pos;
      } else if (c == '&') {
        if (!decode_entity(s, pos, stack.back().text)) return fail(xml_error::bad_entity);
      } else {
        stack.back().text.push_back(c);
        ++pos;
      }
      continue;
    }
    if (s.substr(pos, 9) == "<![CDATA[") {
      const std::size_t end = s.find("]]>", pos + 9);
      if (end == std::string_view::npos || stack.empty()) return fail(xml_error::malformed);
      stack.back().text.append(s.substr(pos + 9, end - pos - 9));
      pos = end + 3;
      continue;
    }
    if (s.substr(pos, 2) == "<!") return fail(xml_error::doctype);
    if (s.substr(pos, 2) == "<?") return fail(xml_error::processing_instruction);
    const bool closing = s.substr(pos, 2) == "</";
    std::size_t p = pos + (closing ? 2 : 1);
    const std::size_t name_start = p;
    while (p < s.size() && is_name_char(s[p])) ++p;
    const std::string_view name = s.substr(name_start, p - name_start);
    if (name.empty()) return fail(xml_error::malformed);
    // Attributes are not used by these documents; skip them, but only well-quoted ones.
    while (p < s.size() && s[p] != '>' && s[p] != '/') {
      if (s[p] == '"' || s[p] == '\'') {
        const std::size_t q = s.find(s[p], p + 1);
        if (q == std::string_view::npos) return fail(xml_error::malformed);
        p = q + 1;
      } else if (s[p] == '<' || s[p] == '&') {
        return fail(xml_error::malformed);
      } else {
        ++p;
      }
    }
    const bool self_closing = p < s.size() && s[p] == '/';
    if (self_closing) ++p;
    if (p >= s.size() || s[p] != '>') return fail(xml_error::malformed);
    pos = p + 1;
    if (closing) {
      if (self_closing || stack.empty() || stack.back().name != name) return fail(xml_error::malformed);
    } else {
      if (root_closed) return fail(xml_error::malformed);  // a second root
      if (++elements > limits.max_elements) return fail(xml_error::too_many_elements);
      if (stack.size() >= limits.max_depth) return fail(xml_error::too_deep);
      if (!stack.empty()) stack.back().has_children = true;
      stack.push_back(open_element{std::string(name), {}, false});
      if (!self_closing) continue;
    }
    // Close the top element (a closing tag or a self-closing one).
    open_element done = std::move(stack.back());
    stack.pop_back();
    if (stack.empty()) {
      doc.root = std::move(done.name);
      root_closed = true;
      continue;
    }
    if (done.has_children) continue;  // whitespace between its children is layout, not data
    std::string path;
    for (std::size_t i = 1; i < stack.size(); ++i) path += stack[i].name + "/";
    path += done.name;
    if (!seen.insert(path).second) return fail(xml_error::duplicate_element);
    doc.fields.emplace_back(std::move(path), std::move(done.text));
  }
  if (!stack.empty() || !root_closed) return fail(xml_error::malformed);
  return doc;
}

std::string cdata(std::string_view value) {
  std::string out = "<![CDATA[";
  std::size_t pos = 0;
  for (std::size_t hit; (hit = value.find("]]>", pos)) != std::string_view::npos; pos = hit + 2) {
    out.append(value.substr(pos, hit + 2 - pos));
    out += "]]><![CDATA[";
  }
  out.append(value.substr(pos));
  out += "]]>";
  return out;
}

}  // namespace lianxin::adapters::common

#pragma once
// A deliberately small XML reader for the WeCom / WeChat callback documents: one root element
// whose children hold text or CDATA, nested at most one level further (e.g. <Video><MediaId>).
//
// Why not a general XML library: the attacks on callback XML (XXE, billion laughs, external
// DTDs) all need a DOCTYPE, entities or processing instructions, and these documents never
// contain any. So this reader rejects every `<!` except CDATA and every `<?` except a leading
// XML declaration, decodes only the five predefined entities and character references, never
// recurses, and runs in time linear in the input.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/common/result.hpp"

namespace lianxin::adapters::common {

enum class xml_error {
  too_large,
  doctype,              // any <!DOCTYPE, <!ENTITY, comment or other markup declaration
  processing_instruction,
  bad_entity,           // an entity other than the predefined five or a character reference
  malformed,
  too_deep,
  too_many_elements,
  duplicate_element,    // the same path twice would make "which MsgId?" ambiguous
};

std::string_view to_string(xml_error e);

struct xml_limits {
  std::size_t max_bytes = 256 * 1024;
  std::size_t max_elements = 256;
  std::size_t max_depth = 3;  // root, child, grandchild
};

struct xml_document {
  std::string root;
  // Leaf elements in document order, keyed by path below the root: "Content", "Video/MediaId".
  std::vector<std::pair<std::string, std::string>> fields;

  // nullptr when absent.
  const std::string* find(std::string_view path) const;
  // The value, or an empty string when absent.
  std::string_view get(std::string_view path) const;
};

result<xml_document, xml_error> parse_flat_xml(std::string_view text, const xml_limits& limits = {});

// Escapes text for use inside a CDATA section: a "]]>" in the value is split across two
// sections so it cannot close ours early.
std::string cdata(std::string_view value);

}  // namespace lianxin::adapters::common

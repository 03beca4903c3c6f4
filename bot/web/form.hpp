#pragma once
// Form bodies: application/x-www-form-urlencoded and multipart/form-data (RFC 7578), parsed
// strictly and within limits. Pure code.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lianxin::web {

struct form_field {
  std::string name;
  std::string filename;      // set for file parts (may be empty when no file was chosen)
  std::string content_type;  // of a file part
  std::string value;         // the text, or the file's bytes
  bool is_file = false;
};

struct form_limits {
  std::size_t max_fields = 32;
  std::size_t max_part_header = 1024;
};

struct form_result {
  std::vector<form_field> fields;
  std::string error;  // empty on success
  const form_field* find(std::string_view name) const;
  std::string text(std::string_view name) const;  // "" when absent
};

// Dispatches on the Content-Type header; anything else is an error.
form_result parse_form(std::string_view content_type, std::string_view body, const form_limits& limits = {});
form_result parse_multipart(std::string_view boundary, std::string_view body, const form_limits& limits = {});
// The boundary parameter of a multipart/form-data Content-Type, or nullopt.
std::optional<std::string> multipart_boundary(std::string_view content_type);

}  // namespace lianxin::web

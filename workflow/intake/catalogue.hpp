#pragma once
// The message catalogue: every resident-facing sentence, keyed, with {placeholders}. The
// dialogue only names keys; the shell renders them here before handing text to an adapter.
// Loading takes JSON text (the shell reads config/messages.zh-CN.json) so this stays pure.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "workflow/intake/dialogue.hpp"

namespace lianxin::workflow::intake {

enum class catalogue_error {
  not_json,            // the text does not parse
  not_an_object,       // the top level must be {"key": "sentence", ...}
  not_a_string,        // a value that is not a string
  malformed_template,  // an unclosed "{" or an empty "{}"
  missing_key,         // render: the key is not in the catalogue
  missing_param,       // render: a placeholder has no value
};

const char* to_string(catalogue_error e);

struct render_result {
  std::string text;
  std::optional<catalogue_error> error;
  std::string detail;  // the key or placeholder concerned
  bool ok() const { return !error; }
};

struct catalogue_result;

class catalogue {
 public:
  // Keys starting with "_" are comments for translators and reviewers, not sentences.
  static catalogue_result parse(std::string_view json_text);
  static catalogue_result from_json(const nlohmann::json& j);

  bool contains(std::string_view key) const;
  // The placeholder names a sentence uses, in order of first appearance.
  std::vector<std::string> placeholders(std::string_view key) const;
  std::vector<std::string> keys() const;

  // "{name}" is replaced by params["name"]; "{{" and "}}" are literal braces. Extra params are
  // allowed (a caller may pass more than one sentence needs).
  render_result render(const message& m) const;
  // Renders every line and joins them with "\n" into one chat message; stops at the first error.
  render_result render(const std::vector<message>& lines) const;

 private:
  std::map<std::string, std::string, std::less<>> templates_;
};

struct catalogue_result {
  std::optional<catalogue> value;
  std::optional<catalogue_error> error;
  std::string detail;
};

}  // namespace lianxin::workflow::intake

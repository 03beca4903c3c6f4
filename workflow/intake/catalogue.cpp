#include "workflow/intake/catalogue.hpp"

namespace lianxin::workflow::intake {
namespace {

// Walks a template, calling on_text for literal runs and on_param for each placeholder.
// Returns false on a malformed template.
template <class OnText, class OnParam>
bool walk(std::string_view t, OnText&& on_text, OnParam&& on_param) {
  std::size_t i = 0;
  while (i < t.size()) {
    if (t.compare(i, 2, "{{") == 0 || t.compare(i, 2, "}}") == 0) {
      on_text(t.substr(i, 1));
      i += 2;
      continue;
    }
    if (t[i] == '{') {
      auto close = t.find('}', i + 1);
      if (close == std::string_view::npos || close == i + 1) return false;
      std::string_view name = t.substr(i + 1, close - i - 1);
      if (name.find('{') != std::string_view::npos) return false;
      if (!on_param(name)) return false;
      i = close + 1;
      continue;
    }
    auto next = t.find_first_of("{}", i);
    if (next == i) {  // a lone "}"
      on_text(t.substr(i, 1));
      ++i;
      continue;
    }
    if (next == std::string_view::npos) next = t.size();
    on_text(t.substr(i, next - i));
    i = next;
  }
  return true;
}

}  // namespace

const char* to_string(catalogue_error e) {
  switch (e) {
    case catalogue_error::not_json: return "not_json";
    case catalogue_error::not_an_object: return "not_an_object";
    case catalogue_error::not_a_string: return "not_a_string";
    case catalogue_error::malformed_template: return "malformed_template";
    case catalogue_error::missing_key: return "missing_key";
    case catalogue_error::missing_param: return "missing_param";
  }
  return "unknown";
}

catalogue_result catalogue::parse(std::string_view json_text) {
  auto j = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return {std::nullopt, catalogue_error::not_json, ""};
  return from_json(j);
}

catalogue_result catalogue::from_json(const nlohmann::json& j) {
  if (!j.is_object()) return {std::nullopt, catalogue_error::not_an_object, ""};
  catalogue c;
  for (const auto& [key, value] : j.items()) {
    if (!key.empty() && key.front() == '_') continue;
    if (!value.is_string()) return {std::nullopt, catalogue_error::not_a_string, key};
    auto text = value.get<std::string>();
    bool ok = walk(text, [](std::string_view) {}, [](std::string_view) { return true; });
    if (!ok) return {std::nullopt, catalogue_error::malformed_template, key};
    c.templates_.emplace(key, std::move(text));
  }
  return {std::move(c), std::nullopt, ""};
}

bool catalogue::contains(std::string_view key) const { return templates_.find(key) != templates_.end(); }

std::vector<std::string> catalogue::placeholders(std::string_view key) const {
  std::vector<std::string> names;
  auto it = templates_.find(key);
  if (it == templates_.end()) return names;
  walk(it->second, [](std::string_view) {}, [&](std::string_view name) {
    for (const auto& n : names) {
      if (n == name) return true;
    }
    names.emplace_back(name);
    return true;
  });
  return names;
}

std::vector<std::string> catalogue::keys() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : templates_) out.push_back(k);
  return out;
}

render_result catalogue::render(const message& m) const {
  auto it = templates_.find(m.key);
  if (it == templates_.end()) return {"", catalogue_error::missing_key, m.key};
  render_result r;
  walk(it->second, [&](std::string_view s) { r.text.append(s); },
       [&](std::string_view name) {
         auto p = m.params.find(std::string(name));
         if (p == m.params.end()) {
           r.error = catalogue_error::missing_param;
           r.detail = m.key + ":" + std::string(name);
           return false;
         }
         r.text.append(p->second);
         return true;
       });
  if (r.error) r.text.clear();
  return r;
}

render_result catalogue::render(const std::vector<message>& lines) const {
  render_result all;
  for (const auto& m : lines) {
    auto r = render(m);
    if (!r.ok()) return r;
    if (!all.text.empty()) all.text += "\n";
    all.text += r.text;
  }
  return all;
}

}  // namespace lianxin::workflow::intake

#include "bot/web/html.hpp"

namespace lianxin::web {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\0': break;
      default: out += c;
    }
  }
  return out;
}

std::string render(std::string_view tmpl, const vars& v, const std::function<std::string(std::string_view)>& catalogue,
                   std::vector<std::string>* missing) {
  std::string out;
  out.reserve(tmpl.size() * 2);
  std::size_t i = 0;
  while (i < tmpl.size()) {
    auto open = tmpl.find("{{", i);
    if (open == std::string_view::npos) {
      out.append(tmpl.substr(i));
      break;
    }
    out.append(tmpl.substr(i, open - i));
    const bool raw = tmpl.substr(open, 3) == "{{{";
    const std::size_t start = open + (raw ? 3 : 2);
    const std::string_view close_tok = raw ? "}}}" : "}}";
    auto close = tmpl.find(close_tok, start);
    if (close == std::string_view::npos) {
      out.append(tmpl.substr(open));
      break;
    }
    std::string_view name = tmpl.substr(start, close - start);
    if (auto it = v.find(name); it != v.end()) {
      out += raw ? it->second : escape(it->second);
    } else if (!raw && name.substr(0, 4) == "web." && catalogue) {
      out += escape(catalogue(name));
    } else if (missing) {
      missing->emplace_back(name);
    }
    i = close + close_tok.size();
  }
  return out;
}

}  // namespace lianxin::web

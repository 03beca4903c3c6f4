#pragma once
// HTML output for the web pages: escaping and a tiny template language.
//   {{name}}    the variable, HTML-escaped; a name starting with "web." falls back to the
//               message catalogue (so templates hold markup only, every word comes from
//               config/messages.zh-CN.json)
//   {{{name}}}  the variable as is — only for fragments the code built with escape()
// Unknown names render empty and are reported through `missing`, so tests catch typos.
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace lianxin::web {

std::string escape(std::string_view text);

using vars = std::map<std::string, std::string, std::less<>>;

std::string render(std::string_view tmpl, const vars& v, const std::function<std::string(std::string_view)>& catalogue,
                   std::vector<std::string>* missing = nullptr);

}  // namespace lianxin::web

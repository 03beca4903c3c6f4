#pragma once
// The files under web/ (templates/*.html, static/*), embedded at build time by
// scripts/cmake/embed.cmake; keys are paths relative to web/ ("static/app.css").
#include <map>
#include <string>

namespace lianxin::web {
const std::map<std::string, std::string, std::less<>>& embedded_assets();
}

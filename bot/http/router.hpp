#pragma once
// Maps method + path pattern to handlers. Patterns are literal segments and `{name}`
// parameters ("/webhook/onebot/{bot}"); a final `{name...}` takes the rest of the path.
// An unknown path is 404; a known path with the wrong method is 405 (with Allow).
#include "bot/http/types.hpp"

#include <boost/beast/http/verb.hpp>

#include <optional>
#include <string>
#include <vector>

namespace lianxin::http {

class router {
 public:
  void add(bhttp::verb method, std::string pattern, handler h);

  struct match {
    const handler* h = nullptr;  // null: see status
    unsigned status = 200;       // 404 or 405 when h is null
    std::string allow;           // for 405
    std::string pattern;
    std::map<std::string, std::string, std::less<>> params;
  };
  match find(bhttp::verb method, std::string_view path) const;

  // WebSocket routes: a GET with "Upgrade: websocket" on the pattern goes to the upgrade
  // handler; a plain request there is answered 426 by the server.
  void add_upgrade(std::string pattern, upgrade_handler h);
  struct upgrade_match {
    const upgrade_handler* h = nullptr;  // null: no WebSocket route here
    std::string pattern;
    std::map<std::string, std::string, std::less<>> params;
  };
  upgrade_match find_upgrade(std::string_view path) const;

 private:
  struct route {
    bhttp::verb method;
    std::string pattern;
    std::vector<std::string> segments;
    handler h;
  };
  static bool match_segments(const route& r, const std::vector<std::string_view>& parts,
                             std::map<std::string, std::string, std::less<>>& params);
  std::vector<route> routes_;
  struct upgrade_route {
    route r;  // method unused
    upgrade_handler h;
  };
  std::vector<upgrade_route> upgrades_;
};

}  // namespace lianxin::http

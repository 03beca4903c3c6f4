#include "bot/cli/token_command.hpp"

#include "bot/api/auth.hpp"
#include "bot/cli/redis_session.hpp"
#include "bot/config/config.hpp"
#include "bot/redis/client.hpp"
#include "bot/store/keys.hpp"


#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>

namespace lianxin::cli {
namespace {

struct token_args {
  std::string action, id, role, scope, label, config, redis, error;
};

token_args parse_token_args(const std::vector<std::string>& args) {
  token_args t;
  std::map<std::string, std::string*> opts{{"role", &t.role},     {"scope", &t.scope}, {"label", &t.label},
                                           {"config", &t.config}, {"redis", &t.redis}};
  std::vector<std::string> positional;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a.rfind("--", 0) != 0) {
      positional.push_back(a);
      continue;
    }
    auto name = a.substr(2);
    std::string value;
    auto eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      t.error = "option --" + name + " needs a value";
      return t;
    }
    auto it = opts.find(name);
    if (it == opts.end()) {
      t.error = "unknown option --" + name;
      return t;
    }
    *it->second = value;
  }
  if (positional.empty()) {
    t.error = "say create, list or revoke";
    return t;
  }
  t.action = positional[0];
  if (t.action == "revoke") {
    if (positional.size() != 2) t.error = "revoke needs the token id";
    else t.id = positional[1];
  } else if (t.action == "create" || t.action == "list") {
    if (positional.size() != 1) t.error = "unexpected argument " + positional[1];
    if (t.action == "create" && t.role.empty()) t.error = "create needs --role";
  } else {
    t.error = "unknown action \"" + t.action + "\"";
  }
  return t;
}

awaitable<void> run_token(redis_session& s, token_args t, int& rc) {
  api::auth a(s.client(), s.keys(), "");
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  if (t.action == "create") {
    std::string error;
    auto c = co_await a.create(*api::parse_role(t.role), t.scope, t.label, now, &error);
    if (!c) {
      std::fprintf(stderr, "lianxin: %s\n", error.c_str());
      rc = error.rfind("storage", 0) == 0 ? 1 : 2;
    } else {
      std::printf("created token %s (role %s%s%s); it is shown only now:\n%s\n", c->id.c_str(), t.role.c_str(),
                  t.scope.empty() ? "" : ", scope ", t.scope.c_str(), c->token.c_str());
      rc = 0;
    }
  } else if (t.action == "list") {
    auto list = co_await a.list();
    std::printf("%-10s %-11s %-16s %-20s %s\n", "id", "role", "scope", "created (unix)", "label");
    for (const auto& i : list) {
      std::printf("%-10s %-11s %-16s %-20lld %s\n", i.id.c_str(), api::to_string(i.r), i.scope.c_str(),
                  static_cast<long long>(i.created_at), i.label.c_str());
    }
    rc = 0;
  } else {
    bool ok = co_await a.revoke(t.id);
    if (ok) std::printf("revoked %s\n", t.id.c_str());
    else std::fprintf(stderr, "lianxin: no token %s\n", t.id.c_str());
    rc = ok ? 0 : 1;
  }
}

}  // namespace

int cmd_token(const std::vector<std::string>& args) {
  auto t = parse_token_args(args);
  if (t.error.empty() && t.action == "create" && !api::parse_role(t.role)) {
    t.error = "unknown role \"" + t.role + "\" (admin, station, deputy, department, viewer)";
  } else if (t.error.empty() && t.action == "create") {
    auto r = *api::parse_role(t.role);
    bool needs = r == api::role::station || r == api::role::deputy || r == api::role::department;
    if (needs && t.scope.empty()) t.error = "role " + t.role + " needs --scope";
    if (!needs && !t.scope.empty()) t.error = "role " + t.role + " takes no --scope";
  }
  if (!t.error.empty()) {
    std::fprintf(stderr, "lianxin: token: %s\n%s", t.error.c_str(), kTokenUsage);
    return 2;
  }
  redis_session session;
  if (int rc = session.open(t.config, t.redis)) return rc;
  int rc = 1;
  if (int r = session.run(run_token(session, t, rc))) return r;
  return rc;
}

}  // namespace lianxin::cli

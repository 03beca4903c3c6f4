#include "bot/cli/cli.hpp"

#include "bot/api/settings.hpp"
#include "bot/api/stats_api.hpp"
#include "bot/flow/digests.hpp"
#include "bot/flow/notify_config.hpp"

#include "bot/app.hpp"
#include "bot/cli/admin_command.hpp"
#include "bot/cli/chat_command.hpp"
#include "bot/cli/qr_command.hpp"
#include "bot/cli/token_command.hpp"
#include "bot/domain/domain.hpp"
#include "bot/platforms/bots.hpp"
#include "bot/sandbox/sandbox.hpp"
#include "bot/core/log.hpp"

#include <cstdio>
#include <iostream>
#include <map>
#include <optional>

namespace lianxin::cli {
namespace {

struct command {
  const char* name;
  const char* summary;
  const char* usage;
  int (*fn)(const std::vector<std::string>& args);
};

int cmd_serve(const std::vector<std::string>& args);
int cmd_check_config(const std::vector<std::string>& args);
int cmd_help(const std::vector<std::string>& args);
int cmd_version(const std::vector<std::string>&) {
  std::cout << "lianxin " << LIANXIN_VERSION << "\n";
  return 0;
}

const command kCommands[] = {
    {"serve", "run the server",
     "usage: lianxin serve [--config FILE] [--listen HOST:PORT] [--redis URL]\n"
     "\n"
     "Runs Lianxin. Without a Redis URL (in the config's redis.url or --redis) it starts its\n"
     "own redis-server under redis.embedded.data_dir (default var/). --listen 127.0.0.1:0\n"
     "binds a free port and logs it. SIGTERM or SIGINT shut it down gracefully.\n",
     cmd_serve},
    {"check-config", "validate a configuration file",
     "usage: lianxin check-config FILE\n"
     "\n"
     "Validates FILE and prints what Lianxin would run with (secrets masked).\n"
     "Exit 0 if valid; 2 with one line naming the file, key and problem if not.\n",
     cmd_check_config},
    {"qr", "write deputies' QR codes and A4 posters", kQrUsage, cmd_qr},
    {"chat", "chat with a running server through its sandbox", kChatUsage, cmd_chat},
    {"token", "create, list or revoke API tokens", kTokenUsage, cmd_token},
    {"bind-code", "make a one-time code that binds a chat group", kBindCodeUsage, cmd_bind_code},
    {"roster", "re-import the roster files into Redis", kRosterUsage, cmd_roster},
    {"version", "print the version", "usage: lianxin --version\n", cmd_version},
    {"help", "show help for a command", "usage: lianxin help [COMMAND]\n", cmd_help},
};

const command* find_command(const std::string& name) {
  for (const auto& c : kCommands) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

void print_overview(std::FILE* out) {
  std::fprintf(out, "lianxin %s: the 连心桥 deputy-liaison bot server\n\nusage: lianxin COMMAND [OPTIONS]\n\ncommands:\n",
               LIANXIN_VERSION);
  for (const auto& c : kCommands) std::fprintf(out, "  %-14s %s\n", c.name, c.summary);
  std::fprintf(out, "\n`lianxin help COMMAND` shows a command's options.\n");
}

int cmd_help(const std::vector<std::string>& args) {
  if (args.empty()) {
    print_overview(stdout);
    return 0;
  }
  if (auto* c = find_command(args[0])) {
    std::fputs(c->usage, stdout);
    return 0;
  }
  std::fprintf(stderr, "lianxin: unknown command \"%s\"\n", args[0].c_str());
  return 2;
}

// Parses --name VALUE / --name=VALUE options; anything else is a positional argument.
struct parsed_args {
  std::map<std::string, std::string> opts;
  std::vector<std::string> positional;
  std::string error;
};

parsed_args parse(const std::vector<std::string>& args, std::initializer_list<const char*> known) {
  parsed_args p;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a.rfind("--", 0) != 0 || a == "--") {
      p.positional.push_back(a);
      continue;
    }
    std::string name = a.substr(2), value;
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    bool ok = false;
    for (auto k : known) ok = ok || name == k;
    if (!ok) {
      p.error = "unknown option --" + name;
      return p;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) {
        p.error = "option --" + name + " needs a value";
        return p;
      }
      value = args[++i];
    }
    p.opts[name] = value;
  }
  return p;
}

int cmd_check_config(const std::vector<std::string>& args) {
  auto p = parse(args, {});
  if (!p.error.empty() || p.positional.size() != 1) {
    std::fprintf(stderr, "%s\nusage: lianxin check-config FILE\n", p.error.empty() ? "lianxin: check-config needs one FILE" : ("lianxin: " + p.error).c_str());
    return 2;
  }
  try {
    auto cfg = config::load_file(p.positional[0]);
    // The bots and the roster files named by the config are part of what must be valid.
    auto bots = platforms::read_bots(cfg.raw, cfg.source_file);
    auto d = domain::load_domain(cfg);
    (void)api::read_settings(cfg);
    flow::notifier_options notify;
    flow::read_notify_config(cfg, notify);
    (void)api::read_stats_settings(cfg, notify.utc_offset_min);
    (void)flow::read_digest_settings(cfg);
    (void)sandbox::read_settings(cfg);
    std::cerr << p.positional[0] << ": " << bots.size() << " bot(s), " << d->roster.deputies().size() << " deputies, "
              << d->roster.villages().size() << " villages, " << d->groups.size() << " bound groups\n";
    std::cout << config::effective(cfg).dump(2) << "\n";
    std::cerr << p.positional[0] << ": ok\n";
    return 0;
  } catch (const config::config_error& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
}

int cmd_serve(const std::vector<std::string>& args) {
  auto p = parse(args, {"config", "listen", "redis"});
  if (!p.error.empty() || !p.positional.empty()) {
    std::fprintf(stderr, "lianxin: %s\nusage: lianxin serve [--config FILE] [--listen HOST:PORT] [--redis URL]\n",
                 p.error.empty() ? ("unexpected argument " + p.positional[0]).c_str() : p.error.c_str());
    return 2;
  }
  config::config cfg;
  try {
    cfg = p.opts.count("config") ? config::load_file(p.opts["config"]) : config::load_text("{}", "(defaults)");
    if (p.opts.count("listen")) cfg.server.listen = p.opts["listen"];
    if (p.opts.count("redis")) cfg.redis.url = p.opts["redis"];
  } catch (const config::config_error& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  try {
    app a(std::move(cfg));
    a.handle_signals();
    a.start();
    a.run();
    return 0;
  } catch (const config::config_error& e) {
    log::error("lianxin", e.what());
    return 2;
  } catch (const std::exception& e) {
    log::error("lianxin", "cannot start: ", e.what());
    return 1;
  }
}

}  // namespace

int run(const std::vector<std::string>& args) {
  if (args.empty()) {
    print_overview(stderr);
    return 2;
  }
  const auto& first = args[0];
  if (first == "--version" || first == "-V") return cmd_version({});
  if (first == "--help" || first == "-h") return cmd_help({});
  auto* c = find_command(first);
  if (!c) {
    std::fprintf(stderr, "lianxin: unknown command \"%s\"; see `lianxin help`\n", first.c_str());
    return 2;
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  for (const auto& a : rest) {
    if (a == "--help" || a == "-h") return cmd_help({first});
  }
  return c->fn(rest);
}

}  // namespace lianxin::cli

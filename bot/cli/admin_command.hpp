#pragma once
#include <string>
#include <vector>

namespace lianxin::cli {

inline constexpr const char* kBindCodeUsage =
    "usage: lianxin bind-code (--village ID | --station ID | --enterprise ID) [--unbind]\n"
    "                         [--ttl-minutes N] [--config FILE] [--redis URL]\n"
    "\n"
    "Makes a one-time code that binds a chat group to a village, liaison station or enterprise:\n"
    "anyone in the group sends `绑定 CODE` and the bot confirms. With --unbind the code\n"
    "unbinds a group bound to that target (`解绑 CODE`). The code is valid for --ttl-minutes\n"
    "(default admin.bind_code_ttl_minutes, 1440) and works once; it is the last word of the\n"
    "output. Exit 0 ok, 1 Redis unavailable, 2 usage, configuration or unknown target.\n";

inline constexpr const char* kRosterUsage =
    "usage: lianxin roster import [--dry-run] [--config FILE] [--redis URL]\n"
    "\n"
    "The roster (villages, stations, deputies, departments, categories, group bindings,\n"
    "deadlines) lives in Redis and is edited live through the admin API and console; the\n"
    "config files only seed it the first time. `roster import` replaces what Redis holds with\n"
    "the files named in the config (roster.file, roster.categories_file, roster.groups_file,\n"
    "workflow.deadlines), writing every changed item to the audit log; running servers follow\n"
    "within admin.reload_poll_ms. --dry-run only checks the files and counts the changes.\n"
    "Exit 0 ok, 1 Redis unavailable, 2 usage or invalid files.\n";

int cmd_bind_code(const std::vector<std::string>& args);
int cmd_roster(const std::vector<std::string>& args);

}  // namespace lianxin::cli

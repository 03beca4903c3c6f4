#pragma once
// `lianxin chat`: a terminal chat against a running server's sandbox API (issue 8). Type as a
// resident; the bot's replies and notifications to that chat appear as they arrive (polled).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lianxin::cli {

inline constexpr const char* kChatUsage =
    "usage: lianxin chat [--config FILE] [--url http://127.0.0.1:8080] [--as NAME] [--group ID | --private]\n"
    "\n"
    "Talks to a running Lianxin through its sandbox (the config must have \"sandbox\":\n"
    "{\"enabled\": true}, as config/demo/lianxin.json does). The address is --url, else the\n"
    "config's server.listen. You type as resident NAME (default: the first sandbox resident) in\n"
    "group ID (default: the first sandbox group) or, with --private, in your private chat with\n"
    "the bot; replies and notifications to that chat appear as they arrive.\n"
    "\n"
    "Commands: /as NAME   /group ID   /private   /clock +2d (working days) | +3h | +30m\n"
    "          /image (send a photo placeholder)   /help   /quit\n"
    "A group message starting with @ mentions the bot. When standard input is not a terminal,\n"
    "each message waits for the bot's answer (up to 10 s) before the next line is read, and at\n"
    "the end of input the chat waits until the bot has been quiet for 3 s, then exits.\n";

int cmd_chat(const std::vector<std::string>& args);

// One line typed into the chat.
struct chat_input {
  enum class kind { say, as, group, private_chat, clock, image, help, quit, empty, error } what = kind::empty;
  std::string arg;           // say: the text; as: the name; group: the id; error: the message
  bool mention = false;      // say: the line started with "@"
  std::int64_t seconds = 0;  // clock: +Nh / +Nm / +Ns
  int working_days = 0;      // clock: +Nd
};
chat_input parse_chat_line(std::string_view line);

struct chat_target {
  std::string host, port;
};
// "http://host:port" (or "host:port"); false if it is not that.
bool parse_chat_url(std::string_view url, chat_target& out);

}  // namespace lianxin::cli

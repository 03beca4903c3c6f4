#include "bot/cli/chat_command.hpp"

#include "bot/config/config.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <iostream>
#include <mutex>
#include <thread>

#include <unistd.h>

namespace lianxin::cli {

namespace {

using nlohmann::json;
namespace bhttp = boost::beast::http;

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

chat_input parse_chat_line(std::string_view raw) {
  chat_input in;
  auto line = trim(raw);
  if (line.empty()) return in;
  if (line[0] != '/') {
    in.what = chat_input::kind::say;
    if (line[0] == '@') {
      in.mention = true;
      line = trim(std::string_view(line).substr(1));
      if (line.empty()) {
        in.what = chat_input::kind::error;
        in.arg = "nothing to say after @";
        return in;
      }
    }
    in.arg = line;
    return in;
  }
  auto sp = line.find(' ');
  auto cmd = line.substr(0, sp);
  auto arg = sp == std::string::npos ? std::string() : trim(std::string_view(line).substr(sp + 1));
  auto need_arg = [&](chat_input::kind k, const char* what) {
    if (arg.empty()) {
      in.what = chat_input::kind::error;
      in.arg = std::string(cmd) + " needs " + what;
    } else {
      in.what = k;
      in.arg = arg;
    }
    return in;
  };
  if (cmd == "/as") return need_arg(chat_input::kind::as, "a name");
  if (cmd == "/group") return need_arg(chat_input::kind::group, "a group id");
  if (cmd == "/private") {
    in.what = chat_input::kind::private_chat;
    return in;
  }
  if (cmd == "/image") {
    in.what = chat_input::kind::image;
    in.arg = arg;
    return in;
  }
  if (cmd == "/help") {
    in.what = chat_input::kind::help;
    return in;
  }
  if (cmd == "/quit" || cmd == "/exit") {
    in.what = chat_input::kind::quit;
    return in;
  }
  if (cmd == "/clock") {
    // +2d (working days), +3h, +30m, +90s
    std::string a = arg;
    if (!a.empty() && a[0] == '+') a.erase(0, 1);
    bool ok = a.size() >= 2;
    long long n = 0;
    for (std::size_t i = 0; ok && i + 1 < a.size(); ++i) {
      if (a[i] < '0' || a[i] > '9' || n > 100000) {
        ok = false;
      } else {
        n = n * 10 + (a[i] - '0');
      }
    }
    char unit = a.empty() ? 0 : a.back();
    if (ok && n > 0 && unit == 'd' && n <= 250) {
      in.what = chat_input::kind::clock;
      in.working_days = static_cast<int>(n);
      return in;
    }
    long long mult = unit == 'h' ? 3600 : unit == 'm' ? 60 : unit == 's' ? 1 : 0;
    if (ok && n > 0 && mult > 0 && n * mult <= 366LL * 86400) {
      in.what = chat_input::kind::clock;
      in.seconds = n * mult;
      return in;
    }
    in.what = chat_input::kind::error;
    in.arg = "/clock takes +Nd (working days), +Nh, +Nm or +Ns";
    return in;
  }
  in.what = chat_input::kind::error;
  in.arg = "unknown command " + std::string(cmd) + " (try /help)";
  return in;
}

bool parse_chat_url(std::string_view url, chat_target& out) {
  if (url.starts_with("http://")) url.remove_prefix(7);
  if (url.starts_with("https://")) return false;
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  auto colon = url.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == url.size()) return false;
  auto port = url.substr(colon + 1);
  for (char c : port) {
    if (c < '0' || c > '9') return false;
  }
  if (port.size() > 5 || port == "0") return false;
  auto host = url.substr(0, colon);
  if (host.find('/') != std::string_view::npos) return false;
  out.host = std::string(host);
  out.port = std::string(port);
  return true;
}

namespace {

struct reply {
  int status = 0;
  std::string body;
  std::string error;
};

reply call(const chat_target& t, bhttp::verb method, const std::string& target, const std::string& body = {}) {
  reply r;
  try {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::resolver resolver(ioc);
    boost::beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(10));
    stream.connect(resolver.resolve(t.host, t.port));
    bhttp::request<bhttp::string_body> req{method, target, 11};
    req.set(bhttp::field::host, t.host + ":" + t.port);
    req.set(bhttp::field::user_agent, "lianxin-chat");
    if (method == bhttp::verb::post) {
      req.set(bhttp::field::content_type, "application/json");
      req.body() = body;
      req.prepare_payload();
    }
    bhttp::write(stream, req);
    boost::beast::flat_buffer buf;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(stream, buf, res);
    r.status = static_cast<int>(res.result_int());
    r.body = std::move(res.body());
    boost::beast::error_code ec;
    stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  } catch (const std::exception& e) {
    r.error = e.what();
  }
  return r;
}

std::string api_error(const reply& r) {
  if (!r.error.empty()) return r.error;
  auto j = json::parse(r.body, nullptr, false);
  if (j.is_object() && j.contains("error") && j["error"].is_object()) return j["error"].value("message", r.body);
  return "HTTP " + std::to_string(r.status) + " " + r.body;
}

std::string encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string clock_line(const json& c) { return "simulated time: " + c.value("local", std::string("?")); }

class chat_session {
 public:
  chat_session(chat_target t, json setup) : t_(std::move(t)), setup_(std::move(setup)) {}

  std::string name;
  std::string group;
  bool is_private = false;

  std::string sender() const {
    for (const auto& r : setup_["residents"]) {
      if (r.value("name", "") == name) return r.value("id", "");
    }
    // Not one of the configured residents: the server derives ids the same way.
    std::uint32_t h = 2166136261u;
    for (unsigned char c : name) {
      h ^= c;
      h *= 16777619u;
    }
    char buf[16];
    std::snprintf(buf, sizeof buf, "r-%08x", h);
    return buf;
  }
  std::string chat() const { return is_private ? sender() : group; }

  void announce() {
    std::cout << "-- " << (is_private ? "private chat with the bot" : "group " + group) << ", typing as " << name
              << " --" << std::endl;
    last_.clear();
    poll(10);
  }

  // Polls until the bot has said something new (or `max` passed): a piped script then reads
  // like a conversation instead of racing ahead of the answers.
  void await_reply(std::chrono::seconds max) {
    auto deadline = std::chrono::steady_clock::now() + max;
    bot_lines_ = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      poll();
      if (bot_lines_ > 0) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }

  // Prints what arrived since the last poll; returns how many messages.
  std::size_t poll(std::size_t tail = 0) {
    std::string target = "/sandbox/api/messages?chat=" + encode(chat());
    if (!last_.empty()) target += "&after=" + encode(last_);
    auto r = call(t_, bhttp::verb::get, target);
    if (r.status != 200) return 0;
    auto j = json::parse(r.body, nullptr, false);
    if (!j.is_object() || !j.contains("messages")) return 0;
    const auto& msgs = j["messages"];
    std::size_t start = tail && msgs.size() > tail ? msgs.size() - tail : 0;
    for (std::size_t i = start; i < msgs.size(); ++i) print(msgs[i]);
    last_ = j.value("last", last_);
    if (last_.empty() && msgs.empty()) last_ = "0-0";
    return msgs.size();
  }

  bool say(const std::string& text, bool mention, bool image) {
    json body = {{"type", is_private ? "private" : "group"}, {"chat", chat()}, {"sender", sender()},
                 {"name", name},                             {"text", text},   {"mention", mention && !is_private},
                 {"image", image}};
    for (int attempt = 0; attempt < 10; ++attempt) {
      auto r = call(t_, bhttp::verb::post, "/sandbox/api/messages", body.dump());
      if (r.status == 202) return true;
      if (r.status == 503) {  // Redis away (a quirk?): the platform would send again, so do we
        std::this_thread::sleep_for(std::chrono::seconds(1));
        continue;
      }
      std::cout << "!! not sent: " << api_error(r) << std::endl;
      return false;
    }
    std::cout << "!! not sent: the server kept answering 503" << std::endl;
    return false;
  }

  void clock(const chat_input& in) {
    json body = in.working_days ? json{{"working_days", in.working_days}} : json{{"advance_seconds", in.seconds}};
    auto r = call(t_, bhttp::verb::post, "/sandbox/api/clock", body.dump());
    if (r.status != 200) {
      std::cout << "!! clock: " << api_error(r) << std::endl;
      return;
    }
    std::cout << "-- " << clock_line(json::parse(r.body, nullptr, false)) << " --" << std::endl;
  }

 private:
  void print(const json& m) {
    bool bot = m.value("dir", "") == "out";
    if (bot) ++bot_lines_;
    std::string who = bot ? "bot" : m.value("name", m.value("from", "?"));
    std::string text = m.value("text", "");
    if (m.value("image", false)) text += text.empty() ? "[image]" : " [image]";
    std::string indent(who.size() + 2, ' ');
    std::string out = who + ": ";
    for (char c : text) {
      out += c;
      if (c == '\n') out += indent;
    }
    std::cout << out << std::endl;
  }

  chat_target t_;
  json setup_;
  std::string last_;
  std::size_t bot_lines_ = 0;
};

}  // namespace

int cmd_chat(const std::vector<std::string>& args) {
  std::string config_file, url, as, group;
  bool priv = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= args.size()) return false;
      out = args[++i];
      return true;
    };
    bool ok = true;
    if (a == "--config") {
      ok = value(config_file);
    } else if (a == "--url") {
      ok = value(url);
    } else if (a == "--as") {
      ok = value(as);
    } else if (a == "--group") {
      ok = value(group);
    } else if (a == "--private") {
      priv = true;
    } else {
      std::fprintf(stderr, "lianxin: chat: unknown argument %s\n%s", a.c_str(), kChatUsage);
      return 2;
    }
    if (!ok) {
      std::fprintf(stderr, "lianxin: chat: %s needs a value\n%s", a.c_str(), kChatUsage);
      return 2;
    }
  }
  if (priv && !group.empty()) {
    std::fprintf(stderr, "lianxin: chat: --group and --private exclude each other\n%s", kChatUsage);
    return 2;
  }
  if (url.empty()) {
    if (config_file.empty()) {
      std::fprintf(stderr, "lianxin: chat needs --config FILE or --url URL\n%s", kChatUsage);
      return 2;
    }
    try {
      auto cfg = config::load_file(config_file);
      url = "http://" + cfg.server.listen;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s\n", e.what());
      return 2;
    }
  }
  chat_target t;
  if (!parse_chat_url(url, t)) {
    std::fprintf(stderr, "lianxin: chat: %s is not http://HOST:PORT\n", url.c_str());
    return 2;
  }
  auto r = call(t, bhttp::verb::get, "/sandbox/api/setup");
  if (r.status == 404) {
    std::fprintf(stderr, "lianxin: chat: the server at %s has no sandbox (set \"sandbox\": {\"enabled\": true})\n",
                 url.c_str());
    return 1;
  }
  if (r.status != 200) {
    std::fprintf(stderr, "lianxin: chat: cannot reach %s: %s\n", url.c_str(), api_error(r).c_str());
    return 1;
  }
  auto setup = json::parse(r.body, nullptr, false);
  if (!setup.is_object()) {
    std::fprintf(stderr, "lianxin: chat: unreadable answer from %s\n", url.c_str());
    return 1;
  }
  chat_session s(t, setup);
  s.name = as;
  if (s.name.empty() && !setup["residents"].empty()) s.name = setup["residents"][0].value("name", "");
  if (s.name.empty()) s.name = "resident";
  s.group = group;
  if (s.group.empty() && !setup["groups"].empty()) s.group = setup["groups"][0].value("id", "");
  s.is_private = priv || s.group.empty();
  std::cout << "-- lianxin chat on " << url << "; " << clock_line(setup["clock"]) << "; /help for commands --"
            << std::endl;
  s.announce();

  const bool piped = !::isatty(0);
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::string> lines;
  bool eof = false;
  std::thread reader([&] {
    std::string line;
    while (std::getline(std::cin, line)) {
      std::lock_guard lock(mu);
      lines.push_back(line);
      cv.notify_one();
    }
    std::lock_guard lock(mu);
    eof = true;
    cv.notify_one();
  });
  reader.detach();  // a blocked getline cannot be interrupted; the process exits around it

  auto quiet_since = std::chrono::steady_clock::now();
  std::optional<std::chrono::steady_clock::time_point> eof_at;
  for (;;) {
    std::optional<std::string> line;
    bool at_eof = false;
    {
      std::unique_lock lock(mu);
      cv.wait_for(lock, std::chrono::milliseconds(500), [&] { return !lines.empty() || eof; });
      if (!lines.empty()) {
        line = std::move(lines.front());
        lines.pop_front();
      }
      at_eof = eof && lines.empty() && !line;
    }
    if (line) {
      auto in = parse_chat_line(*line);
      using k = chat_input::kind;
      switch (in.what) {
        case k::empty:
          break;
        case k::say:
          if (s.say(in.arg, in.mention, false) && piped) s.await_reply(std::chrono::seconds(10));
          break;
        case k::image:
          if (s.say(in.arg, false, true) && piped) s.await_reply(std::chrono::seconds(10));
          break;
        case k::as:
          s.name = in.arg;
          s.announce();
          break;
        case k::group:
          s.group = in.arg;
          s.is_private = false;
          s.announce();
          break;
        case k::private_chat:
          s.is_private = true;
          s.announce();
          break;
        case k::clock:
          s.clock(in);
          break;
        case k::help:
          std::cout << kChatUsage;
          break;
        case k::quit:
          s.poll();
          return 0;
        case k::error:
          std::cout << "!! " << in.arg << std::endl;
          break;
      }
      quiet_since = std::chrono::steady_clock::now();
    }
    if (s.poll() > 0) quiet_since = std::chrono::steady_clock::now();
    if (at_eof) {
      auto now = std::chrono::steady_clock::now();
      if (!eof_at) eof_at = now;
      if (now - quiet_since > std::chrono::seconds(3) || now - *eof_at > std::chrono::seconds(30)) return 0;
    }
  }
}

}  // namespace lianxin::cli

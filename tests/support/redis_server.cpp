#include "support/redis_server.hpp"

#include <hiredis/hiredis.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace lianxin::test {

namespace {

using namespace std::chrono_literals;

// Bind port 0, read the port the kernel chose, release it. Another process could take it in
// between; on loopback in a test run that is rare enough, and start() fails loudly if so.
int free_tcp_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("redis_server: cannot find a free TCP port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string log_tail(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  return s.size() > 2000 ? s.substr(s.size() - 2000) : s;
}

struct context_deleter {
  void operator()(redisContext* c) const { redisFree(c); }
};
using context_ptr = std::unique_ptr<redisContext, context_deleter>;

redis::value run(redisContext* c, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  auto* r = static_cast<redisReply*>(redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data()));
  if (r == nullptr) throw std::runtime_error(std::string("redis_server: command failed: ") + c->errstr);
  redis::value v = redis::value::from_hiredis(r);
  freeReplyObject(r);
  return v;
}

}  // namespace

std::string redis_server_binary() {
  if (const char* env = std::getenv("LIANXIN_REDIS_SERVER"); env && *env) return env;
  std::string path = std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin";
  path += ":/usr/sbin:/usr/bin";
  std::stringstream dirs(path);
  for (std::string d; std::getline(dirs, d, ':');) {
    std::string candidate = d + "/redis-server";
    if (!d.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  throw std::runtime_error(
      "redis-server not found on PATH: the redis test tier needs a real server "
      "(install it with `sudo apt-get install redis-server`, or set LIANXIN_REDIS_SERVER)");
}

redis_server::redis_server(redis_server_options opt) : opt_(std::move(opt)) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "lx-redis-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("redis_server: mkdtemp failed");
  dir_ = tmpl;
  unix_path_ = dir_ + "/redis.sock";
  if (opt_.tcp) tcp_port_ = free_tcp_port();
  start();
}

redis_server::~redis_server() {
  if (running()) reap(SIGTERM);
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

redis_server& redis_server::shared() {
  static redis_server instance;  // destroyed (server stopped) at exit
  return instance;
}

std::string redis_server::url() const {
  return "unix://" + unix_path_ + (opt_.password.empty() ? "" : "?password=" + opt_.password);
}

std::string redis_server::tcp_url() const {
  if (!opt_.tcp) throw std::runtime_error("redis_server: started without TCP");
  return "redis://" + (opt_.password.empty() ? "" : ":" + opt_.password + "@") + "127.0.0.1:" +
         std::to_string(tcp_port_);
}

void redis_server::start() {
  if (running()) return;
  std::vector<std::string> args{redis_server_binary(),
                                "--port", std::to_string(tcp_port_),
                                "--bind", "127.0.0.1",
                                "--unixsocket", unix_path_,
                                "--unixsocketperm", "700",
                                "--dir", dir_,
                                "--logfile", dir_ + "/redis.log",
                                "--daemonize", "no",
                                "--save", "",
                                "--appendonly", opt_.appendonly ? "yes" : "no",
                                // DEBUG SLEEP drives the timeout tests; 7.0 disables DEBUG by default.
                                "--enable-debug-command", "local"};
  if (!opt_.password.empty()) {
    args.push_back("--requirepass");
    args.push_back(opt_.password);
  }
  args.insert(args.end(), opt_.extra.begin(), opt_.extra.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("redis_server: fork failed");
  if (pid == 0) {
    // Only async-signal-safe calls until exec. The server dies with the test process even if
    // the test crashes (PDEATHSIG follows the forking thread: start servers from the main one).
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(1);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  pid_ = pid;
  wait_until_ready();
}

void redis_server::wait_until_ready() {
  auto deadline = std::chrono::steady_clock::now() + 10s;
  std::string last;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("redis-server exited during startup (status " + std::to_string(status) +
                               "); log:\n" + log_tail(dir_ + "/redis.log"));
    }
    try {
      if (command({"PING"}).is_status()) return;
    } catch (const std::exception& e) {
      last = e.what();
    }
    std::this_thread::sleep_for(10ms);
  }
  reap(SIGKILL);
  throw std::runtime_error("redis-server did not answer PING within 10s (" + last + "); log:\n" +
                           log_tail(dir_ + "/redis.log"));
}

void redis_server::reap(int signal) {
  if (pid_ <= 0) return;
  ::kill(pid_, signal);
  auto deadline = std::chrono::steady_clock::now() + 5s;
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(5ms);
  }
  pid_ = -1;
}

void redis_server::stop() { reap(SIGTERM); }
void redis_server::kill_hard() { reap(SIGKILL); }

void redis_server::restart() {
  stop();
  start();
}

void redis_server::flush() {
  auto a = command({"FLUSHALL"});
  auto b = command({"SCRIPT", "FLUSH"});
  if (!a.is_ok() || !b.is_ok())
    throw std::runtime_error("redis_server: flush failed: " + a.debug_string() + " " + b.debug_string());
}

redis::value redis_server::command(const std::vector<std::string>& args) {
  timeval tv{2, 0};
  context_ptr c(redisConnectUnixWithTimeout(unix_path_.c_str(), tv));
  if (!c || c->err)
    throw std::runtime_error("redis_server: cannot connect to " + unix_path_ + ": " + (c ? c->errstr : "alloc"));
  redisSetTimeout(c.get(), tv);
  if (!opt_.password.empty()) {
    std::vector<std::string> auth{"AUTH", opt_.password};
    auto r = run(c.get(), auth);
    if (!r.is_ok()) throw std::runtime_error("redis_server: AUTH failed: " + r.debug_string());
  }
  return run(c.get(), args);
}

}  // namespace lianxin::test

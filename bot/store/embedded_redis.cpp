#include "bot/store/embedded_redis.hpp"

#include "bot/core/log.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <vector>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace lianxin::store {
namespace fs = std::filesystem;

std::string find_executable(const std::string& name) {
  if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? name : std::string();
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "/usr/local/bin:/usr/bin:/bin";
  // Debian installs redis-server in /usr/bin, but sbin-style layouts exist too.
  p += ":/usr/sbin:/sbin";
  std::size_t start = 0;
  while (start <= p.size()) {
    auto end = p.find(':', start);
    auto dir = p.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!dir.empty()) {
      auto candidate = dir + "/" + name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return {};
}

embedded_redis::embedded_redis(asio::any_io_executor ex, config::embedded_redis_config cfg)
    : ex_(std::move(ex)), cfg_(std::move(cfg)) {}

embedded_redis::~embedded_redis() {
  stop();
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

void embedded_redis::start() {
  binary_path_ = find_executable(cfg_.binary);
  if (binary_path_.empty()) {
    throw std::runtime_error("redis.embedded.binary: \"" + cfg_.binary +
                             "\" not found; install it with `apt-get install redis-server`, "
                             "or set redis.url (or --redis) to an existing Redis");
  }
  std::error_code ec;
  fs::create_directories(cfg_.data_dir, ec);
  if (ec) throw std::runtime_error("redis.embedded.data_dir: cannot create " + cfg_.data_dir + ": " + ec.message());
  data_dir_ = fs::absolute(cfg_.data_dir).lexically_normal().string();
  ::chmod(data_dir_.c_str(), 0700);
  // Two redis-servers on one AOF would corrupt it: hold an exclusive lock on the data dir.
  auto lock_path = data_dir_ + "/lianxin.lock";
  lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ < 0 || ::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    throw std::runtime_error("redis.embedded.data_dir: " + data_dir_ +
                             " is in use by another Lianxin; stop it or choose another data_dir");
  }
  // Unix socket paths are limited to 107 bytes.
  socket_path_ = data_dir_ + "/redis.sock";
  if (socket_path_.size() > 100) {
    throw std::runtime_error("redis.embedded.data_dir: path too long for a unix socket: " + data_dir_);
  }
  spawn();
}

void embedded_redis::spawn() {
  std::vector<std::string> args = {binary_path_,
                                   "--port", "0",
                                   "--unixsocket", socket_path_,
                                   "--unixsocketperm", "700",
                                   "--dir", data_dir_,
                                   "--appendonly", "yes",
                                   "--appendfsync", cfg_.appendfsync,
                                   "--save", "",
                                   "--daemonize", "no",
                                   "--logfile", data_dir_ + "/redis.log",
                                   "--protected-mode", "yes"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("cannot start redis-server: fork: ") + std::strerror(errno));
  if (pid == 0) {
    // If Lianxin dies without cleaning up, its redis-server must not linger holding the data.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(1);
    ::setpgid(0, 0);  // a ^C in the terminal goes to Lianxin, which stops Redis in order
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  pid_ = pid;
  log::info("redis", "started embedded redis-server pid=", pid, " socket=", socket_path_,
            " appendfsync=", cfg_.appendfsync);
}

std::string embedded_redis::describe_exit(int status) const {
  if (WIFEXITED(status)) {
    int code = WEXITSTATUS(status);
    return code == 127 ? "could not be executed (exit 127)" : "exited with status " + std::to_string(code);
  }
  if (WIFSIGNALED(status)) return std::string("was killed by signal ") + ::strsignal(WTERMSIG(status));
  return "stopped";
}

awaitable<void> embedded_redis::supervise() {
  asio::steady_timer t(ex_);
  while (!stopping_) {
    t.expires_after(std::chrono::milliseconds(100));
    co_await t.async_wait(use_nothrow);
    pid_t pid = pid_.load();
    if (pid <= 0 || stopping_) continue;
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r != pid) continue;
    pid_ = -1;
    if (stopping_) break;
    log::error("redis", "embedded redis-server pid=", pid, " ", describe_exit(status), "; restarting in ",
               cfg_.restart_backoff_ms, " ms (see ", data_dir_, "/redis.log)");
    t.expires_after(std::chrono::milliseconds(cfg_.restart_backoff_ms));
    co_await t.async_wait(use_nothrow);
    if (stopping_) break;
    try {
      spawn();
      ++restarts_;
    } catch (const std::exception& e) {
      log::error("redis", e.what());
    }
  }
}

void embedded_redis::stop() {
  stopping_ = true;
  pid_t pid = pid_.exchange(-1);
  if (pid <= 0) return;
  ::kill(pid, SIGTERM);
  // Poll rather than block forever: a wedged redis-server gets SIGKILL after the timeout.
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(cfg_.stop_timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno == ECHILD)) {
      log::info("redis", "embedded redis-server stopped");
      return;
    }
    ::usleep(10'000);
  }
  log::warn("redis", "embedded redis-server did not stop within ", cfg_.stop_timeout_ms, " ms; killing it");
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
}

}  // namespace lianxin::store

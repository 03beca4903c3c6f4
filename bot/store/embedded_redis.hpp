#pragma once
// The embedded default: with no Redis address configured, Lianxin runs its own redis-server
// as a child process — unix socket only (no TCP port), AOF with `appendfsync always` so an
// acknowledged event survives a crash — restarts it when it dies and stops it on exit.
#include "bot/asio.hpp"
#include "bot/config/config.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <string>
#include <sys/types.h>

namespace lianxin::store {

class embedded_redis {
 public:
  embedded_redis(asio::any_io_executor ex, config::embedded_redis_config cfg);
  ~embedded_redis();

  // Locks the data directory, checks the binary and spawns redis-server. Throws
  // std::runtime_error with a clear, actionable message (e.g. how to install redis-server).
  void start();
  // Watches the child and restarts it (with a backoff) when it exits; logs why it exited.
  awaitable<void> supervise();
  // SIGTERM (redis-server flushes the AOF and exits), SIGKILL after the stop timeout.
  void stop();

  std::string socket_path() const { return socket_path_; }
  std::string url() const { return "unix://" + socket_path_; }
  pid_t pid() const { return pid_.load(); }
  int restarts() const { return restarts_.load(); }

 private:
  void spawn();
  std::string describe_exit(int status) const;

  asio::any_io_executor ex_;
  config::embedded_redis_config cfg_;
  std::string data_dir_;
  std::string socket_path_;
  std::string binary_path_;
  int lock_fd_ = -1;
  std::atomic<pid_t> pid_{-1};
  std::atomic<bool> stopping_{false};
  std::atomic<int> restarts_{0};
};

// Finds an executable on PATH (or checks an explicit path). Empty when not found.
std::string find_executable(const std::string& name);

}  // namespace lianxin::store

#pragma once
// A real redis-server for the redis and e2e tiers: one child process with its own temporary
// directory and unix socket (and a loopback TCP port), persistence off by default.
//
//   auto& r = lianxin::test::redis_server::shared();  // started on first use, stopped at exit
//   r.flush();                                          // in SetUp: a fresh database per test
//   auto opt = lianxin::redis::parse_url(r.url()).opt;
//
// Tests that need other settings (a password, AOF) make their own instance. Failures throw
// std::runtime_error with a clear message, so a missing redis-server fails the test instead
// of skipping it.
#include "bot/redis/value.hpp"

#include <sys/types.h>

#include <string>
#include <vector>

namespace lianxin::test {

struct redis_server_options {
  std::string password;            // --requirepass when not empty
  bool tcp = true;                 // also listen on 127.0.0.1:<free port>
  bool appendonly = false;         // --appendonly yes|no
  std::vector<std::string> extra;  // more "--flag value" arguments, passed through
};

class redis_server {
 public:
  explicit redis_server(redis_server_options opt = {});  // starts the server
  ~redis_server();                                        // stops it, removes the directory
  redis_server(const redis_server&) = delete;
  redis_server& operator=(const redis_server&) = delete;

  // The per-process default server (no password, TCP on).
  static redis_server& shared();

  const std::string& unix_path() const { return unix_path_; }
  int tcp_port() const { return tcp_port_; }  // 0 when tcp is off
  const std::string& dir() const { return dir_; }
  // unix:///.../redis.sock (with ?password=... when set): what a client is given.
  std::string url() const;
  // redis://[:password@]127.0.0.1:<port>
  std::string tcp_url() const;
  bool running() const { return pid_ > 0; }

  // start() waits until PING answers (or throws); stop() is SIGTERM and wait; kill_hard() is
  // SIGKILL; restart() keeps the same socket path and port, so clients reconnect to it.
  void start();
  void stop();
  void kill_hard();
  void restart();
  // FLUSHALL and SCRIPT FLUSH: a fresh database for the next test.
  void flush();
  // Runs one command synchronously, on a connection of its own (for test setup and checks
  // that must not go through the client under test). Throws if the server is unreachable.
  redis::value command(const std::vector<std::string>& args);

 private:
  void wait_until_ready();
  void reap(int signal);

  redis_server_options opt_;
  std::string dir_;
  std::string unix_path_;
  int tcp_port_ = 0;
  pid_t pid_ = -1;
};

// Where redis-server is: $LIANXIN_REDIS_SERVER, else found on PATH; throws with install
// instructions if missing.
std::string redis_server_binary();

}  // namespace lianxin::test

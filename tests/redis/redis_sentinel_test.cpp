// Sentinel discovery against a real redis-server in sentinel mode watching the shared server.
#include "redis/redis_fixture.hpp"

#include <hiredis/hiredis.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <thread>

namespace lianxin::redis {
namespace {

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(a);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

// One sentinel process for this test binary; it only has to answer get-master-addr-by-name.
class sentinel_process {
 public:
  explicit sentinel_process(int master_port) : port_(free_port()) {
    conf_ = test::redis_server::shared().dir() + "/sentinel-" + std::to_string(port_) + ".conf";
    std::ofstream(conf_) << "port " << port_ << "\nbind 127.0.0.1\ndir "
                         << test::redis_server::shared().dir() << "\nsentinel monitor mymaster 127.0.0.1 "
                         << master_port << " 1\n";
    std::string bin = test::redis_server_binary();
    std::vector<char*> argv{bin.data(), conf_.data(), const_cast<char*>("--sentinel"), nullptr};
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    for (int i = 0; i < 500 && !ready(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ~sentinel_process() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  int port() const { return port_; }

 private:
  bool ready() {
    redisContext* c = redisConnect("127.0.0.1", port_);
    bool ok = c && !c->err;
    if (ok) {
      auto* r = static_cast<redisReply*>(redisCommand(c, "PING"));
      ok = r && r->type == REDIS_REPLY_STATUS;
      if (r) freeReplyObject(r);
    }
    if (c) redisFree(c);
    return ok;
  }
  int port_;
  std::string conf_;
  pid_t pid_ = -1;
};

class RedisSentinel : public redis_fixture {};

TEST_F(RedisSentinel, FindsTheMasterThroughTheSentinels) {
  sentinel_process sentinel(server().tcp_port());
  int dead = free_port();  // nothing listens here: the client must move on to the next sentinel
  auto c = connect("redis-sentinel://127.0.0.1:" + std::to_string(dead) + ",127.0.0.1:" +
                   std::to_string(sentinel.port()) + "/mymaster/2");
  args set{"SET", "via", "sentinel"};
  ASSERT_TRUE(run(c->exec(set)).ok());
  args info{"CLIENT", "INFO"};
  EXPECT_NE(run(c->exec(info)).v.text().find(" db=2 "), std::string::npos);

  auto lost = connect("redis-sentinel://127.0.0.1:" + std::to_string(sentinel.port()) + "/nosuchmaster", {}, false);
  EXPECT_FALSE(run(lost->wait_connected(300ms)));
  EXPECT_NE(lost->last_error().find("does not know master 'nosuchmaster'"), std::string::npos) << lost->last_error();
  stop_all();
}

}  // namespace
}  // namespace lianxin::redis

// The `lianxin` binary as a user runs it: check-config exit codes, `serve` on the embedded
// Redis, the Redis child restarted after a kill, and SIGTERM with a request in flight.
#include "support/http_client.hpp"
#include "support/paths.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

using namespace lianxin::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

struct child {
  pid_t pid = -1;
  std::string log_path;
  std::string log() const {
    std::ifstream in(log_path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  int wait_exit(std::chrono::milliseconds max) {
    auto deadline = std::chrono::steady_clock::now() + max;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(10ms);
    }
    return -1;
  }
  ~child() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
};

std::unique_ptr<child> spawn(const std::vector<std::string>& args, const std::string& dir) {
  auto c = std::make_unique<child>();
  static int n = 0;
  c->log_path = dir + "/out-" + std::to_string(n++) + ".log";
  std::vector<std::string> full{lianxin_binary()};
  full.insert(full.end(), args.begin(), args.end());
  c->pid = ::fork();
  if (c->pid == 0) {
    int fd = ::open(c->log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    if (::chdir(dir.c_str()) != 0) ::_exit(126);
    std::vector<char*> argv;
    for (auto& a : full) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return c;
}

int run_to_end(const std::vector<std::string>& args, const std::string& dir, std::string& out) {
  auto c = spawn(args, dir);
  int code = c->wait_exit(30s);
  out = c->log();
  return code;
}

std::string temp_dir() {
  auto d = fs::temp_directory_path() / ("lx-bin-" + std::to_string(::getpid()) + "-" +
                                         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  fs::create_directories(d);
  return d.string();
}

unsigned short wait_ready(child& c, std::chrono::milliseconds max) {
  std::regex ready("ready: listening on http://127\\.0\\.0\\.1:([0-9]+)");
  auto deadline = std::chrono::steady_clock::now() + max;
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch m;
    auto log = c.log();
    if (std::regex_search(log, m, ready)) return static_cast<unsigned short>(std::stoi(m[1]));
    std::this_thread::sleep_for(20ms);
  }
  return 0;
}

pid_t embedded_pid(const std::string& log, int nth) {
  std::regex re("started embedded redis-server pid=([0-9]+)");
  int i = 0;
  for (auto it = std::sregex_iterator(log.begin(), log.end(), re); it != std::sregex_iterator(); ++it) {
    if (i++ == nth) return std::stoi((*it)[1]);
  }
  return -1;
}

}  // namespace

TEST(Binary, VersionAndHelp) {
  auto dir = temp_dir();
  std::string out;
  EXPECT_EQ(run_to_end({"--version"}, dir, out), 0);
  EXPECT_EQ(out.rfind("lianxin ", 0), 0u) << out;
  EXPECT_EQ(run_to_end({"help"}, dir, out), 0);
  EXPECT_NE(out.find("check-config"), std::string::npos);
  EXPECT_EQ(run_to_end({"help", "serve"}, dir, out), 0);
  EXPECT_NE(out.find("--listen HOST:PORT"), std::string::npos);
  EXPECT_EQ(run_to_end({"frobnicate"}, dir, out), 2);
}

TEST(Binary, CheckConfigValidAndInvalid) {
  auto dir = temp_dir();
  std::string out;
  EXPECT_EQ(run_to_end({"check-config", source_dir() + "/config/lianxin.example.json"}, dir, out), 0) << out;
  EXPECT_NE(out.find("\"mode\": \"embedded\""), std::string::npos) << out;
  EXPECT_EQ(run_to_end({"check-config", source_dir() + "/config/demo/lianxin.json"}, dir, out), 0) << out;
  {
    std::ofstream(dir + "/x.json") << R"({"redis": {"urll": "redis://x"}})";
  }
  EXPECT_EQ(run_to_end({"check-config", "x.json"}, dir, out), 2);
  EXPECT_EQ(out, "x.json: redis.urll: unknown key\n");
  {
    std::ofstream(dir + "/s.json") << R"({"redis": {"url": "redis://u:topsecret@127.0.0.1:1/0"}})";
  }
  EXPECT_EQ(run_to_end({"check-config", "s.json"}, dir, out), 0);
  EXPECT_EQ(out.find("topsecret"), std::string::npos) << out;
  // The intake section names the key in full and what it must be.
  {
    std::ofstream(dir + "/i.json") << R"({"intake": {"triggers": {"file": "建议"}}})";
    std::ofstream(dir + "/n.json") << R"({"intake": {"group_summary_chars": -1}})";
  }
  EXPECT_EQ(run_to_end({"check-config", "i.json"}, dir, out), 2);
  EXPECT_EQ(out, "i.json: intake.triggers.file: must be a list of strings\n");
  EXPECT_EQ(run_to_end({"check-config", "n.json"}, dir, out), 2);
  EXPECT_EQ(out, "n.json: intake.group_summary_chars: must be a whole number, 0 or more\n");
  EXPECT_EQ(run_to_end({"check-config", "missing.json"}, dir, out), 2);
  EXPECT_EQ(out, "missing.json: (file): cannot be read\n");
}

TEST(Binary, ServeOnEmbeddedRedisSurvivesRedisDeathAndStopsGracefully) {
  auto dir = temp_dir();
  {
    std::ofstream(dir + "/c.json") << R"({"server":{"shutdown_grace_ms":3000},
                                           "redis":{"embedded":{"data_dir":"data","restart_backoff_ms":300}}})";
  }
  auto c = spawn({"serve", "--config", "c.json", "--listen", "127.0.0.1:0"}, dir);
  auto port = wait_ready(*c, 20s);
  ASSERT_NE(port, 0) << c->log();
  EXPECT_EQ(http_request(port, "GET", "/readyz").status, 200);
  EXPECT_TRUE(fs::exists(dir + "/data/redis.sock"));
  EXPECT_TRUE(fs::exists(dir + "/data/appendonlydir"));

  // Kill the Redis child: readyz turns 503, then 200 again once Lianxin restarted it.
  pid_t rpid = embedded_pid(c->log(), 0);
  ASSERT_GT(rpid, 0);
  ::kill(rpid, SIGKILL);
  bool saw_503 = false;
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < deadline) {
    status = http_request(port, "GET", "/readyz", {}, {}, 3s).status;
    saw_503 = saw_503 || status == 503;
    if (saw_503 && status == 200) break;
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(saw_503) << c->log();
  EXPECT_EQ(status, 200) << c->log();
  EXPECT_NE(c->log().find("was killed by signal"), std::string::npos) << c->log();
  EXPECT_GT(embedded_pid(c->log(), 1), 0);

  // A second Lianxin on the same data dir is refused (one AOF, one writer).
  std::string second;
  EXPECT_EQ(run_to_end({"serve", "--config", "c.json", "--listen", "127.0.0.1:0"}, dir, second), 1);
  EXPECT_NE(second.find("in use by another Lianxin"), std::string::npos) << second;

  // A request in flight (body half sent) when SIGTERM arrives is still answered.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  std::string head = "POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab";
  ::send(fd, head.data(), head.size(), MSG_NOSIGNAL);
  std::this_thread::sleep_for(100ms);
  ::kill(c->pid, SIGTERM);
  std::this_thread::sleep_for(200ms);
  ::send(fd, "cd", 2, MSG_NOSIGNAL);
  char buf[512];
  auto n = ::recv(fd, buf, sizeof buf, 0);
  ::close(fd);
  ASSERT_GT(n, 12);
  EXPECT_EQ(std::string(buf, 12), "HTTP/1.1 404");
  EXPECT_EQ(c->wait_exit(8s), 0) << c->log();
  EXPECT_NE(c->log().find("embedded redis-server stopped"), std::string::npos) << c->log();
  // The embedded redis-server is gone too.
  rpid = embedded_pid(c->log(), 1);
  EXPECT_NE(::kill(rpid, 0), 0);
}

// The HTTP front end, end to end: the real app on 127.0.0.1:0 against a real redis-server.
#include "support/app_runner.hpp"
#include "support/http_client.hpp"
#include "support/redis_server.hpp"

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <thread>

using namespace lianxin::test;
using namespace std::chrono_literals;

namespace {
std::string limits_config() {
  return R"({"server":{"header_limit_bytes":2048,"body_limit_bytes":4096,"header_timeout_ms":400,
             "request_timeout_ms":800,"idle_timeout_ms":600,"shutdown_grace_ms":2000}})";
}
}  // namespace

class ServerE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    redis_ = &redis_server::shared();
    redis_->flush();
    app_ = std::make_unique<app_runner>(redis_->url(), limits_config());
  }
  void TearDown() override { app_.reset(); }
  unsigned short port() { return app_->port(); }
  redis_server* redis_ = nullptr;
  std::unique_ptr<app_runner> app_;
};

TEST_F(ServerE2E, HealthReadyAndMetrics) {
  auto h = http_request(port(), "GET", "/healthz");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.body, R"({"status":"alive"})");
  EXPECT_FALSE(h.headers["x-request-id"].empty());
  auto r = http_request(port(), "GET", "/readyz");
  EXPECT_EQ(r.status, 200) << r.body;
  auto m = http_request(port(), "GET", "/metrics");
  EXPECT_EQ(m.status, 200);
  EXPECT_NE(m.body.find("lx_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 1"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("lx_redis_command_duration_seconds_bucket{command=\"PING\""), std::string::npos);
  EXPECT_NE(m.body.find("lx_http_open_connections"), std::string::npos);
  EXPECT_NE(m.body.find("lx_redis_up 1"), std::string::npos);
}

TEST_F(ServerE2E, ReadyzIs503WhileRedisIsDownAndRecovers) {
  redis_->kill_hard();
  auto r = http_request(port(), "GET", "/readyz");
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_NE(r.body.find("\"reason\""), std::string::npos);
  redis_->start();
  int status = 0;
  for (int i = 0; i < 100 && status != 200; ++i) {
    std::this_thread::sleep_for(50ms);
    status = http_request(port(), "GET", "/readyz").status;
  }
  EXPECT_EQ(status, 200);
}

TEST_F(ServerE2E, UnknownPathAndWrongMethod) {
  EXPECT_EQ(http_request(port(), "GET", "/nope").status, 404);
  auto r = http_request(port(), "POST", "/healthz", "x");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers["allow"], "GET");
  EXPECT_NE(r.body.find("method_not_allowed"), std::string::npos);
}

TEST_F(ServerE2E, KeepAliveServesSeveralRequestsOnOneConnection) {
  std::string two = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  auto r = raw_exchange(port(), two);
  EXPECT_EQ(count_responses(r.raw), 2) << r.raw;
}

TEST_F(ServerE2E, RejectsContentLengthWithTransferEncoding) {
  // B1 CL.TE and B2 TE.CL: 400 and the connection closes; the smuggled request never runs.
  for (const char* req :
       {"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"}) {
    auto r = raw_exchange(port(), req);
    EXPECT_EQ(r.status, 400) << r.raw;
    EXPECT_EQ(count_responses(r.raw), 1) << r.raw;
  }
}

TEST_F(ServerE2E, RejectsBadFraming) {
  // B3 TE not ending in chunked, B4 conflicting lengths, B5 bad lengths, B6 TE in HTTP/1.0.
  for (const char* req : {"POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
                          "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
                          "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 6\r\n\r\nhello",
                          "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
                          "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
                          "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0x10\r\n\r\n",
                          "POST /healthz HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                          "GARBAGE\r\n\r\n"}) {
    auto r = raw_exchange(port(), req);
    EXPECT_EQ(r.status, 400) << req << "\n--\n" << r.raw;
  }
}

TEST_F(ServerE2E, OversizedBodiesGet413BeforeBuffering) {
  // B7: declared too large → 413 from the header alone; chunked too large → 413 as well.
  auto declared = raw_exchange(port(), "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\n\r\n");
  EXPECT_EQ(declared.status, 413) << declared.raw;
  std::string chunk(3000, 'a');
  char size[16];
  std::snprintf(size, sizeof size, "%zx", chunk.size());
  std::string chunked = "POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  chunked += std::string(size) + "\r\n" + chunk + "\r\n" + std::string(size) + "\r\n" + chunk + "\r\n0\r\n\r\n";
  EXPECT_EQ(raw_exchange(port(), chunked).status, 413);
}

TEST_F(ServerE2E, OversizedHeadersGet431) {
  // B8
  std::string big = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n";
  EXPECT_EQ(raw_exchange(port(), big).status, 431);
}

TEST_F(ServerE2E, SlowHeadersAreCutAtTheDeadline) {
  // B9: the header deadline (400 ms here) closes a trickling client.
  auto start = std::chrono::steady_clock::now();
  auto r = raw_exchange(port(), "GET /healthz HTTP/1.1\r\nHo", 3s);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.status, 0);
  EXPECT_LT(took, 2500ms);
  EXPECT_GE(took, 300ms);
}

TEST_F(ServerE2E, SlowBodyIsCutAtTheRequestDeadline) {
  // B10: declares 100 bytes, sends 1: closed at the request deadline (800 ms).
  auto r = raw_exchange(port(), "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nx", 3s);
  EXPECT_EQ(r.status, 0) << r.raw;
}

TEST_F(ServerE2E, IdleKeepAliveConnectionsAreClosed) {
  auto r = raw_exchange(port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 3s);
  EXPECT_EQ(r.status, 200);  // and raw_exchange returned because the server closed (idle 600 ms)
}

TEST_F(ServerE2E, MalformedRequestClosesBeforeAPipelinedOne) {
  // B12
  auto r = raw_exchange(port(), "GET /healthz HTTP/1.1\r\nHost x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(count_responses(r.raw), 1);
}

TEST_F(ServerE2E, GracefulShutdownClosesIdleConnections) {
  // An idle keep-alive client does not hold the shutdown up to the grace deadline.
  std::thread idle([&] { raw_exchange(port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 5s); });
  std::this_thread::sleep_for(100ms);
  auto start = std::chrono::steady_clock::now();
  app_->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);
  idle.join();
}

// The outbound HTTP client against loopback servers: plain HTTP, and TLS with a certificate
// made here with OpenSSL (so verification must fail until the test trusts it).
#include "bot/net/http_client.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <functional>
#include <future>
#include <thread>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using namespace lianxin;
using namespace std::chrono_literals;
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

struct pem_pair {
  std::string cert;
  std::string key;
};

// A self-signed P-256 certificate with the given subjectAltName ("DNS:localhost,IP:127.0.0.1").
pem_pair make_self_signed(const std::string& san) {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), -60);
  X509_gmtime_adj(X509_getm_notAfter(x), 3600);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("lianxin test"), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, san}, std::pair{NID_basic_constraints, std::string("critical,CA:TRUE")}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
  }
  X509_sign(x, key, EVP_sha256());
  auto to_string = [](BIO* b) {
    char* data = nullptr;
    long n = BIO_get_mem_data(b, &data);
    std::string s(data, static_cast<std::size_t>(n));
    BIO_free(b);
    return s;
  };
  BIO* cb = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(cb, x);
  BIO* kb = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(kb, key, nullptr, nullptr, 0, nullptr, nullptr);
  pem_pair out{to_string(cb), to_string(kb)};
  X509_free(x);
  EVP_PKEY_free(key);
  return out;
}

struct reply {
  int status = 200;
  std::string body;
  std::chrono::milliseconds delay{0};
  bool close = false;   // answer with Connection: close
  bool hang_up = false; // read the request, then close without answering
  bool close_silently = false;  // answer as keep-alive, then close anyway (idle timeout)
};

// A loopback server on its own thread; plain or TLS. The handler sees each request.
class loopback_server {
 public:
  using handler = std::function<reply(const http::request<http::string_body>&)>;

  explicit loopback_server(handler h, const pem_pair* tls = nullptr) : handler_(std::move(h)), acceptor_(ioc_) {
    if (tls) {
      tls_ = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
      tls_->use_certificate_chain(asio::buffer(tls->cert));
      tls_->use_private_key(asio::buffer(tls->key), asio::ssl::context::pem);
    }
    asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(ep.protocol());
    acceptor_.bind(ep);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(ioc_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~loopback_server() {
    ioc_.stop();
    thread_.join();
  }
  unsigned short port() const { return port_; }
  int connections() const { return connections_.load(); }

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, s] = co_await acceptor_.async_accept(nothrow);
      if (ec) co_return;
      ++connections_;
      if (tls_) asio::co_spawn(ioc_, serve_tls(std::move(s)), asio::detached);
      else asio::co_spawn(ioc_, serve(beast::tcp_stream(std::move(s))), asio::detached);
    }
  }
  asio::awaitable<void> serve_tls(asio::ip::tcp::socket s) {
    beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(s)), *tls_);
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, nothrow);
    if (!ec) co_await serve(std::move(stream));
  }
  template <class Stream>
  asio::awaitable<void> serve(Stream stream) {
    beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> req;
      auto [ec, n] = co_await http::async_read(stream, buffer, req, nothrow);
      if (ec) co_return;
      reply r = handler_(req);
      if (r.delay.count()) {
        asio::steady_timer t(ioc_, r.delay);
        co_await t.async_wait(nothrow);
      }
      if (r.hang_up) co_return;
      http::response<http::string_body> res{static_cast<http::status>(r.status), 11};
      res.set("X-Echo-Target", std::string(req.target()));
      res.body() = r.body;
      res.keep_alive(!r.close);
      res.prepare_payload();
      auto [wec, wn] = co_await http::async_write(stream, res, nothrow);
      if (wec || r.close || r.close_silently) co_return;
    }
  }

  handler handler_;
  asio::io_context ioc_;
  asio::ip::tcp::acceptor acceptor_;
  std::unique_ptr<asio::ssl::context> tls_;
  std::thread thread_;
  unsigned short port_ = 0;
  std::atomic<int> connections_{0};
};

// Runs the client on a 2-thread io_context, as the app does.
class NetHttpClient : public ::testing::Test {
 protected:
  net::http_response run(net::http_client& c, net::http_request req) {
    std::promise<net::http_response> p;
    asio::co_spawn(ioc_, c.send(std::move(req)), [&](std::exception_ptr e, net::http_response r) {
      if (e) std::rethrow_exception(e);
      p.set_value(std::move(r));
    });
    return p.get_future().get();
  }
  void SetUp() override {
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { ioc_.run(); });
  }
  void TearDown() override {
    work_.reset();
    ioc_.stop();
    for (auto& t : threads_) t.join();
  }
  asio::io_context ioc_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_{ioc_.get_executor()};
  std::vector<std::thread> threads_;
};

reply echo(const http::request<http::string_body>& req) {
  return {200, std::string(req.method_string()) + " " + std::string(req[http::field::content_type]) + " " + req.body()};
}

}  // namespace

TEST_F(NetHttpClient, PostsAndReadsTheResponse) {
  loopback_server server(echo);
  net::http_client client(ioc_.get_executor());
  net::http_request req;
  req.method = "POST";
  req.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/send?a=1";
  req.query = {{"key", "k+/ 1"}};
  req.headers = {{"Authorization", "Bearer t"}};
  req.content_type = "application/json";
  req.body = R"({"x":1})";
  auto r = run(client, req);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"(POST application/json {"x":1})");
  ASSERT_NE(r.header("x-echo-target"), nullptr);
  EXPECT_EQ(*r.header("X-Echo-Target"), "/send?a=1&key=k%2B%2F%201");
  EXPECT_TRUE(r.request_written);
}

TEST_F(NetHttpClient, ReusesKeepAliveConnections) {
  loopback_server server(echo);
  net::http_client client(ioc_.get_executor());
  net::http_request req{.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/"};
  for (int i = 0; i < 3; ++i) {
    auto r = run(client, req);
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.reused_connection, i > 0);
  }
  EXPECT_EQ(server.connections(), 1);
  EXPECT_EQ(client.connections_opened(), 1u);
  EXPECT_EQ(client.idle_count(), 1u);
}

TEST_F(NetHttpClient, ConnectionCloseIsNotPooled) {
  loopback_server server([](const auto&) { return reply{.body = "bye", .close = true}; });
  net::http_client client(ioc_.get_executor());
  net::http_request req{.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/"};
  EXPECT_TRUE(run(client, req).ok());
  EXPECT_TRUE(run(client, req).ok());
  EXPECT_EQ(server.connections(), 2);
  EXPECT_EQ(client.idle_count(), 0u);
}

TEST_F(NetHttpClient, APooledConnectionTheServerClosedIsNotReused) {
  loopback_server server([](const auto&) { return reply{.body = "ok", .close_silently = true}; });
  net::http_client client(ioc_.get_executor());
  net::http_request req{.method = "POST", .url = "http://127.0.0.1:" + std::to_string(server.port()) + "/", .body = "x"};
  ASSERT_TRUE(run(client, req).ok());
  EXPECT_EQ(client.idle_count(), 1u);
  std::this_thread::sleep_for(50ms);  // the FIN arrives
  auto r = run(client, req);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_FALSE(r.reused_connection);
  EXPECT_EQ(server.connections(), 2);
}

TEST_F(NetHttpClient, IdleConnectionsExpire) {
  loopback_server server(echo);
  net::http_client client(ioc_.get_executor(), {.idle_expiry = 50ms});
  net::http_request req{.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/"};
  EXPECT_TRUE(run(client, req).ok());
  std::this_thread::sleep_for(120ms);
  auto r = run(client, req);
  EXPECT_TRUE(r.ok());
  EXPECT_FALSE(r.reused_connection);
  EXPECT_EQ(server.connections(), 2);
}

TEST_F(NetHttpClient, TimeoutCoversTheWholeCallAndSaysTheRequestWasWritten) {
  loopback_server server([](const auto&) { return reply{.body = "late", .delay = 1500ms}; });
  net::http_client client(ioc_.get_executor());
  net::http_request req{.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/slow?access_token=SECRET",
                        .timeout = 200ms};
  const auto start = std::chrono::steady_clock::now();
  auto r = run(client, req);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_EQ(r.fail, net::failure::timeout) << r.error;
  EXPECT_TRUE(r.request_written);
  EXPECT_EQ(r.error.find("SECRET"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("access_token=***"), std::string::npos) << r.error;
}

TEST_F(NetHttpClient, HangUpAfterTheRequestIsAReadFailureThatMayHaveBeenProcessed) {
  loopback_server server([](const auto&) { return reply{.hang_up = true}; });
  net::http_client client(ioc_.get_executor());
  auto r = run(client, {.method = "POST", .url = "http://127.0.0.1:" + std::to_string(server.port()) + "/x", .body = "b"});
  EXPECT_EQ(r.fail, net::failure::read) << r.error;
  EXPECT_TRUE(r.request_written);
}

TEST_F(NetHttpClient, RefusedConnectionIsNotWritten) {
  unsigned short port = 0;
  {
    asio::io_context tmp;
    asio::ip::tcp::acceptor a(tmp, {asio::ip::make_address("127.0.0.1"), 0});
    port = a.local_endpoint().port();
  }
  net::http_client client(ioc_.get_executor());
  auto r = run(client, {.url = "http://127.0.0.1:" + std::to_string(port) + "/"});
  EXPECT_EQ(r.fail, net::failure::connect) << r.error;
  EXPECT_FALSE(r.request_written);
  EXPECT_NE(r.error.find("127.0.0.1"), std::string::npos);
}

TEST_F(NetHttpClient, BodyLimitAndBadUrl) {
  loopback_server server([](const auto&) { return reply{.body = std::string(5000, 'x')}; });
  net::http_client client(ioc_.get_executor(), {.body_limit = 1000});
  auto r = run(client, {.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/"});
  EXPECT_EQ(r.fail, net::failure::too_large) << r.error;
  auto bad = run(client, {.url = "ftp://x/"});
  EXPECT_EQ(bad.fail, net::failure::bad_url);
  auto unresolvable = run(client, {.url = "http://no-such-host.invalid/", .timeout = 3s});
  EXPECT_TRUE(unresolvable.fail == net::failure::resolve || unresolvable.fail == net::failure::timeout)
      << unresolvable.error;
}

TEST_F(NetHttpClient, ManyConcurrentCallsFromSeveralThreads) {
  std::atomic<int> seen{0};
  loopback_server server([&](const auto& req) {
    ++seen;
    return reply{.body = req.body()};
  });
  net::http_client client(ioc_.get_executor());
  constexpr int n = 40;
  std::vector<std::future<net::http_response>> results;
  for (int i = 0; i < n; ++i) {
    auto p = std::make_shared<std::promise<net::http_response>>();
    results.push_back(p->get_future());
    net::http_request req{.method = "POST", .url = "http://127.0.0.1:" + std::to_string(server.port()) + "/",
                          .body = std::to_string(i)};
    asio::co_spawn(asio::make_strand(ioc_), client.send(req), [p](std::exception_ptr, net::http_response r) {
      p->set_value(std::move(r));
    });
  }
  for (int i = 0; i < n; ++i) {
    auto r = results[i].get();
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.body, std::to_string(i));
  }
  EXPECT_EQ(seen.load(), n);
  EXPECT_LE(client.idle_count(), client.options().max_idle_per_origin);
}

TEST_F(NetHttpClient, TlsRejectsAnUntrustedCertificateByDefault) {
  const auto pem = make_self_signed("DNS:localhost,IP:127.0.0.1");
  loopback_server server(echo, &pem);
  net::http_client client(ioc_.get_executor());
  auto r = run(client, {.url = "https://127.0.0.1:" + std::to_string(server.port()) + "/"});
  EXPECT_EQ(r.fail, net::failure::tls) << r.error;
  EXPECT_NE(r.error.find("certificate verify failed"), std::string::npos) << r.error;
  EXPECT_FALSE(r.request_written);
}

TEST_F(NetHttpClient, TlsSucceedsOnceTheCertificateIsTrustedAndReusesTheSession) {
  const auto pem = make_self_signed("DNS:localhost,IP:127.0.0.1");
  loopback_server server(echo, &pem);
  net::http_client client(ioc_.get_executor(), {.extra_ca_pem = pem.cert});
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    auto r = run(client, {.method = "POST", .url = "https://" + host + ":" + std::to_string(server.port()) + "/", .body = "hi"});
    ASSERT_TRUE(r.ok()) << host << ": " << r.error;
    EXPECT_EQ(r.body, "POST  hi");
  }
  auto again = run(client, {.url = "https://localhost:" + std::to_string(server.port()) + "/"});
  ASSERT_TRUE(again.ok()) << again.error;
  EXPECT_TRUE(again.reused_connection);
}

TEST_F(NetHttpClient, TlsChecksTheHostNameEvenForATrustedCertificate) {
  const auto pem = make_self_signed("DNS:other.example");
  loopback_server server(echo, &pem);
  net::http_client client(ioc_.get_executor(), {.extra_ca_pem = pem.cert});
  auto r = run(client, {.url = "https://localhost:" + std::to_string(server.port()) + "/"});
  EXPECT_EQ(r.fail, net::failure::tls) << r.error;
  EXPECT_NE(r.error.find("certificate verify failed"), std::string::npos) << r.error;
  auto ip = run(client, {.url = "https://127.0.0.1:" + std::to_string(server.port()) + "/"});
  EXPECT_EQ(ip.fail, net::failure::tls) << ip.error;
}

TEST_F(NetHttpClient, PlainAndTlsToTheSameHostDoNotShareConnections) {
  const auto pem = make_self_signed("DNS:localhost,IP:127.0.0.1");
  loopback_server secure(echo, &pem);
  loopback_server plain(echo);
  net::http_client client(ioc_.get_executor(), {.extra_ca_pem = pem.cert});
  EXPECT_TRUE(run(client, {.url = "https://127.0.0.1:" + std::to_string(secure.port()) + "/"}).ok());
  EXPECT_TRUE(run(client, {.url = "http://127.0.0.1:" + std::to_string(plain.port()) + "/"}).ok());
  EXPECT_EQ(client.idle_count(), 2u);
}

TEST(NetHttpClientConfig, BadExtraCaPemIsAStartupError) {
  asio::io_context ioc;
  EXPECT_THROW(net::http_client(ioc.get_executor(), {.extra_ca_pem = "not a certificate"}), std::runtime_error);
}

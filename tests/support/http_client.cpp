#include "support/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace lianxin::test {
namespace {

int connect_loopback(unsigned short port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void parse_first(http_result& r) {
  const auto& raw = r.raw;
  if (raw.rfind("HTTP/1.", 0) != 0 || raw.size() < 12) return;
  r.status = std::atoi(raw.substr(9, 3).c_str());
  auto end = raw.find("\r\n\r\n");
  if (end == std::string::npos) return;
  std::size_t pos = raw.find("\r\n") + 2;
  std::size_t content_length = 0;
  bool has_length = false;
  while (pos < end) {
    auto eol = raw.find("\r\n", pos);
    auto line = raw.substr(pos, eol - pos);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers[name] = value;
      if (name == "content-length") {
        content_length = std::stoul(value);
        has_length = true;
      }
    }
    pos = eol + 2;
  }
  auto body_start = end + 4;
  r.body = has_length ? raw.substr(body_start, content_length) : raw.substr(body_start);
}

// True once `raw` holds one complete response with a Content-Length body.
bool complete(const std::string& raw) {
  auto end = raw.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  std::string head = raw.substr(0, end);
  std::transform(head.begin(), head.end(), head.begin(), [](unsigned char c) { return std::tolower(c); });
  auto cl = head.find("content-length:");
  if (cl == std::string::npos) return false;
  auto n = std::stoul(head.substr(cl + 15));
  return raw.size() >= end + 4 + n;
}

http_result exchange(unsigned short port, const std::string& bytes, std::chrono::milliseconds timeout,
                     bool stop_after_one) {
  http_result r;
  int fd = connect_loopback(port);
  if (fd < 0) return r;
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[65536];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    r.raw.append(buf, static_cast<std::size_t>(n));
    if (stop_after_one && complete(r.raw)) break;
  }
  ::close(fd);
  parse_first(r);
  return r;
}

}  // namespace

http_result http_request(unsigned short port, const std::string& method, const std::string& target,
                         const std::string& body, const std::string& extra_headers,
                         std::chrono::milliseconds timeout) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers;
  if (!body.empty() || method == "POST" || method == "PUT") {
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  req += "\r\n" + body;
  return exchange(port, req, timeout, true);
}

http_result raw_exchange(unsigned short port, const std::string& bytes, std::chrono::milliseconds timeout) {
  return exchange(port, bytes, timeout, false);
}

int count_responses(const std::string& raw) {
  int n = 0;
  std::size_t pos = 0;
  while ((pos = raw.find("HTTP/1.1 ", pos)) != std::string::npos) {
    ++n;
    pos += 9;
  }
  return n;
}

}  // namespace lianxin::test

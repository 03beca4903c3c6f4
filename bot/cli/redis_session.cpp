#include "bot/cli/redis_session.hpp"

#include "bot/redis/client.hpp"
#include "bot/redis/url.hpp"
#include "bot/store/embedded_redis.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

namespace lianxin::cli {
namespace {

awaitable<void> probe(std::shared_ptr<redis::client> c, bool& out) {
  out = co_await c->wait_connected(std::chrono::milliseconds(500));
  co_await c->stop();
}


}  // namespace

redis_session::redis_session() = default;

redis_session::~redis_session() {
  if (embedded_) embedded_->stop();
}

int redis_session::open(const std::string& config_file, const std::string& redis_url) {
  try {
    cfg_ = config_file.empty() ? config::load_text("{}", "(defaults)") : config::load_file(config_file);
  } catch (const config::config_error& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  if (!redis_url.empty()) cfg_.redis.url = redis_url;
  keys_ = std::make_unique<store::keys>(cfg_.redis.key_prefix, cfg_.tenant.id);
  std::string url = cfg_.redis.url;
  if (url.empty()) {
    url = "unix://" + std::filesystem::absolute(cfg_.redis.embedded.data_dir).lexically_normal().string() + "/redis.sock";
    auto parsed = redis::parse_url(url);
    auto test = redis::client::create(ioc_.get_executor(), parsed.opt);
    test->start();
    bool up = false;
    asio::co_spawn(ioc_, probe(test, up), asio::detached);
    ioc_.run();
    ioc_.restart();
    if (!up) {
      try {
        embedded_ = std::make_unique<store::embedded_redis>(ioc_.get_executor(), cfg_.redis.embedded);
        embedded_->start();
      } catch (const std::exception& e) {
        std::fprintf(stderr, "lianxin: cannot start the embedded Redis: %s\n", e.what());
        return 1;
      }
    }
  }
  auto parsed = redis::parse_url(url);
  if (!parsed.ok()) {
    std::fprintf(stderr, "lianxin: redis.url: %s\n", parsed.error.c_str());
    return 2;
  }
  client_ = redis::client::create(ioc_.get_executor(), parsed.opt);
  client_->start();
  return 0;
}

namespace {
// The client's own loops keep the io_context busy until it is stopped: the whole job,
// connecting included, runs in one coroutine that stops the client at the end.
awaitable<void> session_job(std::shared_ptr<redis::client> c, awaitable<void> task, bool& up) {
  up = co_await c->wait_connected(std::chrono::seconds(5));
  if (up) co_await std::move(task);
  co_await c->stop();
}
}  // namespace

int redis_session::run(awaitable<void> task) {
  bool up = false;
  asio::co_spawn(ioc_, session_job(client_, std::move(task), up), asio::detached);
  ioc_.run();
  ioc_.restart();
  if (!up) {
    std::fprintf(stderr, "lianxin: Redis unavailable: %s\n", client_->last_error().c_str());
    return 1;
  }
  return 0;
}

parsed_args parse_args(const std::vector<std::string>& args, const std::vector<std::string>& with_value,
                       const std::vector<std::string>& flags) {
  parsed_args out;
  auto has = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a.rfind("--", 0) != 0) {
      out.positional.push_back(a);
      continue;
    }
    auto name = a.substr(2);
    std::string value;
    bool inline_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    if (has(flags, name)) {
      if (inline_value) {
        out.error = "option --" + name + " takes no value";
        return out;
      }
      out.opts[name] = "1";
    } else if (has(with_value, name)) {
      if (!inline_value) {
        if (i + 1 >= args.size()) {
          out.error = "option --" + name + " needs a value";
          return out;
        }
        value = args[++i];
      }
      out.opts[name] = value;
    } else {
      out.error = "unknown option --" + name;
      return out;
    }
  }
  return out;
}

}  // namespace lianxin::cli

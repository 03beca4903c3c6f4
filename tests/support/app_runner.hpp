#pragma once
// Runs a whole Lianxin app in-process on 127.0.0.1:0 against a given Redis URL, on its own
// thread; stops it (gracefully) when destroyed.
#include "bot/app.hpp"

#include <memory>
#include <string>
#include <thread>

namespace lianxin::test {

class app_runner {
 public:
  // `config_json` is a config document; listen and redis.url are overridden.
  app_runner(const std::string& redis_url, const std::string& config_json = "{}");
  ~app_runner();

  unsigned short port() const { return app_->port(); }
  lianxin::app& app() { return *app_; }
  // Graceful stop; returns once run() has returned.
  void stop();

 private:
  std::unique_ptr<lianxin::app> app_;
  std::thread thread_;
};

}  // namespace lianxin::test

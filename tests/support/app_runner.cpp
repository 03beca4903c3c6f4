#include "support/app_runner.hpp"

#include "bot/redis/client.hpp"

#include <nlohmann/json.hpp>

namespace lianxin::test {

app_runner::app_runner(const std::string& redis_url, const std::string& config_json) {
  // Group bulletins are merged and held in quiet hours by default; tests that do not test that
  // get them at once, whatever the time of day the suite runs.
  auto doc = nlohmann::json::parse(config_json);
  if (!doc.contains("notify")) doc["notify"] = {{"group_merge_seconds", 0}, {"quiet_hours", ""}};
  auto cfg = config::load_text(doc.dump(), "test.json");
  cfg.server.listen = "127.0.0.1:0";
  cfg.redis.url = redis_url;
  app_ = std::make_unique<lianxin::app>(std::move(cfg));
  app_->start();
  thread_ = std::thread([this] { app_->run(); });
  // Tests start against a live Redis: wait (bounded) until the client has connected.
  for (int i = 0; i < 500 && !app_->redis().connected(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void app_runner::stop() {
  if (!thread_.joinable()) return;
  app_->request_stop();
  thread_.join();
}

app_runner::~app_runner() { stop(); }

}  // namespace lianxin::test

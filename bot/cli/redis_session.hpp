#pragma once
// What the one-shot admin commands (token, bind-code, roster) share: the config, and a Redis
// connection — the configured one, or the embedded Redis of a running `lianxin serve`, or an
// embedded one started just for the command.
#include "bot/asio.hpp"
#include "bot/config/config.hpp"
#include "bot/store/keys.hpp"

#include <boost/asio/io_context.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace lianxin::redis {
class client;
}
namespace lianxin::store {
class embedded_redis;
}

namespace lianxin::cli {

class redis_session {
 public:
  redis_session();
  ~redis_session();
  // Loads `config_file` (empty: defaults) and starts connecting; on failure prints one line
  // to stderr and returns the exit code (2 configuration, 1 Redis); 0 when ready.
  int open(const std::string& config_file, const std::string& redis_url);
  // Waits for Redis (5 s), runs `task` to completion and stops the client; 1 (after one line
  // on stderr) when Redis never answered, else 0.
  int run(awaitable<void> task);

  asio::io_context& io() { return ioc_; }
  const config::config& cfg() const { return cfg_; }
  redis::client& client() { return *client_; }
  const store::keys& keys() const { return *keys_; }

 private:
  asio::io_context ioc_;
  config::config cfg_;
  std::unique_ptr<store::embedded_redis> embedded_;
  std::shared_ptr<redis::client> client_;
  std::unique_ptr<store::keys> keys_;
};

// --name value / --name=value options, flags (no value) and positionals.
struct parsed_args {
  std::map<std::string, std::string> opts;
  std::vector<std::string> positional;
  std::string error;
};
parsed_args parse_args(const std::vector<std::string>& args, const std::vector<std::string>& with_value,
                       const std::vector<std::string>& flags);

}  // namespace lianxin::cli

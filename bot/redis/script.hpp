#pragma once
// A Lua script with its SHA1 computed once, for EVALSHA. Construct scripts at startup and keep
// them (e.g. as members of a store); client::eval reloads a script the server has forgotten.
#include <string>

namespace lianxin::redis {

class script {
 public:
  explicit script(std::string lua);
  const std::string& source() const { return source_; }
  const std::string& sha1() const { return sha1_; }  // 40 lowercase hex digits, as Redis prints it

 private:
  std::string source_;
  std::string sha1_;
};

}  // namespace lianxin::redis

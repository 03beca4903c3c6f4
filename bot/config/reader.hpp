#pragma once
// A small typed reader over one JSON object that remembers which keys it consumed, so that
// unknown keys (typos such as "urll") become errors naming the full path.
#include "bot/config/config.hpp"

#include <set>
#include <string>
#include <string_view>

namespace lianxin::config {

class object_reader {
 public:
  object_reader(const nlohmann::json& obj, std::string path, const std::string& file);

  void read(std::string_view key, std::string& out);
  void read(std::string_view key, bool& out);
  void read(std::string_view key, int& out, std::int64_t min, std::int64_t max);
  void read(std::string_view key, std::int64_t& out, std::int64_t min, std::int64_t max);
  void read(std::string_view key, double& out, double min, double max);
  // A string that must be one of `allowed`.
  void read_enum(std::string_view key, std::string& out, std::initializer_list<std::string_view> allowed);
  // The sub-object at key, or an empty object when absent.
  object_reader child(std::string_view key);
  // Marks a key as known without reading it (sections owned by other layers).
  const nlohmann::json* take(std::string_view key);
  bool has(std::string_view key) const;
  // Throws for any key that was not read.
  void finish() const;

  [[noreturn]] void fail(std::string_view key, std::string_view problem) const;
  std::string path_of(std::string_view key) const;

 private:
  const nlohmann::json* find(std::string_view key);

  const nlohmann::json& obj_;
  std::string path_;
  const std::string& file_;
  std::set<std::string, std::less<>> seen_;
};

}  // namespace lianxin::config

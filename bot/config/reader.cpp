#include "bot/config/reader.hpp"

#include <cmath>

namespace lianxin::config {

object_reader::object_reader(const nlohmann::json& obj, std::string path, const std::string& file)
    : obj_(obj), path_(std::move(path)), file_(file) {
  if (!obj_.is_object() && !obj_.is_null()) {
    throw config_error(file_ + ": " + (path_.empty() ? "(top level)" : path_) + ": must be an object");
  }
}

std::string object_reader::path_of(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void object_reader::fail(std::string_view key, std::string_view problem) const {
  throw config_error(file_ + ": " + path_of(key) + ": " + std::string(problem));
}

const nlohmann::json* object_reader::find(std::string_view key) {
  seen_.emplace(key);
  if (!obj_.is_object()) return nullptr;
  auto it = obj_.find(std::string(key));
  if (it == obj_.end() || it->is_null()) return nullptr;
  return &*it;
}

bool object_reader::has(std::string_view key) const {
  return obj_.is_object() && obj_.contains(std::string(key));
}

const nlohmann::json* object_reader::take(std::string_view key) { return find(key); }

void object_reader::read(std::string_view key, std::string& out) {
  if (auto* v = find(key)) {
    if (!v->is_string()) fail(key, "must be a string");
    out = v->get<std::string>();
  }
}

void object_reader::read(std::string_view key, bool& out) {
  if (auto* v = find(key)) {
    if (!v->is_boolean()) fail(key, "must be true or false");
    out = v->get<bool>();
  }
}

void object_reader::read(std::string_view key, std::int64_t& out, std::int64_t min, std::int64_t max) {
  if (auto* v = find(key)) {
    if (!v->is_number_integer()) fail(key, "must be an integer");
    std::int64_t x = 0;
    if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
      fail(key, "is out of range");
    }
    x = v->get<std::int64_t>();
    if (x < min || x > max) {
      fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
                    std::to_string(x));
    }
    out = x;
  }
}

void object_reader::read(std::string_view key, int& out, std::int64_t min, std::int64_t max) {
  std::int64_t x = out;
  read(key, x, min, max);
  out = static_cast<int>(x);
}

void object_reader::read(std::string_view key, double& out, double min, double max) {
  if (auto* v = find(key)) {
    if (!v->is_number()) fail(key, "must be a number");
    double x = v->get<double>();
    if (!std::isfinite(x) || x < min || x > max) {
      fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    }
    out = x;
  }
}

void object_reader::read_enum(std::string_view key, std::string& out,
                              std::initializer_list<std::string_view> allowed) {
  std::string v = out;
  read(key, v);
  for (auto a : allowed) {
    if (v == a) {
      out = v;
      return;
    }
  }
  std::string list;
  for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  fail(key, "must be one of " + list + ", got \"" + v + "\"");
}

object_reader object_reader::child(std::string_view key) {
  static const nlohmann::json empty = nlohmann::json::object();
  const auto* v = find(key);
  if (v && !v->is_object()) fail(key, "must be an object");
  return object_reader(v ? *v : empty, path_of(key), file_);
}

void object_reader::finish() const {
  if (!obj_.is_object()) return;
  for (const auto& [k, _] : obj_.items()) {
    if (!seen_.contains(k)) throw config_error(file_ + ": " + path_of(k) + ": unknown key");
  }
}

}  // namespace lianxin::config

#pragma once
// One RESP2 value as Redis sends it. A plain value type: replies are copied out of hiredis'
// reader so nothing on the shell side ever holds a hiredis pointer.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct redisReply;

namespace lianxin::redis {

enum class kind : std::uint8_t { nil, status, error, integer, string, array };

std::string_view to_string(kind k);

class value {
 public:
  value() = default;  // nil

  static value nil() { return {}; }
  static value status(std::string s);
  static value error(std::string s);
  static value integer(long long i);
  static value string(std::string s);
  static value array(std::vector<value> elements);

  // Deep copy of a hiredis reply tree (null becomes nil).
  static value from_hiredis(const redisReply* r);

  kind type() const { return kind_; }
  bool is_nil() const { return kind_ == kind::nil; }
  bool is_status() const { return kind_ == kind::status; }
  bool is_error() const { return kind_ == kind::error; }
  bool is_integer() const { return kind_ == kind::integer; }
  bool is_string() const { return kind_ == kind::string; }
  bool is_array() const { return kind_ == kind::array; }

  // The text of a status, error or bulk string (empty for the other kinds).
  const std::string& text() const { return text_; }
  long long int_value() const { return int_; }
  const std::vector<value>& elements() const { return elements_; }
  std::vector<value>& elements() { return elements_; }
  std::size_t size() const { return elements_.size(); }
  const value& operator[](std::size_t i) const { return elements_[i]; }

  // Lenient readers for callers that know what a command returns: a bulk string or a status
  // as text, an integer or a numeric string as a number; nullopt for anything else.
  std::optional<std::string> as_string() const;
  std::optional<long long> as_integer() const;
  // "+OK" for a status: handy to check `SET` and friends.
  bool is_ok() const { return kind_ == kind::status && text_ == "OK"; }
  // For an error reply, its leading word ("WRONGTYPE", "NOSCRIPT", "ERR"); empty otherwise.
  std::string_view error_code() const;

  // A short human-readable rendering for logs and test failures (binary bytes escaped,
  // long strings cut).
  std::string debug_string(std::size_t max_len = 200) const;

  friend bool operator==(const value& a, const value& b);

 private:
  kind kind_ = kind::nil;
  long long int_ = 0;
  std::string text_;
  std::vector<value> elements_;
};

}  // namespace lianxin::redis

#pragma once
// The domain's error type. Workflow code never throws for a domain error: callers (the shell)
// map `errc` to an HTTP status or a chat refusal in one place, and `message` is a one-line
// English explanation for logs and API bodies (it never contains a resident's personal data).
#include <string>
#include <utility>
#include <variant>

namespace lianxin::workflow {

enum class errc {
  invalid_config,       // roster / categories / calendar / deadlines JSON is malformed
  invalid_argument,     // a parameter is missing or out of range
  not_found,            // an id that is not in the roster or the case
  not_authorised,       // the actor may not perform this action on this case
  invalid_transition,   // the action is not allowed in the case's current state
  reopen_limit,         // a case is reopened at most once
  already_exists,       // e.g. a follower who already follows the case
  stale_timer,          // a timer fired for a deadline that has since changed or ended
  no_candidate,         // routing found nobody (only when every fallback is disabled)
};

const char* to_string(errc e);

struct error {
  errc code;
  std::string message;
};

// A minimal expected<T, error>. std::expected is C++23; this keeps the API the same shape so
// it can be swapped later.
template <class T>
class result {
 public:
  result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  result(error e) : v_(std::move(e)) {}      // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const error& err() const { return std::get<1>(v_); }

 private:
  std::variant<T, error> v_;
};

inline error make_error(errc code, std::string message) { return error{code, std::move(message)}; }

}  // namespace lianxin::workflow

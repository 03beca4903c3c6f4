#pragma once
// Errors as values for QR and poster output. These functions sit behind an HTTP route as well
// as the batch command, so they never throw for bad input: the caller maps `errc` to a 400 or
// a usage error in one place.
#include <string>
#include <utility>
#include <variant>

namespace lianxin::qr {

enum class errc {
  invalid_argument,  // a deputy code, URL or option that is not acceptable
  too_long,          // the text does not fit in a QR code at the chosen level
  encode_failed,     // libqrencode failed for another reason (out of memory)
};

inline const char* to_string(errc e) {
  switch (e) {
    case errc::invalid_argument: return "invalid_argument";
    case errc::too_long: return "too_long";
    case errc::encode_failed: return "encode_failed";
  }
  return "unknown";
}

struct error {
  errc code;
  std::string message;  // one English line for logs and API bodies
};

// The same shape as workflow::result, kept separate so that bot/qr does not depend on the
// domain layer.
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

}  // namespace lianxin::qr

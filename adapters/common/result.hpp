#pragma once
// A small result type: adapters never throw on the request path, so every fallible function
// returns either a value or an error enum (plus, at the HTTP boundary, a reason string).
#include <utility>
#include <variant>

namespace lianxin::adapters {

template <class E>
struct failure {
  E error;
};

template <class E>
failure<E> fail(E e) {
  return failure<E>{std::move(e)};
}

template <class T, class E>
class result {
 public:
  result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  result(failure<E> f) : v_(std::in_place_index<1>, std::move(f.error)) {}  // NOLINT

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const E& error() const { return std::get<1>(v_); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, E> v_;
};

}  // namespace lianxin::adapters

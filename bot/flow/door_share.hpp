#pragma once
// The intake worker's share while the door is saturated (server.door_events_per_worker_turn):
// a token bucket over the events the door has taken in. Each message the worker takes spends
// `per_turn` of them; credit saved while the worker waited is capped at `batch` messages, so a
// long saturated spell cannot turn into a run of worker turns that starves the door. While the
// door keeps up there is neither debt nor credit. Pure arithmetic, tested on its own
// (tests/unit/bot/door_share_test.cpp); the waiting is the worker's (intake_worker.cpp).
#include <algorithm>
#include <cstdint>

namespace lianxin::flow {

class door_share {
 public:
  door_share(int per_turn, int batch)
      : per_turn_(per_turn > 0 ? static_cast<std::uint64_t>(per_turn) : 0),
        cap_(per_turn_ * static_cast<std::uint64_t>(std::max(1, batch))) {}

  // Whether the worker may take its next message now, given the door's state.
  bool may_take(bool saturated, std::uint64_t taken) const {
    return per_turn_ == 0 || !saturated || taken >= mark_ + per_turn_;
  }
  // The worker takes a message.
  void took(bool saturated, std::uint64_t taken) {
    if (!saturated) {
      mark_ = taken;
    } else {
      mark_ = std::max(mark_ + per_turn_, taken > cap_ ? taken - cap_ : 0);
    }
  }

 private:
  std::uint64_t per_turn_;
  std::uint64_t cap_;
  std::uint64_t mark_ = 0;  // door events already spent
};

}  // namespace lianxin::flow

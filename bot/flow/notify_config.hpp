#pragma once
// The config's "notify" section:
//   "notify": {"group_merge_seconds": 60,         case bulletins for one group within this
//                                                  window become one message (0: off)
//              "quiet_hours": "22:00-07:00",       no group bulletins then; "" for none
//              "utc_offset_minutes": 480}          the tenant's local time (China: +8 h)
#include "bot/config/config.hpp"
#include "bot/flow/notifier.hpp"

namespace lianxin::flow {

// Throws config::config_error naming file, key and problem.
void read_notify_config(const config::config& cfg, notifier_options& opt);

}  // namespace lianxin::flow

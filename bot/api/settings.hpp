#pragma once
// The config sections the API and the web pages read:
//   "admin": {"token": "",          bootstrap admin token (demo: ${LIANXIN_ADMIN_TOKEN}); empty = none
//             "reload_poll_ms": 250, how often each instance checks the roster's version in Redis
//             "bind_code_ttl_minutes": 1440}    default life of a one-time group binding code
//   "web":   {"link_secret": "",    HMAC key for tracking links; empty = one generated and kept
//                                   in Redis (lx:{t}:secret:links), shared by all instances
//             "max_photos": 3, "max_photo_bytes": 786432 (below server.body_limit_bytes),
//             "submits_per_hour": 20}           per client address, counted in Redis
// public_base_url is server.public_base_url (empty: links are relative to the request's Host).
#include "bot/config/config.hpp"

#include <string>

namespace lianxin::api {

struct settings {
  std::string admin_token;
  int reload_poll_ms = 250;           // admin.reload_poll_ms
  int bind_code_ttl_minutes = 1440;   // admin.bind_code_ttl_minutes
  std::string public_base_url;
  std::string link_secret;
  int max_photos = 3;                     // web.max_photos: photos per web submission
  std::int64_t max_photo_bytes = 786432;  // web.max_photo_bytes: all photos of one submission
  int submits_per_hour = 20;              // web.submits_per_hour: form posts per address
};

// Throws config::config_error naming file, key and problem.
settings read_settings(const config::config& cfg);

}  // namespace lianxin::api

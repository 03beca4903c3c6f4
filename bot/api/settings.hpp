#pragma once
// The config sections the API and the web pages read:
//   "admin": {"token": ""}          bootstrap admin token (demo: ${LIANXIN_ADMIN_TOKEN}); empty = none
//   "web":   {"link_secret": ""}    HMAC key for tracking links; empty = one generated and kept
//                                   in Redis (lx:{t}:secret:links), shared by all instances
// public_base_url is server.public_base_url (empty: links are relative to the request's Host).
#include "bot/config/config.hpp"

#include <string>

namespace lianxin::api {

struct settings {
  std::string admin_token;
  std::string public_base_url;
  std::string link_secret;
};

// Throws config::config_error naming file, key and problem.
settings read_settings(const config::config& cfg);

}  // namespace lianxin::api

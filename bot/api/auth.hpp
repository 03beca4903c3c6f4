#pragma once
// API tokens. A token is shown once when created and stored only as its SHA-256: knowing the
// Redis contents does not let anyone call the API. Each token has a role and, for the roles
// that see only part of the tenant, a scope:
//
//   admin       whole tenant                        scope unused
//   station     one liaison station's cases         scope = station id
//   deputy      the deputy's own cases               scope = deputy code
//   department  the department's assigned cases      scope = department id
//   viewer      statistics only                      scope unused
//
// Redis:  lx:{t}:token:<sha256 hex>  HASH id, role, scope, label, created_at
//         lx:{t}:tokens              HASH id → sha256 hex   (listing and revoking by id)
// A bootstrap admin token may come from config (`admin.token`, the demo's LIANXIN_ADMIN_TOKEN);
// it is compared in constant time and never stored.
#include "bot/asio.hpp"
#include "bot/http/types.hpp"
#include "bot/store/keys.hpp"
#include "workflow/case.hpp"

#include <optional>
#include <string>
#include <vector>

namespace lianxin::redis {
class client;
}

namespace lianxin::api {

enum class role { admin, station, deputy, department, viewer };
const char* to_string(role r);
std::optional<role> parse_role(std::string_view s);

struct principal {
  role r = role::viewer;
  std::string scope;
  std::string token_id;  // "config" for the bootstrap token
  std::string label;
  // Who the workflow sees acting: deputy / department with their id; everyone else as admin.
  workflow::actor actor() const;
  std::string describe() const;  // "deputy:D0001 (token t1a2b3c4)" for audit lines
};

// The one visibility rule for cases, shared by the case API, statistics and exports:
// admin every case; station the cases of its station; deputy its own; department the cases
// assigned to it; viewer none (it reads statistics only).
bool may_see(const principal& p, const workflow::case_record& c);
// Whether a case counts in the statistics a principal asks for: what may_see allows, and
// for a viewer every case (figures only, no case details).
bool counts_in_stats(const principal& p, const workflow::case_record& c);

struct token_info {
  std::string id, label, scope;
  role r = role::viewer;
  std::int64_t created_at = 0;
};

class auth {
 public:
  auth(redis::client& redis, const store::keys& keys, std::string bootstrap_admin_token);

  enum class outcome { ok, missing, invalid, unavailable };
  struct checked {
    outcome result = outcome::missing;
    principal who;
  };
  // Reads "Authorization: Bearer <token>".
  awaitable<checked> authenticate(const http::request& req) const;

  // Creates a token (random, 256 bits); returns {id, token}. Errors: bad scope for the role.
  struct created {
    std::string id, token;
  };
  awaitable<std::optional<created>> create(role r, std::string scope, std::string label, std::int64_t now,
                                           std::string* error = nullptr) const;
  awaitable<bool> revoke(const std::string& id) const;
  awaitable<std::vector<token_info>> list() const;

 private:
  redis::client& redis_;
  const store::keys& keys_;
  std::string bootstrap_;
};

}  // namespace lianxin::api

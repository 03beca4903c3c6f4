#include "workflow/result.hpp"

namespace lianxin::workflow {

const char* to_string(errc e) {
  switch (e) {
    case errc::invalid_config: return "invalid_config";
    case errc::invalid_argument: return "invalid_argument";
    case errc::not_found: return "not_found";
    case errc::not_authorised: return "not_authorised";
    case errc::invalid_transition: return "invalid_transition";
    case errc::reopen_limit: return "reopen_limit";
    case errc::already_exists: return "already_exists";
    case errc::stale_timer: return "stale_timer";
    case errc::no_candidate: return "no_candidate";
  }
  return "unknown";
}

}  // namespace lianxin::workflow

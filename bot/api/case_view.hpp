#pragma once
// How a case is shown outside Redis. Three views from one record:
//   full     — admins, and the case's deputy for a named (not anonymous) suggestion: the
//              reporter's chat identity and contact are included (callers log each such read)
//   staff    — other staff who may see the case (its department, its station, a deputy of an
//              anonymous case): the matter and its handling, the text with phone and ID
//              numbers masked, no reporter identity, residents in the log shown as "群众"
//   public   — the resident's tracking page: status, category, place, the public steps of the
//              log (department reply included), nobody's personal data
#include "bot/domain/domain.hpp"
#include "workflow/case.hpp"

#include <nlohmann/json.hpp>

namespace lianxin::api {

enum class view_level { public_view, staff, full };

nlohmann::json case_json(const workflow::case_record& c, const domain::tenant_domain& d, view_level level);
// One line per case for lists.
nlohmann::json case_summary_json(const workflow::case_record& c, const domain::tenant_domain& d, view_level level);
// The Chinese status label from the message catalogue ("办理中" …).
std::string status_label(const domain::tenant_domain& d, workflow::case_state s);

}  // namespace lianxin::api

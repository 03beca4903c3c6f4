#include "workflow/case.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <utility>

namespace lianxin::workflow {

std::string format_case_number(const case_number& n) {
  char seq[16];
  std::snprintf(seq, sizeof seq, "%04u", n.sequence);
  return n.prefix + "-" + format_date_compact(n.date) + "-" + seq;
}

std::optional<case_number> parse_case_number(std::string_view t) {
  // Residents type numbers by hand: accept lower case and trim nothing else.
  const auto dash1 = t.find('-');
  if (dash1 == std::string_view::npos || dash1 == 0 || dash1 > 8) return std::nullopt;
  const auto rest = t.substr(dash1 + 1);
  if (rest.size() < 10 || rest[8] != '-') return std::nullopt;
  case_number n;
  for (char c : t.substr(0, dash1)) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return std::nullopt;
    n.prefix.push_back(c);
  }
  const auto digits = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  const auto date = rest.substr(0, 8), seq = rest.substr(9);
  if (!digits(date) || !digits(seq) || seq.size() < 4 || seq.size() > 9) return std::nullopt;
  const std::string d(date);
  auto parsed = parse_date(d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2));
  if (!parsed) return std::nullopt;
  n.date = *parsed;
  n.sequence = static_cast<std::uint32_t>(std::stoul(std::string(seq)));
  if (n.sequence == 0) return std::nullopt;
  return n;
}

namespace {
template <class E, std::size_t N>
std::optional<E> parse_enum(std::string_view s, const std::array<std::pair<E, const char*>, N>& names) {
  for (const auto& [e, name] : names)
    if (s == name) return e;
  return std::nullopt;
}
template <class E, std::size_t N>
const char* enum_name(E e, const std::array<std::pair<E, const char*>, N>& names) {
  for (const auto& [v, name] : names)
    if (v == e) return name;
  return "?";
}

constexpr std::array<std::pair<case_state, const char*>, 10> state_names{{
    {case_state::filed, "new"},
    {case_state::accepted, "accepted"},
    {case_state::returned, "returned"},
    {case_state::merged, "merged"},
    {case_state::assigned, "assigned"},
    {case_state::acknowledged, "acknowledged"},
    {case_state::replied, "replied"},
    {case_state::rated, "rated"},
    {case_state::closed, "closed"},
    {case_state::reopened, "reopened"},
}};
constexpr std::array<std::pair<rating, const char*>, 3> rating_names{{
    {rating::satisfied, "satisfied"},
    {rating::basically_satisfied, "basically_satisfied"},
    {rating::dissatisfied, "dissatisfied"},
}};
constexpr std::array<std::pair<overdue_level, const char*>, 4> overdue_names{{
    {overdue_level::none, "none"},
    {overdue_level::reminded, "reminded"},
    {overdue_level::supervised, "supervised"},
    {overdue_level::escalated, "escalated"},
}};
constexpr std::array<std::pair<actor_role, const char*>, 6> role_names{{
    {actor_role::resident, "resident"},
    {actor_role::deputy, "deputy"},
    {actor_role::department, "department"},
    {actor_role::admin, "admin"},
    {actor_role::committee, "committee"},
    {actor_role::system, "system"},
}};
}  // namespace

const char* to_string(case_state s) { return enum_name(s, state_names); }
std::optional<case_state> parse_case_state(std::string_view s) { return parse_enum(s, state_names); }
bool is_terminal(case_state s) {
  return s == case_state::returned || s == case_state::merged || s == case_state::closed;
}

const char* to_string(rating r) { return enum_name(r, rating_names); }
std::optional<rating> parse_rating(std::string_view s) {
  if (auto r = parse_enum(s, rating_names)) return r;
  if (s == "满意" || s == "1") return rating::satisfied;
  if (s == "基本满意" || s == "2") return rating::basically_satisfied;
  if (s == "不满意" || s == "3") return rating::dissatisfied;
  return std::nullopt;
}

const char* to_string(overdue_level o) { return enum_name(o, overdue_names); }
const char* to_string(actor_role r) { return enum_name(r, role_names); }

std::string format_actor(const actor& a) { return std::string(to_string(a.role)) + ":" + a.id; }

std::optional<actor> parse_actor(std::string_view s) {
  const auto colon = s.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto role = parse_enum(s.substr(0, colon), role_names);
  if (!role) return std::nullopt;
  return actor{*role, std::string(s.substr(colon + 1))};
}

bool case_record::has_party(const std::string& identity) const {
  if (reporter.identity() == identity) return true;
  return std::any_of(followers.begin(), followers.end(), [&](const party& p) { return p.identity() == identity; });
}

}  // namespace lianxin::workflow

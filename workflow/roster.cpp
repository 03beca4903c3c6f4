#include "workflow/roster.hpp"

#include <algorithm>

namespace lianxin::workflow {

const char* to_string(deputy_level l) {
  switch (l) {
    case deputy_level::province: return "province";
    case deputy_level::city: return "city";
    case deputy_level::county: return "county";
    case deputy_level::township: return "township";
  }
  return "township";
}

std::optional<deputy_level> parse_deputy_level(std::string_view s) {
  if (s == "province") return deputy_level::province;
  if (s == "city") return deputy_level::city;
  if (s == "county") return deputy_level::county;
  if (s == "township") return deputy_level::township;
  return std::nullopt;
}

namespace {
// Rosters are small (a county has ~1,200 deputies) and read far more than written; a linear
// scan keeps the type a plain value that copies and compares without index upkeep.
template <class T, class Key>
const T* find_by(const std::vector<T>& v, std::string_view id, Key key) {
  auto it = std::find_if(v.begin(), v.end(), [&](const T& x) { return key(x) == id; });
  return it == v.end() ? nullptr : &*it;
}
auto by_id = [](const auto& x) -> const std::string& { return x.id; };

bool has_identity(const std::vector<chat_identity>& v, std::string_view platform, std::string_view id) {
  return std::any_of(v.begin(), v.end(), [&](const chat_identity& c) { return c.platform == platform && c.id == id; });
}
}  // namespace

const township* roster::find_township(std::string_view id) const { return find_by(townships_, id, by_id); }
const village* roster::find_village(std::string_view id) const { return find_by(villages_, id, by_id); }
const station* roster::find_station(std::string_view id) const { return find_by(stations_, id, by_id); }
const specialty_group* roster::find_specialty_group(std::string_view id) const {
  return find_by(specialty_groups_, id, by_id);
}
const deputy* roster::find_deputy(std::string_view code) const {
  return find_by(deputies_, code, [](const deputy& d) -> const std::string& { return d.code; });
}
const enterprise* roster::find_enterprise(std::string_view id) const { return find_by(enterprises_, id, by_id); }
const department* roster::find_department(std::string_view id) const { return find_by(departments_, id, by_id); }
const category* roster::find_category(std::string_view id) const { return find_by(categories_, id, by_id); }
const committee* roster::find_committee(std::string_view id) const { return find_by(committees_, id, by_id); }

namespace {
std::string contact_key(std::string_view platform, std::string_view user_id) {
  std::string k;
  k.reserve(platform.size() + 1 + user_id.size());
  k.append(platform);
  k.push_back('\0');
  k.append(user_id);
  return k;
}
}  // namespace

void roster::index_contacts() {
  contact_index_.clear();
  for (std::size_t i = 0; i < deputies_.size(); ++i) {
    for (const auto& [platform, id] : deputies_[i].contacts) contact_index_.emplace(contact_key(platform, id), i);
  }
  contacts_indexed_ = true;
}

const deputy* roster::deputy_by_contact(std::string_view platform, std::string_view user_id) const {
  if (contacts_indexed_) {
    auto it = contact_index_.find(contact_key(platform, user_id));
    return it == contact_index_.end() ? nullptr : &deputies_[it->second];
  }
  const std::string key(platform);
  for (const auto& d : deputies_) {
    auto it = d.contacts.find(key);
    if (it != d.contacts.end() && it->second == user_id) return &d;
  }
  return nullptr;
}

std::vector<const department*> roster::departments_of_handler(std::string_view platform,
                                                              std::string_view user_id) const {
  std::vector<const department*> out;
  for (const auto& d : departments_)
    if (has_identity(d.handlers, platform, user_id)) out.push_back(&d);
  return out;
}

const enterprise* roster::enterprise_of_member(std::string_view platform, std::string_view user_id) const {
  for (const auto& e : enterprises_)
    if (has_identity(e.members, platform, user_id)) return &e;
  return nullptr;
}

std::vector<const deputy*> roster::deputies_of_village(std::string_view village_id) const {
  std::vector<const deputy*> out;
  for (const auto& d : deputies_)
    if (!village_id.empty() && d.village == village_id) out.push_back(&d);
  return out;
}

result<bool> roster::set_categories(std::vector<category> cats) {
  for (std::size_t i = 0; i < cats.size(); ++i)
    if (!cats[i].department.empty() && !find_department(cats[i].department))
      return make_error(errc::invalid_config, "categories[" + std::to_string(i) + "].department: unknown department \"" +
                                                  cats[i].department + "\"");
  categories_ = std::move(cats);
  return true;
}

}  // namespace lianxin::workflow

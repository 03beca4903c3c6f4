#include "workflow/intake/config.hpp"

#include <type_traits>

namespace lianxin::workflow::intake {
namespace {

using json = nlohmann::json;

// Reads j[key] into out when present; records the key on a type mismatch.
template <class T>
bool read(const json& j, const char* key, T& out, std::string& bad) {
  if (!j.contains(key)) return true;
  if constexpr (std::is_unsigned_v<T> && !std::is_same_v<T, bool>) {
    if (!j.at(key).is_number_unsigned()) {  // get<> would turn -1 into a huge limit
      bad = key;
      return false;
    }
  }
  try {
    out = j.at(key).get<T>();
    return true;
  } catch (const json::exception&) {
    bad = key;
    return false;
  }
}

}  // namespace

const category_ref* intake_config::find_category(const std::string& id) const {
  for (const auto& c : categories) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

config_result intake_config_from_json(const json& j) {
  if (!j.is_object()) return {std::nullopt, config_error::not_an_object, ""};
  intake_config c;
  std::string bad;
  bool ok = true;
  if (j.contains("triggers") && j["triggers"].is_object()) {
    const auto& t = j["triggers"];
    ok = ok && read(t, "file", c.triggers.file, bad) && read(t, "query", c.triggers.query, bad) &&
         read(t, "help", c.triggers.help, bad) && read(t, "cancel", c.triggers.cancel, bad);
  }
  if (j.contains("emergency") && j["emergency"].is_object()) {
    const auto& e = j["emergency"];
    ok = ok && read(e, "fire", c.emergency.fire, bad) &&
         read(e, "police", c.emergency.police, bad) &&
         read(e, "medical", c.emergency.medical, bad) &&
         read(e, "exclusions", c.emergency.exclusions, bad);
  }
  ok = ok && read(j, "court_words", c.court_words, bad) &&
       read(j, "petition_words", c.petition_words, bad) &&
       read(j, "draft_ttl_seconds", c.draft_ttl_seconds, bad) &&
       read(j, "expired_notice_seconds", c.expired_notice_seconds, bad) &&
       read(j, "similarity_threshold", c.similarity_threshold, bad) &&
       read(j, "max_similar", c.max_similar, bad) &&
       read(j, "max_text_chars", c.max_text_chars, bad) &&
       read(j, "min_content_chars", c.min_content_chars, bad) &&
       read(j, "max_photos", c.max_photos, bad) && read(j, "summary_chars", c.summary_chars, bad) &&
       read(j, "group_summary_chars", c.group_summary_chars, bad) &&
       read(j, "max_listed_cases", c.max_listed_cases, bad) &&
       read(j, "max_reprompts", c.max_reprompts, bad) &&
       read(j, "other_category_id", c.other_category_id, bad);
  if (ok && j.contains("categories")) {
    if (!j["categories"].is_array()) {
      ok = false;
      bad = "categories";
    } else {
      for (const auto& cat : j["categories"]) {
        if (!cat.is_object() || !cat.contains("id") || !cat["id"].is_string()) {
          ok = false;
          bad = "categories";
          break;
        }
        c.categories.push_back({cat["id"].get<std::string>(), cat.value("name", cat["id"].get<std::string>())});
      }
    }
  }
  if (!ok) return {std::nullopt, config_error::bad_field, bad};
  if (c.draft_ttl_seconds <= 0 || c.max_text_chars == 0) {
    return {std::nullopt, config_error::bad_field, c.max_text_chars == 0 ? "max_text_chars" : "draft_ttl_seconds"};
  }
  if (!c.categories.empty() && !c.find_category(c.other_category_id)) {
    return {std::nullopt, config_error::other_category_missing, "other_category_id"};
  }
  return {std::move(c), std::nullopt, ""};
}

}  // namespace lianxin::workflow::intake

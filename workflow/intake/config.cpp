#include "workflow/intake/config.hpp"

#include <string>
#include <type_traits>
#include <vector>

namespace lianxin::workflow::intake {
namespace {

using json = nlohmann::json;

struct failure {
  std::string field, problem;
};

template <class T>
const char* expected() {
  if constexpr (std::is_same_v<T, std::string>) {
    return "must be a string";
  } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    return "must be a list of strings";
  } else if constexpr (std::is_same_v<T, bool>) {
    return "must be true or false";
  } else if constexpr (std::is_unsigned_v<T>) {
    return "must be a whole number, 0 or more";
  } else if constexpr (std::is_integral_v<T>) {
    return "must be a whole number";
  } else {
    return "must be a number";
  }
}

// Reads j[key] into out when present; on a wrong type records the key (with its section) and
// what it must be.
template <class T>
bool read(const json& j, const char* key, T& out, failure& bad, const char* section = "") {
  if (!j.contains(key)) return true;
  const json& v = j.at(key);
  bool fits = true;
  if constexpr (std::is_unsigned_v<T> && !std::is_same_v<T, bool>) {
    fits = v.is_number_unsigned();  // get<> would turn -1 into a huge limit
  }
  if (fits) {
    try {
      out = v.get<T>();
      return true;
    } catch (const json::exception&) {
    }
  }
  bad = {std::string(section) + key, expected<T>()};
  return false;
}

}  // namespace

const category_ref* intake_config::find_category(const std::string& id) const {
  for (const auto& c : categories) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

config_result intake_config_from_json(const json& j) {
  static constexpr const char* categories_shape = R"(must be a list of {"id": "...", "name": "..."})";
  if (!j.is_object()) return {std::nullopt, config_error::not_an_object, "", "must be an object"};
  intake_config c;
  failure bad;
  bool ok = true;
  if (j.contains("triggers") && j["triggers"].is_object()) {
    const auto& t = j["triggers"];
    ok = ok && read(t, "file", c.triggers.file, bad, "triggers.") && read(t, "query", c.triggers.query, bad, "triggers.") &&
         read(t, "help", c.triggers.help, bad, "triggers.") && read(t, "cancel", c.triggers.cancel, bad, "triggers.");
  }
  if (j.contains("emergency") && j["emergency"].is_object()) {
    const auto& e = j["emergency"];
    ok = ok && read(e, "fire", c.emergency.fire, bad, "emergency.") &&
         read(e, "police", c.emergency.police, bad, "emergency.") &&
         read(e, "medical", c.emergency.medical, bad, "emergency.") &&
         read(e, "exclusions", c.emergency.exclusions, bad, "emergency.");
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
      bad = {"categories", categories_shape};
    } else {
      for (const auto& cat : j["categories"]) {
        if (!cat.is_object() || !cat.contains("id") || !cat["id"].is_string()) {
          ok = false;
          bad = {"categories", categories_shape};
          break;
        }
        c.categories.push_back({cat["id"].get<std::string>(), cat.value("name", cat["id"].get<std::string>())});
      }
    }
  }
  if (!ok) return {std::nullopt, config_error::bad_field, bad.field, bad.problem};
  if (c.max_text_chars == 0) return {std::nullopt, config_error::bad_field, "max_text_chars", "must be more than 0"};
  if (c.draft_ttl_seconds <= 0) {
    return {std::nullopt, config_error::bad_field, "draft_ttl_seconds", "must be more than 0"};
  }
  if (!c.categories.empty() && !c.find_category(c.other_category_id)) {
    return {std::nullopt, config_error::other_category_missing, "other_category_id",
            "must be the id of one of the categories"};
  }
  return {std::move(c), std::nullopt, "", ""};
}

}  // namespace lianxin::workflow::intake

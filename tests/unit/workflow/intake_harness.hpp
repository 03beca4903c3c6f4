#pragma once
// A small driver for intake transcripts: keeps the conversation state between turns (through
// its JSON form, as Redis would), advances a fake clock, and checks every reply against the
// shipped catalogue and the key table.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "workflow/intake/catalogue.hpp"
#include "workflow/intake/dialogue.hpp"
#include "workflow/intake/messages.hpp"

namespace lianxin::workflow::intake::test {

inline std::string source_dir() {
  if (const char* d = std::getenv("LIANXIN_SOURCE_DIR")) return d;
  std::string here = __FILE__;  // tests/unit/workflow/intake_harness.hpp
  return here.substr(0, here.rfind("/tests/"));
}

inline const catalogue& shipped_catalogue() {
  static const catalogue c = [] {
    std::ifstream f(source_dir() + "/config/messages.zh-CN.json");
    std::stringstream ss;
    ss << f.rdbuf();
    auto r = catalogue::parse(ss.str());
    if (!r.value) throw std::runtime_error("catalogue does not load: " + r.detail);
    return *r.value;
  }();
  return c;
}

inline intake_config demo_config() {
  intake_config c;
  c.categories = {{"roads", "道路和路灯"},     {"water", "饮水和灌溉"},   {"power", "用电"},
                  {"sanitation", "环境卫生"},  {"farming", "农业生产"},   {"pension", "社保和养老金"},
                  {"medical", "医保"},         {"education", "上学教育"}, {"housing", "住房和土地"},
                  {"dispute", "矛盾纠纷"},     {"enterprise", "企业和产业"}, {"other", "其他"}};
  return c;
}

inline classification confident(const std::string& id) { return {{{id, 0.9}}, true}; }
inline classification unsure(std::vector<category_score> ranked) { return {std::move(ranked), false}; }

struct world {
  intake_config cfg = demo_config();
  std::optional<conversation_state> state;
  std::int64_t now = 1'795'000'000;  // late 2026
  chat_type chat = chat_type::group;
  group_binding binding{"v-xiaozhai", "小寨村", "st-miaoxia"};
  std::vector<known_place> places{{"v-xiaozhai", "小寨村", {"小寨"}},
                                  {"v-dawang", "大王庄村", {"大王庄"}}};
  std::string sender = "u-1001";
  turn_input last;

  turn_input input(const std::string& text) const {
    turn_input in;
    in.chat = chat;
    in.text = text;
    in.binding = binding;
    in.sender_id = sender;
    in.now = now;
    in.known_places = places;
    return in;
  }

  outcome run(const turn_input& in) {
    last = in;
    outcome o = step(state, in, cfg);
    check(o, in.chat);
    if (o.handled) store(o);
    return o;
  }

  outcome say(const std::string& text, classification c = {}, bool mentioned = false,
              std::vector<std::string> images = {}) {
    turn_input in = input(text);
    in.classified = std::move(c);
    in.mentioned = mentioned;
    in.images = std::move(images);
    return run(in);
  }

  // Phase two of a lookup: the same turn context with the result attached.
  outcome feed(lookup_result r) {
    turn_input in = last;
    in.result = std::move(r);
    return run(in);
  }

  void store(const outcome& o) {
    if (!o.state) {
      state.reset();
      return;
    }
    auto j = to_json(*o.state);
    EXPECT_LT(j.dump().size(), 2048u) << j.dump();
    auto back = state_from_json(nlohmann::json::parse(j.dump()));
    ASSERT_TRUE(back.state) << j.dump();
    EXPECT_EQ(to_json(*back.state), j);
    state = back.state;
  }

  // Every line must be a known key with exactly the declared placeholders, and render.
  static void check(const outcome& o, chat_type chat) {
    auto check_lines = [&](const std::vector<message>& lines) {
      for (const auto& m : lines) {
        const keys::spec* spec = nullptr;
        for (const auto& s : keys::all) {
          if (s.key == m.key) spec = &s;
        }
        ASSERT_NE(spec, nullptr) << "undeclared key " << m.key;
        std::string declared;
        for (const auto& [k, v] : m.params) declared += (declared.empty() ? "" : ",") + k;
        auto expect = std::string(spec->params);
        auto sorted = [](std::string csv) {
          std::vector<std::string> v;
          std::stringstream ss(csv);
          for (std::string x; std::getline(ss, x, ',');) v.push_back(x);
          std::sort(v.begin(), v.end());
          return v;
        };
        EXPECT_EQ(sorted(declared), sorted(expect)) << m.key;
      }
      auto r = shipped_catalogue().render(lines);
      EXPECT_TRUE(r.ok()) << r.detail;
    };
    check_lines(o.reply);
    for (const auto& e : o.effects) {
      if (auto* p = std::get_if<start_private>(&e)) check_lines(p->reply);
    }
    (void)chat;
  }

  static std::string text(const outcome& o) { return shipped_catalogue().render(o.reply).text; }
};

inline bool has_key(const outcome& o, std::string_view key) {
  for (const auto& m : o.reply) {
    if (m.key == key) return true;
  }
  return false;
}

inline const message* find_key(const outcome& o, std::string_view key) {
  for (const auto& m : o.reply) {
    if (m.key == key) return &m;
  }
  return nullptr;
}

template <class E>
const E* find_effect(const outcome& o) {
  for (const auto& e : o.effects) {
    if (auto* p = std::get_if<E>(&e)) return p;
  }
  return nullptr;
}

}  // namespace lianxin::workflow::intake::test

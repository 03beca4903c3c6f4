#include "bot/flow/notify_config.hpp"

#include "bot/config/reader.hpp"

namespace lianxin::flow {
namespace {

// "HH:MM" → minutes after midnight, or -1.
int parse_hhmm(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return -1;
  for (int i : {0, 1, 3, 4}) {
    if (s[i] < '0' || s[i] > '9') return -1;
  }
  int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59) return -1;
  return h * 60 + m;
}

}  // namespace

void read_notify_config(const config::config& cfg, notifier_options& opt) {
  const std::string file = cfg.source_file.empty() ? "(defaults)" : cfg.source_file;
  static const nlohmann::json empty = nlohmann::json::object();
  const auto& sec = cfg.raw.contains("notify") ? cfg.raw["notify"] : empty;
  if (!sec.is_object()) throw config::config_error(file + ": notify: must be an object");
  config::object_reader r(sec, "notify", file);
  r.read("group_merge_seconds", opt.group_merge_seconds, 0, 3600);
  std::string quiet = "22:00-07:00";
  r.read("quiet_hours", quiet);
  if (quiet.empty()) {
    opt.quiet_from_min = opt.quiet_to_min = 0;
  } else {
    auto dash = quiet.find('-');
    int from = dash == std::string::npos ? -1 : parse_hhmm(std::string_view(quiet).substr(0, dash));
    int to = dash == std::string::npos ? -1 : parse_hhmm(std::string_view(quiet).substr(dash + 1));
    if (from < 0 || to < 0) r.fail("quiet_hours", "must be \"HH:MM-HH:MM\" (e.g. \"22:00-07:00\") or \"\"");
    opt.quiet_from_min = from;
    opt.quiet_to_min = to;
  }
  r.read("utc_offset_minutes", opt.utc_offset_min, -720, 840);
  r.finish();
}

}  // namespace lianxin::flow

#include "bot/cli/qr_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "bot/config/config.hpp"
#include "bot/qr/png.hpp"
#include "bot/qr/progress.hpp"
#include "bot/qr/xml_text.hpp"

namespace lianxin::cli {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

qr::error bad(std::string msg) { return qr::make_error(qr::errc::invalid_argument, std::move(msg)); }

// Roster values quoted in an error line, without control bytes that would garble a terminal.
std::string printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 40)) out += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c;
  return out;
}

// A roster's station and village ids resolved to the names printed on the poster.
std::map<std::string, std::string> names_by_id(const json& j, const char* key) {
  std::map<std::string, std::string> m;
  if (!j.is_object() || !j.contains(key) || !j[key].is_array()) return m;
  for (const auto& o : j[key]) {
    if (o.is_object() && o.contains("id") && o["id"].is_string() && o.contains("name") && o["name"].is_string())
      m[o["id"].get<std::string>()] = o["name"].get<std::string>();
  }
  return m;
}

}  // namespace

qr::result<std::vector<qr::poster_input>> deputies_from_json(const json& j, const std::string& public_base_url,
                                                             const std::string& where) {
  const json* list = &j;
  std::string prefix = "";
  if (j.is_object()) {
    if (!j.contains("deputies")) return bad(where + ": deputies: missing");
    list = &j["deputies"];
    prefix = "deputies";
  }
  if (!list->is_array()) return bad(where + ": " + (prefix.empty() ? "$" : prefix) + ": not an array");
  const auto stations = names_by_id(j, "stations");
  const auto villages = names_by_id(j, "villages");
  auto lookup = [](const std::map<std::string, std::string>& m, const std::string& id) {
    auto it = m.find(id);
    return it == m.end() ? id : it->second;  // a flat roster already holds the name
  };

  std::vector<qr::poster_input> out;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const json& o = (*list)[i];
    const std::string p = where + ": " + prefix + "[" + std::to_string(i) + "]";
    if (!o.is_object()) return bad(p + ": not an object");
    auto str = [&](const char* key, std::string& v) -> std::optional<qr::error> {
      if (!o.contains(key)) return std::nullopt;
      if (!o[key].is_string()) return bad(p + "." + key + ": not a string");
      v = o[key].get<std::string>();
      return std::nullopt;
    };
    qr::poster_input d;
    std::string level = "township", village;
    const std::pair<const char*, std::string*> fields[] = {{"code", &d.deputy_code}, {"name", &d.name},
                                                             {"level", &level},      {"station", &d.station},
                                                             {"constituency", &d.constituency}, {"village", &village}};
    for (const auto& [key, v] : fields) {
      if (auto e = str(key, *v)) return *e;
    }
    if (!qr::valid_deputy_code(d.deputy_code))
      return bad(p + ".code: want 1-32 letters, digits, '-' or '_', got \"" + printable(d.deputy_code) + "\"");
    if (d.name.empty()) return bad(p + ".name: missing or empty");
    auto l = qr::parse_deputy_level(level);
    if (!l) return bad(p + ".level: want province|city|county|township, got \"" + printable(level) + "\"");
    d.level = *l;
    d.station = lookup(stations, d.station);
    if (d.constituency.empty() && !village.empty()) d.constituency = lookup(villages, village);
    auto url = qr::deputy_url(public_base_url, d.deputy_code);
    if (!url) return bad(where + ": " + url.err().message);
    d.url = std::move(*url);
    if (!seen.insert(d.deputy_code).second) return bad(p + ".code: duplicate \"" + d.deputy_code + "\"");
    out.push_back(std::move(d));
  }
  return out;
}

namespace {

struct qr_args {
  std::map<std::string, std::string> opts;
  bool all = false;
  std::string error;
};

qr_args parse_qr_args(const std::vector<std::string>& args) {
  static const std::set<std::string> known = {"config", "deputy", "out", "roster", "base-url", "ec", "scale", "depth"};
  qr_args a;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i], value;
    if (name == "--all") {
      a.all = true;
      continue;
    }
    if (name.rfind("--", 0) != 0) {
      a.error = "unexpected argument " + printable(name);
      return a;
    }
    name = name.substr(2);
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    if (!known.count(name)) {
      a.error = "unknown option --" + printable(name);
      return a;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) {
        a.error = "option --" + name + " needs a value";
        return a;
      }
      value = args[++i];
    }
    a.opts[name] = value;
  }
  return a;
}

int usage_error(const std::string& line) {
  std::fprintf(stderr, "lianxin qr: %s\n", line.c_str());
  return 2;
}

// Write-then-rename, so a poster being printed while the batch reruns is never half a file.
bool write_file(const fs::path& path, const std::string& bytes, std::string& err) {
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!f.flush()) {
      err = "cannot write " + tmp.string();
      return false;
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) err = "cannot rename " + tmp.string() + ": " + ec.message();
  return !ec;
}

}  // namespace

int cmd_qr(const std::vector<std::string>& args) {
  auto a = parse_qr_args(args);
  if (!a.error.empty()) return usage_error(a.error + "; see `lianxin help qr`");
  if (!a.opts.count("config")) return usage_error("--config FILE is required");
  if (!a.opts.count("out")) return usage_error("--out DIR is required");
  if (a.all == static_cast<bool>(a.opts.count("deputy"))) return usage_error("give exactly one of --deputy CODE or --all");

  qr::png_options png;
  qr::poster_options poster;
  if (a.opts.count("ec")) {
    auto l = qr::parse_ec_level(a.opts["ec"]);
    if (!l) return usage_error("--ec: want L, M, Q or H, got \"" + printable(a.opts["ec"]) + "\"");
    poster.level = *l;
  }
  if (a.opts.count("scale")) {
    const auto& v = a.opts["scale"];
    if (v.empty() || v.size() > 2 || v.find_first_not_of("0123456789") != std::string::npos || std::stoi(v) < 1 ||
        std::stoi(v) > 64)
      return usage_error("--scale: want 1..64 pixels per module, got \"" + printable(v) + "\"");
    png.scale = std::stoi(v);
  }
  if (a.opts.count("depth")) {
    if (a.opts["depth"] == "1") png.depth = qr::png_depth::bit1;
    else if (a.opts["depth"] == "8") png.depth = qr::png_depth::gray8;
    else return usage_error("--depth: want 1 or 8, got \"" + printable(a.opts["depth"]) + "\"");
  }

  config::config cfg;
  try {
    cfg = config::load_file(a.opts["config"]);
  } catch (const config::config_error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  const std::string base = a.opts.count("base-url") ? a.opts["base-url"] : cfg.server.public_base_url;
  if (base.empty())
    return usage_error(cfg.source_file + ": server.public_base_url is empty; set it (or pass --base-url) to the address residents' phones can reach");

  json roster_doc;
  std::string where;
  const json* section = cfg.raw.is_object() && cfg.raw.contains("roster") ? &cfg.raw["roster"] : nullptr;
  std::string roster_file = a.opts.count("roster") ? a.opts["roster"] : "";
  if (roster_file.empty() && section && section->contains("file") && (*section)["file"].is_string()) {
    // As the server reads it: roster.file is relative to the config file's folder.
    fs::path p = (*section)["file"].get<std::string>();
    if (p.is_relative()) p = fs::path(cfg.source_file).parent_path() / p;
    roster_file = p.string();
  }
  if (!roster_file.empty()) {
    where = roster_file;
    std::ifstream f(where, std::ios::binary);
    if (!f) return usage_error(where + ": cannot open");
    roster_doc = json::parse(f, nullptr, false, true);
    if (roster_doc.is_discarded()) return usage_error(where + ": not valid JSON");
  } else if (section && section->contains("deputies")) {
    roster_doc = *section;
    where = cfg.source_file + ": roster";
  } else {
    return usage_error("no deputies: pass --roster FILE or set roster.file in " + cfg.source_file);
  }
  auto all = deputies_from_json(roster_doc, base, where);
  if (!all) return usage_error(all.err().message);

  std::vector<qr::poster_input> chosen;
  if (a.all) {
    chosen = std::move(*all);
  } else {
    std::string list = a.opts["deputy"];
    for (std::size_t start = 0; start <= list.size();) {
      const auto comma = std::min(list.find(',', start), list.size());
      const std::string code = list.substr(start, comma - start);
      auto it = std::find_if(all->begin(), all->end(), [&](const auto& d) { return d.deputy_code == code; });
      if (it == all->end()) return usage_error("unknown deputy \"" + printable(code) + "\" in " + where);
      chosen.push_back(*it);
      start = comma + 1;
    }
  }
  if (chosen.empty()) return usage_error("the roster in " + where + " has no deputies");

  const fs::path out = a.opts["out"];
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) return usage_error(out.string() + ": cannot create: " + ec.message());

  const std::string issuer = cfg.tenant.name.empty() ? "" : cfg.tenant.name + "人大常委会";
  qr::progress bar(chosen.size(), "posters");
  for (auto& d : chosen) {
    d.issuer = issuer;
    // Encode once; the PNG, the SVG and the poster all draw the same matrix.
    auto m = qr::encode(d.url, {poster.level, 0});
    if (!m) return usage_error(d.deputy_code + ": " + m.err().message);
    auto p = qr::to_png(*m, png);
    auto s = qr::poster_svg(d, *m, poster);
    if (!p) return usage_error(p.err().message);
    if (!s) return usage_error(d.deputy_code + ": " + s.err().message);
    std::string err;
    if (!write_file(out / (d.deputy_code + ".png"), *p, err) || !write_file(out / (d.deputy_code + ".svg"), qr::to_svg(*m), err) ||
        !write_file(out / (d.deputy_code + "-poster.svg"), *s, err)) {
      bar.finish();
      std::fprintf(stderr, "lianxin qr: %s\n", err.c_str());
      return 1;
    }
    bar.tick();
  }
  bar.finish();
  std::fprintf(stderr, "lianxin qr: %zu deputies, %zu files in %s (%.2f s)\n", chosen.size(), chosen.size() * 3,
               out.string().c_str(), bar.seconds());
  return 0;
}

}  // namespace lianxin::cli

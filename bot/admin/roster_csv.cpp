#include "bot/admin/roster_csv.hpp"

#include "bot/admin/directory.hpp"

#include <map>
#include <set>

namespace lianxin::admin {
namespace {

using nlohmann::json;

const std::map<std::string, std::vector<std::string>, std::less<>>& columns_by_kind() {
  static const std::map<std::string, std::vector<std::string>, std::less<>> m{
      {"deputies", {"code", "name", "level", "village", "constituency", "station", "specialty_group", "contacts"}},
      {"villages", {"id", "name", "township", "station"}},
      {"stations", {"id", "name", "township", "head", "deputy_heads", "members"}},
      {"departments", {"id", "name", "handlers"}},
  };
  return m;
}

// Cells holding lists.
bool is_list(std::string_view kind, std::string_view col) {
  return (kind == "stations" && (col == "deputy_heads" || col == "members")) ||
         (kind == "deputies" && col == "contacts") || (kind == "departments" && col == "handlers");
}

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

std::vector<std::string> split_list(std::string_view in) {
  // ';' separates; the full-width '；' an IME types counts too.
  std::string s(in);
  for (std::size_t p = s.find("\xEF\xBC\x9B"); p != std::string::npos; p = s.find("\xEF\xBC\x9B", p)) {
    s.replace(p, 3, ";");
  }
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    auto end = s.find(';', start);
    if (end == std::string::npos) end = s.size();
    auto item = trim(std::string_view(s).substr(start, end - start));
    if (!item.empty()) out.push_back(item);
    start = end + 1;
  }
  return out;
}


json identities(const std::vector<std::string>& list, std::string& error) {
  json a = json::array();
  for (const auto& s : list) {
    auto colon = s.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == s.size()) {
      error = "\"" + s + "\" is not platform:id";
      return a;
    }
    a.push_back({{"platform", s.substr(0, colon)}, {"id", s.substr(colon + 1)}});
  }
  return a;
}

}  // namespace

bool csv_kind_supported(std::string_view kind) { return columns_by_kind().count(kind) > 0; }

const std::vector<std::string>& csv_columns(std::string_view kind) {
  static const std::vector<std::string> none;
  auto it = columns_by_kind().find(kind);
  return it == columns_by_kind().end() ? none : it->second;
}

bool split_csv(std::string_view text, std::vector<std::vector<std::string>>& records, std::vector<int>& lines,
               std::string& error) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  int line = 1;
  std::size_t i = 0;
  while (i < text.size()) {
    std::vector<std::string> rec;
    int start_line = line;
    std::string cell;
    bool in_quotes = false, quoted = false;
    for (;;) {
      if (i >= text.size()) {
        if (in_quotes) {
          error = "line " + std::to_string(start_line) + ": a quoted cell is never closed";
          return false;
        }
        rec.push_back(std::move(cell));
        break;
      }
      char c = text[i];
      if (in_quotes) {
        if (c == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            cell += '"';
            i += 2;
          } else {
            in_quotes = false;
            ++i;
          }
        } else {
          if (c == '\n') ++line;
          cell += c;
          ++i;
        }
        continue;
      }
      if (c == '"' && cell.empty() && !quoted) {
        in_quotes = quoted = true;
        ++i;
      } else if (c == ',') {
        rec.push_back(std::move(cell));
        cell.clear();
        quoted = false;
        ++i;
      } else if (c == '\r' || c == '\n') {
        rec.push_back(std::move(cell));
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
        ++i;
        ++line;
        break;
      } else {
        cell += c;
        ++i;
      }
    }
    bool blank = rec.size() == 1 && rec[0].empty();
    if (!blank) {
      records.push_back(std::move(rec));
      lines.push_back(start_line);
    }
  }
  return true;
}

std::string csv_cell(std::string_view s) {
  std::string v(s);
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) v.insert(v.begin(), '\'');
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

csv_parse parse_roster_csv(std::string_view kind, std::string_view text) {
  csv_parse out;
  const auto& cols = csv_columns(kind);
  std::vector<std::vector<std::string>> recs;
  std::vector<int> lines;
  std::string error;
  if (!split_csv(text, recs, lines, error)) {
    out.errors.push_back({0, "", error});
    return out;
  }
  if (recs.empty()) {
    out.errors.push_back({1, "", "empty file: the first line must name the columns"});
    return out;
  }
  // Header: known columns in any order; the id column is required.
  std::vector<int> col_of(cols.size(), -1);
  const auto& header = recs[0];
  for (std::size_t c = 0; c < header.size(); ++c) {
    auto name = trim(header[c]);
    bool found = false;
    for (std::size_t k = 0; k < cols.size(); ++k) {
      if (cols[k] == name) {
        if (col_of[k] >= 0) out.errors.push_back({lines[0], name, "column named twice"});
        col_of[k] = static_cast<int>(c);
        found = true;
      }
    }
    if (!found) out.errors.push_back({lines[0], name, "unknown column (expected " + [&] {
                                                       std::string s;
                                                       for (const auto& x : cols) s += (s.empty() ? "" : ",") + x;
                                                       return s;
                                                     }() + ")"});
  }
  if (col_of[0] < 0) out.errors.push_back({lines[0], cols[0], "missing column"});
  if (col_of[1] < 0) out.errors.push_back({lines[0], cols[1], "missing column"});
  if (!out.errors.empty()) return out;

  std::set<std::string> seen;
  for (std::size_t r = 1; r < recs.size(); ++r) {
    const auto& rec = recs[r];
    const int line = lines[r];
    if (rec.size() > header.size()) {
      out.errors.push_back({line, "", "has " + std::to_string(rec.size()) + " cells, the header has " +
                                          std::to_string(header.size())});
      continue;
    }
    auto cell = [&](std::size_t k) -> std::string {
      int c = col_of[k];
      if (c < 0 || static_cast<std::size_t>(c) >= rec.size()) return {};
      auto v = trim(rec[static_cast<std::size_t>(c)]);
      if (v.size() > 1 && v[0] == '\'' && (v[1] == '=' || v[1] == '+' || v[1] == '-' || v[1] == '@')) v.erase(0, 1);
      return v;
    };
    json item = json::object();
    bool bad = false;
    for (std::size_t k = 0; k < cols.size(); ++k) {
      if (col_of[k] < 0) continue;
      const auto& col = cols[k];
      auto v = cell(k);
      if (k == 0) {
        if (v.empty()) {
          out.errors.push_back({line, col, "required"});
          bad = true;
          continue;
        }
        if (!valid_item_id(v)) {
          out.errors.push_back({line, col, "\"" + v + "\": use letters, digits, '-', '_' or '.' (at most 64)"});
          bad = true;
          continue;
        }
        if (!seen.insert(v).second) {
          out.errors.push_back({line, col, "\"" + v + "\" appears twice in the file"});
          bad = true;
          continue;
        }
      }
      if (k == 1 && v.empty()) {
        out.errors.push_back({line, col, "required"});
        bad = true;
        continue;
      }
      if (kind == "deputies" && col == "level" && !v.empty() && v != "province" && v != "city" && v != "county" &&
          v != "township") {
        out.errors.push_back({line, col, "\"" + v + "\": must be province, city, county or township"});
        bad = true;
        continue;
      }
      if (!is_list(kind, col)) {
        item[col] = v;
        continue;
      }
      auto list = split_list(v);
      if (kind == "deputies") {
        json contacts = json::object();
        for (const auto& s : list) {
          auto colon = s.find(':');
          if (colon == std::string::npos || colon == 0 || colon + 1 == s.size()) {
            out.errors.push_back({line, col, "\"" + s + "\" is not platform:id"});
            bad = true;
            break;
          }
          contacts[s.substr(0, colon)] = s.substr(colon + 1);
        }
        item[col] = contacts;
      } else if (kind == "departments") {
        std::string err;
        item[col] = identities(list, err);
        if (!err.empty()) {
          out.errors.push_back({line, col, err});
          bad = true;
        }
      } else {
        item[col] = list;
      }
    }
    if (kind == "deputies" && (!item.contains("level") || item["level"] == "")) item["level"] = "township";
    if (!bad) {
      out.items.push_back(std::move(item));
      out.lines.push_back(line);
    }
  }
  return out;
}

std::string roster_csv(std::string_view kind, const json& items) {
  const auto& cols = csv_columns(kind);
  std::string out = "\xEF\xBB\xBF";
  for (std::size_t k = 0; k < cols.size(); ++k) out += (k ? "," : "") + cols[k];
  out += "\r\n";
  for (const auto& item : items) {
    for (std::size_t k = 0; k < cols.size(); ++k) {
      if (k) out += ',';
      const auto& col = cols[k];
      auto it = item.find(col);
      std::string v;
      if (it != item.end()) {
        if (it->is_string()) {
          v = it->get<std::string>();
        } else if (it->is_array()) {
          for (const auto& e : *it) {
            if (!v.empty()) v += ';';
            v += e.is_object() ? e.value("platform", "") + ":" + e.value("id", "")
                               : e.is_string() ? e.get<std::string>() : e.dump();
          }
        } else if (it->is_object()) {
          for (const auto& [p, id] : it->items()) {
            if (!v.empty()) v += ';';
            v += p + ":" + (id.is_string() ? id.get<std::string>() : id.dump());
          }
        }
      }
      out += csv_cell(v);
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace lianxin::admin

#pragma once
// CSV import and export of the roster's tables a clerk keeps in a spreadsheet: deputies,
// villages, stations, departments. The first line names the columns (any order; the
// columns below, in English); UTF-8 with or without a BOM; CRLF or LF; RFC 4180 quoting.
// Lists inside a cell are separated by ';' ("D0001;D0002"), chat identities are
// "platform:id" ("wecom:zhangwei;onebot:12345").
//
//   deputies     code,name,level,village,constituency,station,specialty_group,contacts
//   villages     id,name,township,station
//   stations     id,name,township,head,deputy_heads,members
//   departments  id,name,handlers
//
// Export writes a BOM (so Excel/WPS read UTF-8) and guards cells a spreadsheet would run as
// a formula (=, +, -, @ first) with a leading apostrophe; import strips that guard again.
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace lianxin::admin {

bool csv_kind_supported(std::string_view kind);
const std::vector<std::string>& csv_columns(std::string_view kind);

struct csv_row_error {
  int line = 0;  // 1-based physical line where the record starts (the header is line 1)
  std::string field;
  std::string message;
};

struct csv_parse {
  std::vector<nlohmann::json> items;  // in file order, in the roster's JSON shape
  std::vector<int> lines;             // the line of each item
  std::vector<csv_row_error> errors;  // every bad row, not just the first
};

// Parses and checks each row on its own (columns, required cells, formats, duplicates in
// the file); references to other items are checked later against the whole roster.
csv_parse parse_roster_csv(std::string_view kind, std::string_view text);

std::string roster_csv(std::string_view kind, const nlohmann::json& items);

// Low-level: records of a CSV text with the line each starts on; false + message on a
// broken quote.
bool split_csv(std::string_view text, std::vector<std::vector<std::string>>& records, std::vector<int>& lines,
               std::string& error);
std::string csv_cell(std::string_view s);

}  // namespace lianxin::admin

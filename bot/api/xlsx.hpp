#pragma once
// A one-sheet Excel workbook from rows of text (the first row is the header), through
// libxlsxwriter: writing valid OOXML (a zip of XML parts with their relationships) by hand
// would be more code and more ways to produce a file Excel or WPS refuses.
#include <optional>
#include <string>
#include <vector>

namespace lianxin::api {

// The .xlsx bytes, or nullopt with `error` set. Cells are written as strings (never formulas).
// libxlsxwriter 1.1.4 writes only to files: the workbook goes through a private temporary file
// under $TMPDIR (or /tmp) that is removed before returning.
std::optional<std::string> xlsx_workbook(const std::string& sheet_name, const std::vector<std::vector<std::string>>& rows,
                                         const std::vector<double>& column_widths, std::string& error);

}  // namespace lianxin::api

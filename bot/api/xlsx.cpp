#include "bot/api/xlsx.hpp"

#include <xlsxwriter.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace lianxin::api {

std::optional<std::string> xlsx_workbook(const std::string& sheet_name, const std::vector<std::vector<std::string>>& rows,
                                         const std::vector<double>& column_widths, std::string& error) {
  const char* dir = std::getenv("TMPDIR");
  std::string path = std::string(dir && *dir ? dir : "/tmp") + "/lianxin-ledger-XXXXXX.xlsx";
  int fd = ::mkstemps(path.data(), 5);
  if (fd < 0) {
    error = "cannot create a temporary file in " + path.substr(0, path.rfind('/'));
    return std::nullopt;
  }
  ::close(fd);
  struct remove_file {
    std::string p;
    ~remove_file() { ::unlink(p.c_str()); }
  } cleanup{path};

  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) {
    error = "libxlsxwriter could not start a workbook";
    return std::nullopt;
  }
  lxw_worksheet* ws = workbook_add_worksheet(wb, sheet_name.c_str());
  lxw_format* head = workbook_add_format(wb);
  format_set_bold(head);
  format_set_bg_color(head, 0xDDEBF7);
  format_set_border(head, LXW_BORDER_THIN);
  lxw_format* cell = workbook_add_format(wb);
  format_set_text_wrap(cell);
  format_set_align(cell, LXW_ALIGN_VERTICAL_TOP);
  for (std::size_t c = 0; c < column_widths.size(); ++c) {
    worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), column_widths[c], nullptr);
  }
  lxw_error err = LXW_NO_ERROR;
  for (std::size_t r = 0; r < rows.size() && err == LXW_NO_ERROR; ++r) {
    for (std::size_t c = 0; c < rows[r].size() && err == LXW_NO_ERROR; ++c) {
      if (rows[r][c].empty()) continue;
      err = worksheet_write_string(ws, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c), rows[r][c].c_str(),
                                   r == 0 ? head : cell);
    }
  }
  if (!rows.empty()) {
    worksheet_freeze_panes(ws, 1, 0);
    if (!rows[0].empty()) {
      worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(rows.size() - 1), static_cast<lxw_col_t>(rows[0].size() - 1));
    }
  }
  lxw_error closed = workbook_close(wb);
  if (err != LXW_NO_ERROR || closed != LXW_NO_ERROR) {
    error = std::string("libxlsxwriter: ") + lxw_strerror(err != LXW_NO_ERROR ? err : closed);
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  if (!in.good() && !in.eof()) {
    error = "cannot read back the workbook";
    return std::nullopt;
  }
  return ss.str();
}

}  // namespace lianxin::api

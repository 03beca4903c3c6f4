#pragma once
// What leaves Lianxin as files: the case ledger (台账) a clerk opens in Excel or WPS, as CSV
// (the xlsx writer in the shell takes the same rows), and Open311 GeoReport v2 `requests`
// for hotline systems. Pure: the shell loads the cases and the labels, this shapes them.
// No resident's personal data: the text is masked (privacy::mask_pii) and no reporter,
// follower or contact is ever written.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "workflow/case.hpp"
#include "workflow/roster.hpp"

namespace lianxin::workflow::exports {

// "2026-11-28T09:15:00+08:00" for a unix time at a UTC offset (seconds); "" for 0.
std::string iso_datetime(std::int64_t unix_seconds, std::int64_t utc_offset_seconds);
// "2026-11-28 09:15" local, as a ledger cell; "" for 0.
std::string local_datetime(std::int64_t unix_seconds, std::int64_t utc_offset_seconds);
// Parses an ISO 8601 date ("2026-11-28", local midnight) or date-time with seconds and an
// offset or Z ("2026-11-28T09:15:00+08:00", "2026-11-28T01:15:00Z"). nullopt when malformed.
std::optional<std::int64_t> parse_iso_datetime(std::string_view s, std::int64_t utc_offset_seconds);

// Labels the ledger needs from the message catalogue: "status.<state>", "rating.<rating>".
using label_fn = std::function<std::string(const std::string& key)>;

struct ledger_options {
  std::int64_t now = 0;
  std::int64_t utc_offset_seconds = 8 * 3600;
  std::size_t summary_chars = 100;  // 内容摘要: the masked text, cut to this many characters
};

// 编号, 提出时间, 村, 乡镇, 类别, 内容摘要, 代表, 承办部门, 状态, 交办时间, 办理时限, 答复时间, 是否超期, 评价
std::vector<std::string> ledger_header();
std::vector<std::string> ledger_row(const case_record& c, const roster& r, const label_fn& label,
                                    const ledger_options& o);

// One CSV cell: quoted when it holds a comma, quote, CR or LF; a cell starting with = + - @
// (or a tab / CR) gets a leading ' so a spreadsheet never runs it as a formula.
std::string csv_cell(std::string_view value);
// Neutralises spreadsheet formulas (the ' prefix) without CSV quoting; the xlsx cells use it.
std::string formula_safe(std::string_view value);
// UTF-8 BOM (so Excel picks UTF-8), CRLF line ends.
std::string to_csv(const std::vector<std::vector<std::string>>& rows);

// Cuts UTF-8 text to at most `chars` code points, adding "…" when something was cut.
std::string cut_chars(std::string_view text, std::size_t chars);

// One GeoReport v2 service request.
nlohmann::json open311_request(const case_record& c, const roster& r, const label_fn& label,
                               std::int64_t utc_offset_seconds);

}  // namespace lianxin::workflow::exports

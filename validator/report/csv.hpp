#pragma once
// A flat table of results for pandas.read_csv (`wslcuda export REPORT… --csv PATH`): one line
// per result, or one per execution when a result has several, with the report's context (GPU,
// driver, host, date) on every line. RFC 4180 quoting, a header line, units in column names.

#include <string>
#include <vector>

#include "model/report_json.hpp"

namespace wslcuda {

/// One report and how to name it in the `report` column.
struct csv_source {
  const run_report* report = nullptr;
  std::string name;  ///< e.g. the file name
};

/// The column names, in order. Shape extents follow as `shape.<name>` columns, one per extent
/// name found in any row (sorted), after the fixed columns.
std::vector<std::string> csv_fixed_columns();

/// Lines a result contributes: its executions when it has two or more, else 1.
std::size_t csv_lines_for(const result_row& row);

/// The whole CSV document (header + lines, "\n" line ends).
std::string csv_table(const std::vector<csv_source>& reports);

/// `text` as one RFC 4180 field, valid UTF-8 with no control but newline and tab (terminal_safe:
/// invalid bytes, NUL, ESC, DEL and C1 controls as `\xNN`), quoted when it holds a comma, a quote
/// or a line break.
std::string csv_field(const std::string& text);

/// The driver and host a report ran on, in words (shared by the CSV and the HTML).
std::string report_driver(const run_report& report);
std::string report_host(const run_report& report);

}  // namespace wslcuda

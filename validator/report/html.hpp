#pragma once
// A self-contained HTML report (`run --html PATH`, `wslcuda html REPORT… --out PATH`): the
// verdict and what it rests on, the doctor's checks, and per family tables sorted worst first
// with charts (fraction of peak, ratio to the baseline with its interval and threshold,
// bandwidth against size, latency CDFs, NCCL busbw against size). With several reports, a trend
// view per workload, one panel per GPU model. Charts are drawn by Chart.js inlined into the file
// (no network at view time); without it the file has the tables only and says so.

#include <string>
#include <vector>

#include "model/report_json.hpp"

namespace wslcuda {

/// One report to render and how to name it.
struct html_source {
  const run_report* report = nullptr;
  std::string name;          ///< e.g. the file name; "" for the run in memory
  std::string tool_version;  ///< wslcuda version that wrote it
};

struct html_options {
  /// The Chart.js library text inlined into the page; "" renders tables only.
  std::string chart_js = chart_js_library();
  std::string title;  ///< "" = derived from the GPU and the date

  /// Chart.js as built in (cmake/embed_chartjs.cmake, from Debian's libjs-chart.js), else read
  /// from /usr/share/javascript/chart.js/chart.min.js at run time, else "".
  static std::string chart_js_library();
};

/// A self-contained page as every HTML writer builds it (the reports here, the change report of
/// report/changes_report.hpp): HTML sections appended to html(), charts as JSON specs for the
/// renderer inlined by finish() (kinds "hbar", "ratio", "xy", "trend"; see html.cpp), Chart.js
/// inlined when `options` has it, a strict Content-Security-Policy (nothing is fetched).
class html_page {
 public:
  explicit html_page(const html_options& options) : options_(options) {}

  /// The body so far, to append HTML to.
  std::string& html() { return body_; }

  /// Appends a canvas for `spec` (given an id here) `height` CSS pixels tall; nothing when the
  /// page has no Chart.js (the tables hold every number).
  void chart(json spec, int height);

  /// The whole document titled `title`.
  std::string finish(const std::string& title) const;

 private:
  const html_options& options_;
  std::string body_;
  std::vector<json> charts_;
};

/// The page for one report.
std::string html_report(const html_source& report, const html_options& options = {});

/// The page for several reports, in the order given: a trend view per GPU model (which row
/// moved, and between which reports), then the last report in full. One report: html_report.
std::string html_reports(const std::vector<html_source>& reports, const html_options& options = {});

/// `text` with &, <, >, " and ' escaped for HTML text and attribute values, and its control
/// bytes (but tab and newline) and invalid UTF-8 as visible `\xNN` (model/printable.hpp
/// terminal_safe).
std::string html_escape(const std::string& text);

/// Rank of a status for "worst first" ordering: fail 0, error 1, warn 2, skip 3, pass 4.
int worst_first_rank(status s) noexcept;

/// Rows in the order the HTML tables show them: worst status first, then lowest baseline
/// ratio, then lowest fraction of peak, then id.
std::vector<const result_row*> rows_worst_first(const std::vector<const result_row*>& rows);

}  // namespace wslcuda

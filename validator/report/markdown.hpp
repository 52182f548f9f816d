#pragma once
// A Markdown summary for $GITHUB_STEP_SUMMARY and for humans: the verdict first, then what
// failed with its remedy, then a table per family with the ratio to the baseline.

#include <string>

#include "model/report_json.hpp"

namespace wslcuda {

/// The Markdown summary of a run (or doctor) report.
std::string markdown_summary(const run_report& report);

/// Escapes characters that would break a Markdown table cell (|, newlines).
std::string markdown_cell(const std::string& text);

}  // namespace wslcuda

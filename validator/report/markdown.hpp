#pragma once
// A Markdown summary for $GITHUB_STEP_SUMMARY and for humans: the verdict first, then what
// failed with its remedy, then a table per family with the ratio to the baseline.

#include <string>

#include "model/report_json.hpp"

namespace wslcuda {

/// The Markdown summary of a run (or doctor) report.
std::string markdown_summary(const run_report& report);

/// `text` (from a report or a store: anything) as plain text in a Markdown line or table cell
/// (GitHub Flavored Markdown, https://github.github.com/gfm/): `|` escaped, line breaks as
/// spaces, `<`, `>` and `&` as entities (no HTML gets through), a backtick escaped (it cannot
/// open a code span), other control bytes and invalid UTF-8 as \xNN.
std::string markdown_cell(const std::string& text);

/// `text` as a Markdown code span that it cannot leave: a fence of one more backtick than the
/// longest run inside it (GFM 6.1), padded with a space where it starts or ends with a
/// backtick; `|` escaped for table cells, line breaks as spaces, control bytes as \xNN.
std::string markdown_code(const std::string& text);

}  // namespace wslcuda

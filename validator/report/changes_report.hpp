#pragma once
// The driver-release report (`wslcuda history changes`, issue 24; docs/change-points.md, "The
// driver-release report") and the WSL-against-bare-metal view (`wslcuda history platforms`):
// rendered as text, JSON, Markdown (a GitHub job summary or a release note) and HTML (each
// changed row's series with the change marked, drawn by the HTML report's charting) from the
// values history/change_store.hpp and history/platforms.hpp return. Built into wslcuda_history
// (it includes history/ headers), floor 5 by its folder.

#include <cstddef>
#include <string>
#include <vector>

#include "history/change_store.hpp"
#include "history/platforms.hpp"
#include "model/report_json.hpp"
#include "report/html.hpp"

namespace wslcuda {

/// What `history changes` was asked for: every filter that is empty keeps everything.
struct changes_filter {
  std::string driver;    ///< only changes at this driver version (compare_driver_versions)
  std::string since;     ///< only changes at this driver version or newer
  std::string gpu;       ///< GPU model glob, case-insensitive (applied by the analysis)
  std::string platform;  ///< "wsl" or "linux" (applied by the analysis)
  std::string state;     ///< only changes in this state (as history::to_string writes it)
};

/// The report's content: the changes kept, in the order shown, and what the analysis covered.
struct changes_view {
  changes_filter filter;
  std::string store;  ///< the store, described (history::describe)
  std::vector<history::change_record> changes;
  std::vector<history::instability_record> instabilities;  ///< kept by the same driver filters
  std::size_t series = 0, scopes = 0, analysed = 0;
  std::size_t too_few = 0;  ///< scopes with 1 to 4 points: no detection
  std::string not_stored;   ///< why the analysis could not be stored ("" when it was)
  /// Where the HTML report is (a path relative to the Markdown, or ""): Markdown rows link to
  /// their series there.
  std::string html_link;
};

/// The changes and instabilities of `analysis` that `filter`'s driver and state filters keep,
/// in report order: driver newest first, then GPU model, platform, across-machines scope before
/// machines, regressions first, largest magnitude first. `analysis.changes` are the ones found
/// now (a stored change point the latest analysis no longer finds is not shown).
changes_view select_changes(const history::change_analysis& analysis, const changes_filter& filter);

/// How many of `view`'s changes are `new` regressions (confirmed, not triaged) at `driver`:
/// `history changes --driver X` exits 1 when there is one.
std::size_t new_regressions_at(const changes_view& view, const std::string& driver);

/// The HTML anchor of a change's series: "cp-" and the first 12 hex digits of its key.
std::string change_anchor(const history::change_record& change);

/// The JSON document (schema "wslcuda-changes/1"; docs/change-points.md lists its fields).
json changes_json(const changes_view& view);

/// GitHub-flavoured Markdown: a heading, a sentence of counts, one table row per change.
std::string changes_markdown(const changes_view& view);

/// Plain text for the terminal: per driver, GPU model and platform, one line per change (text
/// from the store made terminal-safe).
std::string changes_text(const changes_view& view);

/// One self-contained HTML page: the table, then per change its series as a chart with the
/// change marked (the segment means either side and a line at the change) and as a table whose
/// first row after the change is marked (class "change-marker").
std::string changes_html(const changes_view& view, const html_options& options = {});

/// `history platforms --json`: an array of pairs, each with its rows.
json platforms_json(const std::vector<history::platform_pair>& pairs);

/// `history platforms --csv`: one line per row (header first).
std::string platforms_csv(const std::vector<history::platform_pair>& pairs);

/// `history platforms`: per pair a heading and a table (text made terminal-safe).
std::string platforms_text(const std::vector<history::platform_pair>& pairs);

}  // namespace wslcuda

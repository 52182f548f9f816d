#pragma once
// Using a comparison: attaching it to a run's results, choosing a bundled baseline, and writing
// comparisons for `wslcuda compare`.

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "baseline/compare.hpp"
#include "report/json_report.hpp"

namespace wslcuda {

/// Semantic version of the comparison document written by `wslcuda compare --json`.
inline constexpr const char* kComparisonSchemaVersion = "1.0.0";

/// Sets each result's `baseline` block from `comparison`, and folds the gate into its status:
/// a gate `fail` makes a passing result `fail`, a gate `warn` makes it `warn`; the message says
/// why. Results without a baseline entry get a `skip` block saying so.
void attach_comparison(std::vector<result_row>& results, const document_comparison& comparison,
                       const std::string& baseline_source);

/// Marks every result as having no baseline, with `why` (e.g. "no matching baseline (closest: …)").
void attach_no_baseline(std::vector<result_row>& results, const std::string& why);

/// The baseline among the *.json files of `dirs` for the GPU in `context`. Unreadable files are
/// skipped (with their error in `notes`). When none matches, `why_not` says "no matching
/// baseline" and names the closest one (same compute capability first).
std::optional<comparable_document> find_bundled_baseline(
    const std::vector<std::filesystem::path>& dirs, const comparable_context& context,
    std::string& why_not, std::vector<std::string>& notes);

/// The comparison document (reports/schema/comparison.schema.json).
json comparison_to_json(const document_comparison& c, const comparable_document& baseline,
                        const comparable_document& candidate, const gate_policy& policy,
                        int exit_code);
/// Markdown: verdict first, then failures, then a table per family.
std::string comparison_markdown(const document_comparison& c, const comparable_document& baseline,
                                const comparable_document& candidate, const gate_policy& policy);
/// The table on stdout.
void print_comparison(std::ostream& os, const document_comparison& c,
                      const comparable_document& baseline, const comparable_document& candidate);

}  // namespace wslcuda

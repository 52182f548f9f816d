#pragma once
// Using a comparison: attaching it to a run's results, choosing a bundled baseline, and writing
// comparisons for `wslcuda compare`.

#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "baseline/compare.hpp"
#include "report/json_report.hpp"

namespace wslcuda {

/// Semantic version of the comparison document written by `wslcuda compare --json`.
/// 1.1.0: rows carry bound, gated, why_not_gated, noise, threshold and executions; the
/// document carries gated, gated_pass and evidence; p_value is gone.
inline constexpr const char* kComparisonSchemaVersion = "1.1.0";

/// Sets each result's `baseline` block from `comparison`, and folds the gate into its status:
/// a gate `fail` makes a passing result `fail`, a gate `warn` makes it `warn`; the message says
/// why. Results without a baseline entry get a `skip` block saying so.
void attach_comparison(std::vector<result_row>& results, const document_comparison& comparison,
                       const std::string& baseline_source);

/// Gates a run in memory (no JSON round trip): merges `executions` (every execution's row, in
/// order) into report.results with merge_by_id, compares device `device` of the report with
/// `baseline`, and folds the verdicts into the results (attach_comparison). Then, while a gated
/// row fails or warns and fewer than `confirm` confirmation rounds have run, measures those rows
/// again through `rerun` (given their ids, it returns one fresh execution of each; they are
/// appended to `executions`) and judges again on all executions: a transient dip does not fail
/// a release, a persistent slowdown does (Chromium Pinpoint adds attempts while the answer is
/// unclear). `rounds`, when given, receives the number of confirmation rounds run. Returns the
/// final comparison; a baseline for another GPU model gives every row a `skip` block saying so.
document_comparison gate_report(
    run_report& report, std::vector<result_row>& executions, int device,
    const comparable_document& baseline, const gate_policy& policy, int confirm,
    const std::function<std::vector<result_row>(const std::vector<std::string>&)>& rerun,
    int* rounds = nullptr);

/// Undoes what an earlier gate folded into `row` (attach_comparison, apply_floors): the
/// "; baseline: …" and "; floor: …" parts of the message go, and a status they turned into warn
/// or fail is pass again; the baseline and floor blocks are dropped. `wslcuda gate` starts from
/// the measurement's own verdict this way.
void clear_gate(result_row& row);

/// Marks every result as having no baseline, with `why` (e.g. "no matching baseline (closest: …)").
void attach_no_baseline(std::vector<result_row>& results, const std::string& why);

/// Every baseline file among the *.json files of `dirs`, in folder order and by name within a
/// folder. Unreadable files are skipped, with their error in `notes`.
std::vector<comparable_document> load_bundled_baselines(
    const std::vector<std::filesystem::path>& dirs, std::vector<std::string>& notes);

/// Of `bundled`, the baseline for the GPU of `candidate`: of those for its model, the one that
/// shares the most ids with it (a --quick run and a full run have baselines of their own). When
/// none matches, `why_not` says "no matching baseline" and names the closest one (same compute
/// capability first).
std::optional<comparable_document> find_bundled_baseline(
    const std::vector<comparable_document>& bundled, const comparable_document& candidate,
    std::string& why_not);

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

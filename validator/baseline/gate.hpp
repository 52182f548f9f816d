#pragma once
// Gating a run in memory: attaching a comparison to its results, with confirmation runs.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "baseline/compare.hpp"
#include "model/run_report.hpp"

namespace wslcuda {

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

}  // namespace wslcuda

#pragma once
// One validation of a report's results[], made by the report reader (model/report_json.cpp,
// report_from_json) and so by every command that reads a report: `gate` (with any baseline),
// `compare`, `baseline capture`, `run --baseline REPORT`, `html`, `export`. It refuses what a
// wslcuda run cannot have written: disordered or non-positive times, counts that disagree, a
// passing row whose error is above its bound, timings on a skipped row, a throughput that is
// not its work over its median, a fraction of peak above 100 % on a row not marked error, and
// duplicate row ids.

#include <string>
#include <vector>

#include "model/run_report.hpp"

namespace wslcuda {

/// Relative tolerance of the checks that compare a figure with the one derived from others
/// (throughput = work / median_s, fraction_of_peak = value / peak, median_s, min_s, max_s and the
/// executions' statistics against values_s) and of the fraction-of-peak limit (≤ 1 + this).
/// Every committed report written by wslcuda (reports/examples, tests/fixtures/golden) agrees
/// to 4e-16; 1 % leaves room for a report whose numbers another tool rounded to 3 significant
/// digits (at most 0.5 % off) and still refuses times scaled by 1000 with the throughput kept.
inline constexpr double kReportRelativeTolerance = 0.01;

/// Slack of the order checks (min ≤ mean ≤ max, median ≤ p90 ≤ p99 ≤ max, ci95 around the
/// median): a mean summed in floating point may pass the largest sample by an ulp when every
/// sample is equal. Relative; far below any real disorder.
inline constexpr double kReportOrderSlack = 1e-9;

/// Checks every row of `report` (as report_from_json read it from `source`; rows in file
/// order, so results[i] is /results/i). Throws input_error "SOURCE: /results/I/POINTER: RULE
/// (got …)" for the first violation:
/// - ids: no two rows share an id.
/// - skip rows carry no timing and no throughput.
/// - timing: samples ≥ 1; every time (values_s, median, mean, min, max, p90, p99 when given,
///   ci95) finite and > 0; min ≤ mean ≤ max, min ≤ median ≤ p90 ≤ p99 ≤ max, ci95 low ≤ median ≤
///   high within [min, max]; stdev_rel finite and ≥ 0; batch ≥ 1; warm-up runs ≥ 0; values_s
///   either empty (samples not kept: the run store's form, history/record.cpp) or `samples`
///   values whose min, max and median are min_s, max_s and median_s.
/// - executions: each has positive, ordered min ≤ median ≤ max equal to its slice of values_s.
/// - correctness: value, bound ≥ 0; counts ≥ 0 and out_of_bound + non_finite ≤ compared when
///   compared is given; a pass or warn row has a finite value ≤ its bound and no out-of-bound
///   or non-finite elements.
/// - throughput needs timing; value finite and > 0; unit FLOP/s or B/s; value × median_s equal
///   to the row's flops (FLOP/s) or bytes (B/s) per run when the row gives them (values_s and
///   median_s are per run: the batch is already divided out); peak > 0; fraction_of_peak ≥ 0,
///   equal to value / peak, and ≤ 1 + tolerance unless the row's status is error (the runner's
///   verdict on a figure above the peak).
/// - baseline: ratio and value > 0 when given; ci95 not reversed.
void validate_report_rows(const run_report& report, const std::string& source);

/// The distinct GPU names (devices[].name) that the timed rows ran on, in first-row order; a row
/// whose device index is not in devices[] contributes nothing. `baseline capture` refuses a report
/// with two or more: a baseline is one GPU model.
std::vector<std::string> gpu_models_of_rows(const run_report& report);

}  // namespace wslcuda

#pragma once
// Rows measured in several executions (`run --repeat R`, confirmation runs) and what bounds a
// row's time. CUDA-free.

#include <string>
#include <utility>
#include <vector>

#include "measure/statistics.hpp"
#include "model/result.hpp"
#include "model/run_report.hpp"

namespace wslcuda {

/// Per-run time below which a device-timed row measured as a batch of back-to-back launches is
/// bound by the host's submission rate rather than by the GPU: 20 µs. On the H200 reports of
/// 2026-11-30 one launch costs 3.4 µs (latency.launch, median) and one launch + synchronise
/// 13 µs (latency.launch_sync); rows whose kernels take less than about twice that moved by
/// 20–55 % between two identical machines while longer kernels stayed within 2 %
/// (../shared/h200-2026-11-30/README.md).
inline constexpr double kHostBoundBatchedBelowS = 20e-6;

/// What bounds a row measured now, decided from values the runner holds (never from text):
///  - host: timed on the host clock (`host_clock`), or a batch of `batch` > 1 launches submitted
///    one by one (not `replayed` as one CUDA graph) whose per-run `median_s` is under
///    kHostBoundBatchedBelowS;
///  - else what the workload declares (workload_info::bound): `link` for copies over the host
///    link, `device` for the rest.
/// Returns the bound and its reason in words (report field bound_reason).
std::pair<bound_kind, std::string> measured_bound(bound_kind declared, bool host_clock, int batch,
                                                  bool replayed, double median_s);

/// The reader's fallback for rows of reports older than schema 1.2, which had no `bound`: sets
/// `row.bound` and `row.bound_reason` from what the row's text says about its timing, with the
/// sentences of measured_bound:
///  - host: a host-clock timing (timing.mode starts with "host" or names "host steady_clock"),
///    or a device timing of a batch of back-to-back launches (batch > 1, not replayed as one
///    CUDA graph: timing.mode then says "no host submission") whose per-run median is under
///    kHostBoundBatchedBelowS;
///  - link: a pinned host↔device or peer copy (family transfer with h2d/d2h/bidir in the id and
///    "pinned", or family p2p);
///  - device: everything else.
/// Rows without timing are `device` with an empty reason. New rows never use it: the runner
/// decides with measured_bound.
void classify_bound(result_row& row);

/// Sets the summary statistics of `t` (samples, median, mean, min, max, p90, p99, stdev_rel,
/// CI of the median) from `s`; the other fields are left as they are.
void set_summary(timing_block& t, const sample_summary& s);

/// `row.executions`, or for a row read from a 1.1 report (timing, no executions) one execution
/// covering every sample. Empty without timing.
std::vector<execution_stats> executions_of(const result_row& row);

/// The samples of execution `e` of `row` (a slice of timing.values_s; empty when out of range).
std::vector<double> execution_samples(const result_row& row, const execution_stats& e);

/// One row from the rows of one id measured in separate executions, in execution order:
///  - status: the worst (aggregate()); message: the first non-pass row's, else the first's, with
///    "(N executions)" appended when N > 1;
///  - timing: every execution's samples concatenated, summary statistics over them, and one
///    `executions` entry per execution that has timing;
///  - throughput rescaled to the pooled median (value = work / median); correctness, metrics and
///    clocks of the first execution; phases summed over the executions; bound: the most
///    host-dependent of the executions' own bounds (with its reason and timing mode);
///  - error: the first non-pass row's while the merged status is error (aggregate() never gives
///    error, so a row of several executions carries none).
/// Throws std::invalid_argument when `rows` is empty or the ids differ.
result_row merge_executions(const std::vector<result_row>& rows);

/// Merges rows with equal ids (merge_executions), keeping the order of first appearance.
std::vector<result_row> merge_by_id(const std::vector<result_row>& rows);

/// The device record of `report` with CUDA ordinal `index`, or nullptr.
const device_record* find_device(const run_report& report, int index) noexcept;

/// The row's derived figure `name` (e.g. "busbw_bytes_per_s"), or nullopt when it has none.
std::optional<double> metric_of(const result_row& row, const std::string& name);

/// The row's central time in seconds: the median over executions of each execution's median (the
/// gate's statistic) when it has two or more, else the pooled median; nullopt without timing.
std::optional<double> central_seconds(const result_row& row);

}  // namespace wslcuda

#pragma once
// One row of the report's results[] (reports/schema/report.schema.json; README, "Reading reports
// in pandas"), flat enough for pandas.json_normalize.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/reason.hpp"
#include "model/row_error.hpp"
#include "model/status.hpp"

namespace wslcuda {

struct correctness_block {
  std::string metric;
  double value = 0.0;
  double bound = 0.0;
  std::string method;
  std::uint64_t seed = 0;
  std::int64_t compared = 0;
  std::int64_t out_of_bound = 0;
  std::int64_t non_finite = 0;
};

/// How a row's samples were taken, as a code (the prose is timing_block::mode): on the host's
/// steady clock around one operation; with CUDA events around one run or a plain batch of
/// back-to-back runs; or with CUDA events around a batch replayed as one CUDA graph (no host
/// submission inside the interval). Two rows timed by different methods are not compared as
/// equals (a replayed batch hides the submission cost a plain batch includes).
enum class timing_method { host_clock, cuda_events, cuda_graph };

/// "host_clock", "cuda_events" or "cuda_graph".
const char* to_string(timing_method m) noexcept;
/// Inverse of to_string(timing_method); nullopt for anything else.
std::optional<timing_method> timing_method_from_string(std::string_view text) noexcept;

struct timing_block {
  std::string mode;  ///< clock and what one sample covers, in words
  timing_method method = timing_method::cuda_events;
  std::size_t samples = 0;
  int batch = 1;  ///< back-to-back runs per sample; values are per run
  int warmup_runs = 0;
  double median_s = 0, mean_s = 0, min_s = 0, max_s = 0, stdev_rel = 0;
  double p90_s = 0, p99_s = 0;          ///< percentiles (NumPy's linear rule); median_s is the p50
  double ci95_lo_s = 0, ci95_hi_s = 0;  ///< distribution-free 95 % CI of the median
  std::string stop_reason;
  std::vector<double> values_s;  ///< every sample, seconds per run, in the order taken
};

/// One execution of a row: one fresh worker process (`run --repeat R` gives R of them). Its
/// samples are the slice [first_sample, first_sample + samples) of timing.values_s, which holds
/// every execution's samples in execution order.
struct execution_stats {
  std::size_t first_sample = 0;
  std::size_t samples = 0;
  double median_s = 0, min_s = 0, max_s = 0, stdev_rel = 0;
};

/// What bounds a row's time, and so against which baseline it can be gated (README, "Baselines,
/// compare and the gate"): the GPU (`device`), the host link (`link`: PCIe or NVLink-C2C
/// copies from pinned memory), or the host's own speed (`host`: host-clock timings, and device
/// timings whose per-run time is the host's submission rate). Host-bound rows are gated only
/// against a baseline from the same machine.
enum class bound_kind { device, link, host };  // in order of dependence on the host

/// "device", "link" or "host".
const char* to_string(bound_kind b) noexcept;
/// Inverse of to_string(bound_kind); nullopt for anything else.
std::optional<bound_kind> bound_from_string(std::string_view text) noexcept;

struct throughput_block {
  double value = 0.0;
  std::string unit;                        ///< "FLOP/s" or "B/s"
  std::optional<double> peak;              ///< same unit; absent when unknown
  std::optional<double> fraction_of_peak;  ///< value / peak
};

/// How a result compares with the baseline (see baseline/compare.hpp for the rule): part of the
/// judgement, never of the measurement. `verdict` counts in the row's verdict (row_verdict) only
/// when `gated` is true.
struct baseline_block {
  std::string source;           ///< baseline file, or "" when none matched
  std::optional<double> value;  ///< the baseline's throughput (or central seconds when none)
  std::string unit;             ///< unit of `value`
  std::optional<double> ratio;  ///< baseline central / candidate central seconds; > 1: faster
  std::optional<double> ci95_lo, ci95_hi;  ///< hierarchical bootstrap CI of the ratio
  std::optional<double> threshold;         ///< the minimum ratio applied (policy minimum and noise)
  std::optional<double> noise;             ///< relative execution-to-execution spread used
  std::optional<bool> gated;               ///< whether this row can fail the gate
  std::string why_not_gated;               ///< when gated is false, why, with numbers
  int baseline_executions = 0, candidate_executions = 0;  ///< what the verdict rests on
  wslcuda::status verdict = status::skip;
  reason_code reason = reason_code::not_compared;  ///< why, as a stable code
  std::string message;  ///< e.g. "no matching baseline (closest: NVIDIA H100 …)"
};

/// A clock reading counts as throttled when its SM clock is under this fraction of the maximum
/// (nvbench's --throttle-threshold default, 75 %).
inline constexpr double kThrottledBelowFractionOfMaxClock = 0.75;

/// One reading of a device's clocks, MHz (NVML in the worker; scripted in tests).
struct clock_reading {
  double sm_mhz = 0.0, sm_max_mhz = 0.0, mem_mhz = 0.0;
  std::vector<std::string> reasons;  ///< clock-event (throttle) reasons active, in words
  bool idle = false;  ///< NVML's GPU-idle reason (0x1): a low clock then is no throttling
  /// false when NVML could not give the reasons (some WSL builds): a low clock is then unknown,
  /// never counted as throttled
  bool reasons_known = true;
};

/// The SM and memory clocks while a row was timed, read through NVML once per sample (nvbench's
/// --throttle-threshold idea).
struct clock_block {
  std::size_t readings = 0;         ///< samples with a reading
  double sm_mhz_median = 0.0;       ///< median SM clock over the readings
  double sm_mhz_max = 0.0;          ///< the device's maximum SM clock
  double mem_mhz_median = 0.0;      ///< median memory clock
  double throttled_fraction = 0.0;  ///< readings under 75 % of sm_mhz_max
  /// NVML clock-event (throttle) reasons seen in any reading, e.g. "power cap", "thermal".
  std::vector<std::string> reasons;
};

/// A health floor judged on a row (baseline/floors.hpp): a speed verdict from the device's own
/// peaks, for GPUs without a matching baseline. Part of the judgement: `verdict` counts in the
/// row's verdict (row_verdict) only when `applied`.
struct floor_block {
  std::string metric;  ///< e.g. "fraction of the DRAM peak", "ratio to gemm.cublas.f32.m4096…"
  std::optional<double> value;  ///< none when it could not be computed (then verdict skip)
  double warn_below = 0.0, fail_below = 0.0;
  wslcuda::status verdict = status::skip;
  reason_code reason = reason_code::information;  ///< why, as a stable code
  std::string message;   ///< the numbers, and for warn/fail the likely causes
  std::string remedy;    ///< for warn/fail
  bool applied = false;  ///< judges the row (no baseline matched); else information
};

/// Where a row's wall time went, seconds (the runner's clock). `worker` is what the row's worker
/// process cost beyond these phases (process start, CUDA context, library loading): for the first
/// row of a worker it is the start-up, for later rows of a group about 0; absent in process.
struct phase_times {
  double setup = 0.0;  ///< prepare(): allocation, inputs and, for most workloads, the reference
  double verify =
      0.0;  ///< verify(): the poisoned run, the reference where computed there, the check
  double warmup = 0.0;   ///< warm-up runs (and capturing a replayed batch)
  double samples = 0.0;  ///< the timed samples, with what the sampler does between them
  std::optional<double> worker;
};

/// One row: what was measured (status and message are the measurement's own outcome and never
/// change after it), and the judgement attached to it (baseline and floor blocks). The row's
/// verdict is row_verdict(row) (model/verdict.hpp), which every writer uses.
struct result_row {
  std::string id, family, implementation, precision;
  std::vector<std::pair<std::string, std::int64_t>> shape;
  std::string algorithm;  ///< workload_info::algorithm; "" for our own kernels
  int device = 0;
  wslcuda::status status = status::skip;  ///< the measurement's outcome (verification, errors)
  std::string message;                    ///< the measurement's own message
  /// For a measured status of error: what ended the row (its kind, and a CUDA error's name).
  std::optional<error_block> error;
  double flops = 0.0;  ///< per run
  double bytes = 0.0;  ///< per run, minimum moved
  std::optional<correctness_block> correctness;
  std::optional<timing_block> timing;
  std::optional<throughput_block> throughput;
  std::optional<baseline_block> baseline;  ///< judgement: the baseline comparison
  bound_kind bound = bound_kind::device;
  std::string bound_reason;  ///< how `bound` was decided, e.g. "host steady_clock timing"
  /// Per-execution statistics (one entry per worker execution that produced samples; empty for
  /// rows without timing). A 1.1 report has none: readers treat its timing as one execution.
  std::vector<execution_stats> executions;
  /// Figures derived from the timing that the workload defines (units in the name), e.g.
  /// "busbw_bytes_per_s" of a collective or "per_node_s" of a graph launch; in the order given.
  std::vector<std::pair<std::string, double>> metrics;
  std::optional<clock_block> clocks;  ///< absent where NVML gave no reading
  std::optional<floor_block> floor;   ///< judgement: set when a health floor covers this id
  std::optional<phase_times> phases;  ///< absent for rows that never ran (skipped)
};

}  // namespace wslcuda

#pragma once
// One row of the report's results[] (DESIGN.md "Report"), flat enough for pandas.json_normalize.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "suite/status.hpp"

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

struct timing_block {
  std::string mode;  ///< clock and what one sample covers
  std::size_t samples = 0;
  int batch = 1;  ///< back-to-back runs per sample; values are per run
  int warmup_runs = 0;
  double median_s = 0, mean_s = 0, min_s = 0, max_s = 0, stdev_rel = 0;
  double p90_s = 0, p99_s = 0;          ///< percentiles (NumPy's linear rule); median_s is the p50
  double ci95_lo_s = 0, ci95_hi_s = 0;  ///< distribution-free 95 % CI of the median
  std::string stop_reason;
  std::vector<double> values_s;  ///< every sample, seconds per run, in the order taken
};

struct throughput_block {
  double value = 0.0;
  std::string unit;                        ///< "FLOP/s" or "B/s"
  std::optional<double> peak;              ///< same unit; absent when unknown
  std::optional<double> fraction_of_peak;  ///< value / peak
};

/// How a result compares with the baseline (see baseline/compare.hpp for the rule).
struct baseline_block {
  std::string source;           ///< baseline file, or "" when none matched
  std::optional<double> value;  ///< the baseline's throughput (or median seconds when none)
  std::string unit;             ///< unit of `value`
  std::optional<double> ratio;  ///< > 1: better than the baseline
  std::optional<double> ci95_lo, ci95_hi;
  std::optional<double> p_value;
  std::optional<double> min_ratio;  ///< the policy's minimum for this id
  wslcuda::status verdict = status::skip;
  std::string message;  ///< e.g. "no matching baseline (closest: NVIDIA H100 …)"
};

struct result_row {
  std::string id, family, implementation, precision;
  std::vector<std::pair<std::string, std::int64_t>> shape;
  int device = 0;
  wslcuda::status status = status::skip;
  std::string message;
  double flops = 0.0;  ///< per run
  double bytes = 0.0;  ///< per run, minimum moved
  std::optional<correctness_block> correctness;
  std::optional<timing_block> timing;
  std::optional<throughput_block> throughput;
  std::optional<baseline_block> baseline;
  /// Figures derived from the timing that the workload defines (units in the name), e.g.
  /// "busbw_bytes_per_s" of a collective or "per_node_s" of a graph launch; in the order given.
  std::vector<std::pair<std::string, double>> metrics;
};

}  // namespace wslcuda

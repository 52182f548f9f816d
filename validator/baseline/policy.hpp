#pragma once
// The gate policy: how large a slowdown must be before it fails a driver release, and how much
// execution-to-execution noise a row may have before it is too noisy to gate. Versioned and kept
// in ci/gate-policy.json, not in code: the build embeds that file as default_policy().

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "model/json.hpp"
#include "model/result.hpp"

namespace wslcuda {

/// The least execution-to-execution spread assumed for rows matching `glob`: the noise used is
/// the larger of this and the spread measured in the comparison, so that two executions that
/// happen to agree do not make a row that jumps between levels look quiet; with one execution
/// on each side it is the only noise estimate.
struct noise_floor {
  std::string glob;
  double spread = 0.0;  ///< relative, as execution_spread()
  std::string source;   ///< where the value comes from
  bool operator==(const noise_floor& o) const {
    return glob == o.glob && spread == o.spread && source == o.source;
  }
};

/// A health floor: the least speed a healthy system of any supported GPU reaches on the matching
/// ids, as a fraction of the device's own peak or of a vendor library's row in the same run
/// (baseline/floors.hpp). Below `warn_below` is warn, below `fail_below` fail.
struct health_floor {
  std::string glob;    ///< ids it covers (comma-separated globs); the first matching floor wins
  std::string metric;  ///< "fraction_of_peak" or "versus"
  std::string peak;    ///< what the fraction is of, for messages ("DRAM peak", "host link", …)
  std::string versus_from, versus_to;  ///< "versus": the other row's id is this id, from → to
  double warn_below = 0.0, fail_below = 0.0;
  std::string causes;  ///< likely causes of a slow row, in words a user understands
  std::string remedy;  ///< what to do
  std::string source;  ///< where the numbers come from
};

/// The change-point detector's parameters across a row's history (history/change_points.hpp,
/// a port of Apache Otava's e-divisive detector), as the policy file sets them; every stored
/// change point records the values that found it.
struct change_point_settings {
  std::size_t window = 50;     ///< split step's sliding window (Otava's window_len default)
  double first_pass_p = 0.01;  ///< weak change points (Otava: max(0.01, 10 × max_p))
  double max_p = 0.001;        ///< final p-value of the merge step (Otava's max_pvalue default)
  /// Minimum relative change a change point must exceed: max(this, the row's noise floor).
  double min_magnitude = 0.01;
  std::size_t min_segment = 3;       ///< points in every segment but the newest (Otava PR 150)
  std::size_t min_last_segment = 1;  ///< points in the newest segment (tentative under 3)
  bool operator==(const change_point_settings& o) const {
    return window == o.window && first_pass_p == o.first_pass_p && max_p == o.max_p &&
           min_magnitude == o.min_magnitude && min_segment == o.min_segment &&
           min_last_segment == o.min_last_segment;
  }
};

struct gate_policy {
  std::string policy_version = "builtin";
  double alpha = 0.05;              ///< 1 − confidence of the ratio's bootstrap interval
  double default_min_ratio = 0.97;  ///< minimum effect: slowdowns smaller than this never fail
  std::map<std::string, double> family_min_ratio;         ///< e.g. latency, transfer: 0.90
  std::vector<std::pair<std::string, double>> overrides;  ///< id glob → min ratio, first match wins
  /// Noise multiplier k: the threshold ratio is min(min ratio, 1 / (1 + k × spread)).
  double noise_k = 2.0;
  /// Per bound ("device", "link", "host"): a row whose threshold would fall below this ratio is
  /// too noisy to gate (gated: false). 0.90 when a bound is not named.
  std::map<std::string, double> floor_ratio;
  std::vector<noise_floor> noise_floors;  ///< first match wins
  /// The gate passes only when at least this fraction of the baseline's entries were gated and
  /// passed in the candidate; below it the verdict is at best warn (a gate cannot pass on
  /// nothing).
  double min_evidence_fraction = 0.5;
  /// A candidate row measured in one execution that would fail is only warned ("re-run to
  /// confirm") when this quantile of its samples is within the threshold of the baseline: its
  /// fast samples run at baseline speed, so the slowdown is interference during that execution,
  /// not a slower driver (noise from other work only ever slows a sample down: Chen and Revels,
  /// "Robust benchmarking in noisy environments", arXiv:1608.04295, 2016). A row slower across
  /// its samples still fails. In (0, 0.5].
  double partial_slowdown_quantile = 0.1;
  int bootstrap_resamples = 2000;
  change_point_settings change_points;  ///< the history's detector (`change_points` in the file)
  std::vector<health_floor> floors;     ///< speed floors for GPUs without a matching baseline
  std::string source = "built-in default";
};

/// The policy compiled into wslcuda: ci/gate-policy.json as it was at build time.
gate_policy default_policy();

/// Minimum acceptable ratio for a result: the first matching override, else its family's, else
/// the default.
double min_ratio_for(const gate_policy& policy, const std::string& id, const std::string& family);

/// The ratio below which a noise-widened threshold makes a row of `bound` ungated.
double floor_ratio_for(const gate_policy& policy, bound_kind bound);

/// The first noise floor whose glob matches `id`; nullptr when none.
const noise_floor* noise_floor_for(const gate_policy& policy, const std::string& id);

/// Reads a policy file (schema reports/schema/policy.schema.json). Throws input_error naming the
/// file and the JSON pointer: bad JSON, unknown schema major, alpha outside (0, 0.5], a ratio
/// outside (0, 1], noise_k outside [0, 100], a spread outside [0, 10], an evidence fraction
/// outside [0, 1], a partial-slowdown quantile outside (0, 0.5], resamples outside [0, 100000]
/// (0: no confidence interval), change-point settings out of range (window < 2, p outside
/// (0, 0.5], a magnitude outside [0, 1], min_segment < 1, min_last_segment outside
/// [1, min_segment]), a floor without
/// its fields or with fail_below > warn_below.
gate_policy read_policy_file(const std::filesystem::path& path);

/// The same from a parsed document; `source` names it in errors.
gate_policy parse_policy(const json& doc, const std::string& source);

}  // namespace wslcuda

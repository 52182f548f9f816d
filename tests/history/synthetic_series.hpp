#pragma once
// Seeded series shaped like wslcuda's history (issue 24, ../shared/HISTORY.md's bake-off): one
// point per run, runs grouped by driver, relative noise between runs, throttled runs (spikes),
// and steps at driver boundaries; and the scoring of the detector on them (false alarms per
// series, precision, recall, F1). Test and evaluation support only (the unit tests,
// tests/history/change_points_tool.cpp, ci/eval_change_points.sh), not part of wslcuda.

#include <cstdint>
#include <string>
#include <vector>

#include "history/driver_changes.hpp"

namespace wslcuda::history::synthetic {

/// What to generate.
struct series_spec {
  std::size_t n = 50;  ///< points (runs)
  /// Relative standard deviation of the run-to-run noise: value · (1 + noise · N(0, 1)).
  double noise = 0.005;
  /// Probability that a run is throttled: its time is (1 + U(spike_min, spike_max)) times
  /// longer (its throughput as many times lower). A throttled GPU clocks down by tens of
  /// percent (issue 24: "3 % throttled spikes").
  double spike_rate = 0.03;
  double spike_min = 0.05, spike_max = 0.25;
  /// Relative size of each step (0: no change). A regression multiplies a time by 1 + step and a
  /// throughput by 1 − step; an improvement the other way round; each step's direction is a
  /// fair coin.
  double step = 0;
  /// Steps in a series with step > 0: clamp(n / 50, 1, 3), at driver boundaries at least
  /// min_segment points from each other and from both ends.
  std::size_t min_segment = 5;
  /// Runs per driver: uniform in [1, max_runs_per_driver] (a driver also ends at each step).
  std::size_t max_runs_per_driver = 6;
  metric_sense sense = metric_sense::lower_is_better;
};

/// A generated series and where it truly changed.
struct labelled_series {
  std::vector<run_point> points;             ///< already in driver, then time order
  std::vector<std::size_t> changes;          ///< index of the first point after each step
  std::vector<change_direction> directions;  ///< of each step, for the row's metric
};

/// One series of `spec` from `seed` (std::mt19937_64; the same seed gives the same series).
/// Driver versions "600.1", "600.2", …; times one minute apart from 2026-01-01T00:00:00Z; the
/// level before any step is 10^U(−5, −1) seconds (10^U(1, 4) for a throughput). Throws
/// std::invalid_argument when n < 1 or n > 40 000.
labelled_series generate(const series_spec& spec, std::uint64_t seed);

/// The detector's score over many series.
struct quality {
  std::size_t series = 0;
  std::size_t true_changes = 0;
  std::size_t detected = 0;        ///< changes reported (confirmed and tentative)
  std::size_t tentative = 0;       ///< of which tentative
  std::size_t true_positives = 0;  ///< at a true change's index, in its direction
  std::size_t instabilities = 0;   ///< splits reported as instability of a driver

  std::size_t false_positives() const noexcept { return detected - true_positives; }
  /// False alarms per series: changes reported where there was none.
  double false_alarms_per_series() const noexcept;
  double precision() const noexcept;  ///< 1 when nothing was detected
  double recall() const noexcept;     ///< 1 when nothing was to be found
  double f1() const noexcept;         ///< 2 TP / (2 TP + FP + FN); 1 when both are empty
};

/// Analyses `count` series of `spec` (seeds seed, seed + 1, …) with analyse_series(points,
/// spec.sense, params) and scores them: a reported change is a true positive when a step sits
/// at its exact index and goes in its direction (every change is at a driver boundary, as the
/// steps are, so no tolerance is needed).
quality evaluate(const series_spec& spec, const detector_params& params, std::size_t count,
                 std::uint64_t seed);

/// The parameters the evaluation uses for a row of relative noise `noise`: wslcuda's defaults
/// with min_magnitude = min_magnitude_for(noise) (the generated row's noise floor is its
/// noise).
detector_params params_for_noise(double noise);

}  // namespace wslcuda::history::synthetic

#pragma once
// Change-point detection over one series: a C++ port of Apache Otava's split/merge e-divisive
// detector with its Student-t significance test, plus the minimum-segment step proposed for
// Otava in apache/otava pull request 150. Pure, deterministic, CUDA-free; no store, no I/O.
//
// Ported from Apache Otava (incubating) 0.8.0, commit 1ceb1537a49d516cf6cef9a79bea6926002082f8
// (tag 0.8.0-incubating-rc2, the source of the apache-otava 0.8.0 wheel on PyPI):
//   otava/analysis.py                          split, merge, compute_change_points, TTestStats,
//                                              TTestSignificanceTester
//   otava/change_point_divisive/base.py        get_intervals, is_significant, get_next_candidate
//   otava/change_point_divisive/calculator.py  PairDistanceCalculator (the Q̂ statistic)
//   otava/change_point_divisive/detector.py    ChangePointDetector.get_change_points
// and collapse_short_segments from apache/otava pull request 150 (commit
// 52f091f98a70a2b52ddf698fbc28557e03f5b354, "Add option to enforce minimum segment length").
// The method: Matteson & James, "A Nonparametric Approach for Multiple Change Point Analysis of
// Multivariate Data", JASA 2014 (arXiv:1306.4933), windowed and merged as in Fleming et al.,
// "Hunter: Using Change Point Detection to Hunt for Performance Regressions", ICPE 2023
// (doi:10.1145/3578244.3583719).
//
// Licensed to the Apache Software Foundation (ASF) under one or more contributor license
// agreements. See the NOTICE file distributed with Apache Otava for additional information
// regarding copyright ownership. The ASF licenses the ported files to you under the Apache
// License, Version 2.0 (the "License"); you may not use them except in compliance with the
// License. You may obtain a copy of the License at http://www.apache.org/licenses/LICENSE-2.0.
// Unless required by applicable law or agreed to in writing, software distributed under the
// License is distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND,
// either express or implied. See the License for the specific language governing permissions
// and limitations under the License. Modifications for wslcuda: translated to C++17; the Q̂
// matrix of an interval is computed from column prefix sums in O(L²) instead of NumPy's
// cumulative sums (same values up to rounding); the t distribution is Boost.Math's; the
// incremental mode (new_points, old_cp) is left out; two options change PR 150's collapse
// (detector_params::min_last_segment, short_segment_joins_nearer_side). docs/change-points.md
// lists the differences and the cross-validation against apache-otava 0.8.0.

#include <cstddef>
#include <vector>

namespace wslcuda::history {

/// Otava's first-pass (split) p-value for a final p-value `max_p`: 10 × max_p below 0.05,
/// 2 × max_p below 0.5, else max_p (otava/analysis.py, compute_change_points).
double otava_first_pass_p(double max_p) noexcept;

/// The detector's parameters. Defaults are wslcuda's (issue 24, ../shared/HISTORY.md), each
/// with its source.
struct detector_params {
  /// Sliding-window length of the split step. 50: Otava's AnalysisOptions.window_len default
  /// (otava/series.py). At least 2.
  std::size_t window = 50;
  /// First-pass p-value of the split step (weak change points). 0.01: Otava's rule
  /// otava_first_pass_p(0.001).
  double first_pass_p = 0.01;
  /// Final p-value of the merge step. 0.001: Otava's AnalysisOptions.max_pvalue default.
  double max_p = 0.001;
  /// Minimum relative change (Otava's change_magnitude) a final change point must exceed.
  /// Otava's default is 0; wslcuda passes max(1 %, the row's noise floor in
  /// ci/gate-policy.json) (min_magnitude_for()).
  double min_magnitude = 0.01;
  /// Minimum points in every segment but the last, enforced on the weak change points before
  /// the merge (apache/otava PR 150's min_segment_len). 3: a single throttled spike, or two,
  /// is never a change; HISTORY.md's bake-off: false alarms on 200-point series fell from
  /// 0.73–0.80 to 0.08–0.13 per series. 1 disables it (Otava 0.8.0).
  std::size_t min_segment = 3;
  /// Minimum points in the last segment (the newest runs). PR 150 uses min_segment for it too;
  /// wslcuda keeps a shorter newest segment so that a change at the newest driver is seen at
  /// its first runs, and reports it `tentative` (driver_changes.hpp). 1 ≤ value ≤ min_segment.
  std::size_t min_last_segment = 1;
  /// Where the collapse puts the one change point that replaces a short middle segment B of
  /// A | B | C. false: at the start of C, always (PR 150: B is a transient, e.g. a throttled
  /// run). true (wslcuda): at the start of B when B's mean is nearer C's than half the distance
  /// between A's and C's means (B is the start of the new level, split off C by a first-pass
  /// point inside it), else at the start of C. Either way the point's statistics are A against C.
  bool short_segment_joins_nearer_side = true;
};

/// max(1 %, noise_floor): the minimum magnitude of a row whose relative noise floor is
/// `noise_floor` (ci/gate-policy.json's noise_floors[].spread). Issue 24.
double min_magnitude_for(double noise_floor) noexcept;

/// The two-sample Student-t comparison of the points before and after a change point, as
/// Otava's TTestSignificanceTester.compare makes it: population standard deviations
/// (numpy.std, ddof 0), then scipy.stats.ttest_ind_from_stats with a pooled variance
/// (equal_var) and a two-sided p-value. p is 1 when both sides hold 2 points or fewer in all,
/// 0 when the standard deviations are 0 and the means differ, NaN when they are 0 and equal.
struct segment_stats {
  double mean_before = 0, mean_after = 0;
  double stddev_before = 0, stddev_after = 0;  ///< population (ddof 0), as Otava reports them
  double p_value = 1;

  /// mean_after / mean_before - 1, 0 when mean_before is 0 (TTestStats.forward_rel_change).
  double forward_change() const noexcept;
  /// mean_before / mean_after - 1, 0 when mean_after is 0 (TTestStats.backward_rel_change).
  double backward_change() const noexcept;
  /// max(|forward|, |backward|): Otava's change_magnitude, the relative change it reports and
  /// filters on. Symmetric: a 10 % slowdown and its reversal have the same magnitude.
  double magnitude() const noexcept;
};

/// Compares values[left_begin, left_end) with values[right_begin, right_end) (Otava's
/// TTestSignificanceTester.compare). Throws std::invalid_argument when a side is empty or out
/// of range.
segment_stats compare_segments(const std::vector<double>& values, std::size_t left_begin,
                               std::size_t left_end, std::size_t right_begin,
                               std::size_t right_end);

/// One change point: `index` is the first point of the new segment (Otava's index, so the
/// series moved between index - 1 and index), with the statistics of the segments either side
/// (bounded by the neighbouring change points, as Otava computes them).
struct change_point {
  std::size_t index = 0;
  double qhat = 0;  ///< the e-divisive statistic Q̂ that proposed the point (diagnostic)
  segment_stats stats;
};

/// Both outputs of Otava's compute_change_points.
struct detection {
  std::vector<change_point> change_points;  ///< final, sorted by index
  std::vector<change_point> weak;           ///< the split step's weak change points, sorted
};

/// Change points of `values` (one point per run, in order) with `params`: Otava's split step
/// (e-divisive in windows of params.window, stepping by window / 2, first-pass p-value), then
/// PR 150's collapse of segments shorter than params.min_segment (params.min_last_segment for
/// the last one), then Otava's merge (final p-value, minimum magnitude). With min_segment = 1
/// and min_last_segment = 1 it is Otava 0.8.0's compute_change_points(values, window,
/// max_p, min_magnitude), whose first-pass p-value is otava_first_pass_p(max_p); with
/// min_last_segment = min_segment and short_segment_joins_nearer_side = false it is Otava with
/// PR 150's min_segment_len (tests/cli/check_otava.py checks both). Deterministic.
/// O(n · window²) time, O(window²) memory. Throws std::invalid_argument when params.window < 2,
/// params.min_segment < 1, params.min_last_segment is 0 or above min_segment, a p-value is
/// outside (0, 1], or a value is not finite.
detection detect_change_points(const std::vector<double>& values,
                               const detector_params& params = {});

/// Recomputes the statistics of sorted change points `points` against the segments their
/// neighbours bound (Otava's final step of split). Throws std::invalid_argument when an index
/// is 0, not below values.size(), or not strictly increasing.
void restat(const std::vector<double>& values, std::vector<change_point>& points);

/// Otava's merge step alone on sorted change points with current statistics: repeatedly drops
/// the point with the largest p-value while it is not below max_p, then the one with the
/// smallest magnitude while it is not above min_magnitude, recomputing the neighbours it
/// leaves (otava/analysis.py, merge; the recomputation keeps Otava's choice of neighbours).
std::vector<change_point> merge_change_points(const std::vector<double>& values,
                                              std::vector<change_point> points, double max_p,
                                              double min_magnitude);

}  // namespace wslcuda::history

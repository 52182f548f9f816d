#pragma once
// wslcuda's rules on top of the Otava detector (change_points.hpp), for one series of a row
// (issue 24; ../shared/HISTORY.md, "The detector"). Pure and CUDA-free: the store gives the
// points, the caller stores what comes back.
//  - One point per run: the row's central value from a passing, non-excluded run, ordered by
//    driver version (compare_driver_versions), then time, then the order given.
//  - Fewer than 5 points: no detection (outcome too_few_points, and a reason saying so).
//  - A change sits only at a driver-version boundary. An Otava change point inside one driver's
//    runs is moved to the nearest boundary of that driver's runs when Otava's rules accept it
//    there, and is otherwise reported as instability of that driver (see analyse_series).
//  - Fewer than 3 points after a change: `tentative` (the newest driver has too few runs yet).
//  - The metric's sense (time: lower is better; throughput: higher is better) tells a
//    regression from an improvement.
//  - median_across_machines: the per-driver median across machines, for the series of a GPU
//    model and platform (per machine first, then per model).

#include <cstddef>
#include <string>
#include <vector>

#include "baseline/policy.hpp"
#include "history/change_points.hpp"

namespace wslcuda::history {

/// Points below which a series is not analysed: 5 (issue 24). With the minimum segment of 3 a
/// change needs 3 points before it, so 5 leaves room for 2 after it (a tentative change).
inline constexpr std::size_t kMinPointsForDetection = 5;

/// Points after a change below which it is `tentative`: 3 (issue 24; the minimum segment).
inline constexpr std::size_t kMinPointsAfterConfirmed = 3;

/// Which way is better for a row's metric.
enum class metric_sense {
  lower_is_better,   ///< seconds, latencies
  higher_is_better,  ///< throughput: GB/s, TFLOP/s
};

/// Compares two driver versions as `sort -V` does: runs of digits numerically (leading zeros
/// ignored), other runs as text, a version that is a prefix of the other first. "580.159.04" <
/// "580.159.10" < "590.44.01"; "552.22" < "566.03"; "31.0.15.5222" < "32.0.15.6094".
/// Returns < 0, 0 or > 0. Equal versions (0) are the same driver for the boundary rule.
int compare_driver_versions(const std::string& a, const std::string& b);

/// One run's point of a series.
struct run_point {
  std::string driver;  ///< the driver version as its users write it ("580.159.04", "552.22")
  std::string time;    ///< when the run started, ISO-8601 UTC ("2026-11-30T00:20:51Z")
  double value = 0;    ///< the row's central value in that run, in the metric's unit
  std::string run;     ///< the run's id in the store (opaque here, reported back)
};

/// Sorts `points` by driver (compare_driver_versions), then time (as text), stably.
void order_points(std::vector<run_point>& points);

/// wslcuda's detector parameters for row `id`: the policy's `change_points` settings
/// (ci/gate-policy.json, with their sources), and min_magnitude = max(its min_magnitude, the
/// spread of the first noise floor of `policy` that matches `id`) (issue 24: max(1 %, the
/// row's noise floor)).
detector_params detector_params_for(const gate_policy& policy, const std::string& id);

/// Whether a series was analysed.
enum class series_outcome {
  analysed,
  too_few_points,  ///< fewer than kMinPointsForDetection points: no detection
};

/// Which way a change went for the row.
enum class change_direction {
  regression,   ///< worse: a time went up or a throughput down
  improvement,  ///< better (or, with min_magnitude 0, unchanged means)
};

/// A change of a row at a driver-version boundary.
struct driver_change {
  std::size_t index = 0;      ///< first point after the change, in analysis.points
  std::string driver_before;  ///< driver of the point before
  std::string driver;         ///< driver of the first point after: where the row moved
  /// Otava's statistics of the segments either side (bounded by the neighbouring changes):
  /// p-value, means and population standard deviations before and after.
  segment_stats stats;
  double magnitude = 0;        ///< stats.magnitude(): Otava's relative change, ≥ 0
  double relative_change = 0;  ///< stats.forward_change(): mean_after / mean_before − 1, signed
  change_direction direction = change_direction::regression;
  bool tentative = false;         ///< fewer than kMinPointsAfterConfirmed points after it
  std::size_t points_before = 0;  ///< points in the segment before
  std::size_t points_after = 0;   ///< points in the segment after
  bool moved = false;             ///< Otava placed it inside a driver's runs, at `otava_index`
  std::size_t otava_index = 0;    ///< where Otava placed it (== index unless moved)
};

/// Why an Otava change point inside one driver's runs was not moved to a boundary.
enum class instability_reason {
  one_driver,       ///< the driver's runs are the whole series: no boundary to move to
  blocked,          ///< the boundary holds another change point, or one lies between them
  short_segment,    ///< at the boundary a segment would be shorter than the minimum segment
  not_significant,  ///< at the boundary the p-value is not below params.max_p
  too_small,        ///< at the boundary the magnitude is not above params.min_magnitude
};

/// A split that Otava found inside one driver's runs and that is not a change at a boundary:
/// the row moved between runs of the same driver (machine state, throttling, another library).
struct driver_instability {
  std::string driver;        ///< the driver whose runs the split falls in
  std::size_t index = 0;     ///< Otava's index (first point after the split)
  segment_stats stats;       ///< Otava's statistics at the split
  std::size_t boundary = 0;  ///< the boundary tried (0 for one_driver)
  instability_reason reason = instability_reason::one_driver;
};

/// The analysis of one series.
struct series_analysis {
  series_outcome outcome = series_outcome::too_few_points;
  std::string reason;                  ///< for too_few_points: "4 points: …"; else empty
  std::vector<run_point> points;       ///< the points, ordered (order_points)
  std::vector<driver_change> changes;  ///< sorted by index
  std::vector<driver_instability> instabilities;  ///< sorted by index
  detector_params params;  ///< the parameters that found them (to store with them)
};

/// Analyses one series (one row on one machine, or one GPU model and platform): orders
/// `points`, runs detect_change_points on their values with `params`, then applies the
/// boundary rule to each of Otava's final change points, in index order:
///  - at a driver boundary (the drivers of index − 1 and index differ): a change;
///  - inside the runs [b0, b1) of one driver: the nearest boundary b ∈ {b0, b1} with
///    0 < b < n is tried (on a tie, both; the lower p-value wins). It is accepted when Otava's
///    final rules accept the point there: no other change point at or between b and the
///    original index, segments of at least params.min_segment points (params.min_last_segment
///    for the last one) against the neighbouring change points, p-value < params.max_p and
///    magnitude > params.min_magnitude (merge's criteria). Accepted: a change, `moved`.
///    Otherwise: instability of that driver, with the reason, and the point is dropped.
/// The statistics of the remaining changes are then recomputed against each other and Otava's
/// merge is applied to them again until it drops nothing (a dropped split can leave a neighbour
/// insignificant), so every change passes Otava's final rules with the statistics it reports.
/// Direction from `sense` and the sign of the change; tentative when fewer than
/// kMinPointsAfterConfirmed points follow. Throws std::invalid_argument for a non-finite value
/// or invalid params (detect_change_points).
series_analysis analyse_series(std::vector<run_point> points, metric_sense sense,
                               const detector_params& params = {});

/// One run of a row on one machine, for median_across_machines.
struct machine_run {
  std::string machine;  ///< the machine's identity in the store
  run_point point;
};

/// One point per driver of a GPU model and platform: the median across machines of each
/// machine's median for that driver (measure/statistics median_of: the mean of the middle two
/// for an even count), with the earliest time of its runs. Sorted by driver.
struct driver_median {
  run_point point;           ///< driver, earliest time, median value; run empty
  std::size_t machines = 0;  ///< machines with runs of this driver
  std::size_t runs = 0;      ///< runs of this driver on all of them
};

/// Aggregates `runs` of one row, GPU model and platform per driver (issue 24: per machine
/// first, then per GPU model and platform on the per-driver median across machines). Empty in,
/// empty out.
std::vector<driver_median> median_across_machines(const std::vector<machine_run>& runs);

/// The points of `medians`, for analyse_series.
std::vector<run_point> points_of(const std::vector<driver_median>& medians);

/// Stable names for the enums ("regression", "blocked", …), for stores and reports.
const char* to_string(change_direction d) noexcept;
const char* to_string(instability_reason r) noexcept;
const char* to_string(series_outcome o) noexcept;

}  // namespace wslcuda::history

// A C++ port of Apache Otava's split/merge e-divisive detector (Apache License 2.0; the notice
// and the list of ported files are in change_points.hpp). Each function names the Otava
// function it ports; comments marked "Otava:" record behaviour kept on purpose so that this
// port and apache-otava 0.8.0 return the same change points (tests/cli/check_otava.py).

#include "history/change_points.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <stdexcept>
#include <string>

namespace wslcuda::history {
namespace {

/// A half-open interval [begin, end) of point indexes (Otava's slice).
struct interval {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t size() const noexcept { return end - begin; }
};

/// otava/change_point_divisive/base.py, SignificanceTester.get_intervals: the segments that
/// sorted change points cut [0, n) into, empty ones dropped.
std::vector<interval> intervals_of(const std::vector<change_point>& points, std::size_t n) {
  std::vector<interval> out;
  out.reserve(points.size() + 1);
  std::size_t begin = 0;
  for (const change_point& p : points) {
    if (p.index != begin) out.push_back({begin, p.index});
    begin = p.index;
  }
  if (begin != n) out.push_back({begin, n});
  return out;
}

/// numpy.mean and numpy.std (ddof 0) of values[r.begin, r.end), r non-empty.
void mean_and_std(const std::vector<double>& values, interval r, double& mean, double& stddev) {
  double sum = 0;
  for (std::size_t i = r.begin; i < r.end; ++i) sum += values[i];
  mean = sum / static_cast<double>(r.size());
  double squares = 0;
  for (std::size_t i = r.begin; i < r.end; ++i) squares += (values[i] - mean) * (values[i] - mean);
  stddev = std::sqrt(squares / static_cast<double>(r.size()));
}

/// otava/analysis.py, TTestSignificanceTester.compare.
segment_stats compare(const std::vector<double>& values, interval left, interval right) {
  segment_stats s;
  mean_and_std(values, left, s.mean_before, s.stddev_before);
  mean_and_std(values, right, s.mean_after, s.stddev_after);
  // Otava: np.std only for 2 points or more (it is 0 for one point anyway).
  if (left.size() < 2) s.stddev_before = 0;
  if (right.size() < 2) s.stddev_after = 0;
  const double n1 = static_cast<double>(left.size());
  const double n2 = static_cast<double>(right.size());
  if (left.size() + right.size() <= 2) {
    s.p_value = 1.0;  // Otava: no test on two points
    return s;
  }
  // scipy.stats.ttest_ind_from_stats(equal_var=True, alternative="two-sided"): pooled variance
  // over n1 + n2 - 2 degrees of freedom (scipy's _equal_var_ttest_denom), p = 2 · sf(|t|).
  const double df = n1 + n2 - 2.0;
  const double pooled =
      ((n1 - 1) * s.stddev_before * s.stddev_before + (n2 - 1) * s.stddev_after * s.stddev_after) /
      df;
  const double denom = std::sqrt(pooled * (1.0 / n1 + 1.0 / n2));
  const double d = s.mean_before - s.mean_after;
  if (denom == 0) {
    // scipy: d / 0 is ±inf (p = 0) or, for d = 0, NaN (p = NaN).
    s.p_value = d == 0 ? std::nan("") : 0.0;
    return s;
  }
  const double t = std::fabs(d / denom);
  // In double precision, as scipy computes it (Boost would otherwise promote to long double).
  using double_policy = boost::math::policies::policy<boost::math::policies::promote_float<false>,
                                                      boost::math::policies::promote_double<false>>;
  const boost::math::students_t_distribution<double, double_policy> dist(df);
  s.p_value = 2.0 * boost::math::cdf(boost::math::complement(dist, t));
  return s;
}

/// otava/analysis.py, TTestSignificanceTester.change_point: the statistics of a candidate at
/// `index` against `intervals` (merge step when index ends an interval, split step when it
/// falls inside one).
segment_stats stats_at(const std::vector<double>& values, std::size_t index,
                       const std::vector<interval>& intervals) {
  for (std::size_t i = 0; i < intervals.size(); ++i) {
    const interval& r = intervals[i];
    if (r.end == index && i + 1 < intervals.size()) return compare(values, r, intervals[i + 1]);
    if (r.begin < index && index < r.end) return compare(values, {r.begin, index}, {index, r.end});
  }
  throw std::invalid_argument("change point at index " + std::to_string(index) +
                              " matches no interval");
}

/// otava/change_point_divisive/calculator.py, PairDistanceCalculator.get_candidate_change_point
/// with power 1: over s < τ < κ ≤ e, maximises
///   Q̂(τ, κ) = 2/(m+n) Σ|X_i − Y_j| − 2m/((m+n)(n−1)) Σ_{i<k}|X_i − X_k|
///             − 2n/((m+n)(m−1)) Σ_{j<k}|Y_j − Y_k|,
/// X = x[s, τ), Y = x[τ, κ), n = |X|, m = |Y| (a term is 0 when its n − 1 or m − 1 is 0), and
/// returns the first maximum in NumPy's row-major order (τ, then κ ascending). Otava computes the
/// whole matrix with cumulative sums; here column prefix sums give each entry in O(1):
/// col[j][r − s] = Σ_{i=s}^{r−1} |x_i − x_j| for s ≤ r ≤ j. `col` is scratch space.
change_point candidate_in(const std::vector<double>& x, interval r, std::vector<double>& col) {
  const std::size_t s = r.begin;
  const std::size_t len = r.size();
  col.assign(len * len, 0.0);
  for (std::size_t j = 0; j < len; ++j) {
    double* c = &col[j * len];
    for (std::size_t i = 0; i < j; ++i) c[i + 1] = c[i] + std::fabs(x[s + i] - x[s + j]);
  }
  change_point best;
  bool found = false;
  double within_x = 0;  // Σ_{s≤i<k<τ} |x_i − x_k|
  for (std::size_t tau = 1; tau < len; ++tau) {
    within_x += col[(tau - 1) * len + (tau - 1)];
    const double n = static_cast<double>(tau);
    double cross = 0;     // Σ_{i<τ≤j<κ} |x_i − x_j|
    double within_y = 0;  // Σ_{τ≤j<k<κ} |x_j − x_k|
    for (std::size_t kappa = tau + 1; kappa <= len; ++kappa) {
      const double* c = &col[(kappa - 1) * len];
      cross += c[tau];
      within_y += c[kappa - 1] - c[tau];
      const double m = static_cast<double>(kappa - tau);
      double q = 2.0 / (m + n) * cross;
      if (tau > 1) q -= 2.0 * m / (m + n) / (n - 1) * within_x;
      if (kappa - tau > 1) q -= 2.0 * n / (m + n) / (m - 1) * within_y;
      if (!found || q > best.qhat) {
        best.index = s + tau;
        best.qhat = q;
        found = true;
      }
    }
  }
  return best;
}

/// otava/change_point_divisive/detector.py, ChangePointDetector.get_change_points with the
/// t-test tester, on the window x (indexes relative to it): repeatedly takes the candidate with
/// the largest Q̂ over the current intervals and keeps it while its p-value ≤ max_p; stops at
/// the first candidate that is not significant.
std::vector<change_point> detect_in_window(const std::vector<double>& x, double max_p,
                                           std::vector<double>& scratch) {
  std::vector<change_point> points;
  struct cached {
    interval r;
    change_point candidate;
  };
  std::vector<cached> cache;  // an interval's candidate does not change while it is not split
  for (;;) {
    const std::vector<interval> intervals = intervals_of(points, x.size());
    bool any = false;
    std::size_t best = 0;  // index into cache
    for (const interval& r : intervals) {
      if (r.size() <= 1) continue;
      std::size_t at = 0;
      while (at < cache.size() && (cache[at].r.begin != r.begin || cache[at].r.end != r.end)) ++at;
      if (at == cache.size()) cache.push_back({r, candidate_in(x, r, scratch)});
      // Otava: max(candidates, key=qhat) keeps the first of equal maxima.
      if (!any || cache[at].candidate.qhat > cache[best].candidate.qhat) best = at;
      any = true;
    }
    if (!any) break;
    change_point p = cache[best].candidate;
    p.stats = stats_at(x, p.index, intervals);
    if (!(p.stats.p_value <= max_p)) break;  // Otava: is_significant; NaN is not significant
    points.insert(std::upper_bound(points.begin(), points.end(), p,
                                   [](const change_point& a, const change_point& b) {
                                     return a.index < b.index;
                                   }),
                  p);
  }
  return points;
}

/// otava/analysis.py, split (without the incremental new_points/old_cp arguments): e-divisive
/// in windows [start, start + window), start advancing by window / 2 or to the last change
/// point found, whichever is further; the union of the windows' points, sorted, with their
/// statistics recomputed against the whole series.
std::vector<change_point> split(const std::vector<double>& values, std::size_t window,
                                double first_pass_p) {
  const std::size_t n = values.size();
  const std::size_t step = window / 2;
  std::vector<change_point> points;
  std::vector<double> slice;
  std::vector<double> scratch;
  std::size_t start = 0;
  while (start < n) {
    const std::size_t end = std::min(start + window, n);
    slice.assign(values.begin() + static_cast<std::ptrdiff_t>(start),
                 values.begin() + static_cast<std::ptrdiff_t>(end));
    std::vector<change_point> found = detect_in_window(slice, first_pass_p, scratch);
    for (change_point& p : found) p.index += start;
    const std::size_t last = found.empty() ? 0 : found.back().index;
    start = std::max(last, start + step);
    for (const change_point& p : found) {
      const bool known = std::any_of(points.begin(), points.end(),
                                     [&](const change_point& q) { return q.index == p.index; });
      if (!known) points.push_back(p);
    }
  }
  std::stable_sort(points.begin(), points.end(),
                   [](const change_point& a, const change_point& b) { return a.index < b.index; });
  restat(values, points);
  return points;
}

/// apache/otava PR 150 (commit 52f091f), collapse_short_segments, with a separate minimum for
/// the last segment: a short first or last segment drops its one change point; a short middle
/// segment B of A | B | C drops both of its change points and, when A and C still differ
/// (p ≤ max_p and magnitude > min_magnitude), puts one change point at the start of C with the
/// statistics of A against C. Repeats until no segment is short.
std::vector<change_point> collapse_short_segments(const std::vector<double>& values,
                                                  std::vector<change_point> points,
                                                  const detector_params& params) {
  if (params.min_segment <= 1) return points;
  while (!points.empty()) {
    const std::vector<interval> intervals = intervals_of(points, values.size());
    bool collapsed = false;
    for (std::size_t k = 0; k < intervals.size(); ++k) {
      const bool last = k + 1 == intervals.size();
      if (intervals[k].size() >= (last ? params.min_last_segment : params.min_segment)) continue;
      if (k == 0) {
        points.erase(points.begin());
      } else if (last) {
        points.pop_back();
      } else {
        change_point replacement = points[k];
        replacement.stats = compare(values, intervals[k - 1], intervals[k + 1]);
        if (params.short_segment_joins_nearer_side) {
          // wslcuda: B already at C's level (its mean nearer C's than half the gap from A to C)
          // is the start of the new regime, not noise: the change goes to the start of B.
          double mean_b = 0, std_b = 0;
          mean_and_std(values, intervals[k], mean_b, std_b);
          const double gap =
              std::fabs(replacement.stats.mean_after - replacement.stats.mean_before);
          if (std::fabs(mean_b - replacement.stats.mean_after) < gap / 2)
            replacement.index = intervals[k].begin;
        }
        const auto at = points.begin() + static_cast<std::ptrdiff_t>(k - 1);
        points.erase(at, at + 2);
        if (replacement.stats.p_value <= params.max_p &&
            replacement.stats.magnitude() > params.min_magnitude)
          points.insert(points.begin() + static_cast<std::ptrdiff_t>(k - 1), replacement);
      }
      collapsed = true;
      break;
    }
    if (!collapsed) break;
  }
  return points;
}

void check_probability(double p, const char* name) {
  if (!(p > 0 && p <= 1))
    throw std::invalid_argument(std::string("detector_params.") + name + " must be in (0, 1]");
}

}  // namespace

double otava_first_pass_p(double max_p) noexcept {
  if (max_p < 0.05) return max_p * 10;
  if (max_p < 0.5) return max_p * 2;
  return max_p;
}

double min_magnitude_for(double noise_floor) noexcept {
  return std::max(0.01, noise_floor);
}

double segment_stats::forward_change() const noexcept {
  return mean_before == 0 ? 0.0 : mean_after / mean_before - 1.0;
}

double segment_stats::backward_change() const noexcept {
  return mean_after == 0 ? 0.0 : mean_before / mean_after - 1.0;
}

double segment_stats::magnitude() const noexcept {
  return std::max(std::fabs(forward_change()), std::fabs(backward_change()));
}

segment_stats compare_segments(const std::vector<double>& values, std::size_t left_begin,
                               std::size_t left_end, std::size_t right_begin,
                               std::size_t right_end) {
  if (left_begin >= left_end || right_begin >= right_end || left_end > values.size() ||
      right_end > values.size())
    throw std::invalid_argument("compare_segments: empty or out-of-range segment");
  return compare(values, {left_begin, left_end}, {right_begin, right_end});
}

void restat(const std::vector<double>& values, std::vector<change_point>& points) {
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (points[i].index == 0 || points[i].index >= values.size() ||
        (i > 0 && points[i].index <= points[i - 1].index))
      throw std::invalid_argument("restat: change point indexes must be increasing, in (0, n)");
  }
  const std::vector<interval> intervals = intervals_of(points, values.size());
  for (change_point& p : points) p.stats = stats_at(values, p.index, intervals);
}

std::vector<change_point> merge_change_points(const std::vector<double>& values,
                                              std::vector<change_point> points, double max_p,
                                              double min_magnitude) {
  while (!points.empty()) {
    // Otava: max()/min() with a key keep the first of equal values; a NaN p-value is never
    // "greater", so it is chosen only when it comes first, and then it is dropped.
    std::size_t weakest = 0;
    for (std::size_t i = 1; i < points.size(); ++i)
      if (points[i].stats.p_value > points[weakest].stats.p_value) weakest = i;
    if (points[weakest].stats.p_value < max_p) {
      weakest = 0;
      for (std::size_t i = 1; i < points.size(); ++i)
        if (points[i].stats.magnitude() < points[weakest].stats.magnitude()) weakest = i;
      if (points[weakest].stats.magnitude() > min_magnitude) return points;
    }
    points.erase(points.begin() + static_cast<std::ptrdiff_t>(weakest));
    const std::vector<interval> intervals = intervals_of(points, values.size());
    // Otava: recomputes the points now at positions `weakest` and `weakest + 1`, that is the
    // right neighbour and the one after it; the left neighbour keeps its statistics until a
    // later removal next to it recomputes them.
    for (std::size_t i = weakest; i < std::min(weakest + 2, points.size()); ++i)
      points[i].stats = stats_at(values, points[i].index, intervals);
  }
  return points;
}

detection detect_change_points(const std::vector<double>& values, const detector_params& params) {
  if (params.window < 2) throw std::invalid_argument("detector_params.window must be at least 2");
  if (params.min_segment < 1 || params.min_last_segment < 1 ||
      params.min_last_segment > params.min_segment)
    throw std::invalid_argument("detector_params: need 1 <= min_last_segment <= min_segment");
  check_probability(params.first_pass_p, "first_pass_p");
  check_probability(params.max_p, "max_p");
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i]))
      throw std::invalid_argument("change-point series: value " + std::to_string(i) +
                                  " is not finite");
  detection d;
  d.weak = split(values, params.window, params.first_pass_p);
  d.change_points = merge_change_points(values, collapse_short_segments(values, d.weak, params),
                                        params.max_p, params.min_magnitude);
  return d;
}

}  // namespace wslcuda::history

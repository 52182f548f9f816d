#include "history/driver_changes.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <utility>

#include "measure/statistics.hpp"

namespace wslcuda::history {
namespace {

bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

/// The end of the run of digits, or of non-digits, that starts at `at`.
std::size_t run_end(const std::string& s, std::size_t at) {
  const bool digits = is_digit(s[at]);
  while (at < s.size() && is_digit(s[at]) == digits) ++at;
  return at;
}

/// Compares the runs a[i, i_end) and b[j, j_end): numerically when both are digits (any
/// length), a number before text, text by bytes.
int compare_runs(const std::string& a, std::size_t i, std::size_t i_end, const std::string& b,
                 std::size_t j, std::size_t j_end) {
  const bool da = is_digit(a[i]), db = is_digit(b[j]);
  if (da != db) return da ? -1 : 1;
  if (da) {
    while (i < i_end && a[i] == '0') ++i;  // leading zeros
    while (j < j_end && b[j] == '0') ++j;
    if (i_end - i != j_end - j) return i_end - i < j_end - j ? -1 : 1;
  }
  for (; i < i_end && j < j_end; ++i, ++j)
    if (a[i] != b[j])
      return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]) ? -1 : 1;
  if (i < i_end) return 1;
  if (j < j_end) return -1;
  return 0;
}

struct placement {
  bool accepted = false;
  instability_reason reason = instability_reason::blocked;
  segment_stats stats;
};

/// Tries change point `k` of `points` at boundary `b` with Otava's final rules (see
/// analyse_series).
placement try_boundary(const std::vector<double>& values, const std::vector<change_point>& points,
                       std::size_t k, std::size_t b, const detector_params& params) {
  placement out;
  const std::size_t original = points[k].index;
  const std::size_t prev = k == 0 ? 0 : points[k - 1].index;
  const bool has_next = k + 1 < points.size();
  const std::size_t next = has_next ? points[k + 1].index : values.size();
  const std::size_t lo = std::min(b, original), hi = std::max(b, original);
  // No other change point at b or between b and the original index.
  if (!(prev < lo && hi < next)) return out;
  if (b - prev < params.min_segment ||
      next - b < (has_next ? params.min_segment : params.min_last_segment)) {
    out.reason = instability_reason::short_segment;
    return out;
  }
  out.stats = compare_segments(values, prev, b, b, next);
  if (!(out.stats.p_value < params.max_p)) {
    out.reason = instability_reason::not_significant;
    return out;
  }
  if (!(out.stats.magnitude() > params.min_magnitude)) {
    out.reason = instability_reason::too_small;
    return out;
  }
  out.accepted = true;
  return out;
}

}  // namespace

int compare_driver_versions(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const std::size_t i_end = run_end(a, i), j_end = run_end(b, j);
    const int c = compare_runs(a, i, i_end, b, j, j_end);
    if (c != 0) return c;
    i = i_end;
    j = j_end;
  }
  if (i < a.size()) return 1;
  if (j < b.size()) return -1;
  return 0;
}

void order_points(std::vector<run_point>& points) {
  const auto before = [](const run_point& x, const run_point& y) {
    const int c = compare_driver_versions(x.driver, y.driver);
    if (c != 0) return c < 0;
    return x.time < y.time;
  };
  // A store returns its points in order: then one pass instead of n log n comparisons.
  if (!std::is_sorted(points.begin(), points.end(), before))
    std::stable_sort(points.begin(), points.end(), before);
}

detector_params detector_params_for(const gate_policy& policy, const std::string& id) {
  const change_point_settings& s = policy.change_points;
  detector_params p;
  p.window = s.window;
  p.first_pass_p = s.first_pass_p;
  p.max_p = s.max_p;
  p.min_segment = s.min_segment;
  p.min_last_segment = s.min_last_segment;
  const noise_floor* floor = noise_floor_for(policy, id);
  p.min_magnitude = std::max(s.min_magnitude, floor != nullptr ? floor->spread : 0.0);
  return p;
}

series_analysis analyse_series(std::vector<run_point> points, metric_sense sense,
                               const detector_params& params) {
  series_analysis out;
  out.params = params;
  order_points(points);
  out.points = std::move(points);
  const std::vector<run_point>& pts = out.points;
  const std::size_t n = pts.size();
  if (n < kMinPointsForDetection) {
    out.outcome = series_outcome::too_few_points;
    out.reason = std::to_string(n) + (n == 1 ? " point" : " points") +
                 ": change-point detection needs at least " +
                 std::to_string(kMinPointsForDetection);
    return out;
  }
  out.outcome = series_outcome::analysed;
  std::vector<double> values(n);
  for (std::size_t i = 0; i < n; ++i) values[i] = pts[i].value;
  // Consecutive points of equal drivers share a block (the points are ordered by driver).
  std::vector<std::size_t> block(n, 0);
  for (std::size_t i = 1; i < n; ++i)
    block[i] = block[i - 1] + (compare_driver_versions(pts[i - 1].driver, pts[i].driver) != 0);
  const auto same_driver = [&](std::size_t i, std::size_t j) { return block[i] == block[j]; };

  std::vector<change_point> current = detect_change_points(values, params).change_points;
  std::map<std::size_t, std::size_t> otava_index;  // index after a move → Otava's index
  for (std::size_t k = 0; k < current.size();) {
    const change_point cp = current[k];
    if (!same_driver(cp.index - 1, cp.index)) {
      ++k;
      continue;
    }
    std::size_t b0 = cp.index, b1 = cp.index;
    while (b0 > 0 && same_driver(b0 - 1, cp.index)) --b0;
    while (b1 < n && same_driver(b1, cp.index)) ++b1;
    std::vector<std::size_t> tries;
    const bool b0_ok = b0 > 0, b1_ok = b1 < n;
    if (b0_ok && b1_ok && cp.index - b0 == b1 - cp.index) {
      tries = {b0, b1};
    } else if (b0_ok && (!b1_ok || cp.index - b0 < b1 - cp.index)) {
      tries = {b0};
    } else if (b1_ok) {
      tries = {b1};
    }
    driver_instability unstable;
    unstable.driver = pts[cp.index].driver;
    unstable.index = cp.index;
    unstable.stats = cp.stats;
    bool moved = false, rejected = false;
    placement best;
    std::size_t best_b = 0;
    for (std::size_t b : tries) {
      const placement p = try_boundary(values, current, k, b, params);
      if (p.accepted) {
        if (!moved || p.stats.p_value < best.stats.p_value) {
          best = p;
          best_b = b;
        }
        moved = true;
      } else if (!rejected) {  // the first boundary's reason when none is accepted
        unstable.reason = p.reason;
        unstable.boundary = b;
        rejected = true;
      }
    }
    if (moved) {
      current[k].index = best_b;
      current[k].stats = best.stats;
      otava_index[best_b] = cp.index;
      ++k;
    } else {
      if (tries.empty()) unstable.reason = instability_reason::one_driver;
      out.instabilities.push_back(unstable);
      current.erase(current.begin() + static_cast<std::ptrdiff_t>(k));
    }
  }
  // Statistics against the final neighbours, and Otava's merge until it drops nothing more: every
  // change reported passes Otava's final rules with the statistics reported.
  for (std::size_t before = current.size() + 1; current.size() < before;) {
    before = current.size();
    restat(values, current);
    current = merge_change_points(values, std::move(current), params.max_p, params.min_magnitude);
  }

  for (std::size_t k = 0; k < current.size(); ++k) {
    const change_point& cp = current[k];
    driver_change c;
    c.index = cp.index;
    c.driver_before = pts[cp.index - 1].driver;
    c.driver = pts[cp.index].driver;
    c.stats = cp.stats;
    c.magnitude = cp.stats.magnitude();
    c.relative_change = cp.stats.forward_change();
    const bool went_up = cp.stats.mean_after > cp.stats.mean_before;
    const bool worse = sense == metric_sense::lower_is_better
                           ? went_up
                           : cp.stats.mean_after < cp.stats.mean_before;
    c.direction = worse ? change_direction::regression : change_direction::improvement;
    c.points_before = cp.index - (k == 0 ? 0 : current[k - 1].index);
    c.points_after = (k + 1 < current.size() ? current[k + 1].index : n) - cp.index;
    c.tentative = c.points_after < kMinPointsAfterConfirmed;
    const auto it = otava_index.find(cp.index);
    c.moved = it != otava_index.end();
    c.otava_index = c.moved ? it->second : cp.index;
    out.changes.push_back(std::move(c));
  }
  std::sort(
      out.instabilities.begin(), out.instabilities.end(),
      [](const driver_instability& a, const driver_instability& b) { return a.index < b.index; });
  return out;
}

std::vector<driver_median> median_across_machines(const std::vector<machine_run>& runs) {
  // driver → machine → values, and the driver's earliest time and run count.
  struct per_driver {
    std::string driver;
    std::map<std::string, std::vector<double>> by_machine;
    std::string earliest;
    std::size_t runs = 0;
  };
  std::vector<per_driver> drivers;
  for (const machine_run& r : runs) {
    auto it = std::find_if(drivers.begin(), drivers.end(), [&](const per_driver& d) {
      return compare_driver_versions(d.driver, r.point.driver) == 0;
    });
    if (it == drivers.end()) {
      drivers.push_back({r.point.driver, {}, r.point.time, 0});
      it = drivers.end() - 1;
    }
    it->by_machine[r.machine].push_back(r.point.value);
    it->earliest = std::min(it->earliest, r.point.time);
    ++it->runs;
  }
  std::vector<driver_median> out;
  for (per_driver& d : drivers) {
    std::vector<double> machine_medians;
    for (auto& [machine, values] : d.by_machine) machine_medians.push_back(median_of(values));
    driver_median m;
    m.point.driver = d.driver;
    m.point.time = d.earliest;
    m.point.value = median_of(machine_medians);
    m.machines = d.by_machine.size();
    m.runs = d.runs;
    out.push_back(std::move(m));
  }
  std::stable_sort(out.begin(), out.end(), [](const driver_median& a, const driver_median& b) {
    return compare_driver_versions(a.point.driver, b.point.driver) < 0;
  });
  return out;
}

std::vector<run_point> points_of(const std::vector<driver_median>& medians) {
  std::vector<run_point> out;
  out.reserve(medians.size());
  for (const driver_median& m : medians) out.push_back(m.point);
  return out;
}

const char* to_string(change_direction d) noexcept {
  return d == change_direction::regression ? "regression" : "improvement";
}

const char* to_string(instability_reason r) noexcept {
  switch (r) {
    case instability_reason::one_driver:
      return "one_driver";
    case instability_reason::blocked:
      return "blocked";
    case instability_reason::short_segment:
      return "short_segment";
    case instability_reason::not_significant:
      return "not_significant";
    case instability_reason::too_small:
      return "too_small";
  }
  return "unknown";
}

const char* to_string(series_outcome o) noexcept {
  return o == series_outcome::analysed ? "analysed" : "too_few_points";
}

}  // namespace wslcuda::history
